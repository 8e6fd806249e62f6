"""RouteNetwork.along_route_m_many: many pairs at once, equal to measure() pair by pair.

Paper toy (tests/paper_toy.py): two parallel 1000 m banks 50 m apart (left y = 50,
right y = 0), local metres in EPSG:32651.
"""

from __future__ import annotations

import numpy as np
import pytest
from paper_toy import local_frame, lonlat
from shapely.geometry import LineString

from putuo_geo.network import RouteNetwork

MM = 1e-3


def lonlat_many(xy) -> np.ndarray:
    """Local metres, (n, 2) -> WGS-84 (lon, lat), (n, 2)."""
    return np.array([lonlat(float(x), float(y)) for x, y in xy]).reshape(-1, 2)


def banks_and_bridges(*bridge_x: float, walkable: bool = True) -> RouteNetwork:
    route = local_frame(
        [{"id": "left", "bank": "left"}, {"id": "right", "bank": "right"}],
        [LineString([(0, 50), (400, 50), (1000, 50)]), LineString([(0, 0), (1000, 0)])],
    )
    bridges = local_frame(
        [{"id": f"bridge-{x:g}", "walkable": walkable} for x in bridge_x],
        [LineString([(x, 0), (x, 50)]) for x in bridge_x],
    )
    return RouteNetwork.from_frames(route, bridges)


@pytest.mark.parametrize(
    ("a", "b", "expected_m"),
    [
        ((100, 50), (100, 0), 500 + 50 + 500),  # across the bridge at 600
        ((100, 0), (100, 50), 1050),  # symmetric
        ((100, 70), (900, 50), 800),  # same bank; the offset is not included
        ((610, 50), (620, 50), 10),  # same piece, straight along it
        ((300, 0), (300, 0), 0),
    ],
)
def test_paper_answers(a, b, expected_m):
    net = banks_and_bridges(600)
    (got,) = net.along_route_m_many(lonlat_many([a]), lonlat_many([b]))
    assert got == pytest.approx(expected_m, abs=MM)


def test_equals_measure_pair_by_pair():
    net = banks_and_bridges(250, 600, 900)
    rng = np.random.default_rng(11)
    a = rng.uniform((-100, -80), (1100, 130), size=(60, 2))
    b = rng.uniform((-100, -80), (1100, 130), size=(60, 2))
    a_ll, b_ll = lonlat_many(a), lonlat_many(b)
    many = net.along_route_m_many(a_ll, b_ll)
    one = [net.measure(tuple(p), tuple(q)).along_route_m for p, q in zip(a_ll, b_ll, strict=True)]
    assert many.shape == (60,)
    np.testing.assert_allclose(many, one, atol=MM)


def test_unconnected_banks_are_infinite():
    net = banks_and_bridges(600, walkable=False)
    got = net.along_route_m_many(
        lonlat_many([(100, 50), (100, 50)]), lonlat_many([(100, 0), (900, 50)])
    )
    assert got[0] == np.inf
    assert got[1] == pytest.approx(800, abs=MM)


def test_arrays_of_different_lengths_are_refused():
    net = banks_and_bridges(600)
    with pytest.raises(ValueError, match="3 points but b_lonlat has 2"):
        net.along_route_m_many(lonlat_many([(0, 0)] * 3), lonlat_many([(0, 0)] * 2))


def test_an_empty_batch_is_empty():
    net = banks_and_bridges(600)
    assert net.along_route_m_many(np.empty((0, 2)), np.empty((0, 2))).shape == (0,)


def test_the_batch_index_does_not_grow_the_graph():
    net = banks_and_bridges(600)
    before = (net.graph.number_of_nodes(), net.graph.number_of_edges())
    net.along_route_m_many(lonlat_many([(1, 1)]), lonlat_many([(999, 49)]))
    assert (net.graph.number_of_nodes(), net.graph.number_of_edges()) == before
