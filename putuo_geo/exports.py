"""Files to download: sites as GeoJSON and CSV, paths as GPX, the map as one offline HTML file.

Every function returns the file's content (``bytes`` or ``str``) and writes nothing;
the page hands it to ``st.download_button``. Coordinates are WGS-84 with 6 decimals
(~0.1 m), like the stored layers, whatever basemap the page shows.

- GeoJSON is written by pyogrio with the project's settings (RFC 7946, 6 decimals).
- CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) get a leading apostrophe (OWASP's advice
  for CSV injection); numbers are written as numbers. UTF-8 with a byte-order mark so
  that Excel shows the Chinese names.
- GPX 1.1 by gpxpy: tracks for the route (one per route feature) and for a measured
  path; stations and the two ends as waypoints. Waypoints carry the feature id in
  ``<cmt>`` and the source in ``<src>``.
- HTML: the folium map rendered with every script, style sheet and the images they
  use inlined (from ``static/vendor``), so the file draws from disk with no network.
  Only basemap tiles still point at their server (offline, the layers draw alone).

Every file carries the OpenStreetMap credit (:data:`putuo_geo.credits.OSM_ATTRIBUTION`):
the atlas's creek comes from OpenStreetMap and every layer placed along it (route,
stations, bridges, sites at a bridge, courses, measured paths) is derived from it, so
ODbL 1.0 asks for the attribution in any copy. GeoJSON: ``attribution`` and ``license``
members of the FeatureCollection; CSV: an ``attribution`` column; GPX: the metadata's
``<copyright>`` (author, licence URL) and ``<desc>``; HTML: the map's attribution control
and a ``<meta name="copyright">`` in the head.
"""

from __future__ import annotations

import base64
import io
import json
import math
import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import gpxpy
import gpxpy.gpx
import numpy as np
import pandas as pd
import pyogrio
import shapely
from branca.element import MacroElement
from jinja2 import Template

from putuo_geo import assets, config, typedtext
from putuo_geo.credits import ODBL_URL, OSM_ATTRIBUTION
from putuo_geo.network import Measurement
from putuo_geo.safety import escape_html

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Columns of the sites CSV, in order (``lon``/``lat`` are WGS-84 degrees).
SITE_CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name_en",
    "name_zh",
    "category",
    "status",
    "accuracy_m",
    "address_zh",
    "source",
    "lon",
    "lat",
    "attribution",
)
#: The column every CSV export ends with: the credit ODbL 1.0 asks any copy to carry.
ATTRIBUTION_COLUMN = "attribution"
#: The licence named in the GeoJSON exports' ``license`` member (SPDX).
DATA_LICENSE = "ODbL-1.0"
DECIMALS = 6
#: Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone
#: surrogates). gpxpy escapes ``<&>`` but writes these as they are, so a name holding
#: U+0001 made a GPX no XML parser reads.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Control characters removed from CSV cells and GeoJSON properties (C0 but tab/LF/CR,
#: DEL, C1): a NUL or an escape in a cell breaks spreadsheet import, and GDAL cuts a
#: GeoJSON string at its first NUL. CR/LF stay (quoted in CSV, RFC 4180).
CSV_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: ``status`` of an uploaded site in the merged exports (:func:`merge_sites`).
UPLOADED_STATUS = "uploaded"


# ---------------------------------------------------------------- GeoJSON and CSV


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula.

    It starts with one of :data:`FORMULA_PREFIXES`, or does so once what a spreadsheet
    skips or folds is gone: leading spaces, NBSP, line feeds, a byte-order mark, a
    zero-width space, and full-width ``＝＋－＠`` (:func:`putuo_geo.typedtext.normalise`).
    """
    if text.startswith(FORMULA_PREFIXES):
        return True
    return typedtext.normalise(text).lstrip().startswith(FORMULA_PREFIXES)


def neutralise_formula(value: Any) -> Any:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula; others as is.

    Control characters (:data:`CSV_CONTROLS`) are removed from text cells first. The
    check looks past what a spreadsheet strips (``" =1+1"``, ``"\u00a0=1"``,
    ``"\ufeff=1"``, ``"＝1"``, ``"\n=1"``, ``"\u200b=1"``: :func:`_runs_as_formula`);
    :func:`restore_formula_text` undoes it when the file comes back as an upload.

    Examples
    --------
    >>> neutralise_formula("-5 Degrees Bar"), neutralise_formula(" ＝1+1"), neutralise_formula(5)
    ("'-5 Degrees Bar", "' ＝1+1", 5)
    """
    if isinstance(value, str):
        value = CSV_CONTROLS.sub("", value)
        if _runs_as_formula(value):
            return "'" + value
    return value


