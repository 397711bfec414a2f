"""Shares, contributions to change and inventory bases, with hand-checked numbers."""

import math

import pandas as pd
import pytest

from tanso.sectors.bases import compare_bases
from tanso.sectors.contributions import ContributionError, contributions_to_change, sector_shares

FRAME = pd.DataFrame({
    "year": [2018] * 3 + [2022] * 3,
    "sector": ["energy", "waste", "lulucf"] * 2,
    "value_mt": [80.0, 20.0, -10.0, 70.0, 25.0, -12.0],
})
GROSS = {"energy", "waste"}


def test_shares_are_of_the_gross_total():
    shares = sector_shares(FRAME, in_total=GROSS).set_index(["year", "sector"])["share_pct"]
    assert shares[(2018, "energy")] == 80.0 and shares[(2022, "waste")] == pytest.approx(25 / 95 * 100)
    assert shares[(2018, "lulucf")] == -10.0  # listed, relative to the gross total


def test_contributions_sum_exactly_to_the_change():
    result = contributions_to_change(FRAME, year_from=2018, year_to=2022, in_total=GROSS,
                                     sectors=["energy", "waste", "lulucf"], what="test")
    assert (result.total_from, result.total_to, result.total_change) == (100.0, 95.0, -5.0)
    by = {s.sector: s for s in result.sectors}
    assert by["energy"].change == -10.0 and by["energy"].share_of_change_pct == 200.0
    assert by["waste"].share_of_change_pct == -100.0
    assert by["lulucf"].in_total is False and by["lulucf"].change == -2.0
    counted = [s.change for s in result.sectors if s.in_total]
    assert math.fsum(counted) == result.total_change
    assert by["waste"].share_to_pct == pytest.approx(25 / 95 * 100)
    assert set(result.to_dict()) >= {"from", "to", "unit", "total_change", "sectors"}


def test_a_sector_missing_in_one_year_is_named_and_never_counted_as_zero():
    # "new" has no 2018 row at all: left out of both totals (100 → 95, as without it), not 0 → 3
    frame = pd.concat([FRAME, pd.DataFrame({"year": [2022], "sector": ["new"], "value_mt": [3.0]})])
    result = contributions_to_change(frame, year_from=2018, year_to=2022, in_total=GROSS | {"new"},
                                     sectors=["energy", "waste", "new"], what="test")
    new = result.sectors[-1]
    assert (new.value_from, new.value_to, new.change, new.share_of_change_pct, new.share_to_pct) == (
        None, 3.0, None, None, None)
    assert (result.total_from, result.total_to, result.total_change) == (100.0, 95.0, -5.0)
    assert result.missing == (("new", 2018),)
    assert result.sectors[0].share_of_change_pct == 200.0  # energy −10 of −5, unchanged


def test_a_nan_value_is_missing_not_zero():
    # waste 2022 is NaN: a sum would make it 0 and the total 70 − 100 = −30
    frame = FRAME.assign(value_mt=FRAME["value_mt"].where(~((FRAME["sector"] == "waste")
                                                            & (FRAME["year"] == 2022))))
    result = contributions_to_change(frame, year_from=2018, year_to=2022, in_total=GROSS,
                                     sectors=["energy", "waste", "lulucf"], what="test")
    by = {s.sector: s for s in result.sectors}
    assert by["waste"].value_from == 20.0 and by["waste"].value_to is None and by["waste"].change is None
    assert (result.total_from, result.total_to, result.total_change) == (80.0, 70.0, -10.0)  # energy only
    assert by["energy"].share_of_change_pct == 100.0 and by["energy"].share_to_pct == 100.0
    assert result.missing == (("waste", 2022),)


@pytest.mark.parametrize(("year_from", "year_to", "message"), [
    (2022, 2018, "--from (2022) must be before --to (2018)"),
    (2018, 2018, "must be before"),
    (2010, 2022, "no data for test in 2010; data covers 2018–2022"),
])
def test_bad_years_are_named(year_from, year_to, message):
    with pytest.raises(ContributionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        contributions_to_change(FRAME, year_from=year_from, year_to=year_to, in_total=GROSS,
                                sectors=["energy"], what="test")


def test_bases_side_by_side_against_gir_gross():
    national = pd.DataFrame({"year": [2018, 2022], "total_ghg": [95.0, 90.0],
                             "total_ghg_excluding_lucf": [105.0, 99.75]})
    cw = pd.DataFrame({"year": [2018] * 3, "sector": ["energy", "lulucf", "bunker_fuels"],
                       "value_mt": [110.0, -20.0, 7.0]})
    bases = compare_bases(gir_fields=FRAME, national=national, climatewatch=cw)
    y2018 = bases[bases["year"] == 2018].set_index("basis")
    assert y2018["value_mt"].to_dict() == {
        "gir_gross": 100.0, "gir_net": 90.0, "owid_ghg_excl_lulucf": 105.0, "owid_ghg": 95.0,
        "climatewatch_excl_lulucf": 110.0, "climatewatch": 90.0}
    assert y2018.loc["owid_ghg_excl_lulucf", "difference_mt"] == 5.0
    assert y2018.loc["climatewatch", "difference_pct"] == -10.0
    y2022 = bases[bases["year"] == 2022].set_index("basis")
    assert y2022.loc["owid_ghg_excl_lulucf", "difference_pct"] == 5.0  # 99.75 vs 95
    assert "climatewatch" not in y2022.index  # no Climate Watch row for 2022 here
