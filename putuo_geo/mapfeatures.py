"""The features every map layer is built from: GeoJSON, card rows, escaping, groups.

One serialiser (:func:`collection`) turns a layer's rows into the compact GeoJSON that
:class:`putuo_geo.maplayer.DataLayer` draws, driven by a per-layer field table
(:class:`LayerFields`). The static layers (:mod:`putuo_geo.mapview`), the doubt bands
(:mod:`putuo_geo.mapdoubt`), the event layer (:mod:`putuo_geo.mapevents`) and the
planner's layers (:mod:`putuo_geo.planmap`) all build on these. Text from the data is
escaped here (:func:`escape_value`), once, before it reaches HTML.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from putuo_geo import config, crs, display, doubt, i18n, maplayer
from putuo_geo.datum import Datum, convert_point
from putuo_geo.i18n import Lang, tr
from putuo_geo.safety import escape_html


def latlon(lonlat: tuple[float, float]) -> list[float]:
    """(lon, lat) -> folium's [lat, lon]. The one place the order flips."""
    lon, lat = lonlat
    return [float(lat), float(lon)]


def shift_lonlat(lonlat: tuple[float, float], datum: Datum) -> tuple[float, float]:
    return convert_point(lonlat, src="wgs84", dst=datum)


def escape_value(value: Any) -> str:
    """HTML-escape one value from the data; blank for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return escape_html(str(value))


def title_html(props: Mapping[str, Any], lang: Lang) -> str:
    """A card's title: the name in ``lang`` (the other in brackets), escaped."""
    return escape_value(i18n.name(props.get("name_en"), props.get("name_zh"), lang))


def escaped_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(label, escaped value)`` -> both escaped (labels come from the catalogue)."""
    return [(escape_html(label), value) for label, value in rows]


def common_rows(props: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    return [
        (tr("card.status", lang), escape_value(i18n.value("status", props.get("status"), lang))),
        (
            tr("card.accuracy", lang),
            escape_value(display.format_accuracy(finite_or_none(props.get("accuracy_m")))),
        ),
        (tr("card.source", lang), free_text(props.get("source"), lang)),
    ]


def doubt_text(props: Mapping[str, Any], lang: Lang) -> str:
    """ "position uncertain by up to N m" (escaped) for a modelled feature, else ``""``.

    Modelled: ``status`` is not ``confirmed`` (:data:`putuo_geo.doubt.CONFIRMED`); N is
    its ``accuracy_m``. Shown on the tooltip and the popup, under the title.
    """
    accuracy_m = finite_or_none(props.get("accuracy_m"))
    if props.get("status") == doubt.CONFIRMED or accuracy_m is None:
        return ""
    return escape_html(tr("doubt.uncertain", lang, accuracy=f"{accuracy_m:,.0f}"))


def finite_or_none(value: Any) -> float | None:
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

#: A feature that states its doubt (``accuracy_m``) may be drawn simplified by this share
#: of it, when that is more than :data:`DISPLAY_TOLERANCE_M`: a band or a zone good to
#: ± 500 m is drawn to within 25 m, which no one can tell at the zooms it is seen at, and
#: its many vertices cost every visitor's first load (the default map's 150 KB budget).
DISPLAY_SHARE_OF_DOUBT = 0.05


def display_geometry(
    geoms: gpd.GeoSeries,
    *,
    tolerance_m: float | np.ndarray = DISPLAY_TOLERANCE_M,
    decimals: int = DISPLAY_DECIMALS,
) -> gpd.GeoSeries:
    """Geometries lightened for drawing: simplified in metres, then rounded (EPSG:4326).

    Lines and polygons are simplified with ``shapely.simplify`` (topology preserved)
    in ``config.METRIC_CRS`` to within ``tolerance_m`` metres (one value, or one per
    geometry); points are kept. All
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
        tolerance = np.broadcast_to(np.asarray(tolerance_m, dtype=float), values.shape)
        simple = shapely.simplify(metric, tolerance[shaped], preserve_topology=True)
        values = values.copy()
        values[shaped] = crs.geometry_to_lonlat(simple)
    rounded = shapely.set_precision(values, 10.0**-decimals, mode="pointwise")
    return gpd.GeoSeries(rounded, index=geoms.index, crs=wgs.crs)


