"""Shared by the map page's tests: which data folder the page shows, and whether it is ready.

The page tests run against whatever ``$PUTUO_GEO_DATA`` (else ``geo/``) holds and take
every expected number from ``putuo_geo``, never from a hard-coded figure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import shapely
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from putuo_geo import config, layers, mapdoubt, network, overview

ROOT = Path(__file__).resolve().parent.parent

#: Screenshots, logs and measured timings (gitignored).
ARTIFACTS = ROOT / "test-artifacts"

#: Debian's Chromium and the flags the browser tests and the benchmark launch it with.
CHROMIUM = Path(os.environ.get("PUTUO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60.0

#: The map component's iframe (streamlit-folium).
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: True when the page has finished its script run: the attribute Streamlit's own
#: browser tests wait on (no rerun is redrawing widgets).
SCRIPT_IDLE_JS = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute("data-test-script-state") === 'notRunning'"""


#: Features per ``kind`` on the map (in the map's frame): what a test waits for.
COUNT_KINDS_JS = """() => {
    const counts = {};
    Object.values(window.map._layers).forEach((layer) => {
        if (layer.feature) {
            const kind = layer.feature.properties.kind;
            counts[kind] = (counts[kind] || 0) + 1;
        }
    });
    return counts;
}"""


def page_data_dir() -> Path:
    """The folder the page will load (same rule as the app)."""
    return config.data_dir()


def missing_layers(folder: Path | None = None) -> list[str]:
    """Layer files the folder lacks (the data branch adds them to ``geo/``)."""
    folder = folder or page_data_dir()
    return [n for n in config.LAYER_NAMES if not (folder / f"{n}.geojson").is_file()]


def network_ready() -> bool:
    """Whether ``putuo_geo.network.RouteNetwork`` (the library branch) is there."""
    return hasattr(network, "RouteNetwork")


def skip_reason() -> str | None:
    """Why the page cannot be tested yet, or ``None``."""
    missing = missing_layers()
    if missing:
        return f"{page_data_dir()} lacks layers {missing} (data branch not merged)"
    if not network_ready():
        return "putuo_geo.network.RouteNetwork missing (library branch not merged)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    """Whether the Streamlit server at ``url`` answers ``/_stcore/health``."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


