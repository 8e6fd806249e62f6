"""The planner view's page state and text, without Streamlit (issue 14, items 1-3 and 5).

``panels/planner.py`` lays out the widgets; this module decides what they hold, so it
is unit-tested without a browser (``tests/test_planner_page.py``). Every function takes
the session state as a plain mutable mapping (``st.session_state`` on the page).

Candidates live in the session only, as the points the user gave (WGS-84 lon, lat) with
their names and row labels (:data:`CANDIDATES_KEY`); they are joined to the route again
on every run by :meth:`putuo_geo.coverage.CoverageModel.candidates`, which checks them
(outside Putuo, off the route, duplicates). A refused point is never kept: its problems
wait under :data:`PROBLEMS_KEY` as catalogue keys and fields, shown in the page's
language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from putuo_geo import coverage, display, i18n, latlon, page
from putuo_geo.i18n import Lang, tr
from putuo_geo.safety import escape_markdown

State = page.State
LonLat = tuple[float, float]

#: The candidates given so far: dicts ``lonlat`` (WGS-84), ``name_en``, ``name_zh``,
#: ``row`` (``None`` for a click: its row label is made in the page's language).
CANDIDATES_KEY = page.PLANNER_CANDIDATES_KEY
#: The last refused candidates: ``[(catalogue key, fields), ...]``.
PROBLEMS_KEY = "planner_problems"
#: Walking speeds offered (km/h): the usual pace first, then older walkers'.
SPEEDS_KMH: tuple[float, ...] = (coverage.DEFAULT_SPEED_KMH, 4.0)
#: The time limit's slider (minutes): the bands stay 5/10/15 whatever it is.
MINUTES_RANGE: tuple[int, int, int] = (5, 30, 5)
#: Most candidate stations at once (clicks and uploads together). Each runs one
#: Dijkstra per change of candidates or setting (issue 23: 576 from one upload took
#: 2.5-3.4 s a rerun and doubled another visitor's); a planner weighs a handful.
MAX_CANDIDATES = 50
#: The controls' session keys: walking speed, time limit, the station whose reach is drawn.
SPEED_KEY, MINUTES_KEY = page.PLANNER_SPEED_KEY, page.PLANNER_MINUTES_KEY
REACH_KEY = page.PLANNER_REACH_KEY


@dataclass(frozen=True)
class PlannerValues:
    """What the planner's controls hold this run, read before they are drawn."""

    speed_kmh: float
    minutes: int
    reach_id: str  # "" for none


def planner_values(state: State, *, station_ids: Sequence[str]) -> PlannerValues:
    """Give the planner's controls their defaults, then read them.

    The controls are drawn after the map, like the rest of the sidebar (see
    :class:`putuo_geo.page.SidebarValues`). Defaults: the first of :data:`SPEEDS_KMH`,
    :data:`putuo_geo.coverage.DEFAULT_MINUTES`, no reach. A station no longer offered
    falls back to none; a label left by a language switch to the last good value
    (:func:`putuo_geo.page.keep_choices`), any other speed not offered to the first; the
    minutes to the slider's steps (:func:`snap_minutes`). Each value read is one the
    controls offer: the planner's caches are keyed on them (issue 23).
    """
    ids = ["", *station_ids]
    page.keep_choices(state, {SPEED_KEY: list(SPEEDS_KMH), REACH_KEY: ids})
    # A widget's value arrives over a websocket any client can write to: a speed that is
    # not offered ("fast") or a time that is not a number falls back to the default,
    # with one log line, before any float() (issue 23 §4).
    kmh = state.setdefault(SPEED_KEY, SPEEDS_KMH[0])
    if kmh not in SPEEDS_KMH or isinstance(kmh, bool):  # never offered: each a new cache key
        latlon.log_refused("planner speed", kmh)
        kmh = state[SPEED_KEY] = SPEEDS_KMH[0]
    minutes = state.setdefault(MINUTES_KEY, int(coverage.DEFAULT_MINUTES))
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes != minutes:
        latlon.log_refused("planner minutes", minutes)  # not a number (NaN != NaN)
        minutes = int(coverage.DEFAULT_MINUTES)
    # Off the slider's step or range (a crafted value): each would be a new key of the
    # planner's small cache, so it goes to the nearest step.
    minutes = state[MINUTES_KEY] = snap_minutes(minutes)
    if state.setdefault(REACH_KEY, "") not in ids:
        state[REACH_KEY] = ""
    return PlannerValues(speed_kmh=kmh, minutes=minutes, reach_id=state[REACH_KEY])


