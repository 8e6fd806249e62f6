"""putuo_geo.uploads: bring-your-own-layer parsing, limits, datum conversion; and the page's
session-state path (AppTest cannot upload a file; the uploader's callback fills
``upload_source``, which the test sets directly)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app import unescape_markdown

from putuo_geo import datum, layers, network, uploads
from putuo_geo.errors import DataValidationError

ROOT = Path(__file__).resolve().parent.parent
# Two points on the creek's banks near Changfeng Park (WGS-84 lon, lat).
A_LONLAT = (121.3946, 31.2330)
B_LONLAT = (121.4120, 31.2320)


def _csv(rows: list[str], header: str = "name,lng,lat") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")


def _point(lon: float, lat: float, **props) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


@pytest.mark.parametrize(
    "header", ["name,lon,lat", "name,lng,lat", "Name,Longitude,Latitude", "lat,name,lon"]
)
def test_csv_column_names(header):
    cols = [c.strip().lower() for c in header.split(",")]
    row = {"name": "A", "lon": "121.40", "lng": "121.40", "longitude": "121.40"}
    row.update({"lat": "31.24", "latitude": "31.24"})
    layer = uploads.read_upload(
        _csv([",".join(row[c] for c in cols)], header=header), file_name="a.csv"
    )
    assert len(layer.frame) == 1
    assert (layer.frame.geometry.x[0], layer.frame.geometry.y[0]) == (121.40, 31.24)


@pytest.mark.parametrize("datum_name", ["gcj02", "bd09"])
def test_datum_is_converted_to_wgs84(datum_name):
    x, y = datum.convert_lonlat([A_LONLAT[0]], [A_LONLAT[1]], src="wgs84", dst=datum_name)
    layer = uploads.read_upload(
        _csv([f"A,{float(x[0])!r},{float(y[0])!r}"]), file_name="a.csv", datum_name=datum_name
    )
    point = layer.frame.geometry.iloc[0]
    assert point.x == pytest.approx(A_LONLAT[0], abs=1e-8)
    assert point.y == pytest.approx(A_LONLAT[1], abs=1e-8)
    assert layer.datum == datum_name


def test_geojson_ids_are_prefixed_and_made_unique():
    data = _geojson(
        [
            _point(*A_LONLAT, id="st-01", name="A"),
            _point(*B_LONLAT, id="st-01", name_zh="乙"),
            _point(*B_LONLAT, name="C"),
        ]
    )
    frame = uploads.read_upload(data, file_name="x.geojson").frame
    assert list(frame["id"]) == ["upload-st-01", "upload-st-01-2", "upload-3"]
    assert list(frame["name_en"]) == ["A", "乙", "C"]
    assert list(frame["id_in_file"]) == ["st-01", "st-01", ""]


def test_every_problem_is_listed_and_nothing_is_kept():
    data = _geojson(
        [
            _point(*A_LONLAT, name="ok"),
            _point(A_LONLAT[1], A_LONLAT[0], name="swapped"),
            _point(116.39, 39.91, name="Beijing"),
            _point(*A_LONLAT),
            {
                "type": "Feature",
                "properties": {"name": "line"},
                "geometry": {"type": "LineString", "coordinates": [list(A_LONLAT), list(B_LONLAT)]},
            },
            {"type": "Feature", "properties": {"name": "nothing"}, "geometry": None},
        ]
    )
    with pytest.raises(DataValidationError) as info:
        uploads.read_upload(data, file_name="p.geojson")
    problems = info.value.problems
    assert len(problems) == 5
    assert any("feature #2" in p and "swapped" in p for p in problems)
    assert any("feature #3" in p and "outside Shanghai" in p for p in problems)
    assert any("feature #4" in p and "no name" in p for p in problems)
    assert any("feature #5" in p and "LineString, expected Point" in p for p in problems)
    assert any("feature #6" in p and "no geometry" in p for p in problems)
    assert "the upload p.geojson" in str(info.value)


def test_csv_row_problems_name_row_and_line():
    with pytest.raises(DataValidationError) as info:
        uploads.read_upload(
            _csv(["A,121.4,31.24", "B,east,31.2", ",121.4,31.24"]), file_name="c.csv"
        )
    assert info.value.problems == [
        "c.csv: row 2 (line 3) has lon/lat 'east', '31.2', not two numbers.",
        "c.csv: row 3 (line 4) has no name (give a name, name_en or name_zh).",
    ]


def test_csv_without_coordinate_columns():
    with pytest.raises(DataValidationError, match="needs a longitude column"):
        uploads.read_upload(_csv(["A,1,2"], header="name,x,y"), file_name="c.csv")


def test_size_and_count_limits(monkeypatch):
    with pytest.raises(DataValidationError, match="over the 5 MB upload limit"):
        uploads.read_upload(b" " * (uploads.MAX_UPLOAD_BYTES + 1), file_name="big.csv")
    monkeypatch.setattr(uploads, "MAX_UPLOAD_FEATURES", 3)
    rows = [f"s{i},121.40,31.24" for i in range(4)]
    with pytest.raises(DataValidationError, match="more than 3 rows"):
        uploads.read_upload(_csv(rows), file_name="many.csv")
    with pytest.raises(DataValidationError, match="has 4 features, over the limit of 3"):
        uploads.read_upload(_geojson([_point(*A_LONLAT, name="a")] * 4), file_name="m.json")


def test_encoding_and_json_problems_are_named():
    with pytest.raises(DataValidationError, match="GBK/GB18030"):
        uploads.read_upload(
            _csv(["长风公园,121.4,31.24"]).decode().encode("gbk"), file_name="g.csv"
        )
    with pytest.raises(DataValidationError, match="UTF-16"):
        uploads.read_upload(_csv(["A,121.4,31.24"]).decode().encode("utf-16"), file_name="u.csv")
    with pytest.raises(DataValidationError, match="not valid JSON"):
        uploads.read_upload(b"{", file_name="x.geojson")


def test_long_text_is_a_problem_not_a_truncation():
    long_name = "A" * (uploads.MAX_TEXT_CHARS + 1)
    with pytest.raises(DataValidationError, match="of 501 characters"):
        uploads.read_upload(_csv([f"{long_name},121.4,31.24"]), file_name="l.csv")


def test_file_name_keeps_only_the_last_part():
    layer = uploads.read_upload(_csv(["A,121.4,31.24"]), file_name="..\\..\\x/<b>.csv")
    assert layer.file_name == "<b>.csv"


# ---------------------------------------------------------------- the page


def _page(source: tuple[str, bytes] | None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["upload_source"] = source
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _map_feature_group(at: AppTest) -> str:
    (component,) = [
        c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")
    ]
    return json.loads(component.proto.json_args)["feature_group"] or ""


def test_page_shows_an_upload_on_the_map_and_measures_from_it():
    data = _csv(
        [f"Proposal A,{A_LONLAT[0]},{A_LONLAT[1]}", f"Proposal B,{B_LONLAT[0]},{B_LONLAT[1]}"]
    )
    at = _page(("plan.csv", data))
    assert _map_feature_group(at).count('"kind":"upload"') == 2
    at.selectbox(key="measure_from").set_value("upload:upload-1")
    at.selectbox(key="measure_to").set_value("upload:upload-2")
    at.run()
    atlas = layers.load_atlas()
    expected = network.RouteNetwork.from_atlas(atlas).measure(A_LONLAT, B_LONLAT)
    (along,) = [
        v for m in at.markdown for v in re.findall(r"Along the route \*\*(.+?)\*\*", m.value)
    ]
    from putuo_geo import display

    assert along == display.format_length(expected.along_route_m)
    # The name search filters the user's layer too; the checkbox hides it.
    at.text_input(key="query").set_value("Proposal B")
    at.run()
    assert _map_feature_group(at).count('"kind":"upload"') == 1
    at.checkbox(key="upload_show").uncheck()
    at.run()
    assert '"kind":"upload"' not in _map_feature_group(at)


def test_page_lists_upload_problems_and_keeps_the_map():
    at = _page(("bad.csv", _csv(["A,31.24,121.40", ",121.4,31.24"])))
    (panel,) = at.error
    text = unescape_markdown(panel.value)
    assert "The upload cannot be shown: 2 problem(s)." in text
    assert "bad.csv: row 1 (line 2)" in text
    assert "swapped" in text
    assert "row 2 (line 3) has no name" in text
    assert at.get("component_instance")  # the built-in map is still there
    assert '"kind":"upload"' not in _map_feature_group(at)


def test_page_converts_with_the_chosen_datum():
    x, y = datum.convert_lonlat([A_LONLAT[0]], [A_LONLAT[1]], src="wgs84", dst="gcj02")
    at = _page(("g.csv", _csv([f"A,{float(x[0])!r},{float(y[0])!r}"])), upload_datum="gcj02")
    group = _map_feature_group(at)
    assert f"[{round(A_LONLAT[0], 6)},{round(A_LONLAT[1], 6)}]" in group  # compact JSON


def test_an_upload_is_one_sessions_only():
    data = _csv([f"Mine,{A_LONLAT[0]},{A_LONLAT[1]}"])
    mine = _page(("mine.csv", data))
    other = _page(None)
    assert '"kind":"upload"' in _map_feature_group(mine)
    assert '"kind":"upload"' not in _map_feature_group(other)
    assert not any(k.startswith("upload:") for k in other.selectbox(key="measure_from").options)


@pytest.mark.parametrize(
    ("data", "file_name", "words"),
    [
        (b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000, "d.geojson", "too deeply"),
        (b"[" * 900 + b"]" * 900, "d900.geojson", "not a GeoJSON FeatureCollection"),
        (
            _geojson([]).replace(b"[]", b"[" + b"9" * 5000 + b"]"),
            "n.geojson",
            "number too long",
        ),
        (_csv(["A,121.4,31.24"]) + b" " * 5000 + b"\x00", "late.csv", "NUL byte (at offset 5,027)"),
        (b"name,lng,lat\n" + b"A," * 200_000 + b"\n", "wide.csv", "not two numbers"),
        (b"name,lng,lat\nA," + b"x" * 200_000 + b"\n", "cell.csv", "not a readable CSV"),
    ],
    ids=[
        "deep_json",
        "deep_but_parseable",
        "huge_integer",
        "nul_after_4kb",
        "wide_row",
        "huge_cell",
    ],
)
def test_pathological_files_are_problems_not_crashes(data, file_name, words):
    with pytest.raises(DataValidationError) as info:
        uploads.read_upload(data, file_name=file_name)
    assert any(words in p for p in info.value.problems), info.value.problems


def test_a_deeply_nested_geometry_or_id_is_a_problem():
    nested: object = [121.4, 31.24]
    for _ in range(800):
        nested = [nested]
    feature = _point(*A_LONLAT, name="a")
    feature["geometry"]["coordinates"] = nested
    feature["properties"]["id"] = nested
    with pytest.raises(DataValidationError, match="feature #1"):
        uploads.read_upload(_geojson([feature]), file_name="deep.geojson")


@pytest.mark.parametrize("name", ["A\x01B", "tab\tinside", "nul\x00", "esc\x1b[31m", "c1\x85c"])
def test_control_characters_in_names_are_refused(name):
    data = _geojson([_point(*A_LONLAT, name=name)])
    with pytest.raises(DataValidationError, match="control characters") as info:
        uploads.read_upload(data, file_name="ctl.geojson")
    assert "U+00" in info.value.problems[0]


def test_a_hostile_file_name_is_cleaned():
    name = "../../etc/" + "\x00\x1b" + "x" * 10_000 + ".csv"
    layer = uploads.read_upload(_csv(["A,121.4,31.24"]), file_name=name)
    assert len(layer.file_name) == uploads.MAX_FILE_NAME_CHARS
    assert not uploads.CONTROL_CHARS.search(layer.file_name)


@pytest.mark.parametrize("row", ["Far,0,0", "Sydney,151,-33.5", "Beijing,116.397,39.909"])
def test_points_outside_shanghai_are_refused(row):
    with pytest.raises(DataValidationError, match="outside Shanghai") as info:
        uploads.read_upload(_csv([row]), file_name="far.csv")
    # The sentence typed coordinates, links and the command use.
    assert "check the numbers and the coordinate system." in info.value.problems[0]


def test_problems_are_translatable_and_the_panel_is_capped():
    from putuo_geo import errors, safety

    rows = [f",east{i},31.2" for i in range(5000)]  # two problems each: 10,000
    with pytest.raises(DataValidationError) as info:
        uploads.read_upload(_csv(rows), file_name="bad.csv")
    problems = info.value.problems
    assert len(problems) == 10_000  # nothing dropped from the error itself
    assert str(info.value).startswith("10,000 problem(s) in the upload bad.csv")
    first = problems[0]
    assert isinstance(first, errors.Problem)
    assert first == "bad.csv: row 1 (line 2) has lon/lat 'east0', '31.2', not two numbers."
    assert (
        first.text("zh")
        == "bad.csv：第 1 条记录（第 2 行） 的经度/纬度为 'east0'、'31.2'，不是两个数字。"
    )
    panel = safety.problem_bullets(problems, lang="zh")
    lines = panel.splitlines()
    assert len(lines) == safety.MAX_LISTED_PROBLEMS + 1
    assert "9,970" in lines[-1].replace("\\", "")
    assert "另有" in lines[-1]
    assert len(panel) < 10_000
