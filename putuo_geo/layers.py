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

import errno
import json
import math
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from putuo_geo import config, crs, descriptor, rules, typedtext
from putuo_geo.errors import DataValidationError, Problem

#: Where every feature must lie (see ``config.SHANGHAI_BBOX_LONLAT``).
SHANGHAI_BBOX_LONLAT = config.SHANGHAI_BBOX_LONLAT

SCHEMA_FILE = "datapackage.json"

#: Largest layer file read, bytes. The real layers are under 50 kB; the size is checked
#: with ``stat`` before reading, so a huge (or endless) file is never loaded into memory.
MAX_LAYER_BYTES = 20 * 1024 * 1024

#: Layers read on their own with :func:`load_layer`, not part of :class:`Atlas` (a data
#: folder without them still loads; ``putuo_geo.events`` reads ``events``).
STANDALONE_LAYER_NAMES: tuple[str, ...] = ("events",)


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
    if path.is_symlink() or path.exists():  # there, but maybe a folder, a FIFO, a loop
        not_file = file_problem(path, file=SCHEMA_FILE, folder=folder)
        if not_file is not None:
            raise DataValidationError([not_file])
    else:
        path = config.PACKAGE_DATA_DIR / SCHEMA_FILE
    # Named by the folder's short name: the page shows this (never the server's path).
    shown = f"{config.shown_dir(path.parent)}/{path.name}"
    try:
        if path.stat().st_size > MAX_LAYER_BYTES:
            msg = f"larger than {MAX_LAYER_BYTES / 2**20:g} MB"
            raise ValueError(msg)
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        detail = config.hide_dir(_cut(str(exc) or type(exc).__name__), path.parent)
        raise DataValidationError(
            [Problem("schema.problem.unreadable", file=shown, detail=detail)]
        ) from exc
    # Every mistake in the descriptor at once, before a layer is read with it (a path of
    # 5, a field without a name, a pattern that does not compile: issue 23 §5).
    problems = descriptor.package_problems(package, file=shown)
    if problems:
        raise DataValidationError(problems)
    return dict(package)


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
    try:
        text = repr(value)
    except RecursionError:  # a list nested hundreds deep, within json's own limit
        return f"<a {type(value).__name__} nested too deeply to show>"
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return f"{text[: MAX_QUOTED_CHARS - 1]}… ({len(text):,} characters)"


def shown_value(value: Any) -> str:
    """A value quoted in a problem: its ``repr``, cut to :data:`MAX_QUOTED_CHARS`."""
    return _shown(value)


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
                problems.append(Problem("field.problem.missing", where=where, field=name))
            continue
        value = props[name]
        if value is None:
            if spec.get("required", False) and not spec.get("nullable", False):
                problems.append(Problem("field.problem.null", where=where, field=name, kind=kind))
            continue
        if not _type_ok(value, kind):
            problems.append(
                Problem(
                    "field.problem.type",
                    where=where,
                    field=name,
                    value=_shown(value),
                    found=type(value).__name__,
                    kind=kind,
                )
            )
            continue
        # Blank also when it shows nothing: only zero-width characters or combining marks.
        if kind == "string" and spec.get("required", False) and typedtext.is_blank(value):
            problems.append(Problem("field.problem.blank", where=where, field=name))
            continue
        allowed = spec.get("enum")
        if allowed is None and "enum_ref" in spec:
            allowed = package.get(spec["enum_ref"], [])
        if allowed is not None and value not in allowed:
            problems.append(
                Problem(
                    "field.problem.enum",
                    where=where,
                    field=name,
                    value=_shown(value),
                    allowed=", ".join(map(str, allowed)),
                )
            )
        pattern = spec.get("pattern")
        if pattern and isinstance(value, str) and not descriptor.pattern_matches(pattern, value):
            problems.append(
                Problem(
                    "field.problem.pattern",
                    where=where,
                    field=name,
                    value=_shown(value),
                    pattern=pattern,
                )
            )
        if "minimum" in spec and value < spec["minimum"]:
            problems.append(
                Problem(
                    "field.problem.minimum",
                    where=where,
                    field=name,
                    value=_shown(value),
                    limit=spec["minimum"],
                )
            )
        if "maximum" in spec and value > spec["maximum"]:
            problems.append(
                Problem(
                    "field.problem.maximum",
                    where=where,
                    field=name,
                    value=_shown(value),
                    limit=spec["maximum"],
                )
            )
    return problems


