"""putuo_geo.doubt on a fixture checked on paper.

Route (metres, EPSG:32651 coordinates as plain numbers):

    (0,0) --- confirmed, 100 m --- (100,0)
                                      |
                                  modelled, 50 m, accuracy 300
                                      |
                                   (100,50)

Route: 100 m confirmed + 50 m modelled = 150 m; modelled 1/3 = 33.3 %.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from putuo_geo import doubt

CRS = "EPSG:32651"


@pytest.fixture
def route() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["a", "b"], "status": ["confirmed", "indicative"], "accuracy_m": [40.0, 300.0]},
        geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 50)])],
        crs=CRS,
    )


def test_route_doubt_splits_confirmed_and_modelled_length(route):
    d = doubt.route_doubt(route)
    assert d.confirmed_m == pytest.approx(100.0)
    assert d.modelled_m == pytest.approx(50.0)
    assert d.length_m == pytest.approx(150.0)
    assert d.confirmed_km == pytest.approx(0.1)
    assert d.modelled_km == pytest.approx(0.05)
    assert d.modelled_pct == pytest.approx(100 / 3)
    assert d.confirmed_pct == pytest.approx(200 / 3)
    assert d.worst_accuracy_m == 300.0


def test_route_doubt_of_a_fully_confirmed_route(route):
    route["status"] = "confirmed"
    d = doubt.route_doubt(route)
    assert (d.modelled_m, d.modelled_pct, d.worst_accuracy_m) == (0.0, 0.0, 0.0)


def test_path_share_on_modelled_pieces(route):
    # 100 m along the confirmed piece, then 30 m up the modelled one: 30 / 130.
    path = LineString([(0, 0), (100, 0), (100, 30)])
    d = doubt.path_doubt(path, route)
    assert d.length_m == pytest.approx(130.0)
    assert d.confirmed_m == pytest.approx(100.0)
    assert d.modelled_m == pytest.approx(30.0)
    assert d.off_route_m == pytest.approx(0.0)
    assert d.modelled_share == pytest.approx(30 / 130)
    assert d.worst_accuracy_m == 300.0


def test_path_off_the_route_counts_neither(route):
    # 20 m along the confirmed piece, then 100 m straight north, away from both
    # pieces: the steps within 30 m of piece a (up to y = 30) stay on it.
    path = LineString([(20, 0), (40, 0), (40, 100)])
    d = doubt.path_doubt(path, route)
    assert d.length_m == pytest.approx(120.0)
    assert d.confirmed_m == pytest.approx(50.0)
    assert d.off_route_m == pytest.approx(70.0)
    assert d.modelled_m == 0.0
    assert d.modelled_share == 0.0


def test_empty_path_and_route(route):
    assert doubt.path_doubt(LineString(), route).length_m == 0.0
    d = doubt.path_doubt(LineString([(0, 0), (10, 0)]), route.iloc[0:0])
    assert (d.length_m, d.off_route_m, d.modelled_share) == (10.0, 10.0, 0.0)
