"""Build the folium map of the belt from an :class:`~putuo_geo.layers.Atlas`.

Pure map building: this module never imports streamlit. The page asks for

- :func:`build_map`: the base map (basemap, every static layer, km posts, ruler,
  legend). It depends only on the atlas and the basemap, so it is the same on every
  rerun and ``st_folium`` keeps the live map (and the user's pan and zoom);
- :func:`sites_layer`, :func:`measurement_layer`, :func:`click_layer`,
  :func:`event_layer`: the layers that
  change with the page's widgets, handed to ``st_folium(feature_group_to_add=...)``,
  which swaps them on the live map instead of rebuilding it;
- :func:`layer_control`: the layer toggles, rebuilt by ``st_folium`` after those layers;
- :func:`compose`: all of the above for one state of the page, as parts for
  ``st_folium`` or joined into one map for the HTML export.

Every string that comes from the data is HTML-escaped (:func:`putuo_geo.safety.escape_html`,
which also escapes the braces folium's templates would read) before it is put into a
tooltip, a popup, the legend or a layer name. Layers are
:class:`putuo_geo.maplayer.DataLayer`: each feature ships its escaped title and card-row
indices, each layer its escaped row labels and distinct texts once, and the browser joins
them with constant markup into the tooltip and popup (the map payload stays small).
GeoJSON goes to Leaflet as lon/lat; the only place that flips a coordinate to folium's
(lat, lon) is :func:`latlon`.

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
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    events,
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
)
from putuo_geo.datum import Datum, convert_frame, convert_geometry, convert_point
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas
from putuo_geo.mapstyle import (
    BAND_MIN_ZOOM,
    CARD_LABEL,
    CATEGORY_COLOURS,
    DRAWN_COLOURS,
    EVENT_COLOUR,
    EVENT_OPACITY,
    EVENT_WATER_COLOUR,
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
    band_style,
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


def latlon(lonlat: tuple[float, float]) -> list[float]:
    """(lon, lat) -> folium's [lat, lon]. The one place the order flips."""
    lon, lat = lonlat
    return [float(lat), float(lon)]


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


def _shift(lonlat: tuple[float, float], datum: Datum) -> tuple[float, float]:
    return convert_point(lonlat, src="wgs84", dst=datum)


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
    # In a box capped at half the map's width, legend lines wrap instead of overlapping.
    ".pg-legend-body .pg-legend-cols > div {white-space: normal;}"
    # On a phone the data credits would take four lines of the map: smaller, and kept
    # to one line until tapped.
    "@media (max-width: 600px) {.leaflet-control-attribution {font-size: 9px;"
    " line-height: 1.3; max-width: 100%; white-space: nowrap; overflow: hidden;"
    " text-overflow: ellipsis;} .leaflet-control-attribution:hover,"
    " .leaflet-control-attribution:focus-within {white-space: normal;}}</style>"
)


def _e(value: Any) -> str:
    """HTML-escape one value from the data; blank for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return escape_html(str(value))


def _title(props: Mapping[str, Any], lang: Lang) -> str:
    """A card's title: the name in ``lang`` (the other in brackets), escaped."""
    return _e(i18n.name(props.get("name_en"), props.get("name_zh"), lang))


