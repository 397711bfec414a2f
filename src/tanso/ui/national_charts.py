"""HoloViews charts of national emissions, shared by the national-trends app and the gap report.

Every chart carries its data source and loaded version inside the figure (a line under the
x-axis), so an exported PNG or a screenshot still says where the numbers come from.
"""

from __future__ import annotations

import holoviews as hv
import pandas as pd

if "bokeh" not in hv.Store.renderers:
    import holoviews.plotting.bokeh  # registers the backend without notebook output
hv.Store.set_current_backend("bokeh")

PALETTE = ("#0f766e", "#c2410c", "#1d4ed8", "#a21caf", "#4d7c0f", "#b45309", "#0e7490", "#be123c",
           "#4338ca", "#15803d", "#7c2d12", "#334155")
TARGET_COLOUR = "#111827"
SCENARIO_COLOUR = "#c2410c"
LINE_COLOUR = "#6b7280"


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def source_hook(text: str):
    """A Bokeh hook adding ``text`` as a small caption under the plot."""
    def hook(plot, element):
        from bokeh.models import Title

        figure = plot.state
        if not any(getattr(t, "name", "") == "tanso-source" for t in figure.below):
            figure.add_layout(Title(text=text, align="left", text_font_size="9pt", text_color="#6b7280",
                                    text_font_style="normal", name="tanso-source"), "below")
        figure.toolbar.logo = None
    return hook


def _base_opts(source: str, *, ylabel: str, title: str, height: int, logy: bool = False) -> dict:
    return {"responsive": True, "height": height, "ylabel": ylabel, "xlabel": "", "title": title, "logy": logy,
                "show_grid": True, "hooks": [source_hook(source)], "legend_position": "top_left",
                "fontsize": {"title": "12pt", "labels": "10pt", "xticks": "9pt", "yticks": "9pt"},
                "toolbar": "above", "default_tools": ["pan", "wheel_zoom", "box_zoom", "reset", "save"]}


def _curve(frame: pd.DataFrame, label: str, *, unit: str, **style) -> hv.Curve:
    hover = [("", label), ("year", "@year"), (unit, "@value{0,0.00}")]
    return hv.Curve(frame, "year", "value", label=label).opts(tools=["hover"], hover_tooltips=hover, **style)


def trend_chart(tidy: pd.DataFrame, *, order: list[str], unit: str, ylabel: str, title: str, source: str,
                logy: bool = False, trends: pd.DataFrame | None = None, targets: pd.DataFrame | None = None,
                pathways: pd.DataFrame | None = None, height: int = 430,
                trend_label: str = "{name} trend ({slope:+,.2f}/yr)") -> hv.Overlay:
    """Lines per country (colours by ``order`` of codes), optional dashed trends, target markers, pathways.

    ``targets``: country_code, label, year, value; ``pathways``: country_code, label, year, value
    (one polyline per label).
    """
    colours = {code: colour(i) for i, code in enumerate(order)}
    layers = []
    for code, group in tidy.groupby("country_code", sort=False):
        name = group["country"].iloc[0]
        layers.append(_curve(group, name, unit=unit, color=colours.get(code, LINE_COLOUR), line_width=2.5))
    if trends is not None:
        for code, group in trends.groupby("country_code", sort=False):
            slope = group["slope"].iloc[0]
            layers.append(_curve(group, trend_label.format(name=group["country"].iloc[0], slope=slope), unit=unit,
                                 color=colours.get(code, LINE_COLOUR), line_dash="dashed", line_width=1.5,
                                 alpha=0.8))
    if pathways is not None:
        for (code, label), group in pathways.groupby(["country_code", "label"], sort=False):
            layers.append(_curve(group, label, unit=unit, color=colours.get(code, LINE_COLOUR),
                                 line_dash="dotted", line_width=2))
    if targets is not None and not targets.empty:
        points = hv.Points(targets, ["year", "value"], ["label"], label="targets").opts(
            marker="diamond", size=13, color=TARGET_COLOUR, line_color="white", tools=["hover"],
            hover_tooltips=[("", "@label"), ("year", "@year"), (unit, "@value{0,0.0}")])
        layers.append(points)
    if not layers:
        layers = [hv.Curve([], "year", "value")]
    return hv.Overlay(layers).opts(**_base_opts(source, ylabel=ylabel, title=title, height=height, logy=logy))


