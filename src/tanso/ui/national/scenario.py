"""The Scenarios tab: annual reduction rates from the latest year to 2050 — when each target is met,
cumulative emissions against the straight line to net zero.

Built with few models (the tab's first open is what a reader waits for): the summary and the small
"target met" table are one HTML pane (a Tabulator was a grid of models, heavy in the browser), and the
error message is built only when there is one (`Message`)."""

from __future__ import annotations

import pandas as pd
import panel as pn

from tanso.emissions.gap import GapInputError
from tanso.emissions.indicators import BY_KEY, LEVEL_KEYS
from tanso.emissions.national_view import ScenarioInputError
from tanso.server_metrics import observe_callback
from tanso.ui import safe
from tanso.ui.national.charts import ScenarioFigure
from tanso.ui.national.downloads import csv_download, scenario_csv
from tanso.ui.national.options import entity_options
from tanso.ui.national.translate import target_name
from tanso.ui.view import Message, TabView, wrap_row


class ScenarioView(TabView):
    tab = "scenario"
    depends = ("scenario.*", "gap.custom_reduction_pct", "gap.custom_country", "gap.custom_metric",
               "gap.custom_base_year", "gap.custom_target_year")

    def body(self):
        s, sc = self.store, self.store.scenario
        # description=None: `from_param` would show the parameter's English doc as a tooltip (a model each).
        country = pn.widgets.Select.from_param(
            sc.param.country, description=None, label=self.t("nt.sc.country"), width=240,
            options=entity_options(s.data, s.lang, ("country", "world", "region")))
        metric = pn.widgets.Select.from_param(sc.param.metric, description=None, label=self.t("nt.sc.metric"), width=260,
                                              options={BY_KEY[k].label(s.lang): k for k in LEVEL_KEYS})
        rates = pn.widgets.TextInput.from_param(sc.param.rates, description=None, label=self.t("nt.sc.rates"), width=320)
        net_zero = pn.widgets.IntInput.from_param(sc.param.net_zero_year, description=None, label=self.t("nt.sc.net_zero"), width=120)
        self._chart = ScenarioFigure(source=s.source())
        self._pane = pn.pane.Bokeh(self._chart.figure, sizing_mode="stretch_width", min_height=400)
        self._summary = safe.HTML("", sizing_mode="stretch_width", stylesheets=[safe.TABLE_CSS])
        download = csv_download(s, scenario_csv, self.t("nt.download_csv"))
        download.align = "end"  # right, without a row and a spacer (two more models)
        column = pn.Column(
            safe.Markdown(self.md("nt.sc.intro"), sizing_mode="stretch_width"),
            wrap_row(country, metric, rates, net_zero),
            safe.Markdown(self.md("nt.sc.rates_help"), styles={"color": "#555", "font-size": "0.85em"}, margin=(0, 10)),
            self._pane, self._summary, download,
            sizing_mode="stretch_width")
        self._error = Message(column, index=3, alert_type="danger", margin=(5, 10), sizing_mode="stretch_width")
        return column

    @observe_callback("national_trends")
    def refresh(self) -> None:
        s, lang = self.store, self.store.lang
        try:
            result = s.scenario_result()
        except (ScenarioInputError, GapInputError, ValueError) as error:
            self._error.show(f"{self.t('nt.sc.error')} {error}")
            self._chart.figure.visible = self._summary.visible = False  # the figure's: see TrendView._show
            return
        self._error.show(None)
        ind = BY_KEY[result.metric]
        names = {target: target_name(target.name, lang) for target in result.targets}
        marks = pd.DataFrame([{"label": f"{names[x]} ({x.target_year}, {x.level_mt:,.0f} Mt)", "year": x.target_year,
                               "value": x.level_mt} for x in result.targets], columns=["label", "year", "value"])
        labels = {"history": self.t("nt.sc.history"), "scenario": self.t("nt.sc.scenario"),
                  "straight": self.t("nt.sc.straight", year=result.net_zero_year), "targets": self.t("nt.sc.targets")}
        self._chart.update(history=result.history, projection=result.projection, straight_line=result.straight_line,
                           targets=marks, labels=labels, unit=ind.unit, source=s.source(),
                           title=self.t("nt.sc.title", country=s.label(result.code), indicator=ind.label(lang)))
        headline = self.md("nt.sc.headline", latest_year=result.latest_year, latest=f"{result.latest_value:,.1f}",
                           end=result.end_year, value=f"{result.end_value:,.1f}", unit=ind.unit)
        cumulative = self.md("nt.sc.cumulative", start=result.start_year, end=result.end_year,
                             scenario=f"{result.cumulative_scenario_mt:,.0f}",
                             line=f"{result.cumulative_straight_line_mt:,.0f}",
                             diff=f"{result.cumulative_excess_mt:+,.0f}", year=result.net_zero_year)
        met = safe.table([self.t("nt.sc.col.target"), self.t("nt.sc.col.year")], [
            (f"{names[x]} ({x.target_year}, {x.level_mt:,.0f} Mt)",
             str(x.year_met) if x.year_met else self.t("nt.sc.not_met", year=result.end_year))
            for x in result.targets]) if result.targets else ""
        self._summary.object = safe.Markup(safe.markdown_html(safe.Markup(f"{headline}\n\n{cumulative}")) + met)
        self._chart.figure.visible = self._summary.visible = True
