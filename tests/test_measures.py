"""Measures on hand-checked shapes: 3-4-5 triangles and 100 m squares in EPSG:32651."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from paper_toy import local_frame, lonlat
from shapely.geometry import LineString, Point, Polygon, box

from putuo_geo import config, measures

MM = 1e-3  # answers are exact to the millimetre


@pytest.fixture
def shapes() -> gpd.GeoDataFrame:
    """A 3-4-5 triangle (outline and area), its hypotenuse, a 100 m square, a point."""
    triangle = Polygon([(0, 0), (3, 0), (3, 4)])
    return local_frame(
        [{"id": k} for k in "abcde"],
        [
            triangle,
            triangle.exterior,
            LineString([(0, 0), (3, 4)]),
            box(0, 0, 100, 100),
            Point(10, 10),
        ],
    ).set_index(pd.Index(["tri", "ring", "hyp", "square", "pt"]))


@pytest.fixture
def creek() -> gpd.GeoDataFrame:
    """Three sections along y = 25, given out of order and one drawn upstream."""
    return local_frame(
        [
            {"id": "c2", "from_chainage_m": 700.0},
            {"id": "c0", "from_chainage_m": 0.0},
            {"id": "c1", "from_chainage_m": 400.0},
        ],
        [
            LineString([(700, 25), (1000, 25)]),
            LineString([(0, 25), (400, 25)]),
            LineString([(700, 25), (400, 25)]),  # reversed
        ],
    )


@pytest.fixture
def route() -> gpd.GeoDataFrame:
    return local_frame(
        [{"id": "left"}, {"id": "right"}],
        [LineString([(0, 50), (1000, 50)]), LineString([(0, 0), (1000, 0)])],
    )


def test_length_m_hand_checked_and_indexed_like_input(shapes):
    got = measures.length_m(shapes)
    assert isinstance(got, pd.Series)
    assert got.name == "length_m"
    assert list(got.index) == list(shapes.index)
    np.testing.assert_allclose(got.to_numpy(), [12, 12, 5, 400, 0], atol=MM)


def test_area_m2_hand_checked_and_indexed_like_input(shapes):
    got = measures.area_m2(shapes.geometry)  # a GeoSeries works too
    assert got.name == "area_m2"
    assert list(got.index) == list(shapes.index)
    np.testing.assert_allclose(got.to_numpy(), [6, 0, 0, 10_000, 0], atol=MM)


def test_any_crs_is_measured_in_utm_51n(shapes):
    # Web Mercator stretches lengths by 1/cos(31.24 deg) ~ 1.17; we must not.
    mercator = shapes.to_crs("EPSG:3857")
    assert mercator.length["hyp"] == pytest.approx(5.86, abs=0.02)
    assert measures.length_m(mercator)["hyp"] == pytest.approx(5, abs=MM)
    metric = shapes.to_crs(config.METRIC_CRS)
    assert measures.area_m2(metric)["tri"] == pytest.approx(6, abs=MM)


def test_no_crs_is_refused_not_measured_in_degrees(shapes):
    bare = gpd.GeoSeries(shapes.geometry.to_numpy())  # lon/lat values, CRS lost
    with pytest.raises(ValueError, match="no CRS"):
        measures.length_m(bare)
    with pytest.raises(ValueError, match="no CRS"):
        measures.area_m2(gpd.GeoDataFrame(geometry=bare))


def test_non_geometry_input_is_a_type_error():
    with pytest.raises(TypeError, match="GeoSeries or GeoDataFrame"):
        measures.length_m(pd.Series([1.0]))  # type: ignore[arg-type]


def test_empty_input_gives_empty_series():
    empty = gpd.GeoSeries([], crs=config.WEB_CRS)
    assert measures.length_m(empty).empty
    assert measures.area_m2(empty).empty


def test_creek_centreline_is_merged_downstream(creek):
    line, start_m = measures.creek_centreline(creek)
    assert start_m == 0.0
    assert line.length == pytest.approx(1000, abs=MM)
    x0, _ = line.coords[0]
    x1, _ = line.coords[-1]
    assert x1 - x0 == pytest.approx(1000, abs=MM)  # west -> east
    assert len(line.coords) == 4  # shared vertices not repeated


def test_creek_centreline_turns_a_reversed_first_section(creek):
    flipped = creek.copy()
    first = flipped.index[flipped["id"] == "c0"][0]
    flipped.loc[first, "geometry"] = flipped.geometry[first].reverse()
    line, _ = measures.creek_centreline(flipped)
    assert line.length == pytest.approx(1000, abs=MM)


def test_creek_centreline_needs_a_line():
    with pytest.raises(ValueError, match="no LineString"):
        measures.creek_centreline(gpd.GeoDataFrame(geometry=[], crs=config.WEB_CRS))


def test_chainage_m_along_the_merged_creek(creek):
    points = local_frame(
        [{}, {}, {}, {}, {}],
        [Point(100, 35), Point(650, 0), Point(1200, 25), Point(-50, 25), Point()],
    ).set_index(pd.Index([10, 20, 30, 40, 50]))
    got = measures.chainage_m(points, creek)
    assert got.name == "chainage_m"
    assert list(got.index) == [10, 20, 30, 40, 50]
    np.testing.assert_allclose(got.to_numpy()[:4], [100, 650, 1000, 0], atol=MM)
    assert np.isnan(got.iloc[4])


def test_chainage_m_starts_at_the_first_from_chainage(creek):
    shifted = creek.assign(from_chainage_m=creek["from_chainage_m"] + 500)
    got = measures.chainage_m(local_frame([{}], [Point(100, 25)]), shifted)
    assert got.iloc[0] == pytest.approx(600, abs=MM)


def test_offset_m_to_the_nearest_route_line(route):
    points = local_frame(
        [{}] * 5,
        [Point(100, 70), Point(100, 25), Point(-30, 50), Point(1003, 54), Point()],
    )
    got = measures.offset_m(points, route)
    assert got.name == "offset_m"
    # 20 m north of the left bank; midway; 30 m past the west end; a 3-4-5 past the east end
    np.testing.assert_allclose(got.to_numpy()[:4], [20, 25, 30, 5], atol=MM)
    assert np.isnan(got.iloc[4])


def test_offset_m_is_vectorised_over_many_points(route):
    rng = np.random.default_rng(1)
    xy = rng.uniform([-100, -100], [1100, 150], size=(2000, 2))
    points = local_frame([{}] * len(xy), [Point(x, y) for x, y in xy])
    got = measures.offset_m(points, route).to_numpy()
    # paper answer: distance to the nearer of two horizontal segments x in [0, 1000]
    dx = np.clip(-xy[:, 0], 0, None) + np.clip(xy[:, 0] - 1000, 0, None)
    want = np.minimum(np.hypot(dx, xy[:, 1] - 50), np.hypot(dx, xy[:, 1]))
    np.testing.assert_allclose(got, want, atol=MM)


def test_offset_m_with_an_empty_route_is_nan():
    points = local_frame([{}], [Point(0, 0)])
    got = measures.offset_m(points, gpd.GeoSeries([], crs=config.WEB_CRS))
    assert np.isnan(got.iloc[0])


def test_straight_m_3_4_5():
    assert measures.straight_m(lonlat(0, 0), lonlat(3, 4)) == pytest.approx(5, abs=MM)
    assert measures.straight_m(lonlat(0, 0), lonlat(0, 0)) == pytest.approx(0, abs=MM)


def test_straight_m_refuses_latlon_order():
    lon, lat = lonlat(0, 0)
    with pytest.raises(ValueError, match="b_lonlat"):
        measures.straight_m((lon, lat), (lat, lon + 100))


def test_lonlat_to_metric_round_trip():
    lon, lat = lonlat(3, 4)
    xy = measures.lonlat_to_metric([lon], [lat])
    np.testing.assert_allclose(xy[0], [345_003, 3_457_704], atol=MM)


def test_segment_trees_agree_with_whole_line_answers():
    # offset_m and chainage_m search 2-point segments; the answer must equal GEOS's
    # distance and line_locate_point on the whole (wiggly) line.
    xs = np.linspace(0, 3000, 300)
    wiggle = LineString(np.c_[xs, 100 * np.sin(xs / 200)])
    creek = local_frame([{"from_chainage_m": 0.0}], [wiggle])
    rng = np.random.default_rng(2)
    xy = rng.uniform([-200, -300], [3200, 300], size=(500, 2))
    points = local_frame([{}] * len(xy), [Point(x, y) for x, y in xy])
    metric_line = creek.to_crs(config.METRIC_CRS).geometry.iloc[0]
    metric_pts = points.to_crs(config.METRIC_CRS).geometry.to_numpy()
    np.testing.assert_allclose(
        measures.offset_m(points, creek).to_numpy(),
        shapely.distance(metric_line, metric_pts),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        measures.chainage_m(points, creek).to_numpy(),
        shapely.line_locate_point(metric_line, metric_pts),
        atol=1e-6,
    )
