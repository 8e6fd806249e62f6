"""The map page: `streamlit run app.py` (or `make run`).

Thin on purpose: widgets and layout. The page's state (places, clicks, upload, link) is
kept by `putuo_geo.page`; everything it shows is computed by `putuo_geo` (overview,
network, mapview, tables, display, exports); every word comes from the catalogue in
`putuo_geo.i18n` (this file holds only its keys). See the README's "The map page".
"""

from __future__ import annotations

from typing import Any

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from panels import events as events_panel
from panels import layout, mapbar, sidebar
from panels import planner as planner_panel
from panels import whereami as where_panel
from putuo_geo import (
    assets,
    basemaps,
    config,
    display,
    errors,
    exports,
    i18n,
    layers,
    mapview,
    measuring,
    network,
    overview,
    page,
    permalink,
    planner_page,
    processcache,
    safety,
    tables,
)
from putuo_geo.i18n import tr

Sig = tuple[tuple[str, int], ...]

state = st.session_state
if "link" not in state:  # the first run of a session: what the URL says
    state["link"] = permalink.decode(st.query_params.to_dict())
state.setdefault("lang", i18n.as_lang(state["link"].lang))
lang: i18n.Lang = i18n.as_lang(state["lang"])

st.set_page_config(page_title=tr("page.tab_title", lang), page_icon="🏃", layout="wide")


# ------------------------------------------------------------------ cached data


@processcache.memo(max_entries=2)  # not st.cache_resource: any socket can clear that
def load_atlas(folder: str, signature: Sig) -> tuple[layers.Atlas, overview.Figures]:
    atlas = layers.load_atlas(folder)
    return atlas, overview.figures(atlas)


@processcache.memo(max_entries=2)
def route_network(folder: str, signature: Sig, _atlas: layers.Atlas) -> network.RouteNetwork:
    return network.RouteNetwork.from_atlas(_atlas)


@processcache.memo(max_entries=16)
def built_base_map(
    folder: str, signature: Sig, lang: i18n.Lang, background: mapview.Basemap, _atlas: layers.Atlas
) -> Any:
    """The base map for one data folder, language and basemap, built once (shared, read only)."""
    posts = overview.km_posts(_atlas)
    return mapview.build_map(_atlas, basemap=background, km_posts=posts, lang=lang)


@processcache.memo(max_entries=8)
def atlas_texts(folder: str, signature: Sig, lang: i18n.Lang, _atlas: layers.Atlas) -> Any:
    """The atlas's places and the route's doubt line, per language (shared: copy to add)."""
    return page.place_choices(_atlas, lang=lang), page.route_doubt_text(_atlas, lang=lang)


# ------------------------------------------------------------------ load or explain

folder = config.data_dir()
signature = page.data_signature(folder)
try:
    with st.spinner(tr("page.loading_layers", lang)):
        atlas, figs = load_atlas(str(folder), signature)
except (errors.PutuoGeoError, OSError) as exc:  # every problem as text, no server path
    st.error(page.error_panel(exc, folder, lang=lang))
    st.stop()

missing = assets.missing_files()
if missing:
    st.error(tr("error.assets_missing", lang, files=", ".join(missing)))
    st.stop()

sites_all = atlas.sites
basemap_options = basemaps.basemaps(lang=lang)
base_keys = [b.key for b in basemap_options]
counts = overview.category_counts(sites_all)
categories = page.category_order(counts.to_dict(), palette=mapview.CATEGORY_COLOURS)

