"""import-osm on the real atlas with an extract built from geo/'s own creek (issue 21).

The extract is OSM XML written from the committed layers: the creek (the converted
Changning border upstream of the Inner Ring, then the OpenStreetMap line of
geo/inputs/osm_creek round the loop to the M50 reach) as one ``waterway=river`` way,
every bank path as a footway and every bridge as a ``bridge=yes`` way. Importing it
must reproduce geo/'s creek within 1 m and refuse nothing; the same extract with the
river moved 80 m (or 250 m) off the border along one reach imports, whole, with a
warning naming that reach.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import pytest
import shapely
import shapely.affinity
from shapely.geometry import LineString, Point
from shapely.ops import substring

from putuo_geo import config
from putuo_geo.osm_import import import_osm

GEO = config.PACKAGE_DATA_DIR
METRIC = config.METRIC_CRS
CREEK_TAGS = {"waterway": "river", "name": "苏州河", "name:en": "Suzhou Creek"}
#: Where the river is moved off the border (chainage metres on the Changning reach).
MOVED_FROM_M, MOVED_TO_M, RAMP_M = 3_000.0, 4_500.0, 150.0

Way = tuple[dict[str, str], list[tuple[float, float]]]


def _layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"{name}.geojson", engine="pyogrio")


def _lonlat(line_m: LineString) -> list[tuple[float, float]]:
    wgs = gpd.GeoSeries([line_m], crs=METRIC).to_crs(config.WEB_CRS).iloc[0]
    return [(float(x), float(y)) for x, y in wgs.coords]


def creek_m() -> LineString:
    """geo/'s creek as one line, EPSG:32651."""
    lines = _layer("creek").to_crs(METRIC).sort_values("from_chainage_m").geometry
    coords: list[tuple[float, ...]] = []
    for line in lines:
        coords += [c for c in line.coords if not coords or c != coords[-1]]
    return LineString(coords)


def moved_off_the_border(line: LineString, by_m: float) -> LineString:
    """``line`` with the stretch MOVED_FROM_M..MOVED_TO_M offset ``by_m`` to its right
    (south, into Changning), joined to the rest by straight ramps of RAMP_M."""
    moved = shapely.offset_curve(substring(line, MOVED_FROM_M, MOVED_TO_M), -by_m)
    if Point(moved.coords[0]).distance(line.interpolate(MOVED_FROM_M)) > by_m + 1.0:
        moved = moved.reverse()
    before = substring(line, 0.0, MOVED_FROM_M - RAMP_M)
    after = substring(line, MOVED_TO_M + RAMP_M, line.length)
    out = LineString([*before.coords, *moved.coords, *after.coords])
    assert out.is_simple
    return out


def osm_xml(ways: list[Way]) -> str:
    """OSM XML of ``ways`` given in lon/lat, node and way ids from 1."""
    nodes: dict[tuple[float, float], int] = {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    way_lines = []
    for i, (tags, coords) in enumerate(ways, start=1):
        refs = []
        for lon, lat in coords:
            key = (round(lon, 7), round(lat, 7))
            if key not in nodes:
                nodes[key] = len(nodes) + 1
                lines.append(
                    f'  <node id="{nodes[key]}" version="1" lat="{key[1]:.7f}" lon="{key[0]:.7f}"/>'
                )
            refs.append(f'<nd ref="{nodes[key]}"/>')
        inner = "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        way_lines.append(f'  <way id="{i}" version="1">{"".join(refs)}{inner}</way>')
    return "\n".join([*lines, *way_lines, "</osm>"]) + "\n"


def extract_ways(creek: LineString) -> list[Way]:
    """The creek, geo/'s bank paths as footways and its bridges, each bridge an 80 m
    way across ``creek`` where it passes nearest the bridge in geo/ (a mapped bridge
    crosses the mapped river, wherever that is)."""
    ways: list[Way] = [(CREEK_TAGS, _lonlat(creek))]
    for row in _layer("route").itertuples():
        ways.append(({"highway": "footway"}, list(row.geometry.coords)))
    for row in _layer("bridges").to_crs(METRIC).itertuples():
        tags = {"bridge": "yes", "name": row.name_zh, "name:en": row.name_en}
        tags["highway"] = "footway" if row.crossing == "pedestrian" else "primary"
        at_m = creek.project(row.geometry.centroid)
        a, b = creek.interpolate(max(at_m - 5.0, 0.0)), creek.interpolate(at_m + 5.0)
        across = shapely.affinity.rotate(LineString([a, b]), 90.0, origin=creek.interpolate(at_m))
        ways.append((tags, _lonlat(shapely.affinity.scale(across, 8.0, 8.0))))
    return ways


def _import(tmp_path: Path, creek: LineString) -> tuple[dict[str, Any], Path]:
    extract = tmp_path / "creek.osm"
    extract.write_text(osm_xml(extract_ways(creek)), encoding="utf-8")
    out = tmp_path / "out"
    return import_osm(extract, data_dir=GEO, out_dir=out), out


def _imported_creek_m(out: Path) -> LineString:
    frame = gpd.read_file(out / "creek.geojson", engine="pyogrio").to_crs(METRIC)
    merged = shapely.line_merge(shapely.union_all(list(frame.geometry)))
    assert isinstance(merged, LineString)
    return merged


def test_an_extract_of_the_true_creek_imports_cleanly_and_reproduces_it(tmp_path):
    report, out = _import(tmp_path, creek_m())
    creek_warnings = [w for w in report["warnings"] if w["what"].startswith("creek")]
    assert creek_warnings == []
    imported = _imported_creek_m(out)
    assert imported.hausdorff_distance(creek_m()) < 1.0
    assert imported.length == pytest.approx(creek_m().length, abs=1.0)
    sections = gpd.read_file(out / "creek.geojson", engine="pyogrio")
    runs = [
        k for i, k in enumerate(sections["section"]) if i == 0 or sections["section"][i - 1] != k
    ]
    assert runs == ["border", "inside", "border"]
    bridges = gpd.read_file(out / "bridges.geojson", engine="pyogrio")
    assert set(bridges["id"]) == set(_layer("bridges")["id"])


@pytest.mark.parametrize("by_m", [80.0, 250.0])
def test_a_river_off_the_border_on_one_reach_is_a_warning_naming_it(tmp_path, by_m):
    """80 m: the issue's case; 250 m: past the importer's 200 m clip margin, where the
    reach and everything upstream of it must still be kept, not dropped unsaid."""
    river = moved_off_the_border(creek_m(), by_m)
    report, out = _import(tmp_path, river)
    named = [w for w in report["warnings"] if w["what"].startswith("creek-border-changning")]
    assert named, report["warnings"]
    assert max(w["how_much_m"] for w in named) == pytest.approx(by_m, abs=5.0)
    where = gpd.GeoSeries([Point(named[0]["where_lonlat"])], crs=config.WEB_CRS)
    moved = substring(creek_m(), MOVED_FROM_M, MOVED_TO_M)
    assert where.to_crs(METRIC).iloc[0].distance(moved) < by_m + 10.0
    assert _imported_creek_m(out).length == pytest.approx(river.length, abs=1.0)  # all of it
