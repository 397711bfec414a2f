"""The Trends tab: the indicator over time for the selected entities, with trends, targets and pathways."""

from __future__ import annotations

import panel as pn

from tanso.emissions.national_view import trend_lines
from tanso.server_metrics import observe_callback
from tanso.ui.national.charts import TrendFigure
from tanso.ui.national.downloads import csv_download, trend_csv
from tanso.ui.view import Message, TabView, wrap_row


class TrendView(TabView):
    tab = "trends"
    depends = ("selection.*", "gap.*")  # a custom target or the gap window moves the pathways too

    def body(self):
        s = self.store
        self._chart = TrendFigure(source=s.source())
        self._pane = pn.pane.Bokeh(self._chart.figure, sizing_mode="stretch_width", min_height=440)
        self._caption = self.note("nt.caption", column=s.ind.codebook, source=s.source())
        download = csv_download(s, trend_csv, self.t("nt.download_csv"))
        column = pn.Column(self._pane, wrap_row(self._caption, download, sizing_mode="stretch_width",
                                                align_items="center"), sizing_mode="stretch_width")
        self._message = Message(column, margin=(5, 10), sizing_mode="stretch_width")
        return column

    def _show(self, message: str | None, kind: str = "info", *, chart: bool) -> None:
        self._message.show(message, alert_type=kind)
        # The figure's own `visible`, not the pane's: served, Panel copies the figure's stylesheets into
        # the pane on a pane layout change and refuses them (TypeError: the chart stayed up, no message).
        self._chart.figure.visible = chart

    @observe_callback("national_trends")
    def refresh(self) -> None:
        s, sel = self.store, self.store.selection
        ind = s.ind
        self._caption.object = self.md("nt.caption", column=ind.codebook, source=s.source())
        if not sel.countries:
            return self._show(self.t("nt.empty"), chart=False)
        tidy = s.chart_frame()
        if tidy.empty:
            return self._show(self.t("nt.no_data", indicator=ind.label(self.lang), start=sel.years[0],
                                     end=sel.years[1], countries=", ".join(s.label(c) for c in s.codes)),
                              "warning", chart=False)
        note = None
        logy = sel.scale == "log"
        if logy and (tidy["value"] <= 0).any():
            tidy = tidy[tidy["value"] > 0]
            note = self.t("nt.log_dropped")
            if tidy.empty:
                return self._show(note, "warning", chart=False)
        relative = sel.mode == "relative"
        unit = "%" if relative else ind.unit
        ylabel = self.t("nt.relative_axis") if relative else f"{ind.label(self.lang)} ({ind.unit})"
        marks, paths = s.chart_targets()
        # The title states the years actually plotted (a series may end before the range does).
        title = self.t("nt.chart_title", indicator=ind.label(self.lang), start=int(tidy["year"].min()),
                       end=int(tidy["year"].max()))
        self._chart.update(
            tidy, order=s.codes, unit=unit, ylabel=ylabel, title=title, source=s.source(), logy=logy,
            from_zero=not relative, trends=trend_lines(tidy) if sel.trend else None,
            targets=marks if len(marks) else None, pathways=paths if len(paths) else None,
            trend_label=self.t("nt.trend_label"), targets_label=self.t("nt.sc.targets"))
        self._show(note, chart=True)
