"""The route network on a two-bank toy whose answers are on paper.

Two parallel 1000 m banks 50 m apart (left y = 50, right y = 0), x from 0 to 1000,
local metres in EPSG:32651. With one bridge at x = 600, from the left bank at
x = 100 to the right bank at x = 100: 500 + 50 + 500 = 1050 m.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pytest
import shapely
from paper_toy import X0, Y0, local_frame, lonlat
from shapely.geometry import LineString, Point

from putuo_geo import config, layers
from putuo_geo.errors import PutuoGeoError, RouteError, localise
from putuo_geo.network import Endpoint, Measurement, RouteNetwork
from putuo_geo.places import resolve_place

MM = 1e-3


def banks(*lines: LineString, bank_of: list[str] | None = None) -> gpd.GeoDataFrame:
    lines = lines or (LineString([(0, 50), (1000, 50)]), LineString([(0, 0), (1000, 0)]))
    names = bank_of or ["left", "right", "left", "right"][: len(lines)]
    return local_frame(
        [{"id": f"route-{i}", "bank": b} for i, b in enumerate(names)],
        list(lines),
    )


def bridges(*items: tuple[str, shapely.Geometry, bool]) -> gpd.GeoDataFrame:
    return local_frame(
        [{"id": bid, "walkable": ok} for bid, _, ok in items],
        [g for _, g, _ in items],
    )


BRIDGE_LINE = ("bridge-600", LineString([(600, 0), (600, 50)]), True)
BRIDGE_POINT = ("bridge-600", Point(600, 25), True)


def metric_length(path: LineString) -> float:
    return float(gpd.GeoSeries([path], crs=config.WEB_CRS).to_crs(config.METRIC_CRS).length[0])


@pytest.mark.parametrize("bridge", [BRIDGE_LINE, BRIDGE_POINT], ids=["line", "point"])
def test_across_one_bridge_is_500_50_500(bridge):
    net = RouteNetwork.from_frames(banks(), bridges(bridge))
    m = net.measure(lonlat(100, 50), lonlat(100, 0))
    assert isinstance(m, Measurement)
    assert m.along_route_m == pytest.approx(1050, abs=MM)
    assert m.straight_m == pytest.approx(50, abs=MM)
    assert m.bridges == ["bridge-600"]
    assert metric_length(m.path) == pytest.approx(1050, abs=MM)
    assert m.path.coords[0] == pytest.approx(m.start.on_route_lonlat, abs=1e-9)
    assert m.path.coords[-1] == pytest.approx(m.end.on_route_lonlat, abs=1e-9)


def test_measure_is_symmetric():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    there = net.measure(lonlat(100, 50), lonlat(100, 0))
    back = net.measure(lonlat(100, 0), lonlat(100, 50))
    assert back.along_route_m == pytest.approx(there.along_route_m, abs=MM)
    assert back.bridges == there.bridges


def test_same_piece_is_measured_directly():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    m = net.measure(lonlat(100, 50), lonlat(300, 50))
    assert m.along_route_m == pytest.approx(200, abs=MM)
    assert m.bridges == []
    assert metric_length(m.path) == pytest.approx(200, abs=MM)


def test_same_bank_past_a_bridge_landing():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    m = net.measure(lonlat(100, 50), lonlat(900, 50))
    assert m.along_route_m == pytest.approx(800, abs=MM)
    assert m.bridges == []


def test_same_point_is_zero():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    m = net.measure(lonlat(100, 50), lonlat(100, 50))
    assert m.along_route_m == pytest.approx(0, abs=MM)
    assert len(m.path.coords) == 2


def test_off_route_points_join_with_their_offsets():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    # 20 m north of the left bank; 3 m past the east end and 4 m south of the right bank
    m = net.measure(lonlat(100, 70), lonlat(1003, -4))
    assert m.start.offset_m == pytest.approx(20, abs=MM)
    assert m.end.offset_m == pytest.approx(5, abs=MM)
    assert m.along_route_m == pytest.approx(500 + 50 + 400, abs=MM)
    assert m.total_m == pytest.approx(950 + 25, abs=MM)
    assert m.start.on_route_lonlat == pytest.approx(lonlat(100, 50), abs=1e-9)
    assert m.end.on_route_lonlat == pytest.approx(lonlat(1000, 0), abs=1e-9)
    assert m.start.route_id == "route-0"
    assert m.end.route_id == "route-1"


def test_the_shorter_of_two_bridges_wins_and_non_walkable_is_ignored():
    rail = ("rail-150", Point(150, 25), False)
    near = ("bridge-200", Point(200, 25), True)
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE, rail))
    assert net.measure(lonlat(100, 50), lonlat(100, 0)).bridges == ["bridge-600"]
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE, rail, near))
    m = net.measure(lonlat(100, 50), lonlat(100, 0))
    assert m.along_route_m == pytest.approx(100 + 50 + 100, abs=MM)
    assert m.bridges == ["bridge-200"]


def test_bridges_are_listed_in_crossing_order():
    west = ("bridge-200", Point(200, 25), True)
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE, west))
    # left x=100 -> right x=50 crosses once, at the nearer bridge: 100 + 50 + 150
    m = net.measure(lonlat(100, 50), lonlat(50, 0))
    assert m.bridges == ["bridge-200"]
    assert m.along_route_m == pytest.approx(300, abs=MM)
    # Crossing twice: three banks side by side, bridges at x=200 (top) and x=800 (bottom).
    three = banks(
        LineString([(0, 100), (1000, 100)]),
        LineString([(0, 50), (1000, 50)]),
        LineString([(0, 0), (1000, 0)]),
        bank_of=["left", "right", "left"],
    )
    zig = bridges(
        ("upper", LineString([(200, 50), (200, 100)]), True),
        ("lower", LineString([(800, 0), (800, 50)]), True),
    )
    m = RouteNetwork.from_frames(three, zig).measure(lonlat(100, 100), lonlat(900, 0))
    assert m.bridges == ["upper", "lower"]
    assert m.along_route_m == pytest.approx(100 + 50 + 600 + 50 + 100, abs=MM)


def test_unreachable_is_a_clear_error():
    net = RouteNetwork.from_frames(banks(), None)
    with pytest.raises(RouteError, match="not connected along the route") as info:
        net.measure(lonlat(100, 50), lonlat(100, 0))
    assert isinstance(info.value, PutuoGeoError)
    assert "route-0" in str(info.value)
    assert "route-1" in str(info.value)
    zh = localise(info.value, "zh")  # the Chinese page shows it in Chinese
    assert zh.endswith("沿步道不相连：没有可步行的路径把步道段 “route-0” 与 “route-1” 连起来。")


def test_only_non_walkable_bridges_is_unreachable():
    net = RouteNetwork.from_frames(banks(), bridges(("rail", Point(600, 25), False)))
    with pytest.raises(RouteError):
        net.measure(lonlat(100, 50), lonlat(100, 0))


def test_ends_within_a_metre_are_joined():
    split = banks(
        LineString([(0, 50), (500, 50)]),
        LineString([(500.6, 50), (1000, 50)]),
        bank_of=["left", "left"],
    )
    m = RouteNetwork.from_frames(split).measure(lonlat(100, 50), lonlat(900, 50))
    # The 0.6 m gap is one node: 400 + 399.4 walked.
    assert m.along_route_m == pytest.approx(799.4, abs=MM)


def test_ends_further_apart_are_not_joined():
    split = banks(
        LineString([(0, 50), (500, 50)]),
        LineString([(505, 50), (1000, 50)]),
        bank_of=["left", "left"],
    )
    with pytest.raises(RouteError):
        RouteNetwork.from_frames(split).measure(lonlat(100, 50), lonlat(900, 50))


def test_an_end_touching_another_segment_splits_it():
    spur = banks(
        LineString([(0, 50), (1000, 50)]),
        LineString([(300, 50), (300, 150)]),
        bank_of=["left", "left"],
    )
    m = RouteNetwork.from_frames(spur).measure(lonlat(300, 150), lonlat(100, 50))
    assert m.along_route_m == pytest.approx(100 + 200, abs=MM)


def test_a_bridge_too_far_from_the_route_is_reported():
    far = ("far", Point(600, 300), True)
    one_end_far = ("one-end-far", LineString([(400, 50), (400, 200)]), True)
    one_bank = ("one-bank", LineString([(400, 50), (400, 120)]), True)
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE, far, one_end_far, one_bank))
    assert net.unlinked_bridges == ("far", "one-end-far", "one-bank")
    assert [d["id"] for *_, d in net.graph.edges(data=True) if d["kind"] == "bridge"] == [
        "bridge-600"
    ]


def test_without_a_bank_column_bridges_join_two_lines():
    plain = banks().drop(columns="bank")
    net = RouteNetwork.from_frames(plain, bridges(BRIDGE_POINT))
    assert net.measure(lonlat(100, 50), lonlat(100, 0)).along_route_m == pytest.approx(1050, abs=MM)


def test_a_point_bridge_needs_both_banks_within_reach():
    narrow = banks(LineString([(0, 50), (1000, 50)]), LineString([(0, -200), (1000, -200)]))
    net = RouteNetwork.from_frames(narrow, bridges(("b", Point(600, 25), True)))
    assert net.unlinked_bridges == ("b",)
    net = RouteNetwork.from_frames(narrow, bridges(("b", Point(600, 25), True)), bridge_snap_m=250)
    assert net.unlinked_bridges == ()


def test_graph_nodes_edges_and_weights():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    # 4 bank ends + 2 landings; each bank split in two; one bridge
    assert net.graph.number_of_nodes() == 6
    assert net.graph.number_of_edges() == 5
    weights = sorted(round(d["weight"], 3) for _, _, d in net.graph.edges(data=True))
    assert weights == [50, 400, 400, 600, 600]
    edges = net.edges_frame()
    assert edges.crs.equals(config.WEB_CRS)
    assert sorted(edges["kind"]) == ["bridge", "route", "route", "route", "route"]
    assert net.length_m == pytest.approx(2000, abs=MM)


def test_network_is_immutable_and_queries_do_not_grow_it():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    before = (net.graph.number_of_nodes(), net.graph.number_of_edges())
    net.measure(lonlat(100, 70), lonlat(950, -10))
    net.measure(lonlat(333, 50), lonlat(777, 0))
    assert (net.graph.number_of_nodes(), net.graph.number_of_edges()) == before
    with pytest.raises(nx.NetworkXError):
        net.graph.add_node(99)


def test_empty_route_is_an_error():
    with pytest.raises(RouteError, match="no LineString") as info:
        RouteNetwork.from_frames(gpd.GeoDataFrame({"id": []}, geometry=[], crs=config.WEB_CRS))
    assert localise(info.value, "zh") == "步道图层没有可用来构建步行网络的线（LineString）。"


def test_route_in_metres_is_accepted():
    metric = banks().to_crs(config.METRIC_CRS)
    m = RouteNetwork.from_frames(metric, bridges(BRIDGE_LINE)).measure(
        lonlat(100, 50), lonlat(100, 0)
    )
    assert m.along_route_m == pytest.approx(1050, abs=MM)


def test_bad_lonlat_is_refused():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    lon, lat = lonlat(100, 50)
    with pytest.raises(ValueError, match="not a \\(lon, lat\\)"):
        net.measure((lat, lon + 100), (lon, lat))


def test_tuple_endpoints_are_labelled_latlon():
    net = RouteNetwork.from_frames(banks(), bridges(BRIDGE_LINE))
    lon, lat = lonlat(100, 50)
    end = net.snap((lon, lat))
    assert isinstance(end, Endpoint)
    assert end.label == f"{lat:.6f},{lon:.6f}"
    assert end.id is None
    assert end.chainage_m is None  # no creek given


def test_from_atlas_carries_places_and_chainage(toy_dir):
    atlas = layers.load_atlas(toy_dir)
    net = RouteNetwork.from_atlas(atlas)
    a = resolve_place("station-01", atlas)
    b = resolve_place("Station 2", atlas)
    m = net.measure(a, b)
    assert m.along_route_m == pytest.approx(1050, abs=MM)
    assert m.bridges == ["bridge-a"]  # bridge-b is rail, not walkable
    assert (m.start.id, m.start.name_zh) == ("station-01", "驿站1")
    assert m.end.label == "Station 2"
    assert m.start.chainage_m == pytest.approx(100, abs=MM)
    assert m.end.chainage_m == pytest.approx(100, abs=MM)
    # an Endpoint can be measured again
    again = net.measure(m.end, m.start)
    assert again.along_route_m == pytest.approx(1050, abs=MM)
    assert again.start.id == "station-02"


def test_toy_origin_is_where_conftest_says():
    lon, lat = lonlat(0, 0)
    pt = gpd.GeoSeries([Point(lon, lat)], crs=config.WEB_CRS).to_crs(config.METRIC_CRS)[0]
    assert (pt.x, pt.y) == pytest.approx((X0, Y0), abs=MM)
