"""The sector app's store and charts without a browser: derived frames, refusals, negative stacking."""

import math

import numpy as np
import pandas as pd
import panel as pn
import pytest

from tanso.ui import safe
from tanso.ui.sectors import charts, views
from tanso.ui.sectors import store as store_module
from tanso.ui.sectors.store import SectorData, SectorStore


def sector_rows(source, taxonomy, code, country, values):
    rows = []
    for (year, sector, in_gross, position), value in values.items():
        rows.append({"source": source, "taxonomy": taxonomy, "country_code": code, "country": country,
                     "year": year, "sector": sector, "position": position, "name_en": sector.title(),
                     "name_ko": sector, "in_gross_total": in_gross, "in_net_total": sector != "bunker_fuels",
                     "value_mt": value})
    return rows


GIR = {(2018, "energy", True, 1): 80.0, (2018, "waste", True, 4): 20.0, (2018, "lulucf", False, 5): -10.0,
       (2022, "energy", True, 1): 70.0, (2022, "waste", True, 4): 25.0, (2022, "lulucf", False, 5): -12.0}
CW = {(2018, "electricity_heat", True, 1): 60.0, (2018, "lulucf", False, 10): -5.0,
      (2018, "bunker_fuels", False, 11): 9.0, (2022, "electricity_heat", True, 1): 50.0,
      (2022, "lulucf", False, 10): -6.0, (2022, "bunker_fuels", False, 11): 9.5}


@pytest.fixture
def store():
    emissions = pd.DataFrame(sector_rows("gir", "gir", "KOR", "South Korea", GIR)
                             + sector_rows("climatewatch", "climatewatch", "KOR", "South Korea", CW)
                             + sector_rows("climatewatch", "climatewatch", "DEU", "Germany", CW))
    tree = pd.DataFrame({"code": ["1", "1.A", "5"], "parent_code": [None, "1", None], "level": [1, 2, 1],
                         "position": [1, 2, 3], "name_ko": ["에너지", "연료연소", "폐기물"],
                         "name_en": ["Energy", "Fuel combustion", "Waste"],
                         "field": ["energy", "energy", "waste"], "is_leaf": [False, True, True],
                         "climatewatch_sector": [None, "electricity_heat", "waste"], "year": [2022] * 3,
                         "value_mt": [70.0, 70.0, 25.0]})
    kaya = pd.DataFrame({"country_code": ["KOR"] * 2, "country": ["South Korea"] * 2, "kind": ["country"] * 2,
                         "year": [2018, 2022], "population": [10.0, 11.0], "gdp": [100.0, 121.0],
                         "primary_energy_consumption": [50.0, 55.0], "co2": [40.0, 44.0],
                         "total_ghg": [88.0, 85.0], "total_ghg_excluding_lucf": [99.0, 96.0]})
    data = SectorData(emissions=emissions, tree=tree, kaya=kaya,
                      versions={"gir_inventory": "2024", "owid_co2": "2025-05"})
    return SectorStore(data=data, lang="en")


def test_levels_share_is_of_the_gross_total_and_bunkers_are_left_out(store):
    levels = store.levels().set_index(["year", "sector"])
    assert levels.loc[(2022, "waste"), "share_pct"] == pytest.approx(25 / 95 * 100)
    assert levels.loc[(2018, "lulucf"), "share_pct"] == -10.0
    store.source = "climatewatch"
    assert "bunker_fuels" not in set(store.levels()["sector"])


def test_contributions_and_decomposition_follow_the_selection(store):
    result = store.contributions()
    assert (result.total_from, result.total_to, result.total_change) == (100.0, 95.0, -5.0)
    assert store.decomposition().effects == pytest.approx(
        {"population": 4, "affluence": 4, "energy_intensity": -4, "carbon_intensity": 0})
    trends = store.factor_trends().set_index(["year", "factor"])["index"]
    assert trends[(2018, "co2")] == 100 and trends[(2022, "co2")] == pytest.approx(110)


def test_other_countries_use_climate_watch_and_problems_are_plain_sentences(store):
    store.country = "DEU"
    assert store.effective_source == "climatewatch" and store.problem() is None
    store.country = "XXX"
    assert store.problem() == "Unknown country code XXX: no sector data for it."
    store.country, store.year_from, store.year_to = "KOR", 2022, 2018
    assert "must be before" in store.problem()
    store.year_from, store.year_to = 2010, 2022
    assert store.problem() == "No data for 2010: this source covers 2018–2022."


