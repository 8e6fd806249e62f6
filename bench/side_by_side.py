"""Our page beside its peers (issue 13): the floor, a naive peer and ours, in one run.

- **floor** (``bench/peers/floor.py``): Streamlit + ``st_folium`` of an empty map;
- **naive** (``bench/peers/naive.py``): ~60 lines, one ``folium.GeoJson`` per layer with
  tooltips and a category multiselect (ours: chips under the map);
- **ours**: ``app.py``.

Each page gets its own server, one warm-up load (not counted), then ``runs`` cold
loads in fresh offline contexts (empty cache) at 1400 x 1000, and ``phone_runs`` on a
390 x 844 touch viewport with the CPU throttled 4x (CDP
``Emulation.setCPUThrottlingRate``). Per load:

- ``drawn_s``: navigation start -> every feature on the live map (floor: the map loaded);
- ``settled_s``: navigation start -> the last script run ended, with nothing changing
  for :data:`QUIET_MS` after it (reruns the map's return value triggers count);
- ``bytes``: HTTP transfer sizes (Resource Timing ``transferSize``, page and map
  frame) of every response that ended before "drawn"; the websocket is not HTTP;
- ``busy_s``: Chromium's main-thread ``TaskDuration`` (as in ``bench.load_profile``)
  when settled;
- ``runs``: script runs seen in the browser during the load.

Then on one loaded page: ``pan`` (drag the map; release -> map moved and the page idle,
and whether a script run followed), ``filter`` (naive and ours: remove a category;
click -> the map shows the remaining sites), ``measure`` (ours only: a station picked
in the sidebar) and ``tap`` (issue 24, all three: measuring by tapping the map at zoom
15, the second tap's press -> the answer on screen; ours: the answer card on the map
with the path drawn, after its *Measure* button; naive: its "Along the route" line,
FROM and TO from ``st_folium``'s own click return; floor: the clicked point printed).

Script runs are seen from the browser, so any Streamlit page can be measured without
its help: an init script watches ``stApp[data-test-script-state]`` (the attribute
Streamlit's own tests wait on) and logs each change with the browser clock.

    python -m bench.side_by_side [--runs 5] [--phone-runs 3]

writes ``bench/results/side_by_side.md`` (+ ``.json``); ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import common  # noqa: F401 (first: puts tests/ on sys.path for bench.page)
from bench import page as ours_page
from bench.common import (
    NOW_JS,
    ROOT,
    chromium,
    median,
    navigation_start_ms,
    offline_page,
    streamlit_server,
    wait_until_ms,
)
from putuo_geo import config, layers, overview

PEERS = Path(__file__).resolve().parent / "peers"
PAGES: dict[str, Path] = {
    "floor": PEERS / "floor.py",
    "naive": PEERS / "naive.py",
    "ours": ROOT / "app.py",
}
#: Issue 24's tap -> answer: what shows the answer on each page (a JS expression, in the
#: map's frame for ours, in the page for the peers), true once it is on screen.
ANSWER_JS: dict[str, str] = {
    "ours": """!!document.querySelector(".pg-answer-along") && Object.values(window.map._layers)
        .some((l) => l.feature && l.feature.properties.kind === "path")""",
    "naive": """[...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .some((e) => e.innerText.startsWith("Along the route:"))""",
    "floor": """[...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .some((e) => e.innerText.startsWith("Clicked:") && e.innerText !== window.__lastAnswer)""",
}
#: The zoom the taps are made at (issue 24: "13 of 14 clicks on the drawn route at zoom 15").
TAP_ZOOM = 15
#: The page counts as settled when no script state changed for this long (ms).
QUIET_MS = 1500
#: A mid-range phone, as near as a desktop gets: viewport, touch, 4x slower CPU.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
PHONE_CPU_SLOWDOWN = 4
#: The naive page's layers (all of them, as files).
NAIVE_LAYERS = ("boundary", "zones", "parks", "creek", "route", "bridges", "stations", "sites")

#: Runs in every document before its own scripts: a log of the script state
#: (``window.__scriptLog``: [browser ms, state]) and room for every resource entry.
WATCH_JS = """(() => {
    performance.setResourceTimingBufferSize(5000);
    window.__scriptLog = [];
    const record = (el) => {
        const state = el.getAttribute('data-test-script-state');
        const log = window.__scriptLog;
        if (!log.length || log[log.length - 1][1] !== state) {
            log.push([performance.timeOrigin + performance.now(), state]);
        }
    };
    new MutationObserver((changes) => changes.forEach((c) => record(c.target))).observe(
        document, {subtree: true, attributes: true,
                   attributeFilter: ['data-test-script-state']});
})()"""

#: Browser ms when the page settled (script idle, no state change for QUIET_MS since
#: max(last change, after)), else false. Arguments: [after_ms, quiet_ms].
SETTLED_JS = """([after, quiet]) => {
    const el = document.querySelector('[data-testid="stApp"]');
    if (!el || el.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const log = window.__scriptLog || [];
    const last = Math.max(after, log.length ? log[log.length - 1][0] : 0);
    return performance.timeOrigin + performance.now() - last >= quiet ? last : false;
}"""

#: Bytes of responses that ended before the cut (browser ms). In the map frame the
#: document itself is already counted by the page (as an ``iframe`` resource).
BYTES_JS = """([cut, withNavigation]) => {
    const kinds = withNavigation ? ['navigation', 'resource'] : ['resource'];
    let total = 0;
    kinds.forEach((kind) => performance.getEntriesByType(kind).forEach((e) => {
        if (performance.timeOrigin + e.responseEnd <= cut) total += e.transferSize;
    }));
    return total;
}"""

#: Features on the live map whose properties satisfy a test (a JS arrow on props).
FEATURES_JS = """(test) => {
    if (!window.map || !window.map._loaded) return -1;
    return Object.values(window.map._layers).filter(
        (l) => l.feature && test(l.feature.properties)).length;
}"""


def naive_feature_count(atlas: layers.Atlas) -> int:
    """Features the naive page draws with every category chosen."""
    return sum(len(getattr(atlas, name)) for name in NAIVE_LAYERS)


def drawn_condition(name: str, atlas: layers.Atlas) -> str:
    """A JS expression, true in the map frame once the page's default map is drawn."""
    if name == "floor":
        return "!!(window.map && window.map._loaded)"
    if name == "naive":
        count = naive_feature_count(atlas)
        return f"({FEATURES_JS})(() => true) === {count}"
    return ours_page._sorted_kinds_js(ours_page.expected_kinds(atlas))


@contextlib.contextmanager
def watched_page(browser: Any, **options: Any) -> Iterator[Any]:
    with offline_page(browser, **options) as page:
        page.add_init_script(WATCH_JS)
        yield page


def settled_ms(page: Any, *, after_ms: float) -> float:
    handle = page.wait_for_function(
        SETTLED_JS, arg=[after_ms, QUIET_MS], timeout=120_000, polling=100
    )
    return float(handle.json_value())


def script_runs(page: Any, *, after_ms: float = 0) -> int:
    log = page.evaluate("() => window.__scriptLog")
    return sum(1 for t, state in log if state == "running" and t > after_ms)


def load_once(browser: Any, url: str, drawn_js: str, *, phone: bool = False) -> dict[str, float]:
    """One cold load; times in seconds from navigation start, bytes until drawn."""
    with watched_page(browser, **(PHONE if phone else {})) as page:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        if phone:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        page.goto(url)
        frame = ours_page.map_frame(page)
        drawn = wait_until_ms(frame, drawn_js)
        settled = settled_ms(page, after_ms=drawn)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        start = navigation_start_ms(page)
        sent = int(page.evaluate(BYTES_JS, [drawn, True]))
        sent += int(frame.evaluate(BYTES_JS, [drawn, False]))
        return {
            "drawn_s": (drawn - start) / 1000,
            "settled_s": (settled - start) / 1000,
            "bytes": float(sent),
            "busy_s": float(metrics["TaskDuration"]),
            "runs": float(script_runs(page)),
        }


def pans(browser: Any, url: str, drawn_js: str, *, runs: int) -> list[dict[str, float]]:
    """Drag the map ``runs`` times: release -> map moved and page idle (s), reruns seen."""
    out: list[dict[str, float]] = []
    with watched_page(browser) as page:
        page.goto(url)
        frame = ours_page.map_frame(page)
        settled_ms(page, after_ms=wait_until_ms(frame, drawn_js))
        frame.evaluate(
            f"""() => {{
            document.addEventListener('pointerup', () => {{ window.__releasedAt = {NOW_JS}; }},
                true);
            window.map.on('moveend', () => {{ window.__movedAt = {NOW_JS}; }}); }}"""
        )
        box = page.locator(ours_page.FRAME).bounding_box()
        x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6
        for k in range(runs):
            frame.evaluate("() => { window.__movedAt = null; }")
            dx = -120 if k % 2 == 0 else 120
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + dx, y - 60, steps=8)
            page.mouse.up()
            frame.wait_for_function("() => window.__movedAt !== null", timeout=30_000)
            released = float(frame.evaluate("() => window.__releasedAt"))
            idle = settled_ms(page, after_ms=released)
            moved = float(frame.evaluate("() => window.__movedAt"))
            out.append(
                {
                    "pan_s": (max(idle, moved) - released) / 1000,
                    "reran": float(script_runs(page, after_ms=released) > 0),
                }
            )
    return out


def _wait_on_map(page: Any, condition_js: str) -> float:
    """:func:`wait_until_ms` in the map frame, following it when st_folium replaces it
    (the naive page sends a whole new map on every rerun)."""
    while True:
        try:
            return wait_until_ms(ours_page.map_frame(page), condition_js)
        except Exception as exc:  # playwright's Error; only a detached frame is retried
            if "detached" not in str(exc):
                raise


def naive_filter(browser: Any, url: str, atlas: layers.Atlas, *, runs: int) -> list[float]:
    """Remove one category after another; click -> the naive map shows the rest (s)."""
    counts = overview.category_counts(atlas.sites)
    is_site = "(p) => 'category' in p"
    times: list[float] = []
    with watched_page(browser) as page:
        page.goto(url)
        frame = ours_page.map_frame(page)
        remaining = len(atlas.sites)
        wait_until_ms(frame, f"({FEATURES_JS})({is_site}) === {remaining}")
        page.evaluate(ours_page.PRESS_WATCH_JS)
        for category, count in list(counts.items())[: min(runs, len(counts) - 1)]:
            page.get_by_role("button", name=f"Remove {category}").first.click()
            remaining -= int(count)
            done = _wait_on_map(page, f"({FEATURES_JS})({is_site}) === {remaining}")
            times.append((done - float(page.evaluate("() => window.__pressedAt"))) / 1000)
    return times


def _tap_at(page: Any, frame: Any, lonlat: tuple[float, float]) -> float:
    """Centre the map on ``lonlat`` at :data:`TAP_ZOOM` and click there; the browser time
    (ms) just before the click."""
    x, y = frame.evaluate(ours_page.CENTRE_ON_JS, [[lonlat[1], lonlat[0]], TAP_ZOOM])
    box = frame.frame_element().bounding_box()
    # Come from elsewhere, as a finger does: a second click where the pointer already
    # rested was sometimes not a click to Leaflet on the naive page.
    page.mouse.move(box["x"] + x + 40, box["y"] + y + 40)
    page.mouse.move(box["x"] + x, box["y"] + y, steps=2)
    before = float(page.evaluate(f"() => {NOW_JS}"))
    page.mouse.click(box["x"] + x, box["y"] + y)
    return before


def tap_answers(
    browser: Any, url: str, name: str, atlas: layers.Atlas, drawn_js: str, *, runs: int
) -> list[float]:
    """Measure by tapping ``runs`` times: tap FROM, let the page settle, tap TO; the TO
    tap's press -> the answer on screen (s). The floor answers every tap (its printed
    point): only the second of each pair is timed, like the others."""
    points = ours_page.tap_points(atlas, count=2 * runs)
    times: list[float] = []
    with watched_page(browser) as page:
        page.goto(url)
        frame = ours_page.map_frame(page)
        settled_ms(page, after_ms=wait_until_ms(frame, drawn_js))
        if name == "ours":
            frame.locator(".pg-measure").click()
            frame.wait_for_selector('.pg-measure[aria-pressed="true"]')
            settled_ms(page, after_ms=float(page.evaluate(f"() => {NOW_JS}")))
        frame.evaluate(ours_page.PRESS_WATCH_JS)  # the press lands in the map's own frame
        where = frame if name == "ours" else page
        for k in range(runs):
            page.evaluate(
                """() => { window.__lastAnswer = [...document.querySelectorAll(
                    '[data-testid="stMarkdownContainer"]')].map((e) => e.innerText)
                    .find((t) => t.startsWith("Clicked:")) || null; }"""
            )
            first = _tap_at(page, frame, points[2 * k])
            settled_ms(page, after_ms=first)  # FROM is set (a run followed, then quiet)
            if name != "floor" and where.evaluate(f"() => !!({ANSWER_JS[name]})"):
                msg = f"{name}: the first tap of pair {k + 1} set nothing (an answer is up)"
                raise RuntimeError(msg)
            page.evaluate(
                """() => { window.__lastAnswer = [...document.querySelectorAll(
                    '[data-testid="stMarkdownContainer"]')].map((e) => e.innerText)
                    .find((t) => t.startsWith("Clicked:")) || null; }"""
            )
            _tap_at(page, frame, points[2 * k + 1])
            shown = wait_until_ms(where, ANSWER_JS[name])
            pressed = float(frame.evaluate("() => window.__pressedAt"))
            times.append((shown - pressed) / 1000)
            settled_ms(page, after_ms=shown)
    return times


@contextlib.contextmanager
def served_script(name: str) -> Iterator[Path]:
    """The script to run for page ``name``, next to a ``static/`` folder.

    Streamlit serves ``static/`` from the main script's folder, so a peer runs from a
    temporary folder holding a copy of it and of the project's ``static/``.
    """
    if PAGES[name].parent == ROOT:
        yield PAGES[name]
        return
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "static", folder / "static")
        yield Path(shutil.copy(PAGES[name], folder / PAGES[name].name))


def measure_page(
    browser: Any, name: str, atlas: layers.Atlas, *, runs: int, phone_runs: int, log_dir: Path
) -> dict[str, Any]:
    """Every measurement of one page against its own server (errors kept, not raised)."""
    drawn_js = drawn_condition(name, atlas)
    result: dict[str, Any] = {"errors": {}}

    def attempt(key: str, fn: Callable[[], Any]) -> None:
        start = time.perf_counter()
        try:
            result[key] = fn()
        except Exception as exc:  # reported under the table
            result["errors"][key] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        took = time.perf_counter() - start
        print(f"side_by_side: {name} {key} {took:.0f} s", file=sys.stderr, flush=True)

    log = log_dir / f"bench_{name}.log"
    with served_script(name) as script, streamlit_server(log, script=script) as (url, _proc):
        attempt("warm", lambda: load_once(browser, url, drawn_js))  # server caches, not counted
        attempt("loads", lambda: [load_once(browser, url, drawn_js) for _ in range(runs)])
        attempt(
            "phone_loads",
            lambda: [load_once(browser, url, drawn_js, phone=True) for _ in range(phone_runs)],
        )
        attempt("pans", lambda: pans(browser, url, drawn_js, runs=3))
        if name == "naive":
            attempt("filter_s", lambda: naive_filter(browser, url, atlas, runs=runs))
        if name == "ours":
            attempt("filter_s", lambda: ours_page.filter_changes(browser, url, atlas, runs=runs))
            attempt("measure_s", lambda: ours_page.measure_changes(browser, url, atlas, runs=runs))
        attempt("tap_s", lambda: tap_answers(browser, url, name, atlas, drawn_js, runs=runs))
    result.pop("warm", None)
    return result


def run(browser: Any, *, runs: int, phone_runs: int, log_dir: Path) -> dict[str, Any]:
    """The three pages, one after the other (one server at a time on a shared machine)."""
    atlas = layers.load_atlas()
    return {
        name: measure_page(browser, name, atlas, runs=runs, phone_runs=phone_runs, log_dir=log_dir)
        for name in PAGES
    }


# ------------------------------------------------------------------ the table


def _med(result: dict[str, Any], key: str, field: str) -> float | None:
    values = [row[field] for row in result.get(key) or []]
    return median(values) if values else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value * 1000:,.0f} ms"
    if unit == "MB":
        return f"{value / 1e6:.2f} MB"
    return f"{value:.1f}"


