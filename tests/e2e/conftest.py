"""Real-browser fixtures: a Streamlit server on a free port and Debian's Chromium.

The server is started by the test (``streamlit run app.py``) and is ready when
``/_stcore/health`` answers; no fixed sleeps. Without Chromium (or Playwright) the
browser tests skip locally and fail when ``PUTUO_REQUIRE_BROWSER=1`` (CI sets it).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The page tests' shared helpers (tests/page_support.py) live one folder up.
sys.path.insert(0, str(ROOT / "tests"))

from page_support import ARTIFACTS  # noqa: E402

from putuo_geo.config import DATA_DIR_ENV  # noqa: E402

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


def _unavailable(reason: str) -> None:
    if os.environ.get("PUTUO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (PUTUO_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def streamlit_server(
    *, data_dir: Path | None = None, log_name: str = "streamlit.log", extra_args: tuple = ()
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``streamlit run app.py`` on a free loopback port; yield (url, process).

    ``data_dir`` sets ``$PUTUO_GEO_DATA`` for the server only.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra_args,
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    if data_dir is not None:
        env[DATA_DIR_ENV] = str(data_dir)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s; see {log.name}")
            # Poll interval, not a wait for readiness: /_stcore/health decides.
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with streamlit_server() as (url, _proc):
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (python) is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
