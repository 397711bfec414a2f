"""The choropleth kit component without a browser: values replace only the value columns, scales, clicks."""

import json

import numpy as np
import pandas as pd
import pytest
from bokeh.events import Tap

from tanso.geo.boundaries import equal_earth, map_shapes
from tanso.ui.choropleth import Choropleth, colour_scale, format_value
from tanso.ui.geometry import map_geometry


def square(x0: float) -> str:
    ring = [[x0, 0], [x0 + 10, 0], [x0 + 10, 10], [x0, 10], [x0, 0]]
    return json.dumps({"type": "MultiPolygon", "coordinates": [[ring]]})


@pytest.fixture
def geometry():
    boundaries = pd.DataFrame({"country_code": ["KOR", "JPN", None], "name": ["South Korea", "Japan", "N. Cyprus"],
                               "geometry": [square(0), square(20), square(40)]})
    return map_geometry(map_shapes(boundaries))


def test_new_values_replace_the_value_columns_and_keep_the_geometry(geometry):
    chart = Choropleth(geometry=geometry, values=pd.Series({"KOR": 600.0, "OWID_WRL": 1.0}), unit="Mt")
    source = chart._source
    xs = source.data["xs"]
    assert source.data["value_text"] == ["600 Mt", "No data", "No data"]  # World has no shape: ignored
    chart.values = pd.Series({"JPN": 12.345})
    assert source.data["xs"] is xs
    assert np.isnan(source.data["value"][0]) and source.data["value"][1] == 12.345
    assert source.data["value_text"] == ["No data", "12.3 Mt", "No data"]


def test_colour_scale_follows_the_values(geometry):
    assert colour_scale(np.array([1.0, 50.0, np.nan])) == "linear"
    assert colour_scale(np.array([0.5, 50.0, 12000.0])) == "log"
    assert colour_scale(np.array([-3.0, 50.0])) == "diverging"
    assert colour_scale(np.array([np.nan])) == "linear"
    chart = Choropleth(geometry=geometry, values=pd.Series({"KOR": -5.0, "JPN": 20.0}))
    mapper = chart._renderer.glyph.fill_color.transform
    assert (mapper.low, mapper.high) == (-20.0, 20.0)  # symmetric around zero
    chart.values = pd.Series({"KOR": 1.0, "JPN": 1000.0})
    mapper = chart._renderer.glyph.fill_color.transform
    assert type(mapper).__name__ == "LogColorMapper" and (mapper.low, mapper.high) == (1.0, 1000.0)
    assert chart._legend.color_mapper is mapper


def test_format_value_digits_by_size():
    assert format_value(1234.4, "Mt", "–") == "1,234 Mt"
    assert format_value(12.34, "t", "–") == "12.3 t"
    assert format_value(0.1234, "%", "–") == "0.12 %"
    assert format_value(float("nan"), "t", "no data") == "no data"


def test_highlight_outlines_the_compared_countries(geometry):
    chart = Choropleth(geometry=geometry, highlight=["JPN"])
    assert chart._source.data["line_width"] == [0.5, 2.0, 0.5]
    chart.highlight = ["KOR", "JPN"]
    assert chart._source.data["line_width"] == [2.0, 2.0, 0.5]


def tap(chart, lon: float, lat: float) -> None:
    x, y = equal_earth(np.array([lon]), np.array([lat]))
    chart._on_tap(Tap(chart._figure, x=float(x[0]), y=float(y[0])))


def test_a_click_sets_clicked_every_time_and_ignores_the_sea_and_shapes_without_a_code(geometry):
    chart = Choropleth(geometry=geometry)
    seen = []
    chart.param.watch(lambda event: seen.append(event.new), "clicked")
    # squares: KOR 0–10°, JPN 20–30°, the codeless one 40–50° (longitude and latitude)
    for lon, lat in ((25, 5), (25, 5), (45, 5), (15, 5), (5, 9.5), (5, 10.5)):
        tap(chart, lon, lat)
    assert seen == ["JPN", "JPN", "KOR"]  # sea (15°, 5°) and above KOR (5°, 10.5°) pick nothing


def test_a_click_in_a_hole_is_outside(geometry):
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    ring = pd.DataFrame({"country_code": ["ZAF"], "name": ["Ring"],
                         "geometry": [json.dumps({"type": "MultiPolygon", "coordinates": [[outer, hole]]})]})
    chart = Choropleth(geometry=map_geometry(map_shapes(ring)))
    assert chart.code_at(*[float(v[0]) for v in equal_earth(np.array([5.0]), np.array([5.0]))]) is None
    assert chart.code_at(*[float(v[0]) for v in equal_earth(np.array([2.0]), np.array([5.0]))]) == "ZAF"


def test_names_and_title_update_in_place_and_the_pane_renders(geometry):
    chart = Choropleth(geometry=geometry, title="CO₂ 2022")
    model = chart.__panel__().get_root()
    chart.names = {"KOR": "대한민국"}
    chart.title = "CO₂ 2023"
    assert chart._source.data["name"] == ["대한민국", "Japan", "N. Cyprus"]
    assert chart._figure.title.text == "CO₂ 2023"
    assert model is not None


def test_no_boundaries_loaded_draws_an_empty_world():
    empty = map_shapes(pd.DataFrame(columns=["country_code", "name", "geometry"]))
    chart = Choropleth(geometry=map_geometry(empty), values=pd.Series({"KOR": 1.0}))
    assert chart._source.data["value"].size == 0
    chart.__panel__().get_root()


def test_the_geometry_goes_as_plain_numbers_built_once(geometry):
    """Rings are sent inside the message (no binary buffer per ring) and shared by every map of the shapes."""
    from bokeh.core.serialization import Serializer

    chart, again = Choropleth(geometry=geometry), Choropleth(geometry=geometry)
    assert again._source.data["xs"] is chart._source.data["xs"]
    serializer = Serializer()
    rep = serializer.encode(chart._source.data["xs"])
    assert serializer.buffers == []
    x0 = float(equal_earth(np.array([0.0]), np.array([0.0]))[0][0])
    assert rep[0][0][0][0] == round(x0, 4) and isinstance(rep[0][0][0][0], float)
    assert len(rep) == 3 and len(rep[0][0][0]) == 5  # three shapes, one square ring of five points each
