"""Bring your own layer in a real browser: upload a CSV, see it on the map, in this session only."""

from __future__ import annotations

import contextlib
import time

import pytest
from page_support import ARTIFACTS, FRAME, close_expander, open_expander, skip_reason

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

UPLOADS_JS = """() => {
    let n = 0;
    window.map.eachLayer((l) => { if (l.feature && l.feature.properties.kind === "upload") n++; });
    return n;
}"""


def _map_frame_where(page, condition_js: str, timeout_s: float = 90.0):
    """The map frame in which ``condition_js`` holds (a rerun may briefly show two
    st_folium frames, the old one being removed), polled until ``timeout_s``."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" not in (frame.url or ""):
                continue
            with contextlib.suppress(PlaywrightError):
                if frame.evaluate(f"() => Boolean({condition_js})"):
                    return frame
        page.wait_for_timeout(250)  # poll interval; the condition decides
    pytest.fail(f"no map frame where {condition_js} within {timeout_s} s")


def test_uploading_a_csv_adds_a_layer_only_for_this_session(browser, server_url, tmp_path):
    csv_path = tmp_path / "proposals.csv"
    csv_path.write_text(
        "name,lng,lat\nProposal <b>A</b>,121.3946,31.2330\nProposal B,121.4120,31.2320\n",
        encoding="utf-8",
    )
    mine = browser.new_context(viewport={"width": 1400, "height": 1100})
    other = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = mine.new_page()
        page.goto(server_url)
        page.wait_for_selector(FRAME, timeout=60_000)
        open_expander(page, "Your layer")  # the uploader is drawn when its box is open
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            str(csv_path)
        )
        frame = _map_frame_where(page, f"window.map && ({UPLOADS_JS})() === 2")
        assert (
            frame.locator(".leaflet-control-layers-overlays")
            .inner_text()
            .count("Your layer: proposals.csv (2 sites)")
            == 1
        )
        page.screenshot(path=str(ARTIFACTS / "upload_page.png"), full_page=True)

        # Closed and reopened, the box draws a new, empty uploader: it names the file the
        # map still shows, and removes it on request.
        close_expander(page, "Your layer")
        assert page.get_by_test_id("stFileUploader").count() == 0
        open_expander(page, "Your layer")
        page.get_by_text("In this session: proposals.csv").wait_for(timeout=60_000)
        drop = page.get_by_role("button", name="Remove this file")
        drop.wait_for(timeout=60_000)
        page.wait_for_timeout(500)  # the box's opening animation, for the screenshot
        page.screenshot(path=str(ARTIFACTS / "upload_reopened.png"))
        assert frame.evaluate(UPLOADS_JS) == 2
        drop.click()
        _map_frame_where(page, f"window.map && ({UPLOADS_JS})() === 0")
        page.get_by_text("In this session: proposals.csv").wait_for(
            state="detached", timeout=60_000
        )

        # A second visitor does not see it.
        page2 = other.new_page()
        page2.goto(server_url)
        page2.wait_for_selector(FRAME, timeout=60_000)
        frame2 = _map_frame_where(page2, "window.map && window.map._loaded")
        assert frame2.evaluate(UPLOADS_JS) == 0
    finally:
        mine.close()
        other.close()