def read_geometry(raw: Any, *, where: str) -> tuple[shapely.Geometry | None, list[str]]:
    """A feature's GeoJSON ``geometry`` member as shapely, or why it cannot be read.

    Returns the geometry (``None`` when null or unreadable) and the problems, each
    starting with ``where``. Shared by the layer files and user uploads.
    """
    if raw is None:
        return None, [Problem("geom.problem.null", where=where)]
    try:
        return shapely.from_geojson(json.dumps(raw)), []
    except (shapely.errors.GEOSException, ValueError, TypeError, RecursionError) as exc:
        detail = _cut(str(exc) or type(exc).__name__)
        return None, [Problem("geom.problem.unreadable", where=where, detail=detail)]


def _check_geometry(geom: shapely.Geometry, allowed: Sequence[str], *, where: str) -> list[str]:
    """Problems with one (readable, non-null) geometry."""
    if geom.is_empty:
        return [Problem("geom.problem.empty", where=where, kind=geom.geom_type)]
    problems: list[str] = []
    if allowed and geom.geom_type not in allowed:
        problems.append(
            Problem(
                "geom.problem.type", where=where, kind=geom.geom_type, allowed=" or ".join(allowed)
            )
        )
    xy = shapely.get_coordinates(geom)
    lon, lat = xy[:, 0], xy[:, 1]
    if not np.all(np.isfinite(xy)):
        problems.append(Problem("geom.problem.non_finite", where=where))
        return problems
    w, s, e, n = SHANGHAI_BBOX_LONLAT
    swapped = bool(np.all((lat >= w) & (lat <= e) & (lon >= s) & (lon <= n)))
    if np.any(np.abs(lon) > 180) or np.any(np.abs(lat) > 90):
        problems.append(
            Problem(
                "geom.problem.out_of_range",
                where=where,
                lon=f"{lon.min():.6f}..{lon.max():.6f}",
                lat=f"{lat.min():.6f}..{lat.max():.6f}",
                hint=Problem("geom.hint.swapped" if swapped else "geom.hint.metres"),
            )
        )
    else:
        inside = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
        if not np.all(inside):
            first = int(np.argmin(inside))
            key = "geom.problem.outside_shanghai" + ("_swapped" if swapped else "")
            problems.append(
                Problem(key, where=where, lon=f"{lon[first]:.6f}", lat=f"{lat[first]:.6f}")
            )
    if not shapely.is_valid(geom):
        problems.append(
            Problem("geom.problem.invalid", where=where, detail=shapely.is_valid_reason(geom))
        )
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
    not_file = file_problem(path, file=file_name, folder=folder)
    if not_file is not None:
        return _Read(None, [not_file])
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
        detail = config.hide_dir(str(exc), folder)  # OSError names the server's path
        return _Read(None, [Problem("data.problem.unreadable", file=file_name, detail=detail)])
    doc, bad_json = read_json(raw, file=file_name)
    if bad_json is not None:
        return _Read(None, [bad_json])
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return _Read(None, [Problem("data.problem.not_collection", file=file_name)])
    features = doc.get("features")
    if not isinstance(features, list):
        return _Read(None, [Problem("data.problem.no_features", file=file_name)])

    problems: list[str] = []
    crs_member = doc.get("crs")
    if crs_member is not None and not crs.is_wgs84_member(crs_member):
        problems.append(
            Problem("data.problem.crs", file=file_name, crs=_cut(json.dumps(crs_member)))
        )
    fields = [field_rules(f) for f in resource.get("schema", {}).get("fields", [])]
    allowed_types: list[str] = list(resource.get("geometry_types", []))
    records: list[dict[str, Any]] = []
    geoms: list[shapely.Geometry | None] = []
    seen: dict[str, dict[Any, str]] = {f["name"]: {} for f in fields if f.get("unique", False)}
    geometry_ok: list[bool] = []
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            where_i = f"{file_name}: feature #{i}"
            problems.append(Problem("data.problem.not_feature", where=where_i))
            records.append({})
            geoms.append(None)
            geometry_ok.append(False)
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            where_i = f"{file_name}: feature #{i}"
            problems.append(Problem("data.problem.properties", where=where_i))
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
                    Problem(
                        "field.problem.repeat",
                        where=where,
                        number=i,
                        field=fname,
                        value=_shown(value),
                        owner=values[value],
                    )
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
            Problem(
                "data.problem.count_exact" if n != 1 else "data.problem.count_exact_one",
                file=file_name,
                count=n,
                expected=resource["feature_count"],
            )
        )
    if "feature_count_min" in resource and n < resource["feature_count_min"]:
        problems.append(
            Problem(
                "data.problem.count_min" if n != 1 else "data.problem.count_min_one",
                file=file_name,
                count=n,
                expected=resource["feature_count_min"],
            )
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


def _cut(text: str, limit: int = MAX_QUOTED_CHARS * 2) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def file_problem(path: Path, *, file: str, folder: Path | str) -> Problem | None:
    """Why ``path`` is not a regular file to read, or ``None`` when it is one.

    Tells a missing file from a folder, a named pipe (reading it would block the
    server), a symbolic link that loops or points nowhere, and a device or socket,
    instead of calling them all "missing". Uses ``stat``/``lstat`` only (never opens).
    The folder is named by :func:`putuo_geo.config.shown_dir`, never the absolute path.
    """
    shown = config.shown_dir(folder)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            loop = exc.errno == errno.ELOOP
            kind = "data.kind.symlink_loop" if loop else "data.kind.broken_link"
            return Problem("data.problem.not_a_file", file=file, folder=shown, kind=Problem(kind))
        if exc.errno == errno.ENOENT:
            return Problem("data.problem.missing", file=file, folder=shown)
        detail = config.hide_dir(str(exc), folder)  # OSError names the server's path
        return Problem("data.problem.unreadable", file=file, detail=detail)
    if stat.S_ISREG(mode):
        return None
    kind = (
        "data.kind.folder"
        if stat.S_ISDIR(mode)
        else "data.kind.fifo"
        if stat.S_ISFIFO(mode)
        else "data.kind.special"
    )
    return Problem("data.problem.not_a_file", file=file, folder=shown, kind=Problem(kind))


def data_signature(data_dir: str | os.PathLike[str] | None = None) -> tuple[tuple[str, int], ...]:
    """What changes when a data file is edited: ``(name, mtime_ns)`` per ``*.*json`` entry.

    For the page's cache key. Never raises: an entry that cannot be stat'ed (a symbolic
    link that loops, a file removed meanwhile) counts with mtime ``-1``, and loading
    then names the problem; a missing folder gives ``()``.
    """
    folder = config.data_dir(data_dir)
    try:
        entries = sorted(folder.glob("*.*json"))
    except OSError:
        return ()
    signature = []
    for path in entries:
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            mtime = -1
        signature.append((path.name, mtime))
    return tuple(signature)


def decode_text(raw: bytes, *, file: str) -> tuple[str | None, Problem | None]:
    """Decode a GeoJSON/CSV file's bytes as UTF-8, or explain which encoding it is in.

    RFC 8259 (and so RFC 7946) requires UTF-8. A UTF-8 byte-order mark is tolerated
    (editors on Windows add one). UTF-16/32 (a byte-order mark), a NUL byte anywhere in
    the file (UTF-16 or binary; was checked in the first 4 kB only) and GBK/GB18030 (the
    usual Chinese Windows encoding) are named in the problem.

    Returns
    -------
    tuple
        ``(text, None)`` when the bytes are UTF-8, else ``(None, problem)``; the problem
        starts with ``file``.
    """
    boms = {
        b"\xff\xfe\x00\x00": "UTF-32",
        b"\x00\x00\xfe\xff": "UTF-32",
        b"\xff\xfe": "UTF-16",
        b"\xfe\xff": "UTF-16",
    }
    for bom, name in boms.items():
        if raw.startswith(bom):
            return None, Problem(
                "data.problem.utf_bom", file=file, encoding=name, bom=bom.hex(" ").upper()
            )
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, Problem("data.problem.nul", file=file, offset=f"{nul:,}")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            guess: str | Problem = ""
        else:
            guess = Problem("data.problem.gbk_guess")
        return None, Problem(
            "data.problem.not_utf8",
            file=file,
            byte=f"0x{raw[exc.start]:02X}",
            offset=f"{exc.start:,}",
            guess=guess,
        )


def parse_json(text: str, *, file: str) -> tuple[Any, Problem | None]:
    """``json.loads(text)``, or the problem that stops it, never an exception.

    The boundary where text becomes data: besides a syntax error, a hostile file can
    nest arrays thousands deep (:class:`RecursionError` in the parser) or hold an
    integer of thousands of digits (Python's int-conversion limit raises
    :class:`ValueError`). Each becomes a problem naming the file.
    """
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, Problem("data.problem.not_json", file=file, detail=_cut(str(exc)))
    except RecursionError:
        return None, Problem("data.problem.json_too_deep", file=file)
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return None, Problem("data.problem.json_number", file=file, detail=_cut(str(exc)))


def read_json(raw: bytes, *, file: str) -> tuple[Any, Problem | None]:
    """Bytes to JSON data (:func:`decode_text` then :func:`parse_json`), or the problem."""
    text, problem = decode_text(raw, file=file)
    if text is None:
        return None, problem
    return parse_json(text, file=file)


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
                    Problem("data.problem.id_reused", file=file_name, id=fid, owner=owners[fid])
                )
            owners.setdefault(fid, file_name)
    return problems


