"""The Streamlit page in Chromium: load -> map drawn, filter -> updated, measure -> result,
the map's payload, server time per rerun and server memory per added session.

The server is started here (``streamlit run app.py`` on a free port, ready when
``/_stcore/health`` answers) and reads ``$PUTUO_GEO_DATA`` or ``geo/``.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
from page_support import (  # on sys.path via bench.common
    CENTRE_ON_JS,
    FRAME,
    SCRIPT_IDLE_JS,
    drawn_kinds,
)

from bench.common import (
    ROOT,
    median,
    navigation_start_ms,
    offline_context,
    offline_page,
    rss_bytes,
    streamlit_server,
    wait_until_ms,
)
from putuo_geo import config, i18n, layers, network, overview
from putuo_geo import page as putuo_page

APP = ROOT / "app.py"

#: Features per kind on the live map (``window.map``), as a JS object.
KINDS_JS = """(() => {
    const counts = {};
    if (!window.map || !window.map._loaded) return counts;
    Object.values(window.map._layers).forEach((layer) => {
        if (layer.feature) {
            const kind = layer.feature.properties.kind;
            counts[kind] = (counts[kind] || 0) + 1;
        }
    });
    return counts;
})()"""

#: The last pointer press in the page (browser clock, ms): when a click started.
PRESS_WATCH_JS = """() => document.addEventListener('pointerdown',
    () => { window.__pressedAt = performance.timeOrigin + performance.now(); }, true)"""


def expected_kinds(atlas: layers.Atlas) -> dict[str, int]:
    """Features per kind the default page draws (see ``page_support.drawn_kinds``)."""
    return drawn_kinds(atlas)


def _sorted_kinds_js(kinds: dict[str, int]) -> str:
    # Compare as sorted entries: the map adds layers in its own order.
    want = json.dumps(sorted(kinds.items()), separators=(",", ":"))
    return f"JSON.stringify(Object.entries({KINDS_JS}).sort()) === {json.dumps(want)}"


def map_frame(page: Any) -> Any:
    page.wait_for_selector(FRAME, timeout=120_000)
    while True:
        frame = next((f for f in page.frames if "st_folium" in (f.url or "")), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(10)  # the iframe element exists; its frame attaches next


def load_once(browser: Any, url: str, kinds: dict[str, int]) -> float:
    """Navigation start -> every default feature on the live map (seconds)."""
    with offline_page(browser) as page:
        page.goto(url)
        drawn_ms = wait_until_ms(map_frame(page), _sorted_kinds_js(kinds))
        return (drawn_ms - navigation_start_ms(page)) / 1000


def filter_changes(browser: Any, url: str, atlas: layers.Atlas, *, runs: int) -> list[float]:
    """Remove one category after another; click -> the map shows the remaining sites (s)."""
    counts = overview.category_counts(atlas.sites)
    times: list[float] = []
    with offline_page(browser) as page:
        page.goto(url)
        frame = map_frame(page)
        remaining = len(atlas.sites)
        wait_until_ms(frame, f"({KINDS_JS}).site === {remaining}")
        page.evaluate(PRESS_WATCH_JS)
        for category, count in list(counts.items())[: min(runs, len(counts) - 1)]:
            label = i18n.category(str(category), "en")
            # A chip in the bar under the map (issue 24): selected chips are shown, a tap
            # takes one off.
            page.get_by_role("button", name=f"{label} {count}", exact=True).click()
            remaining -= int(count)
            done_ms = wait_until_ms(frame, f"({KINDS_JS}).site === {remaining}")
            times.append((done_ms - float(page.evaluate("() => window.__pressedAt"))) / 1000)
    return times


def _pick_station(page: Any, label: str, number: int) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    box.click()
    page.keyboard.type(f"No. {number} · ")
    page.get_by_role("option", name=re.compile(rf"^No\. {number} · ")).click()


def measure_changes(browser: Any, url: str, atlas: layers.Atlas, *, runs: int) -> list[float]:
    """Pick another FROM station; option click -> new distance shown and new path drawn (s)."""
    table = overview.station_table(atlas)
    if len(table) < 4:
        return []
    geoms = atlas.stations.set_index("id").geometry
    net = network.RouteNetwork.from_atlas(atlas)
    last = table.iloc[-1]
    end = geoms[last["id"]]
    times: list[float] = []
    with offline_page(browser) as page:
        page.goto(url)
        frame = map_frame(page)
        wait_until_ms(frame, f"({KINDS_JS}).site === {len(atlas.sites)}")
        # Nothing is measured until asked (issue 24): TO first, then FROM changes.
        _pick_station(page, "TO", int(last["number"]))
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        page.evaluate(PRESS_WATCH_JS)
        for k in range(runs):
            station = table.iloc[1 + k % 2]  # alternate the 2nd and 3rd stations
            start = geoms[station["id"]]
            # The page's own figure: rounded (with "≈") when the path runs on modelled route.
            m = net.measure((start.x, start.y), (end.x, end.y))
            doubt = putuo_page.measurement_doubt(atlas, m)
            text = putuo_page.measurement_figures(m, lang="en", path_doubt=doubt)[0][1]
            text = text.removeprefix("≈ ")
            frame.evaluate(
                """() => Object.values(window.map._layers).forEach((l) => {
                    if (l.feature && l.feature.properties.kind === 'path') l.__old = true; })"""
            )
            page.evaluate(
                """(text) => { window.__shownAt = null; const look = () => {
                    const m = [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]
                        .find((e) => e.innerText.includes('Along the route'));
                    if (m && m.innerText.includes(text)) {
                        window.__shownAt = performance.timeOrigin + performance.now();
                    } else { requestAnimationFrame(look); } };
                    requestAnimationFrame(look); }""",
                text,
            )
            _pick_station(page, "FROM", int(station["number"]))
            path_ms = wait_until_ms(
                frame,
                """Object.values(window.map._layers).some((l) => l.feature
                    && l.feature.properties.kind === 'path' && !l.__old)""",
            )
            page.wait_for_function("() => window.__shownAt !== null", timeout=60_000)
            shown_ms = float(page.evaluate("() => window.__shownAt"))
            pressed_ms = float(page.evaluate("() => window.__pressedAt"))
            times.append((max(path_ms, shown_ms) - pressed_ms) / 1000)
    return times


def _spread_on_route(
    atlas: layers.Atlas, *, count: int, clear_of: list[Any], gap_m: float, steps: int
) -> list[tuple[float, float]]:
    """``count`` points (WGS-84 lon, lat) on the route, each over ``gap_m`` from every
    geometry of ``clear_of`` (EPSG:32651) and from one another, tried at ``steps``
    even steps along each piece, longest piece first."""
    taken = list(clear_of)
    chosen = []
    for line in sorted(atlas.route.to_crs(config.METRIC_CRS).geometry, key=lambda g: -g.length):
        for k in range(1, steps):
            pt = line.interpolate(k / steps, normalized=True)
            if all(pt.distance(t) > gap_m for t in taken):
                taken.append(pt)
                chosen.append(pt)
            if len(chosen) == count:
                lonlat = gpd.GeoSeries(chosen, crs=config.METRIC_CRS).to_crs(4326)
                return [(float(p.x), float(p.y)) for p in lonlat]
    msg = f"fewer than {count} route points {gap_m:g} m from every marker and each other"
    raise RuntimeError(msg)


def tap_points(atlas: layers.Atlas, *, count: int) -> list[tuple[float, float]]:
    """``count`` route points (WGS-84 lon, lat) over 200 m from every station, site and
    bridge and from one another: at zoom 15 (about 4 m a pixel) no marker's icon (a
    default folium pin reaches 41 px above its point) covers them on any page, so each
    is a tap on the route line itself (issue 24's tap -> answer)."""
    markers = [
        g
        for frame in (atlas.stations, atlas.sites, atlas.bridges)
        for g in frame.to_crs(config.METRIC_CRS).geometry
    ]
    return _spread_on_route(atlas, count=count, clear_of=markers, gap_m=200, steps=40)


def candidate_points(atlas: layers.Atlas, *, count: int) -> list[tuple[float, float]]:
    """``count`` route points (WGS-84 lon, lat) each over 100 m from every station and
    from one another: every one is a valid candidate, whatever came before."""
    stations = list(atlas.stations.to_crs(config.METRIC_CRS).geometry)
    return _spread_on_route(atlas, count=count, clear_of=stations, gap_m=100, steps=20)


def candidate_clicks(browser: Any, url: str, atlas: layers.Atlas, *, runs: int) -> list[float]:
    """Planner on; a real click on the route -> the new candidate's line in the figures (s).

    The click is sent at once (``mapcontrols.ClickReturnNow``), not after streamlit-folium's
    250 ms debounce.
    """
    points = candidate_points(atlas, count=runs)
    times: list[float] = []
    with offline_page(browser) as page:
        page.goto(url)
        frame = map_frame(page)
        wait_until_ms(frame, f"({KINDS_JS}).site === {len(atlas.sites)}")
        page.get_by_test_id("stSidebar").get_by_text("Planner view", exact=True).click()
        wait_until_ms(frame, f"({KINDS_JS}).walk_band > 0")
        frame.evaluate(PRESS_WATCH_JS)  # the press lands in the map's own frame
        for k, (lon, lat) in enumerate(points, start=1):
            frame.frame_element().scroll_into_view_if_needed()
            x, y = frame.evaluate(CENTRE_ON_JS, [[lat, lon], 17])
            box = frame.frame_element().bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            shown_ms = wait_until_ms(
                page, f"document.body.innerText.includes('Candidate station {k}:')"
            )
            pressed_ms = float(frame.evaluate("() => window.__pressedAt"))
            times.append((shown_ms - pressed_ms) / 1000)
    return times


def session_memory(
    browser: Any, url: str, pid: int, kinds: dict[str, int], *, sessions: int
) -> tuple[int, int]:
    """Server RSS (bytes) with one session open, then with ``sessions`` more open."""
    contexts = []
    try:
        for k in range(sessions + 1):
            contexts.append(offline_context(browser))
            page = contexts[-1].new_page()
            page.goto(url)
            wait_until_ms(map_frame(page), _sorted_kinds_js(kinds))
            if k == 0:
                base = rss_bytes(pid)
        after = rss_bytes(pid)
    finally:
        for context in contexts:
            context.close()
    return base, after


def payload_and_reruns(*, runs: int) -> dict[str, float]:
    """The map's bytes (st_folium arguments) and the script's time per rerun (AppTest)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run()
    if at.exception:
        msg = f"the page failed: {[e.value for e in at.exception]}"
        raise RuntimeError(msg)
    (component,) = [
        c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")
    ]
    raw = component.proto.json_args.encode()
    args = json.loads(raw)
    parts = {k: len(str(args.get(k) or "").encode()) for k in ("script", "feature_group")}
    rerun_s = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        rerun_s.append(time.perf_counter() - start)
    return {
        "map_payload_bytes": len(raw),
        "map_payload_gzip_bytes": len(gzip.compress(raw)),
        "map_script_bytes": parts["script"],
        "map_dynamic_bytes": parts["feature_group"],
        "rerun_s": median(rerun_s),
    }


def run(browser: Any, *, runs: int, sessions: int, log_dir: Path) -> dict[str, Any]:
    """Every page measurement against one server. Times in seconds, sizes in bytes."""
    atlas = layers.load_atlas()
    kinds = expected_kinds(atlas)
    results: dict[str, Any] = payload_and_reruns(runs=runs)
    with streamlit_server(log_dir / "bench_streamlit.log") as (url, proc):
        load_once(browser, url, kinds)  # warm the server's caches (not counted)
        results["load_s"] = [load_once(browser, url, kinds) for _ in range(runs)]
        results["filter_s"] = filter_changes(browser, url, atlas, runs=runs)
        results["measure_s"] = measure_changes(browser, url, atlas, runs=runs)
        results["candidate_click_s"] = candidate_clicks(browser, url, atlas, runs=runs)
        base, after = session_memory(browser, url, proc.pid, kinds, sessions=sessions)
        results["rss_one_session_bytes"] = base
        results["rss_per_added_session_bytes"] = (after - base) / sessions
    results["features"] = sum(kinds.values())
    return results
