"""Bring your own layer: read a user's GeoJSON or CSV of extra sites, validated and converted.

A planner uploads proposals as GeoJSON points or a CSV with lon/lat columns, in
WGS-84, GCJ-02 (Amap, Tencent) or BD-09 (Baidu). :func:`read_upload` checks it with
the built-in layers' rules (points, inside Shanghai, names, swapped lat/lon hint),
converts it to WGS-84 (:mod:`putuo_geo.datum`), gives every feature a prefixed
unique id and returns a :class:`UserLayer`, or raises one
:class:`~putuo_geo.errors.DataValidationError` listing every problem. An upload is
all or nothing: nothing valid is dropped silently, nothing invalid is shown.

Every problem is an :class:`~putuo_geo.errors.Problem` (catalogue key + parameters), so
the Chinese page shows it in Chinese. Text fields holding control characters are refused
(a name with U+0001 made a GPX that was not well-formed XML); the file name keeps only
printable characters.

Limits: :data:`MAX_UPLOAD_BYTES` and :data:`MAX_UPLOAD_FEATURES`. The page keeps the
result in the uploading user's ``st.session_state`` only; nothing here is cached or
stored at module level.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import geopandas as gpd
import shapely

from putuo_geo import config, datum, exports, layers, typedtext
from putuo_geo.errors import DataValidationError, Problem

#: Largest upload, bytes (the page's ``server.maxUploadSize`` is the same 5 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Most features in one upload.
MAX_UPLOAD_FEATURES = 5000
#: Longest text kept in a name or category (characters); longer is a problem.
MAX_TEXT_CHARS = 500
#: Longest file name kept (characters; the rest is cut).
MAX_FILE_NAME_CHARS = 120
#: Longest CSV cell read (characters). Set here, not through ``csv.field_size_limit``:
#: that limit is process-wide, and other libraries in the same process raise it.
MAX_CSV_CELL_CHARS = 100_000
#: Characters refused in text fields: C0 and C1 controls, DEL, and the two
#: non-characters XML 1.0 forbids (GPX, the HTML export and CSV readers all choke).
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
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


def _codes(text: str) -> str:
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in CONTROL_CHARS.findall(text))
    shown = list(found)[:3]
    return ", ".join(shown) + (" …" if len(found) > 3 else "")


def _text(value: Any, *, where: Problem, field: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        problems.append(Problem("upload.problem.not_text", where=where, field=field))
        return ""
    text = typedtext.normalise(str(value)).strip()  # as typed; no lone surrogate, no U+202E
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            Problem(
                "upload.problem.text_too_long",
                where=where,
                field=field,
                count=f"{len(text):,}",
                limit=MAX_TEXT_CHARS,
            )
        )
    elif CONTROL_CHARS.search(text):
        problems.append(
            Problem("upload.problem.control", where=where, field=field, codes=_codes(text))
        )
    return text


def clean_file_name(file_name: str) -> str:
    """The last part of an uploaded file's name, printable, at most :data:`MAX_FILE_NAME_CHARS`.

    A browser sends whatever name the file had (a path, control characters, 10 kB, a
    lone surrogate, a right-to-left override that shows ``evil\u202egpj.csv`` as
    ``evilvsc.jpg``); only its last path part is kept, normalised
    (:func:`putuo_geo.typedtext.normalise`), control characters become ``_``.
    """
    name = PurePath(typedtext.normalise(file_name).replace("\\", "/")).name
    name = CONTROL_CHARS.sub("_", name).strip()
    if len(name) > MAX_FILE_NAME_CHARS:  # cut the stem, keep the suffix (.csv decides the reader)
        suffix = PurePath(name).suffix[:10]
        name = name[: MAX_FILE_NAME_CHARS - len(suffix)] + suffix
    return name or "upload"


def _rows_from_geojson(text: str, file_name: str, problems: list[str]) -> list[dict[str, Any]]:
    doc, bad_json = layers.parse_json(text, file=file_name)
    if bad_json is not None:
        problems.append(bad_json)
        return []
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem("data.problem.not_collection", file=file_name))
        return []
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(Problem("data.problem.no_features", file=file_name))
        return []
    if len(features) > MAX_UPLOAD_FEATURES:
        problems.append(
            Problem(
                "upload.problem.too_many",
                file=file_name,
                count=f"{len(features):,}",
                limit=f"{MAX_UPLOAD_FEATURES:,}",
            )
        )
        return []
    rows = []
    for i, feature in enumerate(features):
        where = Problem("where.feature", file=file_name, number=i + 1)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem("data.problem.not_feature", where=where))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem("data.problem.properties", where=where))
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


def _bounded(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """``reader``'s rows; a cell over :data:`MAX_CSV_CELL_CHARS` raises ``csv.Error``."""
    for cells in reader:
        if any(len(c) > MAX_CSV_CELL_CHARS for c in cells):
            msg = f"a cell is longer than {MAX_CSV_CELL_CHARS:,} characters"
            raise csv.Error(msg)
        yield cells


