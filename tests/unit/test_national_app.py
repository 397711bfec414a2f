"""The national-trends store, views and charts on a tiny synthetic mart.national: no database, no browser."""

import io
import re

import pandas as pd
import panel as pn
import pytest
from bokeh.models import Plot as Figure

from tanso.emissions.national_format import csv_text, gap_display, gap_rows, unit_slug
from tanso.emissions.national_view import (
    NationalData,
    ScenarioInputError,
    parse_rates,
    series_frame,
    trend_lines,
)
from tanso.emissions.targets import Target
from tanso.ui.national.app import NationalTrendsApp, build
from tanso.ui.national.charts import TrendFigure, y_bounds
from tanso.ui.national.downloads import FILENAMES, gap_csv, ranking_csv, scenario_csv, trend_csv
from tanso.ui.national.store import CodeList, NationalStore, YearRange
from tanso.ui.national.translate import caveat_text, target_name
from tests.visible import visible_text


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
def store(data) -> NationalStore:
    return NationalStore(data=data)


def test_url_codecs_read_and_write_plain_values(store):
    assert CodeList.serialize(["KOR", "JPN"]) == "KOR,JPN"
    assert CodeList.deserialize("kor, JPN") == ["KOR", "JPN"]
    assert YearRange.serialize((1990, 2023)) == "1990-2023"
    assert YearRange.deserialize("1990-2023") == (1990, 2023)
    assert YearRange.deserialize("nonsense") == "nonsense"  # left for param to reject
    with pytest.raises(ValueError, match="comes after"):
        store.selection.years = (2020, 2010)


def test_defaults_are_korea_over_the_data_years(store):
    assert store.codes == ["KOR"]
    assert store.selection.years == (2000, 2023)
    assert store.ranking.year == 2023
    assert store.source() == "Source: OWID CO₂ & GHG 2025-05; GCB 2025; Tanso targets 2026-11"


def test_unknown_codes_are_reported_and_ignored(store):
    store.selection.countries = ["KOR", "XXX"]
    assert store.codes == ["KOR"] and store.unknown == ["XXX"]
    store.selection.countries = ["XXX"]  # nothing usable: the defaults are kept
    assert store.codes == ["KOR"]


def test_bad_link_values_are_collected_as_link_text_not_raised(store):
    store.url_error_handler("selection")({"indicator": "nope", "scale": "log", "years": (2030, 2010)})
    store.url_error_handler("ranking")({"top": 999})
    store.url_error_handler("scenario")({"rates": 150, "country": "<img src=x>"})
    assert store.selection.scale == "log" and store.selection.indicator == "total_ghg"
    assert store.scenario.rates == "150"
    assert store.url_problems == ["indicator=nope", "years=2030–2010", "top=999", "sc_country=<img src=x>"]
    store.url_error_handler("ranking")({"top": 999})  # reported once
    assert store.url_problems.count("top=999") == 1


def test_relative_mode_is_percent_change_from_first_year(store, data):
    store.selection.param.update(countries=["KOR"], mode="relative", years=(2015, 2023))
    frame = store.chart_frame()
    assert frame["value"].iloc[0] == 0
    assert frame["value"].iloc[-1] == pytest.approx((0.95 - 1) * 100)
    assert series_frame(data, ["KOR"], "total_ghg", years=(1800, 1900)).empty


def test_pathway_is_the_gap_analysis_pathway_from_the_stated_base(store):
    marks, paths = store.chart_targets()
    assert marks["value"].tolist() == [436.6]
    assert paths["year"].tolist() == [2018, 2030, 2050]
    assert paths["value"].tolist() == [727.6, 436.6, 0.0]  # stated base, not back-computed or the data's
    store.selection.indicator = "co2_per_capita"
    assert store.chart_targets()[0].empty


def test_gap_rows_are_numbers_with_units_in_the_names(store):
    rows = gap_rows(store.gaps(), store.data)
    assert rows["basis"].tolist()[:2] == ["stated", "rebased"]
    stated = rows.iloc[0]
    assert stated["latest_year"] == 2023 and stated["latest_value_mt"] == pytest.approx(700 * 0.95)
    assert stated["target_value_mt"] == 436.6 and stated["on_track"] in (True, False)
    assert rows.iloc[2]["note"].startswith("not a level target")
    shown, caveats = gap_display(store.gaps(), store.data, "en")
    assert shown["basis"].tolist()[:2] == ["As stated", "Stated % on data's 2018 value"]
    assert shown["latest"].iloc[0] == "665.0 (2023)"
    assert any("differs from this data" in c for c in caveats)


def test_the_required_change_to_zero_is_in_mt_per_year_in_the_pages_language(store):
    store.gap.param.update(custom_reduction_pct=100, custom_base_year=2018, custom_target_year=2050)
    rows = {lang: gap_display(store.gaps(), store.data, lang)[0].iloc[-1] for lang in ("en", "ko")}
    assert rows["en"]["target_level"] == "0.0 (2050)"   # no constant % rate reaches zero: the change per year
    assert rows["en"]["required_rate"] == "-24.6 Mt/yr" and rows["ko"]["required_rate"] == "-24.6 Mt/년"


