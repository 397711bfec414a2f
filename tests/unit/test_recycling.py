"""Recycling calculator: the seed's worked examples (checked by hand), the EPA set, validation.

Hand checks (seed 003, operator set: mixed plastic 2.75 kg CO2/kg; reuse 3.0, upcycle 2.5, recycle 1.0):
- 1,000 kg at 20/50/30: 200×2.75×3 = 1,650; 500×2.75×2.5 = 3,437.5; 300×2.75 = 825 → 5,912.5 kg.
- 1,240 kg at 25/55/20: 310×2.75×3 = 2,557.5; 682×2.75×2.5 = 4,688.75; 248×2.75 = 682 → 7,928.25 kg.
- 1,000 kg PET recycled: 1,000×2.29 = 2,290 kg.
- Example 1 per tonne: 5,912.5/22 = 268.75 trees → 269; 5,912.5/4,600 = 1.2853 car-years (the seed prints
  1.28: truncated, rounding gives 1.29); 5,912.5×0.00744 = 43.989 m² → 44.
"""

import datetime as dt

import pandas as pd
import pytest

from tanso import catalog
from tanso.recycling import (
    RecyclingInputError,
    StatedFigures,
    check_stated_figures,
    estimate_entries,
    kpi_attainment,
    load_factor_set,
    roll_up,
    summarise_campaign,
)
from tanso.recycling.epa_hub import read_table9, t_per_short_ton_to_kg_per_kg
from tanso.recycling.factors import UnknownFactorSet
from tanso.recycling.validation import validate_campaign


@pytest.fixture(scope="module")
def operator():
    return load_factor_set("operator")


@pytest.fixture(scope="module")
def epa():
    return load_factor_set("epa_warm")


def split(material: str, reuse: float, upcycle: float, recycle: float) -> pd.DataFrame:
    return pd.DataFrame({"material": material, "pathway": ["reuse", "upcycle", "recycle"],
                         "kg": [reuse, upcycle, recycle]})


def test_example_1_one_tonne_of_toys_at_20_50_30(operator):
    result = summarise_campaign(split("mixed", 200, 500, 300), factors=operator)
    assert result.reduction_kg == pytest.approx(5912.5)
    assert result.by_pathway == pytest.approx({"reuse": 1650.0, "upcycle": 3437.5, "recycle": 825.0})
    assert result.by_material == pytest.approx({"mixed": 5912.5})
    assert result.weighted_factor == pytest.approx(2.15)   # 0.2×3 + 0.5×2.5 + 0.3×1
    assert result.per_kg == pytest.approx(5.9125)          # = t CO2 per t collected
    assert result.factor_set["name"] == "operator" and result.factor_set["version"] == "2025-12"


def test_example_2_q1_1240_kg_at_25_55_20(operator):
    result = summarise_campaign(split("mixed", 310, 682, 248), factors=operator)
    assert result.reduction_kg == pytest.approx(7928.25)
    assert result.by_pathway == pytest.approx({"reuse": 2557.5, "upcycle": 4688.75, "recycle": 682.0})
    assert result.weighted_factor == pytest.approx(2.325)  # 0.25×3 + 0.55×2.5 + 0.20×1, not 2.15


def test_example_3_one_tonne_of_pet_recycled_and_the_comparison(operator):
    pet = summarise_campaign(split("pet", 0, 0, 1000), factors=operator)
    assert pet.reduction_kg == pytest.approx(2290.0)
    toys = summarise_campaign(split("mixed", 200, 500, 300), factors=operator)
    assert toys.times_pet_recycling == pytest.approx(5912.5 / 2290)  # the seed's "about 2.58 times"
    assert round(toys.times_pet_recycling, 2) == 2.58


def test_equivalents_of_one_tonne_of_toys(operator):
    eq = summarise_campaign(split("mixed", 200, 500, 300), factors=operator).equivalents
    assert eq.trees == pytest.approx(268.75) and round(eq.trees) == 269
    assert eq.sea_ice_m2 == pytest.approx(43.989) and round(eq.sea_ice_m2) == 44
    # The seed prints 1.28 car-years: 1.2853 truncated. Rounded to two decimals it is 1.29; its
    # "about 15 months" (1.2853 × 12 = 15.4) agrees with either.
    assert eq.car_years == pytest.approx(1.285326, abs=1e-6)
    assert round(eq.car_years, 2) == 1.29


def test_mixed_materials_per_entry_and_per_material(operator):
    entries = pd.DataFrame({"material": ["pet", "hdpe", "mixed"], "pathway": ["recycle", "reuse", "upcycle"],
                            "kg": [100.0, 10.0, 40.0]})
    estimated = estimate_entries(entries, factors=operator)
    assert estimated["reduction_kg"].tolist() == pytest.approx([229.0, 93.6, 275.0])  # 10×3.12×3; 40×2.75×2.5
    result = summarise_campaign(entries, factors=operator)
    assert result.by_material == pytest.approx({"pet": 229.0, "hdpe": 93.6, "mixed": 275.0})
    assert result.reduction_kg == pytest.approx(597.6)
    # shares by kg: 100/150 recycle, 10/150 reuse, 40/150 upcycle
    assert result.weighted_factor == pytest.approx((100 * 1 + 10 * 3 + 40 * 2.5) / 150)


