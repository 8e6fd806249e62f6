"""Smoke test: the benchmark's Python parts run on tiny inputs (the bench is not a test).

``make bench`` measures; this only proves the code imports, agrees with the library
on a handful of points and turns results into the table, in a second or two.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from page_support import skip_reason

from bench import queries, run, scale, synthetic
from putuo_geo import config, layers

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def test_synthetic_points_are_seeded_and_inside_the_boundary():
    atlas = layers.load_atlas()
    a = synthetic.points_lonlat(atlas, 50, seed=1)
    assert a.shape == (50, 2)
    np.testing.assert_array_equal(a, synthetic.points_lonlat(atlas, 50, seed=1))
    area = atlas.boundary.to_crs(config.METRIC_CRS).union_all()
    pts = synthetic.points_frame(a).to_crs(config.METRIC_CRS)
    assert pts.within(area.buffer(0.01)).all()


def test_queries_agree_with_the_naive_loops_and_fill_the_table():
    result = queries.run(n=40, naive_n=20, measure_n=10, runs=1)
    assert result["n"] == 40
    assert len(result["walk_s"]) == 1
    rows = run.rows_from({"queries": result})
    assert next(r.measure for r in rows).startswith("6. 40 points")
    table = run.markdown(rows, {"date": "d", "data_dir": "x", "commit": "c", "cpus": 2, "runs": 1})
    assert table.count("\n|") >= len(rows)


def test_scale_pages_hold_every_site():
    atlas = layers.load_atlas()
    sites = synthetic.sites(atlas, 30, seed=2)
    ours, naive = scale.ours_html(sites), scale.naive_html(sites)
    assert ours.count('"kind":"site"') == 30
    assert naive.count("L.marker(") == 30
    for page in (ours, naive):
        assert not re.search(r"""(src|href)=["']https?://""", page)


def test_coverage_agrees_with_per_sample_measurement_and_fills_the_table():
    from bench import coverage

    result = coverage.run(candidates=3, naive_n=3, runs=1)
    assert (result["stations"], result["candidates"]) == (24, 3)
    rows = run.coverage_rows(result)
    assert rows[0].measure.startswith("14. Coverage, 24 stations + 3 candidates")
    assert run.rows_from({"coverage": result})[0] == rows[0]


def test_candidate_clicks_land_on_valid_candidates_and_fill_the_row():
    from bench import page as page_bench
    from putuo_geo import coverage

    atlas = layers.load_atlas(config.PACKAGE_DATA_DIR)
    points = page_bench.candidate_points(atlas, count=5)
    model = coverage.CoverageModel.from_atlas(atlas)
    assert len(model.candidates(points, existing=model.stations(atlas.stations))) == 5
    p = {
        "load_s": [1.0],
        "filter_s": [0.1],
        "measure_s": [],
        "candidate_click_s": [0.4, 0.5, 0.6],
        "map_payload_bytes": 1,
        "map_payload_gzip_bytes": 1,
        "rerun_s": 0.1,
        "rss_per_added_session_bytes": 1e6,
        "rss_one_session_bytes": 1e8,
        "features": 1,
    }
    rows = run.rows_from({"page": p, "sessions": 2})
    (row,) = [r for r in rows if r.measure.startswith("14. Candidate click")]
    assert row.ours == "500 ms"