def test_bad_link_values_are_collected_not_raised(store):
    store.apply_url_values({"mode": "pie", "year_to": 2020})
    assert store.url_problems == ["view=pie"] and store.year_to == 2020


def test_captions_name_source_and_version(store):
    assert store.source_caption("sectors") == "Source: GIR national inventory 2024"
    store.taxonomy = "climatewatch"
    assert "Tanso sector mapping ?" in store.source_caption("sectors")
    store.lang = "ko"
    assert store.source_caption("kaya") == "자료: OWID CO2·온실가스 2025-05"  # dataset names translated too


def test_stacked_area_puts_negative_parts_below_zero():
    levels = pd.DataFrame({"year": [2018, 2018, 2022, 2022], "sector": ["energy", "lulucf"] * 2,
                           "value_mt": [80.0, -10.0, 70.0, -12.0]})
    order = [("energy", "Energy"), ("lulucf", "LULUCF")]
    fig = charts.stacked_area(charts.stack_columns(levels, value="value_mt", order=order), order=order,
                              title="t", y_label="Mt", source="Source: test", year_label="연도")
    data = {r.name: r.data_source.data for r in fig.renderers if r.name}
    assert list(data["energy"]["up_lo"]) == [0, 0] and list(data["energy"]["up_hi"]) == [80, 70]
    assert list(data["lulucf"]["dn_lo"]) == [-10, -12] and list(data["lulucf"]["dn_hi"]) == [0, 0]
    assert list(data["lulucf"]["up_hi"]) == list(data["lulucf"]["up_lo"])  # nothing of the sink above zero
    # redrawn for another country: the same figure, new data
    doubled = charts.stack_columns(levels.assign(value_mt=levels["value_mt"] * 2), value="value_mt", order=order)
    again = charts.stacked_area(doubled, order=order, title="t2",
                                y_label="Mt", source="Source: test", year_label="연도", fig=fig)
    assert again is fig and fig.title.text == "t2"
    assert list(fig.select_one({"name": "energy"}).data_source.data["up_hi"]) == [160, 140]
    assert any(getattr(t, "text", "") == "Source: test" for t in fig.below)


def test_a_missing_sector_value_is_a_gap_in_the_stack_never_zero():
    # waste has no value in 2019 (NaN) and agriculture no row in 2020: neither is drawn as 0
    levels = pd.DataFrame({"year": [2018, 2018, 2018, 2019, 2019, 2019, 2020, 2020],
                           "sector": ["energy", "waste", "agriculture"] * 2 + ["energy", "waste"],
                           "value_mt": [80.0, 10.0, 5.0, 70.0, np.nan, 6.0, 60.0, 8.0]})
    order = [("energy", "Energy"), ("waste", "Waste"), ("agriculture", "Agriculture")]
    columns = charts.stack_columns(levels, value="value_mt", order=order)
    waste, agriculture = columns["waste"], columns["agriculture"]
    assert np.isnan(waste["up_lo"][1]) and np.isnan(waste["up_hi"][1]) and np.isnan(waste["y"][1])
    assert np.isnan(waste["value"][1])
    assert list(waste["up_hi"][[0, 2]]) == [90, 68]
    assert np.isnan(agriculture["up_hi"][2]) and np.isnan(agriculture["value"][2])
    # the sector above stacks on the values there are
    assert list(agriculture["up_lo"][:2]) == [90, 70] and list(agriculture["up_hi"][:2]) == [95, 76]
    assert charts.missing_values(levels, value="value_mt", order=order) == [("Waste", 2019), ("Agriculture", 2020)]
    fig = charts.stacked_area(columns, order=order, title="t", y_label="Mt", source="s", year_label="Year")
    outline = fig.select_one({"name": "waste:up"}).data_source.data
    # two polygons (2018 alone, 2020 alone) separated by NaN: nothing spans the missing 2019
    assert 2019 not in list(outline["x"]) and np.isnan(outline["x"]).sum() == 1
    assert np.isnan(fig.select_one({"name": "waste"}).data_source.data["y"][1])  # no point to hover


def test_missing_years_are_named_as_runs():
    assert views.year_spans([1995, 1990, 1991, 1992]) == "1990–1992, 1995"
    assert views.group_years([("Waste", 2019), ("Energy", 2001), ("Waste", 2020)]) == {
        "Waste": [2019, 2020], "Energy": [2001]}


