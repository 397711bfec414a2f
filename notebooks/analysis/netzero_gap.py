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
# # Net-zero gap report
#
# **Question**: at today's pace, does a country reach the emission level it has promised?
#
# This notebook takes one country and one of its stated targets (from `mart.targets`), compares them with
# its emissions (from `mart.national`) and writes an offline HTML report:
#
# 1. where emissions stand and the gap to the target, now and at the target year;
# 2. the straight-line pathways from the base year to the target and on to net zero;
# 3. three scenarios to 2050: the recent pace, the pace the target needs, and one you choose;
# 4. the caveats that decide how far the numbers can be trusted.
#
# Every number comes from the same functions the National trends app uses (`tanso.emissions`), so the
# report and the app agree. Run it with
# `tanso report notebooks/analysis/netzero_gap.py -p country=KOR -p target="2030 NDC" -o kor_gap.html`.

# %% tags=["parameters"]
country = "KOR"          # ISO3 code, EU27, …
target = "2030 NDC"      # target_name in mart.targets for that country
rates = "4"              # a scenario: annual reduction %, or periods "2024-2030: 4; 2031-2050: 7"
window = 5               # years of the recent rate and trend
since = 1990             # first year on the charts
output_html = None       # set by `tanso report`

# %% [markdown]
# ## Load inputs
#
# Only this country's rows of `mart.national` are read, with every stated target and the versions of the
# datasets loaded (they are named under each chart).

# %%
import pandas as pd
import panel as pn

from tanso.db.engine import get_engine
from tanso.emissions.gap import analyse_target
from tanso.emissions.indicators import BY_KEY
from tanso.emissions.national_format import gap_caveats, gap_display
from tanso.emissions.national_view import load_national_data, scenario_result, series_frame, target_overlays
from tanso.reports import save_html
from tanso.ui import safe
from tanso.ui.i18n import t
from tanso.ui.national.charts import ScenarioFigure, TrendFigure

# %%
data = load_national_data(get_engine(), countries=[country])
if country not in data.rows_by_code:
    raise ValueError(f"no data for country code {country!r} in mart.national")
name = data.name(country)

# %% [markdown]
# The target must be one the country stated, and it must set an emission level (a peak year or an
# intensity target gives no level to measure a gap against).

# %%
stated = [x for x in data.targets if x.country_code == country]
chosen = [x for x in stated if x.name == target]
if not chosen:
    raise ValueError(f"no target {target!r} for {country}; its targets: {', '.join(x.name for x in stated) or 'none'}")
goal = chosen[0]
if not goal.sets_level:
    raise ValueError(f"{goal.name} is a {goal.target_type} target: it sets no emission level to measure a gap")
metric, ind = goal.metric, BY_KEY[goal.metric]
net_zero_year = goal.net_zero_year or 2050
source = f"Source: {data.source_label(metric)}"
print(f"{name}: {goal.name} on {metric} ({ind.unit}); net zero in {net_zero_year}")

# %% [markdown]
# ## Process data
#
# ### The gap to the chosen target
#
# `analyse_target` measures the gap twice when the target states its base-year value: against that
# stated value (what the government promised) and against this dataset's own base-year value (what the
# series can be compared with). The *recent rate* is the compound annual change over the last `window`
# years; the *required rate* is the one that reaches the target level in the target year.

# %%
rows = data.rows([country])
series = pd.Series(rows[metric].to_numpy(float), index=rows["year"].to_numpy(int))
gap = analyse_target(series, goal, window=window)
stated_gap = gap.stated
print(f"latest {gap.latest_value:,.1f} Mt in {gap.latest_year}; target {gap.target_value:,.1f} Mt in "
      f"{goal.target_year}; gap now {stated_gap.gap_now:+,.1f} Mt")

# %% [markdown]
# The headline puts those numbers into sentences. Values are escaped before they meet Markdown
# (`tanso.ui.safe.markdown`): names and target labels come from data files, not from this notebook.


