"""Bokeh figures of national emissions, built once and updated in place (app and report alike).

Each figure owns its renderers and data sources; `update(...)` only assigns new column data, ranges
and labels, so a change sends a small patch instead of a new document (a rebuilt HoloViews overlay
cost ~150 ms per change and left old figures alive). Ranges are set from the data on every update —
never left from the previous view, never linked to another chart — and every chart carries its data
source and loaded version as a caption inside the figure, so an exported PNG still says where the
numbers come from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from bokeh.core.properties import value
from bokeh.models import (
    AllIndices,
    AllLabels,
    BasicTicker,
    CDSView,
    ColumnDataSource,
    FactorRange,
    GlyphRenderer,
    HBar,
    HoverTool,
    Legend,
    LegendItem,
    Line,
    LinearScale,
    LogScale,
    LogTicker,
    LogTickFormatter,
    NumeralTickFormatter,
    Range1d,
    Scatter,
    Selection,
    Title,
    UnionRenderers,
    VArea,
)
from bokeh.plotting import figure

from tanso.ui.titles import set_fitted

PALETTE = ("#0f766e", "#c2410c", "#1d4ed8", "#a21caf", "#4d7c0f", "#b45309", "#0e7490", "#be123c",
           "#4338ca", "#15803d", "#7c2d12", "#334155")
TARGET_COLOUR = "#111827"
SCENARIO_COLOUR = "#c2410c"
LINE_COLOUR = "#6b7280"
TOOLS = "pan,wheel_zoom,box_zoom,reset,save"
LINE_STYLES = {"entity": ("solid", 2.5, 1.0), "trend": ("dashed", 1.5, 0.8), "pathway": ("dotted", 2.0, 1.0)}


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _empty() -> dict:
    return {"year": [], "value": [], "label": []}


def _data(frame: pd.DataFrame, label: str | None = None) -> dict:
    labels = frame["label"].tolist() if label is None else [label] * len(frame)
    return {"year": frame["year"].to_numpy(int), "value": frame["value"].to_numpy(float), "label": labels}


def y_bounds(values, *, logy: bool = False, from_zero: bool = True) -> tuple[float, float]:
    """The y-range that shows every value: from zero for levels (or below, for negatives), 5 % headroom;
    on a log axis from a fifth below the smallest positive value to a fifth above the largest."""
    values = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if logy:
        values = values[values > 0]
        if not len(values):
            return 1.0, 10.0
        return float(values.min()) / 1.25, float(values.max()) * 1.25
    if not len(values):
        return 0.0, 1.0
    low, high = float(values.min()), float(values.max())
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    pad = 0.05 * (high - low) or 0.05 * abs(high) or 1.0
    return (low if from_zero and low == 0 else low - pad), high + pad


def x_bounds(years) -> tuple[float, float]:
    years = np.asarray(list(years), dtype=float)
    if not len(years):
        return 1990.0, 2030.0
    first, last = float(years.min()), float(years.max())
    pad = max(0.5, 0.01 * (last - first))
    return first - pad, last + pad


class _Figure:
    """A figure with a title, a source caption under the plot, a legend on the right and hover."""

    def __init__(self, *, source: str, height: int, x_range=None, y_range=None, legend: bool = True,
                 min_border_left: int = 60):
        self.figure = figure(height=height, sizing_mode="stretch_width", tools=TOOLS, toolbar_location="right",
                             x_range=x_range or Range1d(0, 1), y_range=y_range or Range1d(0, 1),
                             min_border_left=min_border_left)
        self.figure.toolbar.logo = None
        # Parts Bokeh would make anew for every source and renderer, all stateless here (no selection
        # tool, every row shown): one of each per figure. A figure's models are most of a session's
        # build, on the server and in the browser.
        self._shared = {"selected": Selection(), "selection_policy": UnionRenderers()}
        self._all_rows = AllIndices()
        labels = AllLabels()
        for axis in self.figure.axis:
            axis.major_label_policy = labels
        self.figure.title.text_font_size = "12pt"
        self.caption = Title(align="left", text_font_size="9pt", text_color="#6b7280", text_font_style="normal")
        self.figure.add_layout(self.caption, "below")
        set_fitted(self.figure, self.caption, source, "9pt")
        self.legend = None
        if legend:
            # Below the plot, not beside it: on a phone a side legend takes half the width.
            self.legend = Legend(items=[], location="top_left", click_policy="hide", border_line_alpha=0,
                                 label_text_font_size="9pt", spacing=2, margin=2, padding=4)
            self.figure.add_layout(self.legend, "below")
        self.hover = HoverTool(renderers=[], tooltips=[("", "@label"), ("year", "@year"), ("value", "@value")])
        self.figure.add_tools(self.hover)
        for axis in (self.figure.xaxis, self.figure.yaxis):
            axis.major_label_text_font_size = "9pt"
        self.figure.xgrid.grid_line_alpha = 0.4
        self.figure.ygrid.grid_line_alpha = 0.4
        self.figure.outline_line_alpha = 0

    def label(self, title: str, source: str) -> None:
        """The title and the source caption, in lines that fit the plot (`tanso.ui.titles`)."""
        set_fitted(self.figure, self.figure.title, title, "12pt")
        set_fitted(self.figure, self.caption, source, "9pt")

    def add(self, glyph, source: ColumnDataSource | None = None, **options) -> GlyphRenderer:
        """A renderer of ``glyph`` over ``source`` (a new empty one by default).

        Built directly rather than with `figure.line`/`scatter`, which add a non-selection and a muted
        copy of every glyph: two more models per renderer, built for every session and never used here
        (no selection tool; the legend hides, it does not mute). BokehJS makes its defaults if needed."""
        renderer = GlyphRenderer(data_source=source or self.source(_empty()), glyph=glyph,
                                 view=CDSView(filter=self._all_rows), **options)
        self.figure.renderers.append(renderer)
        return renderer

    def source(self, data: dict) -> ColumnDataSource:
        """A data source of this figure (sharing its selection parts)."""
        return ColumnDataSource(data, **self._shared)

    def _tooltips(self, unit: str, value_format: str = "0,0.00") -> None:
        self.hover.tooltips = [("", "@label"), ("year", "@year"), (unit, f"@value{{{value_format}}}")]


class TrendFigure(_Figure):
    """Lines per entity, optional dashed trend lines, dotted pathways and target markers.

    Every line renderer comes with its legend item, in a pool per role (entities, trends, pathways —
    the legend's order), reused from change to change: a change assigns data, styles, labels and
    visibility, never a new model or a new list of models, so Bokeh does not walk the whole document
    after it (a walk visits every model of the page). The pools grow when more lines are shown than
    ever before; only then are the legend's items and the hover's renderers reassigned."""

    ROLES = ("entity", "trend", "pathway")
    HOVER = ("entity", "pathway")  # trend lines are not hovered

    def __init__(self, *, source: str, height: int = 440):
        super().__init__(source=source, height=height)
        self.figure.yaxis.formatter = NumeralTickFormatter(format="0,0.[00]")
        self._pools = {role: [] for role in self.ROLES}  # role → [(renderer, legend item)]
        self._targets = self.add(Scatter(x="year", y="value", marker="diamond", size=15, fill_color=TARGET_COLOUR,
                                         line_color="white"), visible=False)
        self._targets_item = LegendItem(label=value(""), renderers=[self._targets], visible=False)
        self._grown = True
        self._log = False

    def _slot(self, role: str, i: int) -> tuple[GlyphRenderer, LegendItem]:
        pool = self._pools[role]
        while len(pool) <= i:
            dash, width, alpha = LINE_STYLES[role]
            renderer = self.add(Line(x="year", y="value", line_dash=dash, line_width=width, line_alpha=alpha),
                                visible=False)
            pool.append((renderer, LegendItem(label=value(""), renderers=[renderer], visible=False)))
            self._grown = True
        return pool[i]

    def _draw(self, role: str, frame: pd.DataFrame | None, lines: list, colours: dict[str, str]) -> None:
        """``lines`` ([(row positions in ``frame``, label, code)]) into the role's pooled renderers; the rest hidden."""
        if lines:
            year, values = frame["year"].to_numpy(int), frame["value"].to_numpy(float)
        for i, (rows, label, code) in enumerate(lines):
            renderer, item = self._slot(role, i)
            _assign(renderer.data_source, {"year": year[rows], "value": values[rows], "label": [label] * len(rows)})
            renderer.glyph.line_color = colours.get(code, LINE_COLOUR)
            renderer.visible = item.visible = True
            if item.label.value != label:
                item.label = value(label)
        for renderer, item in self._pools[role][len(lines):]:
            if renderer.visible:
                renderer.visible = item.visible = False
                renderer.data_source.data = _empty()
                item.label = value("")

    def _set_log(self, logy: bool) -> None:
        if logy == self._log:
            return
        self.figure.y_scale = LogScale() if logy else LinearScale()
        axis = self.figure.yaxis[0]
        axis.ticker = LogTicker() if logy else BasicTicker()
        axis.formatter = LogTickFormatter() if logy else NumeralTickFormatter(format="0,0.[00]")
        self._log = logy

    def update(self, tidy: pd.DataFrame, *, order: list[str], unit: str, ylabel: str, title: str, source: str,
               logy: bool = False, from_zero: bool = True, trends: pd.DataFrame | None = None,
               targets: pd.DataFrame | None = None, pathways: pd.DataFrame | None = None,
               trend_label: str = "{name} trend ({slope:+,.2f}/yr)", targets_label: str = "targets") -> None:
        """Show ``tidy`` (country_code, country, year, value) and the overlays; ranges follow the data."""
        colours = {code: colour(i) for i, code in enumerate(order)}
        lines = {"entity": [(rows, str(tidy["country"].iat[rows[0]]), code)
                            for (code,), rows in _groups(tidy, "country_code")],
                 "trend": [], "pathway": []}
        if trends is not None:
            lines["trend"] = [(rows, trend_label.format(name=trends["country"].iat[rows[0]],
                                                        slope=trends["slope"].iat[rows[0]]), code)
                              for (code,), rows in _groups(trends, "country_code")]
        if pathways is not None:
            lines["pathway"] = [(rows, label, code) for (code, label), rows in _groups(pathways, "country_code", "label")]
        for role, frame in (("entity", tidy), ("trend", trends), ("pathway", pathways)):
            self._draw(role, frame, lines[role], colours)
        has_targets = targets is not None and len(targets) > 0
        _assign(self._targets.data_source, _data(targets) if has_targets else _empty())
        self._targets.visible = self._targets_item.visible = has_targets
        if self._targets_item.label.value != (label := targets_label if has_targets else ""):
            self._targets_item.label = value(label)
        if self._grown:
            pools = self._pools
            self.legend.items = [item for role in self.ROLES for _, item in pools[role]] + [self._targets_item]
            self.hover.renderers = [r for role in self.HOVER for r, _ in pools[role]] + [self._targets]
            self._grown = False
        shown = [tidy, *(f for f in (trends, pathways, targets if has_targets else None) if f is not None)]
        values = np.concatenate([f["value"].to_numpy(float) for f in shown])
        years = np.concatenate([f["year"].to_numpy(float) for f in shown])
        self._set_log(logy)
        self.figure.y_range.update(**dict(zip(("start", "end"), y_bounds(values, logy=logy, from_zero=from_zero),
                                              strict=True)))
        self.figure.x_range.update(**dict(zip(("start", "end"), x_bounds(years), strict=True)))
        self._tooltips(unit)
        self.figure.yaxis.axis_label = ylabel
        self.label(title, source)


def _groups(frame: pd.DataFrame, *keys: str) -> list[tuple[tuple, np.ndarray]]:
    """(key, row positions) per distinct value of ``keys``, in order of first appearance — pandas'
    groupby(sort=False) without its per-group frames (~0.3 ms a call for a chart's few short lines)."""
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(frame[k].to_numpy() for k in keys))):
        groups.setdefault(key, []).append(i)
    return [(key, np.asarray(rows)) for key, rows in groups.items()]