def _escaped_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(label, escaped value)`` -> both escaped (labels come from the catalogue)."""
    return [(escape_html(label), value) for label, value in rows]


def _common_rows(props: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    return [
        (tr("card.status", lang), _e(i18n.value("status", props.get("status"), lang))),
        (
            tr("card.accuracy", lang),
            _e(display.format_accuracy(_num(props.get("accuracy_m")))),
        ),
        (tr("card.source", lang), _e(props.get("source"))),
    ]


def doubt_text(props: Mapping[str, Any], lang: Lang) -> str:
    """ "position uncertain by up to N m" (escaped) for a modelled feature, else ``""``.

    Modelled: ``status`` is not ``confirmed`` (:data:`putuo_geo.doubt.CONFIRMED`); N is
    its ``accuracy_m``. Shown on the tooltip and the popup, under the title.
    """
    accuracy_m = _num(props.get("accuracy_m"))
    if props.get("status") == doubt.CONFIRMED or accuracy_m is None:
        return ""
    return escape_html(tr("doubt.uncertain", lang, accuracy=f"{accuracy_m:,.0f}"))


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


#: Display only: lines and outlines are simplified to within this many metres
#: (EPSG:32651) and coordinates rounded to ``DISPLAY_DECIMALS`` (5 decimals of a degree
#: is ~1 m here). Every measurement uses the full-precision layers, never these.
DISPLAY_TOLERANCE_M = 2.0
DISPLAY_DECIMALS = 5


def display_geometry(
    geoms: gpd.GeoSeries,
    *,
    tolerance_m: float = DISPLAY_TOLERANCE_M,
    decimals: int = DISPLAY_DECIMALS,
) -> gpd.GeoSeries:
    """Geometries lightened for drawing: simplified in metres, then rounded (EPSG:4326).

    Lines and polygons are simplified with ``shapely.simplify`` (topology preserved)
    in ``config.METRIC_CRS`` to within ``tolerance_m`` metres; points are kept. All
    coordinates are then rounded to ``decimals`` decimal degrees. Same length and
    index as ``geoms``: no feature is dropped, so ids and properties still line up.
    For display only; measure on the original layers.
    """
    wgs = geoms.to_crs(config.WEB_CRS) if geoms.crs is not None else geoms
    values = wgs.to_numpy()
    shaped = ~shapely.is_empty(values) & ~shapely.is_missing(values)
    shaped &= shapely.get_type_id(values) != 0  # points stay as they are
    if shaped.any() and geoms.crs is not None:
        metric = crs.geometry_to_metric(values[shaped])
        simple = shapely.simplify(metric, tolerance_m, preserve_topology=True)
        values = values.copy()
        values[shaped] = crs.geometry_to_lonlat(simple)
    rounded = shapely.set_precision(values, 10.0**-decimals, mode="pointwise")
    return gpd.GeoSeries(rounded, index=geoms.index, crs=wgs.crs)


def _collection(frame: gpd.GeoDataFrame, *, fields: LayerFields, lang: Lang) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (EPSG:4326) carrying only what the map needs.

    Properties: ``kind`` (which layer), ``id``, ``n`` (the escaped title), ``c`` (the
    card's rows as indices into the collection's ``cards`` table, see
    :class:`putuo_geo.maplayer.CardTable`) and the ``extra`` fields styles read, all
    from ``fields`` (:class:`LayerFields`). The card's ``(label, escaped value)`` rows
    have their labels in a fixed order; the browser builds tooltip and popup from them
    (:func:`maplayer.card_html`).
    """
    frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    cards = maplayer.CardTable()
    features = []
    for props, geom in zip(
        frame.drop(columns="geometry").to_dict("records"),
        display_geometry(frame.geometry),
        strict=True,
    ):
        if geom is None or geom.is_empty:
            continue
        properties: dict[str, Any] = {
            "kind": fields.kind,
            "id": str(props.get("id", "")),
            "n": _title(props, lang),
        }
        refs = cards.refs(_escaped_rows(fields.card(props, lang)))
        if refs:
            properties["c"] = refs
        uncertain = doubt_text(props, lang) if fields.common else ""
        if uncertain:
            properties["u"] = cards.text_ref(uncertain)
        properties.update((name, cast(props.get(name, ""))) for name, cast in fields.extra)
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features, "cards": cards.as_dict()}


def _group(
    key: str, lang: Lang, *, title: str | None = None, dynamic: bool = False
) -> folium.FeatureGroup:
    """A toggleable group; a ``dynamic`` one (drawn on its own by ``st_folium``) carries
    its own copy of the layer helpers (:class:`putuo_geo.maplayer.Helpers`)."""
    group = folium.FeatureGroup(name=title or tr(f"layer.{key}", lang), show=True)
    if dynamic:
        maplayer.Helpers().add_to(group)
    return group


def _span(props: Mapping[str, Any]) -> str:
    return (
        f"{display.format_chainage(_num(props.get('from_chainage_m')))} – "
        f"{display.format_chainage(_num(props.get('to_chainage_m')))}"
    )


# ---------------------------------------------------------------- the layers' fields
# One serialiser (:func:`_collection`) for every layer, driven by a table: what each
# feature's card shows (rows), which properties its style reads (extra), and how the
# layer is drawn. A card row is ``(properties, lang) -> (label, escaped value)``.

Row = Callable[[Mapping[str, Any], Lang], tuple[str, str]]


def _text(label_key: str, field: str) -> Row:
    """The field's text as it is in the data."""
    return lambda p, lang: (tr(label_key, lang), _e(p.get(field)))


