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

import math
import re

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