# %%
def rate(value) -> str:
    return "–" if value is None else f"{value:+.2f} %/yr"


reached = stated_gap.projected_year_reaching_target
headline = safe.markdown(
    "**{name}** emitted **{latest} {unit}** ({metric}) in {latest_year}. "
    "The {target} asks for **{level} Mt in {target_year}**: a gap of **{gap_now} Mt** now, "
    "which needs **{required}** from {latest_year}.",
    name=name, latest=f"{gap.latest_value:,.1f}", unit=ind.unit, metric=metric, latest_year=gap.latest_year,
    target=goal.name, level=f"{gap.target_value:,.1f}", target_year=goal.target_year,
    gap_now=f"{stated_gap.gap_now:+,.1f}", required=rate(stated_gap.required_annual_rate_pct))

# %%
pace = safe.markdown(
    "Over {start}–{latest_year} emissions changed **{recent}** (trend {slope} Mt/yr). At that pace "
    "{target_year} ends at **{projected} Mt**, **{track} track** by {margin} Mt ({margin_pct} %); "
    "the target level is reached {reached}.",
    start=gap.window_start, latest_year=gap.latest_year, recent=rate(gap.recent_annual_rate_pct),
    slope=f"{gap.trend_slope_per_year:+,.1f}", target_year=goal.target_year,
    projected=f"{gap.projected_value_at_target_year:,.1f}", track="on" if stated_gap.on_track else "off",
    margin=f"{stated_gap.on_track_margin_mt:+,.1f}", margin_pct=f"{stated_gap.on_track_margin_pct:+.1f}",
    reached=f"in {reached}" if reached else "not at all at that pace")

# %% [markdown]
# When the stated base-year value differs from this dataset's (inventories are revised every year), the
# same percentage cut means a different level; the rebased gap says what it means on this series.

# %%
rebased = ""
if gap.rebased is not None:
    rebased = safe.markdown(
        "Measured on this data's own {base_year} value ({own} Mt) instead of the stated {stated} Mt, the "
        "same −{pct} % means {level} Mt: gap now {gap_now} Mt, required {required}, {track} track by {margin} Mt.",
        base_year=goal.base_year, own=f"{gap.base_value:,.1f}", stated=f"{gap.stated_base_value:,.1f}",
        pct=f"{goal.reduction_pct:g}", level=f"{gap.rebased.target_value:,.1f}",
        gap_now=f"{gap.rebased.gap_now:+,.1f}", required=rate(gap.rebased.required_annual_rate_pct),
        track="on" if gap.rebased.on_track else "off", margin=f"{gap.rebased.on_track_margin_mt:+,.1f}")
print(headline, pace, rebased, sep="\n\n")

# %% [markdown]
# ### Every stated target on the same series
#
# The same analysis for each of the country's targets that sets a level on this metric, formatted as the
# app's gap table, with the caveats each one carries.

# %%
levels = [x for x in stated if x.sets_level and x.metric == metric]
gap_rows = pd.DataFrame([{"target_name": x.name, "target_type": x.target_type, "conditional": x.conditional,
                          **analyse_target(series, x, window=window).to_dict(), "error": None} for x in levels])
shown, _ = gap_display(gap_rows, data, "en")
shown = shown.rename(columns={c: t("nt.col." + c, "en") for c in shown.columns})
shown

# %% [markdown]
# ### Pathways
#
# The target markers and straight-line pathways (base year → target → net zero) come from
# `target_overlays`, the function that draws them in the app, so both show the same lines.

# %%
history = series_frame(data, [country], metric, years=(since, data.year_range[1]))
marks, paths = target_overlays(data, [country], metric, window=window, pathway_label="{target} pathway")
paths

# %% [markdown]
# ### Scenarios to 2050
#
# Three constant annual cuts from the latest year: the recent pace continued, the pace the target
# requires, and the `rates` parameter (one rate, or periods such as `2024-2030: 4; 2031-2050: 7`).