def test_waterfall_bars_bridge_the_totals():
    contrib = pd.DataFrame({"label": ["Energy", "Waste", "LULUCF"], "change": [-10.0, 5.0, -2.0],
                            "in_total": [True, True, False]})
    fig = charts.waterfall(contrib, total_from=100.0, total_to=95.0, start_label="2018", end_label="2022",
                           title="t", source="s", y_label="Mt")
    data = fig.renderers[0].data_source.data
    assert list(data["x"]) == ["2018", "Energy", "Waste", "2022"]
    assert list(data["bottom"]) == [0, 90, 90, 0] and list(data["top"]) == [100, 100, 95, 95]


def test_every_tab_renders(store):
    store.compare = ["KOR", "DEU"]
    for name, view in views.VIEWS.items():
        store.tab = name
        rendered = view(store=store)
        pn.panel(rendered).get_root()
        assert not rendered._alert.visible, (name, rendered._alert.object)
    store.country = "XXX"
    store.tab = "levels"
    broken = views.LevelsView(store=store)
    pn.panel(broken).get_root()
    assert broken._alert.visible and "XXX" in broken._alert.object


def test_sunburst_wedges_span_the_values_and_redraw_in_place(store):
    wedges = charts.sunburst_wedges(store.tree())
    assert wedges.attrs["total"] == 95.0
    by_code = wedges.set_index("code")
    assert by_code.loc["1", "start"] == pytest.approx(math.pi / 2)
    assert by_code.loc["1", "end"] - by_code.loc["1", "start"] == pytest.approx(2 * math.pi * 70 / 95)
    assert by_code.loc["1.A", "start"] == by_code.loc["1", "start"]  # the only child fills its parent
    assert by_code.loc["1.A", "end"] == by_code.loc["1", "end"]
    assert by_code.loc["5", "share"] == pytest.approx(25 / 95 * 100)
    fig = charts.sunburst(wedges, title="2022", source="s", unit="Mt")
    half = wedges.assign(value=wedges["value"] / 2)
    half.attrs["total"] = 47.5
    assert charts.sunburst(half, title="2000", source="s", unit="Mt", fig=fig) is fig
    assert fig.title.text == "2000" and list(fig.select_one({"name": "total"}).data_source.data["text"]) == ["48"]


def test_effect_bars_and_share_bars_redraw_in_place():
    labels = {"population": "Population", "affluence": "GDP per person"}
    fig = charts.effect_bars({"population": 4.0, "affluence": -1.0}, labels=labels, total_label="Total",
                             title="a", source="s", y_label="Mt")
    assert list(fig.renderers[0].data_source.data["value"]) == [4.0, -1.0, 3.0]
    again = charts.effect_bars({"population": 1.0, "affluence": 2.0}, labels=labels, total_label="Total",
                               title="b", source="s", y_label="Mt", fig=fig)
    assert again is fig and list(fig.renderers[0].data_source.data["value"]) == [1.0, 2.0, 3.0]
    shares = pd.DataFrame({"country_code": ["KOR", "KOR", "DEU"], "sector": ["energy", "lulucf", "energy"],
                           "share_pct": [110.0, -10.0, 100.0]})
    order = [("energy", "Energy"), ("lulucf", "LULUCF")]
    countries = [("KOR", "Korea"), ("DEU", "Germany")]
    fig = charts.share_bars(charts.share_columns(shares, order=order, countries=countries), order=order,
                            countries=countries, title="t", source="s", x_label="%")
    lulucf = fig.select_one({"name": "lulucf"}).data_source.data
    assert list(lulucf["y"]) == ["Germany", "Korea"]  # the first country on top
    assert (lulucf["left"][1], lulucf["right"][1]) == (-10, 0)  # Korea's sink left of zero
    assert lulucf["left"][0] == lulucf["right"][0]  # Germany has none: no width
    one = [("DEU", "Germany")]
    assert charts.share_bars(charts.share_columns(shares, order=order, countries=one), order=order,
                             countries=one, title="t", source="s", x_label="%", fig=fig) is fig
    assert list(fig.y_range.factors) == ["Germany"]