def display_tolerance_m(frame: gpd.GeoDataFrame) -> np.ndarray:
    """How far (m) each feature's drawing may stray: :data:`DISPLAY_TOLERANCE_M`, or
    :data:`DISPLAY_SHARE_OF_DOUBT` of its ``accuracy_m`` where that is more.

    >>> import geopandas as gpd
    >>> display_tolerance_m(gpd.GeoDataFrame({"accuracy_m": [10.0, 500.0, None]})).tolist()
    [2.0, 25.0, 2.0]
    """
    if "accuracy_m" not in frame:
        return np.full(len(frame), DISPLAY_TOLERANCE_M)
    doubt_m = pd.to_numeric(frame["accuracy_m"], errors="coerce").fillna(0.0).to_numpy(float)
    return np.maximum(DISPLAY_TOLERANCE_M, DISPLAY_SHARE_OF_DOUBT * doubt_m)


def collection(frame: gpd.GeoDataFrame, *, fields: LayerFields, lang: Lang) -> dict[str, Any]:
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
        display_geometry(frame.geometry, tolerance_m=display_tolerance_m(frame)),
        strict=True,
    ):
        if geom is None or geom.is_empty:
            continue
        properties: dict[str, Any] = {
            "kind": fields.kind,
            "id": str(props.get("id", "")),
            "n": title_html(props, lang),
        }
        refs = cards.refs(escaped_rows(fields.card(props, lang)))
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


def feature_group(
    key: str, lang: Lang, *, title: str | None = None, dynamic: bool = False
) -> folium.FeatureGroup:
    """A toggleable group; a ``dynamic`` one (drawn on its own by ``st_folium``) carries
    its own copy of the layer helpers (:class:`putuo_geo.maplayer.Helpers`)."""
    group = folium.FeatureGroup(name=title or tr(f"layer.{key}", lang), show=True)
    if dynamic:
        maplayer.Helpers().add_to(group)
    return group


def span_text(props: Mapping[str, Any]) -> str:
    return (
        f"{display.format_chainage(finite_or_none(props.get('from_chainage_m')))} – "
        f"{display.format_chainage(finite_or_none(props.get('to_chainage_m')))}"
    )


# One serialiser (:func:`collection`) for every layer, driven by a table: what each
# feature's card shows (rows), which properties its style reads (extra), and how the
# layer is drawn. A card row is ``(properties, lang) -> (label, escaped value)``.

Row = Callable[[Mapping[str, Any], Lang], tuple[str, str]]


_HAN = re.compile(r"[\u4e00-\u9fff]")


def free_text(value: Any, lang: Lang) -> str:
    """Free text from the data (a source, a method), escaped; in Chinese, English text is
    labelled as English ("（英文）") and marked ``lang="en"`` (the data has no Chinese
    sources: issue 24 asked that a Chinese page say so rather than look untranslated)."""
    text = escape_value(value)
    if lang == "zh" and text and not _HAN.search(text):
        return f'{escape_html(tr("card.in_english", lang))}<span lang="en">{text}</span>'
    return text


def text_row(label_key: str, field: str) -> Row:
    """The field's text as it is in the data (:func:`free_text`)."""
    return lambda p, lang: (tr(label_key, lang), free_text(p.get(field), lang))


def enum_row(label_key: str, field: str, *, cast: Callable[[Any], Any] | None = None) -> Row:
    """An enumerated field's value in ``lang`` (:func:`putuo_geo.i18n.value`)."""

    def row(p: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
        value = p.get(field) if cast is None else cast(p.get(field))
        return tr(label_key, lang), escape_value(i18n.value(field, value, lang))

    return row


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
        return rows + common_rows(p, lang) if self.common else rows

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


def line_feature(coords_lonlat: list[tuple[float, float]], **props: Any) -> dict[str, Any]:
    """A GeoJSON LineString feature from ``(lon, lat)`` pairs (degrees, rounded to 1e-6,
    about 0.1 m) with ``props`` as its properties."""
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {
            "type": "LineString",
            "coordinates": [[round(x, 6), round(y, 6)] for x, y in coords_lonlat],
        },
    }


def point_feature(lonlat: tuple[float, float], **props: Any) -> dict[str, Any]:
    """A GeoJSON Point feature at ``(lon, lat)`` (degrees, rounded to 1e-6) with ``props``."""
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lonlat[0], 6), round(lonlat[1], 6)]},
    }
