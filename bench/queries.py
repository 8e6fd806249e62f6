"""Along-route queries on many points: ours (arrays) against per-point shapely calls.

- chainage of ``n`` points: :func:`putuo_geo.measures.chainage_m` (one call on the
  whole array) against a Python loop of ``creek_line.project(point)`` per point on the
  same merged centreline (then the same calibration on the sections' chainages);
- walking distance of ``n`` pairs: :meth:`putuo_geo.network.RouteNetwork.
  along_route_m_many` against :meth:`~putuo_geo.network.RouteNetwork.measure` called
  pair by pair (one snap per call, Dijkstra per pair).

The naive loops run on a sample and are scaled to ``n``; on that sample their answers
must equal ours (checked here, to the millimetre).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import shapely

from bench import synthetic
from bench.common import median
from putuo_geo import layers, measures, network
from putuo_geo.route import Centreline


def naive_chainage_m(centre: Centreline, xy: np.ndarray) -> np.ndarray:
    return centre.chainage_at([centre.line.project(shapely.Point(x, y)) for x, y in xy])


def run(*, n: int, naive_n: int, measure_n: int, runs: int, seed: int = 6) -> dict[str, Any]:
    """Seconds for ``n`` points / pairs (the naive ones scaled from their samples)."""
    atlas = layers.load_atlas()
    start = time.perf_counter()
    net = network.RouteNetwork.from_atlas(atlas)
    net.along_route_m_many(np.empty((0, 2)), np.empty((0, 2)))  # builds the batch index
    build_s = time.perf_counter() - start
    a = synthetic.points_lonlat(atlas, n, seed=seed)
    b = synthetic.points_lonlat(atlas, n, seed=seed + 1)
    points = synthetic.points_frame(a)
    chain_s, walk_s = [], []
    for _ in range(runs):
        start = time.perf_counter()
        chainage = measures.chainage_m(points, atlas.creek).to_numpy()
        chain_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        walk = net.along_route_m_many(a, b)
        walk_s.append(time.perf_counter() - start)

    k = min(naive_n, n)
    centre = Centreline.from_frame(atlas.creek)
    xy = measures.lonlat_to_metric(a[:k, 0], a[:k, 1])
    start = time.perf_counter()
    naive = naive_chainage_m(centre, xy)
    chain_naive_s = (time.perf_counter() - start) * n / k
    np.testing.assert_allclose(chainage[:k], naive, atol=1e-3)

    m = min(measure_n, n)
    start = time.perf_counter()
    measured = [net.measure(tuple(a[i]), tuple(b[i])).along_route_m for i in range(m)]
    walk_naive_s = (time.perf_counter() - start) * n / m
    np.testing.assert_allclose(walk[:m], measured, atol=1e-3)
    return {
        "n": n,
        "chainage_naive_n": k,
        "walk_naive_n": m,
        "index_build_s": build_s,
        "chainage_s": chain_s,
        "walk_s": walk_s,
        "chainage_naive_s": chain_naive_s,
        "walk_naive_s": walk_naive_s,
        "walk_s_median": median(walk_s),
    }
