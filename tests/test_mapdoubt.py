"""The doubt bands (:mod:`putuo_geo.mapdoubt`): areas checked on paper, and the toy's bands."""

from __future__ import annotations

import numpy as np
import paper_toy
import pytest
import shapely

from putuo_geo import config, mapdoubt


def test_the_band_of_a_1_km_line_is_2_a_l_plus_pi_a_squared():
    band = mapdoubt.doubt_band_m(shapely.LineString([(0, 0), (1000, 0)]), 100.0)
    # 2 x 100 x 1000 + pi x 100^2 = 231,416 m2 (shapely's round caps are 8 segments a
    # quarter: their area is 0.6 % under pi a^2, 0.09 % of the whole)
    assert band.area == pytest.approx(2 * 100 * 1000 + np.pi * 100**2, rel=1e-3)
    assert band.bounds == pytest.approx((-100, -100, 1100, 100))


def test_the_band_of_a_zone_is_a_ring_astride_its_edge():
    band = mapdoubt.doubt_band_m(shapely.box(0, 0, 1000, 1000), 100.0)
    # outside: 1000^2 + 4 x 1000 x 100 + pi 100^2 (round corners); inside: an 800 m square
    expected = 1000**2 + 4 * 1000 * 100 + np.pi * 100**2 - 800**2
    assert band.area == pytest.approx(expected, rel=1e-3)
    assert not band.contains(shapely.Point(500, 500))  # the middle is not in doubt


def test_doubt_bands_join_creek_and_route_and_keep_each_zone(atlas):
    bands = mapdoubt.doubt_bands(paper_toy.with_modelled(atlas))
    assert list(bands["id"]) == ["lines", "band-one-belt", "band-one-center", "band-one-city"]
    assert list(bands["zone"]) == ["", "one_belt", "one_center", "one_city"]
    assert bands["accuracy_m"].iloc[0] == 170.0  # the worst modelled line
    lines = bands.to_crs(config.METRIC_CRS).geometry.iloc[0]
    x0, y0 = paper_toy.X0, paper_toy.Y0
    assert lines.contains(shapely.Point(x0 + 1500, y0 - 149))  # creek-1 ± 150 m
    assert not lines.contains(shapely.Point(x0 + 1500, y0 - 151))
    assert lines.contains(shapely.Point(x0 + 10, y0 + 30 + 169))  # left bank ± 170 m
    # nothing confirmed gets a band: the right bank path (y0 - 30) has none outside
    # creek-1; the left bank's band reaches down to y0 + 30 - 170 = y0 - 140
    assert not lines.contains(shapely.Point(x0 + 500, y0 - 150))
    assert mapdoubt.doubt_bands(atlas)["id"].tolist()[0] == "band-one-belt"  # toy as built


@pytest.fixture(scope="module")
def atlas():
    return paper_toy.build_toy_atlas()
