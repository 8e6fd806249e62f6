"""The map page's state, without Streamlit: what ``app.py`` keeps between reruns.

``app.py`` lays out widgets; this module decides what they hold. Every function takes
the session state as a plain mutable mapping (``st.session_state`` on the page, a
``dict`` in the tests), so the page's logic is unit-tested without a browser
(``tests/test_page.py``):

- the places a measurement can start or end at, and their key protocol
  (``station:<id>``, ``site:<id>``, ``upload:<id>``, ``point:from``/``point:to``);
- the map-click state machine (nearest point, or FROM then TO);
- the uploaded layer, parsed once per file content and datum;
- the permalink: restored once per session, written back on every run;
- the language switch, which must not reset the widgets (:func:`relabel`).

Widget values are stable keys (basemap key, category code, place key, mode key); only
the labels shown for them (``format_func``) change with the language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from putuo_geo import datum, display, errors, i18n, overview, permalink, places, uploads
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas

State = MutableMapping[str, Any]
LonLat = tuple[float, float]

#: The map widget's key (streamlit-folium stores its last return value under it).
MAP_KEY = "map"
CLICK_MODES: tuple[str, ...] = ("nearest", "from_to")
INPUT_DATUMS: tuple[datum.Datum, ...] = ("gcj02", "bd09", "wgs84")
ENDS: tuple[str, ...] = ("from", "to")

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


def relabel(state: State) -> None:
    """Language radio callback: keep every labelled widget's value across the switch.

    Streamlit (1.5x+) sends a select widget's value to the browser as its *label*. When
    the language changes, the browser still holds the old label, finds it among none of
    the new ones and falls back to the default (the basemap went back to OpenStreetMap,
    FROM and TO to station 1). Reading each value here, before the widgets are drawn
    again, still decodes it with the old labels; writing it back makes Streamlit send it
    to the browser under its new label.
    """
    for key in LABELLED_KEYS:
        if key in state:
            state[key] = state[key]


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
    for station in overview.station_table(atlas).to_dict("records"):
        label = tr(
            "place.station",
            lang,
            number=station["number"],
            name=i18n.name(station["name_en"], station["name_zh"], lang, both=False),
            chainage=display.format_chainage(station["chainage_m"]),
        )
        choices[f"station:{station['id']}"] = Choice(label, where["stations", str(station["id"])])
    for row in overview.site_table(atlas.sites).itertuples():
        label = i18n.name(row.name_en, row.name_zh, lang)
        choices[f"site:{row.id}"] = Choice(label, where["sites", str(row.id)])
    return choices


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
    if user_frame is not None:
        for row in user_frame.itertuples():
            name = i18n.name(row.name_en, row.name_zh or None, lang)
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


def settle_ends(state: State, keys: list[str]) -> None:
    """Give FROM/TO their defaults (first and last station) or a key that still exists."""
    stations = [k for k in keys if k.startswith("station:")] or keys
    state.setdefault("measure_from", stations[0])
    state.setdefault("measure_to", stations[-1])
    for end in ENDS:  # a point or an upload may have gone
        if state[f"measure_{end}"] not in keys:
            state[f"measure_{end}"] = keys[0]


def use_point(state: State, end: str, lonlat: LonLat, *, origin: str = "typed") -> None:
    """Make ``lonlat`` (WGS-84) the FROM or TO end."""
    state.setdefault("points", {})[end] = {"lonlat": lonlat, "origin": origin}
    state[f"measure_{end}"] = point_key(end)


# ------------------------------------------------------------------ map clicks and view


def take_map_return(state: State, returned: Mapping[str, Any] | None) -> LonLat | None:
    """Act on what the map returned last; the clicked point (WGS-84) or ``None``.

    The map reports clicks and its view in the datum it was drawn in
    (``state["shown_datum"]``, GCJ-02 on Amap): both are converted to WGS-84 here. A
    *new* click in ``from_to`` mode fills FROM, then TO, then FROM again.
    """
    returned = returned or {}
    shown: datum.Datum = state.get("shown_datum", "wgs84")
    state.setdefault("next_click", "from")
    click_lonlat: LonLat | None = None
    clicked = returned.get("last_clicked")
    if clicked:
        raw = (float(clicked["lng"]), float(clicked["lat"]))
        click_lonlat = datum.convert_point(raw, src=shown, dst="wgs84")
        if raw != state.get("seen_click"):
            state["seen_click"] = raw
            if state.get("click_mode") == "from_to":
                target = state["next_click"]
                use_point(state, target, click_lonlat, origin="click")
                state["next_click"] = "to" if target == "from" else "from"
    centre = returned.get("center")
    if centre and returned.get("zoom") is not None:
        lonlat = datum.convert_point(
            (float(centre["lng"]), float(centre["lat"])), src=shown, dst="wgs84"
        )
        state["view"] = (lonlat, int(returned["zoom"]))
    return click_lonlat


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
    state["upload_source"] = None if file is None else (file.name, file.getvalue())


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
) -> permalink.Restored:
    """Apply the session's link (``state["link"]``) to the widgets, once per session."""
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
            state[f"measure_{end}"] = key
    if restored.center_lonlat is not None and restored.zoom is not None:
        state["view"] = (restored.center_lonlat, restored.zoom)
        state["view_apply"] = state["view"]
    return restored


def end_ref(state: State, key: str) -> str | LonLat:
    """What the URL holds for an end: its place key, or a point's WGS-84 ``(lon, lat)``."""
    if key.startswith("point:"):
        lon, lat = state["points"][key.split(":", 1)[1]]["lonlat"]
        return (lon, lat)
    return key


def link_params(
    state: State,
    *,
    lang: str,
    basemap_key: str,
    chosen: list[str],
    categories: list[str],
    query: str,
    from_key: str,
    to_key: str,
) -> dict[str, str]:
    """The query parameters that describe the page now (see :mod:`putuo_geo.permalink`)."""
    view = state.get("view")
    link = permalink.Link(
        lang=lang,
        basemap=basemap_key,
        categories=None if list(chosen) == list(categories) else tuple(chosen),
        query=query.strip() or None,
        from_ref=end_ref(state, from_key),
        to_ref=end_ref(state, to_key),
        center_lonlat=view[0] if view else None,
        zoom=view[1] if view else None,
    )
    return permalink.encode(link)
