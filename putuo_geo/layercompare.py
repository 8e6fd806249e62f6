"""Whether two builds of a layer file say the same thing: compared by value, not by bytes.

``make data`` must reproduce the committed ``geo/`` files, but a byte comparison fails on
the last digit of one coordinate whenever a newer GEOS or PROJ rounds it the other way
(issue 20). What the data *says* is the same when the same features stand in the same
order with the same properties and geometry types, and every coordinate agrees within
:data:`COORDINATE_TOLERANCE_DEG` (1e-6°, about 0.1 m: the files' 6-decimal resolution).

Any real change still shows: a vertex moved by 1e-5° (~1 m), a lost or added feature or
vertex, a renamed id, a changed word or flag. A number in the properties (a length, a
chainage) may differ by one step of the last decimal the committed file writes, no more,
since it is rounded from the same geometry (0.1 m for ``length_m = 1234.5``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

__all__ = ["COORDINATE_TOLERANCE_DEG", "value_differences"]

#: Two coordinates (degrees, WGS-84) this close are the same vertex: one 6th-decimal step.
COORDINATE_TOLERANCE_DEG = 1e-6

#: Keys whose numbers are coordinates (RFC 7946 ``coordinates`` and ``bbox``).
_COORDINATE_KEYS = frozenset({"coordinates", "bbox"})

#: Slack for binary floating point on top of a tolerance (1e-6 ± 1e-15 still passes).
_FLOAT_SLACK = 1e-12


def value_differences(
    committed: str,
    fresh: str,
    *,
    file_name: str,
    coordinate_tolerance_deg: float = COORDINATE_TOLERANCE_DEG,
) -> list[str]:
    """Every way ``fresh`` says something other than ``committed`` (empty: the same data).

    Parameters
    ----------
    committed, fresh
        The two files' JSON text (GeoJSON, or any JSON such as ``datapackage.json``).
    file_name
        Named at the start of every problem.
    coordinate_tolerance_deg
        Largest difference (degrees) between two coordinates that still counts as equal.

    Returns
    -------
    list of str
        One sentence per difference, naming the file, the feature (by position and
        ``id``) and the field.

    Examples
    --------
    A vertex 5e-7° off (~0.05 m) is the same vertex; 1e-5° (~1 m) is a moved one:

    >>> a = '{"type": "Point", "coordinates": [121.400000, 31.200000]}'
    >>> value_differences(a, a.replace("121.400000", "121.4000005"), file_name="p.geojson")
    []
    >>> value_differences(a, a.replace("121.400000", "121.40001"), file_name="p.geojson")
    ['p.geojson: coordinates[0] is 121.40001, was 121.400000 (off by 1e-05 deg)']
    """
    problems: list[str] = []
    old = json.loads(committed, parse_float=Decimal)
    new = json.loads(fresh, parse_float=Decimal)
    _compare(
        old, new, where="", problems=problems, in_coordinates=False, tol=coordinate_tolerance_deg
    )
    return [f"{file_name}: {p}" for p in problems]


def _label(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _feature_label(index: int, item: Any) -> str:
    fid = item.get("properties", {}).get("id") if isinstance(item, dict) else None
    fid = fid if fid is not None else (item.get("id") if isinstance(item, dict) else None)
    return f"features[{index}] (id {fid})" if fid is not None else f"features[{index}]"


def _compare(
    old: Any, new: Any, *, where: str, problems: list[str], in_coordinates: bool, tol: float
) -> None:
    shown = where or "the file"
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() - new.keys():
            problems.append(f"{_label(where, key)} is missing")
        for key in new.keys() - old.keys():
            problems.append(f"{_label(where, key)} is new")
        for key in old.keys() & new.keys():
            _compare(
                old[key],
                new[key],
                where=_label(where, key),
                problems=problems,
                in_coordinates=in_coordinates or key in _COORDINATE_KEYS,
                tol=tol,
            )
    elif isinstance(old, list) and isinstance(new, list):
        is_features = where.endswith("features")
        if len(old) != len(new):
            problems.append(f"{shown} has {len(new)} items, was {len(old)}")
            if is_features:
                # Same count or not, name which features came and went: the ids say more.
                old_ids = [_feature_label(i, f) for i, f in enumerate(old)]
                new_ids = [_feature_label(i, f) for i, f in enumerate(new)]
                problems.append(f"{shown}: was {old_ids}, now {new_ids}")
            return
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            label = _feature_label(index, a) if is_features else f"{shown}[{index}]"
            if is_features and _feature_label(index, b) != label:
                problems.append(f"{label} is now {_feature_label(index, b)} (order or id changed)")
                continue
            _compare(a, b, where=label, problems=problems, in_coordinates=in_coordinates, tol=tol)
    elif _is_number(old) and _is_number(new):
        if isinstance(old, int) and isinstance(new, int) and not in_coordinates:
            if old != new:
                problems.append(f"{shown} is {new}, was {old}")
            return
        allowed = tol if in_coordinates else _last_step(old)
        off = abs(float(new) - float(old))
        if off > allowed + _FLOAT_SLACK:
            unit = " deg" if in_coordinates else ""
            problems.append(f"{shown} is {new}, was {old} (off by {off:.3g}{unit})")
    elif type(old) is not type(new) or old != new:
        problems.append(f"{shown} is {new!r}, was {old!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _last_step(value: int | Decimal) -> float:
    """One step of the last decimal written (Decimal('1234.5') -> 0.1; ints are exact)."""
    if isinstance(value, int):
        return 0.0
    exponent = value.as_tuple().exponent
    return float(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else 0.0
