"""Two Streamlit processes behind nginx (scripts/nginx-sticky.conf) on loopback.

Shows that both processes serve the page through the proxy (nginx's access log names
the one that answered; no response does), that a visitor's cookie keeps it on one
process (sticky sessions: Streamlit holds session state in that process), that the
page, websocket included, works through nginx in Chromium, and that the public face
is hardened: anti-framing and nosniff headers on every response, ``/_stcore/metrics``
and the agent API closed, no backend address or nginx version sent.

Issue 23: the recipe's limits hold a flood from one address back (``limit_conn`` on the
websocket, ``limit_req`` on the page, uploads and the rest: 429 beyond them, nothing
passed to Streamlit) while a visitor's page, upload and reconnect pass; and no log
holds a session id (an upload's path carries it, and it is a bearer token).
"""

from __future__ import annotations

import base64
import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import _unavailable
from page_support import (
    ARTIFACTS,
    FRAME,
    NGINX,
    SCRIPT_IDLE_JS,
    map_frame,
    nginx_in_front,
    open_expander,
    skip_reason,
    streamlit_server,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


def _get(
    url: str, cookie: str | None = None, *, method: str = "GET", data: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers, method=method, data=data)
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


def _websocket(proxy: str, cookie: str = "pg_backend=v0") -> tuple[int, socket.socket]:
    """Open ``/_stcore/stream`` through the proxy by hand: (HTTP status, the open socket)."""
    netloc = urlsplit(proxy).netloc
    host, port = netloc.split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /_stcore/stream HTTP/1.1\r\nHost: {netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1]), sock


def _log_lines(run_dir: Path) -> list[tuple[str, str, str, str]]:
    """The access log as (path, cookie, upstream, status) rows."""
    text = (run_dir / "access.log").read_text(encoding="utf-8")
    return [tuple(line.rsplit(" ", 3)) for line in text.splitlines()]  # type: ignore[misc]


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
                map_frame(page)  # waits for the frame's document (it can lack a URL at first)
                page.get_by_text("Along the route").first.wait_for(timeout=60_000)
                page.screenshot(path=str(ARTIFACTS / f"proxy_{upstream.replace(':', '_')}.png"))
            finally:
                context.close()
            assert not leaks, leaks
            assert _upstreams(tmp_path)[cookie] == {upstream}
            assert any(u.startswith(proxy.replace("http", "ws")) for u in sockets), sockets


def test_the_proxy_limits_floods_and_keeps_session_ids_out_of_its_logs(browser, tmp_path):
    if not Path(NGINX).exists():
        _unavailable("nginx not found (apt-get install nginx)")
    with (
        streamlit_server(ARTIFACTS / "streamlit_limits1.log") as (url1, _),
        streamlit_server(ARTIFACTS / "streamlit_limits2.log") as (url2, _),
        nginx_in_front([url1, url2], tmp_path) as proxy,
    ):
        # A visitor, through the proxy: the page, the websocket, an upload.
        csv_path = tmp_path / "mine.csv"
        csv_path.write_text("name,lat,lon\nMy cafe,31.241234,121.401234\n", encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = context.new_page()
        try:
            page.goto(f"{proxy}/?lang=en")
            page.wait_for_selector(FRAME, timeout=60_000)
            open_expander(page, "Your layer")
            uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
            with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url) as put:
                uploader.set_input_files(str(csv_path))
            assert put.value.ok, put.value.status
            page.wait_for_function(SCRIPT_IDLE_JS, timeout=120_000)
            session_id = urlsplit(put.value.url).path.split("/")[-2]
            assert len(session_id) >= 32, put.value.url  # a UUID: the bearer token
        finally:
            context.close()

        # §2: no log holds the session id; the upload is logged with its path masked,
        # and nothing holds a query string (links carry what the visitor typed).
        rows = _log_lines(tmp_path)
        assert ("/_stcore/upload_file/<masked>", "204") in {(r[0], r[3]) for r in rows}, rows
        assert not [r for r in rows if "?" in r[0]], rows
        for log in tmp_path.glob("*.log"):
            assert session_id not in log.read_text(encoding="utf-8"), log.name

        # Floods from one address, each beyond its limit: 429, never passed on.
        pages = [_get(f"{proxy}/?n={i}", cookie="pg_backend=v0")[0] for i in range(30)]
        assert pages[0] == 200, pages  # the visitor's own loads fit under the burst
        assert pages.count(429) >= 15, pages  # 1/s, 10 at once
        fake = "/_stcore/upload_file/" + "0" * 8 + "-0000-4000-8000-" + "0" * 12 + "/f"
        puts = [
            _get(f"{proxy}{fake}", cookie="pg_backend=v0", method="PUT", data=b"x")[0]
            for _ in range(12)
        ]
        assert puts.count(429) >= 5, puts  # 6/min, 5 at once (the visitor used one)
        assert 429 not in puts[:3], puts

        held: list[socket.socket] = []
        try:
            deadline = time.monotonic() + 10  # the visitor's socket closes with its page
            while time.monotonic() < deadline:
                status, sock = _websocket(proxy)
                if status == 101:
                    held.append(sock)
                    if len(held) == 8:
                        break
                else:
                    sock.close()
                    time.sleep(0.2)  # poll until the closed page's socket is let go
            assert len(held) == 8
            time.sleep(2.2)  # the new-socket rate (1/s) has room again: the cap is the count
            status, extra = _websocket(proxy)
            extra.close()
            assert status == 429  # a ninth open socket from one address
            held.pop().close()
            deadline = time.monotonic() + 10
            while True:  # one closed, a reconnect gets in (normal use passes)
                status, sock = _websocket(proxy)
                if status == 101 or time.monotonic() > deadline:
                    break
                sock.close()
                time.sleep(0.2)
            held.append(sock)
            assert status == 101
        finally:
            for sock in held:
                sock.close()

        refused = [r for r in _log_lines(tmp_path) if r[3] == "429"]
        assert len(refused) >= 20
        assert all(r[2] == "-" for r in refused), refused[:3]  # no backend saw them
        for log in tmp_path.glob("*.log"):
            assert fake.split("/")[3] not in log.read_text(encoding="utf-8"), log.name
