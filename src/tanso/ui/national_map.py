"""The national-trends World map tab: the sidebar's indicator in one year, click a country to compare it.

The map is the kit's `Choropleth`; this view only feeds it the store's values and turns a click into
a change of the compared countries (the store's `countries`, also the URL and the Trends chart).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import panel as pn
import param
from panel.viewable import Viewer

from tanso.db.engine import get_engine
from tanso.geo.queries import no_shapes, world_map_shapes
from tanso.ui import safe
from tanso.ui.choropleth import Choropleth
from tanso.ui.i18n import t


def year_values(frame: pd.DataFrame, column: str, year: int) -> pd.Series:
    """The indicator per country code in one year (countries only: aggregates have no shape)."""
    rows = frame[(frame["year"].to_numpy() == year) & (frame["kind"].to_numpy() == "country")]
    values = rows[column].to_numpy(dtype=float)
    keep = np.isfinite(values)
    return pd.Series(values[keep], index=rows["country_code"].to_numpy()[keep], name=column)


def latest_year(frame: pd.DataFrame, column: str) -> int | None:
    """The last year any country has a value of `column` (None when none has)."""
    years = frame.loc[frame[column].notna() & (frame["kind"] == "country"), "year"]
    return int(years.max()) if len(years) else None


class MapView(Viewer):
    """World map of the indicator in the chosen year; a click adds or removes a country from the comparison."""

    store = param.Parameter(doc="The NationalTrendsStore of the page")

    def __init__(self, **params):
        super().__init__(**params)
        s, lang = self.store, self.store.lang
        version = s.data.versions.get("naturalearth")
        shapes = world_map_shapes(get_engine(start_embedded=False), version) if version else no_shapes()
        first, last = s.data.year_range
        year = self._year()
        self._map = Choropleth(shapes=shapes, no_data=t("nt.map.no_data", lang),
                               names={c: s.label(c) for c in shapes["country_code"].dropna()})
        self._slider = pn.widgets.IntSlider(name=t("nt.map.year", lang), start=first, end=last, value=year,
                                            sizing_mode="stretch_width", min_width=200)
        self._input = pn.widgets.IntInput(name=" ", start=first, end=last, value=year, width=90,
                                          css_classes=["map-year"])
        for widget in (self._slider, self._input):
            widget.param.watch(lambda event: setattr(s, "map_year", event.new), "value")
        s.param.watch(self._sync_widgets, ["map_year", "indicator"])
        self._source = safe.Markdown("", styles={"color": "#555", "font-size": "0.85em"}, margin=(0, 10))
        self._stale = False
        s.param.watch(self._redraw, ["indicator", "map_year", "countries", "tab"])
        self._map.param.watch(self._toggle, "clicked")
        self._redraw()

    def _year(self) -> int:
        s = self.store
        return s.map_year or latest_year(s.data.frame, s.ind.column) or s.data.year_range[1]

    def _sync_widgets(self, *_):
        year = self._year()
        self._slider.value = self._input.value = year

    def _redraw(self, *events):
        s, lang = self.store, self.store.lang
        if s.tab != "map":  # hidden: redraw when shown again, not on every sidebar change
            self._stale = self._stale or any(e.name != "tab" for e in events)
            return
        if events and all(e.name == "tab" for e in events) and not self._stale:
            return
        self._stale = False
        ind, year = s.ind, self._year()
        values = year_values(s.data.frame, ind.column, year)
        title = t("nt.map.title", lang, indicator=ind.label(lang), year=year)
        if values.empty:
            title = t("nt.map.empty", lang, indicator=ind.label(lang), year=year)
        self._map.param.update(values=values, unit=ind.unit, title=title, highlight=list(s.codes))
        self._source.object = safe.join(" · ", [s.source(), t("nt.map.help", lang)])

    def _toggle(self, event):
        codes = list(self.store.countries)
        self.store.countries = [c for c in codes if c != event.new] if event.new in codes else [*codes, event.new]

    def __panel__(self):
        return pn.Column(pn.Row(self._slider, self._input, sizing_mode="stretch_width"), self._map, self._source,
                         sizing_mode="stretch_width")
