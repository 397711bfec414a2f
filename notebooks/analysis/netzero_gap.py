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
# One country and one stated target (mart.targets) against its emissions in mart.national: the trend,
# the gap now and at the target year, straight-line pathways base → target → net zero, scenarios to 2050
# and the caveats (inventory editions, scope). Exported by
# `tanso report notebooks/analysis/netzero_gap.py -p country=KOR -p target="2030 NDC" -o kor_gap.html`.

# %% tags=["parameters"]
country = "KOR"          # ISO3 code, EU27, …
target = "2030 NDC"      # target_name in mart.targets for that country
rates = "4"              # a scenario: annual reduction %, or periods "2024-2030: 4; 2031-2050: 7"
window = 5               # years of the recent rate and trend
since = 1990
output_html = None       # set by `tanso report`

# %% [markdown]
# ## Load inputs

# %%
import pandas as pd
import panel as pn

from tanso.db.engine import get_engine
from tanso.emissions.gap import analyse_target
from tanso.emissions.indicators import BY_KEY
from tanso.emissions.national_format import gap_display
from tanso.emissions.national_view import (
    load_national_data,
    scenario_result,
    series_frame,
    target_overlays,
)
from tanso.reports import save_html
from tanso.ui.i18n import t
from tanso.ui.national.charts import ScenarioFigure, TrendFigure

data = load_national_data(get_engine())
if country not in data.rows_by_code:
    raise ValueError(f"no data for country code {country!r} in mart.national")
stated = [x for x in data.targets if x.country_code == country]
chosen = [x for x in stated if x.name == target]
if not chosen:
    names = ", ".join(x.name for x in stated) or "none"
    raise ValueError(f"no target {target!r} for {country}; its targets: {names}")
goal = chosen[0]
if not goal.sets_level:
    raise ValueError(f"{goal.name} is a {goal.target_type} target: it sets no emission level to measure a gap")
name, metric = data.name(country), goal.metric
ind = BY_KEY[metric]
source = f"Source: {data.source_label(metric)}"

# %% [markdown]
# ## Process data

# %%
rows = data.rows([country])
series = pd.Series(rows[metric].to_numpy(float), index=rows["year"].to_numpy(int))
gap = analyse_target(series, goal, window=window)
net_zero_year = goal.net_zero_year or 2050
levels = [x for x in stated if x.sets_level and x.metric == metric]
gap_rows = pd.DataFrame([{"target_name": x.name, "target_type": x.target_type, "conditional": x.conditional,
                          **analyse_target(series, x, window=window).to_dict(), "error": None} for x in levels])
shown, caveats = gap_display(gap_rows, data, "en")
shown = shown.rename(columns={c: t("nt.col." + c, "en") for c in shown.columns})

tidy = series_frame(data, [country], metric, years=(since, data.year_range[1]))
# The same markers and pathways as the app's chart (one implementation: the gap analysis's pathway).
marks, paths = target_overlays(data, [country], metric, window=window, pathway_label="{target} pathway")

# Three scenarios: the recent pace continued, the rate the target requires, and the one given.
recent_cut = max(0.0, -gap.recent_annual_rate_pct)
required_cut = max(0.0, -(gap.stated.required_annual_rate_pct or 0.0))
scenarios = {
    f"Recent pace ({recent_cut:.2f} %/yr cut)": recent_cut,
    f"Rate the {goal.name} requires ({required_cut:.2f} %/yr cut)": required_cut,
    f"Given rates ({rates})": rates,
}
results = {label: scenario_result(data, country, metric, rates=r, net_zero_year=net_zero_year)
           for label, r in scenarios.items()}
scenario_table = pd.DataFrame([
    {"scenario": label, "2030 (Mt)": float(r.projection.set_index("year")["value"].get(2030, float("nan"))),
     "2050 (Mt)": r.end_value,
     f"cumulative {r.start_year}–{r.end_year} (Mt)": r.cumulative_scenario_mt,
     "vs straight line (Mt)": r.cumulative_excess_mt,
     **{f"{x.name}: year met": (x.year_met or "not by 2050") for x in r.targets}}
    for label, r in results.items()]).round(1)