def test_tabs_update_their_figures_and_switch_panes_by_shape(store):
    store.compare = ["KOR", "DEU"]
    store.tab = "compare"
    compare = views.CompareView(store=store)
    pn.panel(compare).get_root()
    (first,) = compare._slots[0].panes.values()
    store.compare = ["DEU"]
    assert list(compare._slots[0].panes.values()) == [first]
    assert list(first.object.y_range.factors) == ["Germany"]

    store.tab = "levels"
    levels = views.LevelsView(store=store)
    pn.panel(levels).get_root()
    slot = levels._slots[0]
    (korea_shape, korea), = slot.panes.items()
    store.country = "DEU"  # other sectors: a second pane, the first hidden, not rebuilt
    assert len(slot.panes) == 2 and not slot.shown(korea_shape)
    figure = korea.object
    store.country = "KOR"
    assert slot.shown(korea_shape) and korea.object is figure


def test_waterfall_table_is_escaped_text_and_follows_the_years(store):
    assert "&lt;script&gt;" in safe.table(["<b>x</b>"], [("<script>",)])
    assert "<b>" not in safe.table(["<b>x</b>"], [("<script>",)])
    store.tab = "waterfall"
    view = views.WaterfallView(store=store)
    pn.panel(view).get_root()
    table = view._table.object
    assert '<th align="right">2018</th>' in table and '<td align="right">+5.00</td>' in table  # waste 20 → 25
    assert '<td align="right">200.00</td>' in table  # energy: −10 of the total −5


def without_waste_2022(store) -> None:
    """The store's data with Korea's (GIR) waste value of 2022 missing."""
    rows = store.data.emissions
    waste_2022 = (rows["source"] == "gir") & (rows["sector"] == "waste") & (rows["year"] == 2022)
    store.data = SectorData(emissions=rows.assign(value_mt=rows["value_mt"].mask(waste_2022)),
                            tree=store.data.tree, kaya=store.data.kaya, versions=store.data.versions)


def test_waterfall_table_shows_a_missing_value_as_a_dash_and_names_it(store):
    without_waste_2022(store)
    store.tab = "waterfall"
    view = views.WaterfallView(store=store)
    pn.panel(view).get_root()
    table = view._table.object
    assert '<td align="right">20.00</td><td align="right">–</td><td align="right">–</td>' in table
    assert '<td align="right">0.00</td>' not in table and "nan" not in table
    assert view._alert.visible and "No value for Waste 2022" in view._alert.object
    assert "<td align=\"right\">100.00</td>" in table  # energy: −10 of the total −10 (waste left out)


def test_derived_frames_are_cached_per_selection_and_bounded(store, monkeypatch):
    first = store.contributions()
    assert store.contributions() is first
    store.year_from = 2010
    store.year_from = 2018
    assert store.contributions() is first  # back to a period already seen
    monkeypatch.setattr(store_module, "DERIVED_KEPT", 2)
    for key in range(5):
        store.data.cached(("test", key), lambda: object())
    assert len(store.data._derived) == 2


def test_a_sector_without_a_value_keeps_the_kaya_charts_and_says_why(store):
    without_waste_2022(store)
    store.tab = "decompose"
    view = views.DecomposeView(store=store)
    pn.panel(view).get_root()
    assert view._alert.visible and view._alert.object == "waste has no value for KOR in 2022"
    assert view._slots[0].layout.visible and not view._slots[2].layout.visible
    assert list(view.csv()["decomposition"].unique()) == ["kaya_co2"]


def test_compare_box_keeps_the_order_of_the_link(store):
    store.compare = ["KOR", "DEU"]  # against the box's name order (Germany before South Korea)
    store.tab = "compare"
    panel = pn.panel(views.CompareView(store=store))
    panel.get_root()
    (box,) = panel.select(pn.widgets.MultiChoice)
    assert box.value == ["KOR", "DEU"]
    assert list(box.options.values()) == ["KOR", "DEU"]  # the box shows its chosen items in options order
    store.compare = ["DEU", "KOR"]
    panel = pn.panel(views.CompareView(store=store))
    panel.get_root()
    (box,) = panel.select(pn.widgets.MultiChoice)
    assert list(box.options.values()) == ["DEU", "KOR"]


def test_korean_page_says_year_and_dataset_names_in_korean(store):
    store.lang = "ko"
    assert store.source_caption("sectors_gdp") == "자료: GIR 국가 온실가스 인벤토리 2024 · OWID CO2·온실가스 2025-05"
    view = views.LevelsView(store=store)
    pn.panel(view).get_root()
    (pane,) = view._slots[0].panes.values()
    (hover,) = pane.object.select(type=charts.HoverTool)
    assert ("연도", "@year") in hover.tooltips and "year" not in [name for name, _ in hover.tooltips]
