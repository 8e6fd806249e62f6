"""putuo_geo.latlon: the one pair parser, linear in its input, and the one Shanghai box."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from putuo_geo import coordinput, latlon, permalink, places
from putuo_geo.config import SHANGHAI_BBOX_LONLAT

SHORT = "31.23806,121.42163"

#: Pathological shapes for a backtracking pair pattern, each ~100 kB.
HOSTILE: dict[str, str] = {
    "spaces_between": "121.4" + " " * 100_000 + "31.2",
    "spaces_then_junk": "121.4" + " " * 100_000 + "x",
    "digits_no_separator": "1" * 100_000,
    "many_commas": ",".join(["1"] * 50_000),
    "dots": "1." * 50_000,
    "full_width_spaces": "121.4" + "\u3000" * 100_000 + "31.2",
    "tabs_and_commas": "121.4" + " \t," * 30_000 + "31.2",
}


def _best_of(fn: Callable[[str], object], text: str, *, repeat: int = 5, number: int = 20) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "reader",
    [
        latlon.read_pair,
        lambda t: coordinput.read_point(t, order="lnglat", datum="wgs84"),
        lambda t: permalink.decode({"from": t, "to": t, "c": t, "z": t, "q": t, "cat": t}),
        places.parse_latlon,
    ],
    ids=["read_pair", "coordinput", "permalink", "places"],
)
@pytest.mark.parametrize("shape", list(HOSTILE))
def test_worst_case_costs_about_what_a_short_input_costs(reader, shape):
    # A ratio, not a time: the old pattern took 5.6 s on 16k characters (quadratic);
    # capped and split linearly, 100 kB costs a few times a short input at most.
    short = _best_of(reader, SHORT)
    worst = _best_of(reader, HOSTILE[shape])
    assert worst / short < 25, (shape, worst, short)


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("31.23806,121.42163", (31.23806, 121.42163)),
        (" -31.2 , +121.4 ", (-31.2, 121.4)),
        ("31.2，121.4", (31.2, 121.4)),
        ("31.2 121.4", (31.2, 121.4)),
        ("31\t121", (31.0, 121.0)),
    ],
)
def test_read_pair_reads_two_numbers_in_the_order_written(text, pair):
    assert latlon.read_pair(text) == pair


@pytest.mark.parametrize(
    "text",
    [
        "",
        "31.2",
        "31.2,121.4,5",
        "nan,121.4",
        "inf,121.4",
        "31.2,-inf",
        "1e3,121.4",
        "1e999,1",
        "0x1F,121.4",
        "31.2,,121.4",
        "31.,121.4",
        ".5,121.4",
        "３１.２、、121.4",  # full-width digits are read (issue 23 §3), two commas are not
        "1" * 60 + "," + "1" * 60,  # over the cap
        "31.2 , 121.4" + " " * 200,  # a valid pair padded past the cap
    ],
)
def test_read_pair_refuses_everything_else(text):
    assert latlon.read_pair(text) is None


def test_the_one_shanghai_box():
    assert latlon.SHANGHAI_BBOX_LONLAT == SHANGHAI_BBOX_LONLAT == coordinput.SHANGHAI_BBOX_LONLAT
    assert latlon.in_shanghai((121.47, 31.23))  # People's Square
    assert latlon.in_shanghai((120.85, 30.70))  # Jinshan, near the south-west corner
    assert not latlon.in_shanghai((120.6, 31.3))  # Suzhou
    assert not latlon.in_shanghai((116.397, 39.909))  # Beijing


@pytest.mark.parametrize(
    ("lonlat", "key"),
    [
        ((121.4, 31.23), None),
        ((0.0, 0.0), "coords.problem.outside_shanghai"),
        ((151.0, -33.5), "coords.problem.outside_shanghai"),
        ((200.0, 31.2), "coords.problem.out_of_range"),
        ((float("nan"), 31.2), "coords.problem.out_of_range"),
    ],
)
def test_point_problem(lonlat, key):
    problem = latlon.point_problem(lonlat)
    assert (problem.key if problem else None) == key
