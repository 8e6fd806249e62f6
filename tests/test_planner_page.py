"""The planner view's page state (putuo_geo.planner_page), click routing (putuo_geo.page)
and map layers (putuo_geo.planmap), without Streamlit, on the shipped data."""

from __future__ import annotations

import csv
import io

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from putuo_geo import (
    config,
    coverage,
    datum,
    layers,
    mapcontrols,
    maplayer,
    mapstyle,
    mapview,
    network,
    overview,
    page,
    planmap,
    planner_page,
)


@pytest.fixture(scope="module")
def model_and_stations():
    atlas = layers.load_atlas(config.PACKAGE_DATA_DIR)
    model = coverage.CoverageModel.from_atlas(atlas)
    return model, model.stations(atlas.stations)


def _gap_mid(model, stations):
    """The middle of the longest stretch over 5 min at 4 km/h (there is one today)."""
    fig = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    assert fig["longest_gap"]["length_m"] > 0
    return tuple(fig["longest_gap"]["mid_lonlat"])


def test_candidate_mode_is_offered_only_while_the_planner_is_on():
    state: dict = {"click_mode": "candidate"}
    assert page.click_modes(state) == ["nearest", "from_to"]
    assert state["click_mode"] == "nearest"  # put back: the radio cannot hold it
    state[page.PLANNER_KEY] = True
    assert page.click_modes(state) == ["nearest", "from_to", "candidate"]


def test_switching_the_planner_on_routes_clicks_to_candidates_and_off_back():
    state: dict = {"click_mode": "from_to", page.PLANNER_KEY: True}
    page.planner_switched(state)
    assert state["click_mode"] == "candidate"
    state[page.PLANNER_KEY] = False
    state[page.CANDIDATE_CLICK_KEY] = (121.4, 31.2)
    page.planner_switched(state)
    assert state["click_mode"] == "nearest"
    assert page.CANDIDATE_CLICK_KEY not in state


def test_a_new_click_in_candidate_mode_waits_for_the_planner_and_fills_no_end():
    state: dict = {"click_mode": "candidate", page.PLANNER_KEY: True}
    click = {"last_clicked": {"lat": 31.25, "lng": 121.44}}
    assert page.take_map_return(state, click) == (121.44, 31.25)
    assert state[page.CANDIDATE_CLICK_KEY] == (121.44, 31.25)
    assert "points" not in state  # FROM/TO untouched
    del state[page.CANDIDATE_CLICK_KEY]
    page.take_map_return(state, click)  # the same click again: nothing new
    assert page.CANDIDATE_CLICK_KEY not in state
    off = {"click_mode": "candidate"}  # planner off: a candidate click is not taken
    page.take_map_return(off, click)
    assert page.CANDIDATE_CLICK_KEY not in off


def test_a_click_in_the_gap_becomes_a_candidate_and_shortens_the_gap(model_and_stations):
    model, stations = model_and_stations
    mid = _gap_mid(model, stations)
    state: dict = {page.CANDIDATE_CLICK_KEY: mid}
    cands = planner_page.current_candidates(state, model, stations=stations, lang="en")
    assert len(cands) == 1
    assert page.CANDIDATE_CLICK_KEY not in state
    assert planner_page.problems(state, lang="en") == []
    what = model.compare(stations, cands, speed_kmh=4, minutes=5)
    before, after = what.before.figures(), what.after.figures()
    assert after["covered_share"] >= before["covered_share"]
    assert what.candidates[0]["closes"]
    text = planner_page.what_if_text(what, None, lang="en")
    assert any("closes a stretch over 5 min" in line for line in text.per_candidate)
    assert not any("indicative" in line for line in text.before + text.after)  # banner once


def test_refused_clicks_are_not_kept_and_say_why_in_the_page_language(model_and_stations):
    model, stations = model_and_stations
    state: dict = {}
    far = (121.30, 31.10)  # outside Putuo
    state[page.CANDIDATE_CLICK_KEY] = far
    assert planner_page.current_candidates(state, model, stations=stations, lang="zh") == ()
    (msg,) = planner_page.problems(state, lang="zh")
    assert "普陀区以外" in msg
    assert "第 1 个点击点" in msg
    english: dict = {page.CANDIDATE_CLICK_KEY: far}
    planner_page.current_candidates(english, model, stations=stations, lang="en")
    (msg_en,) = planner_page.problems(english, lang="en")
    assert "outside Putuo" in msg_en
    assert "clicked point 1" in msg_en
    assert "1 candidate problem" in planner_page.problems_markdown(english, lang="en")
    # on a station: a duplicate
    state[page.CANDIDATE_CLICK_KEY] = stations[0].on_route_lonlat
    planner_page.current_candidates(state, model, stations=stations, lang="en")
    (dup,) = planner_page.problems(state, lang="en")
    assert "duplicate" in dup
    assert stations[0].id in dup
    assert state[planner_page.CANDIDATES_KEY] == []


