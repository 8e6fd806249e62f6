"""The planner view's map layers (issue 14): bands, one station's reach, candidates.

Dynamic layers for :func:`putuo_geo.mapview.compose` (``extra_layers``): each is built
in the datum the basemap is drawn in (GCJ-02 on Amap) like every other dynamic layer;
the figures come from :mod:`putuo_geo.coverage` on the WGS-84 data. Never imports
streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from putuo_geo import coverage, display, i18n, mapfeatures, maplayer, mapstyle
from putuo_geo.datum import Datum, convert_frame
from putuo_geo.i18n import Lang, tr
from putuo_geo.safety import escape_html


class LayerLegend(MacroElement):
    """A legend (escaped HTML) shown while its layer group is on the map, top right.

    Top right, under the layer control: the map's own legend fills the bottom right and,
    on a phone, most of the bottom edge.

    Added to a (dynamic) feature group rather than to the map: ``st_folium`` draws
    dynamic groups on their own, and the group's ``add``/``remove`` events are the one
    hook that follows both the page's reruns and the layer control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var legend = L.control({position: "topright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "pg-legend pg-band-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            group.on("add", function () { legend.addTo(group._map); });
            group.on("remove", function () { legend.remove(); });
            if (group._map) { legend.addTo(group._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "LayerLegend"
        self.html_json = json.dumps(legend_html).replace("</", "<\\/")


def band_legend_html(*, speed_kmh: float, lang: Lang) -> str:
    """The bands' legend: title with the speed, one swatch per band (escaped)."""
    title = escape_html(tr("planner.legend_title", lang, kmh=f"{speed_kmh:g}"))
    rows = "".join(
        f"<div>{mapstyle._swatch_line(colour, weight=4, dash=dash)}"
        f"<span>{escape_html(label)}</span></div>"
        for colour, dash, label in zip(
            mapstyle.BAND_COLOURS, mapstyle.BAND_DASH, coverage.band_legend(lang), strict=True
        )
    )
    return f'<div class="pg-legend-head">{title}</div>{rows}'


def _lines(frame: gpd.GeoDataFrame, datum: Datum) -> list[list[list[tuple[float, float]]]]:
    """Each row's line(s) as lon/lat coordinate lists, shifted to ``datum`` and lightened."""
    if datum != "wgs84" and not frame.empty:
        frame = convert_frame(frame, src="wgs84", dst=datum)
    shown = mapfeatures.display_geometry(frame.geometry)
    out = []
    for geom in shown:
        parts = getattr(geom, "geoms", [geom])
        out.append(
            [[(float(x), float(y)) for x, y, *_ in shapely.get_coordinates(p)] for p in parts]
        )
    return out


def _group(name: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=escape_html(name), show=True)
    maplayer.Helpers().add_to(group)  # dynamic: carries its own copy of the helpers
    return group


def bands_layer(
    cov: coverage.Coverage, *, lang: Lang = "en", datum: Datum = "wgs84"
) -> folium.FeatureGroup:
    """The route coloured by the walk to the nearest station, with its legend."""
    group = _group(tr("planner.layer", lang))
    frame = cov.bands_frame()
    labels = coverage.band_legend(lang, cov.band_minutes)
    features = []
    for lines, band, w0, w1 in zip(
        _lines(frame, datum),
        frame["band_index"],
        frame["walk_from_m"],
        frame["walk_to_m"],
        strict=True,
    ):
        tip = escape_html(
            tr(
                "planpanel.band_tip",
                lang,
                band=labels[int(band)],
                low=display.format_length(w0),
                high=display.format_length(w1),
            )
        )
        features += [
            mapfeatures.line_feature(c, kind="walk_band", b=int(band), n=tip)
            for c in lines
            if len(c) > 1
        ]
    maplayer.DataLayer(
        {"type": "FeatureCollection", "features": features},
        name="planner_bands",
        style=lambda f: {
            "color": mapstyle.BAND_COLOURS[f["properties"]["b"]],
            "weight": mapstyle.BAND_WEIGHT,
            "opacity": 1,
            "dashArray": mapstyle.BAND_DASH[f["properties"]["b"]] or None,
        },
        tip_rows=0,
        popup=False,
    ).add_to(group)
    LayerLegend(band_legend_html(speed_kmh=cov.speed_kmh, lang=lang)).add_to(group)
    return group


def reach_layer(
    reach: coverage.Reach, *, lang: Lang = "en", datum: Datum = "wgs84"
) -> folium.FeatureGroup:
    """The network one station reaches in the time (route and bridges), wide, translucent."""
    minutes = f"{reach.minutes:g}"
    group = _group(tr("planner.reach_layer", lang, minutes=minutes))
    name = i18n.name(reach.site.name_en, reach.site.name_zh, lang, both=False) or reach.site.id
    tip = escape_html(tr("planpanel.reach_tip", lang, minutes=minutes, name=name))
    features = [
        mapfeatures.line_feature(c, kind="reach", n=tip)
        for lines in _lines(reach.frame, datum)
        for c in lines
        if len(c) > 1
    ]
    maplayer.DataLayer(
        {"type": "FeatureCollection", "features": features},
        name="planner_reach",
        style=lambda f: {
            "color": mapstyle.REACH_COLOUR,
            "weight": 12,
            "opacity": mapstyle.REACH_OPACITY,
        },
        tip_rows=0,
        popup=False,
    ).add_to(group)
    return group


def candidates_layer(
    candidates: Sequence[coverage.Site], *, lang: Lang = "en", datum: Datum = "wgs84"
) -> folium.FeatureGroup:
    """Candidate stations at their route points (white discs, black rings)."""
    group = _group(tr("planpanel.candidate_layer", lang))
    features = []
    for c in candidates:
        lon, lat = mapfeatures.shift_lonlat(c.on_route_lonlat, datum)
        tip = tr(
            "planpanel.candidate_tip",
            lang,
            name=i18n.name(c.name_en, c.name_zh, lang, both=False),
            bank=i18n.value("bank", c.bank, lang),
            chainage=display.format_chainage(c.chainage_m),
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "candidate", "n": escape_html(tip)},
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            }
        )
    maplayer.DataLayer(
        {"type": "FeatureCollection", "features": features},
        name="planner_candidates",
        style=lambda f: {
            "color": mapstyle.CANDIDATE_COLOUR,
            "weight": 3,
            "fillColor": "#ffffff",
            "fillOpacity": 1,
        },
        radius=8,
        tip_rows=0,
        popup=False,
    ).add_to(group)
    return group
