"""putuo_geo.page, the events panel's part: listing, filters, selection, details, GPX, link.

On the three editions of ``event_toy`` (checked on paper there). Kept apart from
tests/test_page.py so the panel's tests travel with it.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import event_toy
import gpxpy
import pytest

from putuo_geo import errors, page, permalink

TODAY = dt.date(2024, 5, 1)  # between fest-c (21 Apr 2024) and boat-b (1-2 Jun 2024)


def _view(state: dict, *, today: dt.date = TODAY, lang: str = "en") -> page.EventView:
    return page.event_view(state, event_toy.frame(), today=today, lang=lang)


def test_upcoming_soonest_first_past_latest_first():
    view = _view({})
    assert list(view.upcoming["id"]) == ["boat-b"]
    assert list(view.past["id"]) == ["fest-c", "race-a"]
    assert view.ids == ["boat-b", "fest-c", "race-a"]
    assert view.selected is None


def test_with_every_edition_past_the_upcoming_list_is_empty():
    view = _view({}, today=dt.date(2026, 12, 2))
    assert view.upcoming.empty
    assert list(view.past["id"]) == ["boat-b", "fest-c", "race-a"]


def test_an_edition_still_running_today_is_upcoming():
    view = _view({}, today=dt.date(2024, 6, 2))  # boat-b's second day
    assert list(view.upcoming["id"]) == ["boat-b"]


def test_filters_by_kind_and_by_date_range():
    state: dict = {"event_kinds": ["race", "festival"]}
    assert _view(state).ids == ["fest-c", "race-a"]
    state = {"event_from": dt.date(2024, 1, 1), "event_to": dt.date(2024, 4, 30)}
    assert _view(state).ids == ["fest-c"]
    state = {"event_from": dt.date(2024, 6, 2)}  # overlaps boat-b's last day
    assert _view(state).ids == ["boat-b"]
    assert _view({"event_kinds": []}).ids == []  # no kind chosen: nothing listed


def test_a_range_that_ends_before_it_starts_is_said_and_not_applied():
    state = {"event_from": dt.date(2024, 6, 1), "event_to": dt.date(2024, 1, 1)}
    view = _view(state)
    assert view.ids == ["boat-b", "fest-c", "race-a"]
    assert view.range_note == (
        "The date range ends (1 Jan 2024) before it starts (1 Jun 2024); dates are not filtered."
    )
    zh = _view(state, lang="zh").range_note
    assert zh is not None
    assert "2024年1月1日" in zh
    assert "2024年6月1日" in zh


def test_selection_gives_properties_and_geometry_and_the_filters_can_drop_it():
    state: dict = {"event": "race-a"}
    props, geometry = _view(state).selected  # type: ignore[misc]
    assert props["id"] == "race-a"
    assert props["geometry_kind"] == "course"
    assert geometry.geom_type == "LineString"
    state["event_kinds"] = ["water_sport"]  # the map shows what the panel lists
    assert _view(state).selected is None
    assert state["event"] == page.NO_EVENT
    state = {"event": "gone"}
    assert _view(state).selected is None
    assert state["event"] == page.NO_EVENT


def test_an_old_language_label_brings_the_last_selection_back():
    state: dict = {"event": "boat-b"}
    _view(state)
    state["event"] = "1 Jun 2024 – 2 Jun 2024 · Boat B 2024 · water sport"  # a label
    assert _view(state).selected is not None
    assert state["event"] == "boat-b"


def test_labels_and_lines_in_both_languages():
    props, _ = event_toy.row("boat-b")
    assert (
        page.event_label(props, lang="en") == "1 Jun 2024 – 2 Jun 2024 · Boat B 2024 · water sport"
    )
    assert page.event_label(props, lang="zh") == "2024年6月1日至2024年6月2日 · B龙舟2024 · 水上运动"
    fest, _ = event_toy.row("fest-c")
    assert page.event_label(fest, lang="en").startswith("21 Apr 2024 · ")
    assert page.event_label(fest, lang="zh").startswith("2024年4月21日 · ")
    lines = page.event_lines(_view({}).past, lang="en")
    assert lines.splitlines()[0] == r"- **21 Apr 2024** · Fest \<b\>C\<\/b\> · festival"


def test_details_of_a_course_set_its_length_against_the_race():
    props, _ = event_toy.row("race-a")
    lines = page.event_details(props, lang="en")
    assert lines[0] == "**Race A 2023 \\(A赛2023\\)**"
    assert "2\\.50 km" in lines[1]
    assert "21\\.0975 km" in lines[1]
    assert lines[2].startswith("18\\.60 km short of it")  # 21.0975 - 2.5, on paper
    assert lines[3].startswith("Water stations\\: Every 1 km")
    assert lines[-1] == "Source\\: Paper A"
    zh = page.event_details(props, lang="zh")
    assert zh[2].startswith("相差 18\\.60 公里")
    assert zh[3].startswith("饮水站：")


def test_details_escape_the_data():
    props, _ = event_toy.row("fest-c")
    text = "\n".join(page.event_details(props, lang="en"))
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\\*Paper\\*" in text


def test_the_course_gpx_is_well_formed_with_its_track_and_markers():
    props, geometry = event_toy.row("race-a")
    item = page.event_download(props, geometry, lang="zh")
    assert item is not None
    assert (item.file_name, item.mime, item.label_key) == (
        "race-a.gpx",
        page.GPX_MIME,
        "events.gpx_download",
    )
    xml = item.data()
    ET.fromstring(xml)  # well-formed
    gpx = gpxpy.parse(xml)
    (track,) = gpx.tracks
    assert track.name == "A赛2023（Race A 2023）"
    points = track.segments[0].points
    assert len(points) == 2
    assert (points[0].longitude, points[0].latitude) == pytest.approx(geometry.coords[0])
    names = sorted(w.name for w in gpx.waypoints)
    assert names == ["1 km", "1 km", "2 km", "2 km"]  # km markers and water stations
    assert page.event_download(*event_toy.row("boat-b"), lang="en") is None  # a venue


def test_the_link_carries_the_selection_and_restores_it():
    state: dict = {
        "lang": "en",
        "basemap_key": "osm",
        "measure_from": "station:a",
        "measure_to": "station:b",
        "event": "race-a",
        "link": permalink.decode({"event": "boat-b"}),
    }
    places = {k: page.Choice(k, (121.4, 31.2)) for k in ("station:a", "station:b")}
    assert page.link_params(state, categories=[], places=places)["event"] == "race-a"
    state["event"] = page.NO_EVENT
    assert "event" not in page.link_params(state, categories=[], places=places)
    restored = page.restore_link(
        state, basemaps=["osm"], categories=[], place_keys=[], event_ids=["boat-b"]
    )
    assert restored.event == "boat-b"
    assert state["event"] == "boat-b"
    state = {"link": permalink.decode({"event": "boat-z"})}
    restored = page.restore_link(state, basemaps=[], categories=[], place_keys=[], event_ids=[])
    assert [p.key for p in restored.problems] == ["link.problem.event"]
    assert "event" not in state


def test_without_an_events_layer_nothing_is_listed_or_selected():
    state: dict = {"event": "race-a"}
    view = page.event_view(state, None, today=TODAY, lang="en")
    assert not view.available
    assert view.ids == []
    assert view.selected is None
    assert state["event"] == page.NO_EVENT
    broken = page.event_view({}, None, today=TODAY, lang="en", problems=["events.geojson: bad"])
    assert broken.available
    assert broken.problems == ("events.geojson: bad",)


def test_why_nothing_is_listed_names_no_server_path_and_follows_the_language(tmp_path):
    # Issue 22 §1: the panel wrote the raw folder, and the problems in English on the
    # Chinese page; it now calls this (tested) function.
    folder = tmp_path / "atlas-2026"
    missing = page.event_view({}, None, today=TODAY, lang="zh")
    kind, text = page.event_unshown(missing, folder, lang="zh")
    assert kind == "caption"
    assert str(tmp_path) not in text
    assert "atlas\\-2026" in text  # named, escaped
    problem = errors.Problem("data.problem.missing", file="events.geojson", folder="atlas-2026")
    broken = page.event_view({}, None, today=TODAY, lang="zh", problems=[problem])
    kind, text = page.event_unshown(broken, folder, lang="zh")
    assert kind == "error"
    assert str(tmp_path) not in text
    assert problem.text("zh") in text.replace("\\", "")
    assert str(problem) not in text.replace("\\", "")  # not the English sentence
    assert page.event_unshown(_view({}), folder, lang="en") is None


def test_event_fit_on_paper():
    from shapely.geometry import LineString, Point

    # 0.01 degrees of longitude at zoom 15: 256 * 2**15 * 0.01 / 360 = 233 px (fits 340);
    # at zoom 16 it would be 466 px.
    assert page.event_fit(LineString([(0, 0), (0.01, 0)])) == ((0.005, 0.0), 15)
    assert page.event_fit(Point(121.4, 31.2)) == ((121.4, 31.2), 16)  # a venue: deepest
    assert page.event_fit(LineString([(0, 0), (1, 0)]))[1] == 13  # never wider than the belt


def test_a_new_selection_brings_it_into_view_once():
    state: dict = {"event": "race-a"}
    _view(state)
    (lon, lat), zoom = state["view_apply"]
    _, geometry = event_toy.row("race-a")
    assert (lon, lat) == pytest.approx(geometry.centroid.coords[0], abs=1e-9)  # a straight line
    # At latitude 31.25 a pixel is 156543 m * cos(31.25 deg) / 2**z: 8.17 m at zoom 14,
    # so 2,500 m take 306 px (fits 360); at zoom 15, 612 px.
    assert zoom == 14
    state["view_apply"] = "kept"  # e.g. the visitor's own view carried over
    _view(state)
    assert state["view_apply"] == "kept"  # not fitted again on the next run


def test_a_link_with_its_own_view_keeps_it():
    state: dict = {"link": permalink.decode({"event": "boat-b", "c": "31.2,121.4", "z": "14"})}
    page.restore_link(state, basemaps=[], categories=[], place_keys=[], event_ids=["boat-b"])
    _view(state)
    assert state["view_apply"] == ((121.4, 31.2), 14)
