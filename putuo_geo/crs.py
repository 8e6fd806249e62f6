"""Projection between WGS-84 lon/lat (EPSG:4326) and metres (EPSG:32651), in one place.

Every length, area and distance the package reports is measured in
``config.METRIC_CRS``; every coordinate it stores or draws is in
``config.WEB_CRS``. This module holds the one pyproj transformer pair between the
two (built once, cached: building a transformer costs ~1 ms, transforming a point
~1 µs) and the helpers that use it on coordinate arrays, shapely geometries and
GeoSeries / GeoDataFrames.

Coordinate order is named at every boundary: ``lonlat`` and ``xy`` arrays are
``(n, 2)`` with longitude / easting first (pyproj's ``always_xy=True``).
"""

from __future__ import annotations

import functools
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike

from putuo_geo import config

GeoLike: TypeAlias = gpd.GeoSeries | gpd.GeoDataFrame


@functools.cache
def _transformer(src: str, dst: str) -> pyproj.Transformer:
    # Cached per CRS pair: one transformer serves every caller and session. Sharing
    # it between Streamlit's session threads is safe since pyproj 3.1 ("Multithread
    # safe CRS, Proj & Transformer", pyproj issue #782: one PROJ object per thread).
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def _xy_array(values: ArrayLike) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1, 2)


def lonlat_to_metric(lonlat: ArrayLike) -> np.ndarray:
    """WGS-84 ``(lon, lat)`` degrees to EPSG:32651 ``(x, y)`` metres.

    Parameters
    ----------
    lonlat
        One ``(lon, lat)`` pair or an ``(n, 2)`` array of them (may be empty).

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` easting, northing in metres.
    """
    pts = _xy_array(lonlat)
    x, y = _transformer(config.WEB_CRS, config.METRIC_CRS).transform(pts[:, 0], pts[:, 1])
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


def metric_to_lonlat(xy: ArrayLike) -> np.ndarray:
    """EPSG:32651 ``(x, y)`` metres to WGS-84 ``(lon, lat)`` degrees, ``(n, 2)``."""
    pts = _xy_array(xy)
    lon, lat = _transformer(config.METRIC_CRS, config.WEB_CRS).transform(pts[:, 0], pts[:, 1])
    return np.column_stack([np.atleast_1d(lon), np.atleast_1d(lat)])


def geometry_to_metric(geom: shapely.Geometry) -> shapely.Geometry:
    """A WGS-84 lon/lat geometry (or array of them) in EPSG:32651 metres."""
    return shapely.transform(geom, lonlat_to_metric)


def geometry_to_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    """An EPSG:32651 geometry (or array of them) in WGS-84 lon/lat degrees."""
    return shapely.transform(geom, metric_to_lonlat)


def to_metric(data: GeoLike, *, name: str = "geometry") -> gpd.GeoSeries:
    """The geometries of ``data`` in EPSG:32651.

    Parameters
    ----------
    data
        A GeoSeries or GeoDataFrame with a CRS (any; EPSG:4326 is usual).
    name
        What to call ``data`` in an error message.

    Returns
    -------
    geopandas.GeoSeries
        In ``config.METRIC_CRS``, indexed like ``data``.

    Raises
    ------
    TypeError
        When ``data`` is not a GeoSeries or GeoDataFrame.
    ValueError
        When ``data`` has no CRS (degrees or metres cannot be told apart safely).
    """
    geoms = data.geometry if isinstance(data, gpd.GeoDataFrame) else data
    if not isinstance(geoms, gpd.GeoSeries):
        msg = f"{name} must be a GeoSeries or GeoDataFrame, got {type(data).__name__}."
        raise TypeError(msg)
    if geoms.crs is None:
        msg = (
            f"{name} has no CRS: set it (EPSG:4326 for lon/lat degrees, EPSG:32651 for "
            "metres) before measuring."
        )
        raise ValueError(msg)
    if geoms.crs.equals(config.METRIC_CRS):
        return geoms
    return geoms.to_crs(config.METRIC_CRS)


def points_to_metric(data: GeoLike, *, name: str = "points") -> np.ndarray:
    """``(n, 2)`` EPSG:32651 x, y of point geometries in any CRS, without building
    geometries (pyproj on the coordinate arrays). Raises like :func:`to_metric`."""
    geoms = data.geometry if isinstance(data, gpd.GeoDataFrame) else data
    if not isinstance(geoms, gpd.GeoSeries) or geoms.crs is None:
        to_metric(data, name=name)  # raises the right error
    xy = shapely.get_coordinates(np.asarray(geoms.values))
    if geoms.crs.equals(config.METRIC_CRS):
        return np.asarray(xy, dtype=float)
    src = geoms.crs.to_string()
    x, y = _transformer(src, config.METRIC_CRS).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


#: Longest CRS name parsed (characters); every real name is under 60.
MAX_CRS_NAME_CHARS = 200


@functools.lru_cache(maxsize=64)
def is_wgs84_name(name: str) -> bool:
    """Whether ``name`` parses as WGS-84 longitude/latitude (EPSG:4326 or OGC CRS84).

    Parsed by PROJ, not searched for a substring: ``urn:ogc:def:crs:EPSG::43260`` held
    ``4326`` and passed (issue 23 §5). Either axis order is accepted (GeoJSON files of
    2008 named EPSG:4326 and wrote lon, lat).

    Examples
    --------
    >>> is_wgs84_name("urn:ogc:def:crs:OGC:1.3:CRS84"), is_wgs84_name("EPSG:4326")
    (True, True)
    >>> is_wgs84_name("urn:ogc:def:crs:EPSG::43260"), is_wgs84_name("EPSG:32651")
    (False, False)
    """
    if len(name) > MAX_CRS_NAME_CHARS:
        return False
    try:
        parsed = pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        return False
    wgs84 = pyproj.CRS.from_user_input(config.WEB_CRS)
    return bool(parsed.equals(wgs84, ignore_axis_order=True))


def is_wgs84_member(member: object) -> bool:
    """Whether a GeoJSON (2008) ``crs`` member names WGS-84 (:func:`is_wgs84_name`).

    The member is ``{"type": "name", "properties": {"name": "urn:ogc:def:crs:..."}}``;
    anything else (a link, a number, a name that does not parse) is not WGS-84.
    """
    if not isinstance(member, dict) or member.get("type") != "name":
        return False
    props = member.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    return isinstance(name, str) and is_wgs84_name(name)
