"""putuo_geo.display: km/ha/km² text and travel times."""

from __future__ import annotations

import math

import pytest

from putuo_geo import display


@pytest.mark.parametrize(
    ("length_m", "text"),
    [(0, "0 m"), (849.6, "850 m"), (999.4, "999 m"), (1000, "1.00 km"), (21_480, "21.48 km")],
)
def test_format_length(length_m, text):
    assert display.format_length(length_m) == text


def test_format_units():
    assert display.format_km(21_480) == "21.48 km"
    assert display.format_ha(364_000) == "36.4 ha"
    assert display.format_km2(6_160_000) == "6.16 km²"
    assert display.format_chainage(3420) == "km 3.42"
    assert display.format_chainage(None) == "–"
    assert display.format_accuracy(30) == "± 30 m"
    assert display.format_length(math.nan) == "–"


def test_travel_times_at_the_stated_speeds():
    # 5 km at 5, 10 and 15 km/h: 1 h, 30 min, 20 min
    assert display.travel_times(5000) == pytest.approx({"walk": 3600, "run": 1800, "cycle": 1200})
    with pytest.raises(ValueError, match="speed_kmh"):
        display.travel_seconds(100, speed_kmh=0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (45, "45 s"),
        (60, "1 min"),
        (1200, "20 min"),
        (3600, "1 h 00 min"),
        (3930, "1 h 06 min"),
        (-1, "–"),
    ],
)
def test_format_duration(seconds, text):
    assert display.format_duration(seconds) == text


@pytest.mark.parametrize(
    ("length_m", "modelled_m", "text"),
    [
        (3240.0, 0.0, "3.24 km"),  # surveyed ground: as exact as before
        (3240.0, 49.9, "3.24 km"),  # under 50 m modelled cannot move it by a 100 m step
        (3240.0, 50.0, "≈ 3.2 km"),
        (3260.0, 3260.0, "≈ 3.3 km"),
        (850.0, 525.0, "≈ 900 m"),  # halves round up (not to even)
        (849.9, 525.0, "≈ 800 m"),
        (960.0, 960.0, "≈ 1.0 km"),
        (80.0, 80.0, "≈ 100 m"),
    ],
)
def test_a_length_on_modelled_ground_is_rounded_to_100_m(length_m, modelled_m, text):
    assert display.format_length_on(length_m, modelled_m=modelled_m) == text
    assert display.is_rounded(modelled_m) == text.startswith("≈")
