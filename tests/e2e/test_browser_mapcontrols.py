"""putuo_geo.mapcontrols in Chromium, on a bare map served from a loopback folder.

Locate with a granted position (the hidden layer gets "clicked" with it, which is how
``st_folium`` returns it) and with the permission denied (the explanation shows); the
legend closed on a phone and open on a desktop, never over a quarter of the map; the
buttons at least 44 px. The page itself wires these in; its own tests check it there.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import folium
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import offline_context, static_server  # noqa: E402
from putuo_geo import assets, mapcontrols  # noqa: E402
from putuo_geo.i18n import tr  # noqa: E402

POSITION = {"latitude": 31.2382, "longitude": 121.4301}
MAP_JS = "window[Object.keys(window).find((k) => k.startsWith('map_'))]"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    if assets.missing_files():
        pytest.skip("static/vendor not installed (run `make assets`)")
    folder = tmp_path_factory.mktemp("controls")
    shutil.copytree(ROOT / "static" / "vendor", folder / "vendor")
    m = folium.Map(location=(31.24, 121.43), zoom_start=14, tiles=None)
    mapcontrols.locate_control(lang="en").add_to(m)
    mapcontrols.fullscreen_control(lang="en").add_to(m)
    mapcontrols.TapTargets().add_to(m)
    legend = "".join(f"<div>item {k}</div>" for k in range(30))  # taller than a quarter
    mapcontrols.CollapsibleLegend(legend, title="Legend", narrow_px=600).add_to(m)
    assets.localize(m, base_url="/vendor")
    m.get_root().height = "100vh"
    m.save(str(folder / "index.html"))
    with static_server(folder) as base:
        yield f"{base}/index.html"


def _open(browser, url, **options):
    context = offline_context(browser, **options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(f"() => {MAP_JS} && {MAP_JS}._loaded")
    page.evaluate(
        f"""() => Object.values({MAP_JS}._layers).forEach((l) => {{
            if (l.getTooltip && l.getTooltip()
                && l.getTooltip().getContent() === {mapcontrols.HERE_TAG!r}) {{
                l.on('click', (e) => {{ window.__here = e.latlng; }});
            }} }})"""
    )
    return context, page


def _area(page, selector):
    box = page.locator(selector).bounding_box()
    return box["width"] * box["height"]


def test_a_granted_position_comes_back_as_the_here_layer_click(browser, url):
    context, page = _open(
        browser, url, geolocation=POSITION, permissions=["geolocation"], viewport=PHONE
    )
    try:
        page.locator(".leaflet-control-locate a").click()
        here = page.wait_for_function("() => window.__here", timeout=15_000).json_value()
        assert here["lat"] == pytest.approx(POSITION["latitude"], abs=1e-9)
        assert here["lng"] == pytest.approx(POSITION["longitude"], abs=1e-9)
        assert page.locator(".pg-locate-message").count() == 0
    finally:
        context.close()


def test_a_denied_permission_is_explained(browser, url):
    context, page = _open(browser, url, geolocation=POSITION, permissions=[], viewport=PHONE)
    try:
        page.locator(".leaflet-control-locate a").click()
        message = page.locator(".pg-locate-message[role=alert] p")
        message.wait_for(timeout=15_000)
        assert message.inner_text() == tr("locate.denied", "en")
        assert page.evaluate("() => window.__here") is None
        page.locator(".pg-locate-message button").click()
        assert page.locator(".pg-locate-message").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize(("viewport", "open_at_start"), [(PHONE, False), (DESKTOP, True)])
def test_the_legend_covers_at_most_a_quarter_of_the_map(browser, url, viewport, open_at_start):
    context, page = _open(browser, url, viewport=viewport)
    try:
        legend = page.locator(".pg-legend")
        assert legend.get_attribute("data-open") == ("true" if open_at_start else "false")
        map_area = _area(page, ".folium-map")
        assert _area(page, ".pg-legend") <= 0.25 * map_area
        page.locator(".pg-legend-toggle").click()
        assert legend.get_attribute("data-open") == ("false" if open_at_start else "true")
        assert _area(page, ".pg-legend") <= 0.25 * map_area
        for selector in (
            ".leaflet-control-zoom-in",
            ".leaflet-control-locate a",
            ".leaflet-control-zoom-fullscreen",
        ):
            box = page.locator(selector).first.bounding_box()
            assert box["width"] >= mapcontrols.TAP_PX
            assert box["height"] >= mapcontrols.TAP_PX
    finally:
        context.close()
