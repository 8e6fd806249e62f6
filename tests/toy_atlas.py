"""A tiny atlas whose answers can be checked on paper, for the map page's tests.

Laid out in EPSG:32651 (metres) around a real spot on the creek, then stored in
EPSG:4326 like the real ``geo/``:

- the creek is a straight west -> east line, 3,000 m long, in three 1,000 m segments
  (chainage 0-1000 border, 1000-2000 inside, 2000-3000 border), so km posts fall at
  chainage 0, 1, 2 and 3 km;
- the route is two bank paths 30 m north (left bank) and 30 m south (right bank) of it;
- ten bridges cross at chainage 150, 450, ..., 2850 m (the one at 2850 m not walkable);
- 24 stations every 125 m (chainage 62.5, 187.5, ...), odd numbers on the left bank,
  numbers 1 and 2 confirmed, the rest indicative;
- 18 sites, two per category, 200 m north or south of the creek; one site's names carry
  HTML (``<b>`` and ``&``) to prove that text is escaped;
- three 100 m x 100 m parks (1 ha each), three zones of 0.5, 1.0 and 1.5 km2, and a
  4,000 m x 2,000 m boundary (8 km2).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point, box

from putuo_geo import config
from putuo_geo.layers import Atlas

#: South-west corner of the creek line in EPSG:32651 (near 121.38 E, 31.24 N).
X0, Y0 = 345_000.0, 3_457_700.0
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


def _common(fid: str, name_en: str, name_zh: str, *, status: str = "confirmed") -> dict:
    return {
        "id": fid,
        "name_en": name_en,
        "name_zh": name_zh,
        "status": status,
        "source": f"toy fixture <{fid}>",
        "accuracy_m": 10.0,
    }


def _frame(rows: list[dict], geoms: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    return frame.reset_index(drop=True)


def _layers() -> dict[str, gpd.GeoDataFrame]:
    x1 = X0 + CREEK_LENGTH_M
    layers: dict[str, gpd.GeoDataFrame] = {}
    layers["boundary"] = _frame(
        [
            {
                **_common("putuo", "Toy District", "玩具区"),
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
                **_common(
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
    layers["zones"] = _frame(zone_rows, zone_geoms)
    layers["parks"] = _frame(
        [
            {
                **_common(f"park-{i}", f"Park {i}", f"公园{i}"),
                "area_published_m2": 10_000.0,
                "outline": "modelled",
            }
            for i in range(3)
        ],
        [box(X0 + 500 + 1000 * i, Y0 + 300, X0 + 600 + 1000 * i, Y0 + 400) for i in range(3)],
    )
    layers["creek"] = _frame(
        [
            {
                **_common(f"creek-{i}", f"Creek {i}", f"苏州河{i}"),
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
    layers["route"] = _frame(
        [
            {
                **_common(f"route-{bank}", f"Route {bank}", f"步道{bank}"),
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
    layers["bridges"] = _frame(
        [
            {
                **_common(f"bridge-{i}", f"Bridge {i}", f"桥{i}"),
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
                **_common(
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
    layers["stations"] = _frame(station_rows, station_geoms)
    site_rows, site_geoms = [], []
    for i in range(18):
        category = CATEGORIES[i // 2]
        name_en, name_zh = (HTML_NAME_EN, HTML_NAME_ZH) if i == 0 else (f"Site {i}", f"地点{i}")
        site_rows.append(
            {**_common(f"site-{i:02d}", name_en, name_zh), "category": category, "address_zh": None}
        )
        site_geoms.append(Point(X0 + 100 + 150 * i, Y0 + (200 if i % 2 else -200)))
    layers["sites"] = _frame(site_rows, site_geoms)
    return layers


def build_toy_atlas(data_dir: Path | None = None) -> Atlas:
    """The toy atlas in memory (``data_dir`` is only recorded)."""
    return Atlas(data_dir=data_dir or Path("toy"), **_layers())


def write_toy_atlas(folder: Path) -> Path:
    """Write the toy layers as ``<folder>/<layer>.geojson`` (+ the project's datapackage.json)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in _layers().items():
        frame.to_file(
            folder / f"{name}.geojson",
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 6, "WRITE_NAME": "NO"},
        )
    shutil.copyfile(config.PACKAGE_DATA_DIR / "datapackage.json", folder / "datapackage.json")
    return folder


def toy_summary() -> dict[str, object]:
    """The paper answers: what the toy atlas should measure."""
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


if __name__ == "__main__":  # write a toy data folder for running the page by hand
    import sys

    out = write_toy_atlas(Path(sys.argv[1]))
    print(json.dumps({"written": str(out)}))
