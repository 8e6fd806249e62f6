"""How the map looks: palette, opacities, the legend and the page's CSS.

Colours are chosen for WCAG 2.x contrast: text 4.5:1 on its background, every line and
marker 3:1 against white *as drawn*, i.e. blended over white at the opacity it is drawn
at (:data:`DRAWN_COLOURS`; ``tests/test_contrast.py``). :mod:`putuo_geo.mapview` draws
with these; this module never imports streamlit.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from putuo_geo import i18n
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas
from putuo_geo.safety import escape_html

#: Site category -> colour. Chosen by computation (issue 24: commerce and culture were
#: the same mustard to the eye): starting from the hue each category had, every colour
#: was moved within a small step of it to push apart the closest pair as drawn (at
#: SITE_FILL_OPACITY over white), in normal vision and in the three common deficiencies
#: simulated at full severity (Machado et al. 2009), by CAM02-UCS distance; each still
#: reaches WCAG's 3:1 against white. tests/test_palette.py holds every pair >= 12
#: (the old pair was 3.0 apart under deuteranomaly and 0.6 landmark/commerce under
#: protanomaly). Labels are ``category.<name>`` in the catalogue.
CATEGORY_COLOURS: dict[str, str] = {
    "innovation": "#907ede",
    "commerce": "#845a18",
    "culture_heritage": "#78000c",
    "education": "#2a9c9c",
    "health": "#b40696",
    "landmark": "#c67866",
    "sport_leisure": "#969000",
    "transport": "#3c3c42",
    "government": "#363cfc",
}
#: A category the palette does not know (an uploaded layer's): a mid grey, apart from
#: transport's near-black by lightness, which no deficiency changes.
OTHER_CATEGORY_COLOUR = "#666c6c"

ZONE_COLOURS: dict[str, str] = {
    "one_belt": "#2b8cbe",
    "one_center": "#8856a7",
    "one_city": "#de2d26",
}

# The creek is drawn wide and translucent under the route: at CREEK_OPACITY over white
# its blue must still reach 3:1 (the lighter #3d8bd9 it had gave 1.9:1 as drawn).
CREEK_COLOUR = "#143d66"
ROUTE_COLOUR = "#e4572e"
STATION_COLOUR = "#0b6e4f"
BRIDGE_COLOUR = "#5b4636"
PATH_COLOUR = "#c2185b"
PARK_COLOUR = "#4caf50"
PARK_STROKE = "#2e7d32"
KM_POST_COLOUR = "#222222"
#: The selected event (course line, venue marker): a violet none of the layers use.
EVENT_COLOUR = "#6a1b9a"
EVENT_OPACITY = 0.9
#: Water stations along a course.
EVENT_WATER_COLOUR = "#0277bd"
#: Opacities lines and markers are drawn at (1 where not listed).
CREEK_OPACITY = 0.55
ROUTE_OPACITY = 0.9
BRIDGE_OPACITY = 0.9
PATH_OPACITY = 0.7
SITE_FILL_OPACITY = 0.95

# ---- doubt (issue 16): how a modelled (``status`` other than confirmed) stretch looks.
# "Lighter" within WCAG's 3:1 floor: the creek and the route are drawn at 3.13:1 and
# 3.25:1 today, so a paler tint would fail the contrast test. A modelled stretch is
# lighter in *ink* instead: thinner and dashed (gaps), a brighter blue for the creek, and
# no paler than 3:1 as drawn. The band around it carries the rest of the message.
CREEK_MODELLED_COLOUR = "#1f5a94"
CREEK_MODELLED_OPACITY = 0.65  # 3.19:1 as drawn
CREEK_MODELLED_DASH = "8 7"
ROUTE_MODELLED_OPACITY = 0.85  # ROUTE_COLOUR at 3.06:1 as drawn
ROUTE_MODELLED_DASH = "5 5"
BRIDGE_MODELLED_OPACITY = 0.6  # BRIDGE_COLOUR at 3.10:1 as drawn (a lighter brown)
#: The band of +- ``accuracy_m`` around modelled lines and zone outlines: a translucent
#: tint (an area under the lines, not a line to read; its edge is the dotted outline).
BAND_FILL_OPACITY = 0.13
BAND_EDGE_OPACITY = 0.6  # CREEK_COLOUR at 3.54:1 as drawn
BAND_EDGE_DASH = "1 5"
ZONE_BAND_FILL_OPACITY = 0.05  # under the creek band's 0.13: the creek's doubt reads first
#: Bands are shown from this zoom up (at 14 a 500 m band is ~50 px wide; further out
#: the bands of the loop merge into one blot that hides the map).
BAND_MIN_ZOOM = 14
#: The planner's bands (walk to the nearest station <= 5, <= 10, <= 15 min, beyond):
#: blue, light blue, orange-brown, dark red. Colour-blind safe because they differ in
#: lightness as well as hue (the two blues by lightness, blue vs orange for every
#: common deficiency) and the last band is also dashed (BAND_DASH); every one reaches
#: 3:1 against white (the lighter ColorBrewer RdYlBu steps do not).
BAND_COLOURS: tuple[str, ...] = ("#2166ac", "#4393c3", "#b35806", "#67001f")
BAND_DASH: tuple[str, ...] = ("", "", "", "6 5")
BAND_WEIGHT = 5
#: One station's reach (drawn wide and translucent under the bands) and candidates.
REACH_COLOUR = "#762a83"
REACH_OPACITY = 0.6
CANDIDATE_COLOUR = "#111111"
#: Every line and marker colour with the opacity it is drawn at: what a reader sees is
#: the colour blended over the tiles, white at worst (tests/test_contrast.py asks 3:1).
DRAWN_COLOURS: tuple[tuple[str, float], ...] = (
    *((c, SITE_FILL_OPACITY) for c in (*CATEGORY_COLOURS.values(), OTHER_CATEGORY_COLOUR)),
    *((c, 1.0) for c in ZONE_COLOURS.values()),
    (CREEK_COLOUR, CREEK_OPACITY),
    (CREEK_MODELLED_COLOUR, CREEK_MODELLED_OPACITY),
    (CREEK_COLOUR, BAND_EDGE_OPACITY),
    (ROUTE_COLOUR, ROUTE_OPACITY),
    (ROUTE_COLOUR, ROUTE_MODELLED_OPACITY),
    (STATION_COLOUR, 1.0),
    (BRIDGE_COLOUR, BRIDGE_OPACITY),
    (BRIDGE_COLOUR, BRIDGE_MODELLED_OPACITY),
    (PATH_COLOUR, PATH_OPACITY),
    (PARK_STROKE, 1.0),
    (KM_POST_COLOUR, 1.0),
    (EVENT_COLOUR, EVENT_OPACITY),
    (EVENT_WATER_COLOUR, 1.0),
    *((c, 1.0) for c in BAND_COLOURS),
    (REACH_COLOUR, REACH_OPACITY),
    (CANDIDATE_COLOUR, 1.0),
)
#: Text and background of the legend, the cards and the km labels (WCAG >= 4.5:1).
LEGEND_TEXT = "#1a1a1a"
LEGEND_BACKGROUND = "#ffffff"
CARD_LABEL = "#555555"
#: The page's captions (Streamlit draws them at 60 % of its text colour, 3.7:1 on
#: white; WCAG AA asks 4.5:1 of small text): 7.2:1.
CAPTION_TEXT = "#55575f"


def site_colour(category: str) -> str:
    """The fill colour of a site's category."""
    return CATEGORY_COLOURS.get(category, OTHER_CATEGORY_COLOUR)