print(scenario_table.to_string())

# %%
def pct(value):
    return "–" if value is None else f"{value:+.2f} %/yr"

m = gap.stated
reached = m.projected_year_reaching_target
headline = (
    f"**{name}** emitted **{gap.latest_value:,.1f} {ind.unit}** ({metric}) in {gap.latest_year}. "
    f"The {goal.name} asks for **{gap.target_value:,.1f} Mt in {goal.target_year}**: a gap of "
    f"**{m.gap_now:+,.1f} Mt** now, which needs **{pct(m.required_annual_rate_pct)}** from {gap.latest_year}. "
    f"Over {gap.window_start}–{gap.latest_year} emissions changed **{pct(gap.recent_annual_rate_pct)}** "
    f"(trend {gap.trend_slope_per_year:+,.1f} Mt/yr). At that pace {goal.target_year} ends at "
    f"**{gap.projected_value_at_target_year:,.1f} Mt**, **{'on' if m.on_track else 'off'} track** by "
    f"{m.on_track_margin_mt:+,.1f} Mt ({m.on_track_margin_pct:+.1f} %); the target level is reached "
    f"{'in **' + str(reached) + '**' if reached else '**not at all** at that pace'}."
)
if gap.rebased is not None:
    r = gap.rebased
    headline += (f"\n\nMeasured on this data's own {goal.base_year} value ({gap.base_value:,.1f} Mt) instead of the "
                 f"stated {gap.stated_base_value:,.1f} Mt, the same −{goal.reduction_pct:g} % means "
                 f"{r.target_value:,.1f} Mt: gap now {r.gap_now:+,.1f} Mt, required "
                 f"{pct(r.required_annual_rate_pct)}, {'on' if r.on_track else 'off'} track by "
                 f"{r.on_track_margin_mt:+,.1f} Mt.")
print(headline)

# %% [markdown]
# ## Save outputs

# %%
trend = TrendFigure(source=source, height=420)
trend.update(tidy, order=[country], unit=ind.unit, ylabel=f"{ind.label('en')} ({ind.unit})",
             title=f"{name}: {ind.label('en')}, targets and straight-line pathways", source=source,
             targets=marks, pathways=paths)
labels = {"history": "Historical", "scenario": "", "straight": f"Straight line to net zero in {net_zero_year}",
          "targets": "Targets"}
scenario_plots = []
for label, result in results.items():
    plot = ScenarioFigure(source=source, height=320)
    plot.update(history=result.history, projection=result.projection, straight_line=result.straight_line,
                targets=marks, labels=labels | {"scenario": label}, unit=ind.unit, title=f"{name}: {label}",
                source=source, since=since)
    scenario_plots.append(plot)
report = pn.Column(
    pn.pane.Markdown(f"# {name}: gap to the {goal.name} and the road to net zero {net_zero_year}\n\n{headline}",
                     sizing_mode="stretch_width"),
    pn.pane.Bokeh(trend.figure, sizing_mode="stretch_width"),
    pn.pane.Markdown("## Gap to each stated target", sizing_mode="stretch_width"),
    pn.pane.DataFrame(shown, index=False, sizing_mode="stretch_width"),
    pn.pane.Markdown("## Scenarios to 2050", sizing_mode="stretch_width"),
    pn.pane.DataFrame(scenario_table, index=False, sizing_mode="stretch_width", float_format="{:,.1f}".format),
    *[pn.pane.Bokeh(p.figure, sizing_mode="stretch_width") for p in scenario_plots],
    pn.pane.Markdown("## Caveats\n" + "\n".join(f"- {c}" for c in caveats)
                     + f"\n- Source of the target: {goal.source} ({goal.source_url}). {goal.notes}",
                     sizing_mode="stretch_width"),
    pn.pane.Markdown(f"{source}. OWID and GCB data CC BY 4.0. Generated by Tanso.", sizing_mode="stretch_width"),
    sizing_mode="stretch_width", max_width=1100,
)
if output_html:
    save_html(report, output_html, title=f"Tanso — {name} net-zero gap report")
