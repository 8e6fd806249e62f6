"""The map page: `streamlit run app.py` (or `make run`).

Thin on purpose: widgets, layout and caching wrappers. Everything it shows is computed
by `putuo_geo` (overview, network, mapview, tables, display, exports), every word comes
from the catalogue in `putuo_geo.i18n` (this file holds only its keys), and the page's
state round-trips through the URL with `putuo_geo.permalink`. See the README's
"The map page".
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from putuo_geo import (
    assets,
    basemaps,
    config,
    coordinput,
    datum,
    display,
    errors,
    exports,
    i18n,
    layers,
    mapview,
    network,
    overview,
    permalink,
    safety,
    tables,
    uploads,
)
from putuo_geo.i18n import tr

MAP_KEY = "map"
MAP_HEIGHT_PX = 640
CLICK_MODES = ("nearest", "from_to")
INPUT_DATUMS: tuple[datum.Datum, ...] = ("gcj02", "bd09", "wgs84")
ENDS = ("from", "to")

state = st.session_state
if "link" not in state:  # the first run of a session: what the URL says
    state["link"] = permalink.decode(st.query_params.to_dict())
state.setdefault("lang", i18n.as_lang(state["link"].lang))
lang: i18n.Lang = i18n.as_lang(state["lang"])

st.set_page_config(page_title=tr("page.tab_title", lang), page_icon="🏃", layout="wide")


# ------------------------------------------------------------------ cached data


def data_signature(folder: Path) -> tuple[tuple[str, int], ...]:
    """File names and modification times: edits to the data invalidate the caches."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.*json")))


@st.cache_resource(show_spinner=False)
def load_atlas(folder: str, signature: tuple[tuple[str, int], ...]) -> layers.Atlas:
    return layers.load_atlas(folder)


@st.cache_resource(show_spinner=False)
def route_network(
    folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas
) -> network.RouteNetwork:
    return network.RouteNetwork.from_atlas(_atlas)


@st.cache_resource
def page_figures(
    folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas
) -> overview.Figures:
    return overview.figures(_atlas)


@st.cache_resource
def km_posts(folder: str, signature: tuple[tuple[str, int], ...], _atlas: layers.Atlas):
    return overview.km_posts(_atlas)


# ------------------------------------------------------------------ load or explain

folder = config.data_dir()
signature = data_signature(folder)
try:
    with st.spinner(tr("page.loading_layers", lang)):
        atlas = load_atlas(str(folder), signature)
except errors.DataValidationError as exc:
    # The error panel: every problem as text (problems quote values from the data).
    st.error(
        tr("error.data_invalid", lang, folder=folder, count=len(exc.problems))
        + "\n\n"
        + safety.problem_bullets(exc.problems)
    )
    st.stop()
except (errors.PutuoGeoError, OSError) as exc:
    detail = safety.escape_markdown(exc)
    st.error(f"{tr('error.data_unloadable', lang, folder=folder)}\n\n{detail}")
    st.stop()

missing = assets.missing_files()
if missing:
    st.error(tr("error.assets_missing", lang, files=", ".join(missing)))
    st.stop()

figs = page_figures(str(folder), signature, atlas)
station_rows = overview.station_table(atlas)
sites_all = atlas.sites
basemap_options = basemaps.basemaps(lang=lang)
counts = overview.category_counts(sites_all)
categories = [c for c in mapview.CATEGORY_COLOURS if c in counts.index] + [
    c for c in counts.index if c not in mapview.CATEGORY_COLOURS
]

# Places a measurement can start or end at: stations in route order, then sites, then
# points (map clicks, typed coordinates, points from a link), all WGS-84 (lon, lat).
places: dict[str, tuple[str, tuple[float, float]]] = {}
station_points = atlas.stations.set_index("id").geometry
site_points = sites_all.set_index("id").geometry
for row in station_rows.itertuples():
    geom = station_points[row.id]
    places[f"station:{row.id}"] = (
        tr(
            "place.station",
            lang,
            number=row.number,
            name=i18n.name(row.name_en, row.name_zh, lang, both=False),
            chainage=display.format_chainage(row.chainage_m),
        ),
        (geom.x, geom.y),
    )
