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

and ``event``, the selected event edition's id (:mod:`putuo_geo.events`), e.g.
``event-half-marathon-2023``; and the planner view (issue 24, §5): ``plan=1`` (on),
``speed`` (walking speed, km/h), ``min`` (time limit, minutes), ``reach`` (the station
whose reach is drawn) and ``cand`` (candidate stations, ``lat,lon;lat,lon``, WGS-84,
at most :data:`MAX_CANDIDATES`).

Coordinates in the URL are always WGS-84, whatever the basemap: the page converts the
map's GCJ-02 centre back before encoding and forward again before restoring.

Decoding never raises: a value that cannot be read is left out and named in
:attr:`Link.problems`, and :func:`restore` adds what the page does not offer (a shared
link may be truncated, edited by hand, or older than the data). Each is an
:class:`~putuo_geo.errors.Problem` (catalogue key + parameters) so the page can show a
short notice in its language. Every value is capped at :data:`MAX_VALUE_CHARS` and read
in linear time; a point is written as ``lat,lon`` and must lie in Shanghai, like typed
coordinates (:func:`putuo_geo.latlon.point_problem`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from putuo_geo import latlon, typedtext
from putuo_geo.errors import Problem

#: Query parameter names.
KEYS: tuple[str, ...] = (
    "lang",
    "base",
    "cat",
    "q",
    "from",
    "to",
    "c",
    "z",
    "event",
    "plan",
    "speed",
    "min",
    "reach",
    "cand",
)
#: Most candidate stations a link carries (a longer list is cut and named).
MAX_CANDIDATES = 20
NO_CATEGORIES = "-"
MIN_ZOOM, MAX_ZOOM = 0, 22
#: Longest value read from a query parameter (characters); a longer one is dropped and
#: named. The search text ``q`` is cut to :data:`MAX_QUERY_CHARS` instead.
MAX_VALUE_CHARS = 2000
#: Longest search text kept (characters); the page's search box has the same cap.
MAX_QUERY_CHARS = 100
#: Place keys a link can carry: ones every session knows. Any other key (an upload's
#: ``upload:...``, held by one session only) is written as its ``lat,lon``.
SHAREABLE_PREFIXES: tuple[str, ...] = ("station:", "site:")
#: Longest value quoted in a problem (characters).
_QUOTED_CHARS = 60
_PLACE_KEY = re.compile(r"[a-z]+:[^\s,]+")
_ZOOM = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]+)?")
#: An event id, as the events layer's schema allows it (``geo/datapackage.json``).
_EVENT_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: A feature id (a station's ``reach``), and a plain decimal number (``speed``, ``min``).
_FEATURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3})?")


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
    event: str | None = None
    planner: bool = False
    speed_kmh: float | None = None
    minutes: int | None = None
    reach: str | None = None
    candidates: tuple[tuple[float, float], ...] = ()
    problems: tuple[Problem, ...] = field(default=(), compare=False)


def _shown(value: str) -> str:
    """``repr(value)`` cut for a message (a hand-edited link may hold anything)."""
    text = repr(value)
    return text if len(text) <= _QUOTED_CHARS else f"{text[: _QUOTED_CHARS - 1]}…"


def _latlon_text(lonlat: tuple[float, float]) -> str:
    return f"{lonlat[1]:.6f},{lonlat[0]:.6f}"


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"lat,lon"`` -> ``(lon, lat)`` when both are finite and in range, else ``None``.

    :func:`putuo_geo.latlon.parse_latlon`, the package's one pair parser.
    """
    return latlon.parse_latlon(text)


def ref_for(key: str, lonlat: tuple[float, float]) -> str | tuple[float, float]:
    """What a link writes for the place ``key`` at WGS-84 ``lonlat``.

    Stations and sites by key (they survive a data update that moves them); anything
    else, such as an uploaded site (``upload:...``, known to one session only) or a map
    click, as its coordinates, so a new session can restore it.
    """
    return key if key.startswith(SHAREABLE_PREFIXES) else lonlat


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
    if link.event:
        params["event"] = link.event
    if link.planner:
        params["plan"] = "1"
        if link.speed_kmh is not None:
            params["speed"] = f"{link.speed_kmh:g}"
        if link.minutes is not None:
            params["min"] = str(int(link.minutes))
        if link.reach:
            params["reach"] = link.reach
        if link.candidates:
            params["cand"] = ";".join(_latlon_text(p) for p in link.candidates)
    return params


def _one(value: Any) -> str:
    """The last value of a parameter given once or several times."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def _ref(value: str, name: str, problems: list[Problem]) -> str | tuple[float, float] | None:
    pair = latlon.read_pair(value)
    if pair is not None:
        lonlat = (pair[1], pair[0])
        problem = latlon.point_problem(lonlat)
        if problem is None:
            return lonlat
        key = (
            "link.problem.outside_shanghai"
            if problem.key == "coords.problem.outside_shanghai"
            else "link.problem.ref"
        )
        problems.append(Problem(key, name=name, value=_shown(value)))
        return None
    if _PLACE_KEY.fullmatch(value):
        return value
    problems.append(Problem("link.problem.ref", name=name, value=_shown(value)))
    return None