def test_custom_target_errors_belong_to_their_fields(store):
    store.selection.countries = ["JPN"]
    store.gap.param.update(custom_reduction_pct=150, custom_base_year=2030, custom_target_year=2030)
    errors = store.custom_target_errors()
    assert set(errors) == {"custom_reduction_pct", "custom_target_year"}
    assert "between 0 and 100" in errors["custom_reduction_pct"]
    assert store.gaps().empty  # an invalid custom target is left out, not half-applied
    store.gap.param.update(custom_reduction_pct=30, custom_base_year=2018)
    assert not store.custom_target_errors() and store.gaps()["country"].tolist() == ["JPN"]


def test_one_countrys_series_by_year(data):
    series = data.series("JPN", "total_ghg")
    assert list(series.index[[0, -1]]) == [2000, 2023]
    assert series[2000] == 1300.0 and series[2023] == 1300.0 * (1 - 0.01 * 5)
    assert data.series("XXX", "total_ghg") is None and data.series("JPN", "no_such_column") is None


def test_scenario_result_is_typed(store):
    assert parse_rates("2024-2030: 3; 2031-2050: 7", first_year=2024, until=2050) == [
        (2024, 2030, 3.0), (2031, 2050, 7.0)]
    for bad in ("150", "-3", "2024-2030: 3; 2032-2050: 7", "fast"):
        with pytest.raises(ScenarioInputError):
            parse_rates(bad, first_year=2024, until=2050)
    store.scenario.rates = "10"
    result = store.scenario_result()
    assert (result.start_year, result.end_year, result.latest_year) == (2024, 2050, 2023)
    (ndc,) = result.targets
    # 665 Mt × 0.9^n ≤ 436.6 Mt first at n = 4 (436.3 Mt): 2027
    assert (ndc.name, ndc.target_year, ndc.level_mt, ndc.year_met) == ("2030 NDC", 2030, 436.6, 2027)
    assert result.frame().columns.tolist() == ["year", "scenario", "straight_line"]
    store.scenario.rates = "120"
    with pytest.raises(ValueError, match="between 0 and 100"):
        store.scenario_result()


def test_ranking_is_sorted_and_limited_by_kind(store):
    store.ranking.param.update(year=2023, top=3)
    assert store.ranking_frame()["country_code"].tolist() == ["JPN", "KOR"]
    store.ranking.kind = "region"
    assert store.ranking_frame()["country_code"].tolist() == ["OWID_ASIA"]


def test_csvs_hold_numbers_units_context_and_a_descriptive_name(store):
    store.selection.countries = ["KOR", "JPN"]
    trend = pd.read_csv(io.StringIO(csv_text(trend_csv(store))))
    assert trend.columns.tolist() == ["country_code", "country", "indicator", "year", "value_mt_co2e", "source"]
    assert trend["value_mt_co2e"].dtype == float and set(trend["indicator"]) == {"total_ghg"}
    assert FILENAMES[trend_csv](store) == "tanso_total_ghg_KOR-JPN_2000-2023.csv"
    gap = pd.read_csv(io.StringIO(csv_text(gap_csv(store))))
    assert gap["latest_value_mt"].dtype == float and gap["window_years"].iloc[0] == 5
    assert not gap.astype(str).apply(lambda c: c.str.contains("–| Mt|,\\d{3}")).any().any()
    scenario = pd.read_csv(io.StringIO(csv_text(scenario_csv(store))))
    assert {"country_code", "metric", "year", "scenario_mt_co2e", "straight_line_mt_co2e"} <= set(scenario.columns)
    ranking = pd.read_csv(io.StringIO(csv_text(ranking_csv(store))))
    assert ranking["year"].tolist() == [2023, 2023] and "value_mt_co2e" in ranking.columns
    assert unit_slug("t CO₂/person") == "t_co2_per_person" and unit_slug("%") == "pct"


def test_y_range_follows_the_data():
    assert y_bounds([10, 20]) == (0.0, 21.0)                   # levels start at zero
    low, high = y_bounds([-38.2, 5.0], from_zero=False)        # relative change: negatives shown
    assert low < -38.2 and high > 5.0
    assert y_bounds([0.5, 100], logy=True) == (0.4, 125.0)


