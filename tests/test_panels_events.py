"""The events panel on the page (AppTest), against the data folder the page would show.

Every expected edition, date and id comes from ``putuo_geo.events`` for that folder.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from page_support import page_data_dir, skip_reason
from streamlit.testing.v1 import AppTest

from panels import events as events_panel
from putuo_geo import events, page, permalink

APP = str(Path(__file__).resolve().parent.parent / "app.py")
COURSE = "event-half-marathon-2023"

pytestmark = pytest.mark.skipif(
    skip_reason() is not None or not (page_data_dir() / "events.geojson").is_file(),
    reason=skip_reason() or "no events.geojson in the data folder",
)


@pytest.fixture(scope="module")
def frame():
    return events.load_events(page_data_dir())


def _run(at: AppTest | None = None, *, opened: bool = True, **params: str) -> AppTest:
    """Run the page; ``opened``: with the events panel's expander open (closed by default)."""
    if at is None:
        at = AppTest.from_file(APP, default_timeout=120)
        for k, v in params.items():
            at.query_params[k] = v
        if opened:
            at.session_state[page.EVENTS_OPEN_KEY] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _map_layers(at: AppTest) -> str:
    (component,) = [
        c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")
    ]
    return json.loads(component.proto.json_args)["feature_group"] or ""


def _count(script: str, kind: str) -> int:
    return script.count(f'"kind":"{kind}"')  # compact JSON (maplayer.inline_json)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_panel_is_closed_until_opened_or_named_by_a_link(frame):
    closed = _run(opened=False)
    assert not closed.get("date_input")  # its widgets are not drawn (nor their scripts sent)
    assert [e.label for e in closed.expander if "Events" in e.label] == ["Events on the creek"]
    linked = _run(opened=False, event=COURSE)
    assert len(linked.get("date_input")) == 2
    assert linked.selectbox(key=page.EVENT_KEY).value == COURSE


def test_a_selection_outlives_the_panel_closing(frame):
    at = _run()
    at.selectbox(key=page.EVENT_KEY).set_value(COURSE)
    _run(at)
    at.session_state[page.EVENTS_OPEN_KEY] = False
    _run(at)
    assert _count(_map_layers(at), "course") >= 1  # still on the map while closed
    at.session_state[page.EVENTS_OPEN_KEY] = True
    _run(at)
    assert at.selectbox(key=page.EVENT_KEY).value == COURSE


def test_the_panel_lists_every_edition_upcoming_then_past(frame):
    at = _run()
    upcoming, past = events.upcoming_and_past(frame, today=events_panel.today())
    options = at.selectbox(key="event").options
    assert len(options) == 1 + len(frame)
    text = _markdown(at)
    for row in past.itertuples():
        assert events.format_date_range(row.start_date, row.end_date, "en") in text
    if upcoming.empty:  # today's data: every edition is past, and the page says so
        infos = [i.value for i in at.info]
        assert any(v.startswith("No upcoming edition known") for v in infos), infos
    assert _count(_map_layers(at), "course") == 0  # nothing selected: no event drawn


def test_filter_by_kind_and_by_dates(frame):
    at = _run()
    at.multiselect(key="event_kinds").set_value(["water_sport"])
    _run(at)
    boats = frame[frame["kind"] == "water_sport"]
    assert len(at.selectbox(key="event").options) == 1 + len(boats)
    at.multiselect(key="event_kinds").set_value(list(events.KINDS))
    at.date_input(key="event_from").set_value(dt.date(2024, 1, 1))
    at.date_input(key="event_to").set_value(dt.date(2024, 12, 31))
    _run(at)
    in_2024 = events.filter_events(
        frame, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)
    )
    assert len(in_2024) >= 1
    assert len(at.selectbox(key="event").options) == 1 + len(in_2024)
    at.date_input(key="event_to").set_value(dt.date(2023, 1, 1))  # ends before it starts
    _run(at)
    assert any("before it starts" in w.value for w in at.warning)
    assert len(at.selectbox(key="event").options) == 1 + len(frame)  # dates not filtered


def test_selecting_a_course_draws_it_and_puts_it_in_the_url(frame):
    at = _run()
    at.selectbox(key="event").set_value(COURSE)
    _run(at)
    assert at.query_params["event"] == COURSE
    layers = _map_layers(at)
    row = frame.set_index("id").loc[COURSE]
    course = events.course_map({"id": COURSE, **row.drop(labels="geometry")}, row["geometry"])
    assert _count(layers, "course") == 1
    assert _count(layers, "course_km") == len(course.km_markers)
    assert _count(layers, "course_water") == len(course.water_stations)
    assert "22 Apr 2023" in layers
    (gpx,) = [b for b in at.get("download_button") if b.proto.label == "Download the course (GPX)"]
    assert gpx.proto.label
    text = _markdown(at)
    assert "21\\.0975 km" in text
    at.selectbox(key="event").set_value(page.NO_EVENT)
    _run(at)
    assert "event" not in at.query_params
    assert _count(_map_layers(at), "course") == 0


def test_a_link_with_event_restores_it_and_dates_follow_the_language(frame):
    at = _run(event=COURSE, lang="zh")
    assert at.selectbox(key="event").value == COURSE
    assert _count(_map_layers(at), "course") == 1
    assert "2023年4月22日" in _markdown(at)
    assert "2023年4月22日" in _map_layers(at)
    at.segmented_control(key="lang").set_value("en")
    _run(at)
    assert at.selectbox(key="event").value == COURSE  # kept across the switch
    assert at.selectbox(key="event").proto.set_value  # resent under its new label
    assert "22 Apr 2023" in _markdown(at)
    assert at.query_params["event"] == COURSE


def test_a_link_to_an_unknown_event_is_named_and_the_page_opens():
    at = _run(event="event-half-marathon-2031")
    assert at.selectbox(key="event").value == page.NO_EVENT
    restored: permalink.Restored = at.session_state["restored"]
    assert [p.key for p in restored.problems] == ["link.problem.event"]
    assert "event" not in at.query_params
    assert not at.error


def test_a_folder_without_events_shows_the_map_and_says_so(tmp_path, monkeypatch):
    import paper_toy

    folder = paper_toy.write_toy_atlas(tmp_path / "geo")
    monkeypatch.setenv("PUTUO_GEO_DATA", str(folder))
    at = _run(event=COURSE)
    assert not at.error
    assert any("has no events layer" in c.value for c in at.caption)
    restored: permalink.Restored = at.session_state["restored"]
    assert [p.key for p in restored.problems] == ["link.problem.event"]


def test_a_broken_events_file_is_listed_and_the_page_still_works(tmp_path, monkeypatch):
    import paper_toy

    folder = paper_toy.write_toy_atlas(tmp_path / "geo")
    (folder / "events.geojson").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("PUTUO_GEO_DATA", str(folder))
    at = _run()
    (error,) = [e.value for e in at.error]
    assert error.startswith("**The events layer in")
    assert "events\\.geojson\\: not valid JSON" in error
    assert at.selectbox(key="measure_from").options  # the rest of the page is there
