"""The World map tab: the sidebar's indicator in one year; click a country to add it to the comparison.

The map is the kit's `Choropleth`; this view only feeds it the store's values and turns a click into a
change of the compared entities (`store.selection.countries`, also the URL and the Trends chart).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import panel as pn

from tanso.db.engine import get_engine
from tanso.server_metrics import observe_callback
from tanso.ui import safe
from tanso.ui.choropleth import Choropleth
from tanso.ui.geometry import world_geometry
from tanso.ui.view import TabView


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


class MapView(TabView):
    """World map of the indicator in the chosen year; a click adds or removes a country from the comparison."""

    tab = "map"
    depends = ("map.year", "selection.indicator", "selection.countries")

    def body(self):
        s = self.store
        version = s.data.versions.get("naturalearth")
        geometry = world_geometry(get_engine(start_embedded=False) if version else None, version)
        first, last = s.data.year_range
        year = self.year()
        self._map = Choropleth(geometry=geometry, no_data=self.t("nt.map.no_data"),
                               names={c: s.label(c) for c in geometry.shapes["country_code"].dropna()})
        self._slider = pn.widgets.IntSlider(label=self.t("nt.map.year"), start=first, end=last, value=year,
                                            sizing_mode="stretch_width", min_width=200)
        self._input = pn.widgets.IntInput(label=" ", start=first, end=last, value=year, width=90,
                                          css_classes=["map-year"])
        for widget in (self._slider, self._input):
            widget.param.watch(lambda event: setattr(s.map, "year", event.new), "value")
        self._source = safe.Markdown("", styles={"color": "#555", "font-size": "0.85em"}, margin=(0, 10))
        self._map.param.watch(self._toggle, "clicked")
        return pn.Column(pn.Row(self._slider, self._input, sizing_mode="stretch_width"), self._map, self._source,
                         sizing_mode="stretch_width")

    def year(self) -> int:
        s = self.store
        return s.map.year or latest_year(s.data.frame, s.ind.column) or s.data.year_range[1]

    @observe_callback("national_trends")
    def refresh(self) -> None:
        s, lang = self.store, self.store.lang
        ind, year = s.ind, self.year()
        self._slider.value = self._input.value = year
        values = year_values(s.data.frame, ind.column, year)
        title = self.t("nt.map.title", indicator=ind.label(lang), year=year)
        if values.empty:
            title = self.t("nt.map.empty", indicator=ind.label(lang), year=year)
        self._map.param.update(values=values, unit=ind.unit, title=title, highlight=list(s.codes))
        self._source.object = safe.join(" · ", [s.source(), self.t("nt.map.help")])

    def _toggle(self, event):
        sel = self.store.selection
        codes = list(sel.countries)
        sel.countries = [c for c in codes if c != event.new] if event.new in codes else [*codes, event.new]
