"""The national-trends store and views on a tiny synthetic mart.national: no database, no browser."""

import pandas as pd
import panel as pn
import pytest

from tanso.emissions.national_view import (
    NationalData,
    ScenarioInputError,
    parse_rates,
    series_frame,
)
from tanso.emissions.targets import Target
from tanso.ui.national_trends import (
    CodeList,
    NationalTrendsApp,
    NationalTrendsStore,
    YearRange,
    gap_display,
)


def _frame() -> pd.DataFrame:
    rows = []
    for code, name, kind, start in [("KOR", "South Korea", "country", 700.0), ("JPN", "Japan", "country", 1300.0),
                                    ("OWID_WRL", "World", "world", 50000.0),
                                    ("OWID_ASIA", "Asia", "region", 20000.0)]:
        for i, year in enumerate(range(2000, 2024)):
            value = start * (1 - 0.01 * max(0, i - 18))
            rows.append({"country_code": code, "country": name, "kind": kind, "year": year,
                         "total_ghg": value, "co2": value * 0.9, "co2_gcb": value * 0.9,
                         "co2_per_capita": value / 50, "land_use_change_co2": -5.0 + i * 0.1,
                         "total_ghg_excluding_lucf": value, "consumption_co2": value})
    return pd.DataFrame(rows).sort_values(["country_code", "year"], ignore_index=True)


KOR_NDC = Target(country_code="KOR", country_name="South Korea", name="2030 NDC", metric="total_ghg",
                 target_type="absolute_vs_base", target_year=2030, base_year=2018, base_value=727.6,
                 reduction_pct=40, target_value=436.6, net_zero_year=2050)
KOR_BAU = Target(country_code="KOR", country_name="South Korea", name="BAU", metric="total_ghg",
                 target_type="vs_bau", target_year=2030, reduction_pct=30)


@pytest.fixture
def data() -> NationalData:
    return NationalData(_frame(), (KOR_NDC, KOR_BAU), {"owid_co2": "2025-05", "gcb_co2": "2025",
                                                       "targets": "2026-11"})


@pytest.fixture
def store(data) -> NationalTrendsStore:
    return NationalTrendsStore(data=data)


def test_url_codecs_read_and_write_plain_values():
    assert CodeList.serialize(["KOR", "JPN"]) == "KOR,JPN"
    assert CodeList.deserialize("kor, JPN") == ["KOR", "JPN"]
    assert YearRange.serialize((1990, 2023)) == "1990-2023"
    assert YearRange.deserialize("1990-2023") == (1990, 2023)
    assert YearRange.deserialize("nonsense") == "nonsense"  # left for param to reject


def test_defaults_are_korea_and_world_over_the_data_years(store):
    assert store.codes == ["KOR", "OWID_WRL"]
    assert store.years == (2000, 2023)
    assert store.source() == "Source: OWID CO₂ & GHG 2025-05; GCB 2025; Tanso targets 2026-11"


def test_unknown_codes_are_reported_and_ignored(store):
    store.countries = ["KOR", "XXX"]
    assert store.codes == ["KOR"] and store.unknown == ["XXX"]
    store.countries = ["XXX"]  # nothing usable: the defaults are kept
    assert store.codes == ["KOR", "OWID_WRL"]


def test_bad_link_values_are_collected_not_raised(store):
    store.apply_url_values({"indicator": "nope", "scale": "log", "rank_top": 999, "years": "abc",
                            "scenario_rates": 150})
    assert store.scale == "log" and store.indicator == "total_ghg" and store.scenario_rates == "150"
    assert {"indicator=nope", "top=999", "years=abc"} <= set(store.url_problems)


def test_relative_mode_is_percent_change_from_first_year(store, data):
    store.countries, store.mode, store.years = ["KOR"], "relative", (2015, 2023)
    frame = store.chart_frame()
    assert frame["value"].iloc[0] == 0
    assert frame["value"].iloc[-1] == pytest.approx((0.95 - 1) * 100)
    assert series_frame(data, ["KOR"], "total_ghg", years=(1800, 1900)).empty


