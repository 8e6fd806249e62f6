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