def test_kpi_attainment_per_tier_as_in_the_seed(operator):
    monthly = kpi_attainment(2.8, period="monthly", factors=operator).set_index("tier")
    assert monthly["attainment_pct"].round().tolist() == [187, 93, 56]  # 2.8/1.5, 2.8/3.0, 2.8/5.0
    assert monthly["met"].tolist() == [True, False, False]
    yearly = kpi_attainment(36.0, period="yearly", factors=operator).set_index("tier")
    assert yearly["attainment_pct"].tolist() == pytest.approx([200.0, 100.0, 60.0])
    with pytest.raises(ValueError, match="period"):
        kpi_attainment(1.0, period="weekly", factors=operator)


def test_monthly_and_quarterly_roll_ups_per_organisation(operator):
    entries = pd.DataFrame({
        "organisation": ["A", "A", "A", "B"],
        "date": ["2025-01-10", "2025-01-20", "2025-02-03", "2025-01-05"],
        "material": ["mixed", "mixed", "pet", "mixed"],
        "pathway": ["reuse", "recycle", "recycle", "upcycle"],
        "kg": [200.0, 100.0, 1000.0, 100.0],
    })
    monthly = roll_up(entries, factors=operator, freq="month").set_index(["organisation", "period"])
    assert monthly.loc[("A", "2025-01"), "reduction_kg"] == pytest.approx(1650 + 275)
    assert monthly.loc[("A", "2025-01"), "kpi_basic_pct"] == pytest.approx(1.925 / 1.5 * 100)
    assert monthly.loc[("A", "2025-02"), "reduction_kg"] == pytest.approx(2290)
    quarterly = roll_up(entries, factors=operator, freq="quarter").set_index(["organisation", "period"])
    assert quarterly.loc[("A", "2025Q1"), "collected_kg"] == pytest.approx(1300)
    assert quarterly.loc[("B", "2025Q1"), "reduction_kg"] == pytest.approx(687.5)
    assert "kpi_basic_pct" not in quarterly.columns


# ---------------------------------------------------------------- US EPA set (units)
def test_short_ton_conversion_is_explicit():
    # 1 short ton = 907.18474 kg: 1 t/short ton = 1.1023113 kg/kg
    assert t_per_short_ton_to_kg_per_kg(1.0) == pytest.approx(1.1023113, abs=1e-7)
    assert t_per_short_ton_to_kg_per_kg(2.05) == pytest.approx(2.259738, abs=1e-6)


def test_table9_is_read_from_the_pinned_workbook():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = read_table9(catalog.read("epa_ef_hub")).set_index("material")
    assert table.loc["PET"].tolist() == [0.23, 0.02, 2.05]
    assert table.loc["HDPE"].tolist() == [0.21, 0.02, 2.80]
    assert table.loc["Mixed Plastics"].tolist() == [0.22, 0.02, 2.34]
    assert pd.isna(table.loc["PP", "recycled"])  # WARM v15 models no PP recycling
    assert len(table) == 60


def test_epa_set_is_process_only_in_kg_per_kg(epa):
    base = epa.materials.set_index("material")["base_factor"]
    assert base["pet"] == pytest.approx((2.05 - 0.23) / 0.90718474, abs=1e-6)   # 2.006207
    assert base["hdpe"] == pytest.approx((2.80 - 0.21) / 0.90718474, abs=1e-6)  # 2.854986
    assert base["mixed"] == pytest.approx((2.34 - 0.22) / 0.90718474, abs=1e-6)  # 2.336900
    result = summarise_campaign(split("mixed", 200, 500, 300), factors=epa)
    assert result.weighted_factor == 1.0  # WARM has no reuse/upcycling multipliers
    assert result.reduction_kg == pytest.approx(1000 * 2.336900, abs=1e-3)
    assert result.factor_set["name"] == "epa_warm" and result.factor_set["version"] == "2021"


def test_factor_set_names_and_versions():
    assert load_factor_set().id == "operator@2025-12"
    assert load_factor_set("epa_warm@2021").id == "epa_warm@2021"
    with pytest.raises(UnknownFactorSet, match="choose one of: operator, epa_warm"):
        load_factor_set("ipcc")
    with pytest.raises(UnknownFactorSet, match=r"version '2025-12'.*not '1999'"):
        load_factor_set("operator@1999")


# ---------------------------------------------------------------- validation of inputs
def test_bad_entries_name_each_field(operator):
    entries = pd.DataFrame({"material": ["pvc", "pet", "mixed"], "pathway": ["reuse", "landfill", "recycle"],
                            "kg": [1, -5, "heavy"]})
    with pytest.raises(RecyclingInputError) as caught:
        estimate_entries(entries, factors=operator)
    assert caught.value.problems == [
        ("entries[0].material", "'pvc' is not one of pet, hdpe, mixed"),
        ("entries[1].pathway", "'landfill' is not one of reuse, upcycle, recycle"),
        ("entries[1].kg", "-5 is negative"),
        ("entries[2].kg", "'heavy' is not a number of kilograms"),
    ]


