"""A world choropleth: one value per country, hover, click to pick — a reusable kit component.

One Bokeh `MultiPolygons` renderer draws every country; a click is matched to a country on the server.
The geometry is sent once per session, as plain numbers in the message (`tanso.ui.geometry`: built
once per process and boundaries version, never walked or encoded again per session); a new set of values (another year, indicator or
dataset) replaces only the value columns of the data source, so a change costs a few kilobytes, not
the ~100 kB of shapes. Colours are mapped in the browser (`LinearColorMapper`/`LogColorMapper`), so
the server never computes colours.

Used by the national-trends map tab (value = an indicator in one year, click = add to the comparison)
and the VCM explorer's statistics (value = projects or credits per country, click = filter the search).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import panel as pn
import param
from bokeh.events import Tap
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    GlyphRenderer,
    HoverTool,
    LinearColorMapper,
    LogColorMapper,
    MultiPolygons,
    Range1d,
)
from bokeh.palettes import OrRd9, RdBu11
from bokeh.plotting import figure
from bokeh.transform import transform
from panel.pane import Bokeh
from panel.viewable import Viewer

from tanso.ui.geometry import MapGeometry

NO_DATA = "#e2e2e2"
OUTLINE, HIGHLIGHT = "#ffffff", "#111827"
SEQUENTIAL = tuple(reversed(OrRd9))      # light = low, dark = high, like OWID's emission maps
DIVERGING = tuple(reversed(RdBu11))      # blue below zero, red above (land-use CO₂ can be negative)


def colour_scale(values: np.ndarray) -> str:
    """'log' for positive values spanning two orders of magnitude (emissions), 'diverging' when they
    straddle zero, 'linear' otherwise; the legend then shows the scale used."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "linear"
    low, high = float(finite.min()), float(finite.max())
    if low < 0 < high:
        return "diverging"
    if low > 0 and high / low >= 100:
        return "log"
    return "linear"


def format_value(value: float, unit: str, no_data: str) -> str:
    if value is None or not math.isfinite(value):
        return no_data
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}".strip()


def _bounds(xs, ys) -> tuple[float, float, float, float]:
    rings_x = [ring for polygon in xs for ring in polygon]
    rings_y = [ring for polygon in ys for ring in polygon]
    if not rings_x:
        return (math.nan,) * 4
    x, y = np.concatenate(rings_x), np.concatenate(rings_y)
    return float(x.min()), float(x.max()), float(y.min()), float(y.max())


