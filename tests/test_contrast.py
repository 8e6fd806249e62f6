"""Readable colours: WCAG 2.x contrast of the map's text and markers.

Text (legend, cards, km labels) needs 4.5:1 against its background (WCAG 1.4.3, AA);
markers and lines need 3:1 against white (WCAG 1.4.11, non-text contrast), white
being the lightest tile background they sit on.
"""

from __future__ import annotations

import pytest

from putuo_geo import mapview


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
        (mapview.LEGEND_TEXT, mapview.LEGEND_BACKGROUND),
        (mapview.CARD_LABEL, mapview.LEGEND_BACKGROUND),
    ],
)
def test_text_is_readable(text, background):
    assert contrast(text, background) >= 4.5


def test_the_css_uses_those_colours():
    css = mapview._PAGE_CSS
    assert f"background: {mapview.LEGEND_BACKGROUND}; color: {mapview.LEGEND_TEXT}" in css
    assert f"color: {mapview.CARD_LABEL}" in css


@pytest.mark.parametrize(
    "colour",
    [
        *mapview.CATEGORY_COLOURS.values(),
        mapview.OTHER_CATEGORY_COLOUR,
        *mapview.ZONE_COLOURS.values(),
        mapview.CREEK_COLOUR,
        mapview.ROUTE_COLOUR,
        mapview.STATION_COLOUR,
        mapview.BRIDGE_COLOUR,
        mapview.PATH_COLOUR,
        mapview.PARK_STROKE,
        mapview.KM_POST_COLOUR,
    ],
)
def test_markers_and_lines_stand_out_from_white(colour):
    assert contrast(colour, "#ffffff") >= 3.0
