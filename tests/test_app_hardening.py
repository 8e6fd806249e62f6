"""Issue 12 on the page (AppTest): link notice, uploaded ends in links, capped upload
problems, clicks outside Shanghai, data warnings, uploaded sites in the table and exports.

Run against the page's data folder (or the toy atlas where a broken folder is needed);
expected texts come from the catalogue and ``putuo_geo``, never hard-coded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from page_support import page_data_dir, skip_reason
from streamlit.testing.v1 import AppTest

from putuo_geo import errors, i18n, layers, page, permalink, safety

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
    assert at.selectbox(key="measure_from").value.startswith("station:")  # 0,0 not used
    at.segmented_control(key="lang").set_value("zh")
    _run(at)
    (notice,) = [i.value for i in at.info if i.value.startswith(i18n.tr("link.notice", "zh"))]
    assert len(_bullets(notice)) == 3
    assert not any(i.value.startswith(i18n.tr("link.notice", "en")) for i in at.info)
    assert "outside Shanghai" not in notice  # the bullets are Chinese too


def test_a_clean_link_gives_no_notice():
    at = _run(_app(base="none", z="15"))
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