# The page's state (putuo_geo.page): the link (first run only), the map's last click and
# view (before the widgets, so a click can fill FROM/TO), the upload, the places.
atlas_places, route_doubt = atlas_texts(str(folder), signature, lang, atlas)
places = dict(atlas_places)  # this session's points are added below
event_data = events_panel.load(str(folder), signature)  # a link's event= is checked against it
routes = route_network(str(folder), signature, atlas)
linkable = {
    "place_keys": places,
    "event_ids": events_panel.ids(event_data),
    "speeds_kmh": planner_page.SPEEDS_KMH,
    "minutes": range(*planner_page.MINUTES_RANGE[:2], planner_page.MINUTES_RANGE[2]),
    "station_ids": [str(i) for i in atlas.stations["id"]],
}
restored = page.restore_link(state, basemaps=base_keys, categories=categories, **linkable)
click_lonlat = page.take_map_return(state, state.get(page.MAP_KEY))
measuring.take_message(state, state.get(page.MAP_KEY), snap=measuring.snapper(routes))
here = page.take_position(state, state.get(page.MAP_KEY))  # only from the map's return
user_layer, upload_problems = page.current_upload(state)
places |= page.session_choices(
    lang=lang, user_frame=None if user_layer is None else user_layer.frame, points=state["points"]
)
options = page.labelled_options(categories=categories, place_keys=places, basemap_keys=base_keys)
page.keep_choices(state, options)  # a rerun may bring a label from the other language
# The sidebar is drawn after the map (panels.sidebar): its values come from the session.
held = page.sidebar_values(
    state, categories=categories, place_keys=list(places), basemap_keys=base_keys
)
chosen, query, from_key, to_key = held.categories, held.query, held.from_key, held.to_key
basemap = basemaps.by_key(basemap_options, held.basemap_key)

# ------------------------------------------------------------------ compute
sites = overview.filter_sites(sites_all, categories=chosen, query=query)
show_upload = user_layer is not None and state.get("upload_show", True)
user_sites = overview.filter_sites(user_layer.frame, query=query) if show_upload else None
listed = exports.merge_sites(sites, user_sites)  # the table and exports: uploads too
ends = (page.place_label(places, from_key), page.place_label(places, to_key))
measurement, measure_error = page.measure(routes, places, (from_key, to_key), lang=lang)
measured_doubt = page.measurement_doubt(atlas, measurement) if measurement else None
nearest = overview.nearest(atlas, click_lonlat, model=routes.model) if click_lonlat else None
draw_datum = basemap.datum if basemap.url else "wgs84"
page.carry_view(state, lang=lang, basemap_key=basemap.key, draw_datum=draw_datum)
event_view = events_panel.prepare(state, event_data, lang=lang)  # the map needs the selection
plan = planner_panel.read(
    state, atlas, routes, folder=str(folder), signature=signature, lang=lang, datum=draw_datum
)
# The map's measuring state: mode, ends, the answer card, and a fit once per measurement.
taps = measuring.map_sync(
    state,
    places,
    measurement,
    keys=(from_key, to_key),
    labels=ends,
    path_doubt=measured_doubt,
    bridges=atlas.bridges,
    draw_datum=draw_datum,
    lang=lang,
    candidate_mode=page.CANDIDATE_MODE,
    link_view=restored.center_lonlat is not None,
)


def composed(view: Any) -> mapview.Composed:
    """The map on screen, and the HTML export (st_folium adds to the map: give a copy)."""
    base = mapview.copy_map(built_base_map(str(folder), signature, lang, basemap, atlas))
    return mapview.compose(
        base,
        sites=sites,
        total_sites=len(sites_all),
        lang=lang,
        datum=draw_datum,
        measurement=measurement,
        end_labels=ends,
        measurement_doubt=measured_doubt,
        upload=None
        if user_sites is None or user_layer is None
        else (page.upload_on_map(user_sites), user_layer.title),  # capped (notices say)
        nearest=nearest,
        view_lonlat=view,
        event=event_view.selected,
        extra_layers=plan.layers(),
        taps=taps.to_json(),
    )


def download_button(where: Any, item: page.Download, **kw: Any) -> None:  # made when clicked
    label = tr(item.label_key, lang)
    where.download_button(label, item.data, item.file_name, item.mime, on_click="ignore", **kw)


# ------------------------------------------------------------------ page: map first
layout.style(lang=lang)
on_screen = composed(state.get("view_apply"))
with st.container(key=layout.MAP_BOX_KEY):  # keeps the map's space while it loads
    st_folium(
        on_screen.base,
        key=page.MAP_KEY,
        height=layout.MAP_PX,  # the page's CSS makes it the screen less the bar under it
        use_container_width=True,
        feature_group_to_add=on_screen.dynamic,
        layer_control=on_screen.control,
        # No "center"/"zoom": they rerun the whole script on every pan. The view stays
        # in the browser (mapcontrols.ViewInUrl writes it to the address bar).
        returned_objects=list(page.MAP_RETURNS),
        center=on_screen.center_latlon,
        zoom=on_screen.zoom,
        render=False,  # st_folium renders the map itself as well; once is enough
    )
