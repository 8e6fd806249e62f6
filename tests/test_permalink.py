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
    event="event-half-marathon-2023",
    planner=True,
    speed_kmh=4.0,
    minutes=20,
    reach="st-05",
    candidates=((121.4, 31.24), (121.4123456, 31.2456789)),
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
        "event": "event-half-marathon-2023",
        "plan": "1",
        "speed": "4",
        "min": "20",
        "reach": "st-05",
        "cand": "31.240000,121.400000;31.245679,121.412346",
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
        event="event-half-marathon-2023",
        planner=True,
        speed_kmh=4.0,
        minutes=20,
        reach="st-05",
        candidates=((121.4, 31.24), (121.412346, 31.245679)),
    )
    assert back.problems == ()


def test_planner_settings_are_written_only_while_it_is_on():
    off = Link(planner=False, speed_kmh=4.0, minutes=20, reach="st-05")
    assert permalink.encode(off) == {}
    assert permalink.decode({"speed": "4"}).planner is False


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"plan": "yes"}, "plan"),
        ({"plan": "1", "speed": "fast"}, "speed"),
        ({"plan": "1", "min": "1e9"}, "min"),
        ({"plan": "1", "reach": "<b>"}, "reach"),
        ({"plan": "1", "cand": "31.24,121.40;0,0"}, "cand"),
    ],
)
def test_unreadable_planner_values_are_named_and_left_out(params, name):
    link = permalink.decode(params)
    assert [p.params["name"] for p in link.problems] == [name]
    if name == "cand":
        assert link.candidates == ((121.4, 31.24),)  # the good one is kept


def test_restore_keeps_only_the_planner_settings_offered():
    link = permalink.decode({"plan": "1", "speed": "6", "min": "20", "reach": "st-99"})
    back = permalink.restore(
        link,
        languages=["en"],
        basemaps=[],
        categories=[],
        places=[],
        speeds_kmh=[5.0, 4.0],
        minutes=[5, 10, 15, 20],
        stations=["st-01"],
    )
    assert (back.planner, back.speed_kmh, back.minutes, back.reach) == (True, None, 20, None)
    assert sorted(p.params["name"] for p in back.problems) == ["reach", "speed"]


def test_a_long_candidate_list_is_cut_and_said():
    text = ";".join(f"31.24,121.{400 + k:03d}" for k in range(permalink.MAX_CANDIDATES + 5))
    link = permalink.decode({"plan": "1", "cand": text})
    assert len(link.candidates) == permalink.MAX_CANDIDATES
    assert [p.key for p in link.problems] == ["link.problem.cand_cut"]


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


def test_a_link_with_only_unknown_categories_shows_every_site_and_says_so():
    """Issue 24: cat=culture (not a key) used to show 0 of 41 sites and say nothing."""
    kwargs = {"languages": ("en",), "basemaps": ("osm",), "places": ()}
    cats = ("commerce", "transport")
    restored = permalink.restore(permalink.decode({"cat": "culture"}), categories=cats, **kwargs)
    assert restored.categories is None  # every site, as with no cat= at all
    assert restored.problems == (
        "cat='culture' is not a category.",
        "None of the link's categories is known: every site is shown.",
    )
    assert [p.key for p in restored.problems] == ["link.problem.cat", "link.problem.cat_all"]
    # a deliberate "none" still shows none; a known one among unknown ones is kept
    nothing = permalink.restore(permalink.decode({"cat": "-"}), categories=cats, **kwargs)
    assert nothing.categories == []
    assert nothing.problems == ()
    some = permalink.restore(permalink.decode({"cat": "x,commerce"}), categories=cats, **kwargs)
    assert some.categories == ["commerce"]


def test_url_replaces_any_old_query():
    params = {"lang": "zh", "from": "station:st-03", "to": "31.238060,121.421630", "q": "玉佛 寺"}
    url = permalink.url("http://localhost:8501/?lang=en#top", params)
    assert url == (
        "http://localhost:8501/?lang=zh&from=station:st-03&to=31.238060,121.421630"
        "&q=%E7%8E%89%E4%BD%9B+%E5%AF%BA"
    )
    assert permalink.url("http://h/", {}) == "http://h/"


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"z": "inf"}, "link.problem.zoom"),
        ({"z": "nan"}, "link.problem.zoom"),
        ({"z": "1e999"}, "link.problem.zoom"),
        ({"z": "-Infinity"}, "link.problem.zoom"),
        ({"z": "9" * 5000}, "link.problem.too_long"),
        ({"z": "9" * 1000}, "link.problem.zoom"),
        ({"z": "1e3"}, "link.problem.zoom"),
        ({"z": "-1"}, "link.problem.zoom_range"),
        ({"c": "nan,nan"}, "link.problem.center"),
        ({"c": "inf,121.4"}, "link.problem.center"),
        ({"c": "1e999,121.4"}, "link.problem.center"),
        ({"c": "91,0"}, "link.problem.center"),  # centre off the globe
        ({"from": "nan,121.4"}, "link.problem.ref"),
        ({"from": "95,121.4"}, "link.problem.ref"),
        ({"to": "0,0"}, "link.problem.outside_shanghai"),
        ({"from": "-33.5,151"}, "link.problem.outside_shanghai"),
        ({"from": "x" * 100_000}, "link.problem.too_long"),
        ({"cat": "a," * 10_000}, "link.problem.too_long"),
    ],
)
def test_non_finite_and_pathological_values_are_problems_never_exceptions(params, key):
    link = permalink.decode(params)
    assert [p.key for p in link.problems] == [key]
    assert (link.zoom, link.center_lonlat, link.from_ref, link.to_ref) == (None,) * 4


