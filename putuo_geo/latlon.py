"""Two numbers a person types or a link carries, read in linear time: the one pair parser.

Every ``lat,lon`` / ``lng,lat`` text in the package goes through :func:`read_pair`: the
page's typed coordinates (:mod:`putuo_geo.coordinput`), a shared link's points
(:mod:`putuo_geo.permalink`) and the command's places (:mod:`putuo_geo.places`).

Why no single regular expression for the pair: a pattern such as
``\\s*(num)\\s*[,\\s]\\s*(num)\\s*$`` lets the separator and the spaces around it match the
same whitespace several ways, and Python's backtracking engine then takes quadratic time
on a long run of spaces between two tokens (16 k characters took 5.6 s while the server
answered nobody). Here the text is capped at :data:`MAX_PAIR_CHARS`, split with
``str.split`` (linear) and each half checked by an unambiguous anchored pattern.

Also the one Shanghai box (:data:`putuo_geo.config.SHANGHAI_BBOX_LONLAT`) and the one
question "is this point one the atlas can measure?" (:func:`point_problem`).
"""

from __future__ import annotations

import logging
import math
import re
import reprlib
from typing import Any

from putuo_geo import config, typedtext
from putuo_geo.errors import Problem

#: Longest coordinate text read (characters). Two 6-decimal degrees with signs and a
#: separator take ~25; 100 leaves room for spaces and 15 decimals each.
MAX_PAIR_CHARS = 100

#: One decimal number: sign, digits, optional fraction. No exponent (``1e999``), no
#: ``nan``/``inf``: a person types degrees, not floats. Unambiguous, so linear.
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
#: After NFKC (which makes ``，`` a comma and ``．`` a point): the ideographic comma ``、``,
#: which Chinese keyboards type for a list, also separates the two numbers.
_SEPARATORS = str.maketrans({"、": ","})

_LOG = logging.getLogger(__name__)
#: Longest crafted value quoted in the log line (characters of its repr).
_LOGGED_CHARS = 80
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, _LOGGED_CHARS, _LOGGED_CHARS

#: The one Shanghai box, ``(lon_min, lat_min, lon_max, lat_max)`` WGS-84 degrees.
SHANGHAI_BBOX_LONLAT = config.SHANGHAI_BBOX_LONLAT


def read_pair(text: str) -> tuple[float, float] | None:
    """Two finite decimal numbers in the order written, else ``None``.

    Parameters
    ----------
    text
        Two numbers separated by a comma (ASCII, full-width or ``、``), or by spaces
        alone; full-width digits and points and pasted invisible characters are read as
        typed (:func:`putuo_geo.typedtext.normalise`). Text longer than
        :data:`MAX_PAIR_CHARS` (before or after normalising) is not read (``None``).

    Returns
    -------
    tuple of float or None
        ``(first, second)`` as written; ``None`` when the text is not exactly two
        finite decimal numbers. Linear in ``len(text)``.
    """
    if len(text) > MAX_PAIR_CHARS:
        return None
    flat = typedtext.normalise(text).translate(_SEPARATORS)
    if len(flat) > MAX_PAIR_CHARS:  # NFKC can lengthen a character (U+FDFA: 18)
        return None
    parts = flat.split(",") if "," in flat else flat.split()
    if len(parts) != 2:
        return None
    values = []
    for part in parts:
        token = part.strip()
        if _NUMBER.fullmatch(token) is None:
            return None
        value = float(token)
        if not math.isfinite(value):  # 400 digits overflow to inf
            return None
        values.append(value)
    return values[0], values[1]


def too_long(text: str) -> bool:
    """Whether ``text`` is longer than any coordinate pair :func:`read_pair` reads."""
    return len(text) > MAX_PAIR_CHARS


def on_globe(lonlat: tuple[float, float]) -> bool:
    """Whether ``(lon, lat)`` is finite and within ±180° / ±90°."""
    lon, lat = lonlat
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def in_shanghai(lonlat: tuple[float, float]) -> bool:
    """Whether ``(lon, lat)`` (WGS-84, or GCJ-02/BD-09 near it) lies in the Shanghai box."""
    lon_min, lat_min, lon_max, lat_max = SHANGHAI_BBOX_LONLAT
    return lon_min <= lonlat[0] <= lon_max and lat_min <= lonlat[1] <= lat_max


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"lat,lon"`` as ``(lon, lat)`` when it is two numbers on the globe, else ``None``."""
    pair = read_pair(text)
    if pair is None:
        return None
    lonlat = (pair[1], pair[0])
    return lonlat if on_globe(lonlat) else None


def point_problem(lonlat: tuple[float, float]) -> Problem | None:
    """Why ``(lon, lat)`` cannot be measured, or ``None`` when it can.

    Every length is measured in UTM 51N (EPSG:32651); far outside Shanghai that
    projection is meaningless (a point at 0,0 came out 18,211 km from Putuo instead of
    12,963 km), so the page, a link, the command and an upload all refuse it with the
    same message, ``coords.problem.outside_shanghai``.
    """
    if not on_globe(lonlat):
        return Problem("coords.problem.out_of_range")
    if not in_shanghai(lonlat):
        return Problem("coords.problem.outside_shanghai")
    return None


def log_refused(what: str, value: Any) -> None:
    """Log one line for a refused input (never a traceback): what it was and its start.

    A client can send any value on any channel; 146 lines of traceback per rerun let it
    grow the server's log at will (issue 23 §4). The value's ``repr`` is bounded while it
    is made (:mod:`reprlib`: a 10 MB list is not turned into 10 MB of text first), then
    cut to :data:`_LOGGED_CHARS`; a line break in it is escaped, so it stays one line.
    """
    try:
        shown = _REPR.repr(value)
    except Exception:  # a hostile object's repr (RecursionError ...): say only its type
        shown = f"<{type(value).__name__}>"
    shown = typedtext.without_surrogates(shown)
    if len(shown) > _LOGGED_CHARS:
        shown = f"{shown[: _LOGGED_CHARS - 1]}…"
    _LOG.warning("refused %s: %s", what, shown)


def _degrees(value: Any) -> float | None:
    """A finite JSON number (not a bool, not text), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int of 400 digits
        return None
    return number if math.isfinite(number) else None


def lonlat_from_map(value: Any, *, what: str = "map position") -> tuple[float, float] | None:
    """``{"lat": .., "lng": ..}`` from the map's return value as ``(lon, lat)``, else ``None``.

    The map's browser side sends numbers, but the values arrive over a websocket any
    client can write to: a ``lat`` as text, ``null``, a list or NaN is refused here,
    before any ``float()``, with one log line (:func:`log_refused`). The point is not checked
    against Shanghai (:func:`point_problem` does that, with the message users see).
    """
    if value is None:
        return None
    if isinstance(value, dict):
        lon, lat = _degrees(value.get("lng")), _degrees(value.get("lat"))
        if lon is not None and lat is not None and on_globe((lon, lat)):
            return lon, lat
    log_refused(what, value)
    return None


def zoom_from_map(value: Any) -> int | None:
    """The map's zoom level as an ``int`` when it is a finite number in 0..30, else ``None``."""
    number = _degrees(value)
    if number is None or not 0 <= number <= 30:  # Leaflet's zoom range, with room
        if value is not None:
            log_refused("map zoom", value)
        return None
    return int(number)
