"""Events on the creek: dated editions, their venues and courses (the ``events`` layer).

One row of ``geo/inputs/events.csv`` is one dated edition of an event (a recurring
event has one row per edition). :func:`parse_rows` checks the rows (ISO 8601 dates,
end not before start, a known kind, a geometry spec) and :func:`build_features` turns
them into layer features: a venue Point, or a course drawn along the route network
from its start through its named waypoints to its finish. Every problem in every row
is collected and raised as one :class:`~putuo_geo.errors.DataValidationError`, each
naming the file, the row and the edition id.

A course is only as good as the route network: a race also runs on streets, so a
course drawn along the bank paths differs from the race's 21.0975 km. The feature's
``along_route_m`` is the drawn length; :func:`course_map` adds km markers and, where a
source places them, water stations.

Dates are ``datetime.date`` values (no time zone: an edition's dates are local to
Shanghai). Lengths are metres measured in EPSG:32651; coordinates WGS-84 lon/lat.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely import LineString, Point

from putuo_geo import crs, i18n, layers, places
from putuo_geo.errors import DataValidationError, PlaceNotFoundError, RouteError
from putuo_geo.network import RouteNetwork

LAYER = "events"
INPUT_FILE = "events.csv"
#: The kinds an edition may have (the layer's ``kind`` enum).
KINDS: tuple[str, ...] = ("race", "water_sport", "festival", "esports", "other")
GEOMETRIES: tuple[str, ...] = ("venue", "course")
STATUSES: tuple[str, ...] = ("confirmed", "indicative")
#: The official half-marathon distance, metres.
HALF_MARATHON_M = 21_097.5
#: Spacing of the km markers along a drawn course, metres.
KM_MARKER_SPACING_M = 1_000.0
REQUIRED = ("id", "name_en", "name_zh", "kind", "start_date", "end_date", "source", "accuracy_m")
#: ISO 8601 calendar date, extended format (the only form the layer stores).
#: ASCII digits only: Python's ``\d`` also matches ``２０２４``, which then failed as "not a
#: real calendar date" (the command normalises what is typed first: issue 23 §5).
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class EventRow:
    """One checked row of ``events.csv``."""

    where: str  # "events.csv line 3 (event-x)", for messages
    id: str
    name_en: str
    name_zh: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    status: str
    accuracy_m: float
    source: str
    geometry: str  # "venue" or "course"
    venue: str  # place ref (id or "lat,lon") of a venue
    start: str  # place refs of a course
    waypoints: tuple[str, ...]
    finish: str
    water_stations_every_m: float | None
    water_stations_source: str | None


# ---------------------------------------------------------------------------- dates


def parse_date(text: str) -> dt.date:
    """An ISO 8601 calendar date ``YYYY-MM-DD``.

    Raises
    ------
    ValueError
        When ``text`` is not of that form or not a real date (``2024-02-30``).
    """
    value = str(text).strip()
    if not _ISO_DATE.match(value):
        msg = f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)."
        raise ValueError(msg)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a real calendar date."
        raise ValueError(msg) from None


def format_date(day: dt.date | str, lang: i18n.Lang) -> str:
    """A date in the page language: ``2024年4月21日`` (zh) or ``21 Apr 2024`` (en).

    Written by hand, not with ``strftime``: month names from ``%b`` follow the process
    locale, which one Streamlit process shares between every user.
    """
    d = parse_date(day) if isinstance(day, str) else day
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


def format_date_range(start: dt.date | str, end: dt.date | str, lang: i18n.Lang) -> str:
    """An edition's dates in the page language: one date, or ``start – end``."""
    a = parse_date(start) if isinstance(start, str) else start
    b = parse_date(end) if isinstance(end, str) else end
    if a == b:
        return format_date(a, lang)
    return i18n.tr("events.date_range", lang, start=format_date(a, lang), end=format_date(b, lang))


# ----------------------------------------------------------------------------- rows


