"""Country boundaries: reading the pinned GeoJSON (codes fixed, bad files refused) and the Equal Earth projection."""

import json

import numpy as np
import pandera.errors
import pytest

from tanso import catalog
from tanso.geo.boundaries import BoundaryInputError, equal_earth, map_shapes, read_boundaries


@pytest.fixture(scope="module")
def shipped():
    return read_boundaries(catalog.verified_path("naturalearth"))


def test_shipped_boundaries_have_iso_codes_where_natural_earth_writes_minus_99(shipped):
    assert len(shipped) == 177
    codes = dict(zip(shipped["name"], shipped["country_code"], strict=True))
    assert codes["France"] == "FRA" and codes["Norway"] == "NOR" and codes["South Korea"] == "KOR"
    assert codes["Kosovo"] == "OWID_KOS"  # OWID's code, so the map finds Kosovo's data
    assert set(shipped.loc[shipped["country_code"].isna(), "name"]) == {"N. Cyprus", "Somaliland"}


def test_no_ring_crosses_the_antimeridian(shipped):
    for name, text in zip(shipped["name"], shipped["geometry"], strict=True):
        if name == "Antarctica":  # runs around the pole along ±180°; left off the map
            continue
        for polygon in json.loads(text)["coordinates"]:
            for ring in polygon:
                lons = [p[0] for p in ring]
                assert max(lons) - min(lons) <= 180, name


def write(tmp_path, features) -> str:
    path = tmp_path / "shapes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


SQUARE = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]


def test_polygon_becomes_multipolygon_and_minus_99_becomes_null(tmp_path):
    frame = read_boundaries(write(tmp_path, [
        {"properties": {"name": "A", "iso_a3": "-99"}, "geometry": {"type": "Polygon", "coordinates": SQUARE}}]))
    assert frame["country_code"].isna().all()
    assert json.loads(frame["geometry"].iloc[0]) == {"type": "MultiPolygon", "coordinates": [SQUARE]}


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not a GeoJSON FeatureCollection"),
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ('{"features": [{"properties": {"name": "Dot"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}',
     r"feature 1 \(Dot\) is a 'Point'"),
    ('{"features": [{"properties": {}, "geometry": null}]}', "feature 1 has no name"),
])
def test_bad_files_are_refused_with_the_feature_named(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(BoundaryInputError, match=message):
        read_boundaries(path)


def test_two_shapes_with_one_code_fail_the_schema_check(tmp_path):
    shape = {"type": "Polygon", "coordinates": SQUARE}
    with pytest.raises(pandera.errors.SchemaError, match="a country code on two shapes"):
        read_boundaries(write(tmp_path, [{"properties": {"name": n, "iso_a3": "KOR"}, "geometry": shape}
                                         for n in ("A", "B")]))


def test_equal_earth_corners():
    # x(180°, 0°) = 2√3·π / (3·A1) = 2.70663; y(90°) = (π/3)(A1 + A2θ² + A3θ⁶ + A4θ⁸) with θ = π/3 → 1.31736
    x, y = equal_earth(np.array([0.0, 180.0, 0.0]), np.array([0.0, 0.0, 90.0]))
    assert x == pytest.approx([0.0, 2.70663, 0.0], abs=1e-5)
    assert y == pytest.approx([0.0, 0.0, 1.31736], abs=1e-5)


def test_map_shapes_leave_antarctica_off_and_nest_rings(shipped):
    shapes = map_shapes(shipped)
    assert len(shapes) == 176 and "ATA" not in set(shapes["country_code"].dropna())
    korea = shapes.set_index("name").loc["South Korea"]
    assert isinstance(korea["xs"][0][0], np.ndarray) and korea["xs"][0][0].dtype == np.float32
