"""The page's state in its URL: encode it to query parameters and read it back.

Pure functions on plain dicts (``st.query_params`` is read with ``to_dict()`` and written
with ``from_dict()`` by the page). The URL holds:

========  =========================================================  ==================
key       value                                                      example
========  =========================================================  ==================
``lang``  interface language                                         ``zh``
``base``  basemap key (:mod:`putuo_geo.basemaps`)                    ``amap``
``cat``   site categories shown, comma-separated (absent: all;       ``culture_heritage``
          ``-``: none)
``q``     name search text                                           ``寺``
``from``  FROM: a place key (``station:<id>``, ``site:<id>``) or a   ``station:st-03``
          point as ``lat,lon`` (WGS-84, 6 decimals)                  ``31.238060,121.421630``
``to``    TO, same forms                                             ``site:jade-buddha``
``c``     map centre ``lat,lon`` (WGS-84, 6 decimals)                ``31.235,121.41``
``z``     map zoom level (integer)                                   ``15``
========  =========================================================  ==================

Coordinates in the URL are always WGS-84, whatever the basemap: the page converts the
map's GCJ-02 centre back before encoding and forward again before restoring.

Decoding never raises: a value that cannot be read is left out and named in
:attr:`Link.problems` (a shared link may be truncated or edited by hand).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

#: Query parameter names.
KEYS: tuple[str, ...] = ("lang", "base", "cat", "q", "from", "to", "c", "z")
NO_CATEGORIES = "-"
MIN_ZOOM, MAX_ZOOM = 0, 22

_PAIR = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Link:
    """What a URL says about the page. ``None`` means "not in the URL".

    ``from_ref`` / ``to_ref`` are place keys (``station:<id>``) or points
    ``(lon, lat)`` in WGS-84; ``center_lonlat`` is WGS-84 too.
    """

    lang: str | None = None
    basemap: str | None = None
    categories: tuple[str, ...] | None = None
    query: str | None = None
    from_ref: str | tuple[float, float] | None = None
    to_ref: str | tuple[float, float] | None = None
    center_lonlat: tuple[float, float] | None = None
    zoom: int | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)


def _latlon_text(lonlat: tuple[float, float]) -> str:
    return f"{lonlat[1]:.6f},{lonlat[0]:.6f}"


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"lat,lon"`` -> ``(lon, lat)`` when both are finite and in range, else ``None``."""
    match = _PAIR.match(text)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


def _ref_text(ref: str | tuple[float, float]) -> str:
    return ref if isinstance(ref, str) else _latlon_text(ref)


def encode(link: Link) -> dict[str, str]:
    """The query parameters for ``link`` (fields that are ``None`` are left out).

    Coordinates are written ``lat,lon`` with 6 decimals (~0.1 m); the order of keys is
    :data:`KEYS`, so the same state always gives the same URL.
    """
    params: dict[str, str] = {}
    if link.lang:
        params["lang"] = link.lang
    if link.basemap:
        params["base"] = link.basemap
    if link.categories is not None:
        params["cat"] = ",".join(link.categories) if link.categories else NO_CATEGORIES
    if link.query:
        params["q"] = link.query
    if link.from_ref is not None:
        params["from"] = _ref_text(link.from_ref)
    if link.to_ref is not None:
        params["to"] = _ref_text(link.to_ref)
    if link.center_lonlat is not None:
        params["c"] = _latlon_text(link.center_lonlat)
    if link.zoom is not None:
        params["z"] = str(int(link.zoom))
    return params


