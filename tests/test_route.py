"""The route model on an L-shaped creek you can check on paper, and on the real geo/.

Local metres (EPSG:32651, from ``paper_toy``'s origin):

- creek: (0, 0) -> (300, 0) -> (300, 400), two sections: chainage 0-300 and 300-700
  (a 3-4-5 L: the ends are 500 m apart in a straight line);
- route: one bank path 10 m inside the bend, (0, 10) -> (290, 10) -> (290, 400),
  and a second, "outer", (0, -30) -> (330, -30) -> (330, 400).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from paper_toy import X0, Y0, local_frame, lonlat
from shapely.geometry import LineString, Point

from putuo_geo import cli, config, crs, layers, measures, overview
from putuo_geo.errors import RouteError
from putuo_geo.network import RouteNetwork
from putuo_geo.route import Centreline, Polylines, RouteModel

MM = 1e-3


def _xy(*pts: tuple[float, float]) -> np.ndarray:
    """Local metres -> EPSG:32651."""
    return np.asarray(pts, dtype=float).reshape(-1, 2) + np.array([X0, Y0])


@pytest.fixture
def creek():
    return local_frame(
        [
            {"id": "c-north", "from_chainage_m": 300.0, "to_chainage_m": 700.0},
            {"id": "c-east", "from_chainage_m": 0.0, "to_chainage_m": 300.0},
        ],
        [LineString([(300, 400), (300, 0)]), LineString([(0, 0), (300, 0)])],  # reversed, unsorted
    )


@pytest.fixture
def model(creek):
    route = local_frame(
        [{"id": "inner", "bank": "left"}, {"id": "outer", "bank": "right"}],
        [
            LineString([(0, 10), (290, 10), (290, 400)]),
            LineString([(0, -30), (330, -30), (330, 400)]),
        ],
    )
    return RouteModel.from_frames(route, creek=creek)


def test_centreline_is_merged_downstream_with_section_chainages(creek):
    centre = Centreline.from_frame(creek)
    assert centre.line.length == pytest.approx(700, abs=MM)
    np.testing.assert_allclose(
        np.asarray(centre.line.coords) - [X0, Y0], [(0, 0), (300, 0), (300, 400)], atol=MM
    )
    assert (centre.start_m, centre.end_m) == (0.0, 700.0)
    assert centre.sections["id"].tolist() == ["c-east", "c-north"]
    np.testing.assert_allclose(centre.sections["from_along_m"], [0, 300], atol=MM)
    np.testing.assert_allclose(centre.sections["to_along_m"], [300, 700], atol=MM)


def test_chainage_single_batch_and_beyond_the_ends(model):
    # on the first leg; round the corner; past the west end (a 3-4-5: foot at the start);
    # past the north end; inside the corner (equally near both legs: the corner)
    xy = _xy((100, 20), (250, 200), (-30, -40), (310, 450), (300, 0))
    np.testing.assert_allclose(model.chainage_m(xy), [100, 500, 0, 700, 300], atol=MM)
    assert model.chainage_m(xy[1])[0] == pytest.approx(500, abs=MM)  # one point
    lonlats = crs.metric_to_lonlat(xy)
    np.testing.assert_allclose(model.chainage_m_lonlat(lonlats), [100, 500, 0, 700, 300], atol=MM)


def test_chainage_is_calibrated_on_published_spans(creek):
    # The north section is published as 500 m long but drawn 400 m: halfway up it
    # is chainage 300 + 250, and a km-post at 550 is drawn halfway up.
    stretched = creek.assign(to_chainage_m=[800.0, 300.0])
    centre = Centreline.from_frame(stretched)
    assert centre.chainage_m(_xy((300, 200)))[0] == pytest.approx(550, abs=MM)
    assert centre.chainage_m(_xy((150, 0)))[0] == pytest.approx(150, abs=MM)
    np.testing.assert_allclose(centre.point_at([550.0]), _xy((300, 200)), atol=MM)
    assert centre.end_m == 800.0


def test_chainage_without_published_chainages_is_the_drawn_length(creek):
    centre = Centreline.from_frame(creek.drop(columns=["to_chainage_m"]))
    assert centre.chainage_m(_xy((300, 200)))[0] == pytest.approx(500, abs=MM)
    bare = Centreline.from_frame(creek.drop(columns=["from_chainage_m", "to_chainage_m"]))
    assert bare.line.length == pytest.approx(700, abs=MM)  # layer order, still joined


def test_snap_single_and_batch(model):
    # 40 m north of the inner path; a 3-4-5 past its west end; 10 m east of the outer
    # path's north leg; a 3-4-5 (30-40-50) past the inner path's north end
    xy = _xy((100, 50), (-30, 50), (320, 200), (260, 440))
    got = model.snap_xy(xy)
    assert got.route_id.tolist() == ["inner", "inner", "outer", "inner"]
    np.testing.assert_allclose(got.offset_m, [40, 50, 10, 50], atol=MM)
    np.testing.assert_allclose(
        got.xy - [X0, Y0], [(100, 10), (0, 10), (330, 200), (290, 400)], atol=MM
    )
    np.testing.assert_allclose(got.along_m, [100, 0, 330 + 230, 290 + 390], atol=MM)
    np.testing.assert_allclose(got.chainage_m, [100, 0, 500, 700], atol=MM)
    one = model.snap_xy(xy[0])
    assert one.route_id.tolist() == ["inner"]
    assert one.offset_m[0] == pytest.approx(40, abs=MM)
    np.testing.assert_allclose(model.snap_lonlat(crs.metric_to_lonlat(xy)).xy, got.xy, atol=MM)


def test_snap_tie_goes_to_the_first_path():
    both = Polylines([LineString([(0, 10), (100, 10)]), LineString([(0, -10), (100, -10)])])
    found = both.locate([(50, 0)])
    assert (int(found.line[0]), found.distance_m[0]) == (0, pytest.approx(10))


def test_empty_input_gives_empty_answers(model):
    empty = np.empty((0, 2))
    assert model.chainage_m(empty).shape == (0,)
    got = model.snap_xy(empty)
    assert got.line.shape == (0,)
    assert got.xy.shape == (0, 2)
    assert got.lonlat.shape == (0, 2)
    assert crs.lonlat_to_metric(empty).shape == (0, 2)
    assert crs.metric_to_lonlat(empty).shape == (0, 2)


def test_no_creek_gives_nan_chainage_and_no_route_is_refused(creek):
    route = local_frame([{"id": "r"}], [LineString([(0, 10), (100, 10)])])
    alone = RouteModel.from_frames(route)
    assert alone.creek is None
    assert np.isnan(alone.snap_xy(_xy((5, 5))).chainage_m[0])
    with pytest.raises(RouteError, match="no LineString"):
        RouteModel.from_frames(local_frame([{"id": "p"}], [Point(0, 0)]), creek=creek)
    with pytest.raises(ValueError, match="finite"):
        alone.snap_xy([(np.nan, 0.0)])
    with pytest.raises(ValueError, match="no segment"):
        Polylines([]).locate([(0.0, 0.0)])


def test_projection_round_trip_and_a_known_point():
    lon, lat = lonlat(3, 4)
    np.testing.assert_allclose(crs.lonlat_to_metric((lon, lat)), [[X0 + 3, Y0 + 4]], atol=MM)
    xy = _xy((0, 0), (300, 0), (300, 400))
    np.testing.assert_allclose(crs.lonlat_to_metric(crs.metric_to_lonlat(xy)), xy, atol=1e-6)
    line = LineString(xy)
    back = crs.geometry_to_metric(crs.geometry_to_lonlat(line))
    assert back.length == pytest.approx(700, abs=MM)
    assert crs.geometry_to_lonlat(line).length < 0.01  # degrees, not metres
    with pytest.raises(ValueError, match="no CRS"):
        crs.to_metric(local_frame([{}], [Point(0, 0)]).set_crs(None, allow_override=True))


def test_the_page_the_command_and_the_batch_engine_agree_on_real_data():
    atlas = layers.load_atlas()
    net = RouteNetwork.from_atlas(atlas)
    # stations, and points a little off the route (to the mm after 6-decimal rounding)
    pts = [
        (round(lon + dx, 6), round(lat + dy, 6))
        for (lon, lat), (dx, dy) in zip(
            zip(atlas.stations.geometry.x[:6], atlas.stations.geometry.y[:6], strict=True),
            [(0.0, 0.0), (0.0004, 0.0), (0.0, -0.0006), (-0.0003, 0.0002), (0.001, 0.0), (0, 0)],
            strict=True,
        )
    ]
    page = [overview.nearest(atlas, p).chainage_m for p in pts]
    command = []
    for a, b in zip(pts[::2], pts[1::2], strict=True):
        out = cli.measure(atlas, f"{a[1]},{a[0]}", f"{b[1]},{b[0]}")
        command += [out["from"]["chainage_m"], out["to"]["chainage_m"]]
    feet = net.model.snap_lonlat(pts)
    on_route = gpd.GeoSeries(gpd.points_from_xy(*feet.xy.T), crs=config.METRIC_CRS)
    batch = measures.chainage_m(on_route, atlas.creek).to_numpy()
    assert None not in page
    np.testing.assert_allclose(page, feet.chainage_m, atol=MM)
    np.testing.assert_allclose(command, feet.chainage_m, atol=MM)  # the command rounds to mm
    np.testing.assert_allclose(batch, feet.chainage_m, atol=MM)
    np.testing.assert_allclose([net.snap(p).chainage_m for p in pts], feet.chainage_m, atol=MM)