def test_targets_and_pathways_only_on_the_targets_metric(store):
    store.countries = ["KOR"]
    marks, paths = store.chart_targets()
    assert marks["value"].tolist() == [436.6]
    assert paths["year"].tolist() == [2018, 2030, 2050]
    store.indicator = "co2_per_capita"
    assert store.chart_targets()[0].empty


def test_gap_rows_show_stated_and_rebased_measures_and_non_level_targets(store):
    store.countries = ["KOR"]
    frame, message = store.gaps()
    assert message is None and len(frame) == 2
    shown, caveats = gap_display(frame, store.data, "en")
    assert shown["basis"].tolist()[:2] == ["Target as stated", "Stated % on this data's 2018 value"]
    assert "not a level target" in shown["status"].iloc[2]
    assert any("differs from this data" in c for c in caveats)


def test_custom_target_outside_0_100_is_a_message(store):
    store.countries = ["JPN"]
    store.custom_reduction_pct = 150
    frame, message = store.gaps()
    assert "between 0 and 100" in message and frame.empty
    store.custom_reduction_pct = 30
    frame, message = store.gaps()
    assert message is None and frame["country"].tolist() == ["JPN"]


def test_rates_text_and_scenario(store):
    assert parse_rates("4", first_year=2024, until=2050) == 4.0
    assert parse_rates("2024-2030: 3; 2031-2050: 7", first_year=2024, until=2050) == [
        (2024, 2030, 3.0), (2031, 2050, 7.0)]
    for bad in ("150", "-3", "2024-2030: 3; 2032-2050: 7", "fast"):
        with pytest.raises(ScenarioInputError):
            parse_rates(bad, first_year=2024, until=2050)
    store.scenario_rates = "2024-2030: 3; 2031-2050: 7"
    result = store.scenario()
    assert result["summary"]["start_year"] == 2024 and result["projection"]["year"].iloc[-1] == 2050
    store.scenario_rates = "120"
    with pytest.raises(ValueError, match="between 0 and 100"):
        store.scenario()


def test_ranking_is_sorted_and_limited_by_kind(store):
    store.rank_year, store.rank_top = 2023, 3
    assert store.ranking_frame()["country_code"].tolist() == ["JPN", "KOR"]
    store.rank_kind = "region"
    assert store.ranking_frame()["country_code"].tolist() == ["OWID_ASIA"]


def _texts(model) -> str:
    """Text a user can see: hidden models and the inactive tabs' panels are left out."""
    from bokeh.model import Model

    if not getattr(model, "visible", True):
        return ""
    if type(model).__name__ == "Tabs":
        children = [model.tabs[model.active].child] if model.tabs else []
    else:
        children = []
        for name in model.properties_with_refs():
            value = getattr(model, name)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                children += [c for c in (item if isinstance(item, tuple) else (item,))
                             if isinstance(c, Model)]
    return " ".join([str(getattr(model, "text", "") or ""), *(_texts(c) for c in children)])


def test_every_tab_renders_and_bad_input_becomes_a_message(store):
    app = NationalTrendsApp(store=store)
    root = pn.Row(*app.sidebar(), app).get_root()
    for tab in ("gap", "scenario", "ranking", "trends"):
        store.tab = tab
    store.countries = []
    assert "Select at least one country" in _texts(root)
    store.countries, store.years = ["KOR"], (2000, 2001)
    store.indicator = "consumption_co2"
    store.years = (2000, 2023)
    store.scale = "log"
    store.indicator = "land_use_change_co2"  # negative values: dropped on a log axis, with a note
    assert "Log scale" in _texts(root)
    store.tab, store.scenario_rates = "scenario", "150"
    assert "between 0 and 100" in _texts(root)
