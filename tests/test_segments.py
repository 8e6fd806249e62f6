"""putuo_geo.segments: exact nearest segment for many points (hand-checked, then shapely)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from putuo_geo import segments


def _l_shape() -> segments.SegmentIndex:
    # (0,0) -> (100,0) -> (100,100): an L of two 100 m segments
    return segments.SegmentIndex(
        np.array([[0.0, 0.0], [100.0, 0.0]]), np.array([[100.0, 0.0], [100.0, 100.0]])
    )


def test_points_checked_on_paper():
    found = _l_shape().nearest(np.array([[30.0, 4.0], [103.0, 60.0], [-3.0, -4.0], [90, 95]]))
    assert found.segment.tolist() == [0, 1, 0, 1]
    assert found.along_m == pytest.approx([30.0, 60.0, 0.0, 95.0])
    assert found.distance_m == pytest.approx([4.0, 3.0, 5.0, 10.0])  # 3-4-5 off the start


def test_a_tie_goes_to_the_lower_segment_and_the_corner_is_the_same_place():
    found = _l_shape().nearest(np.array([[110.0, -10.0], [50.0, 50.0]]))
    # beyond the corner both segments are 14.14 m away at the corner itself
    assert found.segment.tolist() == [0, 0]
    assert found.along_m[0] == pytest.approx(100.0)
    assert found.distance_m[0] == pytest.approx(np.hypot(10, 10))
    assert found.distance_m[1] == pytest.approx(50.0)


def test_zero_length_segments_and_no_points():
    index = segments.SegmentIndex(np.array([[5.0, 5.0]]), np.array([[5.0, 5.0]]))
    found = index.nearest(np.array([[8.0, 9.0]]))
    assert (found.segment[0], found.along_m[0], found.distance_m[0]) == (0, 0.0, 5.0)
    empty = _l_shape().nearest(np.empty((0, 2)))
    assert len(empty.segment) == len(empty.along_m) == len(empty.distance_m) == 0


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="finite"):
        _l_shape().nearest(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="empty"):
        segments.SegmentIndex(np.empty((0, 2)), np.empty((0, 2))).nearest(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="segments"):
        segments.SegmentIndex(np.zeros((2, 2)), np.zeros((1, 2)))


@pytest.mark.parametrize("leaf_m", [5.0, 50.0, 400.0])
def test_same_answer_as_shapely_for_random_points_near_and_far(leaf_m):
    rng = np.random.default_rng(3)
    # a wiggly polyline of 300 short segments plus a second line, and points from
    # on the line to 20 km away (the coarsest grid adapts to the spread)
    t = np.linspace(0, 6000, 301)
    wiggle = np.column_stack([t, 300 * np.sin(t / 400) + rng.normal(0, 3, t.size)])
    other = np.array([[0.0, 900.0], [3000.0, 1500.0], [6000.0, 900.0]])
    lines = np.array([shapely.LineString(wiggle), shapely.LineString(other)])
    index, line_of = segments.SegmentIndex.from_lines(lines, leaf_m=leaf_m)
    assert len(index) == 302
    assert line_of.tolist() == [0] * 300 + [1] * 2
    points = np.concatenate(
        [
            wiggle[rng.integers(0, t.size, 200)] + rng.normal(0, 20, (200, 2)),
            rng.uniform([-2000, -2000], [8000, 3000], (3000, 2)),
            rng.uniform([-20000, -20000], [20000, 20000], (300, 2)),
        ]
    )
    found = index.nearest(points)
    parts = shapely.linestrings(np.stack([index.start_xy, index.end_xy], axis=1))
    geoms = shapely.points(points)
    src, seg = shapely.STRtree(parts).query_nearest(geoms, all_matches=False)
    want = np.empty(len(points))
    want[src] = shapely.distance(parts[seg], geoms[src])
    np.testing.assert_allclose(found.distance_m, want, atol=1e-9)
    # the foot point lies on the chosen segment, at that distance
    foot = shapely.line_interpolate_point(parts[found.segment], found.along_m)
    np.testing.assert_allclose(shapely.distance(foot, geoms), want, atol=1e-6)
