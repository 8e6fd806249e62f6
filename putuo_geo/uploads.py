"""Bring your own layer: read a user's GeoJSON or CSV of extra sites, validated and converted.

A planner uploads proposals as GeoJSON points or a CSV with lon/lat columns, in
WGS-84, GCJ-02 (Amap, Tencent) or BD-09 (Baidu). :func:`read_upload` checks it with
the built-in layers' rules (points, inside Shanghai, names, swapped lat/lon hint),
converts it to WGS-84 (:mod:`putuo_geo.datum`), gives every feature a prefixed
unique id and returns a :class:`UserLayer`, or raises one
:class:`~putuo_geo.errors.DataValidationError` listing every problem. An upload is
all or nothing: nothing valid is dropped silently, nothing invalid is shown.

Limits: :data:`MAX_UPLOAD_BYTES` and :data:`MAX_UPLOAD_FEATURES`. The page keeps the
result in the uploading user's ``st.session_state`` only; nothing here is cached or
stored at module level.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import geopandas as gpd
import shapely

from putuo_geo import config, datum, layers
from putuo_geo.errors import DataValidationError

#: Largest upload, bytes (the page's ``server.maxUploadSize`` is the same 5 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Most features in one upload.
MAX_UPLOAD_FEATURES = 5000
#: Longest text kept in a name or category (characters); longer is a problem.
MAX_TEXT_CHARS = 500
#: Every uploaded id starts with this, so it can never clash with an atlas id.
ID_PREFIX = "upload-"

#: Accepted column names (case-insensitive) for CSV uploads.
LON_COLUMNS = ("lon", "lng", "longitude")
LAT_COLUMNS = ("lat", "latitude")
#: Properties / columns read as names, in order of preference.
NAME_EN_KEYS = ("name_en", "name")
NAME_ZH_KEYS = ("name_zh",)
CATEGORY_KEYS = ("category", "type")

DATUM_LABELS: dict[datum.Datum, str] = {
    "wgs84": "WGS-84 (GPS, OpenStreetMap)",
    "gcj02": "GCJ-02 (Amap, Tencent)",
    "bd09": "BD-09 (Baidu)",
}


@dataclass(frozen=True, eq=False)
class UserLayer:
    """An uploaded layer, WGS-84 (EPSG:4326).

    ``frame`` columns: ``id`` (prefixed, unique), ``name_en``, ``name_zh``,
    ``category`` (the file's text, may be blank), ``source``, ``id_in_file``,
    ``geometry`` (Points).
    """

    file_name: str
    datum: datum.Datum
    frame: gpd.GeoDataFrame

    @property
    def title(self) -> str:
        """Plain text for headings (escape it for HTML or Markdown)."""
        return f"{self.file_name} ({len(self.frame)} site{'s' if len(self.frame) != 1 else ''})"


def _first(props: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in props and props[key] not in (None, ""):
            return props[key]
    return None


def _slug(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).strip().lower()).strip("-")[:40]


def _text(value: Any, *, where: str, field: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        problems.append(f"{where} has a '{field}' that is not text.")
        return ""
    text = str(value).strip()
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            f"{where} has a '{field}' of {len(text):,} characters (at most {MAX_TEXT_CHARS})."
        )
    return text


def _rows_from_geojson(text: str, file_name: str, problems: list[str]) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(f"{file_name}: not valid JSON ({exc}).")
        return []
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(f"{file_name}: not a GeoJSON FeatureCollection.")
        return []
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(f"{file_name}: the FeatureCollection has no 'features' list.")
        return []
    if len(features) > MAX_UPLOAD_FEATURES:
        problems.append(
            f"{file_name}: has {len(features):,} features, over the limit of "
            f"{MAX_UPLOAD_FEATURES:,}."
        )
        return []
    rows = []
    for i, feature in enumerate(features):
        where = f"{file_name}: feature #{i + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where} is not a GeoJSON Feature.")
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(f"{where} has properties that are not an object.")
            props = {}
        geom, unreadable = layers.read_geometry(feature.get("geometry"), where=where)
        problems += unreadable
        rows.append({"where": where, "props": props, "geometry": geom})
    return rows


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _rows_from_csv(text: str, file_name: str, problems: list[str]) -> list[dict[str, Any]]:
    # The csv module, not pandas: every cell stays the text it was (no NaN, no
    # "1e5" turned into a float), so each bad cell can be reported as written.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(f"{file_name}: the CSV file is empty.")
        return []
    except csv.Error as exc:
        problems.append(f"{file_name}: not a readable CSV file ({exc}).")
        return []
    lon_i, lat_i = _column(header, LON_COLUMNS), _column(header, LAT_COLUMNS)
    if lon_i is None or lat_i is None:
        problems.append(
            f"{file_name}: needs a longitude column ({', '.join(LON_COLUMNS)}) and a latitude "
            f"column ({', '.join(LAT_COLUMNS)}); found {', '.join(map(repr, header)) or 'none'}."
        )
        return []
    keys = [h.strip().lower() for h in header]
    rows: list[dict[str, Any]] = []
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_UPLOAD_FEATURES:
                problems.append(
                    f"{file_name}: has more than {MAX_UPLOAD_FEATURES:,} rows, over the limit."
                )
                return []
            where = f"{file_name}: row {len(rows) + 1} (line {line_no})"
            props = dict(zip(keys, cells, strict=False))
            geom = None
            try:
                lon, lat = float(cells[lon_i]), float(cells[lat_i])
            except (IndexError, ValueError):
                given = [cells[i] if i < len(cells) else "" for i in (lon_i, lat_i)]
                problems.append(f"{where} has lon/lat {given[0]!r}, {given[1]!r}, not two numbers.")
            else:
                if math.isfinite(lon) and math.isfinite(lat):
                    geom = shapely.Point(lon, lat)
                else:
                    problems.append(f"{where} has non-finite coordinates.")
            rows.append({"where": where, "props": props, "geometry": geom})
    except csv.Error as exc:
        problems.append(f"{file_name}: not a readable CSV file ({exc}).")
        return []
    return rows


def read_upload(data: bytes, *, file_name: str, datum_name: datum.Datum = "wgs84") -> UserLayer:
    """Validate, convert and return an uploaded GeoJSON or CSV of point sites.

    Parameters
    ----------
    data
        The file's bytes (UTF-8; at most :data:`MAX_UPLOAD_BYTES`).
    file_name
        The name the user's file had; ``.csv`` is read as CSV, anything else as GeoJSON.
        Only its last path part is kept (plain text, escape it before showing).
    datum_name
        The datum the coordinates are in: ``wgs84``, ``gcj02`` or ``bd09``.

    Returns
    -------
    UserLayer
        Every feature, converted to WGS-84, ids ``upload-...`` unique.

    Raises
    ------
    DataValidationError
        Listing every problem (size, encoding, count, each feature's geometry and name).
    """
    name = PurePath(file_name.replace("\\", "/")).name or "upload"
    if datum_name not in datum.DATUMS:
        msg = f"{name}: unknown datum {datum_name!r}; expected one of {', '.join(datum.DATUMS)}."
        raise DataValidationError([msg])
    if len(data) > MAX_UPLOAD_BYTES:
        msg = (
            f"{name}: the file is {len(data) / 2**20:,.1f} MB, over the "
            f"{MAX_UPLOAD_BYTES / 2**20:g} MB upload limit."
        )
        raise DataValidationError([msg])
    text, encoding_problem = layers.decode_json_bytes(data)
    if text is None:
        raise DataValidationError([f"{name}: {encoding_problem}"])
    problems: list[str] = []
    is_csv = name.lower().endswith(".csv")
    rows = (_rows_from_csv if is_csv else _rows_from_geojson)(text, name, problems)
    if not rows and not problems:
        problems.append(f"{name}: has no features.")

    records: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry] = []
    used: set[str] = set()
    for n, row in enumerate(rows, start=1):
        where, props, geom = row["where"], row["props"], row["geometry"]
        if geom is not None:
            problems += layers.geometry_problems(geom, ["Point"], where=where)
        name_en = _text(_first(props, NAME_EN_KEYS), where=where, field="name", problems=problems)
        name_zh = _text(
            _first(props, NAME_ZH_KEYS), where=where, field="name_zh", problems=problems
        )
        if not name_en and not name_zh:
            problems.append(f"{where} has no name (give a name, name_en or name_zh).")
        category = _text(
            _first(props, CATEGORY_KEYS), where=where, field="category", problems=problems
        )
        given_id = props.get("id")
        slug = _slug(given_id) if given_id not in (None, "") else ""
        base = ID_PREFIX + (slug or str(n))
        fid, k = base, 2
        while fid in used:  # ids made unique: a repeated id gets -2, -3 ...
            fid, k = f"{base}-{k}", k + 1
        used.add(fid)
        records.append(
            {
                "id": fid,
                "name_en": name_en or name_zh,
                "name_zh": name_zh,
                "category": category,
                "source": f"uploaded file {name} ({DATUM_LABELS[datum_name]})",
                "id_in_file": "" if given_id is None else str(given_id)[:MAX_TEXT_CHARS],
            }
        )
        geoms.append(geom)
    if problems:
        n = len(problems)
        raise DataValidationError(
            problems, summary=f"{n} problem{'s' if n != 1 else ''} in the upload {name}"
        )
    frame = gpd.GeoDataFrame(records, geometry=geoms, crs=config.WEB_CRS)
    frame = datum.convert_frame(frame, src=datum_name, dst="wgs84")
    return UserLayer(file_name=name, datum=datum_name, frame=frame.reset_index(drop=True))
