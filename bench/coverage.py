"""The planner's coverage (issue 14): ours (one multi-source Dijkstra, exact per edge)
against a per-sample measurement of the same figure.

- ours: 24 stations + ``candidates`` candidate stations -> join the candidates to the
  route (:meth:`~putuo_geo.coverage.CoverageModel.candidates`), the coverage, its
  figures, and the before/after comparison a candidate click triggers
  (:meth:`~putuo_geo.coverage.CoverageModel.compare`); the map's band pieces
  (:meth:`~putuo_geo.coverage.Coverage.bands_frame`) timed apart;
- naive peer: the route sampled every ``step_m`` metres, each sample measured to every
  station with :meth:`~putuo_geo.network.RouteNetwork.measure` and the nearest kept
  (one measurement per sample and station). It runs on a subset of the samples and is
  scaled to all of them; on that subset its distances must equal ours (1 mm).
- batch peer: the same samples x stations with
  :meth:`~putuo_geo.network.RouteNetwork.along_route_m_many` (all pairs at once).
"""

from __future__ import annotations

import time
from typing import Any

import geopandas as gpd
import numpy as np

from bench.common import median
from putuo_geo import config, coverage, layers, measures, network


def route_samples_lonlat(atlas: layers.Atlas, *, step_m: float) -> np.ndarray:
    """Points every ``step_m`` along each route line, ``(n, 2)`` WGS-84 lon/lat."""
    metric = atlas.route.geometry.to_crs(config.METRIC_CRS)
    pts = [
        line.interpolate(d)
        for line in metric.to_numpy()
        for d in np.arange(0.0, line.length, step_m)
    ]
    lonlat = gpd.GeoSeries(pts, crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
    return np.column_stack([lonlat.x.to_numpy(), lonlat.y.to_numpy()])


def candidate_lonlat(atlas: layers.Atlas, n: int, *, away_m: float = 100.0) -> np.ndarray:
    """``n`` route points spread over the route, each over ``away_m`` from every station."""
    samples = route_samples_lonlat(atlas, step_m=20.0)
    xy = measures.lonlat_to_metric(samples[:, 0], samples[:, 1])
    st = atlas.stations.geometry.to_crs(config.METRIC_CRS)
    st_xy = np.column_stack([st.x.to_numpy(), st.y.to_numpy()])
    nearest = np.min(np.hypot(*(xy[:, None, :] - st_xy[None, :, :]).transpose(2, 0, 1)), axis=1)
    free = samples[nearest > away_m]
    return free[np.linspace(0, len(free) - 1, n + 2).astype(int)[1:-1]]


def run(
    *, candidates: int = 10, step_m: float = 20.0, naive_n: int = 40, runs: int = 5
) -> dict[str, Any]:
    """Seconds for ours and the peers (the naive one scaled from ``naive_n`` samples)."""
    atlas = layers.load_atlas()
    net = network.RouteNetwork.from_atlas(atlas)
    start = time.perf_counter()
    model = coverage.CoverageModel.from_atlas(atlas, network=net)
    stations = model.stations(atlas.stations)
    model_s = time.perf_counter() - start
    cand_lonlat = candidate_lonlat(atlas, candidates)

    ours_s, compare_s, bands_s = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        cands = model.candidates(cand_lonlat, existing=stations)
        model.coverage([*stations, *cands]).figures()
        ours_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        model.compare(stations, cands).figures()
        compare_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        model.coverage([*stations, *cands]).bands_frame()
        bands_s.append(time.perf_counter() - start)
    start = time.perf_counter()
    model.sensitivity(stations)
    sensitivity_s = time.perf_counter() - start

    samples = route_samples_lonlat(atlas, step_m=step_m)
    sites = [*stations, *cands]
    site_lonlat = np.array([s.on_route_lonlat for s in sites])
    ours_walk = model.walk_m(sites, samples)

    n = len(samples)
    pick = np.linspace(0, n - 1, min(naive_n, n)).astype(int)
    start = time.perf_counter()
    naive = [
        min(net.measure(tuple(samples[i]), tuple(p)).along_route_m for p in site_lonlat)
        for i in pick
    ]
    naive_s = (time.perf_counter() - start) * n / len(pick)
    np.testing.assert_allclose(ours_walk[pick], naive, atol=1e-3)

    net.along_route_m_many(np.empty((0, 2)), np.empty((0, 2)))  # index built, not timed
    start = time.perf_counter()
    a = np.repeat(samples, len(sites), axis=0)
    b = np.tile(site_lonlat, (n, 1))
    batch = net.along_route_m_many(a, b).reshape(n, len(sites)).min(axis=1)
    batch_s = time.perf_counter() - start
    np.testing.assert_allclose(ours_walk, batch, atol=1e-3)
    return {
        "stations": len(stations),
        "candidates": len(cands),
        "samples": n,
        "step_m": step_m,
        "naive_n": len(pick),
        "model_s": model_s,
        "ours_s": ours_s,
        "compare_s": compare_s,
        "bands_frame_s": bands_s,
        "sensitivity_s": sensitivity_s,
        "naive_s": naive_s,
        "batch_s": batch_s,
        "ours_s_median": median(ours_s),
    }