#: Debian's nginx (``apt-get install -y nginx``), for the proxy recipe's test and bench.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextlib.contextmanager
def nginx_in_front(backends: list[str], run_dir: Path) -> Iterator[str]:
    """Start nginx with scripts/nginx-sticky.conf on a free loopback port; yield its URL.

    ``backends`` are one or two Streamlit URLs (one is used for both upstream slots).
    Its logs go to ``run_dir``. Ready when ``/_stcore/health`` answers through it
    (polled); raises ``RuntimeError`` when the configuration is refused or it never is.
    """
    port = free_port()
    conf = (ROOT / "scripts" / "nginx-sticky.conf").read_text(encoding="utf-8")
    for key, value in {
        "@RUN_DIR@": str(run_dir),
        "@PORT@": str(port),
        "@BACKEND_1@": urlsplit(backends[0]).netloc,
        "@BACKEND_2@": urlsplit(backends[-1]).netloc,
    }.items():
        conf = conf.replace(key, value)
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    check = subprocess.run(
        [NGINX, "-t", "-c", str(path)], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        raise RuntimeError(check.stderr)
    log = (run_dir / "nginx.stderr").open("w")
    proc = subprocess.Popen([NGINX, "-c", str(path)], stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                msg = f"nginx did not come up; see {run_dir / 'error.log'}"
                raise RuntimeError(msg)
            time.sleep(0.1)  # poll interval; readiness is decided by the health answer
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def streamlit_server(
    log_path: Path, *, data_dir: Path | None = None, script: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``streamlit run app.py`` (or ``script``) on a free loopback port until the block ends.

    Ready when ``/_stcore/health`` answers (polled, no fixed sleep). Yields the URL and
    the process; raises ``RuntimeError`` (naming ``log_path``) when it never gets ready.
    The server inherits this process's environment (so ``$PUTUO_GEO_DATA``), unless
    ``data_dir`` is given: then it shows that folder.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    if data_dir is not None:
        env[config.DATA_DIR_ENV] = str(data_dir)
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not healthy(url):
                if proc.poll() is not None:
                    msg = f"streamlit exited with {proc.returncode}; see {log_path}"
                    raise RuntimeError(msg)
                if time.monotonic() > deadline:
                    msg = f"streamlit not healthy after {STARTUP_TIMEOUT_S} s; see {log_path}"
                    raise RuntimeError(msg)
                # Poll interval, not a wait for readiness: /_stcore/health decides.
                time.sleep(0.1)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


#: What a measurement draws, by kind (none is drawn until the user asks: issue 24).
MEASURED_KINDS = {"straight": 1, "offset": 2, "path": 1, "end": 2}


def drawn_kinds(atlas: layers.Atlas) -> dict[str, int]:
    """Features per kind the default page draws (layers, km posts; no measurement).

    Shared by the browser tests and the benchmark, which both wait for this count.
    """
    kinds = {
        "boundary": len(atlas.boundary),
        "zone": len(atlas.zones),
        "park": len(atlas.parks),
        "creek": len(atlas.creek),
        "route": len(atlas.route),
        "km_post": len(overview.km_posts(atlas)),
        "bridge": len(atlas.bridges),
        "station": len(atlas.stations),
        "site": len(atlas.sites),
        "band": len(mapdoubt.doubt_bands(atlas)),  # modelled creek/route (one) and zones
    }
    return {k: v for k, v in kinds.items() if v}


def tap_targets(atlas: layers.Atlas) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two places to tap (WGS-84 lon, lat): on a drawn route piece, and inside the One
    Belt zone 250-400 m off the route, clear (over 120 m) of every point feature and
    outside the parks, so only the zone's fill is under it.

    Issue 24: a tap on either used to open a card and set nothing while measuring.
    """
    metric = config.METRIC_CRS
    route = atlas.route.to_crs(metric)
    belt = atlas.zones.to_crs(metric).set_index("id").geometry["zone-one-belt"]
    parks = shapely.union_all(atlas.parks.to_crs(metric).geometry.to_numpy())
    points = shapely.union_all(
        [
            g
            for frame in (atlas.stations, atlas.sites, atlas.bridges)
            for g in frame.to_crs(metric).geometry
        ]
    )
    lines = shapely.union_all(route.geometry.to_numpy())
    piece = max(route.geometry, key=lambda g: g.length)
    for k in range(1, 30):
        on = piece.interpolate(k / 40, normalized=True)
        if on.distance(points) < 80 or not belt.contains(on):
            continue
        # beside the route 700 m further on: its nearest route point is not the first tap
        base = piece.interpolate(piece.project(on) + 700)
        ahead = piece.interpolate(min(piece.project(base) + 10, piece.length))
        dx, dy = ahead.x - base.x, ahead.y - base.y
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        for side in (1, -1):
            for off in (300, 250, 350, 400):
                p = shapely.Point(base.x - side * dy / norm * off, base.y + side * dx / norm * off)
                if (
                    belt.contains(p)
                    and not parks.contains(p)
                    and 250 <= p.distance(lines) <= 400
                    and p.distance(points) > 120
                ):
                    pair = gpd.GeoSeries([on, p], crs=metric).to_crs(config.WEB_CRS)
                    return (pair[0].x, pair[0].y), (pair[1].x, pair[1].y)
    msg = "no route point with a zone-only point beside it"
    raise RuntimeError(msg)


def _expander(page: Any, label: str) -> Any:
    box = page.get_by_test_id("stExpander").filter(has=page.get_by_text(label, exact=True))
    box.first.wait_for(timeout=60_000)
    return box


def open_expander(page: object, label: str) -> None:
    """Open the expander headed ``label`` (a Playwright page) unless it is open already.

    The page builds its tables, downloads and share box only while their expander is
    open (issue 13): opening one reruns the script, so wait for the run to end.
    """
    box = _expander(page, label)
    if box.first.locator("details").get_attribute("open") is None:
        box.first.locator("summary").click()
    # A lazy box's body arrives with the rerun its opening asks for: wait for the body,
    # not only for an idle script (the rerun may not have started yet when it is polled).
    box.first.locator("[data-testid='stElementContainer']").first.wait_for(timeout=120_000)
    page.wait_for_function(SCRIPT_IDLE_JS, timeout=120_000)  # type: ignore[attr-defined]


def close_expander(page: Any, label: str) -> None:
    """Close the expander headed ``label`` (a Playwright page), and wait for the run that
    drops a lazy box's body and for the end of the closing animation (the ``details``
    stays ``open`` until then, and :func:`open_expander` would take it for open).
    """
    box = _expander(page, label).first
    if box.locator("details").get_attribute("open") is None:
        return
    page.evaluate(RUNS_WATCH_JS)
    box.locator("summary").click()
    page.wait_for_function("() => window.__runsSince > 0", timeout=60_000)
    page.wait_for_function(SCRIPT_IDLE_JS, timeout=120_000)
    box.locator("details:not([open])").wait_for(state="attached", timeout=60_000)


def shown_figure(page: object, label: str, value: str) -> object:
    """The page's figure ``label **value**`` (a Playwright locator): a measurement's
    ("Along the route **4.75 km**") or one of the strip under the map."""
    return (
        page.get_by_test_id("stMarkdownContainer")  # type: ignore[attr-defined]
        .filter(has_text=label)
        .get_by_text(value, exact=True)
        .first
    )


#: Counts the page's script runs from now on (``window.__runsSince``).
RUNS_WATCH_JS = """() => {
    window.__runsSince = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'running') window.__runsSince++;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def map_frame(page: Any) -> Any:
    """The live map's frame (a Playwright page's), once the map is loaded and the page's
    script run is over.

    The map is the page's first element and draws before the first run ends (issue 13):
    a test that moved or clicked it at once could be overtaken by the rest of that run.
    """
    page.wait_for_selector(FRAME, timeout=60_000)
    # The frame element can be in the page a moment before its document has a URL.
    page.wait_for_function(
        "(sel) => !!document.querySelector(sel)?.contentWindow?.location.href"
        ".includes('st_folium')",
        arg=FRAME,
        timeout=60_000,
    )
    frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
    frame.wait_for_function("() => window.map && window.map._loaded", timeout=60_000)
    page.wait_for_function(SCRIPT_IDLE_JS, timeout=120_000)
    return frame


#: The map (in its frame) is at ``zoom`` and still: Leaflet sets the new zoom when a zoom's
#: animation starts and settles the centre when it ends (250 ms later), so a test that
#: reads the view or moves the map waits for both.
AT_ZOOM_JS = """(zoom) => !!window.map && window.map._loaded
    && window.map.getZoom() === zoom && !window.map._animatingZoom"""


def settled_view(
    frame: Any, latlon: tuple[float, float], zoom: int, *, tol_deg: float = 1e-4
) -> Any:
    """The map's ``[zoom, {lat, lng}]`` once it shows ``latlon`` at ``zoom`` (within
    ``tol_deg`` degrees, animation over), or after 30 s if it never does: the caller
    asserts on what it got, so a failure says where the map is.

    A link's view reaches the map after the first view's fit (``st_folium`` sets it when
    the script run's render arrives); the fit itself may already be at ``zoom``, so
    waiting for the zoom alone is not enough.
    """
    with contextlib.suppress(PlaywrightTimeout):
        frame.wait_for_function(
            """([lat, lon, zoom, tol]) => ("""
            + AT_ZOOM_JS
            + """)(zoom) && (() => {
                const c = window.map.getCenter();
                return Math.abs(c.lat - lat) < tol && Math.abs(c.lng - lon) < tol;
            })()""",
            arg=[latlon[0], latlon[1], zoom, tol_deg],
            timeout=30_000,
        )
    return frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]")


#: ``[(lat, lon), zoom]`` -> centre the map there without animation and return that
#: point's position in the frame's viewport (pixels; add the frame's own offset).
CENTRE_ON_JS = """([latlon, zoom]) => {
    window.map.setView(latlon, zoom, {animate: false});
    const p = window.map.latLngToContainerPoint(latlon);
    const r = window.map.getContainer().getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
}"""


class OfflineVisit:
    """One browser page on the app, offline: every request to another host is aborted
    and recorded (``foreign``); page errors are kept (``errors``).

    Subclasses sort what they expect to be blocked (basemap tiles) in :meth:`blocked`.
    """

    def __init__(self, browser: Any, server_url: str, *, query: str = "", **options: Any) -> None:
        """``options`` go to ``browser.new_context`` (default viewport 1400 x 1100)."""
        self.server_host = urlsplit(server_url).netloc
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            **{"viewport": {"width": 1400, "height": 1100}, **options}
        )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.watch(self.page)
        self.page.goto(server_url + query)

    def watch(self, page: Any) -> None:
        """Before the page loads: a subclass adds its own listeners here."""

    def _route(self, route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.server_host:
            route.continue_()
            return
        self.blocked(route.request.url)
        route.abort()  # offline: nothing leaves the machine

    def blocked(self, url: str) -> None:
        """Record a request that was aborted (by default: as foreign)."""
        self.foreign.append(url)

    def map_frame(self) -> Any:
        return map_frame(self.page)

    def close(self) -> None:
        self.context.close()
