"""import-osm on the toy district and toy extracts of ``osm_toy`` (answers on paper there).

Way ids in the full toy extract: 1001-1002 the creek, 1003 the water area, 1004 the
promenade, 1005 a perpendicular footway, 1006 a far footway, 1007 Wuning Road
Bridge, 1008 the metro bridge, 1009 a bridge that does not cross, 1010 the park.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import shapely.affinity
from osm_toy import (
    CREEK_TAGS,
    WATER_TAGS,
    creek_ways,
    toy_nodes,
    toy_ways,
    write_extract,
    write_toy_atlas,
)
from paper_toy import X0, Y0
from shapely.geometry import LineString, Point

from putuo_geo import cli, config, osm
from putuo_geo.errors import ExtractError
from putuo_geo.osm_import import REPORT_NAME, import_osm


def local(folder: Path, name: str) -> gpd.GeoDataFrame:
    """A written layer in the toy's local metres, indexed by id."""
    frame = gpd.read_file(folder / f"{name}.geojson").to_crs(config.METRIC_CRS)
    frame["geometry"] = [shapely.affinity.translate(g, -X0, -Y0) for g in frame.geometry]
    return frame.set_index("id")


@pytest.fixture
def atlas_dir(tmp_path: Path) -> Path:
    return write_toy_atlas(tmp_path / "geo")


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return write_extract(tmp_path / "toy.osm", creek_ways() + toy_ways(), toy_nodes())


