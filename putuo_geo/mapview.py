"""Build the folium map of the belt from an :class:`~putuo_geo.layers.Atlas`.

Pure map building: this module never imports streamlit. The page asks for

- :func:`build_map`: the base map (basemap, every static layer, km posts, ruler,
  legend). It depends only on the atlas and the basemap, so it is the same on every
  rerun and ``st_folium`` keeps the live map (and the user's pan and zoom);
- :func:`sites_layer`, :func:`measurement_layer`, :func:`click_layer`,
  :func:`putuo_geo.mapevents.event_layer`: the layers that
  change with the page's widgets, handed to ``st_folium(feature_group_to_add=...)``,
  which swaps them on the live map instead of rebuilding it;
- :func:`layer_control`: the layer toggles, rebuilt by ``st_folium`` after those layers;
- :func:`compose`: all of the above for one state of the page, as parts for
  ``st_folium`` or joined into one map for the HTML export.

Its parts live beside it: the features, card rows and the one GeoJSON serialiser in
:mod:`putuo_geo.mapfeatures`, the doubt bands in :mod:`putuo_geo.mapdoubt`, the event
layer in :mod:`putuo_geo.mapevents`, the planner's layers in :mod:`putuo_geo.planmap`.

Every string that comes from the data is HTML-escaped (:func:`putuo_geo.safety.escape_html`,
which also escapes the braces folium's templates would read) before it is put into a
tooltip, a popup, the legend or a layer name. Layers are
:class:`putuo_geo.maplayer.DataLayer`: each feature ships its escaped title and card-row
indices, each layer its escaped row labels and distinct texts once, and the browser joins
them with constant markup into the tooltip and popup (the map payload stays small).
GeoJSON goes to Leaflet as lon/lat; the only place that flips a coordinate to folium's
(lat, lon) is :func:`putuo_geo.mapfeatures.latlon`.

Words come from :mod:`putuo_geo.i18n` in the language passed as ``lang``. On a basemap
drawn in GCJ-02 (:mod:`putuo_geo.basemaps`) every layer, marker and path is converted
WGS-84 -> GCJ-02 just before it is drawn (:func:`display_atlas`, ``datum=``); the data
and every measurement stay WGS-84.
Every script and style URL is rewritten to the app's own copies by
:func:`putuo_geo.assets.localize`.

Every vector layer is drawn on one ``<canvas>`` (the map's ``preferCanvas``), not
one SVG node per feature, so thousands of sites draw and pan fast (README
"Performance"). One renderer for all, not a canvas for the sites alone: Leaflet
finds the feature under the mouse within one renderer, so a canvas and an SVG in one
pane hide each other's features from the mouse (with a canvas of their own, sites
under a zone's outline showed the zone's tooltip). And a ``renderer`` given to
``L.geoJson`` does not reach the circle markers its ``pointToLayer`` makes.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure
from folium.utilities import JsCode

from putuo_geo import (
    assets,
    config,
    crs,
    display,
    doubt,
    exports,
    i18n,
    mapcontrols,
    maplayer,
)
from putuo_geo.basemaps import (
    NO_TILES,
    OSM,
    TILE_ATTRIBUTION_ENV,
    TILE_URL_ENV,
    Basemap,
    basemaps,
)
from putuo_geo.credits import (
    CNMAPS_CREDIT,
    OSM_CREDIT,
    Attribution,
    Credit,
    credits_html,
    data_credits,
    tile_attribution,
)
from putuo_geo.datum import Datum, convert_frame, convert_geometry, convert_point
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas
from putuo_geo.mapdoubt import BAND_PANE, band_layer, doubt_bands
from putuo_geo.mapevents import event_layer
from putuo_geo.mapfeatures import (
    LayerFields,
    collection,
    display_geometry,
    doubt_text,
    enum_row,
    escape_value,
    feature_group,
    finite_or_none,
    latlon,
    line_feature,
    point_feature,
    shift_lonlat,
    span_text,
    text_row,
)
from putuo_geo.mapstyle import (
    BAND_MIN_ZOOM,
    CARD_LABEL,
    CATEGORY_COLOURS,
    DRAWN_COLOURS,
    KM_POST_COLOUR,
    LEGEND_BACKGROUND,
    LEGEND_TEXT,
    OTHER_CATEGORY_COLOUR,
    PAGE_CSS,
    PARK_COLOUR,
    PARK_STROKE,
    PATH_COLOUR,
    PATH_OPACITY,
    ROUTE_COLOUR,
    SITE_FILL_OPACITY,
    STATION_COLOUR,
    UPLOAD_COLOUR,
    ZONE_COLOURS,
    bridge_style,
    creek_style,
    legend_html,
    route_style,
    site_colour,
    station_style,
)
from putuo_geo.network import Measurement
from putuo_geo.overview import Nearest
from putuo_geo.safety import escape_html

__all__ = [  # re-exported for callers that used them from here (style, credits, basemaps)
    "CARD_LABEL",
    "CATEGORY_COLOURS",
    "CNMAPS_CREDIT",
    "DRAWN_COLOURS",
    "LEGEND_BACKGROUND",
    "LEGEND_TEXT",
    "NO_TILES",
    "OSM",
    "OSM_CREDIT",
    "STATION_COLOUR",
    "TILE_ATTRIBUTION_ENV",
    "TILE_URL_ENV",
    "Basemap",
    "Credit",
    "basemaps",
    "credits_html",
    "data_credits",
    "legend_html",
    "site_colour",
    "station_style",
]

#: Overlays in the layer control; their names are ``layer.<key>`` in the catalogue.
LAYER_KEYS: tuple[str, ...] = (
    "boundary",
    "zones",
    "parks",
    "creek",
    "route",
    "km_posts",
    "bridges",
    "stations",
    "sites",
    "measurement",
    "click",
    "doubt_band",
)


def display_atlas(atlas: Atlas, *, datum: Datum = "wgs84") -> Atlas:
    """The atlas as drawn on tiles in ``datum``: every layer converted from WGS-84.

    The stored WGS-84 atlas is returned as is for ``wgs84``; measures never use the
    converted copy.
    """
    if datum == "wgs84":
        return atlas
    converted = {
        name: convert_frame(atlas.layer(name), src="wgs84", dst=datum)
        for name in config.LAYER_NAMES
    }
    return dataclasses.replace(atlas, **converted)


def display_shift_m(atlas: Atlas, *, datum: Datum) -> float:
    """How far drawing in ``datum`` moves the stations: the median, metres (EPSG:32651).

    About 485 m for GCJ-02 in Putuo; 0 for WGS-84.
    """
    stations = atlas.stations
    if datum == "wgs84" or stations.empty:
        return 0.0
    moved = convert_frame(stations, src="wgs84", dst=datum)
    before = crs.points_to_metric(stations, name="stations")
    after = crs.points_to_metric(moved, name="stations")
    return float(np.median(np.hypot(*(after - before).T)))


def _bounds_latlon(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return [latlon((minx, miny)), latlon((maxx, maxy))]


#: The first view's margin around the belt, as a share of its width and height.
BELT_MARGIN = 0.05


def belt_bounds_latlon(atlas: Atlas, *, margin: float = BELT_MARGIN) -> list[list[float]]:
    """The first view: the route, stations and bridges, with ``margin`` around them.

    ``[[south, west], [north, east]]`` in degrees (folium's order), in the atlas's
    datum. ``margin`` is a share of the belt's width and height added on every side;
    the district boundary is used only when the atlas has none of the three layers.
    """
    frames = [atlas.route, atlas.stations, atlas.bridges]
    boxes = [f.total_bounds for f in frames if not f.empty]
    if not boxes:
        return _bounds_latlon(atlas.boundary)
    stacked = np.array(boxes, dtype=float)
    minx, miny = stacked[:, 0].min(), stacked[:, 1].min()
    maxx, maxy = stacked[:, 2].max(), stacked[:, 3].max()
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return [latlon((minx - dx, miny - dy)), latlon((maxx + dx, maxy + dy))]


#: Inside ``st_folium``'s frame (its map div ids): the map fills the frame, whose
#: height the page sets in ``vh`` (a Python height in px cannot follow the screen).
FILL_FRAME_CSS = (
    "<style>#map_div, #map_div2 {height: 100vh !important;}"
    # The collapsible legend has its own toggle: hide the legend's inner summary line.
    ".pg-legend-body > details > summary {display: none;}"
    # In a box of 0.3 of the map's width, legend lines wrap in one column.
    ".pg-legend-body .pg-legend-cols {column-count: 1;}"
    ".pg-legend-body .pg-legend-cols > div {white-space: normal;}"
    # The credits whole and readable (issue 24: clipped to "etMap contributors" at 9 px
    # on a phone, over the scale bar on a desk): 11 px, wrapping upwards, on an opaque
    # ground, never wider than the room the scale bar leaves.
    ".leaflet-control-attribution {font-size: 11px; line-height: 1.35;"
    " background: rgba(255,255,255,0.92) !important; color: #333; white-space: normal;"
    " max-width: calc(100vw - 120px); text-align: right; padding: 1px 5px;}"
    ".leaflet-control-attribution a {color: #005a80;}"
    ".leaflet-control-scale {margin-bottom: 6px !important;}"
    # On a phone Streamlit's sidebar button sits over the map's top-left corner (the
    # empty band above the map is gone): the left column of buttons starts under it.
    "@media (max-width: 600px) {.leaflet-top.leaflet-left {top: 50px;}}</style>"
)

#: leaflet-measure's catalogue for each page language (it ships ``cn`` for Chinese).
MEASURE_LOCALES: Mapping[Lang, str] = {"en": "en", "zh": "cn"}


def _category(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.category", lang), escape_value(i18n.category(p.get("category"), lang))


def _chainage_row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.chainage", lang), escape_value(
        display.format_chainage(finite_or_none(p.get("chainage_m")))
    )


def _span_row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.chainage", lang), escape_value(span_text(p))


def _published_area(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    published = finite_or_none(p.get("area_published_m2"))
    area = escape_value(display.format_ha(published)) if published is not None else ""
    return tr("card.published_area", lang), area


def _opened(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    opened = finite_or_none(p.get("opened"))
    return tr("card.opened", lang), f"{opened:.0f}" if opened is not None else ""


def _station_number(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.station", lang), escape_value(
        tr("card.station_number", lang, number=p.get("number"))
    )


def _zone_style(feature: dict[str, Any]) -> dict[str, Any]:
    colour = ZONE_COLOURS.get(feature["properties"]["zone"], "#888888")
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.08,
        "dashArray": "2 4",
    }


#: The base map's layers, bottom to top (``km_posts`` from :func:`overview.km_posts`).
STATIC_LAYERS: tuple[LayerFields, ...] = (
    LayerFields(
        "boundary",
        "boundary",
        style={
            "color": "#333333",
            "weight": 2,
            "dashArray": "6 4",
            "fill": True,
            "fillColor": "#333333",
            "fillOpacity": 0.03,
        },
        popup=False,
    ),
    LayerFields(
        "zones",
        "zone",
        rows=(text_row("card.method", "method"),),
        extra=(("zone", str),),
        style=_zone_style,
    ),
    LayerFields(
        "parks",
        "park",
        rows=(_published_area, enum_row("card.outline", "outline")),
        style={"color": PARK_STROKE, "weight": 1, "fillColor": PARK_COLOUR, "fillOpacity": 0.35},
    ),
    LayerFields(
        "creek",
        "creek",
        rows=(_span_row, enum_row("card.section", "section")),
        extra=(("status", str),),
        style=creek_style,
    ),
    LayerFields(
        "route",
        "route",
        rows=(enum_row("card.bank", "bank"), _span_row),
        extra=(("status", str),),
        style=route_style,
    ),
    LayerFields(  # a permanent label ("3 km") instead of a tooltip; no popup
        "km_posts",
        "km_post",
        common=False,
        style={"color": KM_POST_COLOUR, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1},
        radius=4,
        tip_rows=None,
        popup=False,
        label_class="pg-km",
    ),
    LayerFields(
        "bridges",
        "bridge",
        rows=(
            enum_row("card.carries", "crossing"),
            _chainage_row,
            enum_row("card.walkable", "walkable", cast=bool),
            text_row("card.joins", "joins"),
            _opened,
        ),
        extra=(("walkable", bool), ("status", str)),
        style=bridge_style,
        radius=5,
    ),
    LayerFields(
        "stations",
        "station",
        rows=(
            _station_number,
            _chainage_row,
            enum_row("card.bank", "bank"),
            text_row("card.offers", "offers"),
        ),
        extra=(("status", str),),
        style=station_style,
        radius=7,
    ),
)
#: The sites with their full cards (up to :data:`SITES_POPUP_MAX`).
SITE_FIELDS = LayerFields(
    "sites",
    "site",
    rows=(_category, text_row("card.address", "address_zh")),
    extra=(("category", str),),
)
#: A user's uploaded sites: what their file says, no status or accuracy of ours.
UPLOAD_FIELDS = LayerFields(
    "upload",
    "upload",
    rows=(
        text_row("card.category", "category"),
        text_row("card.id_in_file", "id_in_file"),
        text_row("card.source", "source"),
    ),
    common=False,
    style={"color": UPLOAD_COLOUR, "weight": 3, "fillColor": "#ffd600", "fillOpacity": 1},
    radius=8,
)


def _static_layer(fields: LayerFields, frame: gpd.GeoDataFrame, lang: Lang) -> folium.FeatureGroup:
    group = feature_group(fields.key, lang)
    fields.draw(collection(frame, fields=fields, lang=lang)).add_to(group)
    return group


def build_map(
    atlas: Atlas,
    *,
    basemap: Basemap = OSM,
    km_posts: gpd.GeoDataFrame | None = None,
    lang: Lang = "en",
    asset_base_url: str = f"{assets.STATIC_URL}/{assets.VENDOR_DIR}",
) -> folium.Map:
    """The base map: basemap, every static layer, km posts, ruler, legend and data credits.

    Parameters
    ----------
    atlas
        The layers (EPSG:4326, WGS-84).
    basemap
        Background tiles; :data:`NO_TILES` for none. When its tiles are drawn in
        GCJ-02 every layer is converted to GCJ-02 before drawing.
    km_posts
        Points from :func:`putuo_geo.overview.km_posts`; none drawn when ``None``.
    lang
        Language of every label, tooltip, popup and the legend.
    asset_base_url
        Where the app serves ``static/vendor`` (see :mod:`putuo_geo.assets`).

    Returns
    -------
    folium.Map
        Sites, measurements and the layer control are added by the caller (see the
        module docstring); every script/style URL already points at local files.
    """
    datum = basemap.datum if basemap.url else "wgs84"
    bands = doubt_bands(atlas)  # measured on the WGS-84 data, then drawn like the rest
    atlas = display_atlas(atlas, datum=datum)
    if datum != "wgs84" and not bands.empty:
        bands = convert_frame(bands, src="wgs84", dst=datum)
    if km_posts is not None and datum != "wgs84":
        km_posts = convert_frame(km_posts, src="wgs84", dst=datum)
    bounds = belt_bounds_latlon(atlas)
    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(  # prefer_canvas: see the module docstring
        location=center,
        zoom_start=14,
        tiles=None,
        control_scale=False,  # mapcontrols.MetricScale: metres only
        max_zoom=19,
        min_zoom=10,
        prefer_canvas=True,
    )
    for url in (basemap.url, basemap.overlay_url):
        if url:
            folium.TileLayer(
                tiles=url,
                attr=tile_attribution(basemap.attribution, lang=lang),
                name=tr(basemap.label_key, lang),
                max_zoom=19,
                max_native_zoom=basemap.max_zoom,
                subdomains=basemap.subdomains,
                overlay=url == basemap.overlay_url,
                control=url == basemap.url,
            ).add_to(m)
    maplayer.Helpers().add_to(m)  # pgCard / pgLayer, used by every layer below
    for fields in STATIC_LAYERS:
        if fields.key != "km_posts":
            _static_layer(fields, atlas.layer(fields.key), lang).add_to(m)
        elif km_posts is not None and not km_posts.empty:
            posts = km_posts.assign(name_en=km_posts["label"], name_zh="", id=km_posts["label"])
            _static_layer(fields, posts, lang).add_to(m)
    if not bands.empty:  # last in the layer control, drawn under the rest (its own pane)
        maplayer.BandPane(BAND_PANE, min_zoom=BAND_MIN_ZOOM).add_to(m)
        band_layer(bands, lang=lang).add_to(m)
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
        localization=MEASURE_LOCALES[lang],  # the ruler's own catalogues
    ).add_to(m)
    mapcontrols.MetricScale().add_to(m)
    # Phone-first controls (issue 13): locate and fullscreen under the zoom, 44 px
    # buttons, and a legend that opens and closes (closed on a narrow map).
    mapcontrols.locate_control(lang=lang).add_to(m)
    mapcontrols.fullscreen_control(lang=lang).add_to(m)
    mapcontrols.TapTargets().add_to(m)
    mapcontrols.ClickReturnNow().add_to(m)  # a click reaches the page 250 ms sooner
    # Measuring by tapping (issue 24): a 44 px button where a thumb is, the answer card
    # above it; a tap on overlapping features offers a list (putuo_geo.measuring).
    mapcontrols.map_taps(lang=lang).add_to(m)
    mid = ((bounds[0][1] + bounds[1][1]) / 2, (bounds[0][0] + bounds[1][0]) / 2)  # drawn
    wgs = convert_point(mid, src=datum, dst="wgs84") if datum != "wgs84" else mid
    mapcontrols.ViewInUrl(offset_lonlat=(mid[0] - wgs[0], mid[1] - wgs[1])).add_to(m)
    mapcontrols.CollapsibleLegend(
        legend_html(atlas, lang=lang),
        title=tr("legend.toggle", lang),
        narrow_px=600,
        # Top right, under the layer toggles, and closed until asked for (issue 24: open,
        # it covered a quarter of the desk's map). Open: 0.3 of the width x 0.5 of the
        # height (a phone: 0.6 x 0.25), 15 % of the map; its lines scroll inside.
        position="topright",
        width_share=0.3,
        height_share=0.5,
        open_when_wide=False,
    ).add_to(m)
    mapcontrols.ControlTexts(
        {
            "zoom_in": tr("map.zoom_in", lang),
            "zoom_out": tr("map.zoom_out", lang),
            "layers": tr("map.layers", lang),
            "map": tr("page.map_label", lang),
            "leaflet": tr("map.leaflet", lang),
        },
        lang=i18n.HTML_LANG[lang],
    ).add_to(m)
    mapcontrols.DeclutterLabels("pg-km").add_to(m)
    mapcontrols.PopupsClearOfControls().add_to(m)
    mapcontrols.KeepPageStill().add_to(m)
    credits = data_credits(atlas, lang=lang)
    if credits:
        Attribution(credits_html(credits)).add_to(m)
    root = m.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Element(PAGE_CSS), name="pg_css")
        root.header.add_child(Element(FILL_FRAME_CSS), name="pg_fill_css")
    mapcontrols.FitClearOfControls(bounds).add_to(m)  # after the controls: it reads them
    for element in _tree(m):  # every copy of the map shares the inlined data (copy_map)
        if isinstance(element, maplayer.DataLayer):
            element.warm()
    return assets.localize(m, base_url=asset_base_url, bundled=True)


def _tree(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _tree(child)


def copy_map(base: folium.Map) -> folium.Map:
    """A copy of a built map that ``st_folium`` (or :meth:`Composed.whole`) may add to.

    ``copy.deepcopy``, except that the data layers' features are shared, not copied:
    a :class:`~putuo_geo.maplayer.DataLayer` never changes its data once made, and
    copying every coordinate was most of the copy's time on each script run.
    """
    shared: dict[int, Any] = {
        id(e.data): e.data for e in _tree(base) if isinstance(e, maplayer.DataLayer)
    }
    return copy.deepcopy(base, memo=shared)


# ---------------------------------------------------------------- dynamic layers


#: Above this many sites each one ships its title and category but no popup card.
SITES_POPUP_MAX = 2_000

#: Sites are drawn by Leaflet from their category (one JS function, not a per-feature
#: style table) with the map's renderer: on a map from :func:`build_map` that is its one
#: canvas (see the module docstring), not one SVG node per site.
_SITE_MARKER_JS = """function (feature, latlng) {
    var colours = %s;
    return L.circleMarker(latlng, {
        radius: 6, color: "#ffffff", weight: 1.5, fill: true, fillOpacity: %g,
        fillColor: colours[feature.properties.category] || "%s"
    });
}"""


def _site_collection(sites: gpd.GeoDataFrame, lang: Lang) -> dict[str, Any]:
    """Sites as GeoJSON points, built column-wise: kind, id, category, title, category row.

    The fast path of :func:`collection` for more than :data:`SITES_POPUP_MAX` point
    sites (a one-row card, no simplification): at 100k sites the per-feature path with
    full cards is what made the page slow (README "Performance").
    """
    frame = sites.to_crs("EPSG:4326") if sites.crs is not None else sites
    frame = frame[~(frame.geometry.is_empty | frame.geometry.isna())]
    xy = np.round(shapely.get_coordinates(frame.geometry.to_numpy()), 6).tolist()
    names_zh = frame["name_zh"] if "name_zh" in frame else [None] * len(frame)
    cards = maplayer.CardTable()
    label = escape_html(tr("card.category", lang))
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {
                "kind": "site",
                "id": str(fid),
                "category": str(cat),
                "n": escape_value(i18n.name(name_en, name_zh, lang)),
                "c": cards.refs([(label, escape_value(i18n.category(cat, lang)))]),
            },
            "geometry": {"type": "Point", "coordinates": lonlat},
        }
        for fid, cat, name_en, name_zh, lonlat in zip(
            frame["id"], frame["category"], frame["name_en"], names_zh, xy, strict=True
        )
    ]
    if "status" in frame and "accuracy_m" in frame:  # the doubt line, one text per accuracy
        texts: dict[tuple[Any, Any], int] = {}
        for feature, status, accuracy in zip(
            features, frame["status"], frame["accuracy_m"], strict=True
        ):
            key = (status, accuracy)
            if key not in texts:
                line = doubt_text({"status": status, "accuracy_m": accuracy}, lang)
                texts[key] = cards.text_ref(line) if line else 0
            if texts[key]:
                feature["properties"]["u"] = texts[key]
    return {"type": "FeatureCollection", "features": features, "cards": cards.as_dict()}


def sites_layer(
    sites: gpd.GeoDataFrame,
    *,
    total: int | None = None,
    lang: Lang = "en",
    datum: Datum = "wgs84",
) -> folium.FeatureGroup:
    """The (filtered) sites, coloured by category, as one toggleable group.

    ``total`` (all sites before filtering) adds "12 of 40" to the layer's name;
    ``datum`` is the basemap's (sites are converted from WGS-84 to it). Sites are
    drawn by the map's renderer (the one canvas of a :func:`build_map` map; an SVG
    path each on a map without ``prefer_canvas``) and coloured in the browser from
    their category; up to
    :data:`SITES_POPUP_MAX` sites each carry a popup card as well as a tooltip.
    """
    title = tr("layer.sites_count", lang, shown=len(sites), total=total if total else len(sites))
    group = feature_group("sites", lang, title=title, dynamic=True)
    if datum != "wgs84" and not sites.empty:
        sites = convert_frame(sites, src="wgs84", dst=datum)
    points_only = bool(np.all(sites.geometry.geom_type.to_numpy() == "Point"))
    cards_only = len(sites) > SITES_POPUP_MAX and points_only
    if cards_only:
        data = _site_collection(sites, lang)
    else:
        data = collection(sites, fields=SITE_FIELDS, lang=lang)
    if data["features"]:
        colours = json.dumps(CATEGORY_COLOURS)
        maplayer.DataLayer(
            data,
            name="sites",
            tip_rows=1 if cards_only else 2,
            popup=not cards_only,
            point_to_layer=JsCode(
                _SITE_MARKER_JS % (colours, SITE_FILL_OPACITY, OTHER_CATEGORY_COLOUR)
            ),
        ).add_to(group)
    return group


def measurement_layer(
    measurement: Measurement,
    *,
    from_label: str,
    to_label: str,
    lang: Lang = "en",
    datum: Datum = "wgs84",
    modelled_m: float = 0.0,
) -> folium.FeatureGroup:
    """The measured path (along the route), its two ends and the straight line between them.

    ``from_label`` / ``to_label`` are plain text (escaped here). The lengths shown are
    the measurement's (WGS-84 data, EPSG:32651); only the drawing is converted to
    ``datum``. ``modelled_m``: metres of the path on modelled stretches
    (:func:`putuo_geo.doubt.path_doubt`); the along-route length is then shown as
    exact as that ground allows (:func:`putuo_geo.display.format_length_on`).
    """
    group = feature_group("measurement", lang, dynamic=True)
    start, end = measurement.start, measurement.end
    summary = escape_html(
        tr(
            "map.summary",
            lang,
            along=display.format_length_on(measurement.along_route_m, modelled_m=modelled_m),
            straight=display.format_length(measurement.straight_m),
        )
    )
    path = measurement.path
    if datum != "wgs84":
        path = convert_geometry(path, src="wgs84", dst=datum)
    shown = display_geometry(gpd.GeoSeries([path], crs=config.WEB_CRS)).iloc[0]
    path_coords = [(float(x), float(y)) for x, y, *_ in shapely.get_coordinates(shown)]
    a, a_route = shift_lonlat(start.lonlat, datum), shift_lonlat(start.on_route_lonlat, datum)
    b, b_route = shift_lonlat(end.lonlat, datum), shift_lonlat(end.on_route_lonlat, datum)
    features = [
        line_feature([a, b], kind="straight", n=summary),
        line_feature([a, a_route], kind="offset", n=""),
        line_feature([b, b_route], kind="offset", n=""),
        line_feature(path_coords, kind="path", n=summary),
        point_feature(a, kind="end", n=escape_html(tr("map.from", lang, label=from_label))),
        point_feature(b, kind="end", n=escape_html(tr("map.to", lang, label=to_label))),
    ]
    styles = {
        "straight": {"color": "#555555", "weight": 1.5, "dashArray": "2 6"},
        "offset": {"color": PATH_COLOUR, "weight": 2, "dashArray": "4 4"},
        "path": {"color": PATH_COLOUR, "weight": 5, "opacity": PATH_OPACITY},
        "end": {"color": "#ffffff", "weight": 2, "fillColor": PATH_COLOUR, "fillOpacity": 1},
    }
    maplayer.DataLayer(  # tooltip: the escaped title ``n`` alone; no popup
        {"type": "FeatureCollection", "features": features},
        name="measurement",
        style=lambda f: styles[f["properties"]["kind"]],
        radius=8,
        tip_rows=0,
        popup=False,
    ).add_to(group)
    return group


def click_layer(
    found: Nearest, *, lang: Lang = "en", datum: Datum = "wgs84"
) -> folium.FeatureGroup:
    """The clicked point, the nearest route point and the line joining them.

    ``found`` is in WGS-84 (as measured); it is drawn converted to ``datum``.
    """
    group = feature_group("click", lang, dynamic=True)
    tip = escape_html(
        tr(
            "map.click_tip",
            lang,
            chainage=display.format_chainage(found.chainage_m),
            distance=display.format_length(found.route_distance_m),
        )
    )
    point, route_point = shift_lonlat(found.lonlat, datum), shift_lonlat(found.route_lonlat, datum)
    features = [
        line_feature([point, route_point], kind="offset", n=tip),
        point_feature(point, kind="click", n=escape_html(tr("map.clicked_point", lang))),
        point_feature(route_point, kind="route_point", n=tip),
    ]
    styles = {
        "offset": {"color": "#333333", "weight": 2, "dashArray": "3 5"},
        "click": {"color": "#333333", "weight": 2, "fillColor": "#ffeb3b", "fillOpacity": 1},
        "route_point": {
            "color": "#ffffff",
            "weight": 2,
            "fillColor": ROUTE_COLOUR,
            "fillOpacity": 1,
        },
    }
    maplayer.DataLayer(  # tooltip: the escaped title ``n`` alone; no popup
        {"type": "FeatureCollection", "features": features},
        name="click",
        style=lambda f: styles[f["properties"]["kind"]],
        radius=6,
        tip_rows=0,
        popup=False,
    ).add_to(group)
    return group


def upload_layer(
    frame: gpd.GeoDataFrame, *, title: str, lang: Lang = "en", datum: Datum = "wgs84"
) -> folium.FeatureGroup:
    """A user's uploaded sites (see :mod:`putuo_geo.uploads`) as their own group.

    ``title`` is plain text (the file name), escaped here: Leaflet's layer control
    puts a layer's name into the page as HTML. ``frame`` is WGS-84; it is drawn
    converted to ``datum`` (the basemap's).
    """
    group = feature_group(
        "upload", lang, title=tr("layer.upload", lang, title=escape_html(title)), dynamic=True
    )
    if datum != "wgs84" and not frame.empty:
        frame = convert_frame(frame, src="wgs84", dst=datum)

    data = collection(frame, fields=UPLOAD_FIELDS, lang=lang)
    if data["features"]:
        UPLOAD_FIELDS.draw(data).add_to(group)
    return group


def layer_control() -> folium.LayerControl:
    """Layer toggles, collapsed to an icon (the legend already names every layer)."""
    return folium.LayerControl(position="topright", collapsed=True)


# ---------------------------------------------------------------- assembly


@dataclasses.dataclass
class Composed:
    """A map in parts: the (cached) base map, the layers that change with the widgets,
    the layer control and the view to open at.

    The live page hands the parts to ``st_folium`` (which sends the dynamic layers apart
    from the base map); the HTML export joins them with :meth:`whole`. Both come from
    one :func:`compose`, so the export is the map on screen.
    """

    base: folium.Map
    dynamic: list[folium.FeatureGroup]
    control: folium.LayerControl
    center_latlon: tuple[float, float] | None  # folium's order, in the drawn datum
    zoom: int | None

    def whole(self) -> folium.Map:
        """One map holding every part (modifies :attr:`base`: give a copy)."""
        m = self.base
        for group in self.dynamic:
            group.add_to(m)
        self.control.add_to(m)
        if self.center_latlon is not None and self.zoom is not None:
            exports.set_view(m, center_latlon=self.center_latlon, zoom=self.zoom)
        return m


def compose(
    base: folium.Map,
    *,
    sites: gpd.GeoDataFrame,
    total_sites: int,
    lang: Lang = "en",
    datum: Datum = "wgs84",
    measurement: Measurement | None = None,
    end_labels: tuple[str, str] = ("", ""),
    measurement_doubt: doubt.PathDoubt | None = None,
    upload: tuple[gpd.GeoDataFrame, str] | None = None,
    nearest: Nearest | None = None,
    view_lonlat: tuple[tuple[float, float], int] | None = None,
    event: tuple[Mapping[str, Any], shapely.Geometry] | None = None,
    extra_layers: Iterable[folium.FeatureGroup] = (),
    taps: Mapping[str, Any] | None = None,
) -> Composed:
    """The map the page shows: ``base`` (from :func:`build_map`) and the dynamic layers.

    Parameters
    ----------
    base
        The base map for this language and basemap (not modified here).
    sites, total_sites
        The filtered sites (WGS-84) and how many there are in all.
    datum
        The datum the basemap is drawn in; every dynamic layer is converted to it.
    measurement, end_labels
        The measured path and its FROM/TO labels (plain text).
    measurement_doubt
        How much of that path is modelled (:func:`putuo_geo.page.measurement_doubt`);
        the map's summary of the path is rounded like the page's.
    upload
        The user's uploaded sites (WGS-84) and the file's title.
    nearest
        The clicked point's nearest route point.
    view_lonlat
        ``((lon, lat), zoom)`` in WGS-84 to open at; ``None`` keeps the base map's view.
    event
        The selected event edition: its properties and WGS-84 geometry (a row of
        :func:`putuo_geo.events.load_events`); drawn by :func:`event_layer`.
    extra_layers
        More dynamic groups, already drawn in ``datum`` (e.g. the planner's,
        :mod:`putuo_geo.planmap`); drawn over the measured path (whose default, first
        to last station, runs along one bank and would hide it), under the upload and
        the clicked point.
    taps
        The measuring state for the map's script (:meth:`putuo_geo.measuring.MapSync.to_json`:
        mode, ends, answer card, fit request), drawn in ``datum``; ``None`` leaves the
        script as it is (no card).
    """
    dynamic = [sites_layer(sites, total=total_sites, lang=lang, datum=datum)]
    if measurement is not None:
        from_label, to_label = end_labels
        dynamic.append(
            measurement_layer(
                measurement,
                from_label=from_label,
                to_label=to_label,
                lang=lang,
                datum=datum,
                modelled_m=measurement_doubt.modelled_m if measurement_doubt else 0.0,
            )
        )
    dynamic.extend(extra_layers)
    if upload is not None:
        dynamic.append(upload_layer(upload[0], title=upload[1], lang=lang, datum=datum))
    if nearest is not None:
        dynamic.append(click_layer(nearest, lang=lang, datum=datum))
    if event is not None:
        dynamic.append(event_layer(event[0], event[1], lang=lang, datum=datum))
    if taps is not None:  # last: its script runs once every layer above is on the map
        sync = folium.FeatureGroup(name="taps", control=False)
        mapcontrols.MapTapsSync(dict(taps)).add_to(sync)
        dynamic.append(sync)
    center = None
    zoom = None
    if view_lonlat is not None:
        lon, lat = shift_lonlat(view_lonlat[0], datum)
        center, zoom = (lat, lon), int(view_lonlat[1])
    return Composed(base, dynamic, layer_control(), center, zoom)
