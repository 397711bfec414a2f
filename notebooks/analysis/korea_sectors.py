# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Korea sector report
# Which sectors drive Korea's emissions and their change: the official inventory (GIR) by field and
# regrouped into Climate Watch sectors, each sector's contribution to the change between two years, the
# inventory tree, the Kaya drivers of CO₂ (LMDI-I) and the inventory bases side by side. Exported by
# `tanso report notebooks/analysis/korea_sectors.py -p year_from=2018 -p year_to=2022 -o korea_sectors.html`.

# %% tags=["parameters"]
year_from = 2018          # comparison of sector contributions
year_to = 2022
kaya_from = 2000          # period of the Kaya decomposition (OWID CO2, GDP to 2022)
kaya_to = 2020
lang = "en"               # en or ko
output_html = None        # set by `tanso report`

# %% [markdown]
# ## Load inputs

# %%
import pandas as pd
import panel as pn

from tanso.db.engine import get_engine
from tanso.reports import save_html
from tanso.sectors.bases import BASES, basis_name, target_bases
from tanso.sectors.lmdi import KAYA_FACTORS
from tanso.ui.i18n import t
from tanso.ui.sectors import charts
from tanso.ui.sectors.store import SectorStore, load_sector_data

store = SectorStore(data=load_sector_data(get_engine()), lang=lang, country="KOR", source="gir",
                    year_from=year_from, year_to=year_to)
if problem := store.problem():
    raise ValueError(problem)

# %% [markdown]
# ## Process data

# %%
contributions = store.contributions()
table = store.contributions_frame()
store.taxonomy = "climatewatch"
cw_table = store.contributions_frame()
store.taxonomy = "own"
decomposition = SectorStore(data=store.data, lang=lang, year_from=kaya_from, year_to=kaya_to).decomposition()
bases = store.bases()
targets = target_bases()[lambda f: f["country_code"] == "KOR"]
latest = bases[bases["year"] == year_to].set_index("basis")
print(table.round(2).to_string(), cw_table.round(2).to_string(), decomposition.effects, sep="\n")

# %%
energy = table.set_index("sector").loc["energy"]
biggest = cw_table[cw_table["in_total"]].sort_values("change").iloc[0]
headline = (
    f"Korea's gross emissions (GIR, excluding LULUCF) went from **{contributions.total_from:,.1f}** Mt CO₂e in "
    f"{year_from} to **{contributions.total_to:,.1f}** Mt in {year_to} (**{contributions.total_change:+,.1f}** Mt). "
    f"Energy accounts for **{energy['share_of_change_pct']:.0f} %** of that change ({energy['change']:+,.1f} Mt); "
    f"in Climate Watch sectors the largest single cut is **{biggest['label']}** ({biggest['change']:+,.1f} Mt). "
    f"Between {kaya_from} and {kaya_to}, CO₂ changed {decomposition.change:+,.1f} Mt: GDP per person "
    f"{decomposition.effects['affluence']:+,.1f} Mt, population {decomposition.effects['population']:+,.1f}, "
    f"energy per GDP {decomposition.effects['energy_intensity']:+,.1f}, CO₂ per energy "
    f"{decomposition.effects['carbon_intensity']:+,.1f} (additive LMDI-I; the four add up to the change). "
    f"On other bases Korea's {year_to} total ranges from {latest['value_mt'].min():,.1f} to "
    f"{latest['value_mt'].max():,.1f} Mt; Korea's targets are stated on "
    f"{' / '.join(sorted({basis_name(k, lang) for k in targets['basis']}))} (table below)."
)
print(headline)

# %% [markdown]
# ## Save outputs

# %%
order = [o for o in store.sectors()[["sector", "label"]].itertuples(index=False, name=None)]
levels = charts.stacked_area(charts.stack_columns(store.levels(), value="value_mt", order=order), order=order,
                             title=t("sc.levels.title", lang, country="South Korea"),
                             y_label=t("sc.unit.mt", lang), source=store.source_caption("sectors"),
                             year_label=t("sc.hover.year", lang))
waterfall = charts.waterfall(table, total_from=contributions.total_from, total_to=contributions.total_to,
                             start_label=str(year_from), end_label=str(year_to),
                             title=t("sc.waterfall.title", lang, start=year_from, end=year_to,
                                     change=f"{contributions.total_change:+,.1f}"),
                             source=store.source_caption("sectors"), y_label=t("sc.unit.mt", lang))
store.tree_year = year_to
sunburst = charts.sunburst(charts.sunburst_wedges(store.tree()), title=t("sc.categories.title", lang, year=year_to),
                           source=store.source_caption("tree"), unit=t("sc.unit.mt", lang))
labels = {k: t(f"sc.factor.{k}", lang) for k in (*KAYA_FACTORS, "co2")}
effects = charts.effect_bars(decomposition.effects, labels=labels, total_label=t("sc.total_change", lang),
                             title=t("sc.decompose.title", lang, start=kaya_from, end=kaya_to,
                                     change=f"{decomposition.change:+,.1f}"),
                             source=store.source_caption("kaya"), y_label=t("sc.unit.mt_co2", lang))
basis_labels = {b.key: getattr(b, f"name_{lang}") for b in BASES}
basis_chart = charts.basis_lines(bases, labels=basis_labels, title=t("sc.bases.title", lang),
                                 source=store.source_caption("bases"), y_label=t("sc.unit.mt", lang),
                                 year_label=t("sc.hover.year", lang),
                                 difference_label=t("sc.hover.vs_gir_gross", lang))
notes = pd.DataFrame({"basis": list(basis_labels.values()), "note": [b.describe(lang) for b in BASES]})
report = pn.Column(
    pn.pane.Markdown(f"# Korea: which sectors drive emissions, {year_from}–{year_to}\n\n{headline}",
                     sizing_mode="stretch_width"),
    pn.pane.Bokeh(levels, sizing_mode="stretch_width"),
    pn.pane.Bokeh(waterfall, sizing_mode="stretch_width"),
    pn.pane.DataFrame(table.drop(columns="sector").round(2), index=False, sizing_mode="stretch_width"),
    pn.pane.Markdown("## In Climate Watch sectors (GIR regrouped by the Tanso mapping)",
                     sizing_mode="stretch_width"),
    pn.pane.DataFrame(cw_table.drop(columns="sector").round(2), index=False, sizing_mode="stretch_width"),
    pn.pane.Bokeh(sunburst, sizing_mode="stretch_width"),
    pn.pane.Bokeh(effects, sizing_mode="stretch_width"),
    pn.pane.Bokeh(basis_chart, sizing_mode="stretch_width"),
    pn.pane.DataFrame(latest.reset_index().round(2), index=False, sizing_mode="stretch_width"),
    pn.pane.DataFrame(notes, index=False, sizing_mode="stretch_width"),
    pn.pane.DataFrame(pd.DataFrame({"target": targets["target_name"],
                                    "basis": [basis_name(k, lang) for k in targets["basis"]],
                                    "note": targets[f"note_{lang}"]}), index=False, sizing_mode="stretch_width"),
    pn.pane.Markdown("GIR inventory: KOGL (Korean public data); OWID and Climate Watch data CC BY 4.0. "
                     "Generated by Tanso.", sizing_mode="stretch_width"),
    sizing_mode="stretch_width", max_width=1100,
)
if output_html:
    save_html(report, output_html, title="Tanso — Korea sector report")
