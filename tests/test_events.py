"""putuo_geo.events: dates, validation, courses on the paper toy, GPX and the command.

The toy (tests/paper_toy.py): left bank y = 50 and right bank y = 0 from x = 0 to
1000 m, one walkable bridge at x = 600; station-01 at (100, 50), station-02 at
(100, 0), station-03 at (900, 0); park-a (Changfeng Park) is the square 100-200 m,
so its point (150, 150) is 100 m from the left bank.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import gpxpy
import pytest
from paper_toy import lonlat
from shapely.geometry import mapping

from putuo_geo import cli, config, events, exports, layers
from putuo_geo.errors import DataValidationError
from putuo_geo.network import RouteNetwork


def row(**given: str) -> dict[str, str]:
    base = {
        "id": "event-x",
        "name_en": "X",
        "name_zh": "某活动",
        "kind": "race",
        "start_date": "2024-03-24",
        "end_date": "2024-03-24",
        "status": "indicative",
        "accuracy_m": "60",
        "geometry": "venue",
        "venue": "station-01",
        "start": "",
        "waypoints": "",
        "finish": "",
        "water_stations_every_m": "",
        "water_stations_source": "",
        "source": "a test",
    }
    return {**base, **given}


COURSE = {
    "geometry": "course",
    "venue": "",
    "start": "station-01",
    "waypoints": "station-03",
    "finish": "station-02",
}


# ------------------------------------------------------------------------------ dates


def test_iso_dates_parse_and_others_are_refused():
    assert events.parse_date("2024-03-24") == dt.date(2024, 3, 24)
    for bad in ("24/03/2024", "2024-3-24", "20240324", "2024-02-30", ""):
        with pytest.raises(ValueError, match=r"ISO 8601|real calendar"):
            events.parse_date(bad)


def test_dates_in_both_languages():
    day = dt.date(2024, 4, 21)
    assert events.format_date(day, "zh") == "2024年4月21日"
    assert events.format_date(day, "en") == "21 Apr 2024"
    assert events.format_date_range("2024-06-01", "2024-06-02", "en") == "1 Jun 2024 – 2 Jun 2024"
    assert (
        events.format_date_range("2024-06-01", "2024-06-02", "zh") == "2024年6月1日至2024年6月2日"
    )
    assert events.format_date_range("2024-06-01", "2024-06-01", "zh") == "2024年6月1日"


def test_rows_sort_by_start_then_end_then_id():
    rows = events.parse_rows(
        [
            row(id="c", start_date="2025-03-23", end_date="2025-03-23"),
            row(id="b", start_date="2023-06-17", end_date="2023-06-18"),
            row(id="a", start_date="2023-06-17", end_date="2023-06-18"),
            row(id="d", start_date="2023-06-17", end_date="2023-06-17"),
        ]
    )
    assert [r.id for r in rows] == ["d", "a", "b", "c"]


def test_every_problem_is_listed_naming_its_row():
    with pytest.raises(DataValidationError) as info:
        events.parse_rows(
            [
                row(id="ok"),
                row(id="backwards", start_date="2024-06-02", end_date="2024-06-01"),
                row(id="not-iso", start_date="24 March 2024"),
                row(id="odd-kind", kind="parade"),
                row(id="no-finish", **{**COURSE, "finish": ""}),
                row(id="thirsty", water_stations_every_m="5000"),
            ]
        )
    problems = info.value.problems
    assert len(problems) == 5
    expected = [
        ("line 3 (backwards)", "end_date 2024-06-01 is before start_date 2024-06-02"),
        ("line 4 (not-iso)", "start_date '24 March 2024' is not an ISO 8601 date"),
        ("line 5 (odd-kind)", "unknown kind 'parade'"),
        ("line 6 (no-finish)", "needs both 'start' and 'finish'"),
        ("line 7 (thirsty)", "water stations need 'water_stations_source'"),
    ]
    for problem, (where, what) in zip(problems, expected, strict=True):
        assert problem.startswith(f"events.csv {where}: ")
        assert what in problem


# ------------------------------------------------------------------ courses on paper


@pytest.fixture
def toy_atlas(toy_dir: Path) -> layers.Atlas:
    return layers.load_atlas(toy_dir)


def _metric(geom: Any) -> Any:
    return gpd.GeoSeries([geom], crs=config.WEB_CRS).to_crs(config.METRIC_CRS).iloc[0]


def test_course_length_on_paper(toy_atlas):
    # station-01 (100, 50) -> left bank to x = 600 (500) -> bridge (50) -> right bank
    # to station-03 at x = 900 (300) -> back along the right bank to station-02 at
    # x = 100 (800): 1650 m.
    network = RouteNetwork.from_atlas(toy_atlas)
    course = events.draw_course(
        ["station-01", "station-03", "station-02"], atlas=toy_atlas, network=network
    )
    assert course.along_route_m == pytest.approx(1650.0, abs=1e-3)
    assert _metric(course.path).length == pytest.approx(1650.0, abs=1e-3)
    assert course.bridges == ("bridge-a",)
    assert [ref for ref, _ in course.offsets_m] == ["station-01", "station-03", "station-02"]
    assert all(offset == pytest.approx(0.0, abs=1e-3) for _, offset in course.offsets_m)


def test_a_course_leaving_the_route_by_more_than_its_accuracy_is_refused(toy_atlas):
    network = RouteNetwork.from_atlas(toy_atlas)
    far = events.parse_rows([row(id="far", accuracy_m="50", **{**COURSE, "finish": "park-a"})])
    with pytest.raises(DataValidationError) as info:
        events.build_features(far, atlas=toy_atlas, network=network)
    (problem,) = info.value.problems
    assert problem.startswith("events.csv line 2 (far): 'park-a' is 100 m from the route")
    near = events.parse_rows([row(id="near", accuracy_m="150", **{**COURSE, "finish": "park-a"})])
    ((props, _),) = events.build_features(near, atlas=toy_atlas, network=network)
    # 850 m to station-03 as above, then back west on the right bank to the bridge
    # (300), across (50) and west on the left bank to park-a's route point at
    # x = 150 (450): 850 + 800 = 1650 m.
    assert props["along_route_m"] == pytest.approx(1650.0, abs=0.1)


def test_an_unknown_place_is_named_with_its_row(toy_atlas):
    network = RouteNetwork.from_atlas(toy_atlas)
    rows = events.parse_rows([row(id="lost", venue="no-such-place")])
    with pytest.raises(DataValidationError, match=r"line 2 \(lost\): .*no-such-place"):
        events.build_features(rows, atlas=toy_atlas, network=network)


def _toy_events(toy_dir: Path, toy_atlas: layers.Atlas) -> gpd.GeoDataFrame:
    """Build and write the toy's events.geojson (a venue and a 1650 m course)."""
    rows = events.parse_rows(
        [
            row(id="toy-venue", kind="festival", start_date="2023-09-17", end_date="2023-10-16"),
            row(
                id="toy-race",
                water_stations_every_m="500",
                water_stations_source="toy source",
                **COURSE,
            ),
        ]
    )
    features = events.build_features(
        rows, atlas=toy_atlas, network=RouteNetwork.from_atlas(toy_atlas)
    )
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": mapping(g)} for p, g in features
        ],
    }
    (toy_dir / "events.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return events.load_events(toy_dir)


def test_km_markers_and_sourced_water_stations_on_paper(toy_dir, toy_atlas):
    frame = _toy_events(toy_dir, toy_atlas)
    race = frame[frame["id"] == "toy-race"].iloc[0]
    cmap = events.course_map(race.to_dict(), race.geometry)
    assert cmap.along_route_m == pytest.approx(1650.0, abs=0.1)
    assert "21.0975 km" in cmap.length_note
    assert "streets" in cmap.length_note
    # km 1: 850 m reaches station-03 at x = 900; 150 m more west on the right bank.
    ((d, at),) = cmap.km_markers
    assert d == 1000.0
    expected = _metric(gpd.points_from_xy([lonlat(750, 0)[0]], [lonlat(750, 0)[1]])[0])
    assert _metric(gpd.points_from_xy([at[0]], [at[1]])[0]).distance(expected) < 0.05
    assert [d for d, _ in cmap.water_stations] == [500.0, 1000.0, 1500.0]
    venue = frame[frame["id"] == "toy-venue"].iloc[0]
    with pytest.raises(ValueError, match="not a course"):
        events.course_map(venue.to_dict(), venue.geometry)


def test_no_water_stations_without_a_source(toy_dir, toy_atlas):
    frame = _toy_events(toy_dir, toy_atlas)
    race = frame[frame["id"] == "toy-race"].iloc[0].to_dict()
    race["water_stations_every_m"] = None
    cmap = events.course_map(race, race["geometry"])
    assert cmap.water_stations == []
    assert cmap.water_note.startswith("No source places")


def test_gpx_round_trip(toy_dir, toy_atlas):
    frame = _toy_events(toy_dir, toy_atlas)
    race = frame[frame["id"] == "toy-race"].iloc[0]
    cmap = events.course_map(race.to_dict(), race.geometry)
    text = exports.course_gpx(
        cmap.path_lonlat,
        name="Toy race",
        km_markers=cmap.km_markers,
        water_stations=cmap.water_stations,
        source="toy",
    )
    gpx = gpxpy.parse(text)
    (track,) = gpx.tracks
    assert track.name == "Toy race"
    points = [(p.longitude, p.latitude) for p in track.segments[0].points]
    assert points == [(round(x, 6), round(y, 6)) for x, y in cmap.path_lonlat]
    assert [(w.type, w.name) for w in gpx.waypoints] == [
        ("km_marker", "1 km"),
        ("water_station", "0.5 km"),
        ("water_station", "1 km"),
        ("water_station", "1.5 km"),
    ]


def test_upcoming_and_past_split_and_filters(toy_dir, toy_atlas):
    frame = _toy_events(toy_dir, toy_atlas)
    ahead, past = events.upcoming_and_past(frame, today=dt.date(2024, 1, 1))
    assert list(ahead["id"]) == ["toy-race"]
    assert list(past["id"]) == ["toy-venue"]
    # An edition still running on `today` is upcoming.
    ahead, past = events.upcoming_and_past(frame, today=dt.date(2023, 10, 16))
    assert list(ahead["id"]) == ["toy-venue", "toy-race"]
    ahead, _ = events.upcoming_and_past(frame, today=dt.date(2020, 1, 1), kinds=["race"])
    assert list(ahead["id"]) == ["toy-race"]
    only_2023 = events.filter_events(
        frame, date_from=dt.date(2023, 10, 1), date_to=dt.date(2023, 12, 31)
    )
    assert list(only_2023["id"]) == ["toy-venue"]
    with pytest.raises(ValueError, match="before it starts"):
        events.filter_events(frame, date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 1, 1))


