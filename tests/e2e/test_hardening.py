"""Issue 12 on the page in a real browser: link notice, uploaded ends in links, capped
upload problems, clicks outside Shanghai, the warning tier, uploaded sites in exports.

Expected texts come from the catalogue (``putuo_geo.i18n``); nothing is hard-coded.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from page_support import (
    ARTIFACTS,
    FRAME,
    SCRIPT_IDLE_JS,
    map_frame,
    open_expander,
    skip_reason,
    streamlit_server,
)
from playwright.sync_api import expect

from putuo_geo import i18n

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

UPLOAD_CSV = "name,lat,lon\nMy cafe,31.241234,121.401234\n"


@contextlib.contextmanager
def _visit(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(url)
        page.wait_for_selector(FRAME, timeout=60_000)
        yield page
        assert errors == []
    finally:
        context.close()


def _alert(page, starts_with: str):
    """The Streamlit alert (info/warning/error) whose text starts with ``starts_with``."""
    alert = page.get_by_test_id("stAlert").filter(has_text=starts_with)
    alert.first.wait_for(timeout=60_000)
    return alert.first


def _upload(page, path: Path, *, shown: str | None = None) -> None:
    """Upload ``path``; with ``shown`` (the layer's title), wait until the page shows it."""
    page.wait_for_function(SCRIPT_IDLE_JS)
    open_expander(page, i18n.tr("upload.header", "en"))  # the uploader is drawn when open
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    if shown is not None:
        label = i18n.tr("upload.show", "en", title=shown)
        page.get_by_test_id("stCheckbox").filter(has_text=label).wait_for(timeout=90_000)
        page.wait_for_function(SCRIPT_IDLE_JS)


def test_a_link_notice_names_three_dropped_parts_in_both_languages(browser, server_url):
    with _visit(browser, f"{server_url}/?z=inf&from=0,0&base=nope") as page:
        notice = _alert(page, i18n.tr("link.notice", "en"))
        assert notice.locator("li").count() == 3
        text = notice.inner_text()
        assert all(f"{name}=" in text for name in ("z", "from", "base"))
        page.get_by_text("中文", exact=True).click()
        notice = _alert(page, i18n.tr("link.notice", "zh"))
        assert notice.locator("li").count() == 3
        assert "Shanghai" not in notice.inner_text()
        page.screenshot(path=str(ARTIFACTS / "link_notice_zh.png"))


def test_an_uploaded_from_goes_into_the_link_as_lat_lon(browser, server_url, tmp_path):
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(UPLOAD_CSV, encoding="utf-8")
    with _visit(browser, server_url) as page:
        _upload(page, csv_path, shown="mine.csv (1 site)")
        box = page.get_by_test_id("stSelectbox").filter(
            has=page.get_by_text(i18n.tr("measure.from", "en"), exact=True)
        )
        box.click()
        label = i18n.tr("place.upload", "en", name="My cafe")
        page.keyboard.type(label)  # the list is long: filter it
        page.get_by_role("option", name=label).click()
        page.wait_for_url("**from=31.241234%2C121.401234**", timeout=60_000)
        link = page.url
    assert parse_qs(urlsplit(link).query)["from"] == ["31.241234,121.401234"]
    with _visit(browser, link) as fresh:  # a new session, without the upload
        point = i18n.tr("place.point", "en", letter="A", lat="31.24123", lon="121.40123")
        box = fresh.get_by_role("combobox", name=i18n.tr("measure.from", "en"))
        expect(box).to_have_value(point, timeout=60_000)
        assert fresh.get_by_test_id("stAlert").filter(has_text="This link").count() == 0


def test_five_thousand_bad_rows_list_thirty_problems_and_a_count(browser, server_url, tmp_path):
    rows = "".join(f"Cafe {i},north,121.40\n" for i in range(5000))
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("name,lat,lon\n" + rows, encoding="utf-8")
    with _visit(browser, server_url) as page:
        _upload(page, csv_path)
        header = i18n.tr("upload.problems", "en", count=0).strip("*").split(":")[0]
        panel = _alert(page, header)
        panel.locator("li").nth(30).wait_for(timeout=60_000)
        assert panel.locator("li").count() == 31
        assert panel.locator("li").last.inner_text() == i18n.tr("problem.more", "en", count="4,970")


def test_a_map_click_outside_shanghai_is_refused_like_typed_coordinates(browser, server_url):
    with _visit(browser, server_url) as page:
        page.get_by_text(i18n.tr("click_mode.from_to", "en"), exact=True).click()
        frame = map_frame(page)
        # A click as Leaflet delivers it (streamlit-folium reports the map's click event).
        frame.evaluate("() => { window.map.fire('click', {latlng: L.latLng(0, 0)}); }")
        message = i18n.tr("coords.problem.outside_shanghai", "en")
        _alert(page, message)
        box = page.get_by_role("combobox", name=i18n.tr("measure.from", "en"))
        assert not box.input_value().startswith("Map click")
        page.screenshot(path=str(ARTIFACTS / "click_outside.png"))


def test_exports_include_uploaded_sites(browser, server_url, tmp_path):
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(UPLOAD_CSV, encoding="utf-8")
    with _visit(browser, server_url) as page:
        _upload(page, csv_path, shown="mine.csv (1 site)")
        open_expander(page, i18n.tr("export.header", "en"))
        open_expander(page, i18n.tr("tables.header", "en"))
        got = {}
        for key in ("export.sites_csv", "export.sites_geojson", "export.table_csv"):
            page.wait_for_function(SCRIPT_IDLE_JS)  # a rerun would replace the button
            button = page.get_by_role("button", name=i18n.tr(key, "en"), exact=True).first
            button.wait_for(timeout=30_000)
            with page.expect_download(timeout=60_000) as info:
                button.click()
            got[key] = Path(info.value.path()).read_text(encoding="utf-8")
    assert "My cafe" in got["export.sites_csv"]
    assert "uploaded" in got["export.sites_csv"]
    assert "My cafe" in got["export.table_csv"]
    names = [
        f["properties"]["name_en"] for f in json.loads(got["export.sites_geojson"])["features"]
    ]
    assert "My cafe" in names


def test_the_warning_panel_names_a_bridge_cut_short(browser, write_toy):
    from test_checks import _half_bridge

    folder = write_toy(_half_bridge)
    with (
        streamlit_server(ARTIFACTS / "streamlit_warning.log", data_dir=folder) as (url, _),
        _visit(browser, url) as page,
    ):
        # for maintainers: under "About the data", not above every visitor's map
        open_expander(page, i18n.tr("about.header", "en"))
        panel = _alert(page, "bridge-a")
        assert i18n.tr("warning.header", "en", count=1) in panel.inner_text()
        assert panel.locator("li").count() == 1
        assert "does not reach the route on both banks" in panel.inner_text()


def _is_open(page, label: str) -> bool:
    box = page.get_by_test_id("stExpander").filter(has=page.get_by_text(label, exact=True))
    return box.first.locator("details").get_attribute("open") is not None


def test_a_language_switch_keeps_the_sidebar_sections_and_the_planner_controls(browser, server_url):
    """Issue 23 §6: Events on the creek, Your layer and Enter coordinates stayed closed
    after a switch; the planner's speed showed no choice and its reach select English."""
    from putuo_geo import planner_page

    sections = ("events.title", "upload.header", "coords.header")
    with _visit(browser, server_url) as page:
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        for key in sections:
            open_expander(page, i18n.tr(key, "en"))
        page.get_by_text(i18n.tr("planpanel.toggle", "en"), exact=True).click()
        speed = i18n.tr("planpanel.speed_option", "en", kmh=f"{planner_page.SPEEDS_KMH[1]:g}")
        page.get_by_role("radio", name=speed).wait_for(timeout=60_000)
        page.get_by_text(speed, exact=True).click()
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        page.get_by_text("中文", exact=True).click()
        page.wait_for_function("() => location.search.includes('lang=zh')", timeout=60_000)
        page.get_by_text(i18n.tr("planner.speed", "zh")).first.wait_for(timeout=60_000)
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
        for key in sections:  # on the first run in the new language
            assert _is_open(page, i18n.tr(key, "zh")), key
        speed_zh = i18n.tr("planpanel.speed_option", "zh", kmh=f"{planner_page.SPEEDS_KMH[1]:g}")
        expect(page.get_by_role("radio", name=speed_zh)).to_be_checked()
        reach = page.get_by_role("combobox", name=i18n.tr("planner.reach_header", "zh"))
        expect(reach).to_have_value(i18n.tr("planpanel.reach_none", "zh"))
