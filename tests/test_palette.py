"""The site categories' colours stay apart for everyone (issue 24, §6).

Every pair of category colours (and the colour of an unknown category) is compared as
drawn (blended over white at ``mapstyle.SITE_FILL_OPACITY``), in normal vision and in
simulated deuteranomaly, protanomaly and tritanomaly at full severity (Machado, Oliveira
and Fernandes 2009, as implemented by ``colorspacious``), by the Euclidean distance in
CAM02-UCS (a uniform colour space: about 1 is a just-noticeable difference). Names
colours apart at >= 12; the old palette's commerce and culture & heritage were 3.0.
"""

from __future__ import annotations

import itertools

import colorspacious
import numpy as np
import pytest

from putuo_geo import mapstyle

VISIONS: dict[str, object] = {
    "normal": None,
    **{
        cvd: {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        for cvd in ("deuteranomaly", "protanomaly", "tritanomaly")
    },
}
#: The smallest CAM02-UCS distance any two category colours may have, in every vision.
MIN_DISTANCE = 12.0


def _drawn_rgb(colour: str, opacity: float = mapstyle.SITE_FILL_OPACITY) -> np.ndarray:
    """``#rrggbb`` blended over white at ``opacity``, as sRGB in [0, 1] (8-bit rounded)."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return np.round(opacity * rgb + (1 - opacity) * 255) / 255


def distance(a: str, b: str, *, vision: str = "normal", opacity: float = 1.0) -> float:
    """CAM02-UCS distance between two colours as a person with ``vision`` sees them."""
    pair = np.array([_drawn_rgb(a, opacity), _drawn_rgb(b, opacity)])
    spec = VISIONS[vision]
    if spec is not None:
        pair = np.clip(colorspacious.cspace_convert(pair, spec, "sRGB1"), 0, 1)
    ucs = colorspacious.cspace_convert(pair, "sRGB1", "CAM02-UCS")
    return float(np.linalg.norm(ucs[0] - ucs[1]))


def palette() -> dict[str, str]:
    return {**mapstyle.CATEGORY_COLOURS, "(other)": mapstyle.OTHER_CATEGORY_COLOUR}


def test_the_distance_on_paper():
    assert distance("#777777", "#777777") == pytest.approx(0.0, abs=1e-9)
    assert distance("#000000", "#ffffff") == pytest.approx(100.0, abs=1.0)  # J' 0 -> 100
    # a grey looks the same to everyone: simulating a deficiency does not move it
    for vision in VISIONS:
        assert distance("#000000", "#ffffff", vision=vision) == pytest.approx(100.0, abs=1.5)
    # red and green: far apart in normal vision, close for a deuteranomalous viewer
    assert distance("#d62728", "#2ca02c") > 40
    assert distance("#d62728", "#2ca02c", vision="deuteranomaly") < 20


def test_the_old_palette_fails_where_the_eye_did():
    # commerce #9a7300 and culture & heritage #a6761d: "the same colour to the eye"
    assert distance("#9a7300", "#a6761d", vision="deuteranomaly") < MIN_DISTANCE


@pytest.mark.parametrize("vision", list(VISIONS))
def test_every_pair_of_category_colours_stays_apart(vision):
    colours = palette()
    opacity = mapstyle.SITE_FILL_OPACITY
    close = [
        (round(distance(colours[a], colours[b], vision=vision, opacity=opacity), 1), a, b)
        for a, b in itertools.combinations(colours, 2)
    ]
    assert [c for c in close if c[0] < MIN_DISTANCE] == []
