"""What every benchmark shares: medians, a loopback file server, an offline browser, RSS.

Timings in the browser are taken by the browser itself: ``performance.timeOrigin +
performance.now()`` is an absolute clock in milliseconds that every document (the page
and the map's iframe) shares, so "navigation start -> map drawn" and "click -> map
updated" need no round trip through Playwright.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # page_support: server and browser helpers

from page_support import (  # noqa: E402, F401
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    NGINX,
    SCRIPT_IDLE_JS,
    nginx_in_front,
    streamlit_server,
)

#: Loopback hosts the browser may reach; every other request is aborted (offline).
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}

#: In-browser clock shared by the page and its iframes (ms since the epoch).
NOW_JS = "(performance.timeOrigin + performance.now())"


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def time_s(fn: Callable[[], Any], *, runs: int) -> float:
    """Median wall time of ``fn()`` over ``runs`` calls (seconds)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def rss_bytes(pid: int) -> int:
    """Resident memory of process ``pid`` (``VmRSS`` in ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    msg = f"no VmRSS for process {pid}"
    raise RuntimeError(msg)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a page closed mid-download (BrokenPipe) is expected between runs


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port (``http.server`` in a thread); yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright; raises ``RuntimeError`` without it."""
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} not found (apt-get install chromium)"
        raise RuntimeError(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _offline(route: Any) -> None:
    parts = urlsplit(route.request.url)
    if parts.scheme in ("data", "blob") or parts.hostname in LOOPBACK:
        route.continue_()
    else:
        route.abort()  # offline: nothing leaves the machine (basemap tiles included)


#: The desktop viewport every page benchmark uses unless told otherwise.
DESKTOP = {"width": 1400, "height": 1000}


def offline_context(browser: Any, **options: Any) -> Any:
    """A fresh browser context (empty cache) whose pages may only reach loopback.

    ``options`` go to ``browser.new_context`` (default: the :data:`DESKTOP` viewport).
    """
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    context.route("**/*", _offline)
    return context


@contextlib.contextmanager
def offline_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a fresh :func:`offline_context`, closed when the block ends."""
    context = offline_context(browser, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def navigation_start_ms(page: Any) -> float:
    return float(page.evaluate("() => performance.timeOrigin"))


def wait_until_ms(frame: Any, condition_js: str, *, timeout_ms: float = 120_000) -> float:
    """Poll ``condition_js`` (a JS expression) every animation frame in ``frame``; return
    the browser clock (ms) of the first frame where it held."""
    handle = frame.wait_for_function(
        f"() => ({condition_js}) ? {NOW_JS} : false", timeout=timeout_ms, polling="raf"
    )
    return float(handle.json_value())
