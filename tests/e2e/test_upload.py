"""Bring your own layer in a real browser: upload a CSV, see it on the map, measure from it."""

from __future__ import annotations

import pytest
from page_support import ARTIFACTS, skip_reason

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

FRAME = 'iframe[title="streamlit_folium.st_folium"]'
UPLOADS_JS = """() => {
    let n = 0;
    window.map.eachLayer((l) => { if (l.feature && l.feature.properties.kind === "upload") n++; });
    return n;
}"""


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
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            str(csv_path)
        )
        frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
        frame.wait_for_function(f"() => window.map && ({UPLOADS_JS})() === 2", timeout=60_000)
        assert (
            frame.locator(".leaflet-control-layers-overlays")
            .inner_text()
            .count("Your layer: proposals.csv (2 sites)")
            == 1
        )
        page.screenshot(path=str(ARTIFACTS / "upload_page.png"), full_page=True)

        # A second visitor does not see it.
        page2 = other.new_page()
        page2.goto(server_url)
        page2.wait_for_selector(FRAME, timeout=60_000)
        frame2 = next(f for f in page2.frames if "st_folium" in (f.url or ""))
        frame2.wait_for_function("() => window.map && window.map._loaded", timeout=60_000)
        assert frame2.evaluate(UPLOADS_JS) == 0
    finally:
        mine.close()
        other.close()
