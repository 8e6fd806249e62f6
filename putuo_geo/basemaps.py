"""Background tiles for the map, and the datum each set of tiles is drawn in.

Which datum each basemap uses (and so whether our WGS-84 layers must be shifted to lie
on it; :mod:`putuo_geo.mapview` does the shifting with :func:`putuo_geo.datum.convert_frame`):

- **OpenStreetMap** (``OpenStreetMap.Mapnik`` in xyzservices): WGS-84. No key.
- **CARTO light** (``CartoDB.Positron``): WGS-84 (OpenStreetMap data). Since August 2026
  CARTO's raster tiles need an API key (xyzservices warns so; tiles without one are
  watermarked), so it is offered only when ``$CARTO_API_KEY`` is set.
- **Amap / AutoNavi** (``webrd0{1-4}.is.autonavi.com``; xyzservices has it as
  ``Gaode.Normal``): **GCJ-02**, like every map published in mainland China; our layers
  are shifted ~485 m (about +0.0046° lon, -0.0019° lat in Putuo) to lie on its streets.
  ``lang=en`` asks for English labels, ``lang=zh_cn`` for Chinese.
- **Tianditu** (天地图, the national platform; ``vec_w`` + ``cva_w``/``eva_w``, the
  Web-Mercator ``w`` tile matrix): **CGCS2000**, not GCJ-02. CGCS2000 and WGS-84 differ
  by well under a metre here (both geocentric, near-identical ellipsoids), far below our
  positions' accuracy, so it is drawn as WGS-84: no shift. Needs a key
  (``$TIANDITU_KEY``); offered only when it is set.
- **Operator tiles** (``$PUTUO_TILE_URL``): an intranet server; its datum is
  ``$PUTUO_TILE_DATUM`` (``wgs84`` unless set).
- **No tiles**: the vector layers alone (datum irrelevant; drawn as WGS-84).

Tiles are the only thing the page fetches from another host; when they fail (offline)
the layers still draw.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import xyzservices.providers as xyz

from putuo_geo.datum import DATUMS, Datum
from putuo_geo.i18n import Lang

#: Operator settings for an intranet tile server.
TILE_URL_ENV = "PUTUO_TILE_URL"
TILE_ATTRIBUTION_ENV = "PUTUO_TILE_ATTRIBUTION"
TILE_DATUM_ENV = "PUTUO_TILE_DATUM"
#: Keys that unlock tile services which need one.
TIANDITU_KEY_ENV = "TIANDITU_KEY"
CARTO_KEY_ENV = "CARTO_API_KEY"


@dataclass(frozen=True)
class Basemap:
    """A background for the map.

    ``url`` is a Leaflet URL template (``None``: no tiles); ``overlay_url`` an optional
    second tile layer drawn on top (Tianditu's labels). ``datum`` is the datum the tiles
    are drawn in: layers are shifted from WGS-84 to it before drawing. ``label_key`` is
    the basemap's name in :mod:`putuo_geo.i18n`'s catalogue.
    """

    key: str
    label_key: str
    url: str | None
    attribution: str = ""
    datum: Datum = "wgs84"
    subdomains: str = "abc"
    overlay_url: str | None = None
    max_zoom: int = 19

    @property
    def shifted(self) -> bool:
        """Whether our WGS-84 layers must be converted to lie on these tiles."""
        return self.url is not None and self.datum != "wgs84"


_OSM = xyz.OpenStreetMap.Mapnik
OSM = Basemap("osm", "basemap.osm", _OSM.build_url(), _OSM.html_attribution)
NO_TILES = Basemap("none", "basemap.none", None)

_AMAP_URL = (
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang={lang}&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
)
_AMAP_ATTRIBUTION = '&copy; <a href="https://www.amap.com/">高德地图 AutoNavi</a> (GCJ-02)'
_TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
    "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
_TIANDITU_ATTRIBUTION = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'


def amap(*, lang: Lang = "zh") -> Basemap:
    """Amap/AutoNavi road tiles (GCJ-02), labels in ``lang``."""
    url = _AMAP_URL.replace("{lang}", "en" if lang == "en" else "zh_cn")
    return Basemap(
        "amap",
        "basemap.amap",
        url,
        _AMAP_ATTRIBUTION,
        datum="gcj02",
        subdomains="1234",
        max_zoom=18,
    )


def tianditu(key: str, *, lang: Lang = "zh") -> Basemap:
    """Tianditu vector tiles with labels in ``lang`` (CGCS2000, drawn as WGS-84)."""
    labels = "eva" if lang == "en" else "cva"
    return Basemap(
        "tianditu",
        "basemap.tianditu",
        _TIANDITU_URL.format(layer="vec", key=key),
        _TIANDITU_ATTRIBUTION,
        datum="wgs84",
        subdomains="01234567",
        overlay_url=_TIANDITU_URL.format(layer=labels, key=key),
        max_zoom=18,
    )


def carto_light(key: str) -> Basemap:
    """CARTO's light (Positron) tiles with an API key (WGS-84)."""
    provider = xyz.CartoDB.Positron
    url = provider.build_url(apikey=key, fill_subdomain=False)
    return Basemap(
        "carto", "basemap.carto", url, provider.html_attribution, subdomains="abcd", max_zoom=19
    )


def basemaps(environ: Mapping[str, str] | None = None, *, lang: Lang = "en") -> list[Basemap]:
    """The basemaps to offer, default first.

    Operator tiles (``$PUTUO_TILE_URL``) first when set; then OpenStreetMap; CARTO light
    when ``$CARTO_API_KEY`` is set; Amap (GCJ-02); Tianditu when ``$TIANDITU_KEY`` is
    set; no tiles.
    """
    env = os.environ if environ is None else environ
    options = [OSM]
    carto_key = env.get(CARTO_KEY_ENV, "").strip()
    if carto_key:
        options.append(carto_light(carto_key))
    options.append(amap(lang=lang))
    tianditu_key = env.get(TIANDITU_KEY_ENV, "").strip()
    if tianditu_key:
        options.append(tianditu(tianditu_key, lang=lang))
    options.append(NO_TILES)
    url = env.get(TILE_URL_ENV, "").strip()
    if url:
        attribution = env.get(TILE_ATTRIBUTION_ENV, "").strip() or "Operator tiles"
        datum_name = env.get(TILE_DATUM_ENV, "").strip().lower() or "wgs84"
        datum: Datum = next((d for d in DATUMS if d == datum_name), "wgs84")
        options.insert(0, Basemap("custom", "basemap.custom", url, attribution, datum=datum))
    return options


def by_key(options: list[Basemap], key: str | None) -> Basemap:
    """The option called ``key``, else the first (the default)."""
    return next((b for b in options if b.key == key), options[0])