@pytest.fixture
def imported(atlas_dir: Path, extract: Path, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    out = tmp_path / "out"
    return import_osm(extract, data_dir=atlas_dir, out_dir=out), out


# ------------------------------------------------------------------------ reading


def test_read_extract_exposes_names_and_tags_as_columns(extract):
    ex = osm.read_extract(extract)
    creek = osm.creek_lines(ex)
    assert sorted(creek["osm_ref"]) == ["way/1001", "way/1002"]
    assert set(creek["name_en"]) == {"Suzhou Creek"}
    assert set(creek["name"]) == {"苏州河"}
    bridges = osm.bridge_ways(ex)
    assert sorted(bridges["osm_ref"]) == ["way/1007", "way/1008", "way/1009"]
    assert list(osm.parks(ex)["osm_ref"]) == ["way/1010"]
    assert ex.lines.crs == config.METRIC_CRS


def test_crossing_kind_from_tags():
    assert osm.crossing_kind({"railway": "subway"}) == ("metro", False)
    assert osm.crossing_kind({"railway": "rail"}) == ("rail", False)
    assert osm.crossing_kind({"highway": "footway"}) == ("pedestrian", True)
    assert osm.crossing_kind({"highway": "motorway"}) == ("road", False)
    assert osm.crossing_kind({"highway": "primary", "foot": "no"}) == ("road", False)
    assert osm.crossing_kind({"highway": "primary"}) == ("road", True)


def test_names_are_normalised_for_matching():
    assert osm.normalise_name("Mengqing  Garden") == osm.normalise_name("mengqing-garden")
    assert osm.names_of({"name": "梦清园", "name_en": None}) == {"梦清园"}
    assert osm.display_names({"name": "梦清园"}) == (None, "梦清园")
    assert osm.display_names({"name": "M50", "name_zh": "M50创意园"}) == ("M50", "M50创意园")


def test_an_unreadable_extract_is_an_error(tmp_path):
    bad = tmp_path / "bad.osm"
    bad.write_text("not osm at all", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"bad\.osm"):
        osm.read_extract(bad)
    with pytest.raises(ExtractError, match="does not exist"):
        osm.read_extract(tmp_path / "missing.osm.pbf")


# ------------------------------------------------------------------------- creek


def test_creek_is_clipped_to_putuo_and_split_border_inside_border(imported):
    _, out = imported
    creek = local(out, "creek")
    assert list(creek.index) == ["creek-border-a", "creek-inside", "creek-border-b"]
    assert list(creek["section"]) == ["border", "inside", "border"]
    assert list(creek["neighbour"].fillna("-")) == ["Changning", "-", "Jing'an"]
    assert list(creek["from_chainage_m"]) == pytest.approx([0, 1000, 2000], abs=0.5)
    assert list(creek["to_chainage_m"]) == pytest.approx([1000, 2000, 3000], abs=0.5)
    line = shapely.line_merge(shapely.union_all(list(creek.geometry)))
    assert line.length == pytest.approx(3000, abs=1)
    assert line.hausdorff_distance(LineString([(0, 0), (3000, 0)])) < 0.5  # clipped at x 0, 3000
    assert set(creek["osm_id"]) == {"way/1001;way/1002"}
    assert all(s.startswith(osm.OSM_SOURCE) for s in creek["source"])
    assert set(creek["status"]) == {"confirmed"}


def test_a_water_area_alone_gives_a_centreline(atlas_dir, tmp_path):
    water = (WATER_TAGS, [(-500, -30), (3500, -30), (3500, 30), (-500, 30), (-500, -30)])
    extract = write_extract(tmp_path / "water.osm", [water, *toy_ways()[1:]], toy_nodes())
    report = import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")
    assert report["creek"] == {"method": "area", "osm_id": ["way/1001"]}
    creek = local(tmp_path / "out", "creek")
    assert list(creek["section"]) == ["border", "inside", "border"]
    for geom in creek.geometry:
        assert max(abs(y) for _, y in geom.coords) < 0.5  # midway between y = -30 and 30


# ------------------------------------------------------------------------- route


def test_bank_paths_follow_promenade_then_water_edge_then_offset(imported):
    _, out = imported
    route = local(out, "route")
    assert sorted(route.index) == [
        "route-left-border-a",
        "route-left-border-b",
        "route-left-inside",
        "route-right-inside",
    ]

    def y_at(fid: str, x: float) -> float:
        hit = route.loc[fid, "geometry"].intersection(LineString([(x, -100), (x, 100)]))
        return float(hit.y)

    assert y_at("route-left-border-a", 500) == pytest.approx(30, abs=0.2)  # the promenade
    assert y_at("route-left-inside", 1500) == pytest.approx(25, abs=0.2)  # water edge
    assert y_at("route-right-inside", 1500) == pytest.approx(-25, abs=0.2)
    assert y_at("route-left-border-b", 2500) == pytest.approx(27, abs=0.2)  # offset rule
    assert route.loc["route-left-border-a", "osm_id"] == "way/1004"  # not 1005 / 1006
    assert "80% mapped footways" in route.loc["route-left-border-a", "source"]


# ----------------------------------------------------------------------- bridges


def test_bridges_crossing_the_creek_are_found_and_matched(imported):
    _, out = imported
    bridges = local(out, "bridges")
    assert list(bridges.index) == ["br-old-footbridge", "br-wuning-rd", "br-osm-1008"]
    wuning = bridges.loc["br-wuning-rd"]
    assert wuning["chainage_m"] == pytest.approx(1500, abs=0.5)
    assert wuning["osm_id"] == "way/1007"
    assert wuning["opened"] == 1987  # kept from the old feature
    assert wuning.geometry.hausdorff_distance(LineString([(1500, 25), (1500, -25)])) < 0.5
    metro = bridges.loc["br-osm-1008"]
    assert (metro["crossing"], metro["walkable"], metro["name_zh"]) == (
        "metro",
        False,
        "轨道交通3号线桥",
    )
    assert metro["chainage_m"] == pytest.approx(2500, abs=0.5)
    assert not bridges["osm_id"].fillna("").str.contains("way/1009").any()  # does not cross
    kept = bridges.loc["br-old-footbridge"]
    assert kept["chainage_m"] == pytest.approx(500, abs=0.5)
    assert kept["osm_id"] is None or kept["osm_id"] != kept["osm_id"]  # null


# ----------------------------------------------------------------- parks and sites


def test_park_outline_matched_by_name(imported):
    _, out = imported
    park = local(out, "parks").loc["park-changfeng"]
    assert park.geometry.area == pytest.approx(300 * 300, rel=0.001)
    assert (park["outline"], park["osm_id"]) == ("mapped", "way/1010")


def test_sites_move_only_when_matched_and_none_is_invented(imported):
    report, out = imported
    sites = local(out, "sites")
    assert sorted(sites.index) == ["site-mint", "site-nowhere"]
    assert sites.loc["site-mint"].geometry.distance(Point(1250, 300)) < 0.2
    assert sites.loc["site-mint", "category"] == "culture_heritage"
    assert sites.loc["site-nowhere"].geometry.distance(Point(2500, 500)) < 0.2
    assert any("site-nowhere" in note for note in report["notes"])


# ---------------------------------------------------------------------- stations


def test_stations_are_snapped_to_the_new_route(imported):
    _, out = imported
    stations = local(out, "stations")
    route = local(out, "route")
    bridges = local(out, "bridges")
    assert stations.loc["st-01"].geometry.distance(Point(500, 30)) < 0.2
    assert stations.loc["st-02"].geometry.distance(Point(1200, -25)) < 0.2
    assert list(stations["chainage_m"]) == pytest.approx([500, 1200, 1500], abs=0.5)
    assert list(stations["bank"]) == ["left", "right", "left"]
    # st-03 stood at Wuning Road Bridge's left end and stays at its new end.
    assert stations.loc["st-03"].geometry.distance(Point(1500, 25)) < 0.2
    assert stations.loc["st-03"].geometry.distance(bridges.loc["br-wuning-rd"].geometry) < 0.01
    for sid, row in stations.iterrows():
        assert row.geometry.distance(route.union_all()) < 0.01, sid


# ------------------------------------------------------------------------ report


def test_change_report_lists_moves_with_distances(imported):
    report, out = imported
    layers = report["layers"]
    moved = {m["id"]: m["moved_m"] for name in layers for m in layers[name]["moved"]}
    assert moved["creek-border-a"] == pytest.approx(10.0, abs=0.2)
    assert moved["site-mint"] == pytest.approx(50.0, abs=0.2)
    assert moved["park-changfeng"] == pytest.approx(50 * 2**0.5, abs=0.2)
    assert moved["st-01"] == pytest.approx(7.0, abs=0.2)
    assert moved["st-03"] == pytest.approx((20**2 + 12**2) ** 0.5, abs=0.2)
    assert layers["bridges"]["added"] == ["br-osm-1008"]
    assert layers["zones"] == {"added": [], "removed": [], "moved": [], "unchanged": 3}
    assert report["lengths"]["creek_m"]["old"] == pytest.approx(3000, abs=1)
    assert report["lengths"]["creek_m"]["new"] == pytest.approx(3000, abs=1)
    assert json.loads((out / f"{REPORT_NAME}.json").read_text(encoding="utf-8")) == report
    markdown = (out / f"{REPORT_NAME}.md").read_text(encoding="utf-8")
    assert "added `br-osm-1008`" in markdown
    assert "moved `site-mint` by 50.0 m" in markdown


def test_output_carries_the_odbl_attribution(imported):
    _, out = imported
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "Open Database License" in package["description"]
    for res in package["resources"]:
        from_osm = any("import-osm" in s["title"] for s in res["sources"])
        assert from_osm == (res["name"] not in {"boundary", "zones", "events"}), res["name"]
        if from_osm:  # stations too: they are snapped onto the OSM-derived route
            assert any(lic["name"] == "ODbL-1.0" for lic in res["licenses"])


# ------------------------------------------------------------------------ errors


def test_an_extract_outside_putuo_is_an_error(atlas_dir, tmp_path):
    far = write_extract(tmp_path / "far.osm", creek_ways() + toy_ways(), shift_x_m=30_000)
    with pytest.raises(ExtractError, match="does not cover Putuo"):
        import_osm(far, data_dir=atlas_dir, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_extract_without_the_creek_is_an_error(atlas_dir, tmp_path):
    no_creek = write_extract(tmp_path / "dry.osm", toy_ways()[1:], toy_nodes())
    with pytest.raises(ExtractError, match="no Suzhou Creek"):
        import_osm(no_creek, data_dir=atlas_dir, out_dir=tmp_path / "out")


def test_a_creek_under_another_name_is_not_the_creek(atlas_dir, tmp_path):
    other = [({**CREEK_TAGS, "name": "某河", "name:en": "Some River"}, creek_ways()[0][1])]
    extract = write_extract(tmp_path / "other.osm", other + toy_ways()[1:])
    with pytest.raises(ExtractError, match="no Suzhou Creek"):
        import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")


# --------------------------------------------------------------------------- CLI


def test_cli_writes_a_new_folder_and_validates_it(atlas_dir, extract, capsys):
    assert cli.main(["import-osm", str(extract), "--data", str(atlas_dir)]) == 0
    out = atlas_dir.with_name("geo-osm")
    assert "moved `site-mint` by 50.0 m" in capsys.readouterr().out
    assert cli.main(["validate", str(out)]) == 0
    assert (atlas_dir / "creek.geojson").read_bytes() != (out / "creek.geojson").read_bytes()


def test_cli_errors_exit_1_without_a_traceback(atlas_dir, tmp_path, capsys):
    far = write_extract(tmp_path / "far.osm", creek_ways(), shift_x_m=30_000)
    assert cli.main(["import-osm", str(far), "--data", str(atlas_dir)]) == 1
    err = capsys.readouterr().err
    assert "does not cover Putuo" in err
    assert "Traceback" not in err


def test_cli_never_overwrites_the_data_folder_silently(atlas_dir, extract, capsys):
    before = (atlas_dir / "creek.geojson").read_bytes()
    assert (
        cli.main(["import-osm", str(extract), "--data", str(atlas_dir), "--out", str(atlas_dir)])
        == 1
    )
    assert "--in-place" in capsys.readouterr().err
    assert (atlas_dir / "creek.geojson").read_bytes() == before
    assert cli.main(["import-osm", str(extract), "--data", str(atlas_dir), "--in-place"]) == 0
    assert (atlas_dir / "creek.geojson").read_bytes() != before


# ------------------------------------------------- a real extract's disagreements
#
# Three extracts a real download can produce: a course far from the old model,
# a partial download (the loop alone), and a river that strays off the border.


def _p90_m(line: Any, target: Any, *, step_m: float = 10.0) -> float:
    """90th percentile distance (m) from points every ``step_m`` along ``line`` to ``target``."""
    n = max(int(line.length // step_m), 1)
    points = [line.interpolate(i * line.length / n) for i in range(n + 1)]
    distances = sorted(p.distance(target) for p in points)
    return distances[int(0.9 * (len(distances) - 1))]


#: The creek of the toy moved far south inside a 1000 m deep notch: its loop runs
#: along y = -600, 610 m from the old course (y = 10).
FAR_RIVER = [(-1000, 0), (0, 0), (1000, 0), (1100, -100), (1150, -600), (1500, -600)]
FAR_RIVER_2 = [(1500, -600), (1850, -600), (1900, -100), (2000, 0), (3000, 0), (4000, 0)]


def test_a_creek_moved_600_m_is_rebuilt_with_route_bridges_and_stations(tmp_path):
    atlas = write_toy_atlas(tmp_path / "geo", notch_depth_m=1000.0)
    tags = {"highway": "primary", "bridge": "yes", "name": "武宁路桥"}
    wuning = (tags, [(1500, -640), (1500, -560)])
    ways = [(CREEK_TAGS, FAR_RIVER), (CREEK_TAGS, FAR_RIVER_2), *toy_ways()[1:4], wuning]
    extract = write_extract(tmp_path / "far.osm", ways, toy_nodes())
    report = import_osm(extract, data_dir=atlas, out_dir=tmp_path / "out")
    out = tmp_path / "out"
    creek, route = local(out, "creek"), local(out, "route")
    stations, bridges = local(out, "stations"), local(out, "bridges")
    river = LineString(FAR_RIVER + FAR_RIVER_2[1:])
    old_course = LineString([(0, 10), (3000, 10)])

    # The creek follows the mapped river (p90 within 20 m), 500 m+ from the old course.
    assert list(creek["section"]) == ["border", "inside", "border"]
    inside = creek.loc["creek-inside"].geometry  # the id carries over by position
    assert _p90_m(inside, river) < 20.0
    assert max(Point(c).distance(old_course) for c in inside.coords) > 500.0
    assert set(creek["status"]) == {"confirmed"}
    # The route is rebuilt along it: both bank paths of the loop run 27 m off it.
    for rid in ("route-left-inside", "route-right-inside"):
        piece = route.loc[rid].geometry
        assert _p90_m(piece, inside) == pytest.approx(27.0, abs=3.0), rid
        assert _p90_m(piece, old_course) > 300.0, rid
        assert route.loc[rid, "status"] == "confirmed"
    # Wuning Road Bridge is matched by name and crosses the new creek.
    assert bridges.loc["br-wuning-rd"].geometry.distance(Point(1500, -600)) < 30.0
    # Stations are re-snapped: st-02 keeps its place along the loop (1/5 of the way)
    # instead of crowding at the point of the new course nearest its old one.
    network = route.union_all()
    for sid, row in stations.iterrows():
        assert row.geometry.distance(network) < 0.01, sid
    st02 = stations.loc["st-02"].geometry
    assert st02.distance(inside) == pytest.approx(27.0, abs=3.0)
    assert inside.project(st02) == pytest.approx(0.2 * inside.length, abs=30.0)
    assert stations.loc["st-03"].geometry.distance(bridges.loc["br-wuning-rd"].geometry) < 0.01
    assert report["kept_sections"] == []


def test_a_water_area_600_m_from_the_old_course_gives_its_centreline(tmp_path):
    atlas = write_toy_atlas(tmp_path / "geo", notch_depth_m=1000.0)
    river = LineString(FAR_RIVER + FAR_RIVER_2[1:])
    outline = [(x, y) for x, y in river.buffer(30.0, cap_style="flat").exterior.coords]
    extract = write_extract(tmp_path / "far-water.osm", [(WATER_TAGS, outline)])
    report = import_osm(extract, data_dir=atlas, out_dir=tmp_path / "out")
    assert report["creek"]["method"] == "area"
    inside = local(tmp_path / "out", "creek").loc["creek-inside"].geometry
    assert _p90_m(inside, river) < 20.0
    assert max(Point(c).distance(LineString([(0, 10), (3000, 10)])) for c in inside.coords) > 500


def test_a_partial_extract_updates_the_loop_and_keeps_the_rest(atlas_dir, tmp_path):
    # The old Jing'an reach was modelled: it must stay modelled, with its doubt.
    path = atlas_dir / "creek.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for f in doc["features"]:
        if f["properties"]["id"] == "creek-border-b":
            f["properties"].update(status="indicative", accuracy_m=300.0)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    loop_only = [(CREEK_TAGS, [(900, -5), (1500, -5), (2100, -5)]), toy_ways()[4]]
    extract = write_extract(tmp_path / "josm.osm", loop_only, toy_nodes()[:1])
    report = import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")
    out = tmp_path / "out"
    creek, route = local(out, "creek"), local(out, "route")

    assert report["kept_sections"] == ["creek-border-a", "creek-border-b"]
    assert list(creek.index) == ["creek-border-a", "creek-inside", "creek-border-b"]
    inside = creek.loc["creek-inside"]
    assert inside.status == "confirmed"
    assert all(abs(y + 5) < 0.5 for _, y in inside.geometry.coords)  # the mapped course
    kept = creek.loc["creek-border-b"]
    assert (kept.status, kept.accuracy_m) == ("indicative", 300.0)
    assert "kept by import-osm" in kept.source
    assert route.loc["route-left-border-b", "status"] == "indicative"
    assert route.loc["route-left-border-b", "accuracy_m"] >= 300.0
    assert creek.geometry.length.sum() == pytest.approx(3000 + 2 * 15, abs=2)
    assert len(local(out, "stations")) == 3
    assert "br-old-footbridge" in local(out, "bridges").index  # outside the extract: kept
    markdown = (out / f"{REPORT_NAME}.md").read_text(encoding="utf-8")
    assert "`creek-border-a` kept as it was" in markdown


def test_a_river_off_the_converted_border_is_a_warning_not_a_refusal(atlas_dir, tmp_path):
    # For 200 m the mapped river runs 45 m south of the border it is meant to follow.
    stray = [(-1000, 0), (0, 0), (200, 0), (250, -45), (450, -45), (500, 0), (1500, 0)]
    ways = [(CREEK_TAGS, stray), creek_ways()[1], *toy_ways()]
    extract = write_extract(tmp_path / "stray.osm", ways, toy_nodes())
    report = import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")
    creek = local(tmp_path / "out", "creek")
    assert list(creek["section"]) == ["border", "inside", "border"]
    (warning,) = [w for w in report["warnings"] if w["what"].startswith("creek-border-a")]
    assert warning["how_much_m"] == pytest.approx(45.0, abs=1.0)
    assert "off the converted district border" in warning["what"]
    where = Point(lonlat_to_local(*warning["where_lonlat"]))
    assert where.distance(LineString([(250, -45), (450, -45)])) < 1.0
    markdown = (tmp_path / "out" / f"{REPORT_NAME}.md").read_text(encoding="utf-8")
    assert "## Warnings" in markdown


def test_a_footway_short_of_a_bridge_is_a_warning(atlas_dir, tmp_path):
    short = ({"highway": "footway"}, [(1100, 30), (1480, 30)])  # stops 20 m before x = 1500
    extract = write_extract(
        tmp_path / "short.osm", creek_ways() + toy_ways() + [short], toy_nodes()
    )
    report = import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")
    (warning,) = [w for w in report["warnings"] if "short of br-wuning-rd" in w["what"]]
    assert warning["how_much_m"] == pytest.approx(20.6, abs=0.5)  # to the end at (1500, 25)
    assert Point(lonlat_to_local(*warning["where_lonlat"])).distance(Point(1500, 25)) < 1.0


def lonlat_to_local(lon: float, lat: float) -> tuple[float, float]:
    point = gpd.GeoSeries([Point(lon, lat)], crs=config.WEB_CRS).to_crs(config.METRIC_CRS).iloc[0]
    return point.x - X0, point.y - Y0


def test_cli_out_onto_an_existing_file_exits_1(atlas_dir, extract, tmp_path, capsys):
    target = tmp_path / "a-file.txt"
    target.write_text("keep me", encoding="utf-8")
    code = cli.main(["import-osm", str(extract), "--data", str(atlas_dir), "--out", str(target)])
    assert code == 1
    assert "exists and is not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_cli_extract_that_is_a_folder_exits_1(atlas_dir, tmp_path, capsys):
    (tmp_path / "dir.osm").mkdir()
    code = cli.main(["import-osm", str(tmp_path / "dir.osm"), "--data", str(atlas_dir)])
    assert code == 1
    assert "dir.osm: is a folder in " in capsys.readouterr().err


def test_a_creek_drawn_as_a_closed_ring_exits_1(atlas_dir, tmp_path, capsys):
    # Was "unexpected error (ValueError)", exit 2.
    ring = [(CREEK_TAGS, [(0, 0), (3000, 0), (3000, 10), (0, 10), (0, 0)])]
    extract = write_extract(tmp_path / "ring.osm", ring + toy_ways(), toy_nodes())
    with pytest.raises(ExtractError, match="cannot be turned into the route"):
        import_osm(extract, data_dir=atlas_dir, out_dir=tmp_path / "out")
    assert cli.main(["import-osm", str(extract), "--data", str(atlas_dir)]) == 1
    err = capsys.readouterr().err
    assert "ring.osm: the creek in the extract cannot be turned into the route" in err
    assert "unexpected" not in err


def test_cli_extract_or_out_that_is_a_symlink_loop_exits_1(atlas_dir, extract, tmp_path, capsys):
    loop = tmp_path / "loop.osm"
    loop.symlink_to(loop)
    assert cli.main(["import-osm", str(loop), "--data", str(atlas_dir)]) == 1
    assert "loop.osm: is a symbolic link that loops" in capsys.readouterr().err
    out = tmp_path / "out-loop"
    out.symlink_to(out)
    assert cli.main(["import-osm", str(extract), "--data", str(atlas_dir), "--out", str(out)]) == 1
    assert "is not a folder" in capsys.readouterr().err