def _one(value: Any) -> str:
    """The last value of a parameter given once or several times."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def _ref(value: str, name: str, problems: list[str]) -> str | tuple[float, float] | None:
    point = parse_latlon(value)
    if point is not None:
        return point
    if re.fullmatch(r"[a-z]+:[^\s,]+", value):
        return value
    problems.append(f"{name}={value!r} is neither a place key nor lat,lon.")
    return None


def decode(params: Mapping[str, Any]) -> Link:
    """Read query parameters (a ``st.query_params.to_dict()``) into a :class:`Link`.

    Unknown keys are ignored; unreadable values are left out and listed in
    ``problems``. Nothing is checked against the data here: see :func:`restore`.
    """
    problems: list[str] = []
    raw = {k: _one(v).strip() for k, v in params.items() if k in KEYS}
    categories: tuple[str, ...] | None = None
    if "cat" in raw:
        cat = raw["cat"]
        categories = () if cat in ("", NO_CATEGORIES) else tuple(c for c in cat.split(",") if c)
    center = None
    if raw.get("c"):
        center = parse_latlon(raw["c"])
        if center is None:
            problems.append(f"c={raw['c']!r} is not lat,lon.")
    zoom = None
    if raw.get("z"):
        try:
            zoom = int(float(raw["z"]))
        except ValueError:
            problems.append(f"z={raw['z']!r} is not a zoom level.")
        else:
            if not MIN_ZOOM <= zoom <= MAX_ZOOM:
                problems.append(f"z={zoom} is outside {MIN_ZOOM}-{MAX_ZOOM}.")
                zoom = None
    return Link(
        lang=raw.get("lang") or None,
        basemap=raw.get("base") or None,
        categories=categories,
        query=raw.get("q") or None,
        from_ref=_ref(raw["from"], "from", problems) if raw.get("from") else None,
        to_ref=_ref(raw["to"], "to", problems) if raw.get("to") else None,
        center_lonlat=center,
        zoom=zoom,
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class Restored:
    """The part of a :class:`Link` the page can use, checked against what it offers.

    ``points`` maps ``"from"``/``"to"`` to a WGS-84 ``(lon, lat)`` for ends given as
    coordinates; ``from_key``/``to_key`` are then ``point:from``/``point:to``.
    """

    lang: str | None
    basemap: str | None
    categories: list[str] | None
    query: str | None
    from_key: str | None
    to_key: str | None
    points: dict[str, tuple[float, float]]
    center_lonlat: tuple[float, float] | None
    zoom: int | None
    problems: tuple[str, ...]


def restore(
    link: Link,
    *,
    languages: Iterable[str],
    basemaps: Iterable[str],
    categories: Iterable[str],
    places: Iterable[str],
) -> Restored:
    """Keep what the page offers; name the rest in ``problems``.

    Parameters
    ----------
    link
        From :func:`decode`.
    languages, basemaps, categories, places
        The language codes, basemap keys, site categories and place keys the page
        offers now (a link may name a basemap whose key is not set on this server,
        or a feature since renamed).
    """
    problems = list(link.problems)
    langs, bases, cats, keys = set(languages), set(basemaps), list(categories), set(places)
    lang = link.lang if link.lang in langs else None
    if link.lang and lang is None:
        problems.append(f"lang={link.lang!r} is not offered.")
    base = link.basemap if link.basemap in bases else None
    if link.basemap and base is None:
        problems.append(f"base={link.basemap!r} is not offered here.")
    chosen = None
    if link.categories is not None:
        chosen = [c for c in cats if c in link.categories]
        problems.extend(f"cat={c!r} is not a category." for c in link.categories if c not in cats)
    points: dict[str, tuple[float, float]] = {}
    ends: dict[str, str | None] = {}
    for end, ref in (("from", link.from_ref), ("to", link.to_ref)):
        if ref is None:
            ends[end] = None
        elif isinstance(ref, tuple):
            points[end] = ref
            ends[end] = f"point:{end}"
        elif ref in keys:
            ends[end] = ref
        else:
            ends[end] = None
            problems.append(f"{end}={ref!r} is not a place.")
    return Restored(
        lang=lang,
        basemap=base,
        categories=chosen,
        query=link.query,
        from_key=ends["from"],
        to_key=ends["to"],
        points=points,
        center_lonlat=link.center_lonlat,
        zoom=link.zoom,
        problems=tuple(problems),
    )


def url(base_url: str, params: Mapping[str, str]) -> str:
    """``base_url`` with ``params`` as its query string (any old query is replaced)."""
    root = base_url.split("?", 1)[0].split("#", 1)[0]
    query = urlencode(params, safe=",:")
    return f"{root}?{query}" if query else root