def restore_formula_text(text: str) -> str:
    """A CSV cell as it was before :func:`neutralise_formula` (for a CSV uploaded back).

    Only the ``'`` that :func:`neutralise_formula` adds is removed: a cell ``'`` then a
    formula-looking text. A page's own CSV, uploaded again, gives back the same names.

    Examples
    --------
    >>> restore_formula_text("'-5 Degrees Bar"), restore_formula_text("'quoted")
    ('-5 Degrees Bar', "'quoted")
    """
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def merge_sites(sites: gpd.GeoDataFrame, uploaded: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The atlas's sites shown, then the uploaded sites shown, as one frame for the exports.

    Parameters
    ----------
    sites
        The atlas's sites the page shows (after the category and search filters).
    uploaded
        The uploaded sites the page shows (``UserLayer.frame``, filtered), or ``None``.

    Returns
    -------
    geopandas.GeoDataFrame
        WGS-84; the atlas's columns, uploaded rows with ``status`` ``"uploaded"``, a
        blank ``accuracy_m`` (nothing guarantees one) and their ``source`` naming the
        file; the HTML export, which draws both, and the CSV/GeoJSON then agree.
    """
    base = sites.to_crs(config.WEB_CRS) if sites.crs is not None else sites
    if uploaded is None or uploaded.empty:
        return base.reset_index(drop=True)
    extra = uploaded.to_crs(config.WEB_CRS) if uploaded.crs is not None else uploaded
    extra = extra.drop(columns=[c for c in extra.columns if c == "id_in_file"])
    extra = extra.assign(status=UPLOADED_STATUS, accuracy_m=np.nan)
    columns = list(dict.fromkeys([*base.columns, *extra.columns]))
    frames = [f.reindex(columns=columns) for f in (base, extra) if not f.empty]
    merged = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry=base.geometry.name, crs=config.WEB_CRS)


def sites_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """The sites as RFC 7946 GeoJSON (WGS-84, 6 decimals), every attribute kept.

    Text loses only control characters (:data:`CSV_CONTROLS`; GDAL would cut at a NUL).
    """
    frame = sites.to_crs(config.WEB_CRS) if sites.crs is not None else sites
    text_columns = [
        c for c in frame.columns if c != frame.geometry.name and frame[c].dtype == object
    ]
    frame = frame.assign(
        **{
            c: frame[c].map(lambda v: CSV_CONTROLS.sub("", v) if isinstance(v, str) else v)
            for c in text_columns
        }
    )
    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        frame.reset_index(drop=True),
        buffer,
        driver="GeoJSON",
        layer="sites",
        RFC7946="YES",
        COORDINATE_PRECISION=DECIMALS,
        WRITE_NAME="NO",
    )
    # RFC 7946 allows foreign members: the credit and licence travel with the file.
    doc = json.loads(buffer.getvalue())
    doc = {
        "type": doc.pop("type"),
        "attribution": OSM_ATTRIBUTION,
        "license": DATA_LICENSE,
        **doc,
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def sites_csv(sites: gpd.GeoDataFrame) -> bytes:
    """The sites as CSV: :data:`SITE_CSV_COLUMNS`, formulas neutralised, UTF-8 with BOM.

    Point sites give their own coordinates; any other geometry its representative point.
    """
    frame = sites.to_crs(config.WEB_CRS) if sites.crs is not None else sites
    points = shapely.point_on_surface(np.asarray(frame.geometry.values))
    own = [c for c in SITE_CSV_COLUMNS if c not in ("lon", "lat", ATTRIBUTION_COLUMN)]
    table = pd.DataFrame({c: frame[c].to_numpy() if c in frame else None for c in own})
    table = _neutralised(table)
    # Coordinates as fixed 6-decimal text (never neutralised: they are numbers).
    table["lon"] = [f"{v:.{DECIMALS}f}" for v in shapely.get_x(points)]
    table["lat"] = [f"{v:.{DECIMALS}f}" for v in shapely.get_y(points)]
    return _csv_bytes(table)


def table_csv(table: pd.DataFrame) -> bytes:
    """Any table the page shows, as CSV: formulas neutralised, UTF-8 with BOM.

    The page turns off Streamlit's own table download (``client.disableDataExport``),
    which writes cells as they are; this is its formula-safe replacement.
    """
    return _csv_bytes(_neutralised(table.reset_index(drop=True)))


def _neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell passed through :func:`neutralise_formula`."""
    out = table.copy()
    text_columns = [
        c
        for c in out.columns
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype)
    ]
    out[text_columns] = out[text_columns].astype(object).map(neutralise_formula)
    return out


def _csv_bytes(table: pd.DataFrame) -> bytes:
    # RFC 4180 line ends (CRLF): a cell holding a CR or LF is then quoted, never split.
    # The BOM makes spreadsheet programs read the Chinese names as UTF-8. A CSV has
    # no metadata, so the credit is a last column (a comment line would break readers).
    table = table.assign(**{ATTRIBUTION_COLUMN: OSM_ATTRIBUTION})
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# ---------------------------------------------------------------- GPX