def _contains(xs, ys, x: float, y: float) -> bool:
    """Whether (x, y) lies in a MultiPolygon (polygons → rings, holes included): even-odd ray casting,
    so a point in a hole crosses the outer ring and the hole's ring and counts as outside."""
    for polygon_x, polygon_y in zip(xs, ys, strict=True):
        crossings = 0
        for ring_x, ring_y in zip(polygon_x, polygon_y, strict=True):
            x0, y0 = np.asarray(ring_x, dtype=float), np.asarray(ring_y, dtype=float)
            x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
            spans = (y0 > y) != (y1 > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            crossings += int(np.count_nonzero(spans & (x < at)))
        if crossings % 2:
            return True
    return False


class Choropleth(Viewer):
    """Countries coloured by `values`; hover shows name and value; a click sets `clicked`."""

    geometry = param.ClassSelector(class_=MapGeometry, doc="Shapes and rings (tanso.ui.geometry.world_geometry)")
    values = param.Series(default=None, allow_None=True,
                          doc="Value per country code (the index); codes without a shape are ignored")
    names = param.Dict(default={}, doc="Display name per code (e.g. translated); the shape's name otherwise")
    title = param.String(default="", doc="Title above the map")
    unit = param.String(default="", doc="Unit shown in the hover and the legend")
    no_data = param.String(default="No data", doc="Hover text of a country without a value")
    highlight = param.List(default=[], item_type=str, doc="Codes drawn with a dark outline (e.g. compared)")
    clicked = param.String(default=None, allow_None=True,
                           doc="Code of the country last clicked (re-triggered on a repeat click)")
    height = param.Integer(default=460, doc="Height in pixels at full width (the map keeps its aspect)")

    def __init__(self, **params):
        super().__init__(**params)
        shapes = self.shapes = self.geometry.shapes
        self._codes = shapes["country_code"].to_numpy(dtype=object)
        self._row = {code: i for i, code in enumerate(self._codes) if isinstance(code, str)}
        self._source = ColumnDataSource({
            "xs": self.geometry.xs, "ys": self.geometry.ys,
            "code": [c if isinstance(c, str) else "" for c in self._codes],
            "name": self._names(shapes),
            **self._value_columns(), **self._outline_columns(),
        })
        self._mappers = {
            "linear": LinearColorMapper(palette=SEQUENTIAL, nan_color=NO_DATA),
            "log": LogColorMapper(palette=SEQUENTIAL, nan_color=NO_DATA),
            "diverging": LinearColorMapper(palette=DIVERGING, nan_color=NO_DATA),
        }
        self._bounds = None  # per country: x0, x1, y0, y1 (see code_at)
        self._figure, self._renderer, self._legend = self._build(shapes)
        self._shape_names = shapes["name"].tolist()
        self._recolour()
        self._pane = Bokeh(self._figure, sizing_mode="stretch_width")
        # Served with threads, a widget's callback runs off the event loop: Bokeh models may only change
        # there, holding the document lock, so each update is handed to `pn.state.execute`.
        for update, names in ((self._on_values, ["values", "unit", "no_data"]), (self._on_highlight, ["highlight"]),
                              (self._on_names, ["names"]), (self._on_title, ["title"])):
            self.param.watch(lambda *_events, update=update: pn.state.execute(update), names)

    # ---------------------------------------------------------------- columns
    def _names(self, shapes: pd.DataFrame) -> list[str]:
        return [self.names.get(code, name) if isinstance(code, str) else name
                for code, name in zip(shapes["country_code"], shapes["name"], strict=True)]

    def _value_array(self) -> np.ndarray:
        out = np.full(len(self._codes), np.nan)
        if self.values is not None and len(self.values):
            known = self.values[self.values.index.isin(self._row.keys())]
            out[[self._row[c] for c in known.index]] = known.to_numpy(dtype=float)
        return out

    def _value_columns(self) -> dict:
        values = self._value_array()
        return {"value": values, "value_text": [format_value(v, self.unit, self.no_data) for v in values]}

    def _outline_columns(self) -> dict:
        wanted = set(self.highlight)
        chosen = [isinstance(c, str) and c in wanted for c in self._codes]
        return {"line_color": [HIGHLIGHT if c else OUTLINE for c in chosen],
                "line_width": [2.0 if c else 0.5 for c in chosen]}

    # ---------------------------------------------------------------- figure
    def _build(self, shapes: pd.DataFrame):
        rings_x = [ring for polygons in shapes["xs"] for polygon in polygons for ring in polygon]
        rings_y = [ring for polygons in shapes["ys"] for polygon in polygons for ring in polygon]
        if rings_x:
            xs, ys = np.concatenate(rings_x), np.concatenate(rings_y)
            x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        else:  # no boundaries loaded: an empty world of Equal Earth's extent
            x0, x1, y0, y1 = -2.71, 2.71, -1.32, 1.32
        width = round(self.height * (x1 - x0) / (y1 - y0))
        # No axes (hidden axes were ten models: axes, tickers, formatters, labels, grids) and the
        # renderer built directly (`fig.multi_polygons` adds unused non-selection and muted glyphs).
        fig = figure(height=self.height, width=width, sizing_mode="scale_width", title=self.title,
                     x_range=Range1d(x0, x1, bounds=(x0, x1)), y_range=Range1d(y0, y1, bounds=(y0, y1)),
                     x_axis_type=None, y_axis_type=None,
                     tools="pan,wheel_zoom,reset", active_scroll=None, toolbar_location="right",
                     match_aspect=True, min_border=0, outline_line_color=None)
        fig.toolbar.autohide = True
        fig.background_fill_color = "#f8fafc"
        renderer = GlyphRenderer(data_source=self._source, glyph=MultiPolygons(
            xs="xs", ys="ys", fill_color=NO_DATA, line_color="line_color", line_width="line_width"))
        fig.renderers.append(renderer)
        fig.add_tools(HoverTool(renderers=[renderer], tooltips=[("", "@name"), ("", "@value_text")],
                                point_policy="follow_mouse", attachment="right"))
        # A click is the figure's Tap event (map coordinates), matched to a country here. Not a TapTool
        # selection: the browser keeps a selection, so a second click on the same country changed
        # nothing and never reached the server; every tap is an event.
        fig.on_event(Tap, self._on_tap)
        legend = ColorBar(color_mapper=self._mappers["linear"], orientation="horizontal", location="bottom_left",
                          title=self.unit, width=260, height=10, padding=6, background_fill_alpha=0.7,
                          major_label_text_font_size="10px", title_text_font_size="11px")
        fig.add_layout(legend, "below")
        return fig, renderer, legend

    def _recolour(self) -> None:
        """Fit the colour scale to the values shown (type and range) and point glyph and legend at it."""
        values = np.asarray(self._source.data["value"], dtype=float)
        kind = colour_scale(values)
        mapper = self._mappers[kind]
        finite = values[np.isfinite(values)]
        if finite.size:
            if kind == "diverging":
                bound = float(np.abs(finite).max())
                mapper.update(low=-bound, high=bound)
            else:
                low, high = float(finite.min()), float(finite.max())
                mapper.update(low=low, high=high if high > low else low + 1)
        self._renderer.glyph.fill_color = transform("value", mapper)
        self._legend.update(color_mapper=mapper, title=self.unit, visible=bool(finite.size))

    # ---------------------------------------------------------------- updates
    def _on_values(self):
        self._source.data.update(self._value_columns())  # sends these two columns only
        self._recolour()

    def _on_highlight(self):
        self._source.data.update(self._outline_columns())

    def _on_names(self):
        self._source.data.update(name=[self.names.get(c, n) if c else n for c, n in
                                       zip(self._source.data["code"], self._shape_names, strict=True)])

    def _on_title(self):
        self._figure.title.text = self.title

    def code_at(self, x: float, y: float) -> str | None:
        """The code of the country drawn at map point (x, y); None over the sea or a shape without a code."""
        if self._bounds is None:  # built at the first click, not for every session
            self._bounds = np.array([_bounds(xs, ys) for xs, ys in zip(self.shapes["xs"], self.shapes["ys"],
                                                                      strict=True)]).reshape(-1, 4)
        b = self._bounds
        for row in np.flatnonzero((b[:, 0] <= x) & (x <= b[:, 1]) & (b[:, 2] <= y) & (y <= b[:, 3])):
            code = self._codes[row]
            if isinstance(code, str) and _contains(self.shapes["xs"].iat[row], self.shapes["ys"].iat[row], x, y):
                return code
        return None

    def _on_tap(self, event) -> None:
        code = self.code_at(event.x, event.y)
        if code is None:
            return
        if code == self.clicked:
            self.param.trigger("clicked")
        else:
            self.clicked = code

    def __panel__(self):
        return self._pane
