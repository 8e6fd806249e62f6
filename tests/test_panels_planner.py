"""The planner view's controls under Streamlit's AppTest (panels/planner.py, issue 14).

Expected figures come from putuo_geo.coverage for the folder the page shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from page_support import page_data_dir, skip_reason
from streamlit.testing.v1 import AppTest

from putuo_geo import coverage, datum, display, i18n, layers, page, planner_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@pytest.fixture(scope="module")
def atlas():
    return layers.load_atlas(page_data_dir())


@pytest.fixture(scope="module")
def model(atlas):
    return coverage.CoverageModel.from_atlas(atlas)


@pytest.fixture(scope="module")
def stations(model, atlas):
    return model.stations(atlas.stations)


def _run(at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _dynamic(at: AppTest) -> str:
    (component,) = [
        c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")
    ]
    return json.loads(component.proto.json_args)["feature_group"] or ""


def _planner_on(**settings) -> AppTest:
    at = _run()
    at.toggle(key=page.PLANNER_KEY).set_value(True)
    for key, value in settings.items():
        at.session_state[key] = value
    return _run(at)


def _click(at: AppTest, lonlat) -> AppTest:
    at.session_state[page.MAP_KEY] = {"last_clicked": {"lat": lonlat[1], "lng": lonlat[0]}}
    return _run(at)


def _texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_off_by_default_no_layer_no_candidate_mode():
    at = _run()
    assert at.toggle(key=page.PLANNER_KEY).value is False
    assert "candidate" not in at.radio(key="click_mode").options[-1].lower()
    assert len(at.radio(key="click_mode").options) == len(page.CLICK_MODES)
    assert '"kind":"walk_band"' not in _dynamic(at)
    assert not any("indicative" in w.value for w in at.warning)


def test_switched_on_the_banner_comes_first_and_the_bands_are_drawn(stations):
    at = _planner_on()
    indicative = sum(s.status == "indicative" for s in stations)
    banner = [w.value for w in at.warning if "indicative" in w.value]
    assert banner == [
        i18n.tr("planner.indicative_warning", "en", indicative=indicative, total=len(stations))
    ]
    assert at.session_state["click_mode"] == page.CANDIDATE_MODE  # clicks now add candidates
    assert len(at.radio(key="click_mode").options) == len(page.CLICK_MODES) + 1
    drawn = _dynamic(at)
    assert '"kind":"walk_band"' in drawn
    assert "5 km/h" in drawn  # the legend's title, at the default speed
    # switched off: candidate mode goes, and the layer with it
    at.toggle(key=page.PLANNER_KEY).set_value(False)
    _run(at)
    assert at.session_state["click_mode"] == "nearest"
    assert '"kind":"walk_band"' not in _dynamic(at)


def test_speed_and_minutes_change_the_figures(model, stations):
    at = _planner_on(planner_speed=4.0, planner_minutes=5)
    fig = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    text = _texts(at)
    assert f"Route within 5 min of a station: {fig['covered_share']:.1%}" in text
    gap = fig["longest_gap"]
    assert display.format_chainage(gap["from_chainage_m"]) in text
    assert display.format_length(gap["length_m"]) in text
    assert "range" in text  # the figures come as ranges
    assert "4 km/h" in _dynamic(at)
    (bands,) = [d.value for d in at.dataframe if "Share of the route" in d.value.columns]
    assert list(bands["Share of the route"]) == [f"{v:.1%}" for v in fig["bands"].values()]


def test_reach_of_one_station(model, stations, atlas):
    site = stations[len(stations) // 2]
    at = _planner_on()
    at.selectbox(key="planner_reach").set_value(site.id)
    _run(at)
    reach = model.reach(site, minutes=15, speed_kmh=5, sites=atlas.sites)
    text = _texts(at)
    assert display.format_length(reach.length_m) in text
    assert f"{len(reach.sites)} site(s) inside" in text
    assert '"kind":"reach"' in _dynamic(at)


def test_a_click_adds_a_candidate_with_before_and_after(model, stations):
    fig = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    mid = fig["longest_gap"]["mid_lonlat"]
    at = _click(_planner_on(planner_speed=4.0, planner_minutes=5), mid)
    points = at.session_state[planner_page.CANDIDATES_KEY]
    assert len(points) == 1
    cands = model.candidates([points[0]["lonlat"]], existing=stations)
    what = model.compare(stations, cands, speed_kmh=4, minutes=5)
    text = _texts(at)
    assert "**Today**" in text
    assert "**With the candidates**" in text
    after = what.after.figures()["covered_share"]
    assert f"Route within 5 min of a station: {after:.1%}" in text
    assert "closes a stretch over 5 min" in text
    assert '"kind":"candidate"' in _dynamic(at)
    # the download: a CSV in stations.csv's format (made on click, from the same points)
    labels = [b.proto.label for b in at.get("download_button")]
    assert i18n.tr("planner.download_csv", "en") in labels
    rows = list(csv.DictReader(io.StringIO(model.stations_csv(cands, date="x"))))
    assert rows[0]["anchor"] == "candidate-1"
    # clear
    at.button(key="planner_clear").click()
    _run(at)
    assert at.session_state[planner_page.CANDIDATES_KEY] == []
    assert "**With the candidates**" not in _texts(at)


@pytest.mark.parametrize(("lang", "expected"), [("en", "is outside Putuo"), ("zh", "在普陀区以外")])
def test_a_bad_click_is_refused_with_the_librarys_message(lang, expected):
    at = _run()
    at.segmented_control(key="lang").set_value(lang)
    _run(at)
    at.toggle(key=page.PLANNER_KEY).set_value(True)
    _click(_run(at), (121.30, 31.10))
    assert at.session_state[planner_page.CANDIDATES_KEY] == []
    assert any(expected in e.value for e in at.error)


def test_a_click_on_a_station_is_a_duplicate(stations):
    at = _click(_planner_on(), stations[0].on_route_lonlat)
    (error,) = [e.value for e in at.error if "duplicate" in e.value]
    assert stations[0].id in error.replace("\\", "")


def test_the_language_switch_keeps_the_planner_choices(stations):
    at = _planner_on(planner_speed=4.0)
    at.selectbox(key="planner_reach").set_value(stations[3].id)
    _run(at)
    at.segmented_control(key="lang").set_value("zh")
    _run(at)
    assert at.session_state["planner_reach"] == stations[3].id
    assert at.session_state["planner_speed"] == 4.0
    drawn = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), _dynamic(at))
    assert "4 公里/小时" in drawn  # the legend in Chinese
    assert any("个为示意位置" in w.value for w in at.warning)  # the banner too


def _upload(at: AppTest, rows: list[tuple[str, tuple[float, float]]]) -> AppTest:
    body = "".join(f"{name},{lat:.6f},{lon:.6f}\n" for name, (lon, lat) in rows)
    at.session_state["upload_source"] = ("proposals.csv", f"name,lat,lon\n{body}".encode())
    return _run(at)


def test_the_uploaded_layers_points_become_candidates_all_or_none(model, stations):
    fig = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    mid = tuple(fig["longest_gap"]["mid_lonlat"])
    at = _planner_on(planner_speed=4.0, planner_minutes=5)
    assert at.button(key="planner_use_upload").disabled  # nothing uploaded yet
    _upload(at, [("Gap", mid), ("Far away", (121.30, 31.10))])
    at.button(key="planner_use_upload").click()
    _run(at)
    assert at.session_state[planner_page.CANDIDATES_KEY] == []
    (error,) = [e.value for e in at.error if "outside Putuo" in e.value]
    assert "row 2" in error
    _upload(at, [("Gap", mid)])
    at.button(key="planner_use_upload").click()
    _run(at)
    (point,) = at.session_state[planner_page.CANDIDATES_KEY]
    assert point["name_en"] == "Gap"
    assert "closes a stretch over 5 min" in _texts(at)


def test_on_amap_a_click_is_converted_from_gcj02(model, stations):
    fig = model.coverage(stations, speed_kmh=4, minutes=5).figures()
    mid = tuple(fig["longest_gap"]["mid_lonlat"])
    at = _run()
    at.selectbox(key="basemap_key").set_value("amap")
    _run(at)
    at.toggle(key=page.PLANNER_KEY).set_value(True)
    _run(at)
    _click(at, datum.convert_point(mid, src="wgs84", dst="gcj02"))  # as the map reports it
    (point,) = at.session_state[planner_page.CANDIDATES_KEY]
    assert point["lonlat"] == pytest.approx(mid, abs=1e-5)


def test_the_spacing_table_opens_on_demand(model, stations):
    at = _planner_on()
    assert not [d for d in at.dataframe if "Along the route" in d.value.columns]
    at.session_state["planner_spacing_open"] = True
    _run(at)
    (table,) = [d.value for d in at.dataframe if "Along the route" in d.value.columns]
    spacing = model.coverage(stations).figures()["spacing"]
    assert len(table) == sum(len(v) for v in spacing.values())
