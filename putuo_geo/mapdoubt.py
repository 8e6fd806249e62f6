"""The doubt bands: where a modelled creek section, route piece or zone may lie.

Drawn under the lines in their own pane, from zoom 14 (:class:`putuo_geo.maplayer.BandPane`);
:func:`putuo_geo.mapview.build_map` adds them.

The band of +- accuracy_m is geometry computed in metres (EPSG:32651, putuo_geo.crs)
and drawn as polygons, not a polyline whose weight is converted from metres to pixels:
a Leaflet weight is in screen pixels, so it would have to be recomputed on every zoom
and would still be wrong across the map (Web Mercator's scale changes with latitude,
1/cos(lat)) and at the ends and bends, where a stroke's caps and joins are drawn in
pixels. A polygon's vertices are projected one by one by Leaflet, so the band stays the
stated width on the ground at every zoom and latitude, and on GCJ-02 tiles it is
converted with everything else.
"""

from __future__ import annotations

import json
import math
from typing import Any

import folium
import geopandas as gpd
import shapely
from folium.utilities import JsCode

from putuo_geo import config, crs, doubt, maplayer
from putuo_geo.i18n import Lang
from putuo_geo.layers import Atlas
from putuo_geo.mapfeatures import LayerFields, collection, feature_group
from putuo_geo.mapstyle import band_style

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
    group = feature_group(BAND_FIELDS.key, lang)
    data = collection(bands, fields=BAND_FIELDS, lang=lang)
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