def test_aliases_are_accepted(operator):
    entries = pd.DataFrame({"material": ["Toys"], "pathway": ["Upcycling"], "kg": ["100"]})
    assert estimate_entries(entries, factors=operator)["reduction_kg"].tolist() == [687.5]


def test_campaign_period_and_duplicate_names():
    jan1, jan31 = dt.date(2025, 1, 1), dt.date(2025, 1, 31)
    assert validate_campaign(name=" Otter ", start=jan1, end=jan31) == ("Otter", jan1, jan31)
    with pytest.raises(RecyclingInputError) as caught:
        validate_campaign(name="otter", start=jan31, end=jan1, existing_names={"Otter"})
    assert [f for f, _ in caught.value.problems] == ["name", "period"]
    assert "already exists" in str(caught.value) and "ends (2025-01-01) before it starts" in str(caught.value)


# ---------------------------------------------------------------- stated figures vs their parts
def test_the_seed_campaign_example_states_2_15_where_its_split_gives_2_325(operator):
    campaign = StatedFigures(  # seed 003 §7.1, "수달 보호 캠페인"
        total_kg=480, weights_kg={"reuse": 120, "upcycle": 264, "recycle": 96},
        ratios_pct={"reuse": 25, "upcycle": 55, "recycle": 20},
        reductions_kg={"reuse": 990, "upcycle": 1815, "recycle": 264},
        total_reduction_t=3.069, weighted_factor=2.15)
    [found] = check_stated_figures(campaign, factors=operator)
    assert (found.field, found.stated) == ("weighted_factor", 2.15)
    assert found.corrected == pytest.approx(2.325)
    assert "stated 2.15, but 0.25 × 3 + 0.55 × 2.5 + 0.2 × 1 gives 2.325" in found.message()


def test_the_seed_kpi_example_disagrees_with_its_breakdown_and_weights(operator):
    kpi = StatedFigures(  # seed 003 §7.2: breakdown of the 480 kg campaign, weights of the 1,240 kg quarter
        kpi_t=2.8, kpi_breakdown_t={"reuse": 0.99, "upcycle": 1.82, "recycle": 0.26},
        weights_kg={"reuse": 310, "upcycle": 682, "recycle": 248},
        ratios_pct={"reuse": 25, "upcycle": 55, "recycle": 20}, weighted_factor=2.15)
    found = {d.field: d for d in check_stated_figures(kpi, factors=operator)}
    kpi_fixes = sorted(d.corrected for d in check_stated_figures(kpi, factors=operator) if d.field == "kpi_t")
    assert kpi_fixes == pytest.approx([3.07, 7.92825])  # its own breakdown sums to 3.07; its weights give 7.93
    assert found["kpi_breakdown_t.reuse"].corrected == pytest.approx(2.5575)
    assert found["kpi_breakdown_t.upcycle"].corrected == pytest.approx(4.68875)
    assert found["kpi_breakdown_t.recycle"].corrected == pytest.approx(0.682)
    assert found["weighted_factor"].corrected == pytest.approx(2.325)
    assert not any(f.startswith("ratios_pct") for f in found)  # 310/682/248 of 1,240 are 25/55/20


def test_seed_examples_1_and_2_are_consistent(operator):
    example1 = StatedFigures(total_kg=1000, weights_kg={"reuse": 200, "upcycle": 500, "recycle": 300},
                             ratios_pct={"reuse": 20, "upcycle": 50, "recycle": 30},
                             reductions_kg={"reuse": 1650, "upcycle": 3437.5, "recycle": 825},
                             total_reduction_kg=5912.5, total_reduction_t=5.91, weighted_factor=2.15)
    example2 = StatedFigures(total_kg=1240, weights_kg={"reuse": 310, "upcycle": 682, "recycle": 248},
                             ratios_pct={"reuse": 25, "upcycle": 55, "recycle": 20},
                             reductions_kg={"reuse": 2557.5, "upcycle": 4688.75, "recycle": 682},
                             total_reduction_kg=7928.25, total_reduction_t=7.93)
    assert check_stated_figures(example1, factors=operator) == []
    assert check_stated_figures(example2, factors=operator) == []


def test_totals_and_ratios_that_do_not_add_up(operator):
    stated = StatedFigures(total_kg=1000, weights_kg={"reuse": 200, "upcycle": 500, "recycle": 200},
                           ratios_pct={"reuse": 20, "upcycle": 50, "recycle": 20},
                           reductions_kg={"reuse": 1650, "upcycle": 3437.5, "recycle": 550},
                           total_reduction_kg=5912.5)
    found = {(d.field, round(d.corrected, 4)) for d in check_stated_figures(stated, factors=operator)}
    assert ("total_kg", 900) in found                           # 200 + 500 + 200
    assert ("ratios_pct (sum)", 100) in found                   # 20 + 50 + 20 = 90
    assert ("ratios_pct.reuse", round(200 / 900 * 100, 4)) in found
    assert ("total_reduction_kg", 5637.5) in found              # 1650 + 3437.5 + 550
    assert ("reductions_kg.recycle", 550) not in found          # 200 × 2.75 is right
