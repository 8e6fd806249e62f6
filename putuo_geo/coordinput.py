"""Coordinates a person types or pastes, in the order and datum they say, to WGS-84.

Chinese web maps hand out GCJ-02 (Amap/AutoNavi, Tencent) or BD-09 (Baidu) positions,
written **longitude first** (``121.4216,31.2381``), while GPS apps and Google write
latitude first. The order is never guessed: the caller says which it is (the page has a
selector). A plausibility check against Shanghai's extent suggests the swap when the
numbers only make sense the other way round, but does not apply it.

Problems and hints are returned as :mod:`putuo_geo.i18n` catalogue keys, so the page can
show them in either language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from putuo_geo import latlon, measures
from putuo_geo.datum import DATUMS, Datum, convert_lonlat

Order = Literal["lnglat", "latlon"]
ORDERS: tuple[Order, ...] = ("lnglat", "latlon")

#: The one Shanghai box (:data:`putuo_geo.config.SHANGHAI_BBOX_LONLAT`).
SHANGHAI_BBOX_LONLAT = latlon.SHANGHAI_BBOX_LONLAT
#: Longest text read (characters); longer is ``coords.problem.too_long``, unread.
MAX_TEXT_CHARS = latlon.MAX_PAIR_CHARS


@dataclass(frozen=True)
class TypedPoint:
    """The result of reading one typed coordinate pair.

    ``lonlat`` is the WGS-84 position (``None`` when the text cannot be used);
    ``problem`` and ``hint`` are catalogue keys (or ``None``); ``shift_m`` is how far
    the datum conversion moved the point (metres, EPSG:32651).
    """

    text: str
    lonlat: tuple[float, float] | None
    input_lonlat: tuple[float, float] | None
    problem: str | None = None
    hint: str | None = None
    shift_m: float = 0.0


def in_shanghai(lonlat: tuple[float, float]) -> bool:
    """Whether ``(lon, lat)`` lies in :data:`SHANGHAI_BBOX_LONLAT` (:func:`latlon.in_shanghai`)."""
    return latlon.in_shanghai(lonlat)


def read_point(text: str, *, order: Order, datum: Datum) -> TypedPoint:
    """Read ``text`` (two numbers) in ``order`` and ``datum``; convert to WGS-84.

    Parameters
    ----------
    text
        Two decimal numbers separated by a comma (ASCII or full-width) or spaces
        (at most :data:`MAX_TEXT_CHARS` characters; read in linear time).
    order
        ``"lnglat"`` (longitude first, as Amap/Tencent/Baidu copy) or ``"latlon"``.
    datum
        ``"gcj02"``, ``"bd09"`` or ``"wgs84"``: what the numbers are in.

    Returns
    -------
    TypedPoint
        ``lonlat`` is ``None`` with a ``problem`` when the text is too long, not two
        numbers, not a position, or outside Shanghai; a point outside Shanghai that
        would fall inside with the numbers swapped carries the ``coords.hint.swap`` hint.
    """
    if order not in ORDERS or datum not in DATUMS:  # a crafted widget value (issue 23 §4)
        latlon.log_refused("coordinate order or datum", (order, datum))
        return TypedPoint(
            text[:MAX_TEXT_CHARS], None, None, problem="coords.problem.not_two_numbers"
        )
    if latlon.too_long(text):  # never parsed: a paste of 100 kB costs nothing
        return TypedPoint(text[:MAX_TEXT_CHARS], None, None, problem="coords.problem.too_long")
    pair = latlon.read_pair(text)
    if pair is None:
        return TypedPoint(text, None, None, problem="coords.problem.not_two_numbers")
    first, second = pair
    lon, lat = (first, second) if order == "lnglat" else (second, first)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        swapped_ok = -90 <= lon <= 90 and -180 <= lat <= 180
        hint = "coords.hint.swap" if swapped_ok and in_shanghai((lat, lon)) else None
        return TypedPoint(text, None, None, problem="coords.problem.out_of_range", hint=hint)
    if not in_shanghai((lon, lat)):
        hint = "coords.hint.swap" if in_shanghai((lat, lon)) else None
        return TypedPoint(
            text, None, (lon, lat), problem="coords.problem.outside_shanghai", hint=hint
        )
    x, y = convert_lonlat([lon], [lat], src=datum, dst="wgs84")
    wgs = (float(x[0]), float(y[0]))
    return TypedPoint(text, wgs, (lon, lat), shift_m=measures.straight_m((lon, lat), wgs))
