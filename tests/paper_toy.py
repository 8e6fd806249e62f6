"""The paper toy: tiny data whose answers can be checked on paper (helpers for conftest).

Everything is laid out in EPSG:32651 (metres) from an origin near the creek in
Putuo, then converted to EPSG:4326 at full precision, so metric answers come
back exact to the millimetre.

The toy atlas (local x east, y north, metres from the origin):

- creek: y = 25, x 0 -> 1000, three sections (chainage 0-400, 400-700, 700-1000);
- route: left bank y = 50 and right bank y = 0, each x 0 -> 1000;
- bridges: ``bridge-a`` a walkable LineString at x = 600 from bank to bank,
  ``bridge-b`` a non-walkable rail Point at x = 200;
- stations: ``station-01`` (100, 50) confirmed, ``station-02`` (100, 0) and
  ``station-03`` (900, 0) indicative;
- sites, one park of 1 ha, three zones of 0.25, 1 and 0.5 km², a 4 km² boundary.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.affinity
from shapely.geometry import LineString, Point, box, mapping

from putuo_geo import config, layers

#: The toy origin in EPSG:32651 (about 121.38 E, 31.24 N).
X0, Y0 = 345_000.0, 3_457_700.0

Collections = dict[str, dict[str, Any]]


def to_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    """A geometry in local metres (from X0, Y0) as WGS-84 lon/lat."""
    shifted = shapely.affinity.translate(geom, X0, Y0)
    return gpd.GeoSeries([shifted], crs=config.METRIC_CRS).to_crs(config.WEB_CRS).iloc[0]


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Local metres -> (lon, lat)."""
    pt = to_lonlat(Point(x, y))
    return (pt.x, pt.y)


