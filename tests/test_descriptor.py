"""putuo_geo.descriptor: every datapackage.json mistake named at once (issue 23 §5).

Each mistake is written into the toy folder's descriptor (``tmp_path``) and must give
one :class:`DataValidationError` listing it: from the library, from ``putuo-geo
validate`` (exit 1, no traceback) and on the page's error panel.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from putuo_geo import cli, crs, descriptor, i18n, layers, page
from putuo_geo.errors import DataValidationError


def _edit(folder: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package), encoding="utf-8")
    return folder


def _res(package: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in package["resources"] if r["name"] == name)


def _field(package: dict[str, Any], layer: str, name: str) -> dict[str, Any]:
    return next(f for f in _res(package, layer)["schema"]["fields"] if f["name"] == name)


def _set_path(value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda p: _res(p, "sites").update(path=value)


def _constraint(layer: str, name: str, **rule: Any) -> Callable[[dict[str, Any]], None]:
    return lambda p: _field(p, layer, name).setdefault("constraints", {}).update(rule)


#: (mistake, catalogue key it gives, words the English sentence holds)
MISTAKES = [
    (_set_path(5), "schema.problem.member", "path must be one file name"),
    (_set_path(["a.geojson", "b.geojson"]), "schema.problem.member", "path must be one file"),
    (_set_path("../../etc/hostname"), "schema.problem.path_outside", "outside the data folder"),
    (_set_path("/etc/hostname"), "schema.problem.path_outside", "outside the data folder"),
    (_set_path("https://example.org/x.geojson"), "schema.problem.path_outside", "outside"),
    (
        lambda p: _res(p, "sites")["schema"]["fields"].append({"type": "string"}),
        "schema.problem.member",
        "name must be text",
    ),
    (_constraint("sites", "id", pattern="("), "schema.problem.pattern", "'('"),
    (_constraint("sites", "id", pattern=r"(a)\1"), "schema.problem.pattern", "backreferences"),
    (_constraint("stations", "number", minimum="0"), "schema.problem.member", "minimum must be"),
    (_constraint("sites", "id", required="yes"), "schema.problem.member", "true or false"),
    (lambda p: _res(p, "sites").update(schema="see docs"), "schema.problem.member", "schema"),
    (lambda p: _res(p, "sites").update(feature_count="3"), "schema.problem.member", "whole"),
    (lambda p: p["resources"].append("sites"), "schema.problem.member", "resource #"),
    (_constraint("sites", "name_en", enum_ref="nowhere"), "schema.problem.member", "top-level"),
]


@pytest.mark.parametrize(("mistake", "key", "words"), MISTAKES)
def test_each_descriptor_mistake_is_named(toy_dir, mistake, key, words):
    folder = _edit(toy_dir, mistake)
    with pytest.raises(DataValidationError) as caught:
        layers.load_atlas(folder)
    (problem,) = caught.value.problems
    assert problem.key == key
    assert words in problem
    assert str(folder) not in problem  # the folder's short name only
    assert problem.text("zh") != str(problem)  # and in Chinese on the Chinese page
    assert layers.validate_dir(folder) == [problem]


def test_every_mistake_is_listed_at_once_by_validate(toy_dir, capsys):
    folder = toy_dir
    for index in (0, 5, 6, 8, 12):  # five at once, in different places
        folder = _edit(folder, MISTAKES[index][0])
    code = cli.main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "5 problems" in out
    assert "Traceback" not in out + err


def test_validate_on_a_bad_descriptor_exits_1_in_a_subprocess(toy_dir):
    from test_cli import _subprocess

    folder = _edit(toy_dir, _constraint("stations", "number", minimum="0"))
    done = _subprocess("validate", str(folder))
    assert done.returncode == 1, done.stderr
    assert "minimum must be a number, not '0'" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_page_error_panel_lists_the_descriptor_problems(toy_dir):
    folder = _edit(toy_dir, _set_path(5))
    with pytest.raises(DataValidationError) as caught:
        layers.load_atlas(folder)
    panel = page.error_panel(caught.value, folder, lang="zh")
    assert i18n.tr("error.data_invalid", "zh", folder="toy", count=1) in panel
    assert str(folder.parent) not in panel


def test_a_catastrophic_pattern_takes_no_time(toy_dir):
    # (a|aa)+$ on a 41-character id took Python's backtracking engine 40.9 s.
    folder = _edit(
        toy_dir,
        lambda p: _field(p, "sites", "id").setdefault("constraints", {}).update(pattern="(a|aa)+$"),
    )
    sites = folder / "sites.geojson"
    doc = json.loads(sites.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["id"] = "a" * 40 + "!"
    sites.write_text(json.dumps(doc), encoding="utf-8")
    started = time.perf_counter()
    problems = layers.validate_dir(folder)
    assert time.perf_counter() - started < 5  # the whole folder; RE2 is linear
    assert any(p.key == "field.problem.pattern" for p in problems)
    assert descriptor.pattern_matches("(a|aa)+$", "a" * 10_000) is True
    assert descriptor.pattern_matches("(a|aa)+$", "a" * 10_000 + "b") is False


def test_the_project_descriptor_has_no_mistake():
    package = json.loads(Path("geo/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor.package_problems(package, file="geo/datapackage.json") == []


@pytest.mark.parametrize(
    ("name", "wgs84"),
    [
        ("urn:ogc:def:crs:OGC:1.3:CRS84", True),
        ("urn:ogc:def:crs:EPSG::4326", True),
        ("EPSG:4326", True),
        ("urn:ogc:def:crs:EPSG::43260", False),  # held "4326": passed the substring test
        ("EPSG:43261", False),
        ("urn:ogc:def:crs:EPSG::32651", False),
        ("CRS84 please", False),
        ("x" * 1000, False),
    ],
)
def test_the_crs_is_parsed_not_searched(name, wgs84):
    member = {"type": "name", "properties": {"name": name}}
    assert crs.is_wgs84_member(member) is wgs84


def test_a_layer_declaring_a_crs_that_only_contains_4326_is_refused(toy_dir):
    sites = toy_dir / "sites.geojson"
    doc = json.loads(sites.read_text(encoding="utf-8"))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::43260"}}
    sites.write_text(json.dumps(doc), encoding="utf-8")
    assert [p.key for p in layers.validate_dir(toy_dir)] == ["data.problem.crs"]
