"""putuo_geo.derive on tiny fixtures whose answers can be checked on paper (metres)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from putuo_geo import derive

STRAIGHT = LineString([(0, 0), (10, 0)])  # a 10 m creek flowing east


def test_shared_border_of_two_unit_squares_is_their_common_edge():
    border = derive.shared_border(box(0, 0, 1, 1), box(1, 0, 2, 1))
    assert border.length == pytest.approx(1.0)
    assert {c[0] for c in border.coords} == {1.0}


def test_shared_border_raises_when_nothing_is_shared():
    with pytest.raises(ValueError, match="share no border"):
        derive.shared_border(box(0, 0, 1, 1), box(5, 5, 6, 6))


def test_orient_from_reverses_only_when_needed():
    assert derive.orient_from(STRAIGHT, (10, 1)).coords[0] == (10.0, 0.0)
    assert derive.orient_from(STRAIGHT, (0, 1)).coords[0] == (0.0, 0.0)


def test_cut_between_runs_from_start_to_end_in_either_order():
    part = derive.cut_between(STRAIGHT, (2, 1), (7, -1))
    assert part.length == pytest.approx(5.0)
    assert part.coords[0] == (2.0, 0.0)
    back = derive.cut_between(STRAIGHT, (7, 1), (2, 1))
    assert back.coords[0] == (7.0, 0.0)
    assert back.coords[-1] == (2.0, 0.0)


def test_cut_between_same_point_raises():
    with pytest.raises(ValueError, match="same point"):
        derive.cut_between(STRAIGHT, (3, 1), (3, -1))


def test_join_lines_chains_and_rejects_gaps():
    joined = derive.join_lines([LineString([(0, 0), (3, 0)]), LineString([(3, 0), (3, 4)])])
    assert joined.length == pytest.approx(7.0)
    with pytest.raises(ValueError, match=r"starts 1\.000 m"):
        derive.join_lines([LineString([(0, 0), (3, 0)]), LineString([(4, 0), (5, 0)])])
    with pytest.raises(ValueError, match="no lines"):
        derive.join_lines([])


def test_smooth_curve_passes_through_every_control_point():
    control = [(0, 0), (100, 50), (200, 0), (300, 80)]
    curve = derive.smooth_curve(control, spacing_m=5.0)
    for p in control:
        assert curve.distance(Point(p)) < 1e-9
    assert curve.coords[0] == (0.0, 0.0)
    assert curve.coords[-1] == (300.0, 80.0)


def test_smooth_curve_through_collinear_points_is_the_straight_line():
    curve = derive.smooth_curve([(0, 0), (30, 40), (60, 80)], spacing_m=1.0)
    assert curve.length == pytest.approx(100.0)  # 2 x the 3-4-5 triangle's 50


def test_smooth_curve_rejects_bad_input():
    with pytest.raises(ValueError, match="n >= 2"):
        derive.smooth_curve([(0, 0)])
    with pytest.raises(ValueError, match="spacing_m"):
        derive.smooth_curve([(0, 0), (1, 1)], spacing_m=0)


def test_chain_sections_gives_consecutive_chainage():
    a, b = LineString([(0, 0), (3, 0)]), LineString([(3, 0), (3, 4)])
    sections = derive.chain_sections([a, b])
    assert [(s.from_chainage_m, s.to_chainage_m) for s in sections] == [(0.0, 3.0), (3.0, 7.0)]
    with pytest.raises(ValueError, match="starts"):
        derive.chain_sections([a, LineString([(9, 9), (10, 9)])])


def test_putuo_sides_finds_the_district_side_of_a_border():
    north_district = box(-1, 0, 11, 5)
    assert derive.putuo_sides(STRAIGHT, north_district, probe_m=1) == {"left": 1.0, "right": 0.0}
    around = box(-1, -5, 11, 5)
    assert derive.putuo_sides(STRAIGHT, around, probe_m=1) == {"left": 1.0, "right": 1.0}


def test_perpendicular_points_left_is_left_of_travel():
    left, right = derive.perpendicular_points(STRAIGHT, 5.0, half_width_m=2.0)
    assert left == pytest.approx((5.0, 2.0))
    assert right == pytest.approx((5.0, -2.0))


@pytest.mark.parametrize(("bank", "y"), [("left", 2.0), ("right", -2.0)])
def test_bank_path_is_offset_and_runs_downstream(bank, y):
    path = derive.bank_path(STRAIGHT, bank=bank, offset_m=2.0)
    assert path.coords[0] == pytest.approx((0.0, y))
    assert path.coords[-1] == pytest.approx((10.0, y))


def test_bank_path_rejects_bad_options():
    with pytest.raises(ValueError, match="bank must be"):
        derive.bank_path(STRAIGHT, bank="north", offset_m=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        derive.bank_path(STRAIGHT, bank="left", offset_m=0.0)


def test_split_at_pieces_share_end_points_exactly():
    pieces = derive.split_at(STRAIGHT, [(7, 3), (2, -1)])
    assert [p.length for p in pieces] == pytest.approx([2.0, 5.0, 3.0])
    assert pieces[0].coords[-1] == pieces[1].coords[0]
    assert pieces[1].coords[-1] == pieces[2].coords[0]


def test_snap_to_lines_picks_the_nearest_line():
    lines = [STRAIGHT, LineString([(0, 10), (10, 10)])]
    snapped = derive.snap_to_lines((3, 4), lines)
    assert snapped.xy == pytest.approx((3.0, 0.0))
    assert snapped.line_index == 0
    assert snapped.along_line_m == pytest.approx(3.0)
    assert snapped.offset_m == pytest.approx(4.0)
    with pytest.raises(ValueError, match="no lines"):
        derive.snap_to_lines((0, 0), [])


def test_chainage_of_projects_onto_the_centreline():
    assert derive.chainage_of((6, 8), STRAIGHT) == pytest.approx(6.0)


def test_crossing_line_joins_both_banks():
    banks = [LineString([(0, 2), (10, 2)]), LineString([(0, -2), (10, -2)])]
    crossing = derive.crossing_line(STRAIGHT, 5.0, banks)
    assert list(crossing.coords) == [(5.0, 2.0), (5.0, -2.0)]
    with pytest.raises(ValueError, match="left_bank, right_bank"):
        derive.crossing_line(STRAIGHT, 5.0, banks[:1])


def test_insert_vertices_adds_points_in_order():
    line = derive.insert_vertices(STRAIGHT, [(7, 0), (2.5, 0), (10, 0)])
    assert list(line.coords) == [(0, 0), (2.5, 0), (7, 0), (10, 0)]


def test_even_positions_are_slice_centres():
    assert derive.even_positions(10.0, 4).tolist() == [1.25, 3.75, 6.25, 8.75]
    assert derive.even_positions(10.0, 0).tolist() == []
    with pytest.raises(ValueError, match="count"):
        derive.even_positions(10.0, -1)


def test_disc_with_area_matches_the_target_after_clipping():
    disc = derive.disc_with_area((0, 0), 100.0)
    assert disc.area == pytest.approx(100.0, rel=0.002)
    assert math.sqrt(disc.area / math.pi) == pytest.approx(5.64, abs=0.01)
    half = derive.disc_with_area((0, 0), 100.0, clip=box(0, -50, 50, 50))
    assert half.area == pytest.approx(100.0, rel=0.002)
    assert shapely.bounds(half)[0] >= 0.0
    with pytest.raises(ValueError, match="positive"):
        derive.disc_with_area((0, 0), 0.0)
    with pytest.raises(ValueError, match="cannot reach"):
        derive.disc_with_area((0, 0), 1e6, clip=box(0, 0, 1, 1))


def test_smooth_curve_vertices_are_roughly_spaced():
    curve = derive.smooth_curve([(0, 0), (100, 0)], spacing_m=10.0)
    steps = np.hypot(*np.diff(np.asarray(curve.coords), axis=0).T)
    assert steps.max() == pytest.approx(10.0, rel=0.01)


# ------------------------------------------------------------- side runs, centreline

#: North of y = 0 for x 0..300, plus a notch south of it for x 100..200.
NOTCHED = shapely.Polygon([(0, 0), (100, 0), (100, -50), (200, -50), (200, 0), (300, 0),
                           (300, 100), (0, 100)])  # fmt: skip


def test_side_runs_split_border_inside_border_and_trim_nothing():
    line = LineString([(-100, 0), (400, 0)])
    runs = derive.side_runs(line, NOTCHED, probe_m=20, step_m=10, min_run_m=30)
    assert [r.banks for r in runs] == [(), ("left",), ("left", "right"), ("left",), ()]
    assert [r.from_m for r in runs] == pytest.approx([0, 100, 200, 300, 400])
    assert [r.to_m for r in runs] == pytest.approx([100, 200, 300, 400, 500])


def test_side_runs_absorb_short_runs_into_their_neighbours():
    line = LineString([(0, 0), (300, 0)])  # three 100 m runs, all under min_run_m
    runs = derive.side_runs(line, NOTCHED, probe_m=20, step_m=10, min_run_m=150)
    assert runs == [derive.SideRun(0.0, 300.0, ("left", "right"))]


def test_side_runs_reject_a_bad_step():
    with pytest.raises(ValueError, match="positive"):
        derive.side_runs(STRAIGHT, NOTCHED, step_m=0)


def test_centreline_from_area_runs_midway_between_the_banks():
    water = box(-10, -20, 110, 40)  # banks at y = -20 and y = 40: centre y = 10
    guide = LineString([(0, 0), (100, 0)])
    line = derive.centreline_from_area(water, guide, step_m=25, reach_m=100)
    assert len(line.coords) == 5
    assert {round(y, 6) for _, y in line.coords} == {10.0}
    assert line.coords[0][0] == pytest.approx(0)
    assert line.coords[-1][0] == pytest.approx(100)


def test_centreline_from_area_needs_the_water_under_the_guide():
    with pytest.raises(ValueError, match="fewer than two"):
        derive.centreline_from_area(box(500, 500, 600, 600), STRAIGHT, reach_m=50)
