"""Issue 12 on the page (AppTest): link notice, uploaded ends in links, capped upload
problems, clicks outside Shanghai, data warnings, uploaded sites in the table and exports.

Run against the page's data folder (or the toy atlas where a broken folder is needed);
expected texts come from the catalogue and ``putuo_geo``, never hard-coded.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from page_support import page_data_dir, skip_reason
from streamlit.testing.v1 import AppTest

from putuo_geo import (
    errors,
    i18n,
    layers,
    mapcontrols,
    overview,
    page,
    permalink,
    safety,
    typedtext,
)

APP = str(Path(__file__).resolve().parent.parent / "app.py")

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

#: One uploaded site near the creek (WGS-84), lat,lon as the link writes it.
UPLOAD_CSV = b"name,lat,lon\nMy cafe,31.241234,121.401234\n"


def _run(at: AppTest) -> AppTest:
    at.session_state["coords_open"] = True  # drawn only while open
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _bullets(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("- ")]


def test_a_link_notice_lists_the_three_parts_dropped_and_follows_the_language():
    at = _run(_app(z="inf", base="nope", **{"from": "0,0"}))
    (notice,) = [i.value for i in at.info if i.value.startswith(i18n.tr("link.notice", "en"))]
    bullets = [_unescaped(b) for b in _bullets(notice)]
    assert len(bullets) == 3
    assert any(b.startswith("- z=") for b in bullets)
    assert any(b.startswith("- from=") for b in bullets)
    assert any(b.startswith("- base=") for b in bullets)
    assert at.selectbox(key="measure_from").value is None  # 0,0 not used
    at.segmented_control(key="lang").set_value("zh")
    _run(at)
    (notice,) = [i.value for i in at.info if i.value.startswith(i18n.tr("link.notice", "zh"))]
    assert len(_bullets(notice)) == 3
    assert not any(i.value.startswith(i18n.tr("link.notice", "en")) for i in at.info)
    assert "outside Shanghai" not in notice  # the bullets are Chinese too


def test_a_clean_link_gives_no_notice():
    at = _run(_app(base="none", z="15", c="31.240000,121.420000"))  # a view is both
    assert not [i for i in at.info if i.value.startswith(i18n.tr("link.notice", "en"))]


def test_an_uploaded_from_is_linked_as_lat_lon_and_restored_in_a_new_session():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["upload_source"] = ("mine.csv", UPLOAD_CSV)
    _run(at)
    assert any("My cafe" in label for label in at.selectbox(key="measure_from").options)
    at.selectbox(key="measure_from").set_value("upload:upload-1")  # uploads number their rows
    _run(at)
    assert at.query_params["from"] == "31.241234,121.401234"
    link = {k: at.query_params[k] for k in at.query_params}
    fresh = _run(_app(**link))  # another visitor, without the upload
    assert fresh.selectbox(key="measure_from").value == "point:from"
    assert fresh.session_state["points"]["from"]["lonlat"] == (121.401234, 31.241234)
    assert not [i for i in fresh.info if i.value.startswith(i18n.tr("link.notice", "en"))]
    assert fresh.query_params["from"] == "31.241234,121.401234"  # and links on unchanged


def test_a_reopened_upload_box_names_the_kept_file_and_removes_it():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["upload_source"] = ("mine*.csv", UPLOAD_CSV)
    at.session_state[page.UPLOAD_OPEN_KEY] = True  # reopened: its uploader is new and empty
    _run(at)
    kept = i18n.tr("upload.loaded", "en", file=safety.escape_markdown("mine*.csv"))
    assert kept in [m.value for m in at.markdown]
    assert at.checkbox(key="upload_show").value  # the layer is still on the map
    at.button(key="upload_drop").click()
    _run(at)
    assert not [c for c in at.checkbox if c.key == "upload_show"]
    assert kept not in [m.value for m in at.markdown]
    assert not any("My cafe" in label for label in at.selectbox(key="measure_from").options)


def test_five_thousand_bad_upload_rows_show_thirty_problems_and_a_count():
    rows = "".join(f"Cafe {i},north,121.40\n" for i in range(5000))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["upload_source"] = ("bad.csv", ("name,lat,lon\n" + rows).encode())
    _run(at)
    (panel,) = [e.value for e in at.error]
    bullets = _bullets(panel)
    assert len(bullets) == 31
    assert _unescaped(bullets[-1]) == "- " + i18n.tr("problem.more", "en", count="4,970")
    assert len(panel) < 10_000  # was 800 kB


@pytest.mark.parametrize("mode", page.CLICK_MODES)
def test_a_click_outside_shanghai_is_refused_with_the_typed_message(mode):
    at = AppTest.from_file(APP, default_timeout=120)
    _run(at)
    at.radio(key="click_mode").set_value(mode)
    before = at.selectbox(key="measure_from").value
    at.session_state["map"] = {"last_clicked": {"lat": 0.0, "lng": 0.0}}
    _run(at)
    warnings = [w.value for w in at.warning]
    assert i18n.tr("coords.problem.outside_shanghai", "en") in warnings
    assert at.selectbox(key="measure_from").value == before
    assert i18n.tr("click.prompt", "en") in [i.value for i in at.info]  # no chainage for it
    at.text_input(key="coord_text").set_value("0, 0")  # the same point typed: same message
    _run(at)
    assert [w.value for w in at.warning].count(
        i18n.tr("coords.problem.outside_shanghai", "en")
    ) == 2


def test_the_warning_panel_names_a_bridge_cut_short(write_toy, monkeypatch):
    from test_checks import _half_bridge

    monkeypatch.setenv("PUTUO_GEO_DATA", str(write_toy(_half_bridge)))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["about_open"] = True  # "About the data" (issue 24)
    _run(at)
    (warning,) = [w.value for w in at.warning]
    header = i18n.tr("warning.header", "en", count=1)
    bullet = "- " + errors.Problem("warning.unlinked_bridge", id="bridge-a")
    assert _unescaped(warning) == f"{header}\n\n{bullet}"
    assert not at.error


def test_uploaded_sites_are_in_the_sites_table_and_its_tab(monkeypatch):
    atlas = layers.load_atlas(page_data_dir())
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["upload_source"] = ("mine.csv", UPLOAD_CSV)
    at.session_state["tables_open"] = True  # the tables are built only while open
    _run(at)
    (frame,) = [d.value for d in at.dataframe if len(d.value) == len(atlas.sites) + 1]
    assert "My cafe" in frame.to_string()
    assert any(t.label == i18n.tr("tab.sites", "en", count=len(atlas.sites) + 1) for t in at.tabs)


def test_typed_text_and_search_are_capped():
    at = _run(AppTest.from_file(APP, default_timeout=120))
    assert at.text_input(key="query").max_chars == permalink.MAX_QUERY_CHARS
    assert at.text_input(key="coord_text").max_chars == 100


# ------------------------------------------------------------------ issue 23 §3, §4

#: Crafted map return values and widget values (issue 23 §4): each is refused with one
#: log line, never float()'s traceback or an error screen.
_NAN = float("nan")
CRAFTED_STATE: list[dict[str, object]] = [
    {"map": {"last_clicked": {"lat": "31.24", "lng": 121.42}}},
    {"map": {"last_clicked": {"lat": None, "lng": 121.42}}},
    {"map": {"last_clicked": {"lat": [31.24], "lng": 121.42}}},
    {"map": {"last_clicked": "31.24,121.42"}},
    {"map": {"last_clicked": {"lat": 1e999, "lng": _NAN}}},
    {"map": {"center": {"lat": "x", "lng": {}}, "zoom": "fast"}},
    {"map": {"center": {"lat": 31.24, "lng": 121.42}, "zoom": _NAN}},
    {"map": ["not", "a", "dict"]},
    {
        "map": {
            "last_object_clicked": {"lat": "31.24", "lng": _NAN},
            "last_object_clicked_tooltip": mapcontrols.HERE_TAG,
        }
    },
    {"planner_on": True, "planner_speed": "fast"},
    {"planner_on": True, "planner_minutes": "ten"},
]


@pytest.mark.parametrize("crafted", CRAFTED_STATE, ids=lambda c: repr(c)[:60])
def test_crafted_map_and_widget_values_are_refused_with_one_log_line(crafted, caplog):
    at = _run(AppTest.from_file(APP, default_timeout=120))
    for key, value in crafted.items():
        at.session_state[key] = value
    with caplog.at_level(logging.WARNING, logger="putuo_geo"):
        _run(at)
    refused = [r for r in caplog.records if r.getMessage().startswith("refused ")]
    assert refused, "the refused value is logged"
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in refused)
    assert not at.error


def _located(lat: float, lng: float) -> dict[str, object]:
    return {
        "last_object_clicked": {"lat": lat, "lng": lng},
        "last_object_clicked_tooltip": mapcontrols.HERE_TAG,
    }


@pytest.mark.parametrize(("lat", "lng"), [(39.9042, 116.4074), (0.0, 0.0)])  # Beijing, 0,0
def test_a_located_position_outside_shanghai_gets_the_message_and_no_measurement(lat, lng):
    at = _run(AppTest.from_file(APP, default_timeout=120))
    before = at.selectbox(key="measure_from").value
    at.session_state["map"] = _located(lat, lng)
    _run(at)
    assert i18n.tr("coords.problem.outside_shanghai", "en") in [w.value for w in at.warning]
    assert not [b for b in at.button if b.key == "measure_from_here"]  # no Where am I panel
    assert at.selectbox(key="measure_from").value == before
    page.measure_from_here(at.session_state)  # a tap sent anyway changes nothing
    assert at.session_state["measure_from"] == before


def test_a_located_position_in_shanghai_still_measures_from_here():
    at = _run(AppTest.from_file(APP, default_timeout=120))
    at.session_state["map"] = _located(31.2381, 121.4216)
    _run(at)
    at.button(key="measure_from_here").click()
    _run(at)
    assert at.selectbox(key="measure_from").value == page.point_key("from")


def test_an_upload_with_lone_surrogates_shows_no_error_screen_and_keeps_its_remove_button():
    feature = {
        "type": "Feature",
        "properties": {"name": "Caf\u00e9 \ud800", "id": "\ud800", "category": "\ud800"},
        "geometry": {"type": "Point", "coordinates": [121.401234, 31.241234]},
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["upload_source"] = ("caf\ud800\u202e.geojson", data)
    at.session_state[page.UPLOAD_OPEN_KEY] = True
    _run(at)
    _run(at)  # and on every later run
    assert [b for b in at.button if b.key == "upload_drop"]
    assert any("Café" in label for label in at.selectbox(key="measure_from").options)


@pytest.mark.parametrize("query", ["\u200b", "ＣＨＡＮＧＦＥＮＧ", "长\u200b风", "Ｍ５０"])
def test_a_search_typed_or_linked_the_way_people_type_it(query):
    atlas = layers.load_atlas(page_data_dir())
    expected = len(overview.filter_sites(atlas.sites, query=typedtext.normalise(query)))
    assert expected > 0
    at = _run(_app(q=query))
    strip = i18n.tr("metric.of_total", "en", shown=expected, total=len(atlas.sites))
    assert any(strip in m.value for m in at.markdown)
    assert not [i for i in at.info if i.value.startswith(i18n.tr("link.notice", "en"))]


def test_the_areas_tab_note_is_page_table_note_without_the_server_path():
    # Issue 22 §1: panels/layout.py wrote the note itself, with the server's path.
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["tables_open"] = True
    at.session_state["table_tab_index"] = 3  # the areas tab
    _run(at)
    note = page.table_note(Path(page_data_dir()), lang="en")
    assert note in [c.value for c in at.caption]
    assert str(Path(page_data_dir()).resolve()) not in note


EVENT = "event-half-marathon-2023"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"c": "31.250000,121.400000"}, ["c="]),
        ({"z": "15"}, ["z="]),
        ({"event": EVENT, "c": "31.250000,121.400000"}, ["c="]),
        ({"event": EVENT, "z": "15"}, ["z="]),
        ({"event": EVENT, "c": "31.250000,121.400000", "z": "x"}, ["c=", "z="]),
    ],
)
def test_half_a_view_is_named_as_dropped(params, named):
    at = _run(_app(**params))
    (notice,) = [i.value for i in at.info if i.value.startswith(i18n.tr("link.notice", "en"))]
    bullets = [_unescaped(b) for b in _bullets(notice)]
    assert sorted(b[2:4] for b in bullets) == named
    if "event" in params:
        assert at.session_state["event"] == EVENT  # the event is still shown, fitted


def test_a_whole_view_next_to_an_event_is_kept():
    at = _run(_app(event=EVENT, c="31.250000,121.400000", z="15"))
    assert not [i for i in at.info if i.value.startswith(i18n.tr("link.notice", "en"))]
    assert at.session_state["view_apply"] == ((121.4, 31.25), 15)
    assert (at.query_params["c"], at.query_params["z"]) == ("31.250000,121.400000", "15")


@pytest.mark.parametrize("index", [0, 1, 5, 6, 8, 10])  # path 5, parts, no name, "(", "0", docs
def test_a_descriptor_mistake_is_listed_on_the_page_without_a_crash(toy_dir, monkeypatch, index):
    from test_descriptor import MISTAKES, _edit

    mistake, _, _ = MISTAKES[index]
    monkeypatch.setenv("PUTUO_GEO_DATA", str(_edit(toy_dir, mistake)))
    at = _run(AppTest.from_file(APP, default_timeout=120))
    (panel,) = [e.value for e in at.error]
    assert panel.startswith(i18n.tr("error.data_invalid", "en", folder="toy", count=1))
    assert str(toy_dir) not in panel


@pytest.mark.parametrize(
    "typed",
    [
        "１２１.４２１６，３１.２３８１",
        "121．4216，31．2381",
        "121.4216、31.2381",
        "121.4216,\u200b31.2381",
    ],
)
def test_coordinates_typed_the_way_people_type_them_are_read(typed):
    at = _run(AppTest.from_file(APP, default_timeout=120))
    at.radio(key="coord_order").set_value("lnglat")
    at.text_input(key="coord_text").set_value(typed)
    _run(at)
    assert i18n.tr("coords.problem.not_two_numbers", "en") not in [w.value for w in at.warning]
    assert [b for b in at.button if b.key == "coord_use_from"]  # usable as FROM
