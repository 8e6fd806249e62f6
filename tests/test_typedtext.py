"""Input the way people type it (issue 23 §3): the one normaliser and every channel it serves.

The samples are the issue's; each class (full-width forms, invisible characters, bidi
controls, lone surrogates, blank-looking text) is tried on every channel that reads
typed or pasted text: the pair parser, typed coordinates, the site search, a link's
parameters and an upload's names, ids and file name.
"""

from __future__ import annotations

import json

import pytest

from putuo_geo import coordinput, latlon, layers, overview, permalink, typedtext, uploads
from putuo_geo.errors import DataValidationError

WUNING = (121.4216, 31.2381)  # lon, lat as Amap copies it: "121.4216,31.2381"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("１２１.４２１６，３１.２３８１", "121.4216,31.2381"),  # full-width digits and comma
        ("121．4216，31．2381", "121.4216,31.2381"),  # full-width points
        ("长\u200b风", "长风"),  # a pasted zero-width space
        ("ＣＨＡＮＧＦＥＮＧ", "CHANGFENG"),
        ("Ｍ５０", "M50"),
        ("\ufeffM50\u200d", "M50"),  # byte-order mark, zero-width joiner
        ("evil\u202egpj.csv", "evilgpj.csv"),  # right-to-left override
        ("a\u2066b\u2069\u200e\u200f\u061c", "ab"),  # isolates and marks
        ("Caf\u00e9 \ud800", "Café \ufffd"),  # a lone surrogate becomes U+FFFD
        ("\u200b", ""),  # only invisible: blank
        ("\u0301\u0301", ""),  # only combining marks: blank
        (" \u200b\u0301 ", ""),
        ("e\u0301", "é"),  # a combining mark on a letter is kept (composed)
    ],
)
def test_normalise(typed, expected):
    assert typedtext.normalise(typed) == expected
    typedtext.normalise(typed).encode("utf-8")  # never a UnicodeEncodeError


@pytest.mark.parametrize(
    "typed",
    [
        "１２１.４２１６，３１.２３８１",
        "121．4216，31．2381",
        "121.4216、31.2381",
        "121.4216,\u200b31.2381",
        "\u200b121.4216 31.2381\u200b",
        "\ufeff121.4216,31.2381",
    ],
)
def test_the_pair_parser_reads_pairs_as_typed(typed):
    assert latlon.read_pair(typed) == WUNING
    point = coordinput.read_point(typed, order="lnglat", datum="wgs84")
    assert point.problem is None
    assert point.lonlat == pytest.approx(WUNING)


@pytest.mark.parametrize("typed", ["\u200b", "121.4216", "121.4216、31.2381、1", "\ufdfa" * 10])
def test_the_pair_parser_still_refuses_what_is_not_a_pair(typed):
    assert latlon.read_pair(typed) is None


@pytest.fixture(scope="module")
def sites():
    return layers.load_atlas("geo").sites


@pytest.mark.parametrize(
    ("query", "plain"),
    [("ＣＨＡＮＧＦＥＮＧ", "changfeng"), ("Ｍ５０", "m50"), ("长\u200b风", "长风")],
)
def test_the_site_search_finds_what_people_type(sites, query, plain):
    found = overview.filter_sites(sites, query=query)
    assert len(found) > 0
    assert list(found["id"]) == list(overview.filter_sites(sites, query=plain)["id"])


@pytest.mark.parametrize("query", ["\u200b", "\u200b\u200b ", "\u0301"])
def test_an_invisible_query_is_no_search(sites, query):
    assert len(overview.filter_sites(sites, query=query)) == len(sites)


def test_link_values_are_read_as_typed():
    link = permalink.decode(
        {"q": "\u200b", "from": "31.2381、121.4216", "c": "３１.２３５，１２１.４１", "z": "１５"}
    )
    assert link.problems == ()
    assert link.query is None  # ?q=%E2%80%8B: no search, not an empty-looking box
    assert link.from_ref == WUNING
    assert link.center_lonlat == (121.41, 31.235)
    assert link.zoom == 15
    assert permalink.decode({"q": "Ｍ５０"}).query == "M50"


def _geojson(props):
    feature = {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": list(WUNING)},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_an_upload_with_lone_surrogates_everywhere_reads_and_encodes():
    # json.dumps writes "\ud800" as the escape a hostile file holds: valid JSON.
    data = _geojson({"name": "Caf\u00e9 \ud800", "id": "x\ud800", "category": "\ud800c"})
    layer = uploads.read_upload(data, file_name="a\ud800\u202egpj.geojson")
    assert layer.file_name == "a\ufffdgpj.geojson"
    row = layer.frame.iloc[0]
    assert (row["name_en"], row["category"], row["id_in_file"]) == (
        "Café \ufffd",
        "\ufffdc",
        "x\ufffd",
    )
    json.dumps(layer.frame.drop(columns="geometry").to_dict("records")).encode("utf-8")
    layer.title.encode("utf-8")


@pytest.mark.parametrize("name", ["\u200b", "\u0301\u0301", "\u202e", "\ufeff \u200d"])
def test_an_upload_name_that_shows_nothing_is_no_name(name):
    with pytest.raises(DataValidationError) as caught:
        uploads.read_upload(_geojson({"name": name}), file_name="x.geojson")
    assert [p.key for p in caught.value.problems] == ["upload.problem.no_name"]


def test_an_upload_name_loses_its_bidi_override_and_csv_numbers_read_as_typed():
    text = "name,lon,lat\nevil\u202egnp.exe,１２１.４２１６,\u200b31.2381\n"
    layer = uploads.read_upload(text.encode(), file_name="x\u202evsc.csv")
    assert layer.file_name == "xvsc.csv"
    assert layer.frame.iloc[0]["name_en"] == "evilgnp.exe"
    assert (layer.frame.geometry.x[0], layer.frame.geometry.y[0]) == pytest.approx(WUNING)


@pytest.mark.parametrize(
    "typed", ["ＭＥＮＧＱＩＮＧ　ＧＡＲＤＥＮ", "梦\u200b清园", "\ufeffpark-mengqing"]
)
def test_the_command_finds_places_typed_the_way_people_type(typed):
    from putuo_geo import places

    atlas = layers.load_atlas("geo")
    assert places.resolve_place(typed, atlas).id == "park-mengqing"