for row in overview.site_table(sites_all).itertuples():
    geom = site_points[row.id]
    places[f"site:{row.id}"] = (i18n.name(row.name_en, row.name_zh, lang), (geom.x, geom.y))

# ------------------------------------------------------------------ restore a link (once)
state.setdefault("points", {})  # "from"/"to" -> {"lonlat": (lon, lat), "origin": ...}
if "restored" not in state:
    restored = permalink.restore(
        state["link"],
        languages=i18n.LANGUAGES,
        basemaps=[b.key for b in basemap_options],
        categories=categories,
        places=list(places),
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

# ------------------------------------------------------------------ map clicks and view
# st_folium stores its last value under MAP_KEY, in the datum the map was drawn in
# (GCJ-02 on Amap): convert to WGS-84 first. Act on a new click before the widgets are
# drawn, so a click can fill the FROM/TO selects.
state.setdefault("next_click", "from")
shown_datum: datum.Datum = state.get("shown_datum", "wgs84")
returned = state.get(MAP_KEY) or {}


clicked = returned.get("last_clicked")
click_lonlat: tuple[float, float] | None = None
if clicked:
    raw_click = (float(clicked["lng"]), float(clicked["lat"]))
    click_lonlat = datum.convert_point(raw_click, src=shown_datum, dst="wgs84")
    if raw_click != state.get("seen_click"):
        state["seen_click"] = raw_click
        if state.get("click_mode") == "from_to":
            target = state["next_click"]
            state["points"][target] = {"lonlat": click_lonlat, "origin": "click"}
            state[f"measure_{target}"] = f"point:{target}"
            state["next_click"] = "to" if target == "from" else "from"
if returned.get("center") and returned.get("zoom") is not None:
    centre = (float(returned["center"]["lng"]), float(returned["center"]["lat"]))
    state["view"] = (
        datum.convert_point(centre, src=shown_datum, dst="wgs84"),
        int(returned["zoom"]),
    )


def use_point(end: str, lonlat: tuple[float, float]) -> None:
    """Button callback: a typed point becomes FROM or TO."""
    state["points"][end] = {"lonlat": lonlat, "origin": "typed"}
    state[f"measure_{end}"] = f"point:{end}"


# ------------------------------------------------------------------ the user's own layer
# Lives in this session's state only (never a module global or a shared cache). The
# uploader's callback copies the file into "upload_source"; tests set that directly.


def take_upload() -> None:
    file = state.get("upload_file")
    state["upload_source"] = None if file is None else (file.name, file.getvalue())


upload_source = state.get("upload_source")
upload_datum: datum.Datum = state.get("upload_datum", "wgs84")
user_layer: uploads.UserLayer | None = None
upload_problems: list[str] = []
if upload_source:
    parsed_key = (upload_source[0], hash(upload_source[1]), upload_datum)
    if state.get("upload_parsed_key") != parsed_key:
        try:
            state["upload_result"] = uploads.read_upload(
                upload_source[1], file_name=upload_source[0], datum_name=upload_datum
            )
        except errors.DataValidationError as exc:
            state["upload_result"] = exc
        state["upload_parsed_key"] = parsed_key
    result = state["upload_result"]
    if isinstance(result, uploads.UserLayer):
        user_layer = result
    else:
        upload_problems = list(result.problems)
if user_layer is not None:
    for row in user_layer.frame.itertuples():
        places[f"upload:{row.id}"] = (
            tr("place.upload", lang, name=i18n.name(row.name_en, row.name_zh or None, lang)),
            (row.geometry.x, row.geometry.y),
        )

for end, point in state["points"].items():
    lon, lat = point["lonlat"]
    places[f"point:{end}"] = (
        tr(
            f"place.{point['origin']}",
            lang,
            letter="A" if end == "from" else "B",
            lat=f"{lat:.5f}",
            lon=f"{lon:.5f}",
        ),
        (lon, lat),
    )

# ------------------------------------------------------------------ sidebar
with st.sidebar:
    st.radio(
        tr("page.language", lang),
        i18n.LANGUAGES,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key="lang",
        horizontal=True,
    )
    st.header(tr("sidebar.sites", lang))
    state.setdefault("categories", categories)
    chosen = st.multiselect(
        tr("sidebar.categories", lang),
        categories,
        format_func=lambda c: f"{i18n.category(c, lang)} ({counts[c]})",
        key="categories",
    )
    query = st.text_input(tr("sidebar.search", lang), key="query")

    st.header(tr("upload.header", lang))
    st.file_uploader(
        tr("upload.label", lang),
        type=["geojson", "json", "csv"],
        key="upload_file",
        on_change=take_upload,
        max_upload_size=uploads.MAX_UPLOAD_BYTES // 2**20,
        help=tr(
            "upload.help",
            lang,
            mb=uploads.MAX_UPLOAD_BYTES // 2**20,
            count=f"{uploads.MAX_UPLOAD_FEATURES:,}",
        ),
    )
    st.selectbox(
        tr("upload.datum", lang),
        list(uploads.DATUM_LABELS),
        format_func=lambda d: tr(f"datum.{d}", lang),
        key="upload_datum",
    )
    if upload_problems:
        st.error(
            tr("upload.problems", lang, count=len(upload_problems))
            + "\n\n"
            + safety.problem_bullets(upload_problems)
        )
    elif user_layer is not None:
        st.checkbox(
            tr("upload.show", lang, title=safety.escape_markdown(user_layer.title)),
            value=True,
            key="upload_show",
        )

    st.header(tr("sidebar.measure", lang))
    keys = list(places)
    station_keys = [k for k in keys if k.startswith("station:")]
    state.setdefault("measure_from", station_keys[0] if station_keys else keys[0])
    state.setdefault("measure_to", station_keys[-1] if station_keys else keys[-1])
    for end in ENDS:  # a point may have gone (new session state)
        if state[f"measure_{end}"] not in places:
            state[f"measure_{end}"] = keys[0]
    from_key = st.selectbox(
        tr("measure.from", lang), keys, format_func=lambda k: places[k][0], key="measure_from"
    )
    to_key = st.selectbox(
        tr("measure.to", lang), keys, format_func=lambda k: places[k][0], key="measure_to"
    )
    st.radio(
        tr("measure.click_mode", lang),
        CLICK_MODES,
        format_func=lambda m: tr(f"click_mode.{m}", lang),
        key="click_mode",
        help=tr("measure.click_mode_help", lang),
    )
    with st.expander(tr("coords.header", lang)):
        coord_text = st.text_input(
            tr("coords.text", lang),
            key="coord_text",
            help=tr("coords.text_help", lang),
            placeholder="121.4216, 31.2381",
        )
        order = st.radio(
            tr("coords.order", lang),
            coordinput.ORDERS,
            format_func=lambda o: tr(f"order.{o}", lang),
            key="coord_order",
        )
        input_datum = st.selectbox(
            tr("coords.datum", lang),
            INPUT_DATUMS,
            format_func=lambda d: tr(f"datum.{d}", lang),
            key="coord_datum",
        )
        if coord_text.strip():
            typed = coordinput.read_point(coord_text, order=order, datum=input_datum)
            if typed.problem:
                st.warning(tr(typed.problem, lang))
            if typed.hint:
                st.info(tr(typed.hint, lang))
            if typed.lonlat is not None:
                st.caption(
                    tr(
                        "coords.result",
                        lang,
                        lat=f"{typed.lonlat[1]:.6f}",
                        lon=f"{typed.lonlat[0]:.6f}",
                        shift=display.format_length(typed.shift_m),
                    )
                )
                bcols = st.columns(2)
                for col, end in zip(bcols, ENDS, strict=True):
                    col.button(
                        tr(f"coords.use_{end}", lang),
                        key=f"coord_use_{end}",
                        on_click=use_point,
                        args=(end, typed.lonlat),
                    )

    st.header(tr("sidebar.basemap", lang))
    base_keys = [b.key for b in basemap_options]
    if state.get("basemap_key") not in base_keys:
        state["basemap_key"] = base_keys[0]
    basemap_key = st.selectbox(
        tr("basemap.label", lang),
        base_keys,
        format_func=lambda k: tr(basemaps.by_key(basemap_options, k).label_key, lang),
        key="basemap_key",
    )
    basemap = basemaps.by_key(basemap_options, basemap_key)
    st.caption(tr("basemap.caption", lang, env=basemaps.TILE_URL_ENV))

# ------------------------------------------------------------------ compute
sites = overview.filter_sites(sites_all, categories=chosen, query=query)
user_sites = (
    overview.filter_sites(user_layer.frame, query=query)
    if user_layer is not None and state.get("upload_show", True)
    else None
)
measurement: network.Measurement | None = None
measure_error = ""
if from_key == to_key:
    measure_error = tr("measure.same_place", lang)
else:
    try:
        measurement = route_network(str(folder), signature, atlas).measure(
            places[from_key][1], places[to_key][1]
        )
    except errors.PutuoGeoError as exc:
        measure_error = tr("measure.failed", lang, detail=exc)
nearest = overview.nearest(atlas, click_lonlat) if click_lonlat else None
draw_datum: datum.Datum = basemap.datum if basemap.url else "wgs84"

# The map remounts when its language or basemap changes: carry the current view over.
identity = (lang, basemap.key)
if state.get("map_identity") not in (None, identity) and state.get("view"):
    state["view_apply"] = state["view"]
state["map_identity"] = identity
state["shown_datum"] = draw_datum

# ------------------------------------------------------------------ page
st.title(tr("page.title", lang))
st.caption(tr("page.intro", lang))

cols = st.columns(5)
cols[0].metric(tr("metric.route_length", lang), display.format_km(figs.route_length_m))
cols[1].metric(tr("metric.creek_length", lang), display.format_km(figs.creek_length_m))
cols[2].metric(tr("metric.stations_confirmed", lang), figs.stations_confirmed)
cols[3].metric(tr("metric.stations_indicative", lang), figs.stations_indicative)
cols[4].metric(
    tr("metric.sites_shown", lang),
    tr("metric.of_total", lang, shown=len(sites), total=figs.sites),
)

if basemap.shifted:
    shift_m = mapview.display_shift_m(atlas, datum=draw_datum)
    st.caption(tr("basemap.shifted", lang, shift=display.format_length(shift_m)))


def dynamic_layers() -> list[Any]:
    """The layers that change with the widgets (drawn in the basemap's datum)."""
    layers_now: list[Any] = [
        mapview.sites_layer(sites, total=len(sites_all), lang=lang, datum=draw_datum)
    ]
    if measurement is not None:
        layers_now.append(
            mapview.measurement_layer(
                measurement,
                from_label=places[from_key][0],
                to_label=places[to_key][0],
                lang=lang,
                datum=draw_datum,
            )
        )
    if user_layer is not None and user_sites is not None:
        layers_now.append(
            mapview.upload_layer(user_sites, title=user_layer.title, lang=lang, datum=draw_datum)
        )
    if nearest is not None:
        layers_now.append(mapview.click_layer(nearest, lang=lang, datum=draw_datum))
    return layers_now


@st.cache_resource(show_spinner=False, max_entries=16)
def built_base_map(
    folder: str,
    signature: tuple[tuple[str, int], ...],
    lang: i18n.Lang,
    background: mapview.Basemap,
    _atlas: layers.Atlas,
) -> Any:
    """The base map for one data folder, language and basemap, built once (shared, read only)."""
    return mapview.build_map(
        _atlas,
        basemap=background,
        km_posts=km_posts(folder, signature, _atlas),
        lang=lang,
    )


def base_map() -> Any:
    # st_folium adds the dynamic layers to the map it is given: hand it a copy.
    return copy.deepcopy(built_base_map(str(folder), signature, lang, basemap, atlas))


view_apply = state.get("view_apply")
view_center = None
view_zoom = None
if view_apply:
    lon_c, lat_c = datum.convert_point(view_apply[0], src="wgs84", dst=draw_datum)
    view_center, view_zoom = (lat_c, lon_c), int(view_apply[1])
st.caption(tr("page.map_label", lang))
st_folium(
    base_map(),
    key=MAP_KEY,
    height=MAP_HEIGHT_PX,
    use_container_width=True,
    feature_group_to_add=dynamic_layers(),
    layer_control=mapview.layer_control(),
    returned_objects=["last_clicked", "center", "zoom"],
    center=view_center,
    zoom=view_zoom,
    render=False,  # st_folium renders the map itself as well; once is enough
)

left, right = st.columns(2)
with left:
    st.subheader(tr("section.measurement", lang))
    if measurement is None:
        st.info(measure_error or tr("measure.choose", lang))
    else:
        st.markdown(
            f"**{safety.escape_markdown(places[from_key][0])}** → "
            f"**{safety.escape_markdown(places[to_key][0])}**"
        )
        mcols = st.columns(2)
        mcols[0].metric(
            tr("metric.along_route", lang), display.format_length(measurement.along_route_m)
        )
        mcols[1].metric(tr("metric.straight", lang), display.format_length(measurement.straight_m))
        times = display.travel_times(measurement.total_m)
        tcols = st.columns(3)
        for col, (mode, seconds) in zip(tcols, times.items(), strict=True):
            col.metric(
                tr(
                    "metric.mode",
                    lang,
                    mode=tr(f"mode.{mode}", lang),
                    kmh=f"{display.SPEEDS_KMH[mode]:g}",
                ),
                display.format_duration(seconds),
            )
        offsets_m = measurement.start.offset_m + measurement.end.offset_m
        st.caption(
            tr(
                "measure.times_note",
                lang,
                total=display.format_length(measurement.total_m),
                offsets=display.format_length(offsets_m),
            )
        )
        st.markdown(f"**{tr('measure.bridges_crossed', lang)}**")
        if measurement.bridges:
            st.dataframe(tables.crossed_bridges(measurement, atlas, lang), hide_index=True)
        else:
            st.caption(tr("measure.no_bridges", lang))
with right:
    st.subheader(tr("section.clicked", lang))
    if nearest is None:
        st.info(tr("click.prompt", lang))
    else:
        st.markdown(
            tr(
                "click.result",
                lang,
                chainage=display.format_chainage(nearest.chainage_m),
                route_distance=display.format_length(nearest.route_distance_m),
                station=safety.escape_markdown(
                    i18n.name(nearest.station_name_en, nearest.station_name_zh, lang)
                ),
                station_distance=display.format_length(nearest.station_distance_m),
            )
        )

# Lazy tabs: only the open tab's table is built and sent (every widget change reruns
# the page; four tables per rerun cost each browser more than the rest of the page).
# Streamlit keeps the open tab by its label, and these labels change with the language
# and the counts: remember the tab's position instead.
tab_labels = [
    tr("tab.sites", lang, count=len(sites)),
    tr("tab.stations", lang, count=len(station_rows)),
    tr("tab.bridges", lang, count=len(atlas.bridges)),
    tr("tab.areas", lang),
]


def remember_tab(labels: list[str]) -> None:
    """Tabs callback: store the open tab's position."""
    state["table_tab_index"] = labels.index(state["table_tab"])


state["table_tab"] = tab_labels[state.get("table_tab_index", 0)]
tab_sites, tab_stations, tab_bridges, tab_areas = st.tabs(
    tab_labels, key="table_tab", on_change=remember_tab, args=(tab_labels,)
)


def table(frame: Any, *, file_name: str) -> None:
    """A table and its formula-safe CSV (Streamlit's own table download is off)."""
    st.dataframe(frame, hide_index=True)
    st.download_button(
        tr("export.table_csv", lang),
        data=lambda: exports.table_csv(frame),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        key=f"csv_{file_name}",
    )


if tab_sites.open:
    with tab_sites:
        table(tables.sites(sites, lang), file_name="putuo_sites_table.csv")
if tab_stations.open:
    with tab_stations:
        table(tables.stations(atlas, lang), file_name="putuo_stations.csv")
if tab_bridges.open:
    with tab_bridges:
        table(tables.bridges(atlas, lang), file_name="putuo_bridges.csv")
if tab_areas.open:
    with tab_areas:
        acols = st.columns(2)
        with acols[0]:
            st.markdown(tr("tables.parks", lang))
            table(tables.parks(atlas, figs, lang), file_name="putuo_parks.csv")
        with acols[1]:
            st.markdown(tr("tables.zones", lang))
            table(tables.zones(atlas, figs, lang), file_name="putuo_zones.csv")
        speeds = ", ".join(
            f"{tr(f'mode.{m}', lang)} {kmh:g} km/h" for m, kmh in display.SPEEDS_KMH.items()
        )
        st.caption(tr("tables.note", lang, speeds=speeds, folder=folder))

# ------------------------------------------------------------------ permalink
point_refs = {end: tuple(p["lonlat"]) for end, p in state["points"].items()}


def end_ref(key: str) -> str | tuple[float, float]:
    return point_refs[key.split(":", 1)[1]] if key.startswith("point:") else key


view = state.get("view")
link = permalink.Link(
    lang=lang,
    basemap=basemap.key,
    categories=None if list(chosen) == categories else tuple(chosen),
    query=query.strip() or None,
    from_ref=end_ref(from_key),
    to_ref=end_ref(to_key),
    center_lonlat=view[0] if view else None,
    zoom=view[1] if view else None,
)
params = permalink.encode(link)
if params != st.query_params.to_dict():
    st.query_params.from_dict(params)

share, download = st.columns(2)
with share:
    # Opened on demand: the address bar already holds the same link, and a code block
    # re-highlighted on every rerun is the page's single most expensive element.
    share_box = st.expander(tr("share.header", lang), key="share_open", on_change="rerun")
    if share_box.open:
        share_box.code(permalink.url(st.context.url or "", params), language=None, wrap_lines=True)
    share_box.caption(tr("share.caption", lang))
with download:
    st.subheader(tr("export.header", lang))

    def label(name_en: Any, name_zh: Any) -> str:
        return i18n.name(name_en, name_zh, lang)

    def map_html() -> str:
        m = base_map()
        for group in dynamic_layers():
            group.add_to(m)
        mapview.layer_control().add_to(m)
        if view:
            lon_v, lat_v = datum.convert_point(view[0], src="wgs84", dst=draw_datum)
            exports.set_view(m, center_latlon=(lat_v, lon_v), zoom=view[1])
        return exports.standalone_html(m)

    dcols = st.columns(2)
    dcols[0].download_button(
        tr("export.sites_geojson", lang),
        data=lambda: exports.sites_geojson(sites),
        file_name="putuo_sites.geojson",
        mime="application/geo+json",
        on_click="ignore",
    )
    dcols[1].download_button(
        tr("export.sites_csv", lang),
        data=lambda: exports.sites_csv(sites),
        file_name="putuo_sites.csv",
        mime="text/csv",
        on_click="ignore",
    )
    dcols[0].download_button(
        tr("export.route_gpx", lang),
        data=lambda: exports.route_gpx(
            atlas.route, atlas.stations, name=tr("gpx.route_name", lang), label=label
        ),
        file_name="putuo_route.gpx",
        mime="application/gpx+xml",
        on_click="ignore",
    )
    if measurement is not None:
        path_name = tr("gpx.path_name", lang, start=places[from_key][0], end=places[to_key][0])
        dcols[1].download_button(
            tr("export.path_gpx", lang),
            data=lambda: exports.measurement_gpx(
                measurement,
                name=path_name,
                from_name=places[from_key][0],
                to_name=places[to_key][0],
            ),
            file_name="putuo_measured_path.gpx",
            mime="application/gpx+xml",
            on_click="ignore",
        )
    else:
        dcols[1].caption(tr("export.no_path", lang))
    st.download_button(
        tr("export.map_html", lang),
        data=map_html,
        file_name="putuo_map.html",
        mime="text/html",
        on_click="ignore",
    )
