"""Loading and validation: a valid toy folder, then every problem written to tmp_path.

Each bad-file test asserts that the message names the file, the feature and the
problem; one test breaks many things at once and expects every one reported.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from paper_toy import Collections, to_lonlat
from shapely.geometry import LineString, Point, Polygon, mapping

from putuo_geo import config, layers
from putuo_geo.errors import DataValidationError, localise


def feature(c: Collections, layer: str, fid: str) -> dict[str, Any]:
    return next(f for f in c[layer]["features"] if f["properties"]["id"] == fid)


def props(c: Collections, layer: str, fid: str) -> dict[str, Any]:
    return feature(c, layer, fid)["properties"]


# ---------------------------------------------------------------------- valid


def test_valid_folder_loads_every_layer(toy_dir):
    atlas = layers.load_atlas(toy_dir)
    assert atlas.data_dir == toy_dir
    counts = {name: len(atlas.layer(name)) for name in config.LAYER_NAMES}
    assert counts == {
        "boundary": 1,
        "zones": 3,
        "parks": 1,
        "creek": 3,
        "route": 2,
        "bridges": 2,
        "sites": 2,
        "stations": 3,
    }
    for name in config.LAYER_NAMES:
        frame = atlas.layer(name)
        assert frame.crs.equals(config.WEB_CRS)
        assert isinstance(frame.index, pd.RangeIndex)
        assert list(frame.index) == list(range(len(frame)))
        assert "id" in frame.columns
    assert list(atlas.stations["id"]) == ["station-01", "station-02", "station-03"]
    assert list(atlas.stations["number"]) == [1, 2, 3]
    assert list(atlas.bridges["walkable"]) == [True, False]


def test_unfilled_optional_fields_are_none(toy_dir):
    stations = layers.load_layer("stations", data_dir=toy_dir)
    assert "offers" in stations.columns
    assert stations["offers"].tolist() == [None, None, None]


def test_valid_folder_has_no_problems(toy_dir):
    assert layers.validate_dir(toy_dir) == []


def test_data_folder_from_environment(toy_dir, monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(toy_dir))
    assert layers.load_atlas().data_dir == toy_dir
    assert layers.validate_dir() == []
    monkeypatch.setenv(config.DATA_DIR_ENV, str(toy_dir / "nowhere"))
    assert layers.load_atlas(toy_dir).data_dir == toy_dir  # the argument wins


def test_atlas_layer_refuses_unknown_names(toy_dir):
    atlas = layers.load_atlas(toy_dir)
    with pytest.raises(KeyError, match="not a layer"):
        atlas.layer("rivers")
    with pytest.raises(ValueError, match="not a layer"):
        layers.load_layer("rivers", data_dir=toy_dir)


def test_atlas_is_hashable_by_identity(toy_dir):
    atlas = layers.load_atlas(toy_dir)
    assert {atlas: 1}[atlas] == 1
    assert atlas != layers.load_atlas(toy_dir)


def test_extra_properties_are_kept(write_toy):
    def edit(c: Collections) -> None:
        props(c, "sites", "site-mint")["website"] = "https://example.org"

    sites = layers.load_layer("sites", data_dir=write_toy(edit))
    assert sites["website"].tolist() == ["https://example.org", None]


# ---------------------------------------------------------------------- every problem


def _geom(g: Any) -> dict[str, Any]:
    return dict(mapping(to_lonlat(g)))


def _set(layer: str, fid: str, key: str, value: Any):
    def edit(c: Collections) -> None:
        props(c, layer, fid)[key] = value

    return edit


def _drop(layer: str, fid: str, key: str):
    def edit(c: Collections) -> None:
        del props(c, layer, fid)[key]

    return edit


def _geometry(layer: str, fid: str, geometry: Any):
    def edit(c: Collections) -> None:
        feature(c, layer, fid)["geometry"] = geometry

    return edit


def _remove_feature(layer: str, fid: str):
    def edit(c: Collections) -> None:
        c[layer]["features"] = [f for f in c[layer]["features"] if f["properties"]["id"] != fid]

    return edit


def _add_feature(layer: str, fid: str):
    def edit(c: Collections) -> None:
        extra = json.loads(json.dumps(c[layer]["features"][0]))
        extra["properties"]["id"] = fid
        c[layer]["features"].append(extra)

    return edit


CASES = [
    # (case id, edit, file, feature, words of the problem)
    (
        "missing field",
        _drop("sites", "site-mint", "category"),
        "sites.geojson",
        "site-mint",
        "missing the required field 'category'",
    ),
    (
        "string for number",
        _set("parks", "park-a", "accuracy_m", "20"),
        "parks.geojson",
        "park-a",
        "'accuracy_m' = '20' (str), expected a number",
    ),
    (
        "bool for number",
        _set("parks", "park-a", "accuracy_m", True),
        "parks.geojson",
        "park-a",
        "expected a number",
    ),
    (
        "float for integer",
        _set("stations", "station-02", "number", 2.5),
        "stations.geojson",
        "station-02",
        "expected a integer",
    ),
    (
        "string for boolean",
        _set("bridges", "bridge-a", "walkable", "yes"),
        "bridges.geojson",
        "bridge-a",
        "'walkable' = 'yes' (str), expected a boolean",
    ),
    (
        "null required",
        _set("route", "route-left", "bank", None),
        "route.geojson",
        "route-left",
        "null 'bank'",
    ),
    (
        "bad enum",
        _set("route", "route-left", "bank", "north"),
        "route.geojson",
        "route-left",
        "'bank' = 'north', not one of left, right",
    ),
    (
        "bad enum_ref",
        _set("sites", "site-harbor", "category", "shopping"),
        "sites.geojson",
        "site-harbor",
        "'category' = 'shopping', not one of innovation",
    ),
    ("pattern", _set("parks", "park-a", "id", "Park A"), "parks.geojson", "Park A", "not matching"),
    (
        "invisible name",  # issue 23 §3: only zero-width characters and combining marks
        _set("sites", "site-mint", "name_en", "\u200b\u0301\u200d"),
        "sites.geojson",
        "site-mint",
        "has an empty 'name_en'",
    ),
    (
        "minimum",
        _set("sites", "site-mint", "accuracy_m", -1),
        "sites.geojson",
        "site-mint",
        "below the minimum 0",
    ),
    (
        "maximum",
        _set("stations", "station-03", "number", 25),
        "stations.geojson",
        "station-03",
        "above the maximum 24",
    ),
    (
        "unique field",
        _set("stations", "station-03", "number", 1),
        "stations.geojson",
        "station-03",
        "repeats 'number' = 1, already used by feature 'station-01' (#0)",
    ),
    (
        "duplicate id in a layer",
        _set("sites", "site-harbor", "id", "site-mint"),
        "sites.geojson",
        "site-mint",
        "repeats 'id' = 'site-mint'",
    ),
    (
        "duplicate id across layers",
        _set("sites", "site-harbor", "id", "station-01"),
        "stations.geojson",
        "station-01",
        "reuses an id already used in sites.geojson",
    ),
    (
        "null geometry",
        _geometry("stations", "station-02", None),
        "stations.geojson",
        "station-02",
        "has no geometry",
    ),
    (
        "empty geometry",
        _geometry("stations", "station-02", {"type": "Point", "coordinates": []}),
        "stations.geojson",
        "station-02",
        "empty Point geometry",
    ),
    (
        "unreadable geometry",
        _geometry("parks", "park-a", {"type": "Polygon", "coordinates": [[1, 2]]}),
        "parks.geojson",
        "park-a",
        "geometry that cannot be read",
    ),
    (
        "wrong geometry type",
        _geometry("stations", "station-02", _geom(LineString([(0, 0), (10, 0)]))),
        "stations.geojson",
        "station-02",
        "is a LineString, expected Point",
    ),
    (
        "invalid geometry",
        _geometry("parks", "park-a", _geom(Polygon([(0, 0), (100, 100), (100, 0), (0, 100)]))),
        "parks.geojson",
        "park-a",
        "invalid geometry (Self-intersection",
    ),
    (
        "metres not degrees",
        _geometry("sites", "site-mint", {"type": "Point", "coordinates": [345300.0, 3457780.0]}),
        "sites.geojson",
        "site-mint",
        "out of the lon/lat range",
    ),
    (
        "lat lon swapped",
        _geometry("sites", "site-mint", {"type": "Point", "coordinates": [31.24, 121.38]}),
        "sites.geojson",
        "site-mint",
        "are lat and lon swapped?",
    ),
    (
        "outside Shanghai",
        _geometry("sites", "site-mint", {"type": "Point", "coordinates": [116.39, 39.91]}),
        "sites.geojson",
        "site-mint",
        "lies outside Shanghai",
    ),
    (
        "too few",
        _remove_feature("stations", "station-03"),
        "stations.geojson",
        "",
        "has 2 features, expected exactly 3",
    ),
    (
        "too many",
        _add_feature("boundary", "second-district"),
        "boundary.geojson",
        "",
        "has 2 features, expected exactly 1",
    ),
]


@pytest.mark.parametrize(
    ("edit", "file_name", "fid", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_problem_names_file_feature_and_what_is_wrong(write_toy, edit, file_name, fid, words):
    folder = write_toy(edit)
    problems = layers.validate_dir(folder)
    hits = [p for p in problems if file_name in p and fid in p and words in p]
    assert hits, problems
    with pytest.raises(DataValidationError) as info:
        layers.load_atlas(folder)
    assert info.value.problems == problems
    assert words in str(info.value)


def test_feature_count_min(write_toy, toy):
    _, package = toy
    res = next(r for r in package["resources"] if r["name"] == "sites")
    del res["feature_count"]
    res["feature_count_min"] = 5
    problems = layers.validate_dir(write_toy(lambda c: None))
    assert problems == ["sites.geojson: has 2 features, expected at least 5."]


def test_swapped_hint_only_when_swapping_helps(write_toy):
    edit = _geometry("sites", "site-mint", {"type": "Point", "coordinates": [116.39, 39.91]})
    (problem,) = layers.validate_dir(write_toy(edit))
    assert "swapped" not in problem


def test_a_feature_without_id_is_named_by_index(write_toy):
    problems = layers.validate_dir(write_toy(_drop("stations", "station-02", "id")))
    assert "stations.geojson: feature #1 (no id) is missing the required field 'id'." in problems


def test_missing_file(write_toy, tmp_path):
    folder = write_toy(lambda c: None)
    (folder / "parks.geojson").unlink()
    problems = layers.validate_dir(folder)
    # The folder by its short name: a public page must not show the server's paths.
    assert problems == [f"parks.geojson: the file is missing from {folder.name}."]
    assert str(folder.parent) not in problems[0]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "is a folder in bad, not a file"),
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO) in bad, not a file"),
        (lambda p: p.symlink_to(p), "is a symbolic link that loops in bad, not a file"),
        (
            lambda p: p.symlink_to(p.with_name("nowhere")),
            "is a symbolic link to nothing in bad, not a file",
        ),
    ],
    ids=["folder", "fifo", "symlink_loop", "broken_link"],
)
def test_a_layer_that_is_not_a_file_says_what_it_is(write_toy, make, words):
    folder = write_toy(lambda c: None)
    path = folder / "parks.geojson"
    path.unlink()
    make(path)
    problems = layers.validate_dir(folder)  # a FIFO is never opened: this returns
    assert problems == [f"parks.geojson: {words}."]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "FeatureCollection", "features": [' + "[" * 50_000, "nested too deeply"),
        ('{"type": "FeatureCollection", "n": ' + "9" * 5000 + "}", "number too long"),
        (
            '{"type": "FeatureCollection", "features": []}' + " " * 10 + "\u0000",
            "NUL byte (at offset 55)",
        ),
    ],
    ids=["deep_array", "deep_unclosed", "huge_integer", "late_nul"],
)
def test_pathological_json_is_a_problem_not_a_crash(write_toy, text, words):
    folder = write_toy(lambda c: None)
    (folder / "parks.geojson").write_text(text, encoding="utf-8")
    (problem,) = layers.validate_dir(folder)
    assert problem.startswith("parks.geojson: ")
    assert words in problem


def test_a_nul_byte_anywhere_is_named_with_its_offset():
    raw = b'{"type": "FeatureCollection", "features": []}' + b" " * 10_000 + b"\x00"
    text, problem = layers.decode_text(raw, file="late.geojson")
    assert text is None
    assert str(problem).startswith("late.geojson: the file contains a NUL byte (at offset 10,045)")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"type": "FeatureCollection", "features": [', "not valid JSON"),
        ("", "not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection"}', "no 'features' list"),
        ('{"type": "FeatureCollection", "features": [42]}', "feature #0 is not a GeoJSON Feature"),
    ],
)
def test_unreadable_files(write_toy, text, words):
    folder = write_toy(lambda c: None)
    (folder / "zones.geojson").write_text(text, encoding="utf-8")
    problems = layers.validate_dir(folder)
    assert any(p.startswith("zones.geojson: ") and words in p for p in problems), problems


def test_binary_file_is_reported_not_raised(write_toy):
    folder = write_toy(lambda c: None)
    (folder / "zones.geojson").write_bytes(b"\xff\xfe\x00garbage")
    (problem,) = layers.validate_dir(folder)
    assert problem.startswith("zones.geojson: the file is UTF-16-encoded")


def test_non_wgs84_crs_member(write_toy):
    def edit(c: Collections) -> None:
        c["parks"]["crs"] = {"type": "name", "properties": {"name": "EPSG:32651"}}

    (problem,) = layers.validate_dir(write_toy(edit))
    assert problem.startswith("parks.geojson: declares the CRS")
    assert localise(problem, "zh").startswith("parks.geojson：声明的坐标系为")


def test_geometry_rules_and_counts_read_in_chinese(write_toy):
    def edit(c: Collections) -> None:
        station = c["stations"]["features"][0]
        station["geometry"] = mapping(to_lonlat(Point(100, 400)))  # 350 m north of the route
        c["sites"]["features"].pop()

    problems = layers.validate_dir(write_toy(edit))
    zh = [localise(p, "zh") for p in problems]
    assert any(
        p.startswith("stations.geojson: feature 'station-01' is 350 m from the route")
        for p in problems
    )
    assert any(t.startswith("stations.geojson: feature 'station-01' 距步道为 350 米") for t in zh)
    assert all("expected" not in t and "from the route" not in t for t in zh), zh


def test_every_problem_is_reported_together(write_toy):
    # Nine independent problems in six files: all nine come back in one error.
    together = [
        CASES[i]
        for i, case in enumerate(CASES)
        if case[0]
        in {
            "missing field",
            "string for number",
            "maximum",
            "bad enum",
            "null geometry",
            "lat lon swapped",
            "string for boolean",
            "too many",
            "invalid geometry",
        }
    ]
    assert len(together) == 9

    def edit(c: Collections) -> None:
        for case in together:
            if case[0] == "invalid geometry":  # park-a already carries a bad accuracy
                case = (
                    case[0],
                    _geometry(
                        "zones",
                        "one-city",
                        _geom(Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])),
                    ),
                    "zones.geojson",
                    "one-city",
                    "invalid geometry",
                )
            case[1](c)

    folder = write_toy(edit)
    with pytest.raises(DataValidationError) as info:
        layers.load_atlas(folder)
    problems = info.value.problems
    assert len(problems) == 9, problems
    for name, _, file_name, fid, words in together:
        if name == "invalid geometry":
            file_name, fid = "zones.geojson", "one-city"
        assert any(file_name in p and fid in p and words in p for p in problems), name
    assert str(info.value).startswith(f"9 problems in {folder}:")


def test_missing_folder():
    problems = layers.validate_dir("/no/such/folder")
    assert problems == ["folder: the data folder does not exist."]  # never the full path
    with pytest.raises(DataValidationError, match="does not exist"):
        layers.load_atlas("/no/such/folder")


def test_folder_without_datapackage_uses_the_project_schema(write_toy):
    folder = write_toy(lambda c: None)
    (folder / "datapackage.json").unlink()
    package = layers.load_schema(folder)
    assert package == json.loads((config.PACKAGE_DATA_DIR / "datapackage.json").read_text())


def test_unreadable_datapackage(write_toy):
    folder = write_toy(lambda c: None)
    (folder / "datapackage.json").write_text("{", encoding="utf-8")
    (problem,) = layers.validate_dir(folder)
    assert "datapackage.json: the data package descriptor cannot be read" in problem
    (folder / "datapackage.json").write_text("[]", encoding="utf-8")
    (problem,) = layers.validate_dir(folder)
    assert "no 'resources' list" in problem


def test_layer_missing_from_the_schema(write_toy, toy):
    _, package = toy
    package["resources"] = [r for r in package["resources"] if r["name"] != "parks"]
    problems = layers.validate_dir(write_toy(lambda c: None))
    assert problems == ["datapackage.json: no resource describes the layer 'parks'."]


def test_load_layer_raises_for_its_own_file_only(write_toy):
    folder = write_toy(_set("parks", "park-a", "accuracy_m", "20"))
    assert len(layers.load_layer("stations", data_dir=folder)) == 3
    with pytest.raises(DataValidationError, match=r"parks\.geojson: feature 'park-a'"):
        layers.load_layer("parks", data_dir=folder)


def test_no_feature_is_dropped(write_toy):
    # A bad feature stops the load; the good ones are all counted in the frame otherwise.
    folder = write_toy(lambda c: None)
    frame = layers.load_layer("sites", data_dir=folder)
    raw = json.loads(Path(folder / "sites.geojson").read_text(encoding="utf-8"))
    assert len(frame) == len(raw["features"])
    assert frame.geometry.iloc[0].equals_exact(to_lonlat(Point(300, 80)), 1e-12)


def test_data_signature_never_raises(write_toy, tmp_path):
    folder = write_toy(lambda c: None)
    before = layers.data_signature(folder)
    assert ("parks.geojson", (folder / "parks.geojson").stat().st_mtime_ns) in before
    (folder / "parks.geojson").unlink()
    (folder / "parks.geojson").symlink_to(folder / "parks.geojson")  # a loop
    assert ("parks.geojson", -1) in layers.data_signature(folder)
    assert layers.data_signature(tmp_path / "nowhere") == ()


def test_folder_problems_never_show_the_absolute_path(tmp_path):
    (tmp_path / "atlas").mkdir()
    (tmp_path / "atlas" / "datapackage.json").write_text("[" * 100_000, encoding="utf-8")
    (problem,) = layers.validate_dir(tmp_path / "atlas")
    assert problem.startswith("atlas/datapackage.json: the data package descriptor cannot be read")
    assert str(tmp_path) not in problem
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert layers.validate_dir(tmp_path / "file") == ["file: the data folder is not a folder."]
    assert layers.validate_dir(tmp_path / "none") == ["none: the data folder does not exist."]


def test_validation_problems_translate_for_the_chinese_page(write_toy):
    def edit(c):
        c["parks"]["features"][0]["properties"]["accuracy_m"] = "20"

    (problem,) = layers.validate_dir(write_toy(edit))
    assert (
        problem
        == "parks.geojson: feature 'park-a' has 'accuracy_m' = '20' (str), expected a number."
    )
    assert problem.text("zh") == (
        "parks.geojson: feature 'park-a' 的 “accuracy_m” = '20'（str），应为 number。"
    )


def test_a_descriptor_that_is_not_a_file_says_so(write_toy):
    folder = write_toy(lambda c: None)
    (folder / "datapackage.json").unlink()
    os.mkfifo(folder / "datapackage.json")  # never opened: this returns
    assert layers.validate_dir(folder) == [
        "datapackage.json: is a named pipe (FIFO) in bad, not a file."
    ]