def _enum(label_key: str, field: str, *, cast: Callable[[Any], Any] | None = None) -> Row:
    """An enumerated field's value in ``lang`` (:func:`putuo_geo.i18n.value`)."""

    def row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
        value = p.get(field) if cast is None else cast(p.get(field))
        return tr(label_key, lang), _e(i18n.value(field, value, lang))

    return row


def _category(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.category", lang), _e(i18n.category(p.get("category"), lang))


def _chainage_row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.chainage", lang), _e(display.format_chainage(_num(p.get("chainage_m"))))


def _span_row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.chainage", lang), _e(_span(p))


def _published_area(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    published = _num(p.get("area_published_m2"))
    area = _e(display.format_ha(published)) if published is not None else ""
    return tr("card.published_area", lang), area


def _opened(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    opened = _num(p.get("opened"))
    return tr("card.opened", lang), f"{opened:.0f}" if opened is not None else ""


def _station_number(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    return tr("card.station", lang), _e(tr("card.station_number", lang, number=p.get("number")))


Style = Mapping[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class LayerFields:
    """How one layer's features become map data and how the layer is drawn.

    ``rows`` are the card's rows, followed by status, accuracy and source when
    ``common``; ``extra`` the properties a style reads, each as ``(field, cast)``.
    """

    key: str  # the atlas layer; ``layer.<key>`` names its group
    kind: str  # the features' ``kind``
    rows: tuple[Row, ...] = ()
    common: bool = True
    extra: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    style: Style = dataclasses.field(default_factory=dict)
    radius: float = 6
    tip_rows: int | None = 2
    popup: bool = True
    label_class: str | None = None

    def card(self, p: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
        rows = [row(p, lang) for row in self.rows]
        return rows + _common_rows(p, lang) if self.common else rows

    def draw(self, data: dict[str, Any]) -> maplayer.DataLayer:
        style = self.style
        return maplayer.DataLayer(
            data,
            name=self.key,
            style=style if callable(style) else (lambda _f: dict(style)),
            radius=self.radius,
            tip_rows=self.tip_rows,
            popup=self.popup,
            label_class=self.label_class,
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
        rows=(_text("card.method", "method"),),
        extra=(("zone", str),),
        style=_zone_style,
    ),
    LayerFields(
        "parks",
        "park",
        rows=(_published_area, _enum("card.outline", "outline")),
        style={"color": PARK_STROKE, "weight": 1, "fillColor": PARK_COLOUR, "fillOpacity": 0.35},
    ),
    LayerFields(
        "creek",
        "creek",
        rows=(_span_row, _enum("card.section", "section")),
        extra=(("status", str),),
        style=creek_style,
    ),
    LayerFields(
        "route",
        "route",
        rows=(_enum("card.bank", "bank"), _span_row),
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
            _enum("card.carries", "crossing"),
            _chainage_row,
            _enum("card.walkable", "walkable", cast=bool),
            _text("card.joins", "joins"),
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
            _enum("card.bank", "bank"),
            _text("card.offers", "offers"),
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
    rows=(_category, _text("card.address", "address_zh")),
    extra=(("category", str),),
)
#: A user's uploaded sites: what their file says, no status or accuracy of ours.
UPLOAD_FIELDS = LayerFields(
    "upload",
    "upload",
    rows=(
        _text("card.category", "category"),
        _text("card.id_in_file", "id_in_file"),
        _text("card.source", "source"),
    ),
    common=False,
    style={"color": UPLOAD_COLOUR, "weight": 3, "fillColor": "#ffd600", "fillOpacity": 1},
    radius=8,
)


def _static_layer(fields: LayerFields, frame: gpd.GeoDataFrame, lang: Lang) -> folium.FeatureGroup:
    group = _group(fields.key, lang)
    fields.draw(_collection(frame, fields=fields, lang=lang)).add_to(group)
    return group


# ---------------------------------------------------------------- the doubt band
# The band of +- accuracy_m is geometry computed in metres (EPSG:32651, putuo_geo.crs)
# and drawn as polygons, not a polyline whose weight is converted from metres to pixels:
# a Leaflet weight is in screen pixels, so it would have to be recomputed on every zoom
# and would still be wrong across the map (Web Mercator's scale changes with latitude,
# 1/cos(lat)) and at the ends and bends, where a stroke's caps and joins are drawn in
# pixels. A polygon's vertices are projected one by one by Leaflet, so the band stays the
# stated width on the ground at every zoom and latitude, and on GCJ-02 tiles it is
# converted with everything else.

#: The band pane's name (see :class:`putuo_geo.maplayer.BandPane`).
BAND_PANE = "pgBand"
_BAND_LAYERS: tuple[str, ...] = ("creek", "route")


def doubt_band_m(geometry_m: shapely.Geometry, accuracy_m: float) -> shapely.Geometry:
    """Where a modelled feature may lie: within ``accuracy_m`` of it (EPSG:32651 metres).

    A line is buffered (round ends: a straight line of length L gives
    ``2 * accuracy_m * L + pi * accuracy_m**2``); a polygon's *outline* is buffered, a
    ring of ``2 * accuracy_m`` astride its edge (the zone's edge is what is uncertain).
    """
    if shapely.get_type_id(geometry_m) in (3, 6):  # Polygon, MultiPolygon
        geometry_m = shapely.boundary(geometry_m)
    return shapely.buffer(geometry_m, float(accuracy_m))


def doubt_bands(atlas: Atlas) -> gpd.GeoDataFrame:
    """The bands of every modelled creek section, route piece and zone (EPSG:4326).

    The creek's and the route's bands are joined into one feature (``id`` ``lines``): the
    bank paths lie tens of metres from the creek, so their bands of hundreds of metres
    overlap, and translucent bands drawn one over the other would darken where they
    overlap instead of showing one area. Each modelled zone has its own band (``zone``
    set, drawn in the zone's colour). Columns ``id``, ``zone``, ``accuracy_m`` (the
    largest, metres).
    """
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry] = []
    line_bands, line_worst = [], 0.0
    for name in (*_BAND_LAYERS, "zones"):
        frame = atlas.layer(name)
        if frame.empty or "status" not in frame:
            continue
        modelled = frame[frame["status"].astype(str) != doubt.CONFIRMED]
        if modelled.empty:
            continue
        metric = crs.to_metric(modelled, name=name).to_numpy()
        accuracy = modelled["accuracy_m"].to_numpy(dtype=float)
        for geom_m, acc, props in zip(metric, accuracy, modelled.to_dict("records"), strict=True):
            if geom_m is None or geom_m.is_empty or not math.isfinite(acc) or acc <= 0:
                continue
            band = doubt_band_m(geom_m, acc)
            if name == "zones":
                rows.append(
                    {"id": f"band-{props['id']}", "zone": str(props["zone"]), "accuracy_m": acc}
                )
                geoms.append(band)
            else:
                line_bands.append(band)
                line_worst = max(line_worst, acc)
    if line_bands:
        rows.insert(0, {"id": "lines", "zone": "", "accuracy_m": line_worst})
        geoms.insert(0, shapely.union_all(line_bands))
    frame_m = gpd.GeoDataFrame(
        rows or {"id": [], "zone": [], "accuracy_m": []}, geometry=geoms, crs=config.METRIC_CRS
    )
    return frame_m.to_crs(config.WEB_CRS)


#: The bands: no card, no tooltip; the legend explains them.
BAND_FIELDS = LayerFields(
    "doubt_band",
    "band",
    common=False,
    extra=(("zone", str),),
    style=band_style,
    tip_rows=None,
    popup=False,
)


def band_layer(bands: gpd.GeoDataFrame, *, lang: Lang) -> folium.FeatureGroup:
    """The bands in their own pane (:class:`putuo_geo.maplayer.BandPane`), not interactive."""
    group = _group(BAND_FIELDS.key, lang)
    data = _collection(bands, fields=BAND_FIELDS, lang=lang)
    maplayer.DataLayer(
        data,
        name=BAND_FIELDS.key,
        style=band_style,
        tip_rows=None,
        popup=False,
        interactive=False,
        renderer=JsCode(f"L.canvas({{pane: {json.dumps(BAND_PANE)}}})"),
    ).add_to(group)
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
        control_scale=True,
        max_zoom=19,
        min_zoom=10,
        prefer_canvas=True,
    )
    for url in (basemap.url, basemap.overlay_url):
        if url:
            folium.TileLayer(
                tiles=url,
                attr=basemap.attribution,
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
    ).add_to(m)
    # Phone-first controls (issue 13): locate and fullscreen under the zoom, 44 px
    # buttons, and a legend that opens and closes (closed on a narrow map).
    mapcontrols.locate_control(lang=lang).add_to(m)
    mapcontrols.fullscreen_control(lang=lang).add_to(m)
    mapcontrols.TapTargets().add_to(m)
    mapcontrols.ClickReturnNow().add_to(m)  # a click reaches the page 250 ms sooner
    mid = ((bounds[0][1] + bounds[1][1]) / 2, (bounds[0][0] + bounds[1][0]) / 2)  # drawn
    wgs = convert_point(mid, src=datum, dst="wgs84") if datum != "wgs84" else mid
    mapcontrols.ViewInUrl(offset_lonlat=(mid[0] - wgs[0], mid[1] - wgs[1])).add_to(m)
    mapcontrols.CollapsibleLegend(
        legend_html(atlas, lang=lang),
        title=tr("legend.toggle", lang),
        narrow_px=600,
        # Top right, under the layer toggles: the route runs along the belt's southern
        # and eastern edge, the district's empty north is where a legend costs least.
        # Wide and low (its two columns fit; it stays out of the middle of the map,
        # where a drag starts): 3/4 of the width x 1/3 of the height, under 25 %.
        position="topright",
        width_share=0.75,
        height_share=1 / 3,
    ).add_to(m)
    credits = data_credits(atlas)
    if credits:
        Attribution(credits_html(credits)).add_to(m)
    root = m.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Element(PAGE_CSS), name="pg_css")
        root.header.add_child(Element(FILL_FRAME_CSS), name="pg_fill_css")
    m.fit_bounds(bounds)
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

    The fast path of :func:`_collection` for more than :data:`SITES_POPUP_MAX` point
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
                "n": _e(i18n.name(name_en, name_zh, lang)),
                "c": cards.refs([(label, _e(i18n.category(cat, lang)))]),
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
    group = _group("sites", lang, title=title, dynamic=True)
    if datum != "wgs84" and not sites.empty:
        sites = convert_frame(sites, src="wgs84", dst=datum)
    points_only = bool(np.all(sites.geometry.geom_type.to_numpy() == "Point"))
    cards_only = len(sites) > SITES_POPUP_MAX and points_only
    if cards_only:
        data = _site_collection(sites, lang)
    else:
        data = _collection(sites, fields=SITE_FIELDS, lang=lang)
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


def _line_feature(coords_lonlat: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(x, 6), round(y, 6)] for x, y in coords_lonlat],
        },
    }


