"""Build the folium map of the belt from an :class:`~putuo_geo.layers.Atlas`.

Pure map building: this module never imports streamlit. The page asks for

- :func:`build_map`: the base map (basemap, every static layer, km posts, ruler,
  legend). It depends only on the atlas and the basemap, so it is the same on every
  rerun and ``st_folium`` keeps the live map (and the user's pan and zoom);
- :func:`sites_layer`, :func:`measurement_layer`, :func:`click_layer`: the layers that
  change with the page's widgets, handed to ``st_folium(feature_group_to_add=...)``,
  which swaps them on the live map instead of rebuilding it;
- :func:`layer_control`: the layer toggles, rebuilt by ``st_folium`` after those layers.

Every string that comes from the data is HTML-escaped (:func:`putuo_geo.safety.escape_html`,
which also escapes the braces folium's templates would read) before it is put into a
tooltip, a popup, the legend or a layer name. GeoJSON goes to Leaflet as lon/lat; the
only place that flips a coordinate to folium's (lat, lon) is :func:`latlon`.
Every script and style URL is rewritten to the app's own copies by
:func:`putuo_geo.assets.localize`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from putuo_geo import assets, display
from putuo_geo.layers import Atlas
from putuo_geo.network import Measurement
from putuo_geo.overview import Nearest
from putuo_geo.safety import escape_html

#: Operator settings for an intranet tile server (read by :func:`basemaps`).
TILE_URL_ENV = "PUTUO_TILE_URL"
TILE_ATTRIBUTION_ENV = "PUTUO_TILE_ATTRIBUTION"

#: Overlay names as the layer control lists them.
LAYER_TITLES: dict[str, str] = {
    "boundary": "District boundary",
    "zones": "Zones (One Belt, One Center, One City)",
    "parks": "Parks",
    "creek": "Suzhou Creek",
    "route": "Creekside route",
    "km_posts": "Km posts",
    "bridges": "Bridges",
    "stations": "Stations",
    "sites": "Sites",
    "measurement": "Measured path",
    "click": "Clicked point",
    "upload": "Your layer",
}

#: Site category -> (label, colour). Colours from ColorBrewer's qualitative "Set1"/"Dark2".
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "innovation": ("Innovation", "#7570b3"),
    "commerce": ("Commerce", "#e6ab02"),
    "culture_heritage": ("Culture & heritage", "#a6761d"),
    "education": ("Education", "#1b9e77"),
    "health": ("Health", "#e7298a"),
    "landmark": ("Landmark", "#d95f02"),
    "sport_leisure": ("Sport & leisure", "#66a61e"),
    "transport": ("Transport", "#666666"),
    "government": ("Government", "#377eb8"),
}
_OTHER_CATEGORY = ("Other", "#999999")

ZONE_COLOURS: dict[str, str] = {
    "one_belt": "#2b8cbe",
    "one_center": "#8856a7",
    "one_city": "#de2d26",
}

CREEK_COLOUR = "#3d8bd9"
ROUTE_COLOUR = "#e4572e"
STATION_COLOUR = "#0b6e4f"
BRIDGE_COLOUR = "#5b4636"
PATH_COLOUR = "#c2185b"
PARK_COLOUR = "#4caf50"


@dataclass(frozen=True)
class Basemap:
    """A background for the map; ``url`` is ``None`` for no tiles at all."""

    key: str
    label: str
    url: str | None
    attribution: str = ""


OSM = Basemap(
    "osm",
    "OpenStreetMap tiles",
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
NO_TILES = Basemap("none", "No tiles (vector layers only)", None)


def basemaps(environ: Mapping[str, str] | None = None) -> list[Basemap]:
    """The basemaps to offer, default first.

    An operator's tile server (``$PUTUO_TILE_URL``, a Leaflet URL template such as
    ``http://tiles.intranet/{z}/{x}/{y}.png``, with ``$PUTUO_TILE_ATTRIBUTION``) comes
    first when set; then OpenStreetMap's public tiles; then no tiles. Tiles are the
    only thing the page may fetch from another host; without them the vector layers
    still draw.
    """
    env = os.environ if environ is None else environ
    options = [OSM, NO_TILES]
    url = env.get(TILE_URL_ENV, "").strip()
    if url:
        attribution = env.get(TILE_ATTRIBUTION_ENV, "").strip() or "Operator tiles"
        options.insert(0, Basemap("custom", "Operator tiles", url, attribution))
    return options


def latlon(lonlat: tuple[float, float]) -> list[float]:
    """(lon, lat) -> folium's [lat, lon]. The one place the order flips."""
    lon, lat = lonlat
    return [float(lat), float(lon)]


