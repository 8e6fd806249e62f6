"""Two Streamlit processes behind nginx (scripts/nginx-sticky.conf) on loopback.

Shows that both processes serve the page through the proxy (``X-Upstream`` names
the one that answered), that a visitor's cookie keeps it on one process (sticky
sessions: Streamlit holds session state in that process), and that the page,
websocket included, works through nginx in Chromium.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, _unavailable
from page_support import ARTIFACTS, FRAME, free_port, skip_reason, streamlit_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@contextlib.contextmanager
def nginx_in_front(backends: list[str], run_dir: Path):
    """Start nginx with scripts/nginx-sticky.conf on a free loopback port; yield its URL."""
    port = free_port()
    conf = (ROOT / "scripts" / "nginx-sticky.conf").read_text(encoding="utf-8")
    for key, value in {
        "@RUN_DIR@": str(run_dir),
        "@PORT@": str(port),
        "@BACKEND_1@": urlsplit(backends[0]).netloc,
        "@BACKEND_2@": urlsplit(backends[1]).netloc,
    }.items():
        conf = conf.replace(key, value)
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    check = subprocess.run(
        [NGINX, "-t", "-c", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    log = (run_dir / "nginx.stderr").open("w")
    proc = subprocess.Popen([NGINX, "-c", str(path)], stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if _get(f"{url}/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not come up; see {run_dir / 'error.log'}")
            time.sleep(0.1)  # poll interval; readiness is decided by the health answer
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_two_processes_behind_nginx_with_sticky_sessions(browser, tmp_path):
    if not Path(NGINX).exists():
        _unavailable("nginx not found (apt-get install nginx)")
    with (
        streamlit_server(ARTIFACTS / "streamlit_backend1.log") as (url1, _),
        streamlit_server(ARTIFACTS / "streamlit_backend2.log") as (url2, _),
        nginx_in_front([url1, url2], tmp_path) as proxy,
    ):
        backends = {urlsplit(url1).netloc, urlsplit(url2).netloc}
        # Visitors with different cookies are spread over both processes.
        answered: dict[str, str] = {}
        for i in range(40):
            status, headers, body = _get(f"{proxy}/_stcore/health", cookie=f"pg_backend=v{i}")
            assert (status, body) == (200, b"ok")
            answered[f"v{i}"] = headers["X-Upstream"]
        assert set(answered.values()) == backends
        # One visitor always reaches the same process (sticky).
        for cookie, upstream in list(answered.items())[:5]:
            for _ in range(3):
                headers = _get(f"{proxy}/_stcore/health", cookie=f"pg_backend={cookie}")[1]
                assert headers["X-Upstream"] == upstream
        # A first visit without a cookie gets one.
        headers = _get(f"{proxy}/")[1]
        assert headers["Set-Cookie"].startswith("pg_backend=")

        # A real browser per backend: page, websocket and map through nginx.
        by_backend = {}
        for cookie, upstream in answered.items():
            by_backend.setdefault(upstream, cookie)
        for upstream, cookie in by_backend.items():
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.add_cookies([{"name": "pg_backend", "value": cookie, "url": proxy}])
            seen: set[str] = set()
            sockets: list[str] = []
            page = context.new_page()
            page.on(
                "response",
                lambda r, seen=seen: (
                    seen.add(r.headers.get("x-upstream", "")) if r.url.startswith(proxy) else None
                ),
            )
            page.on("websocket", lambda ws, sockets=sockets: sockets.append(ws.url))
            try:
                page.goto(proxy)
                page.wait_for_selector(FRAME, timeout=60_000)
                frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
                frame.wait_for_function("() => window.map && window.map._loaded", timeout=60_000)
                page.get_by_text("Along the route").first.wait_for(timeout=60_000)
                page.screenshot(path=str(ARTIFACTS / f"proxy_{upstream.replace(':', '_')}.png"))
            finally:
                context.close()
            assert seen - {""} == {upstream}, seen
            assert any(u.startswith(proxy.replace("http", "ws")) for u in sockets), sockets
