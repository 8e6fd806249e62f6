"""Load the atlas layers from a data folder and validate them against ``datapackage.json``.

Every problem in every file is collected first; then one
:class:`~putuo_geo.errors.DataValidationError` lists them all, one sentence each,
naming the file, the feature (its ``id``, or its index where the id is missing)
and what is wrong. No feature is ever dropped silently: a folder either loads
whole or raises.

The schema is the folder's own ``datapackage.json``; a folder without one is held
to the project's ``geo/datapackage.json``.

Why the files are parsed with :mod:`json` and not pyogrio: GDAL coerces each
property column to one type while reading, which would hide exactly what we
must report (an ``accuracy_m`` written as ``"20"``, an ``opened`` of ``2012.5``)
and it rejects a whole file for one unreadable geometry. Reading the JSON text
keeps every value as written; shapely then builds and checks the geometries.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from putuo_geo import config, rules
from putuo_geo.errors import DataValidationError

#: Where every feature must lie (see ``config.SHANGHAI_BBOX_LONLAT``).
SHANGHAI_BBOX_LONLAT = config.SHANGHAI_BBOX_LONLAT

SCHEMA_FILE = "datapackage.json"

#: Largest layer file read, bytes. The real layers are under 50 kB; the size is checked
#: with ``stat`` before reading, so a huge (or endless) file is never loaded into memory.
MAX_LAYER_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class Atlas:
    """Every layer of the belt: GeoDataFrames in EPSG:4326, index 0..n-1, with an ``id`` column.

    Compared and hashed by identity (``eq=False``): frames have no single truth value.
    """

    data_dir: Path
    boundary: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    creek: gpd.GeoDataFrame
    route: gpd.GeoDataFrame
    bridges: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """The layer called ``name`` (one of ``config.LAYER_NAMES``)."""
        if name not in config.LAYER_NAMES:
            msg = f"{name!r} is not a layer; expected one of {', '.join(config.LAYER_NAMES)}."
            raise KeyError(msg)
        frame: gpd.GeoDataFrame = getattr(self, name)
        return frame


# ---------------------------------------------------------------------------- schema


def load_schema(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read the data package descriptor that the folder's layers are held to.

    Parameters
    ----------
    data_dir
        The data folder (``None``: ``$PUTUO_GEO_DATA``, else ``geo/``).

    Returns
    -------
    dict
        The parsed ``datapackage.json`` of the folder, or the project's own when the
        folder has none.

    Raises
    ------
    DataValidationError
        When the descriptor cannot be read or has no ``resources`` list.
    """
    folder = config.data_dir(data_dir)
    path = folder / SCHEMA_FILE
    if not path.is_file():
        path = config.PACKAGE_DATA_DIR / SCHEMA_FILE
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path}: the data package descriptor cannot be read ({exc})."
        raise DataValidationError([msg]) from exc
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        msg = f"{path}: the data package descriptor has no 'resources' list."
        raise DataValidationError([msg])
    return package


def field_rules(spec: Mapping[str, Any]) -> dict[str, Any]:
    """One field of the descriptor with its Table Schema ``constraints`` read in.

    ``geo/datapackage.json`` is a Frictionless Data Package: a field's ``required``,
    ``unique``, ``pattern``, ``enum``, ``minimum`` and ``maximum`` sit in its
    ``constraints``. The project's own ``nullable`` (present but may be null) stays on the
    field. A key given on the field itself wins (older descriptors put them there).
    """
    rules = dict(spec.get("constraints") or {})
    rules.update((k, v) for k, v in spec.items() if k != "constraints")
    return rules


