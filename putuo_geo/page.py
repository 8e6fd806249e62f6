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
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from putuo_geo import (
    coordinput,
    datum,
    display,
    errors,
    exports,
    i18n,
    mapcontrols,
    network,
    overview,
    permalink,
    places,
    safety,
    tables,
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


#: Expanders below the map that are built only while open; their labels change with the
#: language too, and a new label would close them.
OPEN_KEYS: tuple[str, ...] = ("tables_open", "share_open", "export_open")


def relabel(state: State) -> None:
    """Language radio callback: keep every labelled widget's value across the switch.

    Streamlit (1.5x+) sends a select widget's value to the browser as its *label*. When
    the language changes, the browser still holds the old label, finds it among none of
    the new ones and falls back to the default (the basemap went back to OpenStreetMap,
    FROM and TO to station 1). Reading each value here, before the widgets are drawn
    again, still decodes it with the old labels; writing it back makes Streamlit send it
    to the browser under its new label.
    """
    for key in (*LABELLED_KEYS, *OPEN_KEYS):
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
        "measure_from": places,
        "measure_to": places,
        "click_mode": list(CLICK_MODES),
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


def take_position(state: State, returned: Mapping[str, Any] | None) -> LonLat | None:
    """The user's located position (WGS-84), kept in ``state["here"]``, or ``None``.

    It arrives only as the map's own return value (see :mod:`putuo_geo.mapcontrols`),
    in the drawn datum; it stays in the session (a later click on a feature replaces
    the map's last return value, not the position).
    """
    raw = mapcontrols.position_from(dict(returned) if returned else None)
    if raw is not None:
        shown: datum.Datum = state.get("shown_datum", "wgs84")
        state["here"] = datum.convert_point(raw, src=shown, dst="wgs84")
    here: LonLat | None = state.get("here")
    return here


def measure_from_here(state: State) -> None:
    """One tap: the located position becomes the FROM end ("My position")."""
    if state.get("here") is not None:
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


def end_ref(state: State, key: str) -> str | LonLat | None:
    """What the URL holds for an end: its place key, or a point's WGS-84 ``(lon, lat)``.

    ``None`` (left out) for the user's located position, unless they ticked
    ``state["share_here"]``: a position is not put in a link unless the user asks.
    """
    if key.startswith("point:"):
        point = state["points"][key.split(":", 1)[1]]
        if point.get("origin") == HERE_ORIGIN and not state.get("share_here"):
            return None
        lon, lat = point["lonlat"]
        return (lon, lat)
    return key


def link_params(state: State, *, categories: list[str]) -> dict[str, str]:
    """The query parameters that describe the page now (see :mod:`putuo_geo.permalink`).

    Read from the widgets' values in ``state``; ``categories`` are all the categories
    offered (choosing all of them is left out of the URL).
    """
    view = state.get("view")
    chosen = list(state.get("categories", categories))
    link = permalink.Link(
        lang=state["lang"],
        basemap=state["basemap_key"],
        categories=None if chosen == list(categories) else tuple(chosen),
        query=str(state.get("query", "")).strip() or None,
        from_ref=end_ref(state, state["measure_from"]),
        to_ref=end_ref(state, state["measure_to"]),
        center_lonlat=view[0] if view else None,
        zoom=view[1] if view else None,
    )
    return permalink.encode(link)


def measure(
    routes: network.RouteNetwork,
    choices: Mapping[str, Choice],
    ends: tuple[str, str],
    *,
    lang: Lang,
) -> tuple[network.Measurement | None, str]:
    """The measurement between the place keys ``ends``, or why there is none."""
    from_key, to_key = ends
    if from_key == to_key:
        return None, tr("measure.same_place", lang)
    try:
        return routes.measure(choices[from_key].lonlat, choices[to_key].lonlat), ""
    except errors.PutuoGeoError as exc:
        return None, tr("measure.failed", lang, detail=exc)


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
    return " · ".join(
        f"{name} **{value}**" for name, value in headline(figs, shown=shown, lang=lang)
    )


def rows_markdown(frame: Any) -> str:
    """A small table (a DataFrame) as a Markdown bullet list, one row a line, escaped.

    For the crossed bridges under a measurement: an ``st.dataframe`` there pulled in
    the data grid's scripts (about 1.7 MB) before the map could draw (issue 13).
    """
    return "\n".join(
        "- " + " · ".join(safety.escape_markdown(i18n.plain(v)) for v in row)
        for row in frame.itertuples(index=False)
    )


def measurement_figures(m: network.Measurement, *, lang: Lang) -> list[tuple[str, str]]:
    """Along the route, straight line, then the time at each speed."""
    rows = [
        (tr("metric.along_route", lang), display.format_length(m.along_route_m)),
        (tr("metric.straight", lang), display.format_length(m.straight_m)),
    ]
    for mode, seconds in display.travel_times(m.total_m).items():
        kmh = f"{display.SPEEDS_KMH[mode]:g}"
        label = tr("metric.mode", lang, mode=tr(f"mode.{mode}", lang), kmh=kmh)
        rows.append((label, display.format_duration(seconds)))
    return rows


def measurement_note(m: network.Measurement, *, lang: Lang) -> str:
    """What the times include (the walk to and from the route)."""
    offsets_m = m.start.offset_m + m.end.offset_m
    return tr(
        "measure.times_note",
        lang,
        total=display.format_length(m.total_m),
        offsets=display.format_length(offsets_m),
    )


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


def unlinked_warning(routes: network.RouteNetwork, *, lang: Lang) -> str | None:
    """A warning naming the walkable bridges the network could not join, if any."""
    if not routes.unlinked_bridges:
        return None
    ids = safety.escape_markdown(", ".join(routes.unlinked_bridges))
    return tr("measure.unlinked_bridges", lang, count=len(routes.unlinked_bridges), ids=ids)


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
    """Tabs callback: store the open tab's position (its label changes with the language)."""
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
    """File names and modification times: edits to the data invalidate the page's caches."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.*json")))


def category_order(counts: Mapping[str, int], *, palette: Iterable[str]) -> list[str]:
    """Categories present, in the palette's order first, then any others as counted."""
    known = [c for c in palette if c in counts]
    return known + [c for c in counts if c not in known]


def problems_markdown(header: str, problems: Iterable[str]) -> str:
    """A header and every problem as an escaped Markdown bullet (the page's error panel)."""
    return header + "\n\n" + safety.problem_bullets(list(problems))


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