UPLOAD_COLOUR = "#111111"


def is_modelled(feature: dict[str, Any]) -> bool:
    """A feature not drawn from a sourced line or point (``status`` is not confirmed)."""
    return feature["properties"].get("status") != "confirmed"


def creek_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Confirmed reaches as before (wide, solid); modelled sections thinner and dashed."""
    if not is_modelled(feature):
        return {"color": CREEK_COLOUR, "weight": 7, "opacity": CREEK_OPACITY, "lineCap": "round"}
    return {
        "color": CREEK_MODELLED_COLOUR,
        "weight": 5,
        "opacity": CREEK_MODELLED_OPACITY,
        "dashArray": CREEK_MODELLED_DASH,
        "lineCap": "butt",
    }


def route_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Confirmed route pieces as before; modelled pieces lighter and dashed."""
    if not is_modelled(feature):
        return {"color": ROUTE_COLOUR, "weight": 3, "opacity": ROUTE_OPACITY}
    return {
        "color": ROUTE_COLOUR,
        "weight": 2.5,
        "opacity": ROUTE_MODELLED_OPACITY,
        "dashArray": ROUTE_MODELLED_DASH,
    }


def bridge_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Walkable bridges wide, others thin and dashed; modelled positions lighter."""
    walkable = feature["properties"]["walkable"]
    return {
        "color": BRIDGE_COLOUR,
        "weight": 6 if walkable else 4,
        "opacity": BRIDGE_MODELLED_OPACITY if is_modelled(feature) else BRIDGE_OPACITY,
        "fillColor": "#ffffff",
        "fillOpacity": 1,
        "dashArray": None if walkable else "4 4",
    }


def band_style(feature: dict[str, Any]) -> dict[str, Any]:
    """The +- accuracy band: a tint with a dotted edge, in the zone's colour for zones."""
    zone = feature["properties"].get("zone")
    if zone:
        colour = ZONE_COLOURS.get(str(zone), "#888888")
        return {
            "color": colour,
            "weight": 1,
            "opacity": 1,
            "dashArray": BAND_EDGE_DASH,
            "fillColor": colour,
            "fillOpacity": ZONE_BAND_FILL_OPACITY,
        }
    return {
        "color": CREEK_COLOUR,
        "weight": 1,
        "opacity": BAND_EDGE_OPACITY,
        "dashArray": BAND_EDGE_DASH,
        "fillColor": CREEK_COLOUR,
        "fillOpacity": BAND_FILL_OPACITY,
    }


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


