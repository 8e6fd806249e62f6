"""putuo_geo.permalink: encode and decode the page state (pure functions)."""

from __future__ import annotations

import pytest

from putuo_geo import permalink
from putuo_geo.permalink import Link

FULL = Link(
    lang="zh",
    basemap="amap",
    categories=("culture_heritage", "transport"),
    query="寺",
    from_ref="station:st-03",
    to_ref=(121.4216301, 31.2380599),
    center_lonlat=(121.41, 31.236),
    zoom=16,
)


def test_encode_writes_every_field_in_a_fixed_order():
    assert permalink.encode(FULL) == {
        "lang": "zh",
        "base": "amap",
        "cat": "culture_heritage,transport",
        "q": "寺",
        "from": "station:st-03",
        "to": "31.238060,121.421630",  # lat,lon, 6 decimals
        "c": "31.236000,121.410000",
        "z": "16",
    }
    assert list(permalink.encode(FULL)) == list(permalink.KEYS)


def test_round_trip():
    back = permalink.decode(permalink.encode(FULL))
    assert back == Link(
        lang="zh",
        basemap="amap",
        categories=("culture_heritage", "transport"),
        query="寺",
        from_ref="station:st-03",
        to_ref=(121.42163, 31.23806),
        center_lonlat=(121.41, 31.236),
        zoom=16,
    )
    assert back.problems == ()


def test_defaults_are_left_out_and_no_categories_is_explicit():
    assert permalink.encode(Link()) == {}
    assert permalink.encode(Link(categories=())) == {"cat": "-"}
    assert permalink.decode({"cat": "-"}).categories == ()
    assert permalink.decode({}).categories is None  # all


def test_decode_takes_the_last_of_repeated_values_and_ignores_unknown_keys():
    link = permalink.decode({"lang": ["en", "zh"], "utm_source": "x"})
    assert link.lang == "zh"


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"z": "abc"}, "z='abc' is not a zoom level."),
        ({"z": "40"}, "z=40 is outside 0-22."),
        ({"c": "north"}, "c='north' is not lat,lon."),
        ({"c": "95,121"}, "c='95,121' is not lat,lon."),
        ({"from": "anywhere"}, "from='anywhere' is neither a place key nor lat,lon."),
    ],
)
def test_bad_values_are_dropped_and_named(params, problem):
    link = permalink.decode(params)
    assert link.problems == (problem,)
    assert link.zoom is None
    assert link.center_lonlat is None
    assert link.from_ref is None


def test_restore_keeps_what_the_page_offers():
    link = Link(
        lang="fr",
        basemap="tianditu",
        categories=("transport", "alchemy"),
        from_ref="station:gone",
        to_ref=(121.4, 31.2),
        zoom=15,
    )
    restored = permalink.restore(
        link,
        languages=("en", "zh"),
        basemaps=("osm", "amap", "none"),
        categories=("commerce", "transport"),
        places=("station:st-01",),
    )
    assert restored.lang is None
    assert restored.basemap is None
    assert restored.categories == ["transport"]
    assert restored.from_key is None
    assert restored.to_key == "point:to"
    assert restored.points == {"to": (121.4, 31.2)}
    assert restored.zoom == 15
    assert restored.problems == (
        "lang='fr' is not offered.",
        "base='tianditu' is not offered here.",
        "cat='alchemy' is not a category.",
        "from='station:gone' is not a place.",
    )


def test_url_replaces_any_old_query():
    params = {"lang": "zh", "from": "station:st-03", "to": "31.238060,121.421630", "q": "玉佛 寺"}
    url = permalink.url("http://localhost:8501/?lang=en#top", params)
    assert url == (
        "http://localhost:8501/?lang=zh&from=station:st-03&to=31.238060,121.421630"
        "&q=%E7%8E%89%E4%BD%9B+%E5%AF%BA"
    )
    assert permalink.url("http://h/", {}) == "http://h/"