def test_upload_points_all_or_none_then_clear(model_and_stations):
    model, stations = model_and_stations
    mid = _gap_mid(model, stations)
    good = gpd.GeoDataFrame(
        {"name_en": ["Proposed A"], "name_zh": ["建议甲"]}, geometry=[Point(mid)], crs=4326
    )
    bad = gpd.GeoDataFrame(
        {"name_en": ["Fine", "Far"], "name_zh": ["", ""]},
        geometry=[Point(mid), Point(121.30, 31.10)],
        crs=4326,
    )
    state: dict = {}
    assert not planner_page.add_upload(
        state, model, bad, stations=stations, file_name="mine.csv", lang="en"
    )
    (msg,) = planner_page.problems(state, lang="en")
    assert msg.startswith("mine.csv: row 2 (Far)")
    assert state.get(planner_page.CANDIDATES_KEY) == []
    assert planner_page.add_upload(
        state, model, good, stations=stations, file_name="mine.csv", lang="en"
    )
    (cand,) = planner_page.current_candidates(state, model, stations=stations, lang="en")
    assert cand.name_en == "Proposed A"
    planner_page.clear_candidates(state)
    assert planner_page.current_candidates(state, model, stations=stations, lang="en") == ()


def test_the_csv_has_the_stations_csv_columns(model_and_stations):
    model, stations = model_and_stations
    state: dict = {page.CANDIDATE_CLICK_KEY: _gap_mid(model, stations)}
    cands = planner_page.current_candidates(state, model, stations=stations, lang="en")
    item = planner_page.candidates_csv(model, cands, date="2026-12-02")
    rows = list(csv.DictReader(io.StringIO(item.data())))
    header = (config.PACKAGE_DATA_DIR / "inputs" / "stations.csv").read_text().splitlines()[0]
    assert tuple(rows[0]) == tuple(header.split(","))
    assert rows[0]["anchor"] == "candidate-1"
    assert rows[0]["method"] == "point"
    assert item.mime == "text/csv"


def test_tables_carry_ranges_and_spacing(model_and_stations):
    model, stations = model_and_stations
    cov = model.coverage(stations, speed_kmh=4, minutes=5)
    ranges = model.sensitivity(stations, speed_kmh=4, minutes=5)
    bands = planner_page.bands_table(cov, ranges, lang="en")
    assert len(bands) == 4
    assert all("–" in r for r in bands["Range"])
    spacing = planner_page.spacing_table(cov.figures(), lang="zh")
    assert set(spacing["河岸"]) <= {"左岸", "右岸"}
    assert len(spacing) == sum(len(v) for v in cov.figures()["spacing"].values())


def _first_xy(group):
    (layer,) = [c for c in group._children.values() if isinstance(c, maplayer.DataLayer)]
    return tuple(layer.data["features"][0]["geometry"]["coordinates"][0])


def test_layers_are_shifted_for_gcj02_and_the_legend_names_every_band(model_and_stations):
    model, stations = model_and_stations
    cov = model.coverage(stations, speed_kmh=5, minutes=15)
    wgs, gcj = (_first_xy(planmap.bands_layer(cov, lang="en", datum=d)) for d in ("wgs84", "gcj02"))
    assert gcj == pytest.approx(datum.convert_point(wgs, src="wgs84", dst="gcj02"), abs=2e-5)
    html = planmap.band_legend_html(speed_kmh=4, lang="en")
    assert "4 km/h" in html
    for colour in mapstyle.BAND_COLOURS:
        assert colour in html
    reach = model.reach(stations[0], minutes=15, speed_kmh=5)
    assert planmap.reach_layer(reach, lang="zh", datum="gcj02")
    assert planmap.candidates_layer((), lang="en")


def test_a_click_on_a_drawn_feature_is_a_candidate_only_in_candidate_mode():
    # feature clicks always come back (the located position arrives as one, too)
    assert "last_object_clicked" in page.map_returns({})
    here = {
        "last_object_clicked": {"lat": 31.25, "lng": 121.44},
        "last_object_clicked_tooltip": mapcontrols.HERE_TAG,
    }
    located: dict = {"click_mode": "candidate", page.PLANNER_KEY: True}
    assert page.take_map_return(located, here) is None  # a position is not a candidate
    assert page.CANDIDATE_CLICK_KEY not in located
    on_route = {"last_object_clicked": {"lat": 31.25, "lng": 121.44}}
    nearest: dict = {"click_mode": "nearest", page.PLANNER_KEY: True}
    assert page.take_map_return(nearest, on_route) is None
    assert page.CANDIDATE_CLICK_KEY not in nearest
    state: dict = {"click_mode": "candidate", page.PLANNER_KEY: True}
    assert page.take_map_return(state, on_route) == (121.44, 31.25)
    assert state.pop(page.CANDIDATE_CLICK_KEY) == (121.44, 31.25)
    page.take_map_return(state, on_route)  # the same feature click again: nothing new
    assert page.CANDIDATE_CLICK_KEY not in state
    gcj = {"click_mode": "candidate", page.PLANNER_KEY: True, "shown_datum": "gcj02"}
    page.take_map_return(gcj, on_route)
    assert gcj[page.CANDIDATE_CLICK_KEY] == datum.convert_point(
        (121.44, 31.25), src="gcj02", dst="wgs84"
    )


