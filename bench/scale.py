"""Synthetic sites (1k, 10k, 100k; seeded, inside the boundary) as a map layer.

Ours: :func:`putuo_geo.mapview.sites_layer`. Naive: one ``folium.Marker`` per site with
its name as tooltip. Both on an empty folium map with the same local Leaflet files:
Python time to build and render the HTML, its size, and the browser's time from
navigation start to every site on the map (pages served by ``http.server`` on loopback).
"""

from __future__ import annotations

import html
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from bench import synthetic
from bench.common import (
    ROOT,
    median,
    navigation_start_ms,
    offline_page,
    static_server,
    wait_until_ms,
)
from putuo_geo import assets, layers, mapview

#: Naive pages above this many markers are not built (see the report's note).
NAIVE_MAX = 10_000

SITES_DRAWN_JS = """window.map && window.map._layers
    && Object.values(window.map._layers).filter((l) =>
        l.feature && l.feature.properties.kind === 'site').length === {n}"""
MARKERS_DRAWN_JS = """window.map && window.map._layers
    && Object.values(window.map._layers).filter((l) => l instanceof L.Marker).length === {n}"""


def _empty_map(sites: gpd.GeoDataFrame) -> folium.Map:
    minx, miny, maxx, maxy = sites.total_bounds
    # Every vector layer on one canvas, as on the page's map (mapview.build_map); the
    # naive markers are DOM icons either way.
    m = folium.Map(tiles=None, prefer_canvas=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def _html(m: folium.Map) -> str:
    page = assets.localize(m, base_url="vendor").get_root().render()
    # The benchmark's checks find the map as window.map (as the app's iframe has it).
    return page + f"\n<script>window.map = {m.get_name()};</script>\n"


def ours_html(sites: gpd.GeoDataFrame) -> str:
    m = _empty_map(sites)
    mapview.sites_layer(sites).add_to(m)
    return _html(m)


def naive_html(sites: gpd.GeoDataFrame) -> str:
    m = _empty_map(sites)
    for name, point in zip(sites["name_en"], sites.geometry, strict=True):
        folium.Marker([point.y, point.x], tooltip=html.escape(str(name))).add_to(m)
    return _html(m)


def _build(fn: Any, sites: gpd.GeoDataFrame, *, runs: int) -> tuple[float, str]:
    times, page = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        page = fn(sites)
        times.append(time.perf_counter() - start)
    return median(times), page


def _draw_s(browser: Any, url: str, condition_js: str, *, runs: int) -> float:
    times = []
    for _ in range(runs):
        with offline_page(browser) as page:
            page.goto(url, wait_until="commit", timeout=300_000)
            drawn_ms = wait_until_ms(page, condition_js, timeout_ms=300_000)
            times.append((drawn_ms - navigation_start_ms(page)) / 1000)
    return median(times)


def _pan_s(browser: Any, url: str, condition_js: str) -> float:
    """Once drawn: pan by 200 px and wait two animation frames (the redraw), seconds."""
    with offline_page(browser) as page:
        page.goto(url, wait_until="commit", timeout=300_000)
        wait_until_ms(page, condition_js, timeout_ms=300_000)
        return float(
            page.evaluate(
                """() => new Promise((done) => {
                    const t0 = performance.now();
                    window.map.panBy([200, 120], {animate: false});
                    requestAnimationFrame(() => requestAnimationFrame(
                        () => done((performance.now() - t0) / 1000)));
                })"""
            )
        )


def run(browser: Any, *, sizes: tuple[int, ...], runs: int, seed: int = 5) -> list[dict]:
    """One row per size: build/render seconds, HTML bytes, draw seconds, ours and naive."""
    atlas = layers.load_atlas()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "static" / "vendor", folder / "vendor")
        with static_server(folder) as url:
            for n in sizes:
                sites = synthetic.sites(atlas, n, seed=seed)
                row: dict[str, Any] = {"n": n}
                build_runs = runs if n <= NAIVE_MAX else 1
                row["ours_build_s"], page = _build(ours_html, sites, runs=build_runs)
                row["ours_html_bytes"] = len(page.encode())
                (folder / f"ours_{n}.html").write_text(page, encoding="utf-8")
                drawn = SITES_DRAWN_JS.format(n=n)
                row["ours_draw_s"] = _draw_s(
                    browser, f"{url}/ours_{n}.html", drawn, runs=build_runs
                )
                row["ours_pan_s"] = _pan_s(browser, f"{url}/ours_{n}.html", drawn)
                if n <= NAIVE_MAX:
                    row["naive_build_s"], page = _build(naive_html, sites, runs=runs)
                    row["naive_html_bytes"] = len(page.encode())
                    (folder / f"naive_{n}.html").write_text(page, encoding="utf-8")
                    row["naive_draw_s"] = _draw_s(
                        browser, f"{url}/naive_{n}.html", MARKERS_DRAWN_JS.format(n=n), runs=runs
                    )
                else:
                    row["naive_skipped"] = (
                        f"not run above {NAIVE_MAX:,} markers: build and page grow linearly "
                        "(see the 10k row x10) and one DOM element per marker stalls the tab"
                    )
                rows.append(row)
    return rows