def _round(value: float) -> float:
    return round(float(value), DECIMALS)


def _segment(coords_lonlat: list[tuple[float, float]]) -> gpxpy.gpx.GPXTrackSegment:
    segment = gpxpy.gpx.GPXTrackSegment()
    for lon, lat in coords_lonlat:
        segment.points.append(gpxpy.gpx.GPXTrackPoint(_round(lat), _round(lon)))
    return segment


def _lines(geom: shapely.Geometry) -> list[list[tuple[float, float]]]:
    parts = shapely.get_parts(geom)
    return [[(float(x), float(y)) for x, y, *_ in shapely.get_coordinates(p)] for p in parts]


def _waypoint(
    lonlat: tuple[float, float], *, name: str, ident: str, kind: str, source: str = ""
) -> gpxpy.gpx.GPXWaypoint:
    point = gpxpy.gpx.GPXWaypoint(
        latitude=_round(lonlat[1]),
        longitude=_round(lonlat[0]),
        name=name,
        comment=ident or None,
        type=kind,
    )
    point.source = source or None
    return point


def _new_gpx(name: str) -> gpxpy.gpx.GPX:
    gpx = gpxpy.gpx.GPX()
    gpx.name = name
    gpx.creator = "putuo-geo"
    gpx.description = f"Data: {OSM_ATTRIBUTION}"
    gpx.copyright_author = "OpenStreetMap contributors"
    gpx.copyright_license = ODBL_URL
    return gpx


def route_gpx(
    route: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    *,
    name: str,
    label: Callable[[Any, Any], str],
) -> str:
    """The whole route as GPX: a track per route feature, a waypoint per station.

    Parameters
    ----------
    route, stations
        The atlas's ``route`` and ``stations`` layers (WGS-84).
    name
        The file's title.
    label
        ``label(name_en, name_zh)`` -> the name to write (the page passes its language's).
    """
    gpx = _new_gpx(name)
    route = route.to_crs(config.WEB_CRS)
    for row, geom in zip(route.to_dict("records"), route.geometry, strict=True):
        track = gpxpy.gpx.GPXTrack(name=label(row.get("name_en"), row.get("name_zh")))
        track.description = str(row.get("id", ""))
        track.source = str(row.get("source") or "") or None
        track.segments.extend(_segment(line) for line in _lines(geom))
        gpx.tracks.append(track)
    stations = stations.to_crs(config.WEB_CRS).sort_values(["chainage_m", "number"])
    for row, geom in zip(stations.to_dict("records"), stations.geometry, strict=True):
        gpx.waypoints.append(
            _waypoint(
                (geom.x, geom.y),
                name=label(row.get("name_en"), row.get("name_zh")),
                ident=str(row.get("id", "")),
                kind="station",
                source=str(row.get("source") or ""),
            )
        )
    return xml_safe(gpx.to_xml(version="1.1"))


def xml_safe(xml: str) -> str:
    """``xml`` without the characters XML 1.0 forbids (:data:`XML_ILLEGAL`).

    Applied to the whole document: every name, description and source in it is then
    well-formed, whatever the data or an upload held.
    """
    return XML_ILLEGAL.sub("", xml)


def measurement_gpx(measurement: Measurement, *, name: str, from_name: str, to_name: str) -> str:
    """A measured path as GPX: FROM -> route -> (along the route) -> route -> TO.

    The track includes both offsets, so its length is ``measurement.total_m`` (up to
    the small difference between geodesic and EPSG:32651 lengths).
    """
    start, end = measurement.start, measurement.end
    along = [(float(x), float(y)) for x, y, *_ in shapely.get_coordinates(measurement.path)]
    coords = [start.lonlat, start.on_route_lonlat, *along, end.on_route_lonlat, end.lonlat]
    deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    gpx = _new_gpx(name)
    track = gpxpy.gpx.GPXTrack(name=name)
    track.segments.append(_segment(deduped))
    gpx.tracks.append(track)
    gpx.waypoints.append(_waypoint(start.lonlat, name=from_name, ident=start.id or "", kind="from"))
    gpx.waypoints.append(_waypoint(end.lonlat, name=to_name, ident=end.id or "", kind="to"))
    return xml_safe(gpx.to_xml(version="1.1"))


# ---------------------------------------------------------------- standalone HTML


class _SetView(MacroElement):
    """Set the exported map's view (after the base map's fit to the route)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.setView({{ this.latlon }}, {{ this.zoom }}, {animate: false});
        {% endmacro %}
        """
    )

    def __init__(self, latlon: tuple[float, float], zoom: int) -> None:
        super().__init__()
        self._name = "SetView"
        self.latlon = [float(latlon[0]), float(latlon[1])]
        self.zoom = int(zoom)


