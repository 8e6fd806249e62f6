"""Real-browser fixtures: a Streamlit server on a free port and Debian's Chromium.

The server is started by the test (``streamlit run app.py``) and is ready when
``/_stcore/health`` answers; no fixed sleeps. Without Chromium (or Playwright) the
browser tests skip locally and fail when ``PUTUO_REQUIRE_BROWSER=1`` (CI sets it).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The page tests' shared helpers (tests/page_support.py) live one folder up.
sys.path.insert(0, str(ROOT / "tests"))

from page_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402


def _unavailable(reason: str) -> None:
    if os.environ.get("PUTUO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (PUTUO_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        try:
            url, _proc = stack.enter_context(streamlit_server(ARTIFACTS / "streamlit.log"))
        except RuntimeError as exc:
            pytest.fail(str(exc))
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