def local_frame(rows: list[dict[str, Any]], geoms: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326 from local-metre geometries."""
    shifted = [shapely.affinity.translate(g, X0, Y0) for g in geoms]
    return gpd.GeoDataFrame(rows, geometry=shifted, crs=config.METRIC_CRS).to_crs(config.WEB_CRS)


def project_package() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        (config.PACKAGE_DATA_DIR / "datapackage.json").read_text(encoding="utf-8")
    )
    return result


def _props(package: dict[str, Any], layer: str, **given: Any) -> dict[str, Any]:
    """Valid properties for ``layer``: ``given`` plus a default for each other required field.

    Defaults come from the schema itself, so the toy follows the schema when it grows.
    """
    res = next(r for r in package["resources"] if r["name"] == layer)
    props: dict[str, Any] = {}
    for spec in map(layers.field_rules, res["schema"]["fields"]):
        name = spec["name"]
        if name in given:
            props[name] = given[name]
        elif spec.get("required"):
            if "enum" in spec:
                props[name] = spec["enum"][0]
            elif "enum_ref" in spec:
                props[name] = package[spec["enum_ref"]][0]
            elif spec["type"] == "string":
                props[name] = f"toy {name}"
            elif spec["type"] == "number":
                props[name] = float(spec.get("minimum", 0))
            elif spec["type"] == "integer":
                props[name] = int(spec.get("minimum", 1))
            elif spec["type"] == "boolean":
                props[name] = True
    props.update({k: v for k, v in given.items() if k not in props})
    return props


def _collection(features: list[tuple[dict[str, Any], shapely.Geometry]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": mapping(to_lonlat(g))}
            for p, g in features
        ],
    }


def toy_collections(package: dict[str, Any]) -> Collections:
    """The toy atlas as GeoJSON FeatureCollections (dicts), by layer."""

    def p(layer: str, fid: str, name_en: str, name_zh: str, **kw: Any) -> dict[str, Any]:
        return _props(package, layer, id=fid, name_en=name_en, name_zh=name_zh, **kw)

    return {
        "boundary": _collection(
            [
                (
                    p("boundary", "toy-district", "Toy District", "玩具区"),
                    box(-500, -1000, 1500, 1000),
                )
            ]
        ),
        "zones": _collection(
            [
                (
                    p("zones", "one-belt", "One Belt", "一带", zone="one_belt"),
                    box(0, -100, 1000, 150),
                ),
                (
                    p("zones", "one-center", "One Center", "一中心", zone="one_center"),
                    box(0, 300, 1000, 1000),
                ),
                (
                    p("zones", "one-city", "One City", "一城", zone="one_city"),
                    box(-500, -1000, 0, 0),
                ),
            ]
        ),
        "parks": _collection(
            [(p("parks", "park-a", "Changfeng Park", "长风公园"), box(100, 100, 200, 200))]
        ),
        "creek": _collection(
            [
                (
                    p(
                        "creek",
                        f"creek-{i}",
                        f"Creek {i}",
                        f"苏州河{i}",
                        from_chainage_m=a,
                        to_chainage_m=b,
                        section="inside",  # the toy border is a box, not the creek
                    ),
                    LineString([(a, 25), (b, 25)]),
                )
                for i, (a, b) in enumerate([(0.0, 400.0), (400.0, 700.0), (700.0, 1000.0)])
            ]
        ),
        "route": _collection(
            [
                (
                    p(
                        "route",
                        "route-left",
                        "North bank",
                        "北岸",
                        bank="left",
                        to_chainage_m=1000.0,
                    ),
                    LineString([(0, 50), (1000, 50)]),
                ),
                (
                    p(
                        "route",
                        "route-right",
                        "South bank",
                        "南岸",
                        bank="right",
                        to_chainage_m=1000.0,
                    ),
                    LineString([(0, 0), (1000, 0)]),
                ),
            ]
        ),
        "bridges": _collection(
            [
                (
                    p(
                        "bridges",
                        "bridge-a",
                        "Wuning Road Bridge",
                        "武宁路桥",
                        chainage_m=600.0,
                        walkable=True,
                        crossing="road",
                    ),
                    LineString([(600, 0), (600, 50)]),
                ),
                (
                    p(
                        "bridges",
                        "bridge-b",
                        "Rail Bridge",
                        "铁路桥",
                        chainage_m=200.0,
                        walkable=False,
                        crossing="rail",
                    ),
                    Point(200, 25),
                ),
            ]
        ),
        "sites": _collection(
            [
                (
                    p(
                        "sites",
                        "site-mint",
                        "Shanghai Mint Museum",
                        "上海造币博物馆",
                        category="culture_heritage",
                    ),
                    Point(300, 80),
                ),
                (
                    p("sites", "site-harbor", "Global Harbor", "环球港", category="commerce"),
                    Point(800, -60),
                ),
            ]
        ),
        "stations": _collection(
            [
                (
                    p(
                        "stations",
                        "station-01",
                        "Station 1",
                        "驿站1",
                        status="confirmed",
                        number=1,
                        bank="left",
                        chainage_m=100.0,
                    ),
                    Point(100, 50),
                ),
                (
                    p(
                        "stations",
                        "station-02",
                        "Station 2",
                        "驿站2",
                        status="indicative",
                        number=2,
                        bank="right",
                        chainage_m=100.0,
                    ),
                    Point(100, 0),
                ),
                (
                    p(
                        "stations",
                        "station-03",
                        "Station 3",
                        "驿站3",
                        status="indicative",
                        number=3,
                        bank="right",
                        chainage_m=900.0,
                    ),
                    Point(900, 0),
                ),
            ]
        ),
    }


def toy_package(package: dict[str, Any], collections: Collections) -> dict[str, Any]:
    """The project's datapackage.json with feature counts set to the toy's."""
    toy = copy.deepcopy(package)
    for res in toy["resources"]:
        res.pop("feature_count_min", None)
        # A layer the toy leaves out (the standalone ``events``) keeps no count.
        if res["name"] in collections:
            res["feature_count"] = len(collections[res["name"]]["features"])
    return toy


def write_dir(folder: Path, collections: Collections, package: dict[str, Any]) -> Path:
    """Write ``<layer>.geojson`` files and ``datapackage.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, fc in collections.items():
        (folder / f"{name}.geojson").write_text(
            json.dumps(fc, ensure_ascii=False), encoding="utf-8"
        )
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    return folder