def snap_minutes(value: Any) -> int:
    """The slider's value on its range and step (:data:`MINUTES_RANGE`).

    A crafted message can set the slider to any number (``7.3``, ``1e9``): each one is a
    new key of the planner's caches, and a session sending a new one per run would
    defeat them. Off-step values go to the nearest step, out-of-range ones to the
    nearest end; anything not a finite number to the default.

    >>> snap_minutes(7.3), snap_minutes(8), snap_minutes(1e9), snap_minutes("x")
    (5, 10, 30, 15)
    """
    low, high, step = MINUTES_RANGE
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not math.isfinite(number):
        return int(coverage.DEFAULT_MINUTES)
    snapped = low + step * round((min(max(number, low), high) - low) / step)
    return int(min(max(snapped, low), high))


def _points(state: State) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = state.setdefault(CANDIDATES_KEY, [])
    return points


def _rows(points: Sequence[Mapping[str, Any]], lang: Lang) -> list[str]:
    return [p["row"] or tr("planpanel.click_row", lang, number=i + 1) for i, p in enumerate(points)]


def _join(
    model: coverage.CoverageModel,
    points: Sequence[Mapping[str, Any]],
    *,
    stations: Sequence[coverage.Site],
    lang: Lang,
) -> tuple[coverage.Site, ...]:
    return model.candidates(
        [p["lonlat"] for p in points],
        existing=stations,
        names_en=[p["name_en"] for p in points],
        names_zh=[p["name_zh"] for p in points],
        rows=_rows(points, lang),
    )


def current_candidates(
    state: State,
    model: coverage.CoverageModel,
    *,
    stations: Sequence[coverage.Site],
    lang: Lang,
) -> tuple[coverage.Site, ...]:
    """This session's candidates joined to the route (after any new click is tried).

    A click waiting under :data:`putuo_geo.page.CANDIDATE_CLICK_KEY` is tried first
    (:func:`take_candidate_click`). Should the kept points stop fitting (the data
    folder changed under the session), they are all dropped and their problems shown.
    """
    take_candidate_click(state, model, stations=stations, lang=lang)
    points = _points(state)
    if not points:
        return ()
    try:
        return _join(model, points, stations=stations, lang=lang)
    except coverage.CandidateError as exc:
        state[PROBLEMS_KEY] = exc.issues
        points.clear()
        return ()


def take_candidate_click(
    state: State,
    model: coverage.CoverageModel,
    *,
    stations: Sequence[coverage.Site],
    lang: Lang,
) -> bool:
    """Add the waiting map click (WGS-84) as a candidate if the library accepts it.

    Returns whether one was added. A refused click leaves the candidates as they were
    and its problems under :data:`PROBLEMS_KEY`.
    """
    lonlat = state.pop(page.CANDIDATE_CLICK_KEY, None)
    if lonlat is None:
        return False
    return add_points(
        state,
        model,
        [
            {
                "lonlat": (float(lonlat[0]), float(lonlat[1])),
                "name_en": "",
                "name_zh": "",
                "row": None,
            }
        ],
        stations=stations,
        lang=lang,
    )


