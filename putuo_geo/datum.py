"""GCJ-02, BD-09 and WGS-84: conversion for arrays, geometries and GeoDataFrames.

Chinese web maps (Amap/AutoNavi, Tencent) publish coordinates in GCJ-02, an
obfuscated datum that sits ~485 m from WGS-84 in Putuo; Baidu adds BD-09 on top.
Our files are WGS-84, so anything copied from those maps is converted here.

Why this is written here and not imported: the well-kept PyPI packages
(``coord-convert``, ``prcoords``) convert one point per Python call, while we
convert whole GeoDataFrames, uploads and every overlay shown on a GCJ-02
basemap. This module is the same published formula vectorised with NumPy; the
tests hold it to ``coord-convert`` point by point. The inverse is exact
(fixed-point iteration to 1e-10 degree, ~0.01 mm), not the common one-step
approximation that is off by up to ~1 m.

Every function takes and returns longitude first (``lon, lat``), like GeoJSON.
"""

from __future__ import annotations

from typing import Literal, TypeVar

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

Datum = Literal["wgs84", "gcj02", "bd09"]
DATUMS: tuple[Datum, ...] = ("wgs84", "gcj02", "bd09")

FloatArray = NDArray[np.float64]

# Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD_OFFSET_LON = 0.0065
_BD_OFFSET_LAT = 0.006
_X_PI = np.pi * 3000.0 / 180.0


def _in_china(lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
    """Rough bounding box where the GCJ-02 offset applies (outside it, none)."""
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _delta(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 minus WGS-84 at a WGS-84 position, in degrees (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x + common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x + common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """WGS-84 -> GCJ-02 (degrees, lon first). Points outside China are returned as is."""
    lon_a, lat_a = _as_arrays(lon, lat)
    dlon, dlat = _delta(lon_a, lat_a)
    return lon_a + dlon, lat_a + dlat


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-10, max_iter: int = 30
) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 -> WGS-84, exact inverse by fixed-point iteration.

    Starts from the GCJ-02 position and repeats ``w <- w - (f(w) - g)`` until the
    step is below ``tol_deg`` (the offset field is smooth, so this converges in
    3-5 steps to far below a millimetre).
    """
    g_lon, g_lat = _as_arrays(lon, lat)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(max_iter):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        step_lon, step_lat = f_lon - g_lon, f_lat - g_lat
        w_lon = w_lon - step_lon
        w_lat = w_lat - step_lat
        if np.all(np.abs(step_lon) < tol_deg) and np.all(np.abs(step_lat) < tol_deg):
            break
    return w_lon, w_lat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 -> BD-09 (Baidu), degrees, lon first."""
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + _BD_OFFSET_LON, z * np.sin(theta) + _BD_OFFSET_LAT


def bd09_to_gcj02(
    lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-10, max_iter: int = 30
) -> tuple[FloatArray, FloatArray]:
    """BD-09 -> GCJ-02, exact inverse of :func:`gcj02_to_bd09` by iteration."""
    b_lon, b_lat = _as_arrays(lon, lat)
    g_lon, g_lat = b_lon - _BD_OFFSET_LON, b_lat - _BD_OFFSET_LAT
    for _ in range(max_iter):
        f_lon, f_lat = gcj02_to_bd09(g_lon, g_lat)
        step_lon, step_lat = f_lon - b_lon, f_lat - b_lat
        g_lon = g_lon - step_lon
        g_lat = g_lat - step_lat
        if np.all(np.abs(step_lon) < tol_deg) and np.all(np.abs(step_lat) < tol_deg):
            break
    return g_lon, g_lat


def convert_lonlat(
    lon: ArrayLike, lat: ArrayLike, *, src: Datum, dst: Datum
) -> tuple[FloatArray, FloatArray]:
    """Convert coordinate arrays between any two of ``wgs84``, ``gcj02``, ``bd09``."""
    for name, value in (("src", src), ("dst", dst)):
        if value not in DATUMS:
            msg = f"{name}={value!r} is not a datum; expected one of {', '.join(DATUMS)}."
            raise ValueError(msg)
    x, y = _as_arrays(lon, lat)
    if src == dst:
        return x.copy(), y.copy()
    # Go through GCJ-02, the datum the other two are defined against.
    if src == "wgs84":
        x, y = wgs84_to_gcj02(x, y)
    elif src == "bd09":
        x, y = bd09_to_gcj02(x, y)
    if dst == "wgs84":
        return gcj02_to_wgs84(x, y)
    if dst == "bd09":
        return gcj02_to_bd09(x, y)
    return x, y


G = TypeVar("G", bound=shapely.Geometry)


def convert_point(lonlat: tuple[float, float], *, src: Datum, dst: Datum) -> tuple[float, float]:
    """One ``(lon, lat)`` point from ``src`` to ``dst`` (see :func:`convert_lonlat`)."""
    x, y = convert_lonlat([lonlat[0]], [lonlat[1]], src=src, dst=dst)
    return (float(x[0]), float(y[0]))


def convert_geometry(geom: G, *, src: Datum, dst: Datum) -> G:
    """Convert one shapely geometry (any type, lon/lat degrees) between datums."""

    def _xy(coords: FloatArray) -> FloatArray:
        x, y = convert_lonlat(coords[:, 0], coords[:, 1], src=src, dst=dst)
        return np.column_stack([x, y])

    return shapely.transform(geom, _xy)


def convert_frame(gdf: gpd.GeoDataFrame, *, src: Datum, dst: Datum) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` (EPSG:4326) with every geometry converted between datums.

    All coordinates are converted in one vectorised call, whatever the geometry mix.
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        msg = f"convert_frame expects lon/lat degrees (EPSG:4326), got {gdf.crs.to_string()}."
        raise ValueError(msg)

    def _xy(coords: FloatArray) -> FloatArray:
        x, y = convert_lonlat(coords[:, 0], coords[:, 1], src=src, dst=dst)
        return np.column_stack([x, y])

    converted = shapely.transform(np.asarray(gdf.geometry.values), _xy)
    geometry = gpd.GeoSeries(converted, index=gdf.index, crs=gdf.crs)
    return gdf.set_geometry(geometry)