def test_compose_draws_extra_layers_over_the_path_and_under_the_click(model_and_stations):
    model, stations = model_and_stations
    atlas = layers.load_atlas(config.PACKAGE_DATA_DIR)
    routes = network.RouteNetwork.from_atlas(atlas)
    a, b = stations[0].lonlat, stations[-1].lonlat
    bands = planmap.bands_layer(model.coverage(stations), lang="en")
    parts = mapview.compose(
        folium.Map(),
        sites=atlas.sites,
        total_sites=len(atlas.sites),
        measurement=routes.measure(a, b),
        nearest=overview.nearest(atlas, a),
        extra_layers=[bands],
    )
    assert parts.dynamic.index(bands) == 2  # sites, path, bands, click
    assert len(parts.dynamic) == 4


def test_planner_values_give_defaults_then_read_the_controls():
    state: dict = {}
    held = planner_page.planner_values(state, station_ids=["st-01", "st-02"])
    assert held == planner_page.PlannerValues(speed_kmh=5.0, minutes=15, reach_id="")
    assert state[planner_page.SPEED_KEY] == 5.0  # the widgets start from these
    state[planner_page.SPEED_KEY], state[planner_page.REACH_KEY] = 4.0, "st-02"
    state[planner_page.MINUTES_KEY] = 10
    held = planner_page.planner_values(state, station_ids=["st-01", "st-02"])
    assert held == planner_page.PlannerValues(speed_kmh=4.0, minutes=10, reach_id="st-02")
    # a station no longer offered: no reach; a stray label: the last good speed
    state[planner_page.SPEED_KEY] = "4 km/h"
    held = planner_page.planner_values(state, station_ids=["st-01"])
    assert held.reach_id == "" == state[planner_page.REACH_KEY]
    assert held.speed_kmh == 4.0


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (15, 15),
        (10, 10),
        (7.3, 5),  # off its step: the nearest step
        (8, 10),
        (12.4, 10),
        (12.6, 15),
        (1e9, 30),  # beyond the range: its end
        (-4, 5),
        (float("nan"), 15),  # not a number: the default
        ("fast", 15),
        (None, 15),
    ],
)
def test_the_minutes_are_snapped_to_the_sliders_steps(sent, kept):
    """Off-step values (a crafted message) would each be a new key of the planner's
    caches: every value read is one the slider offers (issue 23)."""
    state: dict = {planner_page.MINUTES_KEY: sent}
    held = planner_page.planner_values(state, station_ids=["st-01"])
    assert held.minutes == kept == state[planner_page.MINUTES_KEY]
    low, high, step = planner_page.MINUTES_RANGE
    assert kept in range(low, high + 1, step)


def test_more_candidates_than_the_cap_are_refused_before_any_join(model_and_stations):
    """576 upload points ran a Dijkstra each on every rerun (issue 23): over
    MAX_CANDIDATES in all, nothing is added and the page says why, in both languages."""
    model, stations = model_and_stations
    mid = _gap_mid(model, stations)
    cap = planner_page.MAX_CANDIDATES
    many = gpd.GeoDataFrame(
        {"name_en": [f"P{i}" for i in range(576)], "name_zh": [""] * 576},
        geometry=[Point(mid)] * 576,  # duplicates too: refused for the count first
        crs=4326,
    )
    state: dict = {}
    assert not planner_page.add_upload(
        state, model, many, stations=stations, file_name="big.csv", lang="en"
    )
    assert state[planner_page.CANDIDATES_KEY] == []
    (en,) = planner_page.problems(state, lang="en")
    assert en.startswith(f"576 points cannot be added: at most {cap} candidate stations")
    (zh,) = planner_page.problems(state, lang="zh")
    assert f"候选驿站最多 {cap} 个（已有 0 个）" in zh
    # one kept, then a file that would go one over the cap
    state[planner_page.CANDIDATES_KEY] = [
        {"lonlat": mid, "name_en": "A", "name_zh": "", "row": "click 1"}
    ]
    assert not planner_page.add_points(
        state,
        model,
        [dict(state[planner_page.CANDIDATES_KEY][0])] * cap,
        stations=stations,
        lang="en",
    )
    assert "(1 already)" in planner_page.problems(state, lang="en")[0]
    assert len(state[planner_page.CANDIDATES_KEY]) == 1


@pytest.mark.parametrize("sent", [4.5, 4.5001, "fast", None, float("nan")])
def test_a_speed_never_offered_falls_back_to_the_first(sent):
    """A crafted speed (never offered, no good value kept yet) would be a new key of the
    planner's ranges cache (0.4-0.9 s each) on every run (issue 23)."""
    state: dict = {planner_page.SPEED_KEY: sent}
    held = planner_page.planner_values(state, station_ids=["st-01"])
    assert held.speed_kmh == planner_page.SPEEDS_KMH[0] == state[planner_page.SPEED_KEY]
