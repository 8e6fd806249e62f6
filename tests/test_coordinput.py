"""putuo_geo.coordinput: typed coordinates, order and datum stated, never guessed."""

from __future__ import annotations

import pytest

from putuo_geo import coordinput, datum

# Wuning Road Bridge, WGS-84 (FACTS.md), and its GCJ-02 / BD-09 images.
WGS = (121.42163, 31.23806)
GCJ = tuple(float(v[0]) for v in datum.convert_lonlat([WGS[0]], [WGS[1]], src="wgs84", dst="gcj02"))
BD = tuple(float(v[0]) for v in datum.convert_lonlat([WGS[0]], [WGS[1]], src="wgs84", dst="bd09"))


@pytest.mark.parametrize(
    ("text", "order", "source"),
    [
        (f"{GCJ[0]:.7f},{GCJ[1]:.7f}", "lnglat", "gcj02"),  # as Amap/Tencent copy it
        (f"{GCJ[1]:.7f}, {GCJ[0]:.7f}", "latlon", "gcj02"),
        (f"{BD[0]:.7f},{BD[1]:.7f}", "lnglat", "bd09"),  # as Baidu's picker gives it
        (f"{WGS[1]} {WGS[0]}", "latlon", "wgs84"),
        (f"{GCJ[0]:.7f}，{GCJ[1]:.7f}", "lnglat", "gcj02"),  # full-width comma
    ],
)
def test_typed_points_come_back_as_wgs84(text, order, source):
    point = coordinput.read_point(text, order=order, datum=source)
    assert point.problem is None
    assert point.lonlat == pytest.approx(WGS, abs=1e-6)  # ~0.1 m
    if source == "wgs84":
        assert point.shift_m == pytest.approx(0.0, abs=1e-6)
    else:
        assert 450 < point.shift_m < 1300  # GCJ-02 ~485 m; BD-09 adds ~700 m more


def test_the_wrong_order_is_flagged_with_a_swap_hint_not_swapped():
    point = coordinput.read_point("31.23806, 121.42163", order="lnglat", datum="gcj02")
    assert point.lonlat is None
    assert point.problem == "coords.problem.out_of_range"  # 121 is not a latitude
    assert point.hint == "coords.hint.swap"


def test_outside_shanghai_without_a_plausible_swap():
    point = coordinput.read_point("116.397, 39.909", order="lnglat", datum="gcj02")  # Beijing
    assert point.lonlat is None
    assert point.problem == "coords.problem.outside_shanghai"
    assert point.hint is None


@pytest.mark.parametrize("text", ["", "121.4", "abc,def", "121.4;31.2", "1,2,3"])
def test_not_two_numbers(text):
    assert coordinput.read_point(text, order="lnglat", datum="wgs84").problem == (
        "coords.problem.not_two_numbers"
    )


def test_shanghai_bbox_edges():
    assert coordinput.in_shanghai((121.47, 31.23))  # People's Square
    assert not coordinput.in_shanghai((120.6, 31.3))  # Suzhou
    assert not coordinput.in_shanghai((31.23, 121.47))


@pytest.mark.parametrize(
    "text",
    ["121.4" + " " * 100_000 + "31.2", "1" * 16_000, "121.4216,31.2381" + " " * 200],
)
def test_a_long_paste_is_refused_unread(text):
    point = coordinput.read_point(text, order="lnglat", datum="wgs84")
    assert point.problem == "coords.problem.too_long"
    assert len(point.text) <= coordinput.MAX_TEXT_CHARS  # the page never echoes 100 kB


@pytest.mark.parametrize("text", ["nan,nan", "inf,31.2", "1e999,31.2", "121.4,-inf"])
def test_non_finite_numbers_are_not_two_numbers(text):
    assert coordinput.read_point(text, order="lnglat", datum="wgs84").problem == (
        "coords.problem.not_two_numbers"
    )


@pytest.mark.parametrize(("order", "source"), [("lnglat", "xx"), ("sideways", "wgs84")])
def test_a_crafted_order_or_datum_is_refused_with_one_log_line(order, source, caplog):
    point = coordinput.read_point("121.42,31.24", order=order, datum=source)
    assert point.lonlat is None
    assert point.problem == "coords.problem.not_two_numbers"
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "refused coordinate order or datum"
    ]
