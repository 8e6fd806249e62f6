"""putuo_geo.whereami on the paper toy (see ``paper_toy``) and on the real ``geo/``.

The toy: banks y = 50 (left) and y = 0 (right), x 0 -> 1000, creek chainage = x;
stations at (100, 50) left, (100, 0) and (900, 0) right; the walkable bridge-a at
x = 600, the rail bridge-b (not walkable) at x = 200.
"""

from __future__ import annotations

import pytest
from page_support import skip_reason
from paper_toy import lonlat

from putuo_geo import layers, whereami
from putuo_geo.network import RouteNetwork

MM = 1e-3


@pytest.fixture
def toy_net(toy_dir):
    atlas = layers.load_atlas(toy_dir)
    return RouteNetwork.from_atlas(atlas), atlas


def test_landmarks_place_stations_and_both_landings_of_walkable_bridges(toy_net):
    net, atlas = toy_net
    marks = {(m.kind, m.id, m.bank): m.chainage_m for m in whereami.landmarks(net, atlas)}
    assert marks == pytest.approx(
        {
            ("station", "station-01", "left"): 100.0,
            ("station", "station-02", "right"): 100.0,
            ("station", "station-03", "right"): 900.0,
            ("bridge", "bridge-a", "left"): 600.0,
            ("bridge", "bridge-a", "right"): 600.0,
        },
        abs=MM,
    )


def test_left_bank_10_m_off_at_x_300(toy_net):
    # (300, 60) -> route point (300, 50), 10 m; station-01 200 m upstream; bridge-a
    # 300 m downstream; nothing upstream but the rail bridge, which does not count.
    net, atlas = toy_net
    w = whereami.where_am_i(net, atlas, lonlat(300, 60))
    assert w.on_route_lonlat == pytest.approx(lonlat(300, 50), abs=1e-9)
    assert w.distance_m == pytest.approx(10, abs=MM)
    assert w.chainage_m == pytest.approx(300, abs=MM)
    assert (w.bank, w.route_id) == ("left", "route-left")
    assert w.upstream_station.landmark.id == "station-01"
    assert w.upstream_station.along_route_m == pytest.approx(200, abs=MM)
    assert w.downstream_station is None
    assert w.upstream_bridge is None
    assert w.downstream_bridge.landmark.id == "bridge-a"
    assert w.downstream_bridge.landmark.lonlat == pytest.approx(lonlat(600, 50), abs=1e-9)
    assert w.downstream_bridge.along_route_m == pytest.approx(300, abs=MM)


def test_right_bank_5_m_off_at_x_500(toy_net):
    # (500, -5) -> (500, 0), 5 m; station-02 400 m up, station-03 400 m down; bridge-a 100 m down.
    net, atlas = toy_net
    w = whereami.where_am_i(net, atlas, lonlat(500, -5))
    assert w.distance_m == pytest.approx(5, abs=MM)
    assert w.bank == "right"
    assert w.upstream_station.landmark.id == "station-02"
    assert w.upstream_station.along_route_m == pytest.approx(400, abs=MM)
    assert w.downstream_station.landmark.id == "station-03"
    assert w.downstream_station.along_route_m == pytest.approx(400, abs=MM)
    assert w.downstream_bridge.landmark.id == "bridge-a"
    assert w.downstream_bridge.along_route_m == pytest.approx(100, abs=MM)
    assert w.upstream_bridge is None


def test_past_the_bridge_it_is_upstream_and_cached_landmarks_give_the_same_answer(toy_net):
    # (700, 0) on the right bank: bridge-a 100 m upstream, station-03 200 m downstream.
    net, atlas = toy_net
    known = whereami.landmarks(net, atlas)
    w = whereami.where_am_i(net, atlas, lonlat(700, 0), known=known)
    assert w == whereami.where_am_i(net, atlas, lonlat(700, 0))
    assert w.distance_m == pytest.approx(0, abs=MM)
    assert w.upstream_bridge.along_route_m == pytest.approx(100, abs=MM)
    assert w.downstream_bridge is None
    assert w.downstream_station.along_route_m == pytest.approx(200, abs=MM)


def test_a_position_that_is_not_lonlat_is_refused(toy_net):
    net, atlas = toy_net
    with pytest.raises(ValueError, match="not a \\(lon, lat\\) pair"):
        whereami.where_am_i(net, atlas, (31.24, 121.38))


@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_between_stations_2_and_3_on_the_real_creek():
    # Halfway between stations 2 and 3 (left bank, Changning border reach): they are the
    # next stations either way, and the two walks add up to the walk between them.
    atlas = layers.load_atlas()
    net = RouteNetwork.from_atlas(atlas)
    at = atlas.stations.set_index("id").geometry
    a, b = (at["st-02"].x, at["st-02"].y), (at["st-03"].x, at["st-03"].y)
    w = whereami.where_am_i(net, atlas, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
    assert w.bank == "left"
    assert w.upstream_station.landmark.id == "st-02"
    assert w.downstream_station.landmark.id == "st-03"
    between = net.measure(a, b).along_route_m
    total = w.upstream_station.along_route_m + w.downstream_station.along_route_m
    assert total == pytest.approx(between, abs=0.01)
    assert w.upstream_station.landmark.chainage_m < w.chainage_m
    assert w.downstream_station.landmark.chainage_m > w.chainage_m
    # the next walkable bridge downstream lands on this bank; its walk is the network's
    bridge = w.downstream_bridge
    assert bridge is not None
    assert bridge.landmark.bank == "left"
    assert bridge.along_route_m == pytest.approx(
        net.measure(w.on_route_lonlat, bridge.landmark.lonlat).along_route_m, abs=MM
    )
