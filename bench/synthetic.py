"""Seeded synthetic points and sites, uniformly inside the district boundary."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from putuo_geo import config, layers
from putuo_geo.mapview import CATEGORY_COLOURS


def points_lonlat(atlas: layers.Atlas, n: int, *, seed: int) -> np.ndarray:
    """``(n, 2)`` WGS-84 (lon, lat), uniform in area inside the boundary (EPSG:32651)."""
    area = shapely.union_all(atlas.boundary.geometry.to_crs(config.METRIC_CRS).to_numpy())
    minx, miny, maxx, maxy = area.bounds
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    count = 0
    while count < n:  # rejection sampling in the bounding box
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(2 * n, 2))
        keep = xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])]
        found.append(keep)
        count += len(keep)
    xy = np.concatenate(found)[:n]
    pts = gpd.GeoSeries(shapely.points(xy), crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def sites(atlas: layers.Atlas, n: int, *, seed: int) -> gpd.GeoDataFrame:
    """``n`` synthetic sites with the sites layer's columns (status ``indicative``)."""
    lonlat = points_lonlat(atlas, n, seed=seed)
    categories = list(CATEGORY_COLOURS)
    ids = [f"synthetic-{i:06d}" for i in range(n)]
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name_en": [f"Synthetic site {i}" for i in range(n)],
            "name_zh": [f"合成地点{i}" for i in range(n)],
            "category": [categories[i % len(categories)] for i in range(n)],
            "address_zh": None,
            "status": "indicative",
            "source": "synthetic (bench, seeded)",
            "accuracy_m": 0.0,
        },
        geometry=shapely.points(lonlat),
        crs=config.WEB_CRS,
    )


def points_frame(points_lonlat: np.ndarray) -> gpd.GeoSeries:
    """The points as a WGS-84 GeoSeries."""
    return gpd.GeoSeries(shapely.points(points_lonlat), crs=config.WEB_CRS)


def largest_upload_csv(atlas: layers.Atlas, *, seed: int = 23) -> bytes:
    """The largest upload the page accepts: 5,000 sites with 500-character English names
    and 150-character Chinese ones, inside the boundary, just under 5 MB of CSV.

    For the shared-server load test (issue 23: such a file made every rerun of its
    session send 7.8-14 MB). Each name starts with its row number, so all differ.
    """
    from putuo_geo import uploads  # the limits this file sits at

    n = uploads.MAX_UPLOAD_FEATURES
    lonlat = points_lonlat(atlas, n, seed=seed)
    lines = ["name,name_zh,lat,lon"]
    for i, (lon, lat) in enumerate(lonlat.tolist()):
        en = f"Site {i} " + "x" * uploads.MAX_TEXT_CHARS
        zh = f"地点{i}" + "长" * 150
        lines.append(f"{en[: uploads.MAX_TEXT_CHARS]},{zh[:150]},{lat:.6f},{lon:.6f}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if len(data) > uploads.MAX_UPLOAD_BYTES:
        msg = f"{len(data):,} bytes: over the upload limit"
        raise ValueError(msg)
    return data
