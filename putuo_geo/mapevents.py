"""The selected event edition on the map: a course along the route, or a venue.

:func:`event_layer` draws one edition (:func:`putuo_geo.events.course_map` for a
course: the line, start, finish, km markers and sourced water stations); its card
(:func:`event_card`) gives kind, dates in the page's language, length against the
race's and the source. :func:`putuo_geo.mapview.compose` adds it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import folium
import shapely
from folium.utilities import JsCode

from putuo_geo import events, i18n, maplayer
from putuo_geo.datum import Datum
from putuo_geo.i18n import Lang, tr
from putuo_geo.mapfeatures import (
    common_rows,
    escape_value,
    escaped_rows,
    feature_group,
    line_feature,
    point_feature,
    shift_lonlat,
)
from putuo_geo.mapstyle import EVENT_COLOUR, EVENT_OPACITY, EVENT_WATER_COLOUR
from putuo_geo.safety import escape_html


def event_card(props: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """An event edition's card: kind, dates in ``lang``, where/length, water stations,
    status, accuracy and source (``(label, escaped text)``, labels not yet escaped).

    For a course the length along the route is set against the race's 21.0975 km, with
    why they differ (the race also uses streets).
    """
    kind = escape_value(i18n.value("kind", props.get("kind"), lang))
    dates = escape_value(
        events.format_date_range(str(props["start_date"]), str(props["end_date"]), lang)
    )
    if props.get("geometry_kind") == "course":
        length, shorter, water = events.course_texts(props, lang=lang)
        where = f"{length} {shorter}"
    else:
        where, water = tr("events.venue", lang), ""
    return [
        (tr("events.card_kind", lang), kind),
        (tr("events.card_dates", lang), dates),
        (tr("events.card_where", lang), escape_value(where)),
        (tr("events.card_water", lang), escape_value(water)),
        *common_rows(props, lang),
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
    group = feature_group("event", lang, title=tr("events.layer", lang, name=short), dynamic=True)
    cards = maplayer.CardTable()
    card = cards.refs(escaped_rows(event_card(props, lang)))
    features: list[dict[str, Any]] = []
    if props.get("geometry_kind") == "course":
        course = events.course_map(props, geometry)
        path = [shift_lonlat(p, datum) for p in course.path_lonlat]
        features.append(line_feature(path, kind="course", n=title, c=card))
        for distance_m, lonlat in course.km_markers:
            n = escape_html(tr("events.km_marker", lang, km=f"{distance_m / 1000:g}"))
            features.append(point_feature(shift_lonlat(lonlat, datum), kind="course_km", n=n))
        for distance_m, lonlat in course.water_stations:
            n = escape_html(tr("events.water_station", lang, km=f"{distance_m / 1000:g}"))
            features.append(point_feature(shift_lonlat(lonlat, datum), kind="course_water", n=n))
        for key, at in (("events.start", path[0]), ("events.finish", path[-1])):
            n = escape_html(f"{tr(key, lang)}: {name}")
            features.append(point_feature(at, kind="course_end", n=n, c=card))
    else:
        point = shift_lonlat((float(geometry.x), float(geometry.y)), datum)
        features.append(point_feature(point, kind="venue", n=title, c=card))
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
