"""The Ranking tab: the top N entities for the indicator in one year, as sorted bars."""

from __future__ import annotations

import panel as pn

from tanso.emissions.national_view import ENTITY_KINDS
from tanso.server_metrics import observe_callback
from tanso.ui import safe
from tanso.ui.national.charts import RankingFigure
from tanso.ui.national.downloads import csv_download, ranking_csv
from tanso.ui.view import Message, TabView, wrap_row


class RankingView(TabView):
    tab = "ranking"
    depends = ("ranking.*", "selection.indicator", "selection.countries")

    def body(self):
        s, r = self.store, self.store.ranking
        first, last = r.param.year.bounds
        year = pn.widgets.IntSlider.from_param(r.param.year, label=self.t("nt.rank.year"), start=first, end=last,
                                               width=320)
        # description=None: `from_param` would show the parameter's English doc as a tooltip (a model each).
        year_input = pn.widgets.IntInput.from_param(r.param.year, description=None, label="", width=100, align="end")
        top = pn.widgets.IntInput.from_param(r.param.top, description=None, label=self.t("nt.rank.top"), width=110)
        kind = pn.widgets.Select.from_param(r.param.kind, description=None, label=self.t("nt.rank.kind"), width=200,
                                            options={self.t(f"kind.{k}"): k for k in ENTITY_KINDS})
        self._chart = RankingFigure(source=s.source())
        self._pane = pn.pane.Bokeh(self._chart.figure, sizing_mode="stretch_width")
        download = csv_download(s, ranking_csv, self.t("nt.download_csv"))
        download.align = "end"  # right, without a row and a spacer (two more models)
        column = pn.Column(safe.Markdown(self.md("nt.rank.intro"), sizing_mode="stretch_width"),
                           wrap_row(year, year_input, top, kind), self._pane, download, sizing_mode="stretch_width")
        self._empty = Message(column, index=2, alert_type="warning", margin=(5, 10), sizing_mode="stretch_width")
        return column

    @observe_callback("national_trends")
    def refresh(self) -> None:
        s, r = self.store, self.store.ranking
        ind = s.ind
        frame = s.ranking_frame()
        if frame.empty:
            self._empty.show(self.t("nt.rank.empty", indicator=ind.label(self.lang), year=r.year))
            self._chart.figure.visible = False  # the figure's, not the pane's: see TrendView._show
            return
        self._empty.show(None)
        self._chart.figure.visible = True
        title = self.t("nt.rank.title", n=len(frame), indicator=ind.label(self.lang), year=r.year)
        self._chart.update(frame, unit=ind.unit, title=title, source=s.source(), highlight=set(s.codes))