def _assign(source: ColumnDataSource, data: dict) -> None:
    """Give ``source`` new columns unless they equal the ones it holds: Bokeh sends a source's whole data
    again on every assignment, equal or not, and the browser redraws it (on a country change, every
    line that stays)."""
    old = source.data
    if old.keys() != data.keys() or not all(np.array_equal(old[k], data[k]) for k in data):
        source.data = data


class ScenarioFigure(_Figure):
    """History, the scenario projection (shaded), the straight line to net zero and target markers."""

    def __init__(self, *, source: str, height: int = 400):
        super().__init__(source=source, height=height)
        self.figure.yaxis.formatter = NumeralTickFormatter(format="0,0")
        projection = self.source(_empty())  # the line and the shade under it share their data
        self._area = self.add(VArea(x="year", y1=0, y2="value", fill_color=SCENARIO_COLOUR, fill_alpha=0.08),
                              projection)
        self._history = self.add(Line(x="year", y="value", line_color=colour(0), line_width=2.5))
        self._projection = self.add(Line(x="year", y="value", line_color=SCENARIO_COLOUR, line_width=2.5,
                                         line_dash="dashed"), projection)
        self._straight = self.add(Line(x="year", y="value", line_color=LINE_COLOUR, line_width=2,
                                       line_dash="dotted"))
        self._targets = self.add(Scatter(x="year", y="value", marker="diamond", size=13, fill_color=TARGET_COLOUR,
                                         line_color="white"))
        self.hover.renderers = [self._history, self._projection, self._straight, self._targets]

    def update(self, *, history: pd.DataFrame, projection: pd.DataFrame, straight_line: pd.DataFrame,
               targets: pd.DataFrame | None, labels: dict[str, str], unit: str, title: str, source: str,
               since: int = 1990) -> None:
        """``labels``: history, scenario, straight, targets; ``targets``: label, year, value."""
        history = history[history["year"] >= since]
        self._history.data_source.data = _data(history, labels["history"])
        self._projection.data_source.data = _data(projection, labels["scenario"])
        self._straight.data_source.data = _data(straight_line, labels["straight"])
        has_targets = targets is not None and len(targets) > 0
        self._targets.data_source.data = _data(targets) if has_targets else _empty()
        items = [LegendItem(label=labels["history"], renderers=[self._history]),
                 LegendItem(label=labels["scenario"], renderers=[self._projection, self._area]),
                 LegendItem(label=labels["straight"], renderers=[self._straight])]
        if has_targets:
            items.append(LegendItem(label=labels["targets"], renderers=[self._targets]))
        self.legend.items = items
        frames = [history, projection, straight_line] + ([targets] if has_targets else [])
        values = np.concatenate([f["value"].to_numpy(float) for f in frames])
        years = np.concatenate([f["year"].to_numpy(float) for f in frames])
        self.figure.y_range.update(**dict(zip(("start", "end"), y_bounds(values), strict=True)))
        self.figure.x_range.update(**dict(zip(("start", "end"), x_bounds(years), strict=True)))
        self._tooltips(unit, "0,0.0")
        self.figure.yaxis.axis_label = unit
        self.label(title, source)


