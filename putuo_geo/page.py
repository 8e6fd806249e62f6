"""The map page's state, without Streamlit: what ``app.py`` keeps between reruns.

``app.py`` lays out widgets; this module decides what they hold. Every function takes
the session state as a plain mutable mapping (``st.session_state`` on the page, a
``dict`` in the tests), so the page's logic is unit-tested without a browser
(``tests/test_page.py``):

- the places a measurement can start or end at, and their key protocol
  (``station:<id>``, ``site:<id>``, ``upload:<id>``, ``point:from``/``point:to``);
- the map-click state machine (nearest point, FROM then TO, or, while the planner view
  is on, a candidate station: :func:`click_modes`);
- the uploaded layer, parsed once per file content and datum;
- the permalink: restored once per session, written back on every run;
- the language switch, which must not reset the widgets (:func:`relabel`);
- the events panel: its filters, the editions it lists and the one it shows on the map.

Widget values are stable keys (basemap key, category code, place key, mode key); only
the labels shown for them (``format_func``) change with the language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from putuo_geo import (
    checks,
    config,
    coordinput,
    crs,
    datum,
    display,
    doubt,
    errors,
    events,
    exports,
    i18n,
    latlon,
    layers,
    mapcontrols,
    network,
    overview,
    permalink,
    places,
    safety,
    tables,
    typedtext,
    uploads,
    whereami,
)
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas

State = MutableMapping[str, Any]
LonLat = tuple[float, float]

#: The map widget's key (streamlit-folium stores its last return value under it).
MAP_KEY = "map"
CLICK_MODES: tuple[str, ...] = ("nearest", "from_to")
#: The click mode the planner view adds (offered only while it is on: :func:`click_modes`).
CANDIDATE_MODE = "candidate"
#: The planner toggle's key, and where a new click in candidate mode waits (WGS-84
#: lon, lat) for the planner to try it (``putuo_geo.planner_page.take_candidate_click``).
PLANNER_KEY = "planner_on"
CANDIDATE_CLICK_KEY = "candidate_click"
#: The planner's controls and candidates (``putuo_geo.planner_page`` reads them); named
#: here because the link writes and restores them too.
PLANNER_SPEED_KEY, PLANNER_MINUTES_KEY = "planner_speed", "planner_minutes"
PLANNER_REACH_KEY, PLANNER_CANDIDATES_KEY = "planner_reach", "planner_candidates"
INPUT_DATUMS: tuple[datum.Datum, ...] = ("gcj02", "bd09", "wgs84")
ENDS: tuple[str, ...] = ("from", "to")
#: The search box's length cap (a link's ``q`` is cut to the same length).
QUERY_CHARS = permalink.MAX_QUERY_CHARS

#: Widgets whose option labels change with the language (their values do not).
LABELLED_KEYS: tuple[str, ...] = (
    "categories",
    "upload_datum",
    "measure_from",
    "measure_to",
    "click_mode",
    "coord_order",
    "coord_datum",
    "basemap_key",
)
#: The events panel's labelled widgets: relabelled with the others; their options are
#: kept by :func:`event_view` (the editions come from the events layer).
EVENT_LABELLED_KEYS: tuple[str, ...] = ("event_kinds", "event")


#: The planner's labelled controls (``putuo_geo.planner_page.SPEED_KEY`` and ``REACH_KEY``:
#: planner_page builds on this module, so the names are written here).
PLANNER_LABELLED_KEYS: tuple[str, ...] = ("planner_speed", "planner_reach")

#: Expanders that are built only while open (below the map and in the sidebar: your
#: layer, typed coordinates, the events panel); their labels change with the language
#: too, and a new label would close them (issue 23 §6).
OPEN_KEYS: tuple[str, ...] = (
    "tables_open",
    "share_open",
    "export_open",
    "upload_open",
    "coords_open",
    "events_open",
    "about_open",
)


def relabel(state: State) -> None:
    """Language radio callback: keep every labelled widget's value across the switch.

    Streamlit (1.5x+) sends a select widget's value to the browser as its *label*. When
    the language changes, the browser still holds the old label, finds it among none of
    the new ones and falls back to the default (the basemap went back to OpenStreetMap,
    FROM and TO to station 1). Reading each value here, before the widgets are drawn
    again, still decodes it with the old labels; writing it back makes Streamlit send it
    to the browser under its new label.
    """
    for key in (*LABELLED_KEYS, *EVENT_LABELLED_KEYS, *PLANNER_LABELLED_KEYS, *OPEN_KEYS):
        if key in state:
            state[key] = state[key]


def labelled_options(
    *, categories: Iterable[str], place_keys: Iterable[str], basemap_keys: Iterable[str]
) -> dict[str, list[Any]]:
    """What each widget of :data:`LABELLED_KEYS` offers now (for :func:`keep_choices`)."""
    places = list(place_keys)
    return {
        "categories": list(categories),
        "upload_datum": list(uploads.DATUM_LABELS),
        "measure_from": [None, *places],  # None: no end chosen (nothing measured)
        "measure_to": [None, *places],
        "click_mode": [*CLICK_MODES, CANDIDATE_MODE],
        "coord_order": list(coordinput.ORDERS),
        "coord_datum": list(INPUT_DATUMS),
        "basemap_key": list(basemap_keys),
    }


def keep_choices(state: State, options: Mapping[str, Iterable[Any]]) -> None:
    """Before the widgets: put back a labelled widget's last good value if it holds a label.

    :func:`relabel` covers an ordinary switch. But a rerun can start while the browser
    still shows the old labels (the map remounting in the new language asks for one
    at once); the browser then sends an old label, which the new labels do not decode
    and which Streamlit hands on as it is. ``options`` maps each labelled widget's key
    to the values it offers now; a value (or, for a multiselect, every item) among them
    is remembered, anything else is replaced by the last remembered value if that is
    still offered.
    """
    kept: dict[str, Any] = state.setdefault("kept_choices", {})
    for key, offered in options.items():
        allowed = list(offered)

        def good(value: Any, allowed: list[Any] = allowed) -> bool:
            if isinstance(value, list):
                return all(v in allowed for v in value)
            return value in allowed

        if key not in state:
            continue
        if good(state[key]):
            kept[key] = state[key]
        elif key in kept and good(kept[key]):
            state[key] = kept[key]


# ------------------------------------------------------------------ places


@dataclass(frozen=True)
class Choice:
    """One place a measurement can use: its label in the page's language and its point."""

    label: str
    lonlat: LonLat  # WGS-84 degrees, lon first


def point_key(end: str) -> str:
    """The place key of a point (click, typed or from a link) for ``end``."""
    return f"point:{end}"


def place_choices(atlas: Atlas, *, lang: Lang) -> dict[str, Choice]:
    """The atlas's places a measurement can start or end at, keyed by place key.

    Stations in route order, then sites (by category, then name). Coordinates come from
    :func:`putuo_geo.places.place_index`, the command's place resolver.
    """
    index = places.place_index(atlas, layers=("stations", "sites"))
    where: dict[tuple[str, str], LonLat] = {
        (layer, fid): (float(lon), float(lat))
        for layer, fid, lon, lat in zip(
            index["layer"], index["id"], index["lon"], index["lat"], strict=True
        )
    }
    choices: dict[str, Choice] = {}
    station: dict[Hashable, Any]
    nearby = overview.station_nearby(atlas)
    for station in overview.station_table(atlas).to_dict("records"):
        label = tr(
            "place.station",
            lang,
            number=station["number"],
            chainage=display.format_chainage(station["chainage_m"], decimals=1),
            near=_near_text(nearby, str(station["id"]), lang=lang),
        )
        choices[f"station:{station['id']}"] = Choice(label, where["stations", str(station["id"])])
    for row in overview.site_table(atlas.sites).itertuples():
        label = i18n.name(row.name_en, row.name_zh, lang)
        choices[f"site:{row.id}"] = Choice(label, where["sites", str(row.id)])
    return choices


