"""putuo_geo.mapcontrols on a bare folium map: local assets, no CDN, the control code."""

from __future__ import annotations

import re

import folium
import pytest

from putuo_geo import assets, mapcontrols


def _bare() -> folium.Map:
    return folium.Map(location=(31.24, 121.40), zoom_start=13, tiles=None)


def _html(m: folium.Map) -> str:
    assets.localize(m)
    return m.get_root().render()


def test_locate_control_uses_local_assets_and_hooks_location_errors():
    m = _bare()
    mapcontrols.locate_control(lang="en").add_to(m)
    html = _html(m)
    assert "/app/static/vendor/leaflet.locatecontrol/L.Control.Locate.min.js" in html
    assert "/app/static/vendor/leaflet.locatecontrol/L.Control.Locate.min.css" in html
    assert assets.non_local_urls(m) == []
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "L.control.locate(" in html
    assert "onLocationError" in html
    assert "isSecureContext" in html
    assert '"locationfound"' in html
    assert mapcontrols.HERE_TAG in html
    assert "secure pages (HTTPS or localhost)" in html


def test_locate_texts_come_in_the_callers_language_and_are_script_safe():
    m = _bare()
    mapcontrols.locate_control(lang="zh").add_to(m)
    mapcontrols.LocateControl(
        title="</script><b>x</b>", popup="p", not_secure="n", denied="d", unavailable="u"
    ).add_to(m)
    html = _html(m)
    assert "浏览器只向安全页面" in html
    assert "</script><b>" not in html
    assert "<\\/script><b>x<\\/b>" in html


def test_fullscreen_control_uses_local_assets():
    m = _bare()
    mapcontrols.fullscreen_control(lang="zh").add_to(m)
    html = _html(m)
    assert "/app/static/vendor/leaflet.fullscreen/Control.FullScreen.umd.js" in html
    assert "/app/static/vendor/leaflet.fullscreen/Control.FullScreen.css" in html
    assert "new L.Control.FullScreen(" in html
    assert '"退出全屏"' in html
    assert assets.non_local_urls(m) == []


def test_localize_follows_another_base_url():
    m = _bare()
    mapcontrols.fullscreen_control(lang="en").add_to(m)
    assets.localize(m, base_url="/x/vendor")
    assert "/x/vendor/leaflet.fullscreen/Control.FullScreen.umd.js" in assets.asset_urls(m)


def test_collapsible_legend_is_capped_at_15_percent_and_closed_when_narrow():
    m = _bare()
    mapcontrols.CollapsibleLegend("<b>route</b>", title="Legend", narrow_px=640).add_to(m)
    mapcontrols.TapTargets().add_to(m)
    html = _html(m)
    assert "var w = 0.3 * (narrow ? 2 : 1);" in html  # 0.3 x 0.5 wide, 0.6 x 0.25 narrow
    assert "var h = 0.5 / (narrow ? 2 : 1);" in html
    assert "setOpen(true && map.getSize().x >= 640)" in html
    assert "aria-expanded" in html
    assert "pg-legend-toggle" in html
    assert "<\\/b>" in html  # the legend HTML is inlined as a safe JS string
    assert f"width: {mapcontrols.TAP_PX}px" in html


def test_collapsible_legend_opens_on_demand_and_is_never_over_15_percent():
    m = _bare()
    legend = mapcontrols.CollapsibleLegend(
        "x", title="L", width_share=0.6, height_share=0.25, open_when_wide=False
    )
    legend.add_to(m)
    html = _html(m)
    assert "var w = 0.6 * (narrow ? 2 : 1);" in html
    assert "setOpen(false && " in html  # closed until the toggle is pressed
    with pytest.raises(ValueError, match="over 15%"):
        mapcontrols.CollapsibleLegend("x", title="L", width_share=0.5, height_share=0.5)


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        (
            {
                "last_object_clicked": {"lat": 31.24, "lng": 121.40},
                "last_object_clicked_tooltip": mapcontrols.HERE_TAG,
            },
            (121.40, 31.24),
        ),
        (
            {
                "last_object_clicked": {"lat": 31.24, "lng": 121.40},
                "last_object_clicked_tooltip": "Station 1",
            },
            None,
        ),
        ({"last_object_clicked": None, "last_object_clicked_tooltip": None}, None),
        (None, None),
    ],
)
def test_position_from_reads_only_the_located_position(returned, expected):
    assert mapcontrols.position_from(returned) == expected


def test_a_click_is_sent_at_once_and_recorded_for_st_folium_dedupe():
    m = folium.Map(tiles=None)
    mapcontrols.ClickReturnNow().add_to(m)
    html = m.get_root().render()
    # the component protocol's message, and previous_data set so the debounced send is dropped
    assert "window.Streamlit.setComponentValue(value)" in html
    assert "g.previous_data = value" in html
    assert "window.parent === window" in html  # a saved HTML file sends nothing
