"""What the map page shows about an atlas: figures, km posts, tables, filters, nearest points.

Every length, area and distance is computed in ``config.METRIC_CRS`` (EPSG:32651) and
returned in metres or square metres; :mod:`putuo_geo.display` turns them into km/ha.
Chainage, km posts and the nearest route point come from the route model
(:class:`putuo_geo.route.RouteModel`), so the page agrees with the command and the
batch queries. Functions take the atlas (or a layer) first and options keyword-only;
none of them imports streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from putuo_geo import config, crs, typedtext
from putuo_geo.layers import Atlas
from putuo_geo.route import Centreline, RouteModel


def _metric(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return crs.to_metric(frame, name="layer")


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

    Placed by the route model's chainage (:meth:`putuo_geo.route.Centreline.point_at`),
    calibrated on each section's ``from_chainage_m`` / ``to_chainage_m``, so the posts
    agree with the published chainages even if a section's drawn length differs
    slightly from its span.

    Returns
    -------
    GeoDataFrame
        Columns ``chainage_m`` and ``label`` (``"3 km"``), one row per post, in order.
    """
    if atlas.creek.empty:
        return gpd.GeoDataFrame({"chainage_m": [], "label": []}, geometry=[], crs=config.WEB_CRS)
    centre = Centreline.from_frame(atlas.creek)
    chainages: list[float] = []
    chainage = math.ceil(centre.start_m / step_m) * step_m
    while chainage <= centre.end_m + 1e-6:
        chainages.append(chainage)
        chainage += step_m
    rows = [{"chainage_m": c, "label": f"{c / 1000:g} km"} for c in chainages]
    lonlat = crs.metric_to_lonlat(centre.point_at(chainages))
    points = list(shapely.points(lonlat)) if chainages else []
    return gpd.GeoDataFrame(rows, geometry=points, crs=config.WEB_CRS)


def creek_chainage_m(atlas: Atlas, lonlat: tuple[float, float]) -> float | None:
    """Creek chainage (m) of the creek point nearest ``lonlat`` (WGS-84 lon, lat)."""
    if atlas.creek.empty:
        return None
    return float(Centreline.from_frame(atlas.creek).chainage_m(crs.lonlat_to_metric(lonlat))[0])


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


def nearest(
    atlas: Atlas, lonlat: tuple[float, float], *, model: RouteModel | None = None
) -> Nearest:
    """The route point and the station nearest ``lonlat`` (WGS-84 lon, lat).

    The route point and its chainage are the route model's snap
    (:meth:`putuo_geo.route.RouteModel.snap_xy`); pass ``model`` to reuse one built
    from the same atlas.
    """
    model = model if model is not None else RouteModel.from_atlas(atlas)
    xy = crs.lonlat_to_metric(lonlat)
    on_route = model.snap_xy(xy)
    chainage = float(on_route.chainage_m[0])
    stations = _metric(atlas.stations)
    if stations.empty:
        station_id, name_en, name_zh, station_d = None, "", "", math.nan
    else:
        dist = shapely.distance(stations.values, shapely.points(xy[0])).astype(float)
        j = int(np.argmin(dist))
        row = atlas.stations.iloc[j]
        station_id, name_en, name_zh = str(row["id"]), str(row["name_en"]), str(row["name_zh"])
        station_d = float(dist[j])
    return Nearest(
        lonlat=(float(lonlat[0]), float(lonlat[1])),
        route_lonlat=(float(on_route.lonlat[0, 0]), float(on_route.lonlat[0, 1])),
        route_distance_m=float(on_route.offset_m[0]),
        route_id=str(on_route.route_id[0]),
        chainage_m=chainage if math.isfinite(chainage) else None,
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
    contains ``query`` (case-insensitive; blank matches everything).

    Query and names are compared as typed (:func:`putuo_geo.typedtext.normalise`):
    ``ＣＨＡＮＧＦＥＮＧ`` finds Changfeng, ``Ｍ５０`` finds M50, ``长\u200b风`` finds 长风,
    and a query of only invisible characters is blank (matches everything).
    """
    keep = pd.Series(True, index=sites.index)
    if categories is not None:
        keep &= sites["category"].isin(categories)
    needle = typedtext.normalise(query).strip().casefold()
    if needle:
        names = (
            sites["name_en"].fillna("").astype(str) + "\n" + sites["name_zh"].fillna("").astype(str)
        )
        keep &= names.map(typedtext.normalise).str.casefold().str.contains(needle, regex=False)
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


#: Layers whose named features say where a station is, in the order they are preferred:
#: a bridge (a short name everyone on the path sees), then a park, then a site.
NEARBY_LAYERS: tuple[str, ...] = ("bridges", "parks", "sites")
#: A feature of a preferred layer within this distance (m) wins over a nearer one of a
#: later layer.
NEARBY_M = 600.0


def station_nearby(atlas: Atlas, *, within_m: float = NEARBY_M) -> pd.DataFrame:
    """For each station, the named feature a label can say it is by.

    The nearest feature of the first layer of :data:`NEARBY_LAYERS` that has one within
    ``within_m`` metres; else the nearest of any. Returns a frame indexed by station
    ``id`` with that feature's ``name_en``, ``name_zh`` and ``distance_m`` (EPSG:32651,
    to its geometry: a bridge's line, a site's point, a park's outline); empty when
    nothing is named.

    Examples
    --------
    A station 300 m from a bridge and 20 m from a site is by the bridge; 700 m from the
    bridge and 20 m from the site, by the site.
    """
    columns = ["name_en", "name_zh", "distance_m"]
    found: list[tuple[np.ndarray, pd.DataFrame]] = []
    stations = atlas.stations
    points = [shapely.Point(x, y) for x, y in crs.points_to_metric(stations, name="stations")]
    for name in NEARBY_LAYERS:
        frame = atlas.layer(name)
        if frame.empty or not points:
            continue
        shapes = crs.to_metric(frame, name=name).to_numpy()
        distances = np.array([shapely.distance(shapes, p) for p in points])  # station x feature
        found.append((distances, frame.reset_index(drop=True)))
    if not found:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="id"))
    rows = []
    for i in range(len(points)):
        best = None  # (distance, frame, feature index) of any layer, nearest first
        chosen = None
        for distances, frame in found:
            j = int(np.argmin(distances[i]))
            if chosen is None and distances[i, j] <= within_m:
                chosen = (distances[i, j], frame, j)
            if best is None or distances[i, j] < best[0]:
                best = (distances[i, j], frame, j)
        distance, frame, j = chosen or best  # type: ignore[misc]
        rows.append((frame["name_en"].iloc[j], frame["name_zh"].iloc[j], float(distance)))
    return pd.DataFrame(rows, columns=columns, index=pd.Index(stations["id"], name="id"))


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
