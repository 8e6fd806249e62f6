"""Readable colours: WCAG 2.x contrast of the map's text and markers.

Text (legend, cards, km labels) needs 4.5:1 against its background (WCAG 1.4.3, AA);
markers and lines need 3:1 against white (WCAG 1.4.11, non-text contrast), white
being the lightest tile background they sit on, in the colour a reader sees: blended
over white at the opacity it is drawn at (``mapstyle.DRAWN_COLOURS``).
"""

from __future__ import annotations

import pytest

from putuo_geo import mapstyle


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula_on_paper():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (mapstyle.LEGEND_TEXT, mapstyle.LEGEND_BACKGROUND),
        (mapstyle.CARD_LABEL, mapstyle.LEGEND_BACKGROUND),
    ],
)
def test_text_is_readable(text, background):
    assert contrast(text, background) >= 4.5


def test_the_css_uses_those_colours():
    css = mapstyle.PAGE_CSS
    assert f"background: {mapstyle.LEGEND_BACKGROUND}; color: {mapstyle.LEGEND_TEXT}" in css
    assert f"color: {mapstyle.CARD_LABEL}" in css


def drawn(colour: str, opacity: float, *, over: str = "#ffffff") -> str:
    """``colour`` at ``opacity`` over ``over``, as the browser blends it (sRGB channels)."""
    fg, bg = (bytes.fromhex(c.lstrip("#")) for c in (colour, over))
    mixed = (round(opacity * f + (1 - opacity) * b) for f, b in zip(fg, bg, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def test_blending_on_paper():
    assert drawn("#000000", 0.5) == "#808080"  # 127.5 rounds to 128
    assert drawn("#3d8bd9", 1.0) == "#3d8bd9"
    assert drawn("#3d8bd9", 0.0) == "#ffffff"
    # the creek's old colour: 3.56:1 opaque, 1.9:1 as drawn at 0.55
    assert contrast(drawn("#3d8bd9", 0.55), "#ffffff") == pytest.approx(1.93, abs=0.01)


@pytest.mark.parametrize(("colour", "opacity"), mapstyle.DRAWN_COLOURS)
def test_markers_and_lines_stand_out_from_white_as_drawn(colour, opacity):
    assert contrast(drawn(colour, opacity), "#ffffff") >= 3.0


def test_captions_are_readable_on_the_page():
    """Issue 24: Streamlit draws captions at 60 % of its text colour (#31333f), 3.7:1 on
    white; the page's CSS gives them ``mapstyle.CAPTION_TEXT`` instead."""
    from panels import layout

    streamlit_caption = drawn("#31333f", 0.6)
    assert contrast(streamlit_caption, "#ffffff") < 4.5  # why the page overrides it
    assert contrast(mapstyle.CAPTION_TEXT, "#ffffff") >= 4.5
    css = layout._css(loading="…")
    assert f'[data-testid="stCaptionContainer"] {{ color: {mapstyle.CAPTION_TEXT}; }}' in css
