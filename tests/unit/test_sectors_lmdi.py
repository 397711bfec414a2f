"""LMDI-I against the published LMDIR worked example and hand-checked Kaya numbers."""

import math

import pandas as pd
import pytest

from tanso.sectors.lmdi import (
    DecompositionError,
    decompose_kaya,
    decompose_kaya_countries,
    decompose_kaya_panel,
    decompose_sectors,
    kaya_between,
    lmdi_additive,
    logmean,
    sectors_by_gdp_between,
)

# Heun & Brockway (2019) SI §S3 as packaged in LMDIR: two sub-categories × three factors.
X = {1971: [[1, 10, 2], [4, 5, 3]], 1972: [[4, 5, 3], [5, 6, 4]],
     1973: [[8, 2, 4], [5, 7, 5]], 1974: [[10, 1, 5], [6, 8, 6]]}


def factors(year):
    return pd.DataFrame(X[year], index=["s1", "s2"], columns=["x1", "x2", "x3"])


@pytest.mark.parametrize(("start", "end", "expected"), [
    (1971, 1972, (69.79006598, -9.455125793, 39.66505981)),
    (1972, 1973, (42.96021467, -34.31902656, 50.3588119)),
    (1973, 1974, (54.01064234, -9.021284671, 54.01064234)),
])
def test_additive_effects_match_lmdir(start, end, expected):
    result = lmdi_additive(factors(start), factors(end))
    assert list(result.effects.values()) == pytest.approx(expected, abs=1e-8)
    assert math.fsum(result.effects.values()) == pytest.approx(result.change, rel=1e-12)


def test_multiplicative_ratios_and_cells_match_lmdir():
    result = lmdi_additive(factors(1971), factors(1972))
    assert list(result.ratios.values()) == pytest.approx([1.761117821, 0.926191306, 1.379410116])
    assert math.prod(result.ratios.values()) == pytest.approx(2.25)  # 180 / 80
    z = result.by_subcategory.round(3).to_numpy().tolist()
    assert z == [[50.474, -25.237, 14.763], [19.316, 15.782, 24.902]]


def test_zero_value_uses_the_analytical_limit():
    start = factors(1971)
    start.loc["s1", "x1"] = 0  # sub-category 1 appears: V goes 0 → 60
    result = lmdi_additive(start, factors(1972))
    assert result.by_subcategory.loc["s1"].tolist() == [60, 0, 0]
    assert result.value_from == 60 and result.value_to == 180
    assert math.fsum(result.effects.values()) == pytest.approx(120, rel=1e-12)


def test_a_vanishing_subcategory_puts_its_loss_on_the_factor_that_becomes_zero():
    end = factors(1972)
    end.loc["s2", "x3"] = 0  # V of s2 goes 60 → 0
    result = lmdi_additive(factors(1971), end)
    assert result.by_subcategory.loc["s2"].tolist() == [0, 0, -60]


def test_logmean_limits():
    assert logmean(2.0, 2.0) == 2.0
    assert logmean(math.e, 1.0) == pytest.approx(math.e - 1)
    assert logmean(0.0, 5.0) == 0.0
    assert logmean(-4.0, -2.0) == pytest.approx(-2 / math.log(2))


# Hand-checked Kaya: P 10→11, G 100→121 (G/P 10→11), E 50→55 (E/G 0.5→0.4545), C 40→44 (C/E 0.8 both).
# L(44, 40) = 4/ln 1.1, so population +4, affluence +4, energy intensity −4, carbon intensity 0.
START = {"population": 10, "gdp": 100, "primary_energy_consumption": 50, "co2": 40}
END = {"population": 11, "gdp": 121, "primary_energy_consumption": 55, "co2": 44}


def test_kaya_hand_checked():
    result = decompose_kaya(START, END)
    assert result.effects == pytest.approx({"population": 4, "affluence": 4,
                                            "energy_intensity": -4, "carbon_intensity": 0})
    assert result.change == 4


def test_kaya_panel_equals_the_single_country_form():
    panel = decompose_kaya_panel(pd.DataFrame([START, START]), pd.DataFrame([END, END]))
    assert panel.loc[0, ["population", "affluence", "energy_intensity", "carbon_intensity"]].tolist() \
        == pytest.approx([4, 4, -4, 0])
    assert panel["total_change"].tolist() == [4, 4]


def test_kaya_panel_drops_rows_with_missing_or_zero_inputs():
    bad = dict(START, gdp=float("nan"))
    panel = decompose_kaya_panel(pd.DataFrame([START, bad]), pd.DataFrame([END, END]))
    assert panel.index.tolist() == [0]