def _rows_from_csv(text: str, file_name: str, problems: list[str]) -> list[dict[str, Any]]:
    # The csv module, not pandas: every cell stays the text it was (no NaN, no
    # "1e5" turned into a float), so each bad cell can be reported as written.
    reader = _bounded(csv.reader(io.StringIO(text, newline="")))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem("upload.problem.csv_empty", file=file_name))
        return []
    except csv.Error as exc:
        problems.append(Problem("upload.problem.csv_unreadable", file=file_name, detail=str(exc)))
        return []
    lon_i, lat_i = _column(header, LON_COLUMNS), _column(header, LAT_COLUMNS)
    if lon_i is None or lat_i is None:
        found = ", ".join(layers.shown_value(h) for h in header[:20]) or "none"
        problems.append(
            Problem(
                "upload.problem.csv_columns",
                file=file_name,
                lon=", ".join(LON_COLUMNS),
                lat=", ".join(LAT_COLUMNS),
                found=found + (" …" if len(header) > 20 else ""),
            )
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
                    Problem(
                        "upload.problem.too_many_rows",
                        file=file_name,
                        limit=f"{MAX_UPLOAD_FEATURES:,}",
                    )
                )
                return []
            where = Problem("where.row", file=file_name, row=len(rows) + 1, line=line_no)
            # A CSV the page exported comes back with its names as they were: the "'"
            # the export put before a formula-looking text is taken off again.
            props = dict(zip(keys, map(exports.restore_formula_text, cells), strict=False))
            geom = None
            try:
                lon, lat = (float(typedtext.normalise(cells[i])) for i in (lon_i, lat_i))
            except (IndexError, ValueError):
                given = [cells[i] if i < len(cells) else "" for i in (lon_i, lat_i)]
                problems.append(
                    Problem(
                        "upload.problem.csv_numbers",
                        where=where,
                        lon=layers.shown_value(given[0]),
                        lat=layers.shown_value(given[1]),
                    )
                )
            else:
                if math.isfinite(lon) and math.isfinite(lat):
                    geom = shapely.Point(lon, lat)
                else:
                    problems.append(Problem("geom.problem.non_finite", where=where))
            rows.append({"where": where, "props": props, "geometry": geom})
    except csv.Error as exc:
        problems.append(Problem("upload.problem.csv_unreadable", file=file_name, detail=str(exc)))
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
        Listing every problem (size, encoding, count, each feature's geometry and name),
        each a :class:`~putuo_geo.errors.Problem`; show them with
        :func:`putuo_geo.safety.problem_bullets`, which lists the first few and says how
        many more there are.
    """
    name = clean_file_name(file_name)
    if datum_name not in datum.DATUMS:
        problem = Problem(
            "upload.problem.datum",
            file=name,
            datum=layers.shown_value(datum_name),
            allowed=", ".join(datum.DATUMS),
        )
        raise DataValidationError([problem])
    if len(data) > MAX_UPLOAD_BYTES:
        problem = Problem(
            "upload.problem.too_big",
            file=name,
            size=f"{len(data) / 2**20:,.1f}",
            limit=f"{MAX_UPLOAD_BYTES / 2**20:g}",
        )
        raise DataValidationError([problem])
    text, encoding_problem = layers.decode_text(data, file=name)
    if text is None:
        raise DataValidationError([encoding_problem or Problem("upload.problem.empty", file=name)])
    problems: list[str] = []
    is_csv = name.lower().endswith(".csv")
    rows = (_rows_from_csv if is_csv else _rows_from_geojson)(text, name, problems)
    if not rows and not problems:
        problems.append(Problem("upload.problem.empty", file=name))

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
            problems.append(Problem("upload.problem.no_name", where=where))
        category = _text(
            _first(props, CATEGORY_KEYS), where=where, field="category", problems=problems
        )
        given_id = props.get("id")
        if isinstance(given_id, dict | list):  # not an id; its text could be megabytes
            given_id = None
        elif isinstance(given_id, str):
            given_id = typedtext.normalise(given_id[: MAX_TEXT_CHARS * 2])
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
                "id_in_file": ""
                if given_id is None
                else CONTROL_CHARS.sub("", str(given_id))[:MAX_TEXT_CHARS],
            }
        )
        geoms.append(geom)
    if problems:
        summary = Problem("upload.problem.summary", count=f"{len(problems):,}", file=name)
        raise DataValidationError(problems, summary=summary)
    frame = gpd.GeoDataFrame(records, geometry=geoms, crs=config.WEB_CRS)
    frame = datum.convert_frame(frame, src=datum_name, dst="wgs84")
    return UserLayer(file_name=name, datum=datum_name, frame=frame.reset_index(drop=True))
