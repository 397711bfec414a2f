"""The World map tab of national trends on synthetic data: year values, the year control, click to compare."""

import json

import numpy as np
import pandas as pd
import panel as pn
import pytest
from bokeh.events import Tap

from tanso.emissions.national_view import NationalData
from tanso.geo.boundaries import equal_earth, map_shapes
from tanso.ui.geometry import map_geometry
from tanso.ui.national import map as national_map
from tanso.ui.national.app import NationalTrendsApp
from tanso.ui.national.store import NationalStore


def _frame() -> pd.DataFrame:
    rows = []
    for code, kind, base in [("KOR", "country", 600.0), ("JPN", "country", 1100.0), ("OWID_WRL", "world", 5e4)]:
        for year in range(2018, 2024):
            rows.append({"country_code": code, "country": code, "kind": kind, "year": year,
                         "total_ghg": base + year - 2018, "co2": None if year == 2023 else base})
    return pd.DataFrame(rows)


def _square(x0):
    return json.dumps({"type": "MultiPolygon", "coordinates": [[[[x0, 0], [x0 + 9, 0], [x0 + 9, 9], [x0, 0]]]]})


@pytest.fixture
def store(monkeypatch):
    shapes = map_shapes(pd.DataFrame({"country_code": ["KOR", "JPN", "CHN"], "name": ["Korea", "Japan", "China"],
                                      "geometry": [_square(0), _square(20), _square(40)]}))
    monkeypatch.setattr(national_map, "world_geometry", lambda engine, version: map_geometry(shapes))
    monkeypatch.setattr(national_map, "get_engine", lambda **kw: None)
    data = NationalData(_frame(), (), {"owid_co2": "2025-05", "naturalearth": "2.0.2"})
    store = NationalStore(data=data, tab="map")
    store.selection.countries = ["KOR"]
    return store


def test_year_values_keep_countries_with_data_only():
    values = national_map.year_values(_frame(), "co2", 2023)
    assert values.empty
    values = national_map.year_values(_frame(), "total_ghg", 2020)
    assert values.to_dict() == {"KOR": 602.0, "JPN": 1102.0}  # World is an aggregate: not on the map
    assert national_map.latest_year(_frame(), "co2") == 2022


def test_map_shows_the_latest_year_with_data_then_the_chosen_year(store):
    view = national_map.MapView(store=store)
    view.__panel__()
    view._body.get_root()
    chart = view._map
    assert chart.title == "Total GHG (incl. land use), 2023"
    assert list(chart._source.data["value"]) == [600.0 + 5, 1100.0 + 5, pytest.approx(float("nan"), nan_ok=True)]
    store.map.year = 2019
    assert chart.title.endswith("2019") and view._slider.value == view._input.value == 2019
    view._input.value = 2021  # the exact-year input drives the store (and so the URL)
    assert store.map.year == 2021 and chart._source.data["value"][0] == 603.0
    store.selection.indicator = "co2"
    assert chart.title.endswith("2021") and chart._source.data["value"][0] == 600.0


def test_a_click_adds_a_country_to_the_comparison_and_a_second_removes_it(store):
    view = national_map.MapView(store=store)
    view.__panel__()
    x, y = (float(v[0]) for v in equal_earth(np.array([27.0]), np.array([2.0])))  # inside JPN's triangle
    view._map._on_tap(Tap(view._map._figure, x=x, y=y))  # as the browser sends a click
    assert store.selection.countries == ["KOR", "JPN"] and view._map.highlight == ["KOR", "JPN"]
    view._map._on_tap(Tap(view._map._figure, x=x, y=y))  # the same country again
    assert store.selection.countries == ["KOR"] and view._map.highlight == ["KOR"]


def test_a_hidden_map_redraws_when_shown(store):
    view = national_map.MapView(store=store)
    view.__panel__()
    store.tab = "trends"
    store.map.year = 2018
    assert not view._map.title.endswith("2018")
    store.tab = "map"
    assert view._map.title.endswith("2018")


def test_the_app_has_a_map_tab_that_renders(store):
    app = NationalTrendsApp(store=store)
    root = pn.Row(*app.sidebar(), app).get_root()
    assert "World map" in " ".join(str(getattr(m, "title", "")) for m in root.references())