def test_trend_chart_reuses_its_models_and_its_legend_lists_what_is_drawn(store):
    """A change assigns data, labels and visibility to pooled renderers and legend items: no new model
    (Bokeh would walk the whole page after it), and hidden lines leave the legend."""
    sel = store.selection
    sel.countries = ["KOR", "JPN"]
    chart = TrendFigure(source=store.source())

    def draw(trend: bool):
        tidy = store.chart_frame()
        chart.update(tidy, order=store.codes, unit="Mt", ylabel="y", title="t", source="s",
                     trends=trend_lines(tidy) if trend else None)
        return {m.id for m in chart.figure.references()}, [
            item.label.value for item in chart.legend.items if item.visible]

    models, legend = draw(trend=True)
    assert legend[:2] == ["South Korea", "Japan"] and [label.split(" trend")[0] for label in legend[2:]] == [
        "South Korea", "Japan"]
    for indicator in ("co2", "co2_per_capita", "total_ghg"):
        sel.indicator = indicator
        assert draw(trend=True)[0] == models
    assert draw(trend=False) == (models, ["South Korea", "Japan"])
    assert len(chart.hover.renderers) == 3  # entity lines and targets; trend lines are not hovered
    sel.countries = ["KOR", "JPN", "OWID_WRL"]
    grown, legend = draw(trend=False)
    assert legend == ["South Korea", "Japan", "World"] and grown > models


def test_korean_names_targets_and_caveats(data):
    store = NationalStore(data=data, lang="ko")
    assert store.label("KOR") == "대한민국" and store.label("OWID_WRL") == "세계"
    assert target_name("Net zero 2050", "ko") == "2050년 넷제로"
    assert target_name("2030 NDC conditional", "ko") == "2030 NDC(조건부)"
    assert caveat_text("Already at or below the target level in 2023.", "ko") == "2023년에 이미 목표 수준 이하입니다."
    assert caveat_text("Something new.", "ko") == "Something new."


def _figures(root) -> int:
    return sum(isinstance(m, Figure) for m in root.references())


def test_every_tab_renders_updates_in_place_and_shares_no_axis(store):
    app = NationalTrendsApp(store=store)
    root = pn.Row(*app.sidebar(), app).get_root()
    for tab in ("gap", "scenario", "ranking", "trends"):
        store.tab = tab
    store.tab = "scenario"
    figures, models = _figures(root), len(root.references())
    for rate in range(1, 13):
        store.scenario.rates = str(rate)
    assert _figures(root) == figures and len(root.references()) <= models + 5
    ranges = {}
    for m in root.references():
        if isinstance(m, Figure):
            for r in (m.x_range, m.y_range):
                ranges.setdefault(r.id, []).append(m.id)
    assert all(len(owners) == 1 for owners in ranges.values())  # no two charts share an axis


def test_messages_for_empty_selection_log_scale_and_bad_rates(store):
    app = NationalTrendsApp(store=store)
    root = pn.Row(*app.sidebar(), app).get_root()

    def texts() -> str:  # what the user sees, not hidden panes
        return visible_text(root)

    store.selection.countries = []
    assert "Select at least one country" in texts()
    store.selection.param.update(countries=["KOR"], scale="log", indicator="land_use_change_co2")
    assert "Log scale" in texts()
    store.tab = "scenario"
    store.scenario.rates = "150"
    assert "between 0 and 100" in texts()
    assert "Log scale" not in texts()  # the trends tab's note is no longer on screen


def test_build_sets_sub_states(data):
    store, app = build(data, "en", selection={"countries": ["JPN"]}, tab="ranking")
    assert store.codes == ["JPN"] and store.tab == "ranking" and isinstance(app, NationalTrendsApp)


def test_country_chips_follow_the_selection_order_however_it_was_set(store):
    from bokeh.models import MultiChoice

    app = NationalTrendsApp(store=store)
    root = pn.Row(*app.sidebar(), app).get_root()
    model = next(m for m in root.references() if isinstance(m, MultiChoice))
    store.selection.countries = ["JPN", "KOR"]  # from a link or the map: BokehJS draws chips in options order
    assert model.value == ["Japan (JPN)", "South Korea (KOR)"]
    assert model.options[:2] == model.value


def test_gap_table_shows_what_a_reader_came_for_and_the_rest_on_demand(store):
    from tanso.ui.national.gap import GapView

    store.selection.countries = ["KOR"]
    view = GapView(store=store)
    pn.Column(view).get_root()
    store.tab = "gap"
    table = str(view._table.object)
    rows = table.count("<tr") - 1  # less the header
    assert view._table.visible and rows >= 2 and "2030 NDC" in table
    head = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert head[:3] == ["Country", "Target", "Status"] and "Latest, Mt (year)" in head and len(head) == 9
    assert re.search(r'<td class="head (on|off)-track"><span class="label">Status</span>(on|off) track</td>', table)
    assert '<td align="right"><span class="label">Latest, Mt (year)</span>' in table  # labelled for phones
    assert 'class="more"' not in table
    view._all.value = True  # the other columns, as "title value" pairs under each row
    table = str(view._table.object)
    assert table.count('<tr class="more">') == rows and "Margin, Mt" in table and "Trend, Mt/yr" in table
    store.selection.countries = []
    assert not view._table.visible