#: Most of an upload's sites drawn on the map in one run, and offered as FROM/TO. Every
#: run sends what is drawn and every option to the browser: the largest accepted upload
#: (5,000 sites, 500-character names) sent 7.8-14 MB a run and slowed every other
#: visitor (issue 23). The table and the downloads keep every site.
MAX_UPLOAD_DRAWN = 500
MAX_UPLOAD_CHOICES = 100
#: Longest uploaded name drawn on the map or offered as FROM/TO (characters; an upload's
#: names may hold 500, sent again on every run). The table and downloads keep them whole.
MAX_SHOWN_NAME_CHARS = 80


def clip_name(text: Any) -> str:
    """``text`` cut to :data:`MAX_SHOWN_NAME_CHARS`, an ellipsis showing the cut.

    >>> clip_name("Cafe"), len(clip_name("x" * 500)), clip_name("x" * 500)[-1]
    ('Cafe', 80, '…')
    """
    plain = i18n.plain(text)
    if len(plain) <= MAX_SHOWN_NAME_CHARS:
        return plain
    return f"{plain[: MAX_SHOWN_NAME_CHARS - 1]}…"


def upload_on_map(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The uploaded sites drawn this run: the first :data:`MAX_UPLOAD_DRAWN` of ``frame``,
    their names cut to :data:`MAX_SHOWN_NAME_CHARS` (a copy: ``frame`` is unchanged)."""
    drawn = frame.iloc[:MAX_UPLOAD_DRAWN].copy()
    for column in ("name_en", "name_zh"):
        if column in drawn:
            drawn[column] = [clip_name(v) for v in drawn[column]]
    return drawn


def upload_cap_notice(total: int, *, longest_name: int = 0, lang: Lang) -> Notice | None:
    """What the page says when an upload of ``total`` sites, whose longest name has
    ``longest_name`` characters, is drawn or offered in part (``None``: all of it)."""
    if total <= min(MAX_UPLOAD_DRAWN, MAX_UPLOAD_CHOICES) and (
        longest_name <= MAX_SHOWN_NAME_CHARS
    ):
        return None
    text = tr(
        "upload.capped",
        lang,
        total=f"{total:,}",
        drawn=f"{min(total, MAX_UPLOAD_DRAWN):,}",
        choices=f"{min(total, MAX_UPLOAD_CHOICES):,}",
        chars=MAX_SHOWN_NAME_CHARS,
    )
    return Notice("info", text)


#: A station within this distance (m) of a named feature is "by" it
#: (:func:`putuo_geo.overview.station_nearby`); farther, the label names none rather
#: than claim a neighbour it lacks.
BY_M = overview.NEARBY_M
_ABBREVIATIONS = ((" Road", " Rd"), (" South ", " S "), (" North ", " N "))


#: A bracketed aside in a name ("Zhenbei Road (Middle Ring Road) Bridge", "真北路（中环路）
#: 苏州河桥"): the name's card keeps it, a picker's label has no room for it.
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")


def _short_name(name_en: Any, name_zh: Any, lang: Lang) -> str:
    """A name short enough for a picker: the page language's alone, without a bracketed
    aside, English roads as Rd.

    >>> _short_name("Zhenbei Road (Middle Ring Road) Bridge", "", "en")
    'Zhenbei Rd Bridge'
    >>> _short_name("", "真北路（中环路）苏州河桥", "zh")
    '真北路苏州河桥'
    """
    name = i18n.name(name_en, name_zh, lang, both=False)
    name = _ASIDE.sub("", name).strip() or name
    if lang == "en":
        for long, short in _ABBREVIATIONS:
            name = name.replace(long, short)
    return name


def _near_text(nearby: Any, station_id: str, *, lang: Lang) -> str:
    """ " · by Wuning Rd Bridge" (" · 近武宁路桥"), or "" when nothing is within BY_M."""
    if station_id not in nearby.index or float(nearby.loc[station_id, "distance_m"]) > BY_M:
        return ""
    row = nearby.loc[station_id]
    return " · " + tr("place.by", lang, name=_short_name(row["name_en"], row["name_zh"], lang))


def session_choices(
    *,
    lang: Lang,
    user_frame: gpd.GeoDataFrame | None = None,
    points: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Choice]:
    """This session's own places, listed after the atlas's: uploaded sites, then points.

    ``points`` maps ``"from"``/``"to"`` to ``{"lonlat": (lon, lat), "origin": "click" |
    "typed" | "point"}`` (WGS-84).
    """
    choices: dict[str, Choice] = {}
    if user_frame is not None:  # the first MAX_UPLOAD_CHOICES (notices() says so)
        for row in user_frame.iloc[:MAX_UPLOAD_CHOICES].itertuples():
            name = i18n.name(clip_name(row.name_en), clip_name(row.name_zh) or None, lang)
            choices[f"upload:{row.id}"] = Choice(
                tr("place.upload", lang, name=name), (row.geometry.x, row.geometry.y)
            )
    for end, point in (points or {}).items():
        lon, lat = point["lonlat"]
        label = tr(
            f"place.{point['origin']}",
            lang,
            letter="A" if end == "from" else "B",
            lat=f"{lat:.5f}",
            lon=f"{lon:.5f}",
        )
        choices[point_key(end)] = Choice(label, (lon, lat))
    return choices


@dataclass(frozen=True)
class SidebarValues:
    """What the sidebar's widgets hold this run, read before they are drawn.

    The map is the page's first element (Streamlit's browser code fetches each kind of
    element's script as the first one arrives, and the map's waited behind the
    sidebar's), so the map is composed from the widgets' keys in the session, and the
    widgets are drawn after it from the same keys.
    """

    categories: list[str]
    query: str
    from_key: str | None
    to_key: str | None
    basemap_key: str


def sidebar_values(
    state: State, *, categories: list[str], place_keys: list[str], basemap_keys: list[str]
) -> SidebarValues:
    """Give every sidebar widget that the map depends on its default, then read them.

    A first run has no widget values yet: these are the defaults the widgets would
    show (every category, no search, no FROM or TO: nothing is measured until the user
    asks, issue 24; the first basemap). A value that is no longer offered falls back:
    a removed place to none (:func:`settle_ends`), a basemap gone from the list to the
    first basemap.
    """
    state.setdefault("categories", list(categories))
    state.setdefault("query", "")
    settle_ends(state, place_keys)
    if state.get("basemap_key") not in basemap_keys:
        state["basemap_key"] = basemap_keys[0]
    return SidebarValues(
        categories=[c for c in state["categories"] if c in categories],
        query=typedtext.normalise(str(state["query"] or "")),
        from_key=state["measure_from"],
        to_key=state["measure_to"],
        basemap_key=state["basemap_key"],
    )


#: Where FROM and TO are kept (``{"from": key, "to": key}``): the sidebar's selects show
#: them and write them only through :func:`end_chosen`, when the user picks a place.
ENDS_KEY = "ends"


def set_end(state: State, end: str, key: str | None) -> None:
    """Make the place ``key`` (or none) the FROM or TO end, and its select show it."""
    state.setdefault(ENDS_KEY, {})[end] = key
    state[f"measure_{end}"] = key


def end_chosen(state: State, end: str) -> None:
    """FROM/TO select callback: the user picked a place there."""
    state.setdefault(ENDS_KEY, {})[end] = state.get(f"measure_{end}")


def show_all_categories(state: State, categories: list[str]) -> None:
    """The bar's "All" button: every category shown again (the chips' default)."""
    state["categories"] = list(categories)


def settle_ends(state: State, keys: list[str]) -> None:
    """Give FROM/TO their default (none: nothing is measured until the user asks), drop a
    key that no longer exists (a point or an upload may have gone), and show the kept
    ends in the selects.

    Why kept apart from the selects' own keys: a tap adds its point to the selects'
    options, which makes Streamlit a new widget; a run that starts before the browser
    has it (a second tap right after the first) got the old widget's value back, and
    FROM fell back to the first station (issue 24, seen in the browser test).
    """
    ends = state.setdefault(ENDS_KEY, {e: state.get(f"measure_{e}") for e in ENDS})
    for end in ENDS:
        if ends.get(end) not in keys:
            ends[end] = None
        if f"measure_{end}" not in state or state[f"measure_{end}"] != ends[end]:
            state[f"measure_{end}"] = ends[end]


def place_label(choices: Mapping[str, Choice], key: str | None) -> str:
    """The label of the place ``key`` ("" for no place or one no longer offered)."""
    return choices[key].label if key is not None and key in choices else ""


def use_point(state: State, end: str, lonlat: LonLat, *, origin: str = "typed") -> None:
    """Make ``lonlat`` (WGS-84) the FROM or TO end."""
    state.setdefault("points", {})[end] = {"lonlat": lonlat, "origin": origin}
    set_end(state, end, point_key(end))


# ------------------------------------------------------------------ map clicks and view


def take_map_return(state: State, returned: Mapping[str, Any] | None) -> LonLat | None:
    """Act on what the map returned last; the clicked point (WGS-84) or ``None``.

    The map reports clicks and its view in the datum it was drawn in
    (``state["shown_datum"]``, GCJ-02 on Amap): both are converted to WGS-84 here. A
    *new* click in ``candidate`` mode waits under :data:`CANDIDATE_CLICK_KEY` for the
    planner. While measuring, the map sends taps instead of clicks
    (:func:`putuo_geo.measuring.take_message`), and no clicked point is shown: ``None``.

    A click outside Shanghai is refused (every length is measured in UTM 51N, which is
    meaningless far away): it fills nothing, ``None`` is returned and
    ``state["click_problem"]`` holds the reason (the message typed coordinates give).
    """
    if returned is not None and not isinstance(returned, Mapping):
        latlon.log_refused("map return value", returned)
    returned = returned if isinstance(returned, Mapping) else {}
    shown: datum.Datum = state.get("shown_datum", "wgs84")
    state["click_problem"] = None
    click_lonlat: LonLat | None = None
    # Every value is checked before use (latlon.lonlat_from_map): a crafted one is
    # refused with one log line, never a float() traceback (issue 23 §4).
    raw = latlon.lonlat_from_map(returned.get("last_clicked"), what="map click")
    if raw is not None:
        click_lonlat = datum.convert_point(raw, src=shown, dst="wgs84")
        state["click_problem"] = latlon.point_problem(click_lonlat)
        if state["click_problem"] is not None:
            click_lonlat = None
        elif raw != state.get("seen_click"):
            state["seen_click"] = raw
            if state.get("click_mode") == CANDIDATE_MODE and state.get(PLANNER_KEY):
                state[CANDIDATE_CLICK_KEY] = click_lonlat
        if state.get("click_mode") == "from_to":
            click_lonlat = None  # measuring: taps set FROM/TO; no "nearest" marker
    on_feature = returned.get("last_object_clicked")
    if returned.get("last_object_clicked_tooltip") == mapcontrols.HERE_TAG:
        on_feature = None  # the located position (take_position), not a click
    if on_feature and state.get("click_mode") == CANDIDATE_MODE and state.get(PLANNER_KEY):
        # Leaflet gives a click on a drawn feature (the route, the creek, a zone: all of
        # the corridor a candidate must be in) to the feature, not to the map: the
        # feature click's point is the candidate then (see map_returns).
        raw = latlon.lonlat_from_map(on_feature, what="feature click")
        if raw is not None and raw != state.get("seen_object_click"):
            state["seen_object_click"] = raw
            click_lonlat = datum.convert_point(raw, src=shown, dst="wgs84")
            state[CANDIDATE_CLICK_KEY] = click_lonlat
    centre = latlon.lonlat_from_map(returned.get("center"), what="map centre")
    zoom = latlon.zoom_from_map(returned.get("zoom"))
    if centre is not None and zoom is not None:
        state["view"] = (datum.convert_point(centre, src=shown, dst="wgs84"), zoom)
    return click_lonlat


#: What the map sends back (streamlit-folium's ``returned_objects``).
#: No "center"/"zoom": they rerun the whole script on every pan (the view stays in the
#: browser, see :class:`putuo_geo.mapcontrols.ViewInUrl`). Feature clicks come back too:
#: a candidate is clicked on the route itself, and the located position arrives as one.
MAP_RETURNS: tuple[str, ...] = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_tooltip",
)


def map_returns(state: State) -> list[str]:
    """What the map sends back (:data:`MAP_RETURNS`, whatever the state).

    A click on a feature (route, creek, zone, site) opens its card and is not a map
    click in Leaflet; a candidate is clicked exactly there, and the located position
    comes back as a click on a hidden feature, so feature clicks are always returned.
    """
    return list(MAP_RETURNS)


def click_modes(state: State) -> list[str]:
    """The click modes offered now: ``candidate`` only while the planner view is on.

    A session left in ``candidate`` mode when the planner goes off is put back to
    ``nearest`` (the radio cannot hold a value it does not offer).
    """
    if state.get(PLANNER_KEY):
        return [*CLICK_MODES, CANDIDATE_MODE]
    if state.get("click_mode") == CANDIDATE_MODE:
        state["click_mode"] = CLICK_MODES[0]
    return list(CLICK_MODES)


def planner_switched(state: State) -> None:
    """Planner toggle callback: switching it on makes a map click add a candidate.

    The click-mode radio shows the change (and can be set back); switching the planner
    off leaves candidate mode for ``nearest``. A click waiting for the planner is dropped.
    """
    state.pop(CANDIDATE_CLICK_KEY, None)
    if state.get(PLANNER_KEY):
        state["click_mode"] = CANDIDATE_MODE
    elif state.get("click_mode") == CANDIDATE_MODE:
        state["click_mode"] = CLICK_MODES[0]


def take_position(state: State, returned: Mapping[str, Any] | None) -> LonLat | None:
    """The user's located position (WGS-84), kept in ``state["here"]``, or ``None``.

    It arrives only as the map's own return value (see :mod:`putuo_geo.mapcontrols`),
    in the drawn datum; it stays in the session (a later click on a feature replaces
    the map's last return value, not the position).

    A position outside Shanghai is checked like every other channel
    (:func:`putuo_geo.latlon.point_problem`): it is not kept (no "Where am I", no
    *Measure from here*: from Beijing that measured 1,064.69 km), and
    ``state["here_problem"]`` holds the message a click or typed point gets.
    """
    raw = mapcontrols.position_from(dict(returned) if isinstance(returned, Mapping) else None)
    if raw is not None:
        shown: datum.Datum = state.get("shown_datum", "wgs84")
        lonlat = datum.convert_point(raw, src=shown, dst="wgs84")
        state["here_problem"] = latlon.point_problem(lonlat)
        state["here"] = lonlat if state["here_problem"] is None else None
    here: LonLat | None = state.get("here")
    return here


def measure_from_here(state: State) -> None:
    """One tap: the located position becomes the FROM end ("My position").

    Only a position :func:`take_position` kept (inside Shanghai) is used.
    """
    here = state.get("here")
    if here is not None and latlon.point_problem(here) is None:
        use_point(state, "from", state["here"], origin=HERE_ORIGIN)


#: ``points[end]["origin"]`` of an end set from the located position.
HERE_ORIGIN = "here"


def where_lines(w: whereami.WhereAmI, *, lang: Lang) -> list[str]:
    """The "Where am I" panel as Markdown lines (names escaped), in ``lang``.

    The nearest route point, then per direction (upstream, downstream) the next
    station and the next walkable bridge with their along-route distances.
    """
    bank = i18n.value("bank", w.bank, lang) if w.bank else "–"
    chainage = display.format_km(w.chainage_m) if w.chainage_m is not None else "–"
    lines = [
        tr(
            "whereami.nearest",
            lang,
            distance=display.format_length(w.distance_m),
            chainage=chainage,
            bank=bank,
        )
    ]
    for way, station, bridge in (
        ("upstream", w.upstream_station, w.upstream_bridge),
        ("downstream", w.downstream_station, w.downstream_bridge),
    ):
        parts = []
        for kind, ahead in (("station", station), ("bridge", bridge)):
            if ahead is None:
                parts.append(tr(f"whereami.no_{kind}", lang))
                continue
            lm = ahead.landmark  # one name, in the page's language: short on a phone
            name = i18n.name(lm.name_en, lm.name_zh or None, lang, both=False)
            parts.append(
                tr(
                    f"whereami.next_{kind}",
                    lang,
                    name=safety.escape_markdown(name),
                    distance=display.format_length(ahead.along_route_m),
                )
            )
        lines.append(f"**{tr(f'whereami.{way}', lang)}**: " + "; ".join(parts))
    return lines


def carry_view(state: State, *, lang: str, basemap_key: str, draw_datum: datum.Datum) -> None:
    """The map remounts when its language or basemap changes: carry the view over."""
    identity = (lang, basemap_key)
    if state.get("map_identity") not in (None, identity) and state.get("view"):
        state["view_apply"] = state["view"]
    state["map_identity"] = identity
    state["shown_datum"] = draw_datum


# ------------------------------------------------------------------ the user's upload


def upload_key(source: tuple[str, bytes], *, datum_name: str) -> tuple[str, str, str]:
    """What decides an upload's parse: file name, content digest and datum."""
    name, data = source
    return name, hashlib.sha256(data).hexdigest(), datum_name


def take_upload(state: State) -> None:
    """File-uploader callback: copy the file into the session (tests set it directly)."""
    file = state.get("upload_file")
    # The file's name is cleaned at the boundary (a lone surrogate in it raised
    # UnicodeEncodeError on every later run: issue 23 §4).
    name = None if file is None else uploads.clean_file_name(str(file.name))
    state["upload_source"] = None if file is None else (name, file.getvalue())


def kept_upload_name(state: State) -> str | None:
    """The file the session keeps a layer from while the uploader shows none, or ``None``.

    The uploader is drawn only while its box is open: reopened, Streamlit draws a new,
    empty one, although the layer is still on the map (:func:`take_upload` copied it).
    The box then names the file and offers :func:`drop_upload`.
    """
    source = state.get("upload_source")
    if not source or state.get("upload_file") is not None:
        return None
    return uploads.clean_file_name(str(source[0]))


def drop_upload(state: State) -> None:
    """Button callback: forget the session's uploaded file (its layer and problems)."""
    state["upload_source"] = None


def current_upload(state: State) -> tuple[uploads.UserLayer | None, list[str]]:
    """The session's uploaded layer and its problems, parsed once per :func:`upload_key`.

    Lives in this session's state only (never a module global or a shared cache).
    """
    source = state.get("upload_source")
    if not source:
        return None, []
    datum_name: datum.Datum = state.get("upload_datum", "wgs84")
    key = upload_key(source, datum_name=datum_name)
    if state.get("upload_parsed_key") != key:
        try:
            state["upload_result"] = uploads.read_upload(
                source[1], file_name=source[0], datum_name=datum_name
            )
        except errors.DataValidationError as exc:
            state["upload_result"] = exc
        state["upload_parsed_key"] = key
    result = state["upload_result"]
    if isinstance(result, uploads.UserLayer):
        return result, []
    return None, list(result.problems)


# ------------------------------------------------------------------ permalink


def restore_link(
    state: State,
    *,
    basemaps: Iterable[str],
    categories: Iterable[str],
    place_keys: Iterable[str],
    event_ids: Iterable[str] = (),
    speeds_kmh: Iterable[float] = (),
    minutes: Iterable[int] = (),
    station_ids: Iterable[str] = (),
) -> permalink.Restored:
    """Apply the session's link (``state["link"]``) to the widgets, once per session.

    ``event_ids`` are the event editions the page offers (an unknown ``event=`` is one
    of ``problems``, like an unknown place); ``speeds_kmh``, ``minutes`` and
    ``station_ids`` the planner's speeds, time limits and stations. A link with the
    planner on switches it on as its toggle does (map clicks add candidates), with
    its candidates as clicked points (checked against the route on the run).
    """
    if "restored" in state:
        restored: permalink.Restored = state["restored"]
        return restored
    state.setdefault("points", {})
    restored = permalink.restore(
        state["link"],
        languages=i18n.LANGUAGES,
        basemaps=basemaps,
        categories=categories,
        places=place_keys,
        events=event_ids,
        speeds_kmh=speeds_kmh,
        minutes=minutes,
        stations=station_ids,
    )
    state["restored"] = restored
    if restored.basemap:
        state["basemap_key"] = restored.basemap
    if restored.categories is not None:
        state["categories"] = restored.categories
    if restored.query:
        state["query"] = restored.query
    for end, lonlat in restored.points.items():
        state["points"][end] = {"lonlat": lonlat, "origin": "point"}
    for end, key in (("from", restored.from_key), ("to", restored.to_key)):
        if key:
            set_end(state, end, key)
    if restored.center_lonlat is not None and restored.zoom is not None:
        state["view"] = (restored.center_lonlat, restored.zoom)
        state["view_apply"] = state["view"]
    if restored.event:
        state[EVENT_KEY] = restored.event
        state[EVENTS_OPEN_KEY] = True
        if restored.center_lonlat is not None and restored.zoom is not None:
            state["event_fitted"] = restored.event  # the link's own view wins
    if restored.planner:
        state[PLANNER_KEY] = True
        state["click_mode"] = CANDIDATE_MODE
        if restored.speed_kmh is not None:
            state[PLANNER_SPEED_KEY] = restored.speed_kmh
        if restored.minutes is not None:
            state[PLANNER_MINUTES_KEY] = restored.minutes
        if restored.reach:
            state[PLANNER_REACH_KEY] = restored.reach
        state[PLANNER_CANDIDATES_KEY] = [
            {"lonlat": p, "name_en": "", "name_zh": "", "row": None} for p in restored.candidates
        ]
    return restored


def end_ref(state: State, key: str | None, choices: Mapping[str, Choice]) -> str | LonLat | None:
    """What the URL holds for an end: a station's or site's key, else its WGS-84 point.

    An uploaded site (``upload:...``) is known to this session only, a point is not a
    key at all: both are written as coordinates so a new session restores them
    (:func:`putuo_geo.permalink.ref_for`). ``None`` (left out) for the user's located
    position, unless they ticked ``state["share_here"]``: a position is not put in a
    link unless the user asks; ``None`` for no end (``key`` ``None``).
    """
    if key is None or key not in choices:
        return None
    if key.startswith("point:"):
        point = state["points"][key.split(":", 1)[1]]
        if point.get("origin") == HERE_ORIGIN and not state.get("share_here"):
            return None
    return permalink.ref_for(key, choices[key].lonlat)


def link_params(
    state: State, *, categories: list[str], places: Mapping[str, Choice]
) -> dict[str, str]:
    """The query parameters that describe the page now (see :mod:`putuo_geo.permalink`).

    Read from the widgets' values in ``state``; ``categories`` are all the categories
    offered (choosing all of them is left out of the URL); ``places`` the place choices
    (FROM/TO are written by key or as ``lat,lon``, see :func:`end_ref`).
    """
    view = state.get("view")
    chosen = list(state.get("categories", categories))
    link = permalink.Link(
        lang=state["lang"],
        basemap=state["basemap_key"],
        categories=None if chosen == list(categories) else tuple(chosen),
        query=typedtext.normalise(str(state.get("query", ""))).strip() or None,
        from_ref=end_ref(state, state.get("measure_from"), places),
        to_ref=end_ref(state, state.get("measure_to"), places),
        center_lonlat=view[0] if view else None,
        zoom=view[1] if view else None,
        event=state.get(EVENT_KEY) or None,
        **planner_link(state),
    )
    return permalink.encode(link)


def planner_link(state: State) -> dict[str, Any]:
    """The planner's part of the link: nothing while it is off, else its settings and
    every candidate's point (WGS-84; an uploaded candidate's name stays in the session)."""
    if not state.get(PLANNER_KEY):
        return {}
    speed = state.get(PLANNER_SPEED_KEY)
    minutes = state.get(PLANNER_MINUTES_KEY)
    return {
        "planner": True,
        "speed_kmh": None if speed is None else float(speed),
        "minutes": None if minutes is None else int(minutes),
        "reach": state.get(PLANNER_REACH_KEY) or None,
        "candidates": tuple(
            (float(p["lonlat"][0]), float(p["lonlat"][1]))
            for p in state.get(PLANNER_CANDIDATES_KEY) or []
        ),
    }


#: The share box's height (px): the link's field and the copy button, 44 px tall.
SHARE_BOX_PX = 64

_SHARE_HTML = """<style>
body {margin: 0; font: 14px sans-serif; color: #1a1a1a;}
.row {display: flex; gap: 8px; align-items: center;}
input {flex: 1 1 auto; min-width: 0; height: 44px; box-sizing: border-box; padding: 0 8px;
  border: 1px solid #767676; border-radius: 4px; font: 13px monospace; color: #1a1a1a;}
button {height: 44px; padding: 0 14px; border: 1px solid #767676; border-radius: 4px;
  background: #fff; color: #1a1a1a; font: 14px sans-serif; cursor: pointer;}
</style>
<div class="row"><input id="link" readonly aria-label="%(label)s" value="%(link)s">
<button id="copy" type="button">%(copy)s</button></div>
<span id="said" role="status" style="position: absolute; left: -9999px"></span>
<script>
(function () {
  var input = document.getElementById("link"), button = document.getElementById("copy");
  var said = document.getElementById("said");
  function live() {
    try {
      var here = window.parent.location;
      if (here.search) { input.value = here.href; }
    } catch (err) { return; }
  }
  live();
  setInterval(live, 500);
  button.addEventListener("click", function () {
    live();
    input.select();
    function done() { button.textContent = %(copied)s; said.textContent = %(copied)s; }
    function old() { try { document.execCommand("copy"); done(); } catch (err) { return; } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, old);
    } else { old(); }
  });
})();
</script>"""


def share_html(link: str, *, lang: Lang) -> str:
    """The share box: the link in a read-only field and a copy button (a small HTML page).

    Why in the browser: the map writes its view to the address bar without a rerun
    (:class:`putuo_geo.mapcontrols.ViewInUrl`), and Streamlit hands a run the query it
    last wrote itself, not the address bar's: a link made on the server dropped the
    view the user had moved to (issue 24 §5). The box shows the address bar, which
    holds everything the page wrote (:func:`link_params`) with the map's view merged
    in, and follows it every half second; ``link`` (the server's) is shown if the
    address bar cannot be read. Texts are escaped for HTML and for the script.
    """
    return _SHARE_HTML % {
        "label": safety.escape_html(tr("share.header", lang)),
        "link": safety.escape_html(link),
        "copy": safety.escape_html(tr("share.copy", lang)),
        "copied": json.dumps(tr("share.copied", lang)).replace("</", "<\\/"),
    }


def measure(
    routes: network.RouteNetwork,
    choices: Mapping[str, Choice],
    ends: tuple[str | None, str | None],
    *,
    lang: Lang,
) -> tuple[network.Measurement | None, str]:
    """The measurement between the place keys ``ends``, or why there is none (an end
    not chosen yet: how to choose)."""
    from_key, to_key = ends
    if from_key is None or to_key is None or from_key not in choices or to_key not in choices:
        return None, tr("measure.choose_or_tap", lang)
    if from_key == to_key:
        return None, tr("measure.same_place", lang)
    try:
        return routes.measure(choices[from_key].lonlat, choices[to_key].lonlat), ""
    except errors.PutuoGeoError as exc:
        return None, tr("measure.failed", lang, detail=errors.localise(exc, lang))


# ------------------------------------------------------------------ what the page shows
# Label/value pairs in the page's language, so the layout in app.py is a loop.


def headline(figs: overview.Figures, *, shown: int, lang: Lang) -> list[tuple[str, str]]:
    """The figures above the map: route and creek length, stations, sites shown."""
    return [
        (tr("metric.route_length", lang), display.format_km(figs.route_length_m)),
        (tr("metric.creek_length", lang), display.format_km(figs.creek_length_m)),
        (tr("metric.stations_confirmed", lang), str(figs.stations_confirmed)),
        (tr("metric.stations_indicative", lang), str(figs.stations_indicative)),
        (
            tr("metric.sites_shown", lang),
            tr("metric.of_total", lang, shown=shown, total=figs.sites),
        ),
    ]


def figure_strip(figs: overview.Figures, *, shown: int, lang: Lang) -> str:
    """:func:`headline` as one compact Markdown line under the map (no metric tiles).

    One element instead of five stacked tiles: on a phone the tiles filled the first
    screen, and each is a React element drawn again on every rerun (issue 13).
    """
    return figures_line(headline(figs, shown=shown, lang=lang))


def figures_line(rows: Iterable[tuple[str, str]]) -> str:
    """Figures as one Markdown line, ``name **value** · name **value**``.

    The page's figures (the strip under the map, a measurement) are text, not
    ``st.metric`` tiles: a tile pulls about 275 kB of number-formatting scripts in ten
    requests into a cold load, which then competed with the map's own (issue 13).
    """
    return " · ".join(f"{name} **{value}**" for name, value in rows)


def rows_markdown(frame: Any) -> str:
    """A small table (a DataFrame) as a Markdown bullet list, one row a line, escaped.

    For the crossed bridges under a measurement: an ``st.dataframe`` there pulled in
    the data grid's scripts (about 1.7 MB) before the map could draw (issue 13).
    """
    return "\n".join(
        "- " + " · ".join(safety.escape_markdown(i18n.plain(v)) for v in row)
        for row in frame.itertuples(index=False)
    )


def _pct(value: float, *, decimals: int = 1) -> str:
    """A percentage for a sentence, ``45.5``: never ``0`` or ``100`` for a share that is
    neither (``< 0.1``, ``> 99.9``)."""
    step = 10.0**-decimals
    if 0 < value < step / 2:
        return f"< {step:.{decimals}f}"
    if 100 - step / 2 <= value < 100:
        return f"> {100 - step:.{decimals}f}"
    return f"{value:.{decimals}f}"


def route_doubt_text(atlas: Atlas, *, lang: Lang) -> str:
    """How much of the route is confirmed and how much modelled, km and % (figures panel).

    Measured by :func:`putuo_geo.doubt.route_doubt` in EPSG:32651.
    """
    split = doubt.route_doubt(atlas.route.to_crs(config.METRIC_CRS))
    if split.modelled_m <= 0:
        return tr("doubt.route_confirmed", lang, confirmed=display.format_km(split.confirmed_m))
    return tr(
        "doubt.route_split",
        lang,
        confirmed=display.format_km(split.confirmed_m),
        confirmed_pct=_pct(split.confirmed_pct),
        modelled=display.format_km(split.modelled_m),
        modelled_pct=_pct(split.modelled_pct),
        worst=f"{split.worst_accuracy_m:,.0f}",
    )


def measurement_doubt(atlas: Atlas, m: network.Measurement) -> doubt.PathDoubt:
    """How the measured path splits between confirmed and modelled route (EPSG:32651).

    The path from route point to route point (the offsets to reach the route are off
    it by definition, and measured straight).
    """
    return doubt.path_doubt(crs.geometry_to_metric(m.path), atlas.route.to_crs(config.METRIC_CRS))


def measurement_figures(
    m: network.Measurement, *, lang: Lang, path_doubt: doubt.PathDoubt | None = None
) -> list[tuple[str, str]]:
    """Along the route, straight line, then the time at each speed.

    With ``path_doubt`` (:func:`measurement_doubt`) the length along the route is as
    exact as the ground it was measured on: rounded to 100 m and marked ``≈`` when 50 m
    or more of the path is modelled (:func:`putuo_geo.display.format_length_on`). The
    times are rounded to the minute already (no ``≈``: "≈ 2 h 48 min" does not fit its
    column on the page); the note below says they are approximate
    (:func:`measurement_note`). The straight line joins the two places as given.
    """
    modelled_m = path_doubt.modelled_m if path_doubt is not None else 0.0
    rows = [
        (
            tr("metric.along_route", lang),
            display.format_length_on(m.along_route_m, modelled_m=modelled_m),
        ),
        (tr("metric.straight", lang), display.format_length(m.straight_m)),
    ]
    for mode, seconds in display.travel_times(m.total_m).items():
        kmh = f"{display.SPEEDS_KMH[mode]:g}"
        label = tr("metric.mode", lang, mode=tr(f"mode.{mode}", lang), kmh=kmh)
        rows.append((label, display.format_duration(seconds)))
    return rows


def measurement_note(
    m: network.Measurement, *, lang: Lang, path_doubt: doubt.PathDoubt | None = None
) -> str:
    """What the times include (the walk to and from the route); then, when part of the
    path is modelled, that share and the accuracy of those stretches."""
    offsets_m = m.start.offset_m + m.end.offset_m
    modelled_m = path_doubt.modelled_m if path_doubt is not None else 0.0
    note = tr(
        "measure.times_note",
        lang,
        total=display.format_length_on(m.total_m, modelled_m=modelled_m),
        offsets=display.format_length(offsets_m),
    )
    return ("" if lang == "zh" else " ").join(
        [note, *measurement_doubt_lines(path_doubt, lang=lang)]
    )


def measurement_doubt_lines(path_doubt: doubt.PathDoubt | None, *, lang: Lang) -> list[str]:
    """The sentences saying how much of a measured path is modelled (none if nothing is)."""
    if path_doubt is None or path_doubt.modelled_m <= 0:
        return []
    lines = [
        tr(
            "doubt.path_share",
            lang,
            pct=_pct(100.0 * path_doubt.modelled_share, decimals=0),
            modelled=display.format_length_on(
                path_doubt.modelled_m, modelled_m=path_doubt.modelled_m
            ),
            accuracy=f"{path_doubt.worst_accuracy_m:,.0f}",
        )
    ]
    if display.is_rounded(path_doubt.modelled_m):
        lines.append(tr("doubt.path_rounded", lang, step=f"{display.MODELLED_STEP_M:.0f}"))
    return lines


def click_text(found: overview.Nearest, *, lang: Lang) -> str:
    """The clicked point's chainage and nearest station (Markdown, names escaped)."""
    station = i18n.name(found.station_name_en, found.station_name_zh, lang)
    return tr(
        "click.result",
        lang,
        chainage=display.format_chainage(found.chainage_m),
        route_distance=display.format_length(found.route_distance_m),
        station=safety.escape_markdown(station),
        station_distance=display.format_length(found.station_distance_m),
    )


@dataclass(frozen=True)
class Notice:
    """One message above the map: ``kind`` (``info``/``warning``), Markdown ``text``,
    and, for a long list, the label of the (closed) expander that holds it."""

    kind: str
    text: str
    folded: str | None = None


def notices(state: State, *, lang: Lang) -> list[Notice]:
    """What the page says above the map, in the page's language.

    - the link notice: what the session's link asked for and the page could not restore
      (:attr:`putuo_geo.permalink.Restored.problems`), shown for the whole session, so
      that it is still there, in the new language, after a language switch;
    - a map click or the located position refused (outside Shanghai, see
      :func:`take_map_return`, :func:`take_position`);
    - an upload drawn or offered as FROM/TO in part (:func:`upload_cap_notice`);

    The data's warnings are for maintainers, not every visitor: they are in
    :func:`data_notes` ("About the data", below the tables) and ``putuo-geo validate``.
    Every problem is translated, escaped and the list capped
    (:func:`putuo_geo.safety.problem_bullets`).
    """
    shown: list[Notice] = []
    restored: permalink.Restored | None = state.get("restored")
    if restored is not None and restored.problems:
        text = problems_markdown(tr("link.notice", lang), restored.problems, lang=lang)
        shown.append(Notice("info", text))
    for refused in ("click_problem", "here_problem"):  # a click, the located position
        if state.get(refused) is not None:
            shown.append(Notice("warning", errors.localise(state[refused], lang)))
    layer = state.get("upload_result") if state.get("upload_source") else None
    capped = None
    if isinstance(layer, uploads.UserLayer):
        names = [len(i18n.plain(v)) for c in ("name_en", "name_zh") for v in layer.frame[c]]
        capped = upload_cap_notice(len(layer.frame), longest_name=max(names, default=0), lang=lang)
    if capped is not None:
        shown.append(capped)
    return shown


def data_notes(atlas: Atlas, *, routes: network.RouteNetwork, lang: Lang) -> str | None:
    """The data's warnings for the "About the data" section, as Markdown, or ``None``.

    :func:`putuo_geo.checks.warnings` (e.g. a walkable bridge the route network could not
    join; measurements go round it), with file names and ids: what ``putuo-geo validate``
    prints. Translated, escaped and capped (:func:`putuo_geo.safety.problem_bullets`).
    """
    warnings = checks.warnings(atlas, network=routes)
    if not warnings:
        return None
    header = tr("warning.header", lang, count=len(warnings))
    return f"{header}\n\n" + safety.problem_bullets(warnings, lang=lang)


def tab_labels(atlas: Atlas, *, sites_shown: int, lang: Lang) -> list[str]:
    """The table tabs' labels: sites, stations, bridges, areas."""
    return [
        tr("tab.sites", lang, count=sites_shown),
        tr("tab.stations", lang, count=len(atlas.stations)),
        tr("tab.bridges", lang, count=len(atlas.bridges)),
        tr("tab.areas", lang),
    ]


@dataclass(frozen=True)
class Download:
    """A download button: catalogue key, data (made on click), file name, MIME type."""

    label_key: str
    data: Callable[[], str | bytes]
    file_name: str
    mime: str


GEOJSON_MIME, GPX_MIME, CSV_MIME = "application/geo+json", "application/gpx+xml", "text/csv"


def remember_tab(state: State, labels: list[str]) -> None:
    """Tabs callback: store the open tab's position (its label changes with the language).

    A label the page does not offer (a crafted value) is refused with one log line.
    """
    if state.get("table_tab") not in labels:
        latlon.log_refused("table tab", state.get("table_tab"))
        return
    state["table_tab_index"] = labels.index(state["table_tab"])


@dataclass(frozen=True)
class Table:
    """One table on a tab: an optional heading, the frame and its CSV's file name."""

    heading: str | None
    frame: Any
    file_name: str

    @property
    def csv(self) -> Download:
        """The table as formula-safe CSV (Streamlit's own table download is off)."""
        frame = self.frame
        return Download(
            "export.table_csv", lambda: exports.table_csv(frame), self.file_name, CSV_MIME
        )


def tab_tables(
    index: int, atlas: Atlas, *, sites: gpd.GeoDataFrame, figs: overview.Figures, lang: Lang
) -> list[Table]:
    """The tables of the tab at ``index`` (built only for the open tab)."""
    if index == 0:
        return [Table(None, tables.sites(sites, lang), "putuo_sites_table.csv")]
    if index == 1:
        return [Table(None, tables.stations(atlas, lang), "putuo_stations.csv")]
    if index == 2:
        return [Table(None, tables.bridges(atlas, lang), "putuo_bridges.csv")]
    return [
        Table(tr("tables.parks", lang), tables.parks(atlas, figs, lang), "putuo_parks.csv"),
        Table(tr("tables.zones", lang), tables.zones(atlas, figs, lang), "putuo_zones.csv"),
    ]


def speeds_text(*, lang: Lang) -> str:
    """The speeds the times assume, e.g. ``walk 5 km/h, run 10 km/h, cycle 15 km/h``."""
    return ", ".join(
        f"{tr(f'mode.{m}', lang)} {kmh:g} km/h" for m, kmh in display.SPEEDS_KMH.items()
    )


def table_note(folder: Path, *, lang: Lang) -> str:
    """The note under the areas tab: the speeds assumed and the data folder (as shown)."""
    return tr("tables.note", lang, speeds=speeds_text(lang=lang), folder=config.shown_dir(folder))


def downloads(
    atlas: Atlas,
    *,
    sites: gpd.GeoDataFrame,
    measurement: network.Measurement | None,
    end_labels: tuple[str, str],
    lang: Lang,
) -> list[Download]:
    """The exports offered: sites GeoJSON/CSV, the route GPX, the measured path GPX."""

    def label(name_en: Any, name_zh: Any) -> str:
        return i18n.name(name_en, name_zh, lang)

    route_name = tr("gpx.route_name", lang)
    offered = [
        Download(
            "export.sites_geojson",
            lambda: exports.sites_geojson(sites),
            "putuo_sites.geojson",
            GEOJSON_MIME,
        ),
        Download("export.sites_csv", lambda: exports.sites_csv(sites), "putuo_sites.csv", CSV_MIME),
        Download(
            "export.route_gpx",
            lambda: exports.route_gpx(atlas.route, atlas.stations, name=route_name, label=label),
            "putuo_route.gpx",
            GPX_MIME,
        ),
    ]
    if measurement is not None:
        from_name, to_name = end_labels
        path_name = tr("gpx.path_name", lang, start=from_name, end=to_name)
        offered.append(
            Download(
                "export.path_gpx",
                lambda: exports.measurement_gpx(
                    measurement, name=path_name, from_name=from_name, to_name=to_name
                ),
                "putuo_measured_path.gpx",
                GPX_MIME,
            )
        )
    return offered


def data_signature(folder: Path) -> tuple[tuple[str, int], ...]:
    """File names and modification times: edits to the data invalidate the page's caches.

    :func:`putuo_geo.layers.data_signature`, which never raises (a layer that is a
    symbolic link loop crashed the page in ``stat()``); loading then names the problem.
    """
    return layers.data_signature(folder)


def error_panel(exc: Exception, folder: Path, *, lang: Lang) -> str:
    """The page's error panel when the data folder cannot be shown (Markdown, escaped).

    Every validation problem, translated and capped; any other error's message with the
    server's data path replaced by :func:`putuo_geo.config.shown_dir` (a public
    deployment must not show its absolute paths).
    """
    shown = config.shown_dir(folder)
    if isinstance(exc, errors.DataValidationError):
        header = tr("error.data_invalid", lang, folder=shown, count=len(exc.problems))
        return problems_markdown(header, exc.problems, lang=lang)
    detail = safety.escape_markdown(config.hide_dir(str(exc), folder))
    return f"{tr('error.data_unloadable', lang, folder=shown)}\n\n{detail}"


def category_order(counts: Mapping[str, int], *, palette: Iterable[str]) -> list[str]:
    """Categories present, in the palette's order first, then any others as counted."""
    known = [c for c in palette if c in counts]
    return known + [c for c in counts if c not in known]


def problems_markdown(header: str, problems: Iterable[str], *, lang: Lang = "en") -> str:
    """A header and the problems as escaped Markdown bullets in ``lang`` (an error panel).

    At most :data:`putuo_geo.safety.MAX_LISTED_PROBLEMS` bullets, then one saying how
    many more (5,000 bad rows in an upload made 10,000 bullets, 800 kB).
    """
    return header + "\n\n" + safety.problem_bullets(list(problems), lang=lang)


def typed_notes(typed: coordinput.TypedPoint, *, lang: Lang) -> list[tuple[str, str]]:
    """What to say about typed coordinates: ``(kind, text)`` with kind ``warning``,
    ``info`` or ``caption`` (the converted point)."""
    notes = []
    if typed.problem:
        notes.append(("warning", tr(typed.problem, lang)))
    if typed.hint:
        notes.append(("info", tr(typed.hint, lang)))
    if typed.lonlat is not None:
        lon, lat = typed.lonlat
        shift = display.format_length(typed.shift_m)
        notes.append(
            ("caption", tr("coords.result", lang, lat=f"{lat:.6f}", lon=f"{lon:.6f}", shift=shift))
        )
    return notes


# ------------------------------------------------------------------ events (issue 15)
# The panel's widgets: kinds (multiselect), date range (two date inputs, either empty)
# and the edition shown on the map (a select whose value is the edition's id).

#: The sidebar's upload box (closed by default: the uploader is drawn only when open).
UPLOAD_OPEN_KEY = "upload_open"
EVENT_KEY = "event"
#: The events panel's expander (closed by default; a link naming an edition opens it).
EVENTS_OPEN_KEY = "events_open"
NO_EVENT = ""
EVENT_FILTER_KEYS: tuple[str, ...] = ("event_kinds", "event_from", "event_to")
#: Where the page's "today" is read: the creek's own calendar day, whatever the server's.
EVENT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class EventView:
    """What the events panel shows for one run of the page.

    ``upcoming`` soonest first, ``past`` latest first (both after the filters);
    ``range_note`` says why the dates were not filtered (the range ends before it
    starts), in the page language; ``selected`` is the edition drawn on the map, its
    properties and WGS-84 geometry (``mapview.compose(event=...)``); ``problems`` the
    events layer's, when it could not be loaded (the panel then lists nothing);
    ``available`` is false when the data folder has no events layer at all.
    """

    today: dt.date
    upcoming: gpd.GeoDataFrame
    past: gpd.GeoDataFrame
    range_note: str | None
    selected: tuple[dict[str, Any], Any] | None
    problems: tuple[str, ...] = ()
    available: bool = True

    @property
    def ids(self) -> list[str]:
        """The listed editions' ids, upcoming then past (the select's options)."""
        return [str(i) for i in (*self.upcoming["id"], *self.past["id"])]


def event_unshown(view: EventView, folder: Path, *, lang: Lang) -> tuple[str, str] | None:
    """Why the events panel lists nothing, as ``(kind, Markdown)``, or ``None``.

    ``("caption", ...)`` when the data folder has no events layer; ``("error", ...)``
    listing the layer's problems in ``lang`` when it cannot be read. The folder is
    named as a visitor may see it (:func:`putuo_geo.config.shown_dir`), never the
    server's path.
    """
    shown = config.shown_dir(folder)
    if not view.available:
        return "caption", tr("events.no_layer", lang, folder=safety.escape_markdown(shown))
    if view.problems:
        header = tr("events.data_invalid", lang, folder=shown, count=len(view.problems))
        return "error", problems_markdown(header, view.problems, lang=lang)
    return None


def event_ids(frame: gpd.GeoDataFrame | None) -> list[str]:
    """Every edition's id (what a link's ``event=`` may name)."""
    return [] if frame is None else [str(i) for i in frame["id"]]


def event_view(
    state: State,
    frame: gpd.GeoDataFrame | None,
    *,
    today: dt.date,
    lang: Lang,
    problems: Iterable[str] = (),
) -> EventView:
    """Read the panel's filters from ``state``, list the editions, settle the selection.

    Called before the panel's widgets are drawn (the map needs the selection first):
    the filters' first values are set here, and a selected edition the filters now
    hide is dropped (the map shows what the panel lists). ``frame`` is
    :func:`putuo_geo.events.load_events`'s, or ``None`` when it could not be loaded.
    """
    state.setdefault("event_kinds", list(events.KINDS))
    state.setdefault("event_from", None)
    state.setdefault("event_to", None)
    # A rerun may bring a label from the other language (see keep_choices).
    keep_choices(state, {"event_kinds": events.KINDS, EVENT_KEY: [NO_EVENT, *event_ids(frame)]})
    date_from, date_to = state["event_from"], state["event_to"]
    note = None
    if date_from is not None and date_to is not None and date_to < date_from:
        note = tr(
            "events.bad_range",
            lang,
            start=events.format_date(date_from, lang),
            end=events.format_date(date_to, lang),
        )
        date_from = date_to = None
    if frame is None:
        empty = gpd.GeoDataFrame({"id": []}, geometry=[], crs=config.WEB_CRS)
        upcoming, past = empty, empty
    else:
        upcoming, past = events.upcoming_and_past(
            frame,
            today=today,
            kinds=list(state["event_kinds"]),
            date_from=date_from,
            date_to=date_to,
        )
    problems = tuple(problems)
    available = frame is not None or bool(problems)
    view = EventView(today, upcoming, past, note, None, problems, available)
    chosen = state.get(EVENT_KEY) or NO_EVENT
    if chosen not in view.ids:
        chosen = NO_EVENT
    if state.get(EVENT_KEY) != chosen:  # written only when it changes (a write resends it)
        state[EVENT_KEY] = chosen
    fitted, state["event_fitted"] = state.get("event_fitted"), chosen
    if not chosen:
        return view
    row = pd.concat([upcoming, past]).set_index("id").loc[chosen]
    props = {"id": chosen, **row.drop(labels="geometry").to_dict()}
    if fitted != chosen:  # newly selected: bring it into view (the map keeps it otherwise)
        state["view_apply"] = event_fit(row["geometry"])
    return dataclasses.replace(view, selected=(props, row["geometry"]))


#: The map area an event is fitted into (pixels): a phone's map above its legend.
EVENT_FIT_PX = (340, 360)
EVENT_FIT_ZOOMS = (13, 16)


def event_fit(geometry: Any) -> tuple[LonLat, int]:
    """The view that shows ``geometry`` (WGS-84): its bounds' centre and the deepest zoom
    at which the bounds fit :data:`EVENT_FIT_PX` on Web Mercator tiles (256 px at zoom 0),
    within :data:`EVENT_FIT_ZOOMS` (a venue, a point, gets the deepest).
    """
    minx, miny, maxx, maxy = (float(v) for v in geometry.bounds)

    def merc_y(lat: float) -> float:  # Web Mercator y of a latitude, in radians
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    width = (maxx - minx) / 360
    height = (merc_y(maxy) - merc_y(miny)) / (2 * math.pi)
    low, high = EVENT_FIT_ZOOMS
    zoom = high
    for span, px in ((width, EVENT_FIT_PX[0]), (height, EVENT_FIT_PX[1])):
        if span > 0:
            zoom = min(zoom, math.floor(math.log2(px / (256 * span))))
    return ((minx + maxx) / 2, (miny + maxy) / 2), max(low, zoom)


def event_label(props: Mapping[str, Any], *, lang: Lang) -> str:
    """An edition in a list: ``24 Mar 2024 · name · kind`` (plain text)."""
    dates = events.format_date_range(str(props["start_date"]), str(props["end_date"]), lang)
    name = i18n.name(props.get("name_en"), props.get("name_zh"), lang, both=False)
    kind = i18n.value("kind", props.get("kind"), lang)
    return f"{dates} · {name} · {kind}"


def event_lines(frame: gpd.GeoDataFrame, *, lang: Lang) -> str:
    """The editions as a Markdown list (names escaped; dates bold)."""
    records = frame.drop(columns="geometry").to_dict("records")
    return "\n".join(event_line(props, lang=lang) for props in records)


def event_line(props: Mapping[str, Any], *, lang: Lang) -> str:
    """One edition as a line of :func:`event_lines`' Markdown list."""
    dates, rest = event_label(props, lang=lang).split(" · ", 1)
    return f"- **{dates}** · {safety.escape_markdown(rest)}"


def event_details(props: Mapping[str, Any], *, lang: Lang) -> list[str]:
    """The selected edition under the list: Markdown lines, data text escaped.

    Kind and dates; for a course its length along the route against the race's
    21.0975 km and why they differ, and its water stations; the source.
    """
    md = safety.escape_markdown
    name = i18n.name(props.get("name_en"), props.get("name_zh"), lang)
    lines = [f"**{md(name)}**"]
    if props.get("geometry_kind") == "course":
        length, shorter, water = events.course_texts(props, lang=lang)
        lines += [md(length), md(shorter), md(tr("events.water_line", lang, water=water))]
    else:
        lines.append(md(tr("events.venue", lang)))
    lines.append(md(tr("events.source", lang, source=props.get("source", ""))))
    return lines


def event_download(props: Mapping[str, Any], geometry: Any, *, lang: Lang) -> Download | None:
    """The selected course as GPX (``<id>.gpx``); ``None`` for a venue."""
    if props.get("geometry_kind") != "course":
        return None
    course = events.course_map(props, geometry)
    name = i18n.name(props.get("name_en"), props.get("name_zh"), lang)
    source = str(props.get("source", ""))

    def gpx() -> str:
        return exports.course_gpx(
            course.path_lonlat,
            name=name,
            km_markers=course.km_markers,
            water_stations=course.water_stations,
            source=source,
        )

    return Download("events.gpx_download", gpx, f"{course.id}.gpx", GPX_MIME)
