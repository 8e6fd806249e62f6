"""putuo_geo.datum held to coord-convert point by point, plus round trips and frames."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from coord_convert import transform as cc
from shapely.geometry import LineString, Point, Polygon

from putuo_geo import config, datum

# A small grid over Putuo and its neighbours (lon, lat), WGS-84.
LONS, LATS = np.meshgrid(np.linspace(121.33, 121.46, 7), np.linspace(31.21, 31.30, 5))
LON, LAT = LONS.ravel(), LATS.ravel()


def _metres(dlon: np.ndarray, dlat: np.ndarray, lat: float = 31.24) -> np.ndarray:
    """Rough metres for a small lon/lat difference (enough to state a tolerance)."""
    return np.hypot(dlon * 111_320 * np.cos(np.radians(lat)), dlat * 110_574)


def test_wgs84_to_gcj02_matches_coord_convert_point_by_point():
    lon, lat = datum.wgs84_to_gcj02(LON, LAT)
    ref = np.array([cc.wgs2gcj(x, y) for x, y in zip(LON, LAT, strict=True)])
    np.testing.assert_allclose(lon, ref[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(lat, ref[:, 1], rtol=0, atol=1e-12)


def test_gcj02_to_wgs84_matches_coord_convert_within_its_tolerance():
    # coord-convert stops iterating at a 1e-6 degree step; ours goes to 1e-10.
    g_lon, g_lat = datum.wgs84_to_gcj02(LON, LAT)
    lon, lat = datum.gcj02_to_wgs84(g_lon, g_lat)
    ref = np.array([cc.gcj2wgs(x, y) for x, y in zip(g_lon, g_lat, strict=True)])
    np.testing.assert_allclose(lon, ref[:, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(lat, ref[:, 1], rtol=0, atol=1e-6)


def test_gcj02_bd09_forward_matches_coord_convert():
    lon, lat = datum.gcj02_to_bd09(LON, LAT)
    ref = np.array([cc.gcj2bd(x, y) for x, y in zip(LON, LAT, strict=True)])
    np.testing.assert_allclose(lon, ref[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(lat, ref[:, 1], rtol=0, atol=1e-12)


def test_bd09_inverse_is_at_least_as_good_as_coord_convert():
    b_lon, b_lat = datum.gcj02_to_bd09(LON, LAT)
    lon, lat = datum.bd09_to_gcj02(b_lon, b_lat)
    ours = _metres(lon - LON, lat - LAT)
    ref = np.array([cc.bd2gcj(x, y) for x, y in zip(b_lon, b_lat, strict=True)])
    theirs = _metres(ref[:, 0] - LON, ref[:, 1] - LAT)
    assert ours.max() < 1e-3  # exact to a millimetre
    assert np.all(ours <= theirs + 1e-6)


@pytest.mark.parametrize(
    ("src", "dst"),
    [("wgs84", "gcj02"), ("wgs84", "bd09"), ("gcj02", "bd09"), ("bd09", "wgs84")],
)
def test_round_trips_are_exact_to_a_millimetre(src, dst):
    lon, lat = datum.convert_lonlat(LON, LAT, src=src, dst=dst)
    back_lon, back_lat = datum.convert_lonlat(lon, lat, src=dst, dst=src)
    assert _metres(back_lon - LON, back_lat - LAT).max() < 1e-3


def test_the_shift_in_putuo_is_about_485_m():
    # FACTS.md: about +0.0046 deg lon, -0.0019 deg lat (~485 m) in Putuo.
    lon, lat = datum.wgs84_to_gcj02(121.40, 31.24)
    assert float(lon - 121.40) == pytest.approx(0.0046, abs=0.0003)
    assert float(lat - 31.24) == pytest.approx(-0.0019, abs=0.0003)
    pts = gpd.GeoSeries([Point(121.40, 31.24), Point(float(lon), float(lat))], crs=config.WEB_CRS)
    metric = pts.to_crs(config.METRIC_CRS)
    assert metric.iloc[0].distance(metric.iloc[1]) == pytest.approx(485, abs=25)


def test_same_datum_is_a_copy():
    lon, _ = datum.convert_lonlat(LON, LAT, src="gcj02", dst="gcj02")
    np.testing.assert_array_equal(lon, LON)
    lon[0] = 0.0
    assert LON[0] != 0.0


@pytest.mark.parametrize("lonlat", [(2.3522, 48.8566), (-74.006, 40.7128), (151.2093, -33.8688)])
def test_outside_china_passes_through(lonlat):
    for src, dst in (("wgs84", "gcj02"), ("gcj02", "wgs84")):
        lon, lat = datum.convert_lonlat(*lonlat, src=src, dst=dst)
        assert (float(lon), float(lat)) == lonlat
    assert cc.outOfChina(*lonlat)


def test_unknown_datum_is_named():
    with pytest.raises(ValueError, match=r"dst='gcj'"):
        datum.convert_lonlat(LON, LAT, src="wgs84", dst="gcj")  # type: ignore[arg-type]


def test_convert_geometry_keeps_type_and_moves_every_vertex():
    poly = Polygon([(121.40, 31.24), (121.41, 31.24), (121.41, 31.25), (121.40, 31.24)])
    moved = datum.convert_geometry(poly, src="wgs84", dst="gcj02")
    assert moved.geom_type == "Polygon"
    want = np.column_stack(datum.wgs84_to_gcj02(*shapely.get_coordinates(poly).T))
    np.testing.assert_allclose(shapely.get_coordinates(moved), want, atol=1e-12)


def test_convert_frame_keeps_crs_index_and_columns():
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[Point(121.40, 31.24), LineString([(121.40, 31.24), (121.42, 31.25)])],
        index=["x", "y"],
        crs=config.WEB_CRS,
    )
    out = datum.convert_frame(frame, src="gcj02", dst="wgs84")
    assert out.crs.equals(frame.crs)
    assert list(out.index) == ["x", "y"]
    assert list(out["name"]) == ["a", "b"]
    want = np.column_stack(datum.gcj02_to_wgs84(*shapely.get_coordinates(frame.geometry).T))
    np.testing.assert_allclose(shapely.get_coordinates(out.geometry), want, atol=1e-12)
    # the input is untouched
    assert frame.geometry.iloc[0].equals(Point(121.40, 31.24))


def test_convert_frame_refuses_metres():
    frame = gpd.GeoDataFrame(geometry=[Point(345_000, 3_457_700)], crs=config.METRIC_CRS)
    with pytest.raises(ValueError, match="EPSG:4326"):
        datum.convert_frame(frame, src="gcj02", dst="wgs84")


def test_convert_point_matches_coord_convert_and_gives_plain_floats():
    lonlat = (121.4216, 31.2381)
    got = datum.convert_point(lonlat, src="wgs84", dst="bd09")
    assert got == pytest.approx(cc.gcj2bd(*cc.wgs2gcj(*lonlat)), rel=0, abs=1e-12)
    assert all(type(v) is float for v in got)  # folium and JSON take them as they are
    assert datum.convert_point(lonlat, src="gcj02", dst="gcj02") == lonlat
