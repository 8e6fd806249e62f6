"""The page's CSS (panels/layout.py): the map's space kept while it loads, its height."""

from __future__ import annotations

from panels import layout


def test_the_map_space_is_kept_and_says_it_is_loading():
    css = layout._css(loading='Loading "the" map…')
    box = f".st-key-{layout.MAP_BOX_KEY}"
    desk = f"max({layout.MAP_MIN_PX}px, calc(100vh - {layout.BAR_ROOM_PX['desk']}px))"
    assert f"{box} {{ min-height: {desk}; position: relative; }}" in css
    assert 'content: "Loading \\"the\\" map…"' in css  # quoted for CSS
    # the map's frame is as tall as the box and drawn over the note once it has loaded
    assert f"height: {desk} !important;" in css
    assert "z-index: 1" in css


def test_a_phone_gets_its_own_height_and_no_band_above_the_map():
    css = layout._css(loading="…")
    phone = f"calc(100vh - {layout.BAR_ROOM_PX['phone']}px)"
    assert f"@media (max-width: {layout.PHONE_MAX_PX}px)" in css
    assert phone in css
    assert '[data-testid="stHeader"] { background: transparent; pointer-events: none;' in css


def test_the_loading_note_cannot_close_the_style_element():
    css = layout._css(loading="</style><script>")
    assert css.count("</style>") == 1
