"""The paper toys: tiny data whose answers can be checked on paper.

Two datasets from one origin and one set of helpers: *the toy atlas* below (the
library tests, through conftest's ``toy``/``toy_dir``/``write_toy`` fixtures), and
*the page toy* at the end (:func:`build_toy_atlas`, :func:`write_toy_atlas`: the map
page's tests, larger so that tables, km posts and the map have something to show).

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
import dataclasses
import json
import shutil
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


# ============================================================================ the page toy
# A larger toy for the map page's tests (tables, map, exports, overview): every
# answer still checked on paper, from the same origin (X0, Y0).
#
# - the creek is a straight west -> east line, 3,000 m long, in three 1,000 m segments
#   (chainage 0-1000, 1000-2000, 2000-3000), so km posts fall at chainage 0, 1, 2, 3 km;
# - the route is two bank paths 30 m north (left bank) and 30 m south (right bank) of it;
# - ten bridges cross at chainage 150, 450, ..., 2850 m (the one at 2850 m not walkable);
# - 24 stations every 125 m (chainage 62.5, 187.5, ...), odd numbers on the left bank,
#   numbers 1 and 2 confirmed, the rest indicative;
# - 18 sites, two per category, 200 m north or south of the creek; one site's names carry
#   HTML (``<b>`` and ``&``) to prove that text is escaped;
# - three 100 m x 100 m parks (1 ha each), three zones of 0.5, 1.0 and 1.5 km2, and a
#   4,000 m x 2,000 m boundary (8 km2).

CREEK_LENGTH_M = 3000.0
BANK_OFFSET_M = 30.0
CATEGORIES = (
    "innovation",
    "commerce",
    "culture_heritage",
    "education",
    "health",
    "landmark",
    "sport_leisure",
    "transport",
    "government",
)
HTML_NAME_EN = "<b>Bold</b> & Co"
HTML_NAME_ZH = "<i>测试</i>"


def _page_common(fid: str, name_en: str, name_zh: str, *, status: str = "confirmed") -> dict:
    return {
        "id": fid,
        "name_en": name_en,
        "name_zh": name_zh,
        "status": status,
        "source": f"toy fixture <{fid}>",
        "accuracy_m": 10.0,
    }


def _page_frame(rows: list[dict], geoms: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    return frame.reset_index(drop=True)


def _page_layers() -> dict[str, gpd.GeoDataFrame]:
    x1 = X0 + CREEK_LENGTH_M
    layers: dict[str, gpd.GeoDataFrame] = {}
    layers["boundary"] = _page_frame(
        [
            {
                **_page_common("putuo", "Toy District", "玩具区"),
                "adcode": "310107",
                "area_published_m2": 8_000_000.0,
            }
        ],
        [box(X0 - 500, Y0 - 1000, X0 + 3500, Y0 + 1000)],
    )
    zone_rows, zone_geoms = [], []
    for i, (zone, width_m) in enumerate(
        (("one_belt", 500), ("one_center", 1000), ("one_city", 1500))
    ):
        zone_rows.append(
            {
                **_page_common(
                    zone.replace("_", "-"),
                    zone.replace("_", " ").title(),
                    f"区{i}",
                    status="indicative",
                ),
                "zone": zone,
                "area_published_m2": None,
                "method": "toy rectangle",
            }
        )
        zone_geoms.append(box(X0, Y0 - 100, X0 + width_m, Y0 + 900))  # inside the district
    layers["zones"] = _page_frame(zone_rows, zone_geoms)
    layers["parks"] = _page_frame(
        [
            {
                **_page_common(f"park-{i}", f"Park {i}", f"公园{i}"),
                "area_published_m2": 10_000.0,
                "outline": "modelled",
            }
            for i in range(3)
        ],
        [box(X0 + 500 + 1000 * i, Y0 + 300, X0 + 600 + 1000 * i, Y0 + 400) for i in range(3)],
    )
    layers["creek"] = _page_frame(
        [
            {
                **_page_common(f"creek-{i}", f"Creek {i}", f"苏州河{i}"),
                "section": section,
                "neighbour": "Changning" if section == "border" else None,
                "from_chainage_m": 1000.0 * i,
                "to_chainage_m": 1000.0 * (i + 1),
            }
            # "inside": the toy district is a box whose border is not the creek.
            for i, section in enumerate(("inside", "inside", "inside"))
        ],
        [LineString([(X0 + 1000 * i, Y0), (X0 + 1000 * (i + 1), Y0)]) for i in range(3)],
    )
    layers["route"] = _page_frame(
        [
            {
                **_page_common(f"route-{bank}", f"Route {bank}", f"步道{bank}"),
                "bank": bank,
                "section": "border",
                "from_chainage_m": 0.0,
                "to_chainage_m": CREEK_LENGTH_M,
            }
            for bank in ("left", "right")
        ],
        [
            LineString([(X0, Y0 + BANK_OFFSET_M), (x1, Y0 + BANK_OFFSET_M)]),
            LineString([(X0, Y0 - BANK_OFFSET_M), (x1, Y0 - BANK_OFFSET_M)]),
        ],
    )
    bridge_chainages = [150.0 + 300.0 * i for i in range(10)]
    layers["bridges"] = _page_frame(
        [
            {
                **_page_common(f"bridge-{i}", f"Bridge {i}", f"桥{i}"),
                "crossing": "road",
                "chainage_m": c,
                "walkable": i != 9,
                "joins": None,
                "opened": None,
            }
            for i, c in enumerate(bridge_chainages)
        ],
        [
            LineString([(X0 + c, Y0 - BANK_OFFSET_M), (X0 + c, Y0 + BANK_OFFSET_M)])
            for c in bridge_chainages
        ],
    )
    station_rows, station_geoms = [], []
    for n in range(1, 25):
        chainage = 62.5 + 125.0 * (n - 1)
        bank = "left" if n % 2 else "right"
        station_rows.append(
            {
                **_page_common(
                    f"station-{n:02d}",
                    f"Station {n}",
                    f"驿站{n}",
                    status="confirmed" if n <= 2 else "indicative",
                ),
                "number": n,
                "bank": bank,
                "chainage_m": chainage,
                "offers": None,
            }
        )
        y = Y0 + BANK_OFFSET_M if bank == "left" else Y0 - BANK_OFFSET_M
        station_geoms.append(Point(X0 + chainage, y))
    layers["stations"] = _page_frame(station_rows, station_geoms)
    site_rows, site_geoms = [], []
    for i in range(18):
        category = CATEGORIES[i // 2]
        name_en, name_zh = (HTML_NAME_EN, HTML_NAME_ZH) if i == 0 else (f"Site {i}", f"地点{i}")
        site_rows.append(
            {
                **_page_common(f"site-{i:02d}", name_en, name_zh),
                "category": category,
                "address_zh": None,
            }
        )
        site_geoms.append(Point(X0 + 100 + 150 * i, Y0 + (200 if i % 2 else -200)))
    layers["sites"] = _page_frame(site_rows, site_geoms)
    return layers


def build_toy_atlas(data_dir: Path | None = None) -> layers.Atlas:
    """The page toy in memory (``data_dir`` is only recorded)."""
    return layers.Atlas(data_dir=data_dir or Path("toy"), **_page_layers())


def with_modelled(atlas: layers.Atlas) -> layers.Atlas:
    """The toy with creek section 1 modelled (± 150 m) and the left bank path (± 170 m)."""
    creek = atlas.creek.copy()
    creek.loc[creek["id"] == "creek-1", ["status", "accuracy_m"]] = ("indicative", 150.0)
    route = atlas.route.copy()
    route.loc[route["id"] == "route-left", ["status", "accuracy_m"]] = ("indicative", 170.0)
    return dataclasses.replace(atlas, creek=creek, route=route)


def write_toy_atlas(folder: Path) -> Path:
    """Write the page toy as ``<folder>/<layer>.geojson`` (+ the project's datapackage.json)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in _page_layers().items():
        frame.to_file(
            folder / f"{name}.geojson",
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 6, "WRITE_NAME": "NO"},
        )
    shutil.copyfile(config.PACKAGE_DATA_DIR / "datapackage.json", folder / "datapackage.json")
    return folder


def toy_summary() -> dict[str, object]:
    """The paper answers: what the page toy should measure."""
    return {
        "creek_length_m": CREEK_LENGTH_M,
        "route_length_m": 2 * CREEK_LENGTH_M,
        "park_area_m2": 10_000.0,
        "zone_areas_m2": {
            "one_belt": 500_000.0,
            "one_center": 1_000_000.0,
            "one_city": 1_500_000.0,
        },
        "km_posts_m": [0.0, 1000.0, 2000.0, 3000.0],
        "stations": {"confirmed": 2, "indicative": 22},
        "sites": 18,
    }


if __name__ == "__main__":  # write the page toy's data folder for running the page by hand
    import sys

    out = write_toy_atlas(Path(sys.argv[1]))
    print(json.dumps({"written": str(out)}))
