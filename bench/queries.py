"""Along-route queries on many points: ours (arrays) against per-point shapely calls.

- chainage of ``n`` points: :meth:`putuo_geo.along.RouteIndex.chainage_m_many` against a
  Python loop of scalar shapely calls per point (distance to every creek segment, then
  ``project`` on the nearest);
- walking distance of ``n`` pairs: :meth:`~putuo_geo.along.RouteIndex.along_route_m_many`
  against a loop that snaps each end with scalar shapely calls (distance to every route
  edge, ``project``) and then uses the same node-to-node table; and against the page's
  per-pair API, ``RouteNetwork.measure``.

The naive loops run on a sample (``naive_n``) and are scaled to ``n``; their answers
must equal ours on that sample (checked here).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyproj
import shapely

from bench import synthetic
from putuo_geo import along, config, layers, network


def _metric_points(points_lonlat: np.ndarray) -> list[shapely.Point]:
    t = pyproj.Transformer.from_crs(config.WEB_CRS, config.METRIC_CRS, always_xy=True)
    x, y = t.transform(points_lonlat[:, 0], points_lonlat[:, 1])
    return list(shapely.points(np.column_stack([x, y])))


def naive_chainage_m(index: along.RouteIndex, points_lonlat: np.ndarray) -> np.ndarray:
    out = []
    for point in _metric_points(points_lonlat):
        dist = [seg.distance(point) for seg in index.creek]
        i = int(np.argmin(dist))
        fraction = index.creek[i].project(point, normalized=True)
        lo, hi = index.creek_from_m[i], index.creek_to_m[i]
        out.append(lo + fraction * (hi - lo))
    return np.array(out)


def naive_along_route_m(
    index: along.RouteIndex, a_lonlat: np.ndarray, b_lonlat: np.ndarray
) -> np.ndarray:
    def snap(point: shapely.Point) -> tuple[int, float]:
        dist = [edge.distance(point) for edge in index.edges]
        i = int(np.argmin(dist))
        return i, index.edges[i].project(point)

    out = []
    for a, b in zip(_metric_points(a_lonlat), _metric_points(b_lonlat), strict=True):
        (ea, pa), (eb, pb) = snap(a), snap(b)
        ends_a = ((index.edge_start[ea], pa), (index.edge_end[ea], index.edge_length_m[ea] - pa))
        ends_b = ((index.edge_start[eb], pb), (index.edge_end[eb], index.edge_length_m[eb] - pb))
        best = min(wa + index.node_distance_m[u, v] + wb for u, wa in ends_a for v, wb in ends_b)
        if ea == eb:
            best = min(best, abs(pa - pb))
        out.append(best)
    return np.array(out)


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def run(*, n: int, naive_n: int, measure_n: int, runs: int, seed: int = 6) -> dict[str, Any]:
    """Times in seconds for ``n`` points / pairs (naive ones scaled from their sample)."""
    atlas = layers.load_atlas()
    build_s, index = _timed(along.RouteIndex.from_atlas, atlas)
    a = synthetic.points_lonlat(atlas, n, seed=seed)
    b = synthetic.points_lonlat(atlas, n, seed=seed + 1)
    chain_s, walk_s = [], []
    for _ in range(runs):
        t, chainage = _timed(index.chainage_m_many, a)
        chain_s.append(t)
        t, walk = _timed(index.along_route_m_many, a, b)
        walk_s.append(t)
    k = min(naive_n, n)
    t_chain_naive, chain_naive = _timed(naive_chainage_m, index, a[:k])
    t_walk_naive, walk_naive = _timed(naive_along_route_m, index, a[:k], b[:k])
    np.testing.assert_allclose(chainage[:k], chain_naive, atol=1e-6)
    np.testing.assert_allclose(walk[:k], walk_naive, atol=1e-6)
    result: dict[str, Any] = {
        "n": n,
        "naive_n": k,
        "index_build_s": build_s,
        "chainage_s": chain_s,
        "walk_s": walk_s,
        "chainage_naive_s": t_chain_naive * n / k,
        "walk_naive_s": t_walk_naive * n / k,
    }
    if hasattr(network, "RouteNetwork") and measure_n:
        net = network.RouteNetwork.from_atlas(atlas)
        m = min(measure_n, n)
        start = time.perf_counter()
        measured = [net.measure(tuple(a[i]), tuple(b[i])).along_route_m for i in range(m)]
        result["walk_measure_api_s"] = (time.perf_counter() - start) * n / m
        result["measure_api_n"] = m
        result["measure_api_max_diff_m"] = float(np.max(np.abs(np.array(measured) - walk[:m])))
    return result
