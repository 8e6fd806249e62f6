"""putuo_geo.measuring: measuring by tapping the map, the page's side (no browser).

The map's script sends one message per tap or switch (``putuo-geo:taps {json}``); these
tests play the browser's part with hand-written messages and a snap that rounds to a
0.01-degree grid, so every expected point can be checked on paper.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely

from putuo_geo import datum, doubt, i18n, measuring, network

# Snap "to the route" = round to the nearest 0.01 degree: (121.4049, 31.2351) -> (121.40, 31.24).


def _snap(lonlat: tuple[float, float]) -> tuple[float, float]:
    return (round(lonlat[0], 2), round(lonlat[1], 2))


def _message(seq: str, mode: str = "measure", **ends: object) -> dict:
    body = {"seq": seq, "mode": mode, **ends}
    return {"last_object_clicked_tooltip": measuring.TAP_PREFIX + json.dumps(body)}


def test_a_tap_sets_from_then_the_next_sets_to_snapped_to_the_route():
    state: dict = {"click_mode": "nearest"}
    # The first tap, on a zone fill 490 m off the route: FROM is its route point.
    assert measuring.take_message(
        state, _message("1", to=None, **{"from": [31.2351, 121.4049]}), snap=_snap
    )
    assert state["measure_from"] == "point:from"
    assert state["points"]["from"] == {"lonlat": (121.40, 31.24), "origin": "click"}
    assert state["measure_to"] is None
    assert measuring.is_measuring(state)  # the message says the map is measuring
    # The second tap (the map sends the FROM it set too: a coalesced run keeps both).
    both = {"from": [31.2351, 121.4049], "to": [31.2449, 121.4251]}
    assert measuring.take_message(state, _message("2", **both), snap=_snap)
    assert state["points"]["to"]["lonlat"] == (121.43, 31.24)
    assert (state["measure_from"], state["measure_to"]) == ("point:from", "point:to")


def test_a_message_is_acted_on_once():
    state: dict = {}
    msg = _message("7", **{"from": [31.2351, 121.4049]})
    assert measuring.take_message(state, msg, snap=_snap) is True
    state["measure_from"] = "station:st-03"  # the user chose a station meanwhile
    assert measuring.take_message(state, msg, snap=_snap) is False  # a rerun, same value
    assert state["measure_from"] == "station:st-03"


def test_an_end_left_out_stays_as_the_page_has_it():
    state: dict = {"measure_from": "station:st-03", "measure_to": None, "points": {}}
    measuring.take_message(state, _message("1", to=[31.2449, 121.4251]), snap=_snap)
    assert (state["measure_from"], state["measure_to"]) == ("station:st-03", "point:to")


def test_clear_and_switching_off():
    state: dict = {"click_mode": "from_to", "measure_from": "point:from", "measure_to": "site:x"}
    state["points"] = {"from": {"lonlat": (121.4, 31.24), "origin": "click"}}
    measuring.take_message(state, _message("1", "off", to=None, **{"from": None}), snap=_snap)
    assert (state["measure_from"], state["measure_to"]) == (None, None)
    assert state["points"] == {}
    assert state["click_mode"] == measuring.OFF_MODE
    # Switching off outside measuring leaves another mode (the planner's) alone.
    state["click_mode"] = "candidate"
    measuring.take_message(state, _message("2", "off"), snap=_snap)
    assert state["click_mode"] == "candidate"


def test_a_tap_outside_shanghai_is_refused_and_said():
    state: dict = {}
    measuring.take_message(state, _message("1", **{"from": [0.0, 0.0]}), snap=_snap)
    assert "measure_from" not in state
    assert state["click_problem"].key == "coords.problem.outside_shanghai"


def test_a_tap_on_amap_tiles_is_converted_to_wgs84_before_snapping():
    seen = []
    state: dict = {"shown_datum": "gcj02"}
    gcj = datum.convert_point((121.40, 31.24), src="wgs84", dst="gcj02")  # ~485 m apart
    measuring.take_message(
        state, _message("1", **{"from": [gcj[1], gcj[0]]}), snap=lambda p: seen.append(p) or p
    )
    assert seen[0] == pytest.approx((121.40, 31.24), abs=1e-5)


@pytest.mark.parametrize(
    "tooltip",
    [
        None,
        "Station 5",  # a feature's own tooltip
        measuring.TAP_PREFIX + "{not json",
        measuring.TAP_PREFIX + "[1, 2]",
        measuring.TAP_PREFIX + '{"mode": "measure"}',  # no seq
        measuring.TAP_PREFIX + json.dumps({"seq": "1", "pad": "x" * 2000}),  # too long
    ],
)
def test_anything_else_is_not_a_message(tooltip):
    assert measuring.read_message({"last_object_clicked_tooltip": tooltip}) is None


def test_an_unreadable_end_is_left_out():
    for bad in ([31.2, "121.4"], [31.2], [float("nan"), 121.4], [True, 121.4], "31.2,121.4"):
        found = measuring.read_message(_message("1", **{"from": bad}))
        assert found is not None
        assert "from" not in found.ends


def test_the_fit_counter_rises_once_per_new_measurement():
    state: dict = {}
    a, b, c = (121.40, 31.24), (121.43, 31.24), (121.41, 31.23)
    assert measuring.fit_request(state, None) == 0  # nothing measured: nothing to fit
    assert measuring.fit_request(state, (a, b)) == 1
    assert measuring.fit_request(state, (a, b)) == 1  # any rerun after: not again
    assert measuring.fit_request(state, (a, c)) == 2
    assert measuring.fit_request(state, None) == 2  # cleared
    assert measuring.fit_request(state, (a, c)) == 3  # asked again: fitted again


def test_a_shared_links_own_view_wins_over_fitting_its_measurement():
    state: dict = {}
    a, b = (121.40, 31.24), (121.43, 31.24)
    assert measuring.fit_request(state, (a, b), link_view=True) == 0
    assert measuring.fit_request(state, (a, (121.41, 31.23)), link_view=True) == 1  # later: fit


def _end(lonlat: tuple[float, float], chainage_m: float, offset_m: float = 0.0):
    return network.Endpoint("", None, "", "", lonlat, lonlat, offset_m, chainage_m)


# 2,500 m along the route and 100 m of walks to and from it: 2,600 m at 5 / 10 / 15 km/h
# take 31.2 / 15.6 / 10.4 minutes.
MEASURED = network.Measurement(
    start=_end((121.40, 31.24), 930.0, offset_m=60.0),
    end=_end((121.42, 31.24), 3430.0, offset_m=40.0),
    along_route_m=2500.0,
    straight_m=1900.0,
    path=shapely.LineString([(121.40, 31.24), (121.41, 31.25), (121.42, 31.24)]),
    bridges=["br-a", "br-b"],
)
BRIDGES = pd.DataFrame(
    {"id": ["br-a", "br-b"], "name_en": ["A Rd Bridge", "<b>B</b>"], "name_zh": ["甲桥", "乙桥"]}
)


def test_the_answer_card_says_length_times_bridges_and_modelled_share():
    half = doubt.PathDoubt(
        length_m=2500, confirmed_m=1250, modelled_m=1250, off_route_m=0, worst_accuracy_m=500
    )
    found = measuring.answer(
        MEASURED,
        end_labels=("Station 1", "Point B · km 3.43"),
        bridge_names=measuring.bridge_names(BRIDGES, lang="en"),
        path_doubt=half,
        lang="en",
    )
    assert found.along == "≈ 2.5 km"  # half of it modelled: rounded to 100 m
    assert found.times == (("On foot", "31 min"), ("Running", "16 min"), ("Cycling", "10 min"))
    assert found.bridges == ("A Rd Bridge", "<b>B</b>")
    assert found.doubt == "50 % of it on modelled route (± 500 m)"
    html = measuring.card_html(found, lang="en")
    assert "Bridges crossed: 2 (A Rd Bridge, &lt;b&gt;B&lt;/b&gt;)" in html  # data escaped
    assert "<b>B</b>" not in html
    assert "Along the route <b>≈ 2.5 km</b>" in html


def test_the_card_in_chinese_and_without_bridges_or_doubt():
    bare = network.Measurement(
        MEASURED.start, MEASURED.end, 2500.0, 1900.0, MEASURED.path, bridges=[]
    )
    found = measuring.answer(
        bare, end_labels=("甲", "乙"), bridge_names={}, path_doubt=None, lang="zh"
    )
    html = measuring.card_html(found, lang="zh")
    assert i18n.tr("answer.no_bridges", "zh") in html
    assert "pg-answer-doubt" not in html
    assert found.along == "2.50 km"


def test_tapped_ends_are_named_by_their_place_on_the_route():
    labels = measuring.card_labels(
        MEASURED, keys=("point:from", "station:st-01"), labels=("Map click A", "No. 1"), lang="en"
    )
    assert labels == ("Point A · km 0.93", "No. 1")


def test_the_map_mode_and_the_drawn_ends():
    assert measuring.map_mode({"click_mode": "from_to"}, candidate_mode="candidate") == "measure"
    assert (
        measuring.map_mode({"click_mode": "candidate"}, candidate_mode="candidate") == "candidate"
    )
    assert measuring.map_mode({}, candidate_mode="candidate") == "pick"

    class Place:
        lonlat = (121.4, 31.24)

    state = {"measure_from": "site:x", "measure_to": "gone"}
    ends = measuring.drawn_ends(state, {"site:x": Place()}, draw_datum="wgs84")
    assert ends == {"from": [31.24, 121.4]}


def test_the_path_bounds_hold_the_path_and_both_places():
    bounds = measuring.path_bounds(MEASURED, draw_datum="wgs84")
    assert bounds == [[31.24, 121.40], [31.25, 121.42]]  # the path's bend is the north