def _point_feature(lonlat: tuple[float, float], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lonlat[0], 6), round(lonlat[1], 6)]},
    }


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
    group = _group("measurement", lang, dynamic=True)
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
    a, a_route = _shift(start.lonlat, datum), _shift(start.on_route_lonlat, datum)
    b, b_route = _shift(end.lonlat, datum), _shift(end.on_route_lonlat, datum)
    features = [
        _line_feature([a, b], kind="straight", n=summary),
        _line_feature([a, a_route], kind="offset", n=""),
        _line_feature([b, b_route], kind="offset", n=""),
        _line_feature(path_coords, kind="path", n=summary),
        _point_feature(a, kind="end", n=escape_html(tr("map.from", lang, label=from_label))),
        _point_feature(b, kind="end", n=escape_html(tr("map.to", lang, label=to_label))),
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
    group = _group("click", lang, dynamic=True)
    tip = escape_html(
        tr(
            "map.click_tip",
            lang,
            chainage=display.format_chainage(found.chainage_m),
            distance=display.format_length(found.route_distance_m),
        )
    )
    point, route_point = _shift(found.lonlat, datum), _shift(found.route_lonlat, datum)
    features = [
        _line_feature([point, route_point], kind="offset", n=tip),
        _point_feature(point, kind="click", n=escape_html(tr("map.clicked_point", lang))),
        _point_feature(route_point, kind="route_point", n=tip),
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


def event_card(props: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """An event edition's card: kind, dates in ``lang``, where/length, water stations,
    status, accuracy and source (``(label, escaped text)``, labels not yet escaped).

    For a course the length along the route is set against the race's 21.0975 km, with
    why they differ (the race also uses streets).
    """
    kind = _e(i18n.value("kind", props.get("kind"), lang))
    dates = _e(events.format_date_range(str(props["start_date"]), str(props["end_date"]), lang))
    if props.get("geometry_kind") == "course":
        along_m = float(props["along_route_m"])
        km = f"{along_m / 1000:.2f}"
        diff = f"{(events.HALF_MARATHON_M - along_m) / 1000:.2f}"
        where = tr("events.along_route", lang, km=km) + " " + tr("events.shorter", lang, diff=diff)
        every = _num(props.get("water_stations_every_m"))
        water = (
            tr("events.no_water_stations", lang)
            if every is None
            else tr("events.water_every", lang, km=f"{every / 1000:g}")
        )
    else:
        where, water = tr("events.venue", lang), ""
    return [
        (tr("events.card_kind", lang), kind),
        (tr("events.card_dates", lang), dates),
        (tr("events.card_where", lang), _e(where)),
        (tr("events.card_water", lang), _e(water)),
        *_common_rows(props, lang),
    ]


def event_layer(
    props: Mapping[str, Any],
    geometry: shapely.Geometry,
    *,
    lang: Lang = "en",
    datum: Datum = "wgs84",
) -> folium.FeatureGroup:
    """The selected event edition: a course's line, start, finish, km markers and water
    stations, or a venue's marker; their popups carry the card (:func:`event_card`).

    ``props`` is a row of :func:`putuo_geo.events.load_events` and ``geometry`` its
    WGS-84 shape; both are drawn converted to ``datum``. Markers along a course come
    from :func:`putuo_geo.events.course_map` (measured in EPSG:32651 on the WGS-84 line).
    """
    name = i18n.name(props.get("name_en"), props.get("name_zh"), lang)
    title = escape_html(name)
    short = escape_html(i18n.name(props.get("name_en"), props.get("name_zh"), lang, both=False))
    group = _group("event", lang, title=tr("events.layer", lang, name=short), dynamic=True)
    cards = maplayer.CardTable()
    card = cards.refs(_escaped_rows(event_card(props, lang)))
    features: list[dict[str, Any]] = []
    if props.get("geometry_kind") == "course":
        course = events.course_map(props, geometry)
        path = [_shift(p, datum) for p in course.path_lonlat]
        features.append(_line_feature(path, kind="course", n=title, c=card))
        for distance_m, lonlat in course.km_markers:
            n = escape_html(tr("events.km_marker", lang, km=f"{distance_m / 1000:g}"))
            features.append(_point_feature(_shift(lonlat, datum), kind="course_km", n=n))
        for distance_m, lonlat in course.water_stations:
            n = escape_html(tr("events.water_station", lang, km=f"{distance_m / 1000:g}"))
            features.append(_point_feature(_shift(lonlat, datum), kind="course_water", n=n))
        for key, at in (("events.start", path[0]), ("events.finish", path[-1])):
            n = escape_html(f"{tr(key, lang)}: {name}")
            features.append(_point_feature(at, kind="course_end", n=n, c=card))
    else:
        point = _shift((float(geometry.x), float(geometry.y)), datum)
        features.append(_point_feature(point, kind="venue", n=title, c=card))
    styles = {
        "course": {"color": EVENT_COLOUR, "weight": 7, "opacity": EVENT_OPACITY},
        # Course km markers filled (the route's own km posts are hollow and labelled).
        "course_km": {
            "color": "#ffffff",
            "weight": 1.5,
            "fillColor": EVENT_COLOUR,
            "fillOpacity": 1,
        },
        "course_water": {
            "color": "#ffffff",
            "weight": 2,
            "fillColor": EVENT_WATER_COLOUR,
            "fillOpacity": 1,
        },
        "course_end": {
            "color": EVENT_COLOUR,
            "weight": 4,
            "fillColor": "#ffffff",
            "fillOpacity": 1,
        },
        "venue": {"color": "#ffffff", "weight": 3, "fillColor": EVENT_COLOUR, "fillOpacity": 1},
    }
    # Radius per kind: pgLayer draws every point at one radius, so a marker function here.
    radius = json.dumps(
        {"course": 6, "course_km": 4, "course_water": 7, "course_end": 8, "venue": 12}
    )
    maplayer.DataLayer(
        {"type": "FeatureCollection", "features": features, "cards": cards.as_dict()},
        name="event",
        style=lambda f: styles[f["properties"]["kind"]],
        tip_rows=0,
        popup=True,
        point_to_layer=JsCode(
            f"function (f, at) {{ return L.circleMarker(at, "
            f"{{radius: {radius}[f.properties.kind]}}); }}"
        ),
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
    group = _group(
        "upload", lang, title=tr("layer.upload", lang, title=escape_html(title)), dynamic=True
    )
    if datum != "wgs84" and not frame.empty:
        frame = convert_frame(frame, src="wgs84", dst=datum)

    data = _collection(frame, fields=UPLOAD_FIELDS, lang=lang)
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
    center = None
    zoom = None
    if view_lonlat is not None:
        lon, lat = _shift(view_lonlat[0], datum)
        center, zoom = (lat, lon), int(view_lonlat[1])
    return Composed(base, dynamic, layer_control(), center, zoom)