def scenario_chart(result: dict, *, unit: str, title: str, source: str, labels: dict[str, str],
                   targets: pd.DataFrame | None = None, since: int = 1990, height: int = 400) -> hv.Overlay:
    """History, the scenario projection, the straight line to net zero and target markers."""
    history = result["history"]
    history = history[history["year"] >= since]
    layers = [
        _curve(history, labels["history"], unit=unit, color=colour(0), line_width=2.5),
        _curve(result["projection"], labels["scenario"], unit=unit, color=SCENARIO_COLOUR, line_width=2.5,
               line_dash="dashed"),
        _curve(result["straight_line"], labels["straight"], unit=unit, color=LINE_COLOUR, line_width=2,
               line_dash="dotted"),
    ]
    projection = result["projection"]
    layers.insert(1, hv.Area(projection, "year", "value").opts(color=SCENARIO_COLOUR, alpha=0.08,
                                                                 line_alpha=0))
    if targets is not None and not targets.empty:
        layers.append(hv.Points(targets, ["year", "value"], ["label"], label=labels["targets"]).opts(
            marker="diamond", size=13, color=TARGET_COLOUR, line_color="white", tools=["hover"],
            hover_tooltips=[("", "@label"), ("year", "@year"), (unit, "@value{0,0.0}")]))
    return hv.Overlay(layers).opts(**_base_opts(source, ylabel=unit, title=title, height=height))


def ranking_chart(frame: pd.DataFrame, *, unit: str, title: str, source: str, highlight=()) -> hv.Bars:
    """Horizontal bars, largest on top; ``highlight`` codes in the accent colour."""
    data = frame.iloc[::-1].assign(colour=[colour(0) if c in highlight else "#94a3b8"
                                           for c in frame["country_code"].iloc[::-1]])
    height = max(260, 26 * len(frame) + 90)
    opts = _base_opts(source, ylabel=unit, title=title, height=height)
    for unused in ("logy", "legend_position", "xlabel"):
        opts.pop(unused)
    return hv.Bars(data, "country", ["value", "colour", "rank"]).opts(
        invert_axes=True, color="colour", tools=["hover"], xlabel="", line_color=None,
        hover_tooltips=[("", "@country"), ("rank", "@rank"), (unit, "@value{0,0.00}")], **opts)