def add_points(
    state: State,
    model: coverage.CoverageModel,
    new: Sequence[Mapping[str, Any]],
    *,
    stations: Sequence[coverage.Site],
    lang: Lang,
) -> bool:
    """Append ``new`` points when all of them (with the kept ones) pass; else none.

    More than :data:`MAX_CANDIDATES` in all is refused before anything is joined.
    """
    points = _points(state)
    if len(points) + len(new) > MAX_CANDIDATES:
        fields = {"count": f"{len(new):,}", "kept": len(points), "max": MAX_CANDIDATES}
        state[PROBLEMS_KEY] = [("planner.problem.too_many", fields)]
        return False
    try:
        _join(model, [*points, *new], stations=stations, lang=lang)
    except coverage.CandidateError as exc:
        state[PROBLEMS_KEY] = exc.issues
        return False
    points.extend(dict(p) for p in new)
    state[PROBLEMS_KEY] = []
    return True


def add_upload(
    state: State,
    model: coverage.CoverageModel,
    frame: gpd.GeoDataFrame,
    *,
    stations: Sequence[coverage.Site],
    file_name: str,
    lang: Lang,
) -> bool:
    """Button callback: the uploaded layer's points (WGS-84) as candidates, all or none.

    Rows are named as :meth:`~putuo_geo.coverage.CoverageModel.candidates_from_frame`
    names them (file, row number, name).
    """
    pts = frame.geometry.to_crs("EPSG:4326")
    n = len(frame)
    en = [i18n.plain(v) for v in frame.get("name_en", pd.Series([""] * n))]
    zh = [i18n.plain(v) for v in frame.get("name_zh", pd.Series([""] * n))]
    prefix = f"{file_name}: " if file_name else ""
    new = [
        {
            "lonlat": (float(x), float(y)),
            "name_en": e,
            "name_zh": z,
            "row": f"{prefix}row {i + 1}" + (f" ({e})" if e else ""),
        }
        for i, (x, y, e, z) in enumerate(zip(pts.x, pts.y, en, zh, strict=True))
    ]
    return add_points(state, model, new, stations=stations, lang=lang)


def clear_candidates(state: State) -> None:
    """Button callback: no candidates, no problems."""
    state[CANDIDATES_KEY] = []
    state[PROBLEMS_KEY] = []
    state.pop(page.CANDIDATE_CLICK_KEY, None)


def problems(state: State, *, lang: Lang) -> list[str]:
    """The last refused candidates' problems in ``lang`` (each names its row)."""
    return [tr(key, lang, **fields) for key, fields in state.get(PROBLEMS_KEY) or []]


def problems_markdown(state: State, *, lang: Lang) -> str | None:
    """:func:`problems` under a header, as Markdown bullets; ``None`` when there are none."""
    found = problems(state, lang=lang)
    if not found:
        return None
    header = tr("planpanel.problems", lang, count=len(found))
    return page.problems_markdown(header, found)


# ------------------------------------------------------------------ text and tables


def speed_label(kmh: float, *, lang: Lang) -> str:
    """``5 km/h`` (the radio's label of a speed)."""
    return tr("planpanel.speed_option", lang, kmh=f"{kmh:g}")


