"""The real geo/ files against geo/datapackage.json and the belt's published figures.

Reads the files with plain json + geopandas (not putuo_geo.layers), so the data is
held to its contract independently of the loading library.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import shapely.ops
from shapely.geometry import shape

from putuo_geo.layercompare import value_differences

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
METRIC_CRS = "EPSG:32651"
PACKAGE = json.loads((GEO / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
#: The district boundary is good to ~20 m (README, Data); features may touch it.
BOUNDARY_TOLERANCE_M = 30.0

TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
}


def _doc(name: str) -> dict[str, Any]:
    return json.loads((GEO / RESOURCES[name]["path"]).read_text(encoding="utf-8"))


def _metric(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / RESOURCES[name]["path"], engine="pyogrio").to_crs(METRIC_CRS)


@pytest.fixture(scope="module")
def putuo_m() -> shapely.Geometry:
    return _metric("boundary").geometry.iloc[0]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_layer_matches_its_schema(name):
    resource = RESOURCES[name]
    features = _doc(name)["features"]
    problems: list[str] = []
    if "feature_count" in resource and len(features) != resource["feature_count"]:
        problems.append(f"{len(features)} features, expected {resource['feature_count']}")
    if len(features) < resource.get("feature_count_min", 0):
        problems.append(f"{len(features)} features, expected >= {resource['feature_count_min']}")
    for spec in resource["schema"]["fields"]:
        field = {**spec.get("constraints", {}), **spec}  # Table Schema constraints read in
        key = field["name"]
        values = []
        for f in features:
            fid = f["properties"].get("id")
            if key not in f["properties"]:
                if field.get("required"):
                    problems.append(f"{fid}: {key} missing")
                continue
            value = f["properties"][key]
            if value is None:
                if not field.get("nullable"):
                    problems.append(f"{fid}: {key} is null")
                continue
            ok_type = isinstance(value, TYPES[field["type"]])
            if field["type"] in ("number", "integer") and isinstance(value, bool):
                ok_type = False
            if not ok_type:
                problems.append(f"{fid}: {key}={value!r} is not {field['type']}")
                continue
            allowed = field.get("enum") or PACKAGE.get(field.get("enum_ref", ""), None)
            if allowed is not None and value not in allowed:
                problems.append(f"{fid}: {key}={value!r} not in {allowed}")
            if "pattern" in field and not re.fullmatch(field["pattern"], value):
                problems.append(f"{fid}: {key}={value!r} does not match {field['pattern']}")
            if "minimum" in field and value < field["minimum"]:
                problems.append(f"{fid}: {key}={value} < {field['minimum']}")
            if "maximum" in field and value > field["maximum"]:
                problems.append(f"{fid}: {key}={value} > {field['maximum']}")
            if field["type"] == "string" and field.get("required") and not value.strip():
                problems.append(f"{fid}: {key} is empty")
            values.append(value)
        if field.get("unique") and len(values) != len(set(values)):
            problems.append(f"{key} values are not unique")
    for f in features:
        if f["geometry"]["type"] not in resource["geometry_types"]:
            problems.append(f"{f['properties'].get('id')}: geometry {f['geometry']['type']}")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_the_descriptor_is_a_valid_frictionless_data_package():
    """``frictionless validate geo/datapackage.json``, as the ecosystem's tools read it."""
    import frictionless  # a dev dependency: imported here, the other tests run without it

    report = frictionless.validate(str(GEO / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors
    ]
    assert report.valid, errors
    assert [t.name for t in report.tasks] == [r["name"] for r in PACKAGE["resources"]]


def test_ids_are_unique_across_the_atlas():
    ids = [f["properties"]["id"] for name in RESOURCES for f in _doc(name)["features"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates


def _positions(coords: Any) -> list[list[float]]:
    if isinstance(coords[0], (int, float)):
        return [coords]
    return [p for c in coords for p in _positions(c)]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_coordinates_are_lonlat_with_six_decimals(name):
    for f in _doc(name)["features"]:
        for lon, lat in _positions(f["geometry"]["coordinates"]):
            assert 121.0 < lon < 122.0
            assert 31.0 < lat < 32.0  # lon/lat order, Shanghai
            assert round(lon, 6) == lon
            assert round(lat, 6) == lat


@pytest.mark.parametrize("name", ["boundary", "parks", "zones"])
def test_polygon_rings_follow_the_right_hand_rule(name):
    for f in _doc(name)["features"]:
        geom = shape(f["geometry"])
        polygons = getattr(geom, "geoms", [geom])
        for polygon in polygons:
            assert polygon.exterior.is_ccw, f["properties"]["id"]
            assert all(not ring.is_ccw for ring in polygon.interiors)


def test_creek_is_about_15_km_in_downstream_chainage_order():
    creek = _metric("creek")
    assert creek.length.sum() == pytest.approx(15_300, abs=1_000)
    previous_to = 0.0
    for row in creek.itertuples():
        assert row.from_chainage_m == pytest.approx(previous_to, abs=0.2)
        assert row.to_chainage_m - row.from_chainage_m == pytest.approx(row.geometry.length, abs=1)
        previous_to = row.to_chainage_m
    lines = list(creek.geometry)
    for a, b in pairwise(lines):
        assert a.coords[-1] == b.coords[0]  # continuous
    sections = list(creek["section"])
    # Border reach(es), then the loop (cut at bridges), then the M50 border reach:
    # the sources change along the Changning reach (converted border, then OSM).
    runs = [k for i, k in enumerate(sections) if i == 0 or sections[i - 1] != k]
    assert runs == ["border", "inside", "border"]
    assert len(sections) >= 3
    assert [list(creek["neighbour"])[i] for i in (0, -1)] == ["Changning", "Jing'an"]


def test_route_is_about_21_km_and_continuing_banks_share_end_points():
    route = _metric("route")
    # Published: "about 21 km of shoreline" (FACTS). The bank paths are the true creek
    # (OSM) offset 27 m, which cuts the inside of each bend, so they run a little short
    # of it (20.43 km; README, "The route against 'about 21 km'"): within 5 %.
    assert route.length.sum() == pytest.approx(21_000, rel=0.05)
    for bank in ("left", "right"):
        pieces = sorted(
            (f for f in _doc("route")["features"] if f["properties"]["bank"] == bank),
            key=lambda f: f["properties"]["from_chainage_m"],
        )
        for a, b in pairwise(pieces):
            ids = (a["properties"]["id"], b["properties"]["id"])
            assert a["geometry"]["coordinates"][-1] == b["geometry"]["coordinates"][0], ids


def test_route_lies_on_putuos_side_within_the_district(putuo_m):
    route = _metric("route")
    for row in route.itertuples():
        assert row.geometry.within(putuo_m.buffer(BOUNDARY_TOLERANCE_M)), row.id


def test_stations_are_24_on_the_route_numbered_in_order():
    stations = _metric("stations")
    route = _metric("route")
    assert sorted(stations["number"]) == list(range(1, 25))
    network = route.union_all()
    for row in stations.itertuples():
        assert row.geometry.distance(network) < 50.0, row.id
        on_bank = route[route["bank"] == row.bank].union_all()
        assert row.geometry.distance(on_bank) < 1.0, row.id


def test_confirmed_stations_sit_at_their_bridges():
    stations = _metric("stations").set_index("id")
    bridges = _metric("bridges").set_index("id")
    by_name = stations[stations["name_en"].str.contains("1690")]
    assert len(by_name) == 1
    assert by_name.geometry.iloc[0].distance(bridges.loc["br-changhua-rd", "geometry"]) < 1.0
    under = stations[stations["name_en"].str.contains("Caoyang")]
    assert under.geometry.iloc[0].distance(bridges.loc["br-caoyang-rd", "geometry"]) < 1.0


def test_bridges_join_putuos_bank_exactly():
    bridges = _doc("bridges")["features"]
    route_vertices = {
        tuple(c) for f in _doc("route")["features"] for c in f["geometry"]["coordinates"]
    }
    for f in bridges:
        ends = [tuple(c) for c in f["geometry"]["coordinates"]]
        assert any(e in route_vertices for e in ends), f["properties"]["id"]


@pytest.mark.parametrize("name", ["bridges", "sites", "stations", "creek", "events"])
def test_features_lie_in_putuo(name, putuo_m):
    layer = _metric(name)
    zone = putuo_m.buffer(BOUNDARY_TOLERANCE_M + (60.0 if name == "bridges" else 0.0))
    for row in layer.itertuples():
        assert row.geometry.within(zone), row.id


@pytest.mark.parametrize("name", ["parks", "zones"])
def test_areas_lie_in_putuo_and_match_published_figures(name, putuo_m):
    layer = _metric(name)
    for row in layer.itertuples():
        assert row.geometry.within(putuo_m.buffer(1.0)), row.id
        if row.area_published_m2 == row.area_published_m2 and row.area_published_m2:
            assert row.geometry.area == pytest.approx(row.area_published_m2, rel=0.10), row.id


def test_parks_stay_out_of_the_creek():
    creek = _metric("creek").union_all()
    for row in _metric("parks").itertuples():
        assert row.geometry.distance(creek) > 20.0, row.id


def test_event_courses_run_on_the_route_and_dates_are_ordered():
    events = _metric("events")
    route = _metric("route").union_all()
    for row in events.itertuples():
        assert row.start_date <= row.end_date, row.id
        if row.geometry_kind == "course":
            off_m = shapely.distance(shapely.points(shapely.get_coordinates(row.geometry)), route)
            assert off_m.max() < 1.0, row.id
            assert row.geometry.length == pytest.approx(row.along_route_m, abs=1.0), row.id


def test_sites_cover_at_least_three_categories():
    assert _metric("sites")["category"].nunique() >= 3


def _build_module() -> Any:
    path = ROOT / "scripts" / "build_data.py"
    spec = importlib.util.spec_from_file_location("build_data", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing
    spec.loader.exec_module(module)
    return module


def test_committed_layers_equal_a_fresh_build(tmp_path):
    """Nobody hand-edits the outputs: `make data` reproduces every file's data.

    By value (putuo_geo.layercompare), not byte for byte: a newer GEOS or PROJ may round
    one coordinate's 6th decimal the other way (issue 20), which is not a change of data.
    """
    _build_module().build_all(tmp_path)
    problems: list[str] = []
    for path in (r["path"] for r in RESOURCES.values()):
        problems += value_differences(
            (GEO / path).read_text(encoding="utf-8"),
            (tmp_path / path).read_text(encoding="utf-8"),
            file_name=path,
        )
    shown = "\n".join(problems[:20]) + (
        f"\n... {len(problems) - 20} more" if len(problems) > 20 else ""
    )
    assert not problems, f"geo/ differs from a fresh build; run make data:\n{shown}"


# ----------------------------------------------------------- doubt: child vs parent

#: Two features closer than this are "at" each other (a vertex shared by rule).
AT_M = 1.0


def _parents_below(child: float, parents: list[float]) -> bool:
    """Whether the child claims to be more accurate than its (best) parent."""
    return bool(parents) and child < min(parents)


def test_a_child_is_never_more_accurate_than_its_parent():
    """Derived features inherit their parent's doubt (issue 16): a route piece its
    creek section's, a station the route piece it sits on (and the bridge it is
    anchored to), a bridge placed on the creek the section it crosses, a site
    placed at a bridge end that bridge's, One Belt (a buffer of the creek) the
    creek's. Where a child sits on the shared end of two parents, the better
    parent counts."""
    creek = _metric("creek").set_index("id")
    route = _metric("route").set_index("id")
    bridges = _metric("bridges").set_index("id")
    stations = _metric("stations").set_index("id")
    sites = _metric("sites").set_index("id")
    problems: list[str] = []

    for rid, row in route.iterrows():
        section = "creek-" + rid.removeprefix(f"route-{row.bank}-")
        assert section in creek.index, rid
        if row.accuracy_m < creek.loc[section, "accuracy_m"]:
            problems.append(f"{rid} {row.accuracy_m} < {section}")

    for bid, row in bridges.iterrows():
        if row.status == "confirmed":
            continue  # a sourced point: the creek is drawn through it, not it on the creek
        under = [
            c.accuracy_m
            for c in creek.itertuples()
            if c.from_chainage_m - AT_M <= row.chainage_m <= c.to_chainage_m + AT_M
        ]
        if _parents_below(row.accuracy_m, under):
            problems.append(f"{bid} {row.accuracy_m} < creek {min(under)}")

    bridge_ends = [
        (bid, shapely.Point(c), row.accuracy_m)
        for bid, row in bridges.iterrows()
        for c in row.geometry.coords
    ]
    for sid, row in stations.iterrows():
        on_bank = route[route["bank"] == row.bank]
        under = [
            r.accuracy_m for r in on_bank.itertuples() if r.geometry.distance(row.geometry) < AT_M
        ]
        assert under, sid
        if _parents_below(row.accuracy_m, under):
            problems.append(f"{sid} {row.accuracy_m} < route {min(under)}")
        for bid, end, accuracy_m in bridge_ends:
            if end.distance(row.geometry) < AT_M and row.accuracy_m < accuracy_m:
                problems.append(f"{sid} {row.accuracy_m} < {bid} {accuracy_m}")

    belt = _metric("zones").set_index("zone").loc["one_belt"]
    if belt.accuracy_m < creek["accuracy_m"].max():  # a buffer of the whole creek
        problems.append(f"one_belt {belt.accuracy_m} < creek {creek['accuracy_m'].max()}")

    for sid, row in sites.iterrows():
        for bid, end, accuracy_m in bridge_ends:
            if end.distance(row.geometry) < AT_M and row.accuracy_m < accuracy_m:
                problems.append(f"{sid} {row.accuracy_m} < {bid} {accuracy_m}")
    assert not problems, problems


def test_modelled_features_say_so():
    """A creek section is confirmed only where an open source draws it (the OSM line
    or the converted district border); a bank path says what its section says."""
    creek = _metric("creek").set_index("id")
    route = _metric("route")
    for sid, row in creek.iterrows():
        sourced = row.source.startswith("OpenStreetMap") or "shared border" in row.source
        assert (row.status == "confirmed") == sourced, sid
    for row in route.itertuples():
        section = "creek-" + row.id.removeprefix(f"route-{row.bank}-")
        assert row.status == creek.loc[section, "status"], row.id


# ------------------------------------------------ the OpenStreetMap creek (issue 21)

OSM_DIR = GEO / "inputs" / "osm_creek"
#: Half the creek's narrowest width in Putuo (40-70 m wide, FACTS).
HALF_NARROWEST_M = 20.0


@pytest.fixture(scope="module")
def osm_line_m() -> shapely.Geometry:
    path = OSM_DIR / "suzhou_creek_putuo_loop_centreline_osm.geojson"
    return gpd.read_file(path, engine="pyogrio").to_crs(METRIC_CRS).geometry.iloc[0]


def test_osm_sections_lie_on_the_osm_line_within_their_accuracy(osm_line_m):
    """Each section drawn from OSM is the OSM line (Hausdorff < 1 m both ways), and
    states at least the line's checked bound (max 25.1 m off an independent
    centreline, README of geo/inputs/osm_creek)."""
    creek = _metric("creek")
    osm_sections = creek[creek["source"].str.startswith("OpenStreetMap")]
    assert len(osm_sections) >= 5
    assert osm_sections.length.sum() == pytest.approx(osm_line_m.length, abs=1.0)
    for row in osm_sections.itertuples():
        stretch = shapely.ops.substring(
            osm_line_m,
            osm_line_m.project(shapely.Point(row.geometry.coords[0])),
            osm_line_m.project(shapely.Point(row.geometry.coords[-1])),
        )
        assert row.geometry.hausdorff_distance(stretch) < 1.0, row.id
        assert row.accuracy_m >= 25.1, row.id
        assert row.status == "confirmed", row.id


def test_the_border_reach_meets_the_osm_line_and_states_the_disagreement(osm_line_m):
    """The converted border reach ends exactly where the OSM line starts; its accuracy
    covers the two sources' worst disagreement plus the OSM line's own bound."""
    creek = _metric("creek").set_index("id")
    border = creek.loc["creek-border-changning"]
    assert (
        shapely.Point(border.geometry.coords[-1]).distance(shapely.Point(osm_line_m.coords[0]))
        < 0.2
    )  # 6-decimal coordinates
    assert border.accuracy_m >= 25.1 + 20.0  # SAME_WATER_M in scripts/build_data.py


def test_each_osm_crossing_point_is_on_its_bridge():
    crossings = gpd.read_file(OSM_DIR / "suzhou_creek_bridge_crossings_osm.csv", engine="pyogrio")
    points = {(round(float(r.lon), 6), round(float(r.lat), 6)) for r in crossings.itertuples()}
    table = gpd.read_file(GEO / "inputs" / "bridges.csv", engine="pyogrio")
    bridges = _metric("bridges").set_index("id")
    used = table[table["method"] == "osm"]
    assert len(used) >= 8
    for row in used.itertuples():
        assert (round(float(row.lon), 6), round(float(row.lat), 6)) in points, row.id
        point = gpd.GeoSeries.from_xy([float(row.lon)], [float(row.lat)], crs="EPSG:4326")
        off_m = point.to_crs(METRIC_CRS).iloc[0].distance(bridges.loc[row.id, "geometry"])
        assert off_m < 2.0, row.id  # the drawn line bends to the bank paths


def test_every_bridge_crosses_the_water():
    """Each bridge crosses the creek centreline once, its ends on either side at
    least half the creek's narrowest width from it."""
    creek = _metric("creek").union_all()
    for row in _metric("bridges").itertuples():
        hit = row.geometry.intersection(creek)
        assert hit.geom_type == "Point", row.id
        for end in row.geometry.coords:
            assert shapely.Point(end).distance(creek) >= HALF_NARROWEST_M, row.id
