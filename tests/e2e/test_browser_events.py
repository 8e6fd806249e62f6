"""The events panel in a real browser (Playwright + Debian's Chromium), offline.

Select the 2023 half marathon: its course is drawn (line, start and finish, km markers,
water stations: counted on the live Leaflet map), its popup carries the dates and the
length against the race, the URL carries ``event=``, and its GPX download is
well-formed XML holding the course's track points. Screenshots at phone (390x844) and
desktop (1400x1000) size go to test-artifacts/.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from page_support import (
    ARTIFACTS,
    COUNT_KINDS_JS,
    FRAME,
    SCRIPT_IDLE_JS,
    OfflineVisit,
    map_frame,
    open_expander,
    page_data_dir,
    settled_view,
    skip_reason,
)
from shapely.geometry import LineString

from putuo_geo import events
from putuo_geo import page as page_module

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        skip_reason() is not None or not (page_data_dir() / "events.geojson").is_file(),
        reason=skip_reason() or "no events.geojson in the data folder",
    ),
]

COURSE = "event-half-marathon-2023"
GPX_NS = {"g": "http://www.topografix.com/GPX/1/1"}


#: Click the course line through Leaflet; the popup's HTML (the view is put back).
COURSE_POPUP_JS = """() => {
    let line = null;
    window.map.eachLayer((l) => {
        if (l.feature && l.feature.properties.kind === "course") line = l;
    });
    const group = Object.values(window.map._layers).find(
        (g) => g.hasLayer && !g.feature && g.hasLayer(line) && g.getPopup());
    const at = line.getLatLngs()[0];
    const centre = window.map.getCenter(), zoom = window.map.getZoom();
    line.fire("click", {latlng: at}, true);
    const pop = group.getPopup().getElement().querySelector(".leaflet-popup-content").innerHTML;
    group.closePopup();
    window.map.setView(centre, zoom, {animate: false});  // the popup's autoPan moved it
    return pop;
}"""


@pytest.fixture(scope="module")
def course() -> events.CourseMap:
    frame = events.load_events(page_data_dir()).set_index("id")
    row = frame.loc[COURSE]
    return events.course_map({"id": COURSE, **row.drop(labels="geometry")}, row["geometry"])


def _open(browser, server_url: str, *, width: int, height: int, query: str = ""):
    visit = OfflineVisit(
        browser,
        server_url,
        query=query,
        viewport={"width": width, "height": height},
        accept_downloads=True,
    )
    visit.page.wait_for_selector(FRAME, timeout=60_000)
    visit.page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
    return visit.context, visit.page, visit.errors


def _wait_for_course(frame, course: events.CourseMap) -> dict[str, int]:
    frame.wait_for_function(f"() => ({COUNT_KINDS_JS})().course === 1", timeout=60_000)
    kinds = frame.evaluate(COUNT_KINDS_JS)
    assert kinds.get("course_km", 0) == len(course.km_markers)
    assert kinds.get("course_water", 0) == len(course.water_stations)
    assert kinds.get("course_end", 0) == 2  # start and finish
    return kinds


def _wait_for_view(frame, course: events.CourseMap) -> None:
    """The map moved to the course (``page.event_fit``: its bounds' centre and zoom)."""
    (lon, lat), zoom = page_module.event_fit(LineString(course.path_lonlat))
    shown_zoom, centre = settled_view(frame, (lat, lon), zoom)
    assert shown_zoom == zoom
    assert centre["lat"] == pytest.approx(lat, abs=1e-4)
    assert centre["lng"] == pytest.approx(lon, abs=1e-4)


def _screenshots(page, size: str) -> None:
    """The map with the course, then the panel's selection (each scrolled into view)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(FRAME).scroll_into_view_if_needed()
    # An iframe scrolled back into view is painted on a later frame: wait for two.
    map_frame(page).evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    page.wait_for_timeout(500)  # for the screenshot only; nothing is asserted on timing
    page.screenshot(path=str(ARTIFACTS / f"events_map_{size}.png"))
    page.get_by_test_id("stSelectbox").last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"events_panel_{size}.png"))


def test_select_the_2023_half_marathon_and_download_its_course(browser, server_url, course):
    context, page, errors = _open(browser, server_url, width=1400, height=1000)
    try:
        frame = map_frame(page)
        assert "course" not in frame.evaluate(COUNT_KINDS_JS)  # nothing selected yet
        open_expander(page, "Events on the creek")  # closed by default (issue 13)
        box = page.get_by_test_id("stSelectbox").filter(
            has=page.get_by_text("Show on the map", exact=True)
        )
        box.scroll_into_view_if_needed()
        box.click()
        page.keyboard.type("Half Marathon 2023")
        page.get_by_role("option", name=re.compile(r"^22 Apr 2023 · ")).click()
        _wait_for_course(map_frame(page), course)
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        assert parse_qs(urlsplit(page.url).query)["event"] == [COURSE]
        _wait_for_view(map_frame(page), course)

        popup = html.unescape(re.sub(r"<[^>]+>", " ", map_frame(page).evaluate(COURSE_POPUP_JS)))
        for text in ("22 Apr 2023", "21.0975 km", f"{course.along_route_m / 1000:.2f} km", "SHINE"):
            assert text in popup, text

        button = page.get_by_role("button", name="Download the course (GPX)")
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename == f"{COURSE}.gpx"
        root = ET.fromstring(download.path().read_bytes())  # well-formed XML
        points = root.findall(".//g:trk/g:trkseg/g:trkpt", GPX_NS)
        assert len(points) == len(course.path_lonlat)
        got = [float(p.get(k)) for p in points for k in ("lon", "lat")]
        assert got == pytest.approx([v for xy in course.path_lonlat for v in xy], abs=1e-6)
        waypoints = root.findall("g:wpt", GPX_NS)
        assert len(waypoints) == len(course.km_markers) + len(course.water_stations)

        _screenshots(page, "1400x1000")
        assert errors == []
    finally:
        context.close()


def test_a_link_with_the_course_opens_it_on_a_phone(browser, server_url, course):
    context, page, errors = _open(
        browser, server_url, width=390, height=844, query=f"?event={COURSE}&lang=zh"
    )
    try:
        _wait_for_course(map_frame(page), course)
        _wait_for_view(map_frame(page), course)  # a link without c= and z=: fitted to the course
        page.get_by_text("2023年4月22日").first.wait_for(timeout=30_000)
        _screenshots(page, "390x844")
        assert json.dumps(parse_qs(urlsplit(page.url).query)["event"]) == json.dumps([COURSE])
        assert errors == []
    finally:
        context.close()