def _bounds_latlon(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return [latlon((minx, miny)), latlon((maxx, maxy))]


def _e(value: Any) -> str:
    """HTML-escape one value from the data; blank for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return escape_html(str(value))


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape_html(label)}</th><td>{value}</td></tr>" if value else ""


def _card(props: Mapping[str, Any], rows: Iterable[tuple[str, str]]) -> str:
    """Tooltip/popup HTML: the bilingual name as a title, then a small table.

    ``rows`` hold already escaped values (built with :func:`_e` and display helpers).
    """
    title = f"<b>{_e(props.get('name_en'))}</b>"
    if props.get("name_zh"):
        title += f" · {_e(props.get('name_zh'))}"
    body = "".join(_row(label, value) for label, value in rows)
    return f'<div class="pg-card">{title}<table>{body}</table></div>'


def _common_rows(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Status", _e(props.get("status"))),
        ("Accuracy", _e(display.format_accuracy(_num(props.get("accuracy_m"))))),
        ("Source", _e(props.get("source"))),
    ]


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _round_coords(geom: shapely.Geometry) -> shapely.Geometry:
    # 6 decimals (~0.1 m), like the stored files: keeps the page payload small.
    return shapely.transform(geom, lambda xy: np.round(xy, 6))


def _collection(
    frame: gpd.GeoDataFrame,
    *,
    kind: str,
    details: Callable[[Mapping[str, Any]], list[tuple[str, str]]],
    extra: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (EPSG:4326) carrying only what the map needs.

    Properties: ``kind`` (which layer), ``id``, ``status``, ``category`` where present,
    and ``tip`` / ``pop``: escaped HTML for the tooltip and the popup.
    """
    frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    features = []
    for props, geom in zip(
        frame.drop(columns="geometry").to_dict("records"), frame.geometry, strict=True
    ):
        if geom is None or geom.is_empty:
            continue
        rows = details(props)
        tip = _card(props, rows[:2])
        pop = _card(props, rows)
        properties: dict[str, Any] = {
            "kind": kind,
            "id": str(props.get("id", "")),
            "status": str(props.get("status", "")),
            "tip": tip,
            "pop": pop,
        }
        if extra is not None:
            properties.update(extra(props))
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(_round_coords(geom)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _tooltip(*, permanent: bool = False) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(
        fields=["tip"], labels=False, sticky=not permanent, permanent=permanent
    )


def _popup() -> folium.GeoJsonPopup:
    return folium.GeoJsonPopup(fields=["pop"], labels=False, max_width=360)


def _geojson(
    data: dict[str, Any],
    *,
    name: str,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    marker: folium.CircleMarker | None = None,
    tooltip: folium.GeoJsonTooltip | None = None,
    popup: bool = True,
) -> folium.GeoJson:
    return folium.GeoJson(
        data,
        name=name,
        style_function=style,
        marker=marker,
        tooltip=tooltip if tooltip is not None else _tooltip(),
        popup=_popup() if popup else None,
        control=False,  # the enclosing FeatureGroup is what the layer control toggles
    )


def _group(key: str, *, show: bool = True, suffix: str = "") -> folium.FeatureGroup:
    return folium.FeatureGroup(name=LAYER_TITLES[key] + suffix, show=show)


def _chainage_row(props: Mapping[str, Any]) -> tuple[str, str]:
    return ("Chainage", _e(display.format_chainage(_num(props.get("chainage_m")))))


# ---------------------------------------------------------------- static layers


def _boundary(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("boundary")
    data = _collection(atlas.boundary, kind="boundary", details=_common_rows)
    style = {
        "color": "#333333",
        "weight": 2,
        "dashArray": "6 4",
        "fill": True,
        "fillColor": "#333333",
        "fillOpacity": 0.03,
    }
    _geojson(data, name="boundary", style=lambda _f: style, popup=False).add_to(group)
    return group


def _zones(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("zones")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [("Method", _e(p.get("method"))), *_common_rows(p)]

    data = _collection(
        atlas.zones, kind="zone", details=details, extra=lambda p: {"zone": str(p.get("zone", ""))}
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = ZONE_COLOURS.get(feature["properties"]["zone"], "#888888")
        return {
            "color": colour,
            "weight": 2,
            "fillColor": colour,
            "fillOpacity": 0.08,
            "dashArray": "2 4",
        }

    _geojson(data, name="zones", style=style).add_to(group)
    return group


def _parks(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("parks")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        published = _num(p.get("area_published_m2"))
        area = _e(display.format_ha(published)) if published is not None else ""
        return [("Published area", area), ("Outline", _e(p.get("outline"))), *_common_rows(p)]

    data = _collection(atlas.parks, kind="park", details=details)
    style = {"color": "#2e7d32", "weight": 1, "fillColor": PARK_COLOUR, "fillOpacity": 0.35}
    _geojson(data, name="parks", style=lambda _f: style).add_to(group)
    return group


def _creek(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("creek")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        span = (
            f"{display.format_chainage(_num(p.get('from_chainage_m')))} – "
            f"{display.format_chainage(_num(p.get('to_chainage_m')))}"
        )
        return [("Chainage", _e(span)), ("Section", _e(p.get("section"))), *_common_rows(p)]

    data = _collection(atlas.creek, kind="creek", details=details)
    style = {"color": CREEK_COLOUR, "weight": 7, "opacity": 0.55, "lineCap": "round"}
    _geojson(data, name="creek", style=lambda _f: style).add_to(group)
    return group


def _route(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("route")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        span = (
            f"{display.format_chainage(_num(p.get('from_chainage_m')))} – "
            f"{display.format_chainage(_num(p.get('to_chainage_m')))}"
        )
        return [("Bank", _e(p.get("bank"))), ("Chainage", _e(span)), *_common_rows(p)]

    data = _collection(atlas.route, kind="route", details=details)
    style = {"color": ROUTE_COLOUR, "weight": 3, "opacity": 0.9}
    _geojson(data, name="route", style=lambda _f: style).add_to(group)
    return group


def _km_posts(posts: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = _group("km_posts")
    frame = posts.assign(name_en=posts["label"], name_zh="", id=posts["label"], status="")
    data = _collection(frame, kind="km_post", details=lambda p: [_chainage_row(p)])
    for feature in data["features"]:  # the permanent label is just "3 km"
        feature["properties"]["tip"] = _e(feature["properties"]["id"])
    style = {"color": "#222222", "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1}
    marker = folium.CircleMarker(radius=4, fill=True)
    tooltip = folium.GeoJsonTooltip(
        fields=["tip"], labels=False, permanent=True, direction="right", class_name="pg-km"
    )
    _geojson(
        data, name="km_posts", style=lambda _f: style, marker=marker, tooltip=tooltip, popup=False
    ).add_to(group)
    return group


def _bridges(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("bridges")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        walkable = p.get("walkable")
        return [
            ("Carries", _e(p.get("crossing"))),
            _chainage_row(p),
            ("Walkable", "yes" if walkable else "no"),
            ("Joins", _e(p.get("joins"))),
            ("Opened", _e(p.get("opened"))),
            *_common_rows(p),
        ]

    data = _collection(
        atlas.bridges,
        kind="bridge",
        details=details,
        extra=lambda p: {"walkable": bool(p.get("walkable"))},
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        walkable = feature["properties"]["walkable"]
        return {
            "color": BRIDGE_COLOUR,
            "weight": 6 if walkable else 4,
            "opacity": 0.9,
            "fillColor": "#ffffff",
            "fillOpacity": 1,
            "dashArray": None if walkable else "4 4",
        }

    marker = folium.CircleMarker(radius=5, fill=True)
    _geojson(data, name="bridges", style=style, marker=marker).add_to(group)
    return group


def _stations(atlas: Atlas) -> folium.FeatureGroup:
    group = _group("stations")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [
            ("Station", _e(f"No. {p.get('number')}")),
            _chainage_row(p),
            ("Bank", _e(p.get("bank"))),
            ("Offers", _e(p.get("offers"))),
            *_common_rows(p),
        ]

    data = _collection(atlas.stations, kind="station", details=details)
    marker = folium.CircleMarker(radius=7, fill=True)
    _geojson(data, name="stations", style=station_style, marker=marker).add_to(group)
    return group


def station_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Confirmed stations: solid green discs; indicative: hollow, dashed rings."""
    if feature["properties"].get("status") == "confirmed":
        return {"color": "#ffffff", "weight": 2, "fillColor": STATION_COLOUR, "fillOpacity": 1}
    return {
        "color": STATION_COLOUR,
        "weight": 2,
        "dashArray": "3 3",
        "fillColor": "#ffffff",
        "fillOpacity": 0.85,
    }


class _Legend(MacroElement):
    """A Leaflet control holding the legend's (escaped) HTML, bottom right."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "pg-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "Legend"
        # JSON is a valid JS string literal; "</" is escaped so a page can inline it.
        self.html_json = json.dumps(legend_html).replace("</", "<\\/")


def _swatch_line(colour: str, *, weight: int = 4, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" '
        f'stroke="{colour}" stroke-width="{weight}"{dash_attr}/></svg>'
    )


def _swatch_dot(fill: str, stroke: str, *, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="22" height="16"><circle cx="11" cy="8" r="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="2"{dash_attr}/></svg>'
    )


def _swatch_box(fill: str, stroke: str) -> str:
    return (
        f'<svg width="22" height="14"><rect x="2" y="2" width="18" height="10" '
        f'fill="{fill}" fill-opacity="0.5" stroke="{stroke}"/></svg>'
    )


def legend_html(atlas: Atlas) -> str:
    """The legend's HTML; every label from the data is escaped."""
    items = [
        (_swatch_line(CREEK_COLOUR, weight=7), "Suzhou Creek"),
        (_swatch_line(ROUTE_COLOUR, weight=3), "Creekside route"),
        (_swatch_line(BRIDGE_COLOUR, weight=5), "Bridge (dashed: not walkable)"),
        (_swatch_dot(STATION_COLOUR, "#ffffff"), "Station, confirmed position"),
        (
            _swatch_dot("#ffffff", STATION_COLOUR, dash="3 3"),
            "Station, indicative position (no public source)",
        ),
        (_swatch_dot("#ffffff", "#222222"), "Km post (creek chainage)"),
        (_swatch_box(PARK_COLOUR, "#2e7d32"), "Park"),
    ]
    zone_names = dict(
        zip(atlas.zones.get("zone", []), atlas.zones.get("name_en", []), strict=False)
    )
    items += [
        (_swatch_box(colour, colour), escape_html(str(zone_names.get(zone, zone))))
        for zone, colour in ZONE_COLOURS.items()
    ]
    rows = "".join(f"<div>{swatch}<span>{label}</span></div>" for swatch, label in items)
    present = [str(c) for c in dict.fromkeys(atlas.sites.get("category", []))]
    cats = "".join(
        f"<div>{_swatch_dot(CATEGORY_STYLE.get(c, _OTHER_CATEGORY)[1], '#ffffff')}"
        f"<span>{escape_html(CATEGORY_STYLE.get(c, (c, ''))[0])}</span></div>"
        for c in CATEGORY_STYLE
        if c in present
    )
    return (
        f'<details open><summary>Legend</summary><div class="pg-legend-cols">{rows}'
        f'<div class="pg-legend-head">Sites by category</div>{cats}</div></details>'
    )


_PAGE_CSS = """
<style>
.leaflet-container { background: #eef0eb; font: 13px/1.35 system-ui, sans-serif; }
.pg-legend { background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 6px;
             box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 55%; overflow-y: auto;
             font-size: 11.5px; line-height: 1.15; }
.pg-legend svg { flex: none; }
.pg-legend summary { font-weight: 600; cursor: pointer; }
.pg-legend-cols { column-count: 2; column-gap: 12px; }
.pg-legend-cols > div { display: flex; break-inside: avoid; align-items: center; gap: 6px;
                        white-space: nowrap; }
.pg-legend-head { font-weight: 600; margin-top: 4px; }
.pg-card table { margin-top: 3px; border-collapse: collapse; }
.pg-card th { text-align: left; padding-right: 8px; color: #555; font-weight: 500;
              vertical-align: top; }
.pg-card td { max-width: 260px; white-space: normal; }
.pg-card, .pg-legend span { overflow-wrap: anywhere; max-width: 360px; }
.leaflet-tooltip .pg-card { white-space: normal; width: max-content; max-width: 360px;
                            max-height: 240px; overflow: hidden; }
.leaflet-tooltip.pg-km { background: rgba(255,255,255,.85); border: 0; box-shadow: none;
                         padding: 0 3px; font-size: 11px; font-weight: 600; }
.leaflet-tooltip.pg-km::before { display: none; }
</style>
"""


def build_map(
    atlas: Atlas,
    *,
    basemap: Basemap = OSM,
    km_posts: gpd.GeoDataFrame | None = None,
    asset_base_url: str = f"{assets.STATIC_URL}/{assets.VENDOR_DIR}",
) -> folium.Map:
    """The base map: basemap, every static layer, km posts, ruler and legend.

    Parameters
    ----------
    atlas
        The layers (EPSG:4326).
    basemap
        Background tiles; :data:`NO_TILES` for none.
    km_posts
        Points from :func:`putuo_geo.overview.km_posts`; none drawn when ``None``.
    asset_base_url
        Where the app serves ``static/vendor`` (see :mod:`putuo_geo.assets`).

    Returns
    -------
    folium.Map
        Sites, measurements and the layer control are added by the caller (see the
        module docstring); every script/style URL already points at local files.
    """
    focus = atlas.route if not atlas.route.empty else atlas.boundary
    bounds = _bounds_latlon(focus)
    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(
        location=center, zoom_start=14, tiles=None, control_scale=True, max_zoom=19, min_zoom=10
    )
    if basemap.url:
        folium.TileLayer(
            tiles=basemap.url,
            attr=basemap.attribution,
            name=basemap.label,
            max_zoom=19,
            max_native_zoom=19,
        ).add_to(m)
    for group in (_boundary(atlas), _zones(atlas), _parks(atlas), _creek(atlas), _route(atlas)):
        group.add_to(m)
    if km_posts is not None and not km_posts.empty:
        _km_posts(km_posts).add_to(m)
    _bridges(atlas).add_to(m)
    _stations(atlas).add_to(m)
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
    ).add_to(m)
    _Legend(legend_html(atlas)).add_to(m)
    root = m.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Element(_PAGE_CSS), name="pg_css")
    m.fit_bounds(bounds, padding=(10, 10))
    return assets.localize(m, base_url=asset_base_url)


# ---------------------------------------------------------------- dynamic layers


def site_colour(category: str) -> str:
    """The fill colour of a site's category."""
    return CATEGORY_STYLE.get(category, _OTHER_CATEGORY)[1]


def sites_layer(sites: gpd.GeoDataFrame, *, total: int | None = None) -> folium.FeatureGroup:
    """The (filtered) sites, coloured by category, as one toggleable group.

    ``total`` (all sites before filtering) adds "12 of 40" to the layer's name.
    """
    suffix = f" ({len(sites)} of {total})" if total is not None else f" ({len(sites)})"
    group = _group("sites", suffix=suffix)

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        label = CATEGORY_STYLE.get(str(p.get("category")), (str(p.get("category")), ""))[0]
        return [("Category", _e(label)), ("Address", _e(p.get("address_zh"))), *_common_rows(p)]

    data = _collection(
        sites,
        kind="site",
        details=details,
        extra=lambda p: {"category": str(p.get("category", ""))},
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return {
            "color": "#ffffff",
            "weight": 1.5,
            "fillOpacity": 0.95,
            "fillColor": site_colour(feature["properties"]["category"]),
        }

    if data["features"]:
        _geojson(
            data, name="sites", style=style, marker=folium.CircleMarker(radius=6, fill=True)
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
    measurement: Measurement, *, from_label: str, to_label: str
) -> folium.FeatureGroup:
    """The measured path (along the route), its two ends and the straight line between them.

    ``from_label`` / ``to_label`` are plain text (escaped here).
    """
    group = _group("measurement")
    start, end = measurement.start, measurement.end
    summary = escape_html(
        f"{display.format_length(measurement.along_route_m)} along the route · "
        f"{display.format_length(measurement.straight_m)} straight"
    )
    path_coords = [(float(x), float(y)) for x, y, *_ in shapely.get_coordinates(measurement.path)]
    features = [
        _line_feature([start.lonlat, end.lonlat], kind="straight", tip=summary),
        _line_feature([start.lonlat, start.on_route_lonlat], kind="offset", tip=""),
        _line_feature([end.lonlat, end.on_route_lonlat], kind="offset", tip=""),
        _line_feature(path_coords, kind="path", tip=summary),
        _point_feature(start.lonlat, kind="end", tip=f"FROM: {escape_html(from_label)}"),
        _point_feature(end.lonlat, kind="end", tip=f"TO: {escape_html(to_label)}"),
    ]
    styles = {
        "straight": {"color": "#555555", "weight": 1.5, "dashArray": "2 6"},
        "offset": {"color": PATH_COLOUR, "weight": 2, "dashArray": "4 4"},
        "path": {"color": PATH_COLOUR, "weight": 5, "opacity": 0.7},
        "end": {"color": "#ffffff", "weight": 2, "fillColor": PATH_COLOUR, "fillOpacity": 1},
    }
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="measurement",
        style_function=lambda f: styles[f["properties"]["kind"]],
        marker=folium.CircleMarker(radius=8, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        control=False,
    ).add_to(group)
    return group


def click_layer(found: Nearest) -> folium.FeatureGroup:
    """The clicked point, the nearest route point and the line joining them."""
    group = _group("click")
    tip = escape_html(
        f"{display.format_chainage(found.chainage_m)} · "
        f"{display.format_length(found.route_distance_m)} from the route"
    )
    features = [
        _line_feature([found.lonlat, found.route_lonlat], kind="offset", tip=tip),
        _point_feature(found.lonlat, kind="click", tip="Clicked point"),
        _point_feature(found.route_lonlat, kind="route_point", tip=tip),
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
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="click",
        style_function=lambda f: styles[f["properties"]["kind"]],
        marker=folium.CircleMarker(radius=6, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        control=False,
    ).add_to(group)
    return group


UPLOAD_COLOUR = "#111111"


def upload_layer(frame: gpd.GeoDataFrame, *, title: str) -> folium.FeatureGroup:
    """A user's uploaded sites (see :mod:`putuo_geo.uploads`) as their own group.

    ``title`` is plain text (the file name), escaped here: Leaflet's layer control
    puts a layer's name into the page as HTML.
    """
    group = _group("upload", suffix=f": {escape_html(title)}")

    def details(p: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [
            ("Category", _e(p.get("category"))),
            ("Id in file", _e(p.get("id_in_file"))),
            ("Source", _e(p.get("source"))),
        ]

    data = _collection(frame, kind="upload", details=details)
    style = {"color": UPLOAD_COLOUR, "weight": 3, "fillColor": "#ffd600", "fillOpacity": 1}
    if data["features"]:
        _geojson(
            data,
            name="upload",
            style=lambda _f: style,
            marker=folium.CircleMarker(radius=8, fill=True),
        ).add_to(group)
    return group


def layer_control() -> folium.LayerControl:
    """Layer toggles (collapsed on small screens is Leaflet's choice; here expanded)."""
    return folium.LayerControl(position="topright", collapsed=True)