def _read_all(folder: Path) -> tuple[dict[str, _Read], list[str]]:
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return {}, [f"{config.shown_dir(folder)}: the data folder {what}."]
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
        Problems in file order, each naming the file, the feature and what is wrong;
        then those of the standalone layers (:data:`STANDALONE_LAYER_NAMES`, e.g.
        ``events``) the folder holds: optional, but checked like the others when there.
    """
    folder = config.data_dir(data_dir)
    try:
        _, problems = _read_all(folder)
        for name in STANDALONE_LAYER_NAMES:
            if _standalone_present(name, folder):
                problems += _read_layer(name, folder, load_schema(folder)).problems
    except DataValidationError as exc:  # unreadable datapackage.json
        return exc.problems
    return problems


def _standalone_present(name: str, folder: Path) -> bool:
    """Whether a standalone layer's file entry exists (a broken link counts: say so)."""
    if not folder.is_dir():
        return False
    resource = _resource(load_schema(folder), name)
    file_name = resource.get("path", f"{name}.geojson") if resource else f"{name}.geojson"
    return os.path.lexists(folder / file_name)


def load_layer(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Read and validate one layer file ``<data_dir>/<name>.geojson``.

    Parameters
    ----------
    name
        One of ``config.LAYER_NAMES`` or :data:`STANDALONE_LAYER_NAMES`.
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
    known = (*config.LAYER_NAMES, *STANDALONE_LAYER_NAMES)
    if name not in known:
        msg = f"{name!r} is not a layer; expected one of {', '.join(known)}."
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