def bands_table(
    cov: coverage.Coverage, ranges: Mapping[str, Any] | None, *, lang: Lang
) -> pd.DataFrame:
    """Share of the route per band (nearest first), with its range when known."""
    labels = coverage.band_legend(lang, cov.band_minutes)
    shares = cov.summary()["bands"]
    rows = []
    for key, label in zip(cov.labels, labels, strict=True):
        r = (ranges or {}).get("bands", {}).get(key)
        rows.append(
            {
                tr("planpanel.col.band", lang): label,
                tr("planpanel.col.share", lang): f"{shares[key]:.1%}",
                tr("planpanel.col.range", lang): (
                    f"{r['min']:.1%} – {r['max']:.1%}" if r and r["min"] is not None else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def feature_names(atlas: Any, sites: Iterable[coverage.Site], *, lang: Lang) -> dict[str, str]:
    """Ids -> names in ``lang`` of the planner's stations and candidates (``sites``) and of
    the atlas's bridges: what the tables and sentences show instead of ``st-11``."""
    names = {
        str(fid): i18n.name(en, zh, lang, both=False)
        for fid, en, zh in zip(
            atlas.bridges["id"], atlas.bridges["name_en"], atlas.bridges["name_zh"], strict=True
        )
    }
    names.update({s.id: i18n.name(s.name_en, s.name_zh, lang, both=False) for s in sites})
    return names


def spacing_table(
    figures: Mapping[str, Any], *, lang: Lang, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Consecutive stations per bank and the along-route distance between them.

    ``names`` (:func:`feature_names`) turns the stations' ids into names.
    """
    names = names or {}
    rows = []
    for bank, gaps in figures["spacing"].items():
        for g in gaps:
            rows.append(
                {
                    tr("planpanel.col.bank", lang): i18n.value("bank", bank, lang),
                    tr("planpanel.col.from", lang): names.get(g["from_id"], g["from_id"]),
                    tr("planpanel.col.to", lang): names.get(g["to_id"], g["to_id"]),
                    tr("planpanel.col.from_chainage", lang): display.format_chainage(
                        g["from_chainage_m"]
                    ),
                    tr("planpanel.col.to_chainage", lang): display.format_chainage(
                        g["to_chainage_m"]
                    ),
                    tr("planpanel.col.spacing", lang): display.format_length(g["along_route_m"]),
                }
            )
    return pd.DataFrame(rows)


def reach_text(reach: coverage.Reach, *, lang: Lang, names: Mapping[str, str] | None = None) -> str:
    """The reach's summary sentence (length, minutes, bridges by name, sites inside)."""
    fig = reach.figures()
    names = names or {}
    sep = "、" if lang == "zh" else ", "
    return tr(
        "planner.reach_summary",
        lang,
        length=display.format_length(reach.length_m),
        minutes=f"{reach.minutes:g}",
        bridges=escape_markdown(sep.join(names.get(b, b) for b in fig["bridges"]) or "0"),
        count=len(reach.sites),
    )


def reach_sites_table(reach: coverage.Reach, *, lang: Lang) -> pd.DataFrame:
    """The sites inside the reach, nearest first."""
    return pd.DataFrame(
        {
            tr("planpanel.col.site", lang): [
                i18n.name(en, zh, lang)
                for en, zh in zip(reach.sites["name_en"], reach.sites["name_zh"], strict=True)
            ],
            tr("planpanel.col.walk", lang): [
                display.format_length(w) for w in reach.sites["walk_m"]
            ],
            tr("planpanel.col.minutes", lang): [f"{m:.1f}" for m in reach.sites["minutes"]],
        }
    )


@dataclass(frozen=True)
class WhatIfText:
    """The what-if section's text: before, after (Markdown lines) and one per candidate."""

    before: list[str]
    after: list[str]
    per_candidate: list[str]


def what_if_text(
    what: coverage.WhatIf,
    ranges: Mapping[str, Any] | None,
    *,
    lang: Lang,
    today: Mapping[str, Any] | None = None,
) -> WhatIfText:
    """Before (with today's ranges) and after (exact) figures, and each candidate's effect.

    The indicative-positions warning (line 0 of :func:`putuo_geo.coverage.describe`) is
    shown once at the top of the planner, so it is left out here. ``today``: the
    before figures when already at hand (``what.before.figures()``; not recomputed).
    """
    today = today if today is not None else what.before.figures()
    before = coverage.describe(today, ranges, lang)
    after = coverage.describe(what.after.figures(), None, lang)
    if today.get("indicative_stations"):
        before, after = before[1:], after[1:]
    minutes = what.before.minutes
    per = [coverage.describe_candidate(c, minutes, lang) for c in what.candidates]
    return WhatIfText(before=before, after=after, per_candidate=per)


def candidates_csv(
    model: coverage.CoverageModel, candidates: Sequence[coverage.Site], *, date: str
) -> page.Download:
    """The candidates as a CSV in the format of ``geo/inputs/stations.csv`` (made on click)."""
    chosen = tuple(candidates)
    return page.Download(
        "planner.download_csv",
        lambda: model.stations_csv(chosen, date=date),
        "candidate_stations.csv",
        page.CSV_MIME,
    )