def _ratio(ours: float | None, other: float | None) -> str:
    return f"{ours / other:.2f}x" if ours is not None and other else "–"


#: (label, where, field, unit, peer used for the target ratio, target ratio or None)
LOAD_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("load -> every feature drawn", "loads", "drawn_s", "s"),
    ("load -> page settled", "loads", "settled_s", "s"),
    ("bytes over HTTP until drawn", "loads", "bytes", "MB"),
    ("main-thread busy until settled", "loads", "busy_s", "s"),
    ("script runs per load", "loads", "runs", ""),
    ("phone 390x844, CPU 4x: load -> drawn", "phone_loads", "drawn_s", "s"),
    ("phone 390x844, CPU 4x: load -> settled", "phone_loads", "settled_s", "s"),
    ("phone 390x844, CPU 4x: main-thread busy", "phone_loads", "busy_s", "s"),
    ("pan: release -> page idle", "pans", "pan_s", "ms"),
)

#: Issue 13's targets: row label -> (peer, largest ratio ours / peer).
TARGETS: dict[str, list[tuple[str, float]]] = {
    "load -> every feature drawn": [("naive", 1.1), ("floor", 1.3)],
    "bytes over HTTP until drawn": [("naive", 1.2)],
    "filter -> map updated": [("naive", 0.5)],
}
#: Issue 24: absolute targets (seconds), checked beside the ratios.
ABSOLUTE_TARGETS: dict[str, float] = {"second tap -> answer on screen": 0.25}