def test_sector_form_with_national_activity_sums_to_the_change():
    # GDP 100 → 110; sector A 30 → 33 (intensity constant), B 10 → 5 (intensity halves and more)
    result = decompose_sectors(pd.Series({"A": 30.0, "B": 10.0}), pd.Series({"A": 33.0, "B": 5.0}),
                               activity_from=100.0, activity_to=110.0)
    assert result.factors == ("activity", "intensity")
    by = result.by_subcategory
    assert by.loc["A", "intensity"] == pytest.approx(0.0, abs=1e-12)   # A only grew with GDP
    assert by.loc["A", "activity"] == pytest.approx(3.0)
    assert math.fsum(result.effects.values()) == pytest.approx(-2.0, rel=1e-12)


def test_sector_form_with_sector_activity_has_a_structure_effect():
    # Ang's illustration in spirit: activity up, the mix shifts to the low-intensity sector
    result = decompose_sectors(pd.Series({"A": 50.0, "B": 10.0}), pd.Series({"A": 50.0, "B": 20.0}),
                               activity_from=pd.Series({"A": 50.0, "B": 50.0}),
                               activity_to=pd.Series({"A": 50.0, "B": 100.0}))
    assert result.factors == ("activity", "structure", "intensity")
    assert result.effects["intensity"] == pytest.approx(0.0, abs=1e-12)  # neither intensity moved
    assert result.effects["activity"] > 0 > result.effects["structure"]
    assert math.fsum(result.effects.values()) == pytest.approx(10.0, rel=1e-12)


def test_a_sign_change_is_refused_by_name():
    with pytest.raises(DecompositionError, match="changes sign"):
        decompose_sectors(pd.Series({"lulucf": -5.0}), pd.Series({"lulucf": 3.0}),
                          activity_from=1.0, activity_to=1.0)


def test_a_missing_factor_is_named():
    end = factors(1972)
    end.loc["s1", "x2"] = float("nan")
    with pytest.raises(DecompositionError, match="x2 of s1 is missing at the end"):
        lmdi_additive(factors(1971), end)


def long_rows(code, rows):
    return [{"country_code": code, "year": year} | values for year, values in rows.items()]


def test_every_country_at_once_keeps_only_countries_with_both_years():
    frame = pd.DataFrame(long_rows("AAA", {2000: START, 2020: END}) + long_rows("BBB", {2000: START}))
    result = decompose_kaya_countries(frame, year_from=2000, year_to=2020)
    assert result.index.tolist() == ["AAA"]
    assert result.loc["AAA", "affluence"] == pytest.approx(4.0)


@pytest.mark.parametrize(("year_from", "year_to", "message"), [
    (2020, 2000, r"--from \(2020\) must be before --to \(2000\)"),
    (1990, 2020, "no data for AAA in 1990; data covers 2000–2023"),
    (2000, 2023, r"gdp has no value for AAA in 2023 \(gdp data for AAA covers 2000–2020\)"),
])
def test_kaya_between_names_what_is_missing(year_from, year_to, message):
    frame = pd.DataFrame(long_rows("AAA", {2000: START, 2020: END, 2023: dict(END, gdp=None)}))
    with pytest.raises(DecompositionError, match=message):
        kaya_between(frame, country="AAA", year_from=year_from, year_to=year_to)
    assert kaya_between(frame, country="AAA", year_from=2000, year_to=2020).change == 4


def test_sectors_by_gdp_hand_checked():
    # A: 30 → 33, B: 10 → 5 Mt; GDP 100 → 110. Activity: L(33,30)·ln 1.1 + L(5,10)·ln 1.1 with
    # L(33,30) = 3/ln 1.1 and L(5,10) = 5/ln 2, so 3 + 5·ln 1.1/ln 2 = 3.687518; intensity of A:
    # ln((33/110)/(30/100)) = ln 1 = 0; of B: (5/ln 2)·ln((5/110)/(10/100)) = −5.687518; sum −2 = 38 − 40.
    emissions = pd.DataFrame({"year": [2018, 2018, 2022, 2022], "sector": ["A", "B", "A", "B"],
                              "value_mt": [30.0, 10.0, 33.0, 5.0]})
    result = sectors_by_gdp_between(emissions, pd.Series({2018: 100.0, 2022: 110.0}), what="KOR",
                                    year_from=2018, year_to=2022)
    assert result.effects["activity"] == pytest.approx(3 + 5 * math.log(1.1) / math.log(2), rel=1e-12)
    assert result.by_subcategory.loc["A", "intensity"] == pytest.approx(0.0, abs=1e-12)
    assert result.by_subcategory.loc["B", "intensity"] == pytest.approx(
        5 / math.log(2) * math.log(5 / 110 / 0.1), rel=1e-12)
    assert "structure" not in result.effects and result.change == -2.0


def test_sectors_by_gdp_names_a_missing_gdp_year():
    emissions = pd.DataFrame({"year": [2018, 2022], "sector": ["A", "A"], "value_mt": [1.0, 2.0]})
    with pytest.raises(DecompositionError, match=r"gdp has no value for KOR in 2022 \(gdp data for KOR covers 2018–2018\)"):
        sectors_by_gdp_between(emissions, pd.Series({2018: 100.0}), what="KOR", year_from=2018, year_to=2022)
