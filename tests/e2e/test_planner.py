"""The planner view in a real browser (Playwright + Debian's Chromium), offline.

Switch the planner on, see the bands drawn with their legend, set 4 km/h and 5 min
(today there is a real stretch over 5 min then), click the map in the middle of the
longest one, read the new figures. Expected figures come from putuo_geo.coverage for
the folder the server shows. The click -> figures time is written to
test-artifacts/planner_click_ms.json (reported, not asserted: bench/page.py measures it
for `make bench`).
"""

from __future__ import annotations

import json
import time

import pytest
from page_support import (
    ARTIFACTS,
    CENTRE_ON_JS,
    COUNT_KINDS_JS,
    RUNS_WATCH_JS,
    SCRIPT_IDLE_JS,
    OfflineVisit,
    map_frame,
    page_data_dir,
    skip_reason,
)

from putuo_geo import coverage, layers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


#: Watch the page for ``text`` (browser clock of its first appearance, ms).
WATCH_TEXT_JS = """(text) => { window.__shownAt = null; const look = () => {
    if (document.body.innerText.includes(text)) {
        window.__shownAt = performance.timeOrigin + performance.now();
    } else { requestAnimationFrame(look); } };
    requestAnimationFrame(look); }"""
PRESS_WATCH_JS = """() => document.addEventListener('pointerdown',
    () => { window.__pressedAt = performance.timeOrigin + performance.now(); }, true)"""


@pytest.fixture(scope="module")
def planner():
    atlas = layers.load_atlas(page_data_dir())
    model = coverage.CoverageModel.from_atlas(atlas)
    return model, model.stations(atlas.stations)


def _switch_on(page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Planner view", exact=True).click()


def _share(fig) -> str:
    return f"Route within {fig['minutes']:g} min of a station: {fig['covered_share']:.1%}"


def test_planner_on_click_a_candidate_in_the_gap_read_the_new_figures(browser, server_url, planner):
    model, stations = planner
    today = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    gap = today["longest_gap"]
    assert gap["length_m"] > 0, "no stretch over 5 min at 4 km/h: nothing to close"
    lon, lat = gap["mid_lonlat"]
    visit = OfflineVisit(browser, server_url, viewport={"width": 1400, "height": 1000})
    page, errors = visit.page, visit.errors
    try:
        frame = map_frame(page)
        assert not frame.evaluate(COUNT_KINDS_JS).get("walk_band")
        _switch_on(page)
        frame.wait_for_function(f"() => ({COUNT_KINDS_JS})().walk_band > 0", timeout=60_000)
        legend = frame.locator(".pg-band-legend")
        legend.wait_for(timeout=30_000)
        assert "5 km/h" in legend.inner_text()
        indicative = sum(s.status == "indicative" for s in stations)
        banner = f"{indicative} of {len(stations)} station positions are indicative"
        page.get_by_test_id("stAlert").filter(has_text=banner).wait_for(timeout=30_000)
        # 4 km/h and 5 minutes
        page.get_by_test_id("stSidebar").get_by_text("4 km/h", exact=True).click()
        slider = page.get_by_test_id("stSidebar").get_by_role("slider")
        slider.focus()
        slider.press("Home")
        page.get_by_text(_share(today), exact=False).first.wait_for(timeout=60_000)
        frame.wait_for_function(
            "() => document.querySelector('.pg-band-legend')?.innerText.includes('4 km/h')",
            timeout=30_000,
        )
        # click the middle of the longest stretch over 5 min
        cands = model.candidates([(lon, lat)], existing=stations)
        after = model.compare(stations, cands, speed_kmh=4, minutes=5).after.figures()
        frame = map_frame(page)
        frame.frame_element().scroll_into_view_if_needed()
        x, y = frame.evaluate(CENTRE_ON_JS, [[lat, lon], 17])
        box = frame.frame_element().bounding_box()
        frame.evaluate(PRESS_WATCH_JS)  # the press lands in the map's frame
        page.evaluate(WATCH_TEXT_JS, _share(after))
        page.evaluate(RUNS_WATCH_JS)
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_function("() => window.__shownAt !== null", timeout=60_000)
        # Both clocks are absolute (timeOrigin + now), so the two frames compare.
        pressed = float(frame.evaluate("() => window.__pressedAt"))
        click_ms = float(page.evaluate("() => window.__shownAt")) - pressed
        frame.wait_for_function(f"() => ({COUNT_KINDS_JS})().candidate === 1", timeout=30_000)
        # The click was sent at once (mapcontrols.ClickReturnNow), and st_folium's own
        # debounced send 250 ms later found nothing new: one script run, not two.
        page.wait_for_timeout(800)
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        assert page.evaluate("() => window.__runsSince") == 1
        body = page.inner_text("body")
        assert "With the candidates" in body
        assert "closes a stretch over 5 min" in body
        assert after["covered_share"] >= today["covered_share"]
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "planner_click_ms.json").write_text(
            json.dumps({"click_to_figures_ms": round(click_ms, 1), "at": time.time()})
        )
        print(f"candidate click -> new figures: {click_ms:.0f} ms")
        page.screenshot(path=str(ARTIFACTS / "planner_1400x1000.png"), full_page=False)
        page.get_by_text("With the candidates").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "planner_1400x1000_figures.png"), full_page=False)
        page.set_viewport_size({"width": 390, "height": 844})
        frame = map_frame(page)
        frame.frame_element().scroll_into_view_if_needed()
        frame.evaluate(CENTRE_ON_JS, [[lat, lon], 17])
        page.screenshot(path=str(ARTIFACTS / "planner_390x844.png"), full_page=False)
        # the page scrolls inside Streamlit's own container: one shot per section
        for name, text in (("banner", banner), ("what_if", "With the candidates")):
            page.get_by_text(text).first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"planner_390x844_{name}.png"))
        # the reach of the station nearest the candidate, at 1400 x 1000
        page.set_viewport_size({"width": 1400, "height": 1000})
        site = min(stations, key=lambda st: abs(st.lonlat[0] - lon) + abs(st.lonlat[1] - lat))
        reach = model.reach(site, minutes=5, speed_kmh=4)
        box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").last
        box.click()
        name = site.name_en or site.id
        page.get_by_role("option", name=name, exact=True).click()
        frame = map_frame(page)
        frame.wait_for_function(f"() => ({COUNT_KINDS_JS})().reach > 0", timeout=60_000)
        page.get_by_text("reachable in 5 min").first.wait_for(timeout=30_000)
        assert len(reach.frame) > 0
        frame.frame_element().scroll_into_view_if_needed()
        frame.evaluate(
            "(latlon) => { window.map.setView(latlon, 15, {animate: false}); }",
            [site.lonlat[1], site.lonlat[0]],
        )
        page.screenshot(path=str(ARTIFACTS / "planner_reach_1400x1000.png"))
        assert errors == []
    finally:
        visit.close()
