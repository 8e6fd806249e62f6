"""putuo_geo.mapevents.event_layer: the selected event edition on the map.

On the editions of ``event_toy`` (a 2,500 m course: km markers at 1 and 2 km, water
stations every 1 km).
"""

from __future__ import annotations

import json

import event_toy
import folium
import paper_toy
import pytest

from putuo_geo import datum, mapevents, maplayer, mapview


@pytest.fixture(scope="module")
def atlas_map():
    atlas = paper_toy.build_toy_atlas()
    return mapview.build_map(atlas), atlas.sites


def _data(group: folium.FeatureGroup) -> dict:
    (layer,) = [c for c in group._children.values() if isinstance(c, maplayer.DataLayer)]
    return layer.data


def _kinds(data: dict) -> list[str]:
    return [f["properties"]["kind"] for f in data["features"]]


def test_a_course_is_a_line_with_start_finish_km_markers_and_water_stations():
    props, geometry = event_toy.row("race-a")
    data = _data(mapevents.event_layer(props, geometry))
    assert _kinds(data) == [
        "course",
        "course_km",
        "course_km",
        "course_water",
        "course_water",
        "course_end",
        "course_end",
    ]
    line = data["features"][0]
    assert line["geometry"]["coordinates"][0] == pytest.approx(list(geometry.coords[0]), abs=1e-6)
    names = [f["properties"]["n"] for f in data["features"][1:5]]
    assert names == ["km 1", "km 2", "Water station (1 km)", "Water station (2 km)"]


def test_the_course_card_has_kind_dates_length_against_the_race_and_source():
    props, geometry = event_toy.row("race-a")
    data = _data(mapevents.event_layer(props, geometry, lang="en"))
    card = maplayer.card_html(data["features"][0]["properties"], data["cards"])
    for text in ("race", "22 Apr 2023", "2.50 km", "21.0975 km", "18.60 km short of it", "Paper A"):
        assert text in card, text
    zh = _data(mapevents.event_layer(props, geometry, lang="zh"))
    card = maplayer.card_html(zh["features"][0]["properties"], zh["cards"])
    for text in ("赛跑", "2023年4月22日", "2.50 公里", "相差 18.60 公里", "来源"):
        assert text in card, text


def test_a_venue_is_one_marker_and_its_data_text_is_escaped():
    props, geometry = event_toy.row("fest-c")
    group = mapevents.event_layer(props, geometry, lang="en")
    data = _data(group)
    assert _kinds(data) == ["venue"]
    assert data["features"][0]["properties"]["n"] == "Fest &lt;b&gt;C&lt;/b&gt; (C节)"
    shipped = json.dumps(data, ensure_ascii=False)
    assert "<script" not in shipped
    assert "&lt;script&gt;" in shipped
    assert "<b>" not in group.layer_name
    card = maplayer.card_html(data["features"][0]["properties"], data["cards"])
    assert "21 Apr 2024" in card


def test_the_event_is_drawn_in_the_basemaps_datum():
    props, geometry = event_toy.row("boat-b")
    data = _data(mapevents.event_layer(props, geometry, datum="gcj02"))
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    expected = datum.convert_point((geometry.x, geometry.y), src="wgs84", dst="gcj02")
    assert (lon, lat) == pytest.approx(expected, abs=1e-6)


def test_compose_adds_the_event_layer_only_when_one_is_selected(atlas_map):
    base, sites = atlas_map
    plain = mapview.compose(base, sites=sites, total_sites=len(sites))
    chosen = mapview.compose(
        base, sites=sites, total_sites=len(sites), event=event_toy.row("race-a")
    )
    assert len(chosen.dynamic) == len(plain.dynamic) + 1
    assert chosen.dynamic[-1].layer_name == "Event: Race A 2023"
