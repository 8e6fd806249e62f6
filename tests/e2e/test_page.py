"""The page in a real browser (Playwright + Debian's Chromium), offline.

Every request to another host is blocked and recorded; only basemap tiles may try.
Expected counts and distances come from putuo_geo for the folder the server shows.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlsplit

import pytest
from page_support import ARTIFACTS, page_data_dir, skip_reason

from putuo_geo import config, display, layers, mapview, network, overview

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MEASURED_KINDS = {"straight": 1, "offset": 2, "path": 1, "end": 2}
COUNT_KINDS_JS = """() => {
    const counts = {};
    Object.values(window.map._layers).forEach((layer) => {
        if (layer.feature) {
            const kind = layer.feature.properties.kind;
            counts[kind] = (counts[kind] || 0) + 1;
        }
    });
    return counts;
}"""


@pytest.fixture(scope="module")
def atlas() -> layers.Atlas:
    return layers.load_atlas(page_data_dir())


@pytest.fixture(scope="module")
def expected_kinds(atlas) -> dict[str, int]:
    kinds = {
        "boundary": len(atlas.boundary),
        "zone": len(atlas.zones),
        "park": len(atlas.parks),
        "creek": len(atlas.creek),
        "route": len(atlas.route),
        "km_post": len(overview.km_posts(atlas)),
        "bridge": len(atlas.bridges),
        "station": len(atlas.stations),
        "site": len(atlas.sites),
    }
    kinds.update(MEASURED_KINDS)  # the default measurement: first to last station
    return {k: v for k, v in kinds.items() if v}


def _tile_hosts() -> set[str]:
    return {urlsplit(b.url).hostname or "" for b in mapview.basemaps() if b.url}


class Visit:
    """One browser page on the app, recording foreign requests and errors."""

    def __init__(self, browser, server_url: str) -> None:
        self.server_host = urlsplit(server_url).netloc
        self.foreign: list[str] = []
        self.tiles: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1100})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)
        self.started = time.perf_counter()
        self.page.goto(server_url)

    def _route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.server_host:
            route.continue_()
            return
        (self.tiles if parts.hostname in _tile_hosts() else self.foreign).append(url)
        route.abort()  # offline: nothing leaves the machine

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if urlsplit(where).hostname in _tile_hosts():
            return  # a blocked tile: allowed to fail
        self.errors.append(f"console: {msg.text} ({where})")

    def map_frame(self):
        self.page.wait_for_selector(FRAME, timeout=60_000)
        frame = next(f for f in self.page.frames if "st_folium" in (f.url or ""))
        frame.wait_for_function("() => window.map && window.map._loaded", timeout=60_000)
        return frame

    def kinds(self, frame) -> dict[str, int]:
        return frame.evaluate(COUNT_KINDS_JS)

    def wait_for_kind(self, frame, kind: str, count: int) -> None:
        frame.wait_for_function(
            f"() => ({COUNT_KINDS_JS})()[{json.dumps(kind)}] === {count}"
            if count
            else f"() => !({COUNT_KINDS_JS})()[{json.dumps(kind)}]",
            timeout=30_000,
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server_url):
    v = Visit(browser, server_url)
    yield v
    v.close()


def test_map_draws_offline_with_every_feature(visit, expected_kinds):
    frame = visit.map_frame()
    total = sum(expected_kinds.values())
    # Sites are drawn on a canvas (no SVG path each): count the map's features instead.
    frame.wait_for_function(
        f"""() => Object.values(({COUNT_KINDS_JS})()).reduce((a, b) => a + b, 0) === {total}""",
        timeout=60_000,
    )
    drawn_s = time.perf_counter() - visit.started
    assert visit.kinds(frame) == expected_kinds
    legend = frame.locator(".pg-legend")
    assert legend.is_visible()
    assert "indicative" in legend.inner_text()
    assert frame.locator(".leaflet-control-measure").count() == 1
    assert visit.foreign == []
    assert visit.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "map_page.png"), full_page=True)
    (ARTIFACTS / "e2e_metrics.json").write_text(
        json.dumps(
            {
                "page_load_to_map_drawn_s": round(drawn_s, 3),
                "paths": total,
                "tile_requests_blocked": len(visit.tiles),
            },
            indent=2,
        ),
        encoding="utf-8",
    )


def test_category_filter_redraws_sites_and_keeps_the_view(visit, atlas):
    frame = visit.map_frame()
    visit.wait_for_kind(frame, "site", len(atlas.sites))
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("() => !window.map._animatingZoom")
    frame.evaluate("() => { window.map.panBy([150, 60], {animate: false}); window.__kept = 1; }")
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]")

    counts = overview.category_counts(atlas.sites)
    category = str(counts.index[0])  # the largest category
    label = mapview.CATEGORY_STYLE.get(category, (category, ""))[0]
    visit.page.get_by_role("button", name=f"Remove {label} ({counts.iloc[0]})").click()
    visit.wait_for_kind(frame, "site", len(atlas.sites) - int(counts.iloc[0]))

    assert frame.evaluate("() => window.__kept") == 1  # same live map, not remounted
    assert frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]") == view
    assert visit.errors == []


def test_measuring_between_two_stations_shows_the_library_distance(visit, atlas):
    frame = visit.map_frame()
    table = overview.station_table(atlas)
    picks = {"FROM": table.iloc[1], "TO": table.iloc[min(5, len(table) - 1)]}
    for label, station in picks.items():
        box = visit.page.get_by_test_id("stSelectbox").filter(
            has=visit.page.get_by_text(label, exact=True)
        )
        box.click()
        visit.page.keyboard.type(f"No. {station['number']} · ")
        visit.page.get_by_role("option", name=re.compile(rf"^No\. {station['number']} · ")).click()
    geoms = atlas.stations.set_index("id").geometry
    a, b = (geoms[s["id"]] for s in picks.values())
    expected = network.RouteNetwork.from_atlas(atlas).measure((a.x, a.y), (b.x, b.y))
    metric = visit.page.get_by_test_id("stMetric").filter(has_text="Along the route")
    metric.get_by_text(display.format_length(expected.along_route_m), exact=True).wait_for()
    visit.wait_for_kind(frame, "path", 1)
    visit.page.screenshot(path=str(ARTIFACTS / "map_page_measured.png"), full_page=False)
    assert visit.foreign == []
    assert visit.errors == []


def test_the_data_folder_is_the_one_the_tests_expect():
    # The server inherits $PUTUO_GEO_DATA from this process, so both read one folder.
    assert page_data_dir() == config.data_dir()