def table(results: dict[str, Any], meta: dict[str, Any]) -> str:
    """The side-by-side table: floor, naive, ours, and ours as ratios of each."""
    head = (
        "| Measure | floor | naive peer | ours | ours / naive | ours / floor | target | met |\n"
        "|---|---|---|---|---|---|---|---|\n"
    )
    lines = []

    def add(label: str, values: dict[str, float | None], unit: str, extra: str = "") -> None:
        ours, naive, floor = values.get("ours"), values.get("naive"), values.get("floor")
        target, met = "", ""
        if label in ABSOLUTE_TARGETS:
            limit_s = ABSOLUTE_TARGETS[label]
            target = f"<= {limit_s * 1000:.0f} ms"
            met = "–" if ours is None else ("yes" if ours <= limit_s else "**no**")
        if label in TARGETS:
            target = ", ".join(f"<= {limit}x {peer}" for peer, limit in TARGETS[label])
            checks = [
                ours is not None and values.get(peer) is not None and ours <= limit * values[peer]
                for peer, limit in TARGETS[label]
            ]
            met = "yes" if all(checks) else "**no**"
        lines.append(
            f"| {label} | {_fmt(floor, unit)} | {_fmt(naive, unit)} | {_fmt(ours, unit)}{extra} "
            f"| {_ratio(ours, naive)} | {_ratio(ours, floor)} | {target} | {met} |\n"
        )

    for label, where, field, unit in LOAD_ROWS:
        add(label, {n: _med(r, where, field) for n, r in results.items()}, unit)
    reran = {n: _med(r, "pans", "reran") for n, r in results.items()}
    lines.append(
        "| pan: script reran | "
        + " | ".join(
            "–" if reran.get(n) is None else ("yes" if reran[n] else "no")
            for n in ("floor", "naive", "ours")
        )
        + " |  |  | no rerun | "
        + ("yes" if reran.get("ours") == 0 else "**no**")
        + " |\n"
    )
    filt = {n: (median(r["filter_s"]) if r.get("filter_s") else None) for n, r in results.items()}
    add("filter -> map updated", filt, "ms")
    meas = results.get("ours", {}).get("measure_s")
    meas_s = median(meas) if meas else None
    lines.append(
        f"| measure -> result | – | – | {_fmt(meas_s, 'ms')} |  |  | <= 250 ms | "
        + ("–" if meas_s is None else ("yes" if meas_s <= 0.25 else "**no**"))
        + " |\n"
    )
    taps = {n: (median(r["tap_s"]) if r.get("tap_s") else None) for n, r in results.items()}
    add("second tap -> answer on screen", taps, "ms")
    foot = (
        f"\n{meta['date']} · data `{meta['data_dir']}` · commit {meta['commit']} · "
        f"{meta['cpus']} CPUs · medians of {meta['runs']} cold loads "
        f"({meta['phone_runs']} on the phone profile), 3 pans, {meta['runs']} filter changes, "
        f"{meta['runs']} tap pairs · "
        "headless Chromium, offline\n"
    )
    for name, result in results.items():
        for key, error in result.get("errors", {}).items():
            foot += f"\n- {name} {key} failed: {error}\n"
    return head + "".join(lines) + foot


def main(argv: list[str] | None = None) -> None:
    import datetime as dt
    import os

    from bench.run import RESULTS, _commit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (default 5)")
    parser.add_argument("--phone-runs", type=int, default=3, help="throttled phone loads")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with chromium() as browser:
        results = run(browser, runs=args.runs, phone_runs=args.phone_runs, log_dir=args.out)
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data_dir": str(config.data_dir()),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "phone_runs": args.phone_runs,
    }
    text = table(results, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "side_by_side.md").write_text(text, encoding="utf-8")
    (args.out / "side_by_side.json").write_text(
        json.dumps({"meta": meta, "raw": results}, indent=2), encoding="utf-8"
    )
    print(text)


if __name__ == "__main__":
    main()
