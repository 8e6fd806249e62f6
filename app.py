"""The map page: `streamlit run app.py` (or `make run`).

Thin on purpose: widgets and layout. The page's state (places, clicks, upload, link) is
kept by `putuo_geo.page`; everything it shows is computed by `putuo_geo` (overview,
network, mapview, tables, display, exports); every word comes from the catalogue in
`putuo_geo.i18n` (this file holds only its keys). See the README's "The map page".
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
    display,
    errors,
    exports,
    i18n,
    layers,
    mapview,
    network,
    overview,
    page,
    permalink,
    safety,
    tables,
    uploads,
)
from putuo_geo.i18n import tr

MAP_HEIGHT_PX = 640
Sig = tuple[tuple[str, int], ...]

state = st.session_state
if "link" not in state:  # the first run of a session: what the URL says
    state["link"] = permalink.decode(st.query_params.to_dict())
state.setdefault("lang", i18n.as_lang(state["link"].lang))
lang: i18n.Lang = i18n.as_lang(state["lang"])

st.set_page_config(page_title=tr("page.tab_title", lang), page_icon="🏃", layout="wide")


# ------------------------------------------------------------------ cached data


def data_signature(folder: Path) -> Sig:
    """File names and modification times: edits to the data invalidate the caches."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.*json")))


@st.cache_resource(show_spinner=False)
def load_atlas(folder: str, signature: Sig) -> layers.Atlas:
    return layers.load_atlas(folder)


@st.cache_resource(show_spinner=False)
def route_network(folder: str, signature: Sig, _atlas: layers.Atlas) -> network.RouteNetwork:
    return network.RouteNetwork.from_atlas(_atlas)


@st.cache_resource
def page_figures(folder: str, signature: Sig, _atlas: layers.Atlas) -> overview.Figures:
    return overview.figures(_atlas)


@st.cache_resource(show_spinner=False, max_entries=16)
def built_base_map(
    folder: str, signature: Sig, lang: i18n.Lang, background: mapview.Basemap, _atlas: layers.Atlas
) -> Any:
    """The base map for one data folder, language and basemap, built once (shared, read only)."""
    posts = overview.km_posts(_atlas)
    return mapview.build_map(_atlas, basemap=background, km_posts=posts, lang=lang)


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
sites_all = atlas.sites
basemap_options = basemaps.basemaps(lang=lang)
counts = overview.category_counts(sites_all)
categories = [c for c in mapview.CATEGORY_COLOURS if c in counts.index] + [
    c for c in counts.index if c not in mapview.CATEGORY_COLOURS
]

# The page's state (putuo_geo.page): the link (first run only), the map's last click and
# view (before the widgets, so a click can fill FROM/TO), the upload, the places.
places = page.place_choices(atlas, lang=lang)
page.restore_link(
    state, basemaps=[b.key for b in basemap_options], categories=categories, place_keys=places
)
click_lonlat = page.take_map_return(state, state.get(page.MAP_KEY))
user_layer, upload_problems = page.current_upload(state)
places |= page.session_choices(
    lang=lang, user_frame=None if user_layer is None else user_layer.frame, points=state["points"]
)


def label_of(key: str) -> str:
    return places[key].label