# -------------------------------------------------------------------------- command


def test_cli_json_lists_editions_with_course_lengths(toy_dir, toy_atlas, capsys):
    _toy_events(toy_dir, toy_atlas)
    assert cli.main(["events", "--data", str(toy_dir), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in items] == ["toy-venue", "toy-race"]
    assert set(items[0]) == {
        "id",
        "name_en",
        "name_zh",
        "kind",
        "start_date",
        "end_date",
        "source",
    }
    assert items[1]["along_route_m"] == pytest.approx(1650.0, abs=0.1)
    assert cli.main(["events", "--data", str(toy_dir), "--from", "2024-01-01", "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)] == ["toy-race"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024/01/01"], "--from: '2024/01/01' is not an ISO 8601 date"),
        (["--to", "2024-02-30"], "--to: '2024-02-30' is not a real calendar date"),
        (["--from", "2024-02-01", "--to", "2024-01-01"], "ends (2024-01-01) before it starts"),
    ],
)
def test_cli_bad_dates_exit_1_with_a_clear_message(toy_dir, toy_atlas, capsys, args, message):
    _toy_events(toy_dir, toy_atlas)
    assert cli.main(["events", "--data", str(toy_dir), *args]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_the_real_courses_are_drawn_and_explained():
    frame = events.load_events()
    courses = frame[frame["geometry_kind"] == "course"]
    assert len(courses) >= 3
    for item in courses.to_dict("records"):
        assert 0 < item["along_route_m"] < events.HALF_MARATHON_M
        assert "21.0975 km" in item["length_note"]
        assert item["start_date"] <= item["end_date"]


@pytest.mark.parametrize("bad", ["\x01", "\x1b[31m", "\ud800", "\ufffe"], ids=repr)
def test_the_course_gpx_is_well_formed_whatever_the_name_holds(bad):
    # Issue 23 §5: the one GPX writer without the XML-safe filter.
    import xml.etree.ElementTree as ET

    text = exports.course_gpx(
        [(121.40, 31.24), (121.41, 31.24)], name=f"Race {bad} name", source=f"src {bad}"
    )
    ET.fromstring(text.encode("utf-8"))
    assert gpxpy.parse(text).tracks[0].name.startswith("Race ")


@pytest.mark.parametrize("typed", ["２０２４-０１-０１", "2024－01－01", "\u200b2024-01-01"])
def test_cli_dates_typed_full_width_are_read(toy_dir, toy_atlas, capsys, typed):
    # Issue 23 §5: "２０２４-０１-０１" was "not a real calendar date".
    _toy_events(toy_dir, toy_atlas)
    assert cli.main(["events", "--data", str(toy_dir), "--from", typed, "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)] == ["toy-race"]
