"""putuo_geo.along: batch chainage and walking distance on the toy atlas (answers on paper).

Toy layout (tests/toy_atlas.py): banks 30 m north (left) and south (right) of a straight
3,000 m creek; 60 m bridges at chainage 150, 450, ..., 2850 m, the last not walkable.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pytest
import shapely
import toy_atlas

from putuo_geo import along, config, overview


@pytest.fixture(scope="module")
def atlas():
    return toy_atlas.build_toy_atlas()


@pytest.fixture(scope="module")
def index(atlas):
    return along.RouteIndex.from_atlas(atlas)


def lonlat(chainage_m, north_m) -> np.ndarray:
    """Toy metric offsets (along the creek, north of it) -> WGS-84 (lon, lat) rows."""
    xy = np.column_stack(
        [toy_atlas.X0 + np.asarray(chainage_m, float), toy_atlas.Y0 + np.asarray(north_m, float)]
    )
    pts = gpd.GeoSeries(shapely.points(xy), crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    return np.column_stack([pts.x, pts.y])


@pytest.mark.parametrize(
    ("a", "b", "expected_m"),
    [
        ((1000, 30), (2000, 30), 1000.0),  # same bank, no bridge
        ((2000, 30), (1000, 30), 1000.0),  # symmetric
        ((100, 35), (100, -35), 50 + 60 + 50),  # nearest bridge at 150 m
        ((300, 30), (300, -30), 150 + 60 + 150),  # bridges at 150 and 450 tie
        ((2900, 30), (2900, -30), 350 + 60 + 350),  # 2850 is not walkable: use 2550
        ((10, 29), (20, 31), 10.0),  # same edge, straight along it
        ((500, 200), (500, 30), 0.0),  # both snap to the same route point
    ],
)
def test_walking_distance_matches_paper(index, a, b, expected_m):
    (got,) = index.along_route_m_many(lonlat([a[0]], [a[1]]), lonlat([b[0]], [b[1]]))
    assert got == pytest.approx(expected_m, abs=0.01)


def test_many_pairs_equal_one_pair_at_a_time(index):
    rng = np.random.default_rng(7)
    a = lonlat(rng.uniform(-300, 3300, 40), rng.uniform(-800, 800, 40))
    b = lonlat(rng.uniform(-300, 3300, 40), rng.uniform(-800, 800, 40))
    many = index.along_route_m_many(a, b)
    one = [index.along_route_m_many(a[k : k + 1], b[k : k + 1])[0] for k in range(40)]
    assert many.shape == (40,)
    np.testing.assert_allclose(many, one)
    assert np.all(np.isfinite(many))


def test_pairs_of_different_lengths_are_refused(index):
    with pytest.raises(ValueError, match="3 points but b_lonlat has 2"):
        index.along_route_m_many(lonlat([1, 2, 3], [0, 0, 0]), lonlat([1, 2], [0, 0]))


def test_chainage_matches_paper_and_the_one_point_function(atlas, index):
    points = lonlat([-100, 0, 999, 1500, 2999, 3100], [5, 40, -40, 300, 0, 0])
    got = index.chainage_m_many(points)
    np.testing.assert_allclose(got, [0, 0, 999, 1500, 2999, 3000], atol=0.01)
    one = [overview.creek_chainage_m(atlas, (x, y)) for x, y in points]
    np.testing.assert_allclose(got, one, atol=1e-6)


def test_snap_reports_offset_and_keeps_input_order(index):
    edge, position_m, offset_m = index.snap(lonlat([2000, 10, 1000], [100, -30, 30]))
    np.testing.assert_allclose(offset_m, [70, 0, 0], atol=0.01)
    assert len(set(edge.tolist())) == 3
    np.testing.assert_allclose(index.edge_length_m.sum(), 2 * 3000, atol=0.01)
    assert np.all((position_m >= 0) & (position_m <= index.edge_length_m[edge] + 1e-9))


def test_an_unwalkable_gap_is_infinite(atlas):
    no_bridges = dataclasses.replace(atlas, bridges=atlas.bridges.assign(walkable=False))
    index = along.RouteIndex.from_atlas(no_bridges)
    (got,) = index.along_route_m_many(lonlat([100], [30]), lonlat([100], [-30]))
    assert got == np.inf