# ------------------------------------------------------------------ sidebar
with st.sidebar:
    st.radio(
        tr("page.language", lang),
        i18n.LANGUAGES,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key="lang",
        horizontal=True,
        on_change=page.relabel,
        args=(state,),
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
    mb = uploads.MAX_UPLOAD_BYTES // 2**20
    st.file_uploader(
        tr("upload.label", lang),
        type=["geojson", "json", "csv"],
        key="upload_file",
        on_change=page.take_upload,
        args=(state,),
        max_upload_size=mb,
        help=tr("upload.help", lang, mb=mb, count=f"{uploads.MAX_UPLOAD_FEATURES:,}"),
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
    page.settle_ends(state, keys)
    from_key = st.selectbox(
        tr("measure.from", lang), keys, format_func=label_of, key="measure_from"
    )
    to_key = st.selectbox(tr("measure.to", lang), keys, format_func=label_of, key="measure_to")
    st.radio(
        tr("measure.click_mode", lang),
        page.CLICK_MODES,
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
            page.INPUT_DATUMS,
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
                lon_t, lat_t = typed.lonlat
                shift = display.format_length(typed.shift_m)
                st.caption(
                    tr("coords.result", lang, lat=f"{lat_t:.6f}", lon=f"{lon_t:.6f}", shift=shift)
                )
                for col, end in zip(st.columns(2), page.ENDS, strict=True):
                    col.button(
                        tr(f"coords.use_{end}", lang),
                        key=f"coord_use_{end}",
                        on_click=page.use_point,
                        args=(state, end, typed.lonlat),
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
show_upload = user_layer is not None and state.get("upload_show", True)
user_sites = overview.filter_sites(user_layer.frame, query=query) if show_upload else None
routes = route_network(str(folder), signature, atlas)
measurement: network.Measurement | None = None
measure_error = ""
if from_key == to_key:
    measure_error = tr("measure.same_place", lang)
else:
    try:
        measurement = routes.measure(places[from_key].lonlat, places[to_key].lonlat)
    except errors.PutuoGeoError as exc:
        measure_error = tr("measure.failed", lang, detail=exc)
nearest = overview.nearest(atlas, click_lonlat) if click_lonlat else None
draw_datum = basemap.datum if basemap.url else "wgs84"
page.carry_view(state, lang=lang, basemap_key=basemap.key, draw_datum=draw_datum)


def composed(view: Any) -> mapview.Composed:
    """The map on screen, and the HTML export (st_folium adds to the map: give a copy)."""
    base = copy.deepcopy(built_base_map(str(folder), signature, lang, basemap, atlas))
    return mapview.compose(
        base,
        sites=sites,
        total_sites=len(sites_all),
        lang=lang,
        datum=draw_datum,
        measurement=measurement,
        end_labels=(label_of(from_key), label_of(to_key)),
        upload=None if user_sites is None or user_layer is None else (user_sites, user_layer.title),
        nearest=nearest,
        view_lonlat=view,
    )


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
if routes.unlinked_bridges:  # measurements go round them: say so
    unlinked = ", ".join(routes.unlinked_bridges)
    ids = safety.escape_markdown(unlinked)
    st.warning(tr("measure.unlinked_bridges", lang, count=len(routes.unlinked_bridges), ids=ids))

if basemap.shifted:
    shift_m = mapview.display_shift_m(atlas, datum=draw_datum)
    st.caption(tr("basemap.shifted", lang, shift=display.format_length(shift_m)))

on_screen = composed(state.get("view_apply"))
st.caption(tr("page.map_label", lang))
st_folium(
    on_screen.base,
    key=page.MAP_KEY,
    height=MAP_HEIGHT_PX,
    use_container_width=True,
    feature_group_to_add=on_screen.dynamic,
    layer_control=on_screen.control,
    returned_objects=["last_clicked", "center", "zoom"],
    center=on_screen.center_latlon,
    zoom=on_screen.zoom,
    render=False,  # st_folium renders the map itself as well; once is enough
)

left, right = st.columns(2)
with left:
    st.subheader(tr("section.measurement", lang))
    if measurement is None:
        st.info(measure_error or tr("measure.choose", lang))
    else:
        st.markdown(
            f"**{safety.escape_markdown(label_of(from_key))}** → "
            f"**{safety.escape_markdown(label_of(to_key))}**"
        )
        mcols = st.columns(2)
        mcols[0].metric(
            tr("metric.along_route", lang), display.format_length(measurement.along_route_m)
        )
        mcols[1].metric(tr("metric.straight", lang), display.format_length(measurement.straight_m))
        times = display.travel_times(measurement.total_m)
        for col, (mode, seconds) in zip(st.columns(3), times.items(), strict=True):
            kmh = f"{display.SPEEDS_KMH[mode]:g}"
            col.metric(
                tr("metric.mode", lang, mode=tr(f"mode.{mode}", lang), kmh=kmh),
                display.format_duration(seconds),
            )
        offsets_m = measurement.start.offset_m + measurement.end.offset_m
        total = display.format_length(measurement.total_m)
        offsets = display.format_length(offsets_m)
        st.caption(tr("measure.times_note", lang, total=total, offsets=offsets))
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
        station = i18n.name(nearest.station_name_en, nearest.station_name_zh, lang)
        st.markdown(
            tr(
                "click.result",
                lang,
                chainage=display.format_chainage(nearest.chainage_m),
                route_distance=display.format_length(nearest.route_distance_m),
                station=safety.escape_markdown(station),
                station_distance=display.format_length(nearest.station_distance_m),
            )
        )

# Lazy tabs: only the open tab's table is built and sent (every widget change reruns
# the page; four tables per rerun cost each browser more than the rest of the page).
# Streamlit keeps the open tab by its label, and these labels change with the language
# and the counts: remember the tab's position instead.
tab_labels = [
    tr("tab.sites", lang, count=len(sites)),
    tr("tab.stations", lang, count=len(atlas.stations)),
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

# ------------------------------------------------------------------ permalink and exports
params = page.link_params(
    state,
    lang=lang,
    basemap_key=basemap.key,
    chosen=chosen,
    categories=categories,
    query=query,
    from_key=from_key,
    to_key=to_key,
)
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

    def download(col: Any, key: str, data: Any, file_name: str, mime: str) -> None:
        col.download_button(
            tr(key, lang), data=data, file_name=file_name, mime=mime, on_click="ignore"
        )

    dcols = st.columns(2)
    geo, gpx, csv = "application/geo+json", "application/gpx+xml", "text/csv"
    download(
        dcols[0],
        "export.sites_geojson",
        lambda: exports.sites_geojson(sites),
        "putuo_sites.geojson",
        geo,
    )
    download(dcols[1], "export.sites_csv", lambda: exports.sites_csv(sites), "putuo_sites.csv", csv)
    route_name = tr("gpx.route_name", lang)
    download(
        dcols[0],
        "export.route_gpx",
        lambda: exports.route_gpx(atlas.route, atlas.stations, name=route_name, label=label),
        "putuo_route.gpx",
        gpx,
    )
    if measurement is not None:
        ends = {"from_name": label_of(from_key), "to_name": label_of(to_key)}
        path_name = tr("gpx.path_name", lang, start=ends["from_name"], end=ends["to_name"])
        download(
            dcols[1],
            "export.path_gpx",
            lambda: exports.measurement_gpx(measurement, name=path_name, **ends),
            "putuo_measured_path.gpx",
            gpx,
        )
    else:
        dcols[1].caption(tr("export.no_path", lang))
    map_html = lambda: exports.standalone_html(composed(state.get("view")).whole())  # noqa: E731
    download(st, "export.map_html", map_html, "putuo_map.html", "text/html")