class RankingFigure(_Figure):
    """Horizontal bars, largest on top; highlighted entities in the accent colour."""

    BAR_HEIGHT = 26

    def __init__(self, *, source: str):
        super().__init__(source=source, height=400, y_range=FactorRange(factors=[]), legend=False,
                         min_border_left=10)
        self.figure.xaxis.formatter = NumeralTickFormatter(format="0,0.[00]")
        self.figure.xaxis.ticker.desired_num_ticks = 4  # eight labels like "12,000" ran together on a phone
        self.figure.ygrid.grid_line_alpha = 0
        self._bars = self.add(HBar(y="country", right="value", height=0.75, fill_color={"field": "colour"},
                                   line_color=None),
                              self.source({"country": [], "value": [], "colour": [], "rank": []}))
        self.hover.renderers = [self._bars]

    def update(self, frame: pd.DataFrame, *, unit: str, title: str, source: str, highlight=()) -> None:
        """``frame``: rank, country_code, country, value (largest first)."""
        data = frame.iloc[::-1]
        names = data["country"].astype(str).tolist()
        self.figure.y_range.factors = names
        self._bars.data_source.data = {
            "country": names, "value": data["value"].to_numpy(float), "rank": data["rank"].to_numpy(int),
            "colour": [colour(0) if c in highlight else "#94a3b8" for c in data["country_code"]]}
        low, high = y_bounds(data["value"].to_numpy(float))
        self.figure.x_range.update(start=low, end=high)
        self.figure.height = max(260, self.BAR_HEIGHT * len(frame) + 90)
        self.hover.tooltips = [("", "@country"), ("rank", "@rank"), (unit, "@value{0,0.00}")]
        self.figure.xaxis.axis_label = unit
        self.label(title, source)