def _zoom(text: str, problems: list[Problem]) -> int | None:
    # Digits only (no "inf", "nan", "1e999"): int(float(...)) raised OverflowError on them.
    if _ZOOM.fullmatch(text) is None:
        problems.append(Problem("link.problem.zoom", value=_shown(text)))
        return None
    zoom = int(float(text))
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        problems.append(Problem("link.problem.zoom_range", zoom=zoom, min=MIN_ZOOM, max=MAX_ZOOM))
        return None
    return zoom


def decode(params: Mapping[str, Any]) -> Link:
    """Read query parameters (a ``st.query_params.to_dict()``) into a :class:`Link`.

    Unknown keys are ignored; every value is read as typed
    (:func:`putuo_geo.typedtext.normalise`: ``?q=%E2%80%8B`` is no search at all);
    unreadable values are left out and listed in ``problems``. Nothing is checked
    against the data here: see :func:`restore`.
    Never raises, and takes time linear in the parameters' length.
    """
    problems: list[Problem] = []
    raw: dict[str, str] = {}
    for k, v in params.items():
        if k not in KEYS:
            continue
        value = _one(v)
        if k == "q" and len(value) > MAX_QUERY_CHARS:
            problems.append(
                Problem("link.problem.query_cut", count=f"{len(value):,}", limit=MAX_QUERY_CHARS)
            )
            value = value[:MAX_QUERY_CHARS]
        elif len(value) > MAX_VALUE_CHARS:
            problems.append(
                Problem(
                    "link.problem.too_long", name=k, count=f"{len(value):,}", limit=MAX_VALUE_CHARS
                )
            )
            continue
        # Read as typed (full-width, zero-width: issue 23 §3); linear, on capped text.
        # NFKC can lengthen a character, so the cap applies again after it.
        cap = MAX_QUERY_CHARS if k == "q" else MAX_VALUE_CHARS
        raw[k] = typedtext.normalise(value).strip()[:cap]
    categories: tuple[str, ...] | None = None
    if "cat" in raw:
        cat = raw["cat"]
        categories = () if cat in ("", NO_CATEGORIES) else tuple(c for c in cat.split(",") if c)
    center = None
    if raw.get("c"):
        center = parse_latlon(raw["c"])
        if center is None:
            problems.append(Problem("link.problem.center", value=_shown(raw["c"])))
    zoom = _zoom(raw["z"], problems) if raw.get("z") else None
    # A view is both: half of one is dropped and named, like any other value.
    halves = (
        ("c", "z", center is not None and zoom is None),
        ("z", "c", zoom is not None and center is None),
    )
    for given, missing, alone in halves:
        if alone:
            problems.append(
                Problem(
                    "link.problem.view_half", given=given, missing=missing, value=_shown(raw[given])
                )
            )
    if center is None or zoom is None:
        center = zoom = None
    event = raw.get("event") or None
    if event is not None and _EVENT_ID.fullmatch(event) is None:
        problems.append(Problem("link.problem.event", value=_shown(event)))
        event = None
    planner = raw.get("plan") == "1"
    if raw.get("plan") not in (None, "", "0", "1"):
        problems.append(Problem("link.problem.plan", name="plan", value=_shown(raw["plan"])))
    speed = _number(raw, "speed", problems)
    minutes = _number(raw, "min", problems)
    reach = raw.get("reach") or None
    if reach is not None and _FEATURE_ID.fullmatch(reach) is None:
        problems.append(Problem("link.problem.plan", name="reach", value=_shown(reach)))
        reach = None
    return Link(
        lang=raw.get("lang") or None,
        basemap=raw.get("base") or None,
        categories=categories,
        query=raw.get("q") or None,
        from_ref=_ref(raw["from"], "from", problems) if raw.get("from") else None,
        to_ref=_ref(raw["to"], "to", problems) if raw.get("to") else None,
        center_lonlat=center,
        zoom=zoom,
        event=event,
        planner=planner,
        speed_kmh=speed,
        minutes=None if minutes is None else int(minutes),
        reach=reach,
        candidates=_candidates(raw.get("cand") or "", problems),
        problems=tuple(problems),
    )


def _number(raw: Mapping[str, str], name: str, problems: list[Problem]) -> float | None:
    """A planner number (``speed``, ``min``): digits, at most one decimal point."""
    text = raw.get(name)
    if not text:
        return None
    if _NUMBER.fullmatch(text) is None:
        problems.append(Problem("link.problem.plan", name=name, value=_shown(text)))
        return None
    return float(text)


