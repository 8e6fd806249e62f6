"""Two Streamlit processes behind nginx (scripts/nginx-sticky.conf) on loopback.

Shows that both processes serve the page through the proxy (nginx's access log names
the one that answered; no response does), that a visitor's cookie keeps it on one
process (sticky sessions: Streamlit holds session state in that process), that the
page, websocket included, works through nginx in Chromium, and that the public face
is hardened: anti-framing and nosniff headers on every response, ``/_stcore/metrics``
and the agent API closed, no backend address or nginx version sent.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
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
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:  # a 404 is an answer too
        return exc.code, dict(exc.headers), exc.read()


#: Headers every response through the proxy carries (scripts/nginx-sticky.conf).
HARDENING = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _upstreams(run_dir: Path) -> dict[str, set[str]]:
    """Cookie value -> the backend addresses that answered it (from nginx's access log)."""
    seen: dict[str, set[str]] = {}
    for line in (run_dir / "access.log").read_text(encoding="utf-8").splitlines():
        _, cookie, upstream, _ = line.rsplit(" ", 3)
        if upstream != "-":
            seen.setdefault(cookie, set()).add(upstream)
    return seen


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
        for i in range(40):
            status, headers, body = _get(f"{proxy}/_stcore/health", cookie=f"pg_backend=v{i}")
            assert (status, body) == (200, b"ok")
        # One visitor always reaches the same process (sticky).
        for i in range(5):
            for _ in range(3):
                _get(f"{proxy}/_stcore/health", cookie=f"pg_backend=v{i}")
        log = _upstreams(tmp_path)
        assert all(len(log[f"v{i}"]) == 1 for i in range(40)), log
        answered = {f"v{i}": next(iter(log[f"v{i}"])) for i in range(40)}
        assert set(answered.values()) == backends
        # A first visit without a cookie gets one.
        headers = _get(f"{proxy}/")[1]
        assert headers["Set-Cookie"].startswith("pg_backend=")

        # The public face: hardening headers everywhere, nothing internal shown.
        for path in ("/", "/_stcore/health", "/_stcore/host-config", "/app/static/nothing"):
            status, headers, body = _get(f"{proxy}{path}", cookie="pg_backend=v0")
            for name, value in HARDENING.items():
                assert headers.get(name) == value, (path, name, headers)
            text = " ".join(f"{k}: {v}" for k, v in headers.items()) + body.decode("latin-1")
            assert not any(b in text for b in backends), (path, headers)
            assert "X-Upstream" not in headers
            assert headers.get("Server") == "nginx", headers  # no version
        for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/mcp"):
            status, headers, body = _get(f"{proxy}{path}", cookie="pg_backend=v0")
            assert status == 404, (path, status)
            assert b"cache_memory_bytes" not in body
            assert b"session" not in body
            assert headers.get("X-Frame-Options") == "SAMEORIGIN"
        # The same paths straight from the process (loopback only): what nginx hides.
        assert _get(f"{url1}/_stcore/metrics")[0] == 200

        # A real browser per backend: page, websocket and map through nginx.
        by_backend = {}
        for cookie, upstream in answered.items():
            by_backend.setdefault(upstream, cookie)
        for upstream, cookie in by_backend.items():
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.add_cookies([{"name": "pg_backend", "value": cookie, "url": proxy}])
            sockets: list[str] = []
            leaks: list[str] = []
            page = context.new_page()
            page.on(
                "response",
                lambda r, leaks=leaks: leaks.append(r.url) if "x-upstream" in r.headers else None,
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
            assert not leaks, leaks
            assert _upstreams(tmp_path)[cookie] == {upstream}
            assert any(u.startswith(proxy.replace("http", "ws")) for u in sockets), sockets
