"""What the map page shows about an atlas: figures, km posts, tables, filters, nearest points.

Every length, area and distance is computed in ``config.METRIC_CRS`` (EPSG:32651) and
returned in metres or square metres; :mod:`putuo_geo.display` turns them into km/ha.
Functions take the atlas (or a layer) first and options keyword-only; none of them
imports streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from putuo_geo import config
from putuo_geo.layers import Atlas


def _metric(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.geometry.to_crs(config.METRIC_CRS)


@dataclass(frozen=True)
class Figures:
    """The figures panel. Lengths in metres, areas in square metres."""

    route_length_m: float
    creek_length_m: float
    park_areas_m2: pd.Series  # indexed by park name_en, in layer order
    zone_areas_m2: pd.Series  # indexed by zone name_en, in layer order
    stations_confirmed: int
    stations_indicative: int
    sites: int
    bridges: int


def figures(atlas: Atlas) -> Figures:
    """Measure the atlas for the figures panel (EPSG:32651)."""
    park_areas = _metric(atlas.parks).area
    zone_areas = _metric(atlas.zones).area
    status = atlas.stations["status"].value_counts()
    return Figures(
        route_length_m=float(_metric(atlas.route).length.sum()),
        creek_length_m=float(_metric(atlas.creek).length.sum()),
        park_areas_m2=pd.Series(park_areas.to_numpy(), index=atlas.parks["name_en"].to_numpy()),
        zone_areas_m2=pd.Series(zone_areas.to_numpy(), index=atlas.zones["name_en"].to_numpy()),
        stations_confirmed=int(status.get("confirmed", 0)),
        stations_indicative=int(status.get("indicative", 0)),
        sites=len(atlas.sites),
        bridges=len(atlas.bridges),
    )


def km_posts(atlas: Atlas, *, step_m: float = 1000.0) -> gpd.GeoDataFrame:
    """Points on the creek centreline at every ``step_m`` of chainage (EPSG:4326).

    Each creek segment carries ``from_chainage_m`` / ``to_chainage_m``; a post at
    chainage ``c`` is placed on the segment that spans it, at the same fraction of
    the segment's length (so the posts agree with the published chainages even if a
    segment's drawn length differs slightly from its chainage span).

    Returns
    -------
    GeoDataFrame
        Columns ``chainage_m`` and ``label`` (``"3 km"``), one row per post, in order.
    """
    creek = atlas.creek.assign(geometry=_metric(atlas.creek)).sort_values("from_chainage_m")
    if creek.empty:
        return gpd.GeoDataFrame({"chainage_m": [], "label": []}, geometry=[], crs=config.WEB_CRS)
    start = float(creek["from_chainage_m"].min())
    end = float(creek["to_chainage_m"].max())
    rows, points = [], []
    chainage = math.ceil(start / step_m) * step_m
    while chainage <= end + 1e-6:
        spans = creek[(creek["from_chainage_m"] <= chainage) & (creek["to_chainage_m"] >= chainage)]
        if not spans.empty:
            seg = spans.iloc[0]
            span_m = float(seg["to_chainage_m"] - seg["from_chainage_m"])
            fraction = (chainage - float(seg["from_chainage_m"])) / span_m if span_m > 0 else 0.0
            points.append(seg.geometry.interpolate(fraction, normalized=True))
            rows.append({"chainage_m": chainage, "label": f"{chainage / 1000:g} km"})
        chainage += step_m
    posts = gpd.GeoDataFrame(rows, geometry=points, crs=config.METRIC_CRS)
    return posts.to_crs(config.WEB_CRS)


def creek_chainage_m(atlas: Atlas, lonlat: tuple[float, float]) -> float | None:
    """Creek chainage (m) of the creek point nearest ``lonlat`` (WGS-84 lon, lat)."""
    creek = atlas.creek
    if creek.empty:
        return None
    metric = _metric(creek)
    point = gpd.GeoSeries([shapely.Point(lonlat)], crs=config.WEB_CRS).to_crs(config.METRIC_CRS)[0]
    i = int(metric.distance(point).to_numpy().argmin())
    seg = metric.iloc[i]
    fraction = seg.project(point, normalized=True)
    lo, hi = float(creek["from_chainage_m"].iloc[i]), float(creek["to_chainage_m"].iloc[i])
    return lo + fraction * (hi - lo)


@dataclass(frozen=True)
class Nearest:
    """What is near a clicked point. Distances in metres (EPSG:32651)."""

    lonlat: tuple[float, float]
    route_lonlat: tuple[float, float]
    route_distance_m: float
    route_id: str
    chainage_m: float | None
    station_id: str | None
    station_name_en: str
    station_name_zh: str
    station_distance_m: float


def nearest(atlas: Atlas, lonlat: tuple[float, float]) -> Nearest:
    """The route point and the station nearest ``lonlat`` (WGS-84 lon, lat)."""
    point_wgs = shapely.Point(lonlat)
    point = gpd.GeoSeries([point_wgs], crs=config.WEB_CRS).to_crs(config.METRIC_CRS)[0]
    route = _metric(atlas.route)
    route_d = route.distance(point).to_numpy()
    i = int(route_d.argmin())
    on_route = route.iloc[i].interpolate(route.iloc[i].project(point))
    on_route_wgs = gpd.GeoSeries([on_route], crs=config.METRIC_CRS).to_crs(config.WEB_CRS)[0]
    route_lonlat = (float(on_route_wgs.x), float(on_route_wgs.y))
    stations = _metric(atlas.stations)
    if stations.empty:
        station_id, name_en, name_zh, station_d = None, "", "", math.nan
    else:
        dist = stations.distance(point).to_numpy()
        j = int(dist.argmin())
        row = atlas.stations.iloc[j]
        station_id, name_en, name_zh = str(row["id"]), str(row["name_en"]), str(row["name_zh"])
        station_d = float(dist[j])
    return Nearest(
        lonlat=(float(lonlat[0]), float(lonlat[1])),
        route_lonlat=route_lonlat,
        route_distance_m=float(route_d[i]),
        route_id=str(atlas.route["id"].iloc[i]),
        chainage_m=creek_chainage_m(atlas, route_lonlat),
        station_id=station_id,
        station_name_en=name_en,
        station_name_zh=name_zh,
        station_distance_m=station_d,
    )


def category_counts(sites: gpd.GeoDataFrame, *, categories: list[str] | None = None) -> pd.Series:
    """Number of sites per category, in ``categories`` order (zeros kept), else by count."""
    counts = sites["category"].value_counts()
    if categories is None:
        return counts
    return counts.reindex(categories, fill_value=0)


def filter_sites(
    sites: gpd.GeoDataFrame, *, categories: list[str] | None = None, query: str = ""
) -> gpd.GeoDataFrame:
    """Sites in any of ``categories`` (all when ``None``) whose English or Chinese name
    contains ``query`` (case-insensitive; blank matches everything)."""
    keep = pd.Series(True, index=sites.index)
    if categories is not None:
        keep &= sites["category"].isin(categories)
    needle = query.strip().casefold()
    if needle:
        names = sites["name_en"].fillna("").str.casefold() + "\n" + sites["name_zh"].fillna("")
        keep &= names.str.contains(needle, regex=False)
    return sites[keep]


def station_table(atlas: Atlas) -> pd.DataFrame:
    """Stations in route order (by chainage, then number) with the columns the page lists."""
    stations = atlas.stations.sort_values(["chainage_m", "number"])
    return pd.DataFrame(
        {
            "number": stations["number"].astype(int),
            "name_en": stations["name_en"],
            "name_zh": stations["name_zh"],
            "chainage_m": stations["chainage_m"].astype(float),
            "bank": stations["bank"],
            "status": stations["status"],
            "accuracy_m": stations["accuracy_m"].astype(float),
            "id": stations["id"],
        }
    ).reset_index(drop=True)


def site_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sites as a plain table (no geometry) for the page, sorted by category then name."""
    table = pd.DataFrame(
        {
            "name_en": sites["name_en"],
            "name_zh": sites["name_zh"],
            "category": sites["category"],
            "status": sites["status"],
            "accuracy_m": sites["accuracy_m"].astype(float),
            "source": sites["source"],
            "id": sites["id"],
        }
    )
    return table.sort_values(["category", "name_en"]).reset_index(drop=True)