# %%
recent_cut = max(0.0, -gap.recent_annual_rate_pct)
required_cut = max(0.0, -(stated_gap.required_annual_rate_pct or 0.0))
scenarios = {
    f"Recent pace ({recent_cut:.2f} %/yr cut)": recent_cut,
    f"Rate the {goal.name} requires ({required_cut:.2f} %/yr cut)": required_cut,
    f"Given rates ({rates})": rates,
}
results = {label: scenario_result(data, country, metric, rates=cut, net_zero_year=net_zero_year)
           for label, cut in scenarios.items()}


# %% [markdown]
# Each scenario in one row: its level in 2030 and 2050, its emissions summed to 2050 against the straight
# line to net zero, and the year it meets each target.

# %%
def scenario_row(label, result) -> dict:
    row = {"scenario": label,
           "2030 (Mt)": float(result.projection.set_index("year")["value"].get(2030, float("nan"))),
           "2050 (Mt)": result.end_value,
           f"cumulative {result.start_year}–{result.end_year} (Mt)": result.cumulative_scenario_mt,
           "vs straight line (Mt)": result.cumulative_excess_mt}
    return row | {f"{x.name}: year met": (x.year_met or "not by 2050") for x in result.targets}


scenario_table = pd.DataFrame([scenario_row(label, r) for label, r in results.items()]).round(1)
scenario_table

# %% [markdown]
# ## Save outputs
#
# The charts are the app's own figures (`tanso.ui.national.charts`); the report is one HTML file with
# every script, stylesheet and icon inside, so it opens without a network.

# %%
trend = TrendFigure(source=source, height=420)
trend.update(history, order=[country], unit=ind.unit, ylabel=f"{ind.label('en')} ({ind.unit})",
             title=f"{name}: {ind.label('en')}, targets and straight-line pathways", source=source,
             targets=marks, pathways=paths)

# %%
labels = {"history": "Historical", "straight": f"Straight line to net zero in {net_zero_year}", "targets": "Targets"}
scenario_plots = []
for label, result in results.items():
    plot = ScenarioFigure(source=source, height=320)
    plot.update(history=result.history, projection=result.projection, straight_line=result.straight_line,
                targets=marks, labels=labels | {"scenario": label}, unit=ind.unit, title=f"{name}: {label}",
                source=source, since=since)
    scenario_plots.append(pn.pane.Bokeh(plot.figure, sizing_mode="stretch_width"))

# %%
target_source = safe.markdown("- Source of the target: {source} ({url}). {notes}",
                              source=goal.source, url=goal.source_url, notes=goal.notes)
caveat_list = safe.join("\n", [safe.markdown("- **{name} — {target}**: {text}", name=name, target=target_name, text=text)
                               for _, target_name, text in gap_caveats(gap_rows.assign(country=country))])
title = safe.markdown("# {name}: gap to the {target} and the road to net zero {year}",
                      name=name, target=goal.name, year=net_zero_year)

# %%
report = pn.Column(
    safe.Markdown(safe.Markup(f"{title}\n\n{headline} {pace}\n\n{rebased}"), sizing_mode="stretch_width"),
    pn.pane.Bokeh(trend.figure, sizing_mode="stretch_width"),
    pn.pane.Markdown("## Gap to each stated target", sizing_mode="stretch_width"),
    pn.pane.DataFrame(shown, index=False, sizing_mode="stretch_width"),
    pn.pane.Markdown("## Scenarios to 2050", sizing_mode="stretch_width"),
    pn.pane.DataFrame(scenario_table, index=False, sizing_mode="stretch_width", float_format="{:,.1f}".format),
    *scenario_plots,
    safe.Markdown(safe.Markup(f"## Caveats\n{caveat_list}\n{target_source}"), sizing_mode="stretch_width"),
    safe.Markdown(f"{source}. OWID and GCB data CC BY 4.0. Generated by Tanso.", sizing_mode="stretch_width"),
    sizing_mode="stretch_width", max_width=1100,
)
if output_html:
    save_html(report, output_html, title=f"Tanso — {name} net-zero gap report")