def _resource(package: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    for res in package["resources"]:
        if isinstance(res, Mapping) and res.get("name") == name:
            return res
    return None


# ---------------------------------------------------------------------------- checks


#: Longest value quoted in a message (characters of its repr).
MAX_QUOTED_CHARS = 80


def _shown(value: Any) -> str:
    """``repr(value)`` for a message, cut to :data:`MAX_QUOTED_CHARS` (a value may be huge)."""
    text = repr(value)
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return f"{text[: MAX_QUOTED_CHARS - 1]}… ({len(str(value)):,} characters)"


def _type_ok(value: Any, kind: str) -> bool:
    """Whether a JSON value has the Table Schema ``type`` (bools are not numbers)."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(float(value))
        )
    return True  # a type this validator does not know: nothing to check


def _check_fields(
    props: Mapping[str, Any],
    fields: Sequence[Mapping[str, Any]],
    *,
    where: str,
    package: Mapping[str, Any],
) -> list[str]:
    """Problems with one feature's properties, one sentence each."""
    problems: list[str] = []
    for spec in map(field_rules, fields):
        name = spec["name"]
        kind = spec.get("type", "any")
        if name not in props:
            if spec.get("required", False):
                problems.append(f"{where} is missing the required field '{name}'.")
            continue
        value = props[name]
        if value is None:
            if spec.get("required", False) and not spec.get("nullable", False):
                problems.append(f"{where} has a null '{name}' (a {kind} is required).")
            continue
        if not _type_ok(value, kind):
            problems.append(
                f"{where} has '{name}' = {_shown(value)} ({type(value).__name__}), "
                f"expected a {kind}."
            )
            continue
        if kind == "string" and spec.get("required", False) and not value.strip():
            problems.append(f"{where} has an empty '{name}' (a non-blank text is required).")
            continue
        allowed = spec.get("enum")
        if allowed is None and "enum_ref" in spec:
            allowed = package.get(spec["enum_ref"], [])
        if allowed is not None and value not in allowed:
            problems.append(
                f"{where} has '{name}' = {_shown(value)}, "
                f"not one of {', '.join(map(str, allowed))}."
            )
        pattern = spec.get("pattern")
        if pattern and isinstance(value, str) and re.fullmatch(pattern, value) is None:
            problems.append(f"{where} has '{name}' = {_shown(value)}, not matching {pattern}.")
        if "minimum" in spec and value < spec["minimum"]:
            problems.append(
                f"{where} has '{name}' = {_shown(value)}, below the minimum {spec['minimum']}."
            )
        if "maximum" in spec and value > spec["maximum"]:
            problems.append(
                f"{where} has '{name}' = {_shown(value)}, above the maximum {spec['maximum']}."
            )
    return problems


def read_geometry(raw: Any, *, where: str) -> tuple[shapely.Geometry | None, list[str]]:
    """A feature's GeoJSON ``geometry`` member as shapely, or why it cannot be read.

    Returns the geometry (``None`` when null or unreadable) and the problems, each
    starting with ``where``. Shared by the layer files and user uploads.
    """
    if raw is None:
        return None, [f"{where} has no geometry (null)."]
    try:
        return shapely.from_geojson(json.dumps(raw)), []
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        return None, [f"{where} has a geometry that cannot be read ({exc})."]


def _check_geometry(geom: shapely.Geometry, allowed: Sequence[str], *, where: str) -> list[str]:
    """Problems with one (readable, non-null) geometry."""
    if geom.is_empty:
        return [f"{where} has an empty {geom.geom_type} geometry."]
    problems: list[str] = []
    if allowed and geom.geom_type not in allowed:
        problems.append(f"{where} is a {geom.geom_type}, expected {' or '.join(allowed)}.")
    xy = shapely.get_coordinates(geom)
    lon, lat = xy[:, 0], xy[:, 1]
    if not np.all(np.isfinite(xy)):
        problems.append(f"{where} has non-finite coordinates.")
        return problems
    w, s, e, n = SHANGHAI_BBOX_LONLAT
    swapped = bool(np.all((lat >= w) & (lat <= e) & (lon >= s) & (lon <= n)))
    if np.any(np.abs(lon) > 180) or np.any(np.abs(lat) > 90):
        hint = (
            "are lat and lon swapped?"
            if swapped
            else "is it stored in metres rather than WGS-84 degrees?"
        )
        problems.append(
            f"{where} has coordinates out of the lon/lat range "
            f"(lon {lon.min():.6f}..{lon.max():.6f}, lat {lat.min():.6f}..{lat.max():.6f}); "
            f"{hint}"
        )
    else:
        inside = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
        if not np.all(inside):
            first = int(np.argmin(inside))
            problems.append(
                f"{where} lies outside Shanghai (first stray point lon {lon[first]:.6f}, "
                f"lat {lat[first]:.6f}){'; are lat and lon swapped?' if swapped else '.'}"
            )
    if not shapely.is_valid(geom):
        problems.append(f"{where} has an invalid geometry ({shapely.is_valid_reason(geom)}).")
    return problems


def geometry_problems(geom: shapely.Geometry, allowed: Sequence[str], *, where: str) -> list[str]:
    """Problems with one geometry (empty, wrong type, outside Shanghai, swapped, invalid).

    The per-feature geometry rules of the layers, for other readers (uploads).
    """
    return _check_geometry(geom, allowed, where=where)


@dataclass(frozen=True)
class _Read:
    """One layer file as read: the frame (None when unreadable) and its problems."""

    frame: gpd.GeoDataFrame | None
    problems: list[str]
    #: Per row of ``frame``: whether its geometry passed every per-feature check.
    geometry_ok: tuple[bool, ...] = ()


def _read_layer(name: str, folder: Path, package: Mapping[str, Any]) -> _Read:
    resource = _resource(package, name)
    file_name = resource.get("path", f"{name}.geojson") if resource else f"{name}.geojson"
    path = folder / file_name
    if resource is None:
        return _Read(None, [f"{SCHEMA_FILE}: no resource describes the layer '{name}'."])
    if not path.is_file():
        return _Read(None, [f"{file_name}: the file is missing from {folder}."])
    try:
        size = path.stat().st_size
        if size > MAX_LAYER_BYTES:
            return _Read(
                None,
                [
                    f"{file_name}: the file is {size / 2**20:,.1f} MB, over the "
                    f"{MAX_LAYER_BYTES / 2**20:g} MB limit for a layer; not read."
                ],
            )
        raw = path.read_bytes()
    except OSError as exc:
        return _Read(None, [f"{file_name}: cannot be read ({exc})."])
    text, encoding_problem = decode_json_bytes(raw)
    if text is None:
        return _Read(None, [f"{file_name}: {encoding_problem}"])
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return _Read(None, [f"{file_name}: not valid JSON ({exc})."])
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return _Read(None, [f"{file_name}: not a GeoJSON FeatureCollection."])
    features = doc.get("features")
    if not isinstance(features, list):
        return _Read(None, [f"{file_name}: the FeatureCollection has no 'features' list."])

    problems: list[str] = []
    crs_member = doc.get("crs")
    if (
        crs_member is not None
        and "CRS84" not in json.dumps(crs_member)
        and "4326" not in json.dumps(crs_member)
    ):
        problems.append(
            f"{file_name}: declares the CRS {json.dumps(crs_member)}; layers must be WGS-84 "
            "(RFC 7946)."
        )
    fields = [field_rules(f) for f in resource.get("schema", {}).get("fields", [])]
    allowed_types: list[str] = list(resource.get("geometry_types", []))
    records: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    seen: dict[str, dict[Any, str]] = {f["name"]: {} for f in fields if f.get("unique", False)}
    geometry_ok: list[bool] = []
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{file_name}: feature #{i} is not a GeoJSON Feature.")
            records.append({})
            geoms.append(None)
            geometry_ok.append(False)
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(f"{file_name}: feature #{i} has properties that are not an object.")
            props = {}
        fid = props.get("id")
        where = (
            f"{file_name}: feature '{fid}'"
            if isinstance(fid, str) and fid
            else f"{file_name}: feature #{i} (no id)"
        )
        problems += _check_fields(props, fields, where=where, package=package)
        for fname, values in seen.items():
            value = props.get(fname)
            if value is None or isinstance(value, dict | list):
                continue
            if value in values:
                problems.append(
                    f"{where} (#{i}) repeats '{fname}' = {_shown(value)}, "
                    f"already used by {values[value]}."
                )
            else:
                values[value] = (
                    f"feature '{fid}' (#{i})" if isinstance(fid, str) and fid else f"#{i}"
                )
        geom, unreadable = read_geometry(feature.get("geometry"), where=where)
        problems += unreadable
        geometry_ok.append(False)
        if geom is not None:
            geometry_problems = _check_geometry(geom, allowed_types, where=where)
            problems += geometry_problems
            geometry_ok[-1] = not geometry_problems
        records.append(dict(props))
        geoms.append(geom)

    n = len(features)
    if "feature_count" in resource and n != resource["feature_count"]:
        problems.append(
            f"{file_name}: has {n} feature{'s' if n != 1 else ''}, "
            f"expected exactly {resource['feature_count']}."
        )
    if "feature_count_min" in resource and n < resource["feature_count_min"]:
        problems.append(
            f"{file_name}: has {n} feature{'s' if n != 1 else ''}, "
            f"expected at least {resource['feature_count_min']}."
        )
    table = pd.DataFrame.from_records(
        records, columns=_all_columns([f["name"] for f in fields], records)
    )
    for column in table.columns:
        column_values = table[column]
        if column_values.isna().all() or not (
            pd.api.types.is_numeric_dtype(column_values)
            or pd.api.types.is_bool_dtype(column_values)
        ):
            # Text (and fields nobody filled): object columns with None for null, as in
            # the file, not NaN.
            table[column] = pd.Series(
                [None if _missing(v) else v for v in column_values],
                index=table.index,
                dtype=object,
            )
    frame = gpd.GeoDataFrame(
        table,
        geometry=gpd.GeoSeries(geoms, crs=config.WEB_CRS),
        crs=config.WEB_CRS,
    )
    return _Read(frame.reset_index(drop=True), problems, tuple(geometry_ok))


def decode_json_bytes(raw: bytes) -> tuple[str | None, str]:
    """Decode a JSON/GeoJSON file's bytes as UTF-8, or explain which encoding it is in.

    RFC 8259 (and so RFC 7946) requires UTF-8. A UTF-8 byte-order mark is tolerated
    (editors on Windows add one). UTF-16/32 (a byte-order mark or NUL bytes) and
    GBK/GB18030 (the usual Chinese Windows encoding) are named in the message.

    Returns
    -------
    tuple
        ``(text, "")`` when the bytes are UTF-8, else ``(None, message)``.
    """
    boms = {
        b"\xff\xfe\x00\x00": "UTF-32",
        b"\x00\x00\xfe\xff": "UTF-32",
        b"\xff\xfe": "UTF-16",
        b"\xfe\xff": "UTF-16",
    }
    for bom, name in boms.items():
        if raw.startswith(bom):
            return None, (
                f"the file is {name}-encoded (byte-order mark {bom.hex(' ').upper()}); "
                "GeoJSON and CSV files must be UTF-8 (RFC 8259): re-save it as UTF-8."
            )
    if b"\x00" in raw[:4096]:
        return None, (
            "the file contains NUL bytes, so it is probably UTF-16 or binary; "
            "GeoJSON and CSV files must be UTF-8 text: re-save it as UTF-8."
        )
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        where = f"byte 0x{raw[exc.start]:02X} at offset {exc.start}"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            guess = ""
        else:
            guess = " It decodes as GBK/GB18030 (the usual Chinese Windows encoding)."
        return None, (
            f"the file is not UTF-8 ({where}).{guess} GeoJSON and CSV files must be UTF-8 "
            "(RFC 8259): re-save it as UTF-8."
        )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _all_columns(schema_columns: list[str], records: list[dict[str, Any]]) -> list[str]:
    """Schema fields in schema order, then any extra property in first-seen order."""
    columns = list(schema_columns)
    known = set(columns) | {"geometry"}
    for rec in records:
        for key in rec:
            if key not in known:
                columns.append(key)
                known.add(key)
    return columns


def _cross_layer_ids(reads: Mapping[str, _Read], package: Mapping[str, Any]) -> list[str]:
    """Ids must be unique across the whole atlas, not only within a layer."""
    owners: dict[str, str] = {}
    problems: list[str] = []
    for name, read in reads.items():
        if read.frame is None or "id" not in read.frame:
            continue
        res = _resource(package, name)
        file_name = res.get("path", f"{name}.geojson") if res else f"{name}.geojson"
        for fid in dict.fromkeys(v for v in read.frame["id"] if isinstance(v, str) and v):
            if fid in owners and owners[fid] != file_name:
                problems.append(
                    f"{file_name}: feature '{fid}' reuses an id already used in {owners[fid]}."
                )
            owners.setdefault(fid, file_name)
    return problems


def _read_all(folder: Path) -> tuple[dict[str, _Read], list[str]]:
    if not folder.is_dir():
        return {}, [f"{folder}: the data folder does not exist."]
    package = load_schema(folder)
    reads = {name: _read_layer(name, folder, package) for name in config.LAYER_NAMES}
    problems = [p for read in reads.values() for p in read.problems]
    problems += _cross_layer_ids(reads, package)
    names = {}
    for name in reads:
        res = _resource(package, name)
        names[name] = res.get("path", f"{name}.geojson") if res else f"{name}.geojson"
    # Rules see only geometries that passed the per-feature checks (reported once).
    checked = {
        name: None if read.frame is None else read.frame[list(read.geometry_ok)]
        for name, read in reads.items()
    }
    problems += rules.cross_layer_problems(checked, names)
    return reads, problems


# ---------------------------------------------------------------------------- public


def validate_dir(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Every problem in a data folder, one sentence each (empty when the folder is valid).

    Parameters
    ----------
    data_dir
        The data folder (``None``: ``$PUTUO_GEO_DATA``, else ``geo/``).

    Returns
    -------
    list of str
        Problems in file order, each naming the file, the feature and what is wrong.
    """
    try:
        _, problems = _read_all(config.data_dir(data_dir))
    except DataValidationError as exc:  # unreadable datapackage.json
        return exc.problems
    return problems


def load_layer(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Read and validate one layer file ``<data_dir>/<name>.geojson``.

    Parameters
    ----------
    name
        One of ``config.LAYER_NAMES``.
    data_dir
        The data folder (``None``: ``$PUTUO_GEO_DATA``, else ``geo/``).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index 0..n-1, one column per schema field (absent optional
        fields as nulls) plus any extra property, then ``geometry``.

    Raises
    ------
    DataValidationError
        Listing every problem in the file (cross-layer id clashes are only
        checked by :func:`load_atlas` and :func:`validate_dir`).
    """
    if name not in config.LAYER_NAMES:
        msg = f"{name!r} is not a layer; expected one of {', '.join(config.LAYER_NAMES)}."
        raise ValueError(msg)
    folder = config.data_dir(data_dir)
    read = _read_layer(name, folder, load_schema(folder))
    if read.problems or read.frame is None:
        raise DataValidationError(read.problems)
    return read.frame


def load_atlas(data_dir: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate every layer.

    Parameters
    ----------
    data_dir
        The data folder (``None``: ``$PUTUO_GEO_DATA``, else ``geo/``).

    Returns
    -------
    Atlas
        Every layer, EPSG:4326, index 0..n-1.

    Raises
    ------
    DataValidationError
        Listing every problem in every file, when there is any.
    """
    folder = config.data_dir(data_dir)
    reads, problems = _read_all(folder)
    if problems:
        raise DataValidationError(
            problems,
            summary=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {folder}",
        )
    frames = {name: read.frame for name, read in reads.items()}
    return Atlas(data_dir=folder, **frames)