class Legend(MacroElement):
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


def _swatch_line(colour: str, *, weight: int = 4, dash: str = "", opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    opacity_attr = f' stroke-opacity="{opacity:g}"' if opacity < 1 else ""
    return (
        f'<svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" '
        f'stroke="{colour}" stroke-width="{weight}"{dash_attr}{opacity_attr}/></svg>'
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


def _swatch_band() -> str:
    """The band: a tint with a dotted edge around a dashed modelled line."""
    return (
        f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" '
        f'fill="{CREEK_COLOUR}" fill-opacity="{BAND_FILL_OPACITY:g}" stroke="{CREEK_COLOUR}" '
        f'stroke-opacity="{BAND_EDGE_OPACITY:g}" stroke-dasharray="{BAND_EDGE_DASH}"/>'
        f'<line x1="1" y1="7" x2="21" y2="7" stroke="{CREEK_MODELLED_COLOUR}" stroke-width="3" '
        f'stroke-opacity="{CREEK_MODELLED_OPACITY:g}" stroke-dasharray="4 3"/></svg>'
    )


def legend_html(atlas: Atlas, *, lang: Lang = "en") -> str:
    """The legend's HTML in ``lang``; every label from the data is escaped."""
    items = [
        (_swatch_line(CREEK_COLOUR, weight=7, opacity=CREEK_OPACITY), tr("legend.creek", lang)),
        (
            _swatch_line(
                CREEK_MODELLED_COLOUR,
                weight=5,
                dash="4 3",
                opacity=CREEK_MODELLED_OPACITY,
            ),
            tr("legend.creek_modelled", lang),
        ),
        (_swatch_line(ROUTE_COLOUR, weight=3), tr("legend.route", lang)),
        (
            _swatch_line(ROUTE_COLOUR, weight=2, dash="3 3", opacity=ROUTE_MODELLED_OPACITY),
            tr("legend.route_modelled", lang),
        ),
        (_swatch_band(), tr("legend.band", lang, zoom=BAND_MIN_ZOOM)),
        (_swatch_line(BRIDGE_COLOUR, weight=5), tr("legend.bridge", lang)),
        (
            _swatch_line(BRIDGE_COLOUR, weight=5, opacity=BRIDGE_MODELLED_OPACITY),
            tr("legend.bridge_modelled", lang),
        ),
        (_swatch_dot(STATION_COLOUR, "#ffffff"), tr("legend.station_confirmed", lang)),
        (
            _swatch_dot("#ffffff", STATION_COLOUR, dash="3 3"),
            tr("legend.station_indicative", lang),
        ),
        (_swatch_dot("#ffffff", KM_POST_COLOUR), tr("legend.km_post", lang)),
        (_swatch_box(PARK_COLOUR, PARK_STROKE), tr("legend.park", lang)),
    ]
    items = [(swatch, escape_html(label)) for swatch, label in items]
    zone_names = {
        str(zone): i18n.name(en, zh, lang, both=False)
        for zone, en, zh in zip(
            atlas.zones.get("zone", []),
            atlas.zones.get("name_en", []),
            atlas.zones.get("name_zh", []),
            strict=False,
        )
    }
    items += [
        (_swatch_box(colour, colour), escape_html(zone_names.get(zone, zone)))
        for zone, colour in ZONE_COLOURS.items()
    ]
    rows = "".join(f"<div>{swatch}<span>{label}</span></div>" for swatch, label in items)
    present = [str(c) for c in dict.fromkeys(atlas.sites.get("category", []))]
    cats = "".join(
        f"<div>{_swatch_dot(site_colour(c), '#ffffff')}"
        f"<span>{escape_html(i18n.category(c, lang))}</span></div>"
        for c in CATEGORY_COLOURS
        if c in present
    )
    return (
        f"<details open><summary>{escape_html(tr('legend.title', lang))}</summary>"
        f'<div class="pg-legend-cols">{rows}'
        f'<div class="pg-legend-head">{escape_html(tr("legend.sites", lang))}</div>'
        f"{cats}</div></details>"
    )


PAGE_CSS = (
    """
<style>
.leaflet-container { background: #eef0eb; font: 13px/1.35 system-ui, sans-serif; }
.pg-legend { background: LEGEND_BACKGROUND; color: LEGEND_TEXT; padding: 4px 8px;
             border-radius: 6px;
             box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 55%; overflow-y: auto;
             font-size: 11.5px; line-height: 1.15; }
.pg-legend svg { flex: none; }
.pg-legend summary { font-weight: 600; cursor: pointer; }
.pg-legend-cols { column-count: 2; column-gap: 12px; }
.pg-legend-cols > div { display: flex; break-inside: avoid; align-items: center; gap: 6px;
                        white-space: nowrap; }
.pg-legend-head { font-weight: 600; margin-top: 4px; }
.pg-card table { margin-top: 3px; border-collapse: collapse; }
.pg-card th { text-align: left; padding-right: 8px; color: CARD_LABEL; font-weight: 500;
              vertical-align: top; white-space: nowrap; }
.pg-card td { max-width: 260px; white-space: normal; }
.pg-doubt { color: CARD_LABEL; font-style: italic; }
.pg-card, .pg-legend span { overflow-wrap: anywhere; max-width: 360px; }
.leaflet-tooltip .pg-card { white-space: normal; width: max-content; max-width: 360px;
                            max-height: 240px; overflow: hidden; }
.leaflet-tooltip.pg-km { background: LEGEND_BACKGROUND; color: LEGEND_TEXT; border: 0;
                         box-shadow: none; padding: 0 3px; font-size: 11px; font-weight: 600; }
.leaflet-tooltip.pg-km::before { display: none; }
.leaflet-tooltip, .leaflet-popup-content-wrapper { color: LEGEND_TEXT; }
</style>
""".replace("LEGEND_BACKGROUND", LEGEND_BACKGROUND)
    .replace("LEGEND_TEXT", LEGEND_TEXT)
    .replace("CARD_LABEL", CARD_LABEL)
)