def read_rows(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The rows of an events CSV as strings (empty cells stay empty)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [{str(k): str(v) for k, v in row.items()} for row in table.to_dict("records")]


def _refs(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def parse_rows(rows: Iterable[Mapping[str, str]], *, file_name: str = INPUT_FILE) -> list[EventRow]:
    """Check every row and return them as :class:`EventRow`, sorted by start date, end date and id.

    Raises
    ------
    DataValidationError
        Listing every problem of every row, each naming the file, line and id.
    """
    out: list[EventRow] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for i, row in enumerate(rows):
        fid = str(row.get("id", "")).strip()
        where = f"{file_name} line {i + 2}" + (f" ({fid})" if fid else "")
        row_problems = [
            f"{where}: '{key}' is empty." for key in REQUIRED if not str(row.get(key, "")).strip()
        ]
        if fid in seen:
            row_problems.append(f"{where}: the id '{fid}' is already used by {seen[fid]}.")
        seen.setdefault(fid, where)
        kind = str(row.get("kind", "")).strip()
        if kind and kind not in KINDS:
            row_problems.append(
                f"{where}: unknown kind '{kind}'; expected one of {', '.join(KINDS)}."
            )
        dates: dict[str, dt.date] = {}
        for key in ("start_date", "end_date"):
            text = str(row.get(key, "")).strip()
            if text:
                try:
                    dates[key] = parse_date(text)
                except ValueError as exc:
                    row_problems.append(f"{where}: {key} {exc}")
        if len(dates) == 2 and dates["end_date"] < dates["start_date"]:
            row_problems.append(
                f"{where}: end_date {dates['end_date']} is before start_date {dates['start_date']}."
            )
        accuracy_m = _number(row, "accuracy_m", where, row_problems, positive=False)
        status = str(row.get("status", "")).strip() or "indicative"
        if status not in STATUSES:
            row_problems.append(f"{where}: unknown status '{status}'.")
        geometry = str(row.get("geometry", "")).strip()
        venue = str(row.get("venue", "")).strip()
        start, finish = str(row.get("start", "")).strip(), str(row.get("finish", "")).strip()
        if geometry == "venue" and not venue:
            row_problems.append(f"{where}: a venue needs 'venue' (a place id or 'lat,lon').")
        elif geometry == "course" and not (start and finish):
            row_problems.append(f"{where}: a course needs both 'start' and 'finish'.")
        elif geometry not in GEOMETRIES:
            row_problems.append(
                f"{where}: unknown geometry '{geometry}'; expected venue or course."
            )
        water_m = None
        if str(row.get("water_stations_every_m", "")).strip():
            water_m = _number(row, "water_stations_every_m", where, row_problems, positive=True)
            if not str(row.get("water_stations_source", "")).strip():
                row_problems.append(
                    f"{where}: water stations need 'water_stations_source' (none without one)."
                )
        problems += row_problems
        if row_problems:
            continue
        out.append(
            EventRow(
                where=where,
                id=fid,
                name_en=str(row["name_en"]).strip(),
                name_zh=str(row["name_zh"]).strip(),
                kind=kind,
                start_date=dates["start_date"],
                end_date=dates["end_date"],
                status=status,
                accuracy_m=float(accuracy_m or 0.0),
                source=str(row["source"]).strip(),
                geometry=geometry,
                venue=venue,
                start=start,
                waypoints=_refs(str(row.get("waypoints", ""))),
                finish=finish,
                water_stations_every_m=water_m,
                water_stations_source=str(row.get("water_stations_source", "")).strip() or None,
            )
        )
    if problems:
        raise DataValidationError(problems, summary=f"{len(problems)} problem(s) in {file_name}")
    return sorted(out, key=lambda r: (r.start_date, r.end_date, r.id))


def _number(
    row: Mapping[str, str], key: str, where: str, problems: list[str], *, positive: bool
) -> float | None:
    text = str(row.get(key, "")).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{where}: {key} {text!r} is not a number.")
        return None
    if value != value or value < 0 or (positive and value == 0):
        sign = "positive" if positive else "non-negative"
        problems.append(f"{where}: {key} {text!r} must be a {sign} number.")
        return None
    return value


# --------------------------------------------------------------------------- courses


@dataclass(frozen=True)
class Course:
    """A course drawn along the route network.

    ``path`` is WGS-84 lon/lat from the start's route point to the finish's;
    ``offsets_m`` pairs each named place (start, waypoints, finish) with its
    distance to the route, metres.
    """

    path: LineString
    along_route_m: float
    offsets_m: tuple[tuple[str, float], ...]
    bridges: tuple[str, ...]


def draw_course(refs: Sequence[str], *, atlas: layers.Atlas, network: RouteNetwork) -> Course:
    """The path along the route from ``refs[0]`` through each ref to ``refs[-1]``.

    Parameters
    ----------
    refs
        Place ids of the atlas (stations, sites, bridges, parks) or ``"lat,lon"``.
    atlas, network
        Where the places are and the route network to walk (its public API only:
        :meth:`RouteNetwork.measure` between consecutive places).

    Raises
    ------
    PlaceNotFoundError, RouteError
        A ref that names no place; two places not joined by the route.
    """
    stops = [places.resolve_place(ref, atlas) for ref in refs]
    coords: list[tuple[float, float]] = []
    along_m = 0.0
    crossed: list[str] = []
    offsets: list[tuple[str, float]] = []
    for k, (a, b) in enumerate(itertools.pairwise(stops)):
        leg = network.measure(a, b)
        if k == 0:
            offsets.append((refs[0], leg.start.offset_m))
        offsets.append((refs[k + 1], leg.end.offset_m))
        along_m += leg.along_route_m
        crossed += leg.bridges
        leg_coords = [(float(x), float(y)) for x, y, *_ in leg.path.coords]
        coords += leg_coords[1:] if coords and coords[-1] == leg_coords[0] else leg_coords
    if len(coords) < 2:
        coords = coords * 2
    return Course(LineString(coords), along_m, tuple(offsets), tuple(crossed))


def course_problems(row: EventRow, course: Course) -> list[str]:
    """Places of a course further from the route than the row's ``accuracy_m``."""
    return [
        f"{row.where}: '{ref}' is {offset:.0f} m from the route, more than the course's "
        f"accuracy_m {row.accuracy_m:g}: the course leaves the route."
        for ref, offset in course.offsets_m
        if offset > row.accuracy_m
    ]


def course_texts(event: Mapping[str, Any], *, lang: i18n.Lang) -> tuple[str, str, str]:
    """A course's length along the route, why it is shorter than the race, and its water
    stations, as plain text in ``lang`` (escape before HTML or Markdown).

    The one wording for the map's card and the page's panel.
    """
    along_m = float(event["along_route_m"])
    length = i18n.tr("events.along_route", lang, km=f"{along_m / 1000:.2f}")
    shorter = i18n.tr("events.shorter", lang, diff=f"{(HALF_MARATHON_M - along_m) / 1000:.2f}")
    every = event.get("water_stations_every_m")
    if every is None or not math.isfinite(float(every)):  # none sourced
        water = i18n.tr("events.no_water_stations", lang)
    else:
        water = i18n.tr("events.water_every", lang, km=f"{float(every) / 1000:g}")
    return length, shorter, water


def length_note(along_route_m: float) -> str:
    """Why a course drawn on the route differs from the race's 21.0975 km."""
    diff_m = HALF_MARATHON_M - along_route_m
    return (
        f"Drawn along the route network: {along_route_m / 1000:.2f} km, "
        f"{abs(diff_m) / 1000:.2f} km {'shorter' if diff_m >= 0 else 'longer'} than the "
        "race's 21.0975 km: the race also runs on streets away from the bank paths "
        "(and its exact line is not published), so only the places it passes are drawn, "
        "joined by the shortest way along the route"
    )


def build_features(
    rows: Sequence[EventRow],
    *,
    atlas: layers.Atlas,
    network: RouteNetwork,
    file_name: str = INPUT_FILE,
) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """The layer's features (WGS-84 geometry) for checked rows, in row order.

    Raises
    ------
    DataValidationError
        Listing every unresolvable place, unconnected course and course that leaves
        the route by more than its ``accuracy_m``, each naming its row.
    """
    out: list[tuple[dict[str, Any], shapely.Geometry]] = []
    problems: list[str] = []
    for row in rows:
        along_m: float | None = None
        note: str | None = None
        refs = [row.venue] if row.geometry == "venue" else [row.start, *row.waypoints, row.finish]
        try:
            if row.geometry == "venue":
                place = places.resolve_place(row.venue, atlas)
                geom: shapely.Geometry = Point(place.lonlat)
            else:
                course = draw_course(refs, atlas=atlas, network=network)
                problems += course_problems(row, course)
                geom = course.path
                along_m = round(course.along_route_m, 1)
                note = length_note(course.along_route_m)
        except (PlaceNotFoundError, RouteError) as exc:
            problems.append(f"{row.where}: {exc}")
            continue
        props = {
            "id": row.id,
            "name_en": row.name_en,
            "name_zh": row.name_zh,
            "status": row.status,
            "source": row.source,
            "accuracy_m": row.accuracy_m,
            "kind": row.kind,
            "start_date": row.start_date.isoformat(),
            "end_date": row.end_date.isoformat(),
            "geometry_kind": row.geometry,
            "places": ";".join(refs),
            "along_route_m": along_m,
            "length_note": note,
            "water_stations_every_m": row.water_stations_every_m,
            "water_stations_source": row.water_stations_source,
        }
        out.append((props, geom))
    if problems:
        raise DataValidationError(problems, summary=f"{len(problems)} problem(s) in {file_name}")
    return out


# ----------------------------------------------------------------- the layer at run time


def load_events(data_dir: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """The ``events`` layer, validated against the folder's datapackage, sorted.

    Raises
    ------
    DataValidationError
        When the file breaks its schema (see :func:`putuo_geo.layers.load_layer`).
    """
    return sort_events(layers.load_layer(LAYER, data_dir=data_dir))


def sort_events(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Editions by start date, then end date, then id (ISO dates sort as text)."""
    return events.sort_values(["start_date", "end_date", "id"], kind="stable").reset_index(
        drop=True
    )


def filter_events(
    events: gpd.GeoDataFrame,
    *,
    kinds: Iterable[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> gpd.GeoDataFrame:
    """Editions of ``kinds`` (all when None) that overlap ``[date_from, date_to]``.

    Either bound may be None (open). An edition overlaps when it ends on or after
    ``date_from`` and starts on or before ``date_to``.

    Raises
    ------
    ValueError
        When ``date_to`` is before ``date_from``.
    """
    if date_from is not None and date_to is not None and date_to < date_from:
        msg = f"the range ends ({date_to}) before it starts ({date_from})."
        raise ValueError(msg)
    keep = pd.Series(True, index=events.index)
    if kinds is not None:
        keep &= events["kind"].isin(list(kinds))
    if date_from is not None:
        keep &= events["end_date"] >= date_from.isoformat()
    if date_to is not None:
        keep &= events["start_date"] <= date_to.isoformat()
    return sort_events(events[keep])


def upcoming_and_past(
    events: gpd.GeoDataFrame,
    *,
    today: dt.date,
    kinds: Iterable[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Filtered editions split at ``today``: upcoming (soonest first), past (latest first).

    An edition still running on ``today`` (ends on or after it) counts as upcoming.
    """
    chosen = filter_events(events, kinds=kinds, date_from=date_from, date_to=date_to)
    ahead = chosen["end_date"] >= today.isoformat()
    past = chosen[~ahead].iloc[::-1].reset_index(drop=True)
    return chosen[ahead].reset_index(drop=True), past


def events_json(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """JSON-ready editions: the layer's fields, plus ``along_route_m`` for a course."""
    out = []
    for row in sort_events(events).to_dict("records"):
        item = {
            key: row[key]
            for key in ("id", "name_en", "name_zh", "kind", "start_date", "end_date", "source")
        }
        if row.get("geometry_kind") == "course":
            item["along_route_m"] = float(row["along_route_m"])
        out.append(item)
    return out


@dataclass(frozen=True)
class CourseMap:
    """What the map draws for a course (WGS-84 lon/lat throughout).

    ``km_markers`` and ``water_stations`` are ``(distance_m, (lon, lat))`` along the
    drawn path; ``water_note`` says where the stations come from, or why there are none.
    """

    id: str
    path_lonlat: list[tuple[float, float]]
    along_route_m: float
    length_note: str
    km_markers: list[tuple[float, tuple[float, float]]]
    water_stations: list[tuple[float, tuple[float, float]]]
    water_note: str


def course_map(event: Mapping[str, Any], geometry: shapely.Geometry) -> CourseMap:
    """Path, km markers and water stations of one course edition.

    Parameters
    ----------
    event
        The edition's properties (a row of :func:`load_events`).
    geometry
        Its LineString, WGS-84 lon/lat.

    Raises
    ------
    ValueError
        When the edition is not a course.
    """
    if event.get("geometry_kind") != "course" or geometry.geom_type != "LineString":
        msg = f"event '{event.get('id')}' is not a course."
        raise ValueError(msg)
    metric = crs.geometry_to_metric(geometry)
    length_m = float(metric.length)

    def marks(spacing_m: float) -> list[tuple[float, tuple[float, float]]]:
        at = [spacing_m * k for k in range(1, int(length_m // spacing_m) + 1)]
        if not at:
            return []
        lonlat = crs.metric_to_lonlat([metric.interpolate(d).coords[0] for d in at])
        return [(d, (float(lon), float(lat))) for d, (lon, lat) in zip(at, lonlat, strict=True)]

    every = event.get("water_stations_every_m")
    if every is not None and every == every:
        water = marks(float(every))
        water_note = (
            f"Every {float(every) / 1000:g} km along the drawn course, as the source says of "
            f"the race ({event.get('water_stations_source')}); positions indicative: the "
            "race's own line is not published"
        )
    else:
        water = []
        water_note = "No source places this edition's water stations, so none are shown"
    return CourseMap(
        id=str(event["id"]),
        path_lonlat=[(float(x), float(y)) for x, y, *_ in geometry.coords],
        along_route_m=float(event["along_route_m"]),
        length_note=str(event.get("length_note") or length_note(float(event["along_route_m"]))),
        km_markers=marks(KM_MARKER_SPACING_M),
        water_stations=water,
        water_note=water_note,
    )