class TrendFigure:
    """One Bokeh figure per session whose series are replaced in place on every change.

    Rebuilding a HoloViews overlay costs ~150 ms per change; swapping a few glyph renderers on a
    live figure costs a few ms, which keeps a country or indicator change well under 100 ms.
    """

    def __init__(self, *, source: str, height: int = 440):
        from bokeh.models import HoverTool, Legend, NumeralTickFormatter, Title
        from bokeh.plotting import figure

        self.figure = figure(height=height, sizing_mode="stretch_width", tools="pan,wheel_zoom,box_zoom,reset,save",
                             toolbar_location="above", x_axis_label="", min_border_left=60)
        self.figure.toolbar.logo = None
        self.figure.title.text_font_size = "12pt"
        self.source_title = Title(text=source, align="left", text_font_size="9pt", text_color="#6b7280",
                                  text_font_style="normal")
        self.figure.add_layout(self.source_title, "below")
        self.legend = Legend(items=[], location="top_left", click_policy="hide", border_line_alpha=0,
                             label_text_font_size="9pt", spacing=2)
        self.figure.add_layout(self.legend, "right")
        self.hover = HoverTool(renderers=[], tooltips=[("", "@label"), ("year", "@year"), ("value", "@value{0,0.00}")])
        self.figure.add_tools(self.hover)
        self.figure.xaxis.major_label_text_font_size = "9pt"
        self.figure.yaxis.major_label_text_font_size = "9pt"
        self.figure.yaxis.formatter = NumeralTickFormatter(format="0,0.[00]")
        self.figure.xgrid.grid_line_alpha = 0.4
        self.figure.ygrid.grid_line_alpha = 0.4
        self.figure.outline_line_alpha = 0
        self._lines = []  # a pool of line renderers, reused so a change only sends new data
        self._targets = self.figure.scatter("year", "value", source=self._empty_source(), marker="diamond", size=15,
                                            color=TARGET_COLOUR, line_color="white", visible=False)
        self._log = False

    @staticmethod
    def _empty_source():
        from bokeh.models import ColumnDataSource

        return ColumnDataSource({"year": [], "value": [], "label": []})

    def _line(self, i: int):
        while len(self._lines) <= i:
            self._lines.append(self.figure.line("year", "value", source=self._empty_source(), visible=False))
        return self._lines[i]

    def _set_log(self, logy: bool) -> None:
        if logy == self._log:
            return
        from bokeh.models import (
            BasicTicker,
            LinearScale,
            LogScale,
            LogTicker,
            LogTickFormatter,
            NumeralTickFormatter,
        )

        self.figure.y_scale = LogScale() if logy else LinearScale()
        axis = self.figure.yaxis[0]
        axis.ticker = LogTicker() if logy else BasicTicker()
        axis.formatter = LogTickFormatter() if logy else NumeralTickFormatter(format="0,0.[00]")
        self._log = logy

    def update(self, tidy: pd.DataFrame, *, order: list[str], unit: str, ylabel: str, title: str, source: str,
               logy: bool = False, trends: pd.DataFrame | None = None, targets: pd.DataFrame | None = None,
               pathways: pd.DataFrame | None = None, trend_label: str = "{name} trend ({slope:+,.2f}/yr)",
               targets_label: str = "targets") -> None:
        from bokeh.models import LegendItem

        colours = {code: colour(i) for i, code in enumerate(order)}
        series = []  # (frame, label, colour, dash, width, alpha, hover)
        for code, group in tidy.groupby("country_code", sort=False):
            series.append((group, str(group["country"].iloc[0]), colours.get(code, LINE_COLOUR), "solid", 2.5, 1.0,
                           True))
        if trends is not None:
            for code, group in trends.groupby("country_code", sort=False):
                label = trend_label.format(name=group["country"].iloc[0], slope=group["slope"].iloc[0])
                series.append((group, label, colours.get(code, LINE_COLOUR), "dashed", 1.5, 0.8, False))
        if pathways is not None:
            for (code, label), group in pathways.groupby(["country_code", "label"], sort=False):
                series.append((group, label, colours.get(code, LINE_COLOUR), "dotted", 2.0, 1.0, True))
        items, hoverable = [], []
        for i, (frame, label, line_colour, dash, width, alpha, hover) in enumerate(series):
            r = self._line(i)
            r.data_source.data = {"year": frame["year"].to_numpy(), "value": frame["value"].to_numpy(float),
                                  "label": [label] * len(frame)}
            r.glyph.update(line_color=line_colour, line_dash=dash, line_width=width, line_alpha=alpha)
            r.visible = True
            items.append(LegendItem(label=label, renderers=[r]))
            if hover:
                hoverable.append(r)
        for r in self._lines[len(series):]:
            r.visible = False
            r.data_source.data = {"year": [], "value": [], "label": []}
        has_targets = targets is not None and len(targets) > 0
        self._targets.data_source.data = {
            "year": targets["year"].to_numpy() if has_targets else [],
            "value": targets["value"].to_numpy(float) if has_targets else [],
            "label": targets["label"].tolist() if has_targets else []}
        self._targets.visible = has_targets
        if has_targets:
            items.append(LegendItem(label=targets_label, renderers=[self._targets]))
            hoverable.append(self._targets)
        self._set_log(logy)
        self.legend.items = items
        self.hover.renderers = hoverable
        self.hover.tooltips = [("", "@label"), ("year", "@year"), (unit, "@value{0,0.00}")]
        self.figure.yaxis.axis_label = ylabel
        self.figure.title.text = title
        self.source_title.text = source