def test_points_anywhere_on_earth_are_refused_like_typed_coordinates():
    # ?from=0,0&to=31.23,121.40 measured an 18,211 km line in UTM 51N (truly 12,963 km).
    link = permalink.decode({"from": "0,0", "to": "31.23,121.40"})
    assert link.from_ref is None
    assert link.to_ref == (121.40, 31.23)
    (problem,) = link.problems
    assert "outside Shanghai" in problem
    assert "上海市范围" in problem.text("zh")


def test_a_long_search_text_is_cut_and_named():
    link = permalink.decode({"q": "寺" * 5000})
    assert link.query == "寺" * permalink.MAX_QUERY_CHARS
    assert [p.key for p in link.problems] == ["link.problem.query_cut"]


def test_problems_are_translatable_and_english_as_text():
    restored = permalink.restore(
        permalink.decode({"from": "station:gone", "z": "99", "base": "tianditu"}),
        languages=("en", "zh"),
        basemaps=("osm",),
        categories=(),
        places=("station:st-01",),
    )
    assert [p.key for p in restored.problems] == [
        "link.problem.zoom_range",
        "link.problem.base",
        "link.problem.place",
    ]
    assert restored.problems[2] == "from='station:gone' is not a place."
    assert restored.problems[2].text("zh") == "from='station:gone' 不是地点。"


def test_an_uploaded_end_is_written_as_its_coordinates():
    # upload:... keys live in one session; a new session could not restore them.
    assert permalink.ref_for("station:st-03", (121.4, 31.2)) == "station:st-03"
    assert permalink.ref_for("site:jade-buddha", (121.4, 31.2)) == "site:jade-buddha"
    assert permalink.ref_for("upload:upload-1", (121.42163, 31.23806)) == (121.42163, 31.23806)
    assert permalink.ref_for("point:from", (121.4, 31.2)) == (121.4, 31.2)
    link = Link(from_ref=permalink.ref_for("upload:upload-1", (121.42163, 31.23806)))
    params = permalink.encode(link)
    assert params == {"from": "31.238060,121.421630"}
    assert permalink.decode(params).from_ref == pytest.approx((121.42163, 31.23806))


def test_restore_refuses_a_point_outside_shanghai_in_a_hand_built_link():
    restored = permalink.restore(
        Link(from_ref=(0.0, 0.0), to_ref=(121.4, 31.23)),
        languages=("en",),
        basemaps=(),
        categories=(),
        places=(),
    )
    assert restored.from_key is None
    assert restored.points == {"to": (121.4, 31.23)}
    assert [p.key for p in restored.problems] == ["link.problem.outside_shanghai"]


def test_the_selected_event_is_restored_when_offered_and_named_when_not():
    offered = ("event-half-marathon-2023", "event-dragon-boat-2024")

    def restored(params: dict[str, str]) -> permalink.Restored:
        return permalink.restore(
            permalink.decode(params),
            languages=("en", "zh"),
            basemaps=(),
            categories=(),
            places=(),
            events=offered,
        )

    assert restored({"event": "event-dragon-boat-2024"}).event == "event-dragon-boat-2024"
    assert restored({}).event is None
    gone = restored({"event": "event-half-marathon-2031"})
    assert gone.event is None
    assert [p.key for p in gone.problems] == ["link.problem.event"]
    assert (
        gone.problems[0] == "event='event-half-marathon-2031' is not an event edition on this page."
    )
    assert gone.problems[0].text("zh") == "event='event-half-marathon-2031' 不是本页的活动届次。"
    # Not an id at all (the layer's id pattern): named by decode, never looked up.
    odd = restored({"event": "<script>"})
    assert odd.event is None
    assert [p.key for p in odd.problems] == ["link.problem.event"]
    assert permalink.decode({"event": "Event 1"}).event is None


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"c": "31.25,121.4"}, ["link.problem.view_half"]),
        ({"z": "15"}, ["link.problem.view_half"]),
        ({"c": "31.25,121.4", "z": "x"}, ["link.problem.zoom", "link.problem.view_half"]),
        ({"c": "x", "z": "15"}, ["link.problem.center", "link.problem.view_half"]),
    ],
)
def test_half_a_view_is_dropped_and_named(params, keys):
    link = permalink.decode(params)
    assert (link.center_lonlat, link.zoom) == (None, None)
    assert [p.key for p in link.problems] == keys