def set_view(m: folium.Map, *, center_latlon: tuple[float, float], zoom: int) -> folium.Map:
    """Make ``m`` open at ``center_latlon`` (folium's lat, lon order) and ``zoom``."""
    if all(math.isfinite(v) for v in center_latlon):
        _SetView(center_latlon, zoom).add_to(m)
    return m


_SCRIPT_TAG = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"""url\((['"]?)([^'")]+)\1\)""")


def _local_file(url: str, static_dir: Path, base_url: str) -> Path | None:
    prefix = base_url.rstrip("/") + "/"
    if not url.startswith(prefix):
        return None
    path = (static_dir / url[len(prefix) :]).resolve()
    return path if path.is_file() and static_dir.resolve() in path.parents else None


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        target = (path.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        return f'url("{_data_uri(target)}")' if target.is_file() else match.group(0)

    return _CSS_URL.sub(replace, path.read_text(encoding="utf-8"))


def standalone_html(
    m: folium.Map,
    *,
    vendor_dir: Path | None = None,
    base_url: str = f"{assets.STATIC_URL}/{assets.VENDOR_DIR}",
    title: str = "",
    lang: str = "en",
) -> str:
    """The map as one HTML file that draws offline, from disk.

    Parameters
    ----------
    m
        A map built by :func:`putuo_geo.mapview.build_map` (its asset URLs point at
        ``base_url``), with any dynamic layers added.
    vendor_dir
        The folder behind ``base_url`` (default: the project's ``static/vendor``).
    title, lang
        The page's ``<title>`` (plain text, escaped here) and ``<html lang>`` (a BCP 47
        tag): a saved file names itself in a browser's tab and to a screen reader.

    Raises
    ------
    FileNotFoundError
        When the map asks for a script or style sheet that is not in ``vendor_dir``.
    """
    vendor = vendor_dir if vendor_dir is not None else assets.PROJECT_ROOT / "static" / "vendor"
    page = m.get_root().render()
    missing: list[str] = []

    def script(match: re.Match[str]) -> str:
        path = _local_file(match.group(1), vendor, base_url)
        if path is None:
            missing.append(match.group(1))
            return match.group(0)
        # "</script" inside the code would end the element early.
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>/* {path.name} */\n{code}\n</script>"

    def style(match: re.Match[str]) -> str:
        path = _local_file(match.group(1), vendor, base_url)
        if path is None:
            missing.append(match.group(1))
            return match.group(0)
        return f"<style>/* {path.name} */\n{_inline_css(path)}\n</style>"

    page = _SCRIPT_TAG.sub(script, _LINK_TAG.sub(style, page))
    page = page.replace("<html>", f'<html lang="{escape_html(lang)}">', 1)
    if title:
        page = page.replace("<head>", f"<head>\n    <title>{escape_html(title)}</title>", 1)
    # The map's attribution control shows the credit; the head names it for a reader
    # of the file itself.
    meta = f'<meta name="copyright" content="Data: {escape_html(OSM_ATTRIBUTION)}">'
    page = page.replace("<head>", f"<head>\n    {meta}", 1)
    if missing:
        msg = f"Cannot inline {', '.join(missing)}: not in {vendor} (run `make assets`)."
        raise FileNotFoundError(msg)
    return page


# ---------------------------------------------------------------- event courses


def course_gpx(
    path_lonlat: list[tuple[float, float]],
    *,
    name: str,
    km_markers: list[tuple[float, tuple[float, float]]] | None = None,
    water_stations: list[tuple[float, tuple[float, float]]] | None = None,
    source: str = "",
) -> str:
    """An event course as GPX: one track, a waypoint per km marker and water station.

    Parameters
    ----------
    path_lonlat
        The course, WGS-84 ``(lon, lat)`` pairs (``putuo_geo.events.CourseMap.path_lonlat``).
    name
        The file's and the track's title.
    km_markers, water_stations
        ``(distance_m, (lon, lat))`` along the course (``CourseMap``); waypoint names
        give the distance in km.
    source
        Where the course comes from, written as the track's ``<src>``.
    """
    gpx = _new_gpx(name)
    track = gpxpy.gpx.GPXTrack(name=name)
    track.source = source or None
    track.segments.append(_segment([(float(x), float(y)) for x, y in path_lonlat]))
    gpx.tracks.append(track)
    for kind, marks in (("km_marker", km_markers), ("water_station", water_stations)):
        for distance_m, lonlat in marks or []:
            gpx.waypoints.append(
                _waypoint(lonlat, name=f"{distance_m / 1000:g} km", ident="", kind=kind)
            )
    return xml_safe(gpx.to_xml(version="1.1"))  # like every GPX writer (issue 23 §5)