mapbar.show(state, lang=lang, categories=categories, counts=counts.to_dict())
sidebar.show(
    state,
    lang=lang,
    places=places,
    user_layer=user_layer,
    upload_problems=upload_problems,
    basemap_options=basemap_options,
)
planner_panel.sidebar(plan, state=state, lang=lang)
where_panel.show(here, net=routes, atlas=atlas, folder=str(folder), signature=signature, lang=lang)
layout.heading(figs, shown=len(sites), lang=lang)
for note in page.notices(state, lang=lang):  # the link's and a click's problems
    getattr(st.expander(note.folded) if note.folded else st, note.kind)(note.text)
st.caption(route_doubt)  # confirmed / modelled km and %
if basemap.shifted:
    shift_m = mapview.display_shift_m(atlas, datum=draw_datum)
    st.caption(tr("basemap.shifted", lang, shift=display.format_length(shift_m)))

left, right = st.columns(2)
with left:
    st.subheader(tr("section.measurement", lang))
    if measurement is None:
        st.info(measure_error or tr("measure.choose_or_tap", lang))
    else:
        ends_md = [safety.escape_markdown(label) for label in ends]
        st.markdown(f"**{ends_md[0]}** → **{ends_md[1]}**")
        figures = page.measurement_figures(measurement, lang=lang, path_doubt=measured_doubt)
        st.markdown(page.figures_line(figures[:2]) + "  \n" + page.figures_line(figures[2:]))
        st.caption(page.measurement_note(measurement, lang=lang, path_doubt=measured_doubt))
        st.markdown(f"**{tr('measure.bridges_crossed', lang)}**")
        if measurement.bridges:  # a list, not a data grid (its scripts held the map up)
            st.markdown(page.rows_markdown(tables.crossed_bridges(measurement, atlas, lang)))
        else:
            st.caption(tr("measure.no_bridges", lang))
with right:
    st.subheader(tr("section.clicked", lang))
    if nearest is None:
        st.info(tr("click.prompt", lang))
    else:
        st.markdown(page.click_text(nearest, lang=lang))
planner_panel.figures(plan, state=state, lang=lang, user_layer=user_layer)

events_panel.show(event_view, lang=lang, folder=folder, signature=signature)

layout.tables(atlas, sites=listed, figs=figs, lang=lang, folder=folder, download=download_button)
about = layout.lazy(tr("about.header", lang), "about_open")  # the data's warnings
if about is not None:
    notes = page.data_notes(atlas, routes=routes, lang=lang)
    about.warning(notes) if notes else about.markdown(tr("about.none", lang))
    about.caption(tr("about.validate", lang))

# ------------------------------------------------------------------ permalink and exports
params = page.link_params(state, categories=categories, places=places)
if params != st.query_params.to_dict():
    st.query_params.from_dict(params)

share, download = st.columns(2)
with share:
    # Opened on demand: the address bar already holds the same link, and a code block
    # re-highlighted on every rerun is the page's single most expensive element.
    share_box = st.expander(tr("share.header", lang), key="share_open", on_change="rerun")
    if share_box.open:  # the address bar's link, live: it holds the map's view (issue 24)
        link = permalink.url(st.context.url or "", params)
        with share_box:
            components.html(page.share_html(link, lang=lang), height=page.SHARE_BOX_PX)
    share_box.caption(tr("share.caption", lang))
with download:  # built only while open, like the share box
    box = layout.lazy(tr("export.header", lang), "export_open")
    if box is not None:
        offered = page.downloads(
            atlas, sites=listed, measurement=measurement, end_labels=ends, lang=lang
        )
        dcols = box.columns(2)
        for i, item in enumerate(offered):
            download_button(dcols[i % 2], item)
        if measurement is None:
            dcols[1].caption(tr("export.no_path", lang))
        html = lambda: exports.standalone_html(  # noqa: E731
            composed(state.get("view")).whole(),
            title=tr("page.tab_title", lang),
            lang=i18n.HTML_LANG[lang],
        )
        item = page.Download("export.map_html", html, "putuo_map.html", "text/html")
        download_button(box, item)