def _candidates(text: str, problems: list[Problem]) -> tuple[tuple[float, float], ...]:
    """``lat,lon;lat,lon`` -> WGS-84 ``(lon, lat)`` points in Shanghai; others named."""
    points: list[tuple[float, float]] = []
    parts = [p for p in text.split(";") if p.strip()]
    if len(parts) > MAX_CANDIDATES:
        problems.append(Problem("link.problem.cand_cut", count=len(parts), limit=MAX_CANDIDATES))
        parts = parts[:MAX_CANDIDATES]
    for part in parts:
        pair = latlon.read_pair(part)
        lonlat = None if pair is None else (pair[1], pair[0])
        if lonlat is None or latlon.point_problem(lonlat) is not None:
            problems.append(Problem("link.problem.plan", name="cand", value=_shown(part)))
            continue
        points.append(lonlat)
    return tuple(points)


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
    problems: tuple[Problem, ...]
    event: str | None = None
    planner: bool = False
    speed_kmh: float | None = None
    minutes: int | None = None
    reach: str | None = None
    candidates: tuple[tuple[float, float], ...] = ()


def restore(
    link: Link,
    *,
    languages: Iterable[str],
    basemaps: Iterable[str],
    categories: Iterable[str],
    places: Iterable[str],
    events: Iterable[str] = (),
    speeds_kmh: Iterable[float] = (),
    minutes: Iterable[int] = (),
    stations: Iterable[str] = (),
) -> Restored:
    """Keep what the page offers; name the rest in ``problems``.

    ``problems`` lists everything the link asked for and the page cannot restore
    (:func:`decode`'s problems first), each a :class:`~putuo_geo.errors.Problem`: the
    page shows them as a short notice (``link.notice``).

    Parameters
    ----------
    link
        From :func:`decode`.
    languages, basemaps, categories, places
        The language codes, basemap keys, site categories and place keys the page
        offers now (a link may name a basemap whose key is not set on this server,
        or a feature since renamed).
    events
        The event edition ids the page offers (none when the events layer is missing).
    speeds_kmh, minutes, stations
        The planner's walking speeds, time limits and station ids (for ``reach``).
    """
    problems: list[Problem] = list(link.problems)
    langs, bases, cats, keys = set(languages), set(basemaps), list(categories), set(places)
    lang = link.lang if link.lang in langs else None
    if link.lang and lang is None:
        problems.append(Problem("link.problem.lang", value=_shown(link.lang)))
    base = link.basemap if link.basemap in bases else None
    if link.basemap and base is None:
        problems.append(Problem("link.problem.base", value=_shown(link.basemap)))
    chosen = None
    if link.categories is not None:
        chosen = [c for c in cats if c in link.categories]
        problems.extend(
            Problem("link.problem.cat", value=_shown(c)) for c in link.categories if c not in cats
        )
        if link.categories and not chosen:  # only unknown ones: every site, not none
            chosen = None
            problems.append(Problem("link.problem.cat_all"))
    points: dict[str, tuple[float, float]] = {}
    ends: dict[str, str | None] = {}
    for end, ref in (("from", link.from_ref), ("to", link.to_ref)):
        if ref is None:
            ends[end] = None
        elif isinstance(ref, tuple):
            refused = latlon.point_problem(ref)  # a Link built by hand, not decoded
            if refused is not None:
                ends[end] = None
                value = _shown(_latlon_text(ref)) if latlon.on_globe(ref) else "?"
                problems.append(Problem("link.problem.outside_shanghai", name=end, value=value))
                continue
            points[end] = ref
            ends[end] = f"point:{end}"
        elif ref in keys:
            ends[end] = ref
        else:
            ends[end] = None
            problems.append(Problem("link.problem.place", name=end, value=_shown(ref)))
    event = link.event if link.event in set(events) else None
    if link.event and event is None:
        problems.append(Problem("link.problem.event", value=_shown(link.event)))
    speed = link.speed_kmh if link.speed_kmh in set(speeds_kmh) else None
    if link.speed_kmh is not None and speed is None:
        problems.append(Problem("link.problem.plan", name="speed", value=f"{link.speed_kmh:g}"))
    limit = link.minutes if link.minutes in set(minutes) else None
    if link.minutes is not None and limit is None:
        problems.append(Problem("link.problem.plan", name="min", value=str(link.minutes)))
    reach = link.reach if link.reach in set(stations) else None
    if link.reach and reach is None:
        problems.append(Problem("link.problem.plan", name="reach", value=_shown(link.reach)))
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
        event=event,
        planner=link.planner,
        speed_kmh=speed,
        minutes=limit,
        reach=reach,
        candidates=link.candidates,
    )


def url(base_url: str, params: Mapping[str, str]) -> str:
    """``base_url`` with ``params`` as its query string (any old query is replaced)."""
    root = base_url.split("?", 1)[0].split("#", 1)[0]
    query = urlencode(params, safe=",:")
    return f"{root}?{query}" if query else root
