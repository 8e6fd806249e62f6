"""The data package descriptor (``datapackage.json``), checked before any layer is read.

A data folder's own descriptor is edited by people, and each mistake in it used to
reach the layer reader as a ``TypeError`` or ``re.error``: the page crashed for every
visitor and ``putuo-geo validate`` exited 2 with a traceback (issue 23 §5).
:func:`package_problems` names every mistake, one sentence each (osmnx's pattern:
collect them all, raise one error): a resource path that is not one file name in the
folder (``5``, a multi-part list, ``../../etc/hostname``), a schema that is not an object,
a field without a name, a pattern that does not compile, a ``minimum`` that is text.

Field patterns run on Google's RE2 (:func:`pattern_matches`), which matches in time
linear in the text: Python's backtracking engine took 40.9 s to try ``(a|aa)+$`` on one
41-character id. RE2 has no backreferences or lookaround; a pattern that uses them is
named as a mistake, like one that does not compile.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import re2

from putuo_geo.errors import Problem

#: Longest pattern compiled (characters); a descriptor's patterns are short.
MAX_PATTERN_CHARS = 1000
#: Memory RE2 may use for one pattern (bytes): bounds what a huge repetition can cost.
PATTERN_MAX_MEM = 8 << 20
#: What each rule of a field must be, in the Table Schema (and ``nullable``, ours).
_NUMBER_RULES = ("minimum", "maximum")
_FLAG_RULES = ("required", "unique", "nullable")


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print each bad pattern to stderr itself
    options.max_mem = PATTERN_MAX_MEM
    return options


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2 (cached: immutable, shared by every caller).

    Raises
    ------
    ValueError
        When RE2 cannot compile it (syntax, backreferences, lookaround, too large).
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        msg = f"longer than {MAX_PATTERN_CHARS} characters"
        raise ValueError(msg)
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise ValueError(text) from None


def pattern_matches(pattern: str, value: str) -> bool:
    """Whether all of ``value`` matches ``pattern`` (RE2: linear in ``len(value)``).

    Examples
    --------
    >>> pattern_matches("^[a-z0-9][a-z0-9_-]*$", "st-01")
    True
    >>> pattern_matches("(a|aa)+$", "a" * 40 + "b")
    False
    """
    return compile_pattern(pattern).fullmatch(value) is not None


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def path_problem(path: Any, *, file: str, where: Problem) -> Problem | None:
    """Why a resource's ``path`` is not one file in the data folder, or ``None``.

    Frictionless allows a number of things here that this reader does not: a list of
    parts (a multi-part resource), a URL, a path outside the folder.
    """
    if not isinstance(path, str) or not path.strip():
        return Problem(
            "schema.problem.member",
            file=file,
            where=where,
            key="path",
            expected=Problem("schema.kind.path"),
            value=_shown(path),
        )
    pure = PurePosixPath(path.replace("\\", "/"))
    if "://" in path or pure.is_absolute() or ".." in pure.parts or "\x00" in path:
        return Problem("schema.problem.path_outside", file=file, where=where, value=_shown(path))
    return None


def _member(
    problems: list[Problem], *, file: str, where: Problem, key: str, value: Any, kind: str
) -> None:
    problems.append(
        Problem(
            "schema.problem.member",
            file=file,
            where=where,
            key=key,
            expected=Problem(f"schema.kind.{kind}"),
            value=_shown(value),
        )
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _field_problems(
    spec: Any, *, file: str, resource: Problem, number: int, package: Mapping[str, Any]
) -> list[Problem]:
    where = Problem("schema.where.field_number", where=resource, number=number)
    problems: list[Problem] = []
    if not isinstance(spec, Mapping):
        _member(problems, file=file, where=where, key="field", value=spec, kind="object")
        return problems
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        _member(problems, file=file, where=where, key="name", value=name, kind="text")
    else:
        where = Problem("schema.where.field", where=resource, field=name)
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, Mapping):
        _member(
            problems, file=file, where=where, key="constraints", value=constraints, kind="object"
        )
        constraints = {}
    rules = {**constraints, **{k: v for k, v in spec.items() if k != "constraints"}}
    if "type" in rules and not isinstance(rules["type"], str):
        _member(problems, file=file, where=where, key="type", value=rules["type"], kind="text")
    for key in _NUMBER_RULES:
        if key in rules and not _is_number(rules[key]):
            _member(problems, file=file, where=where, key=key, value=rules[key], kind="number")
    for key in _FLAG_RULES:
        if key in rules and not isinstance(rules[key], bool):
            _member(problems, file=file, where=where, key=key, value=rules[key], kind="flag")
    if "enum" in rules and not isinstance(rules["enum"], list):
        _member(problems, file=file, where=where, key="enum", value=rules["enum"], kind="list")
    if "enum_ref" in rules and "enum" not in rules:  # the older form: a top-level list's key
        ref = rules["enum_ref"]
        allowed = package.get(ref) if isinstance(ref, str) else None
        if not isinstance(allowed, list):
            _member(problems, file=file, where=where, key="enum_ref", value=ref, kind="list_key")
    if "pattern" in rules:
        pattern = rules["pattern"]
        if not isinstance(pattern, str):
            _member(problems, file=file, where=where, key="pattern", value=pattern, kind="text")
        else:
            try:
                compile_pattern(pattern)
            except ValueError as exc:
                problems.append(
                    Problem(
                        "schema.problem.pattern",
                        file=file,
                        where=where,
                        value=_shown(pattern),
                        detail=str(exc),
                    )
                )
    return problems


def resource_problems(
    resource: Any, *, index: int, file: str, package: Mapping[str, Any]
) -> list[Problem]:
    """Every mistake in one entry of ``package["resources"]`` (its path, schema, fields)."""
    where = Problem("schema.where.resource_number", number=index + 1)
    problems: list[Problem] = []
    if not isinstance(resource, Mapping):
        _member(problems, file=file, where=where, key="resource", value=resource, kind="object")
        return problems
    name = resource.get("name")
    if not isinstance(name, str) or not name:
        _member(problems, file=file, where=where, key="name", value=name, kind="text")
    else:
        where = Problem("schema.where.resource", name=name)
    if "path" in resource:
        bad_path = path_problem(resource["path"], file=file, where=where)
        if bad_path is not None:
            problems.append(bad_path)
    for key in ("feature_count", "feature_count_min"):
        value = resource.get(key)
        if key in resource and (not isinstance(value, int) or isinstance(value, bool)):
            _member(problems, file=file, where=where, key=key, value=value, kind="integer")
    kinds = resource.get("geometry_types", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        _member(problems, file=file, where=where, key="geometry_types", value=kinds, kind="texts")
    schema = resource.get("schema", {})
    fields = schema.get("fields", []) if isinstance(schema, Mapping) else None
    if not isinstance(fields, list):
        _member(problems, file=file, where=where, key="schema", value=schema, kind="schema")
        return problems
    for number, spec in enumerate(fields, start=1):
        problems += _field_problems(spec, file=file, resource=where, number=number, package=package)
    return problems


def package_problems(package: Any, *, file: str) -> list[Problem]:
    """Every mistake in a parsed ``datapackage.json`` (empty when the reader can use it).

    Parameters
    ----------
    package
        The parsed JSON.
    file
        How to name the descriptor in the messages (never the server's path).

    Returns
    -------
    list of Problem
        One sentence per mistake, naming the resource and field.

    Examples
    --------
    >>> bad = {"resources": [{"name": "sites", "path": 5, "schema": "see docs"}]}
    >>> [p.key for p in package_problems(bad, file="geo/datapackage.json")]
    ['schema.problem.member', 'schema.problem.member']
    """
    if not isinstance(package, Mapping) or not isinstance(package.get("resources"), list):
        return [Problem("schema.problem.no_resources", file=file)]
    problems: list[Problem] = []
    for index, resource in enumerate(package["resources"]):
        problems += resource_problems(resource, index=index, file=file, package=package)
    return problems
