"""The page's tables in a real browser: lazy tabs, the open tab kept, formula-safe CSV.

Only the open tab's table is built (``st.tabs(on_change=...)``); the page remembers the
tab by position, so a language switch (which renames every tab) keeps it open.
Streamlit's own table download is off (``client.disableDataExport``); each table has
a "This table (CSV)" button instead.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pandas as pd
import pytest
from page_support import FRAME, SCRIPT_IDLE_JS, open_expander, page_data_dir, skip_reason

from putuo_geo import exports, i18n, layers, tables
from putuo_geo.credits import OSM_ATTRIBUTION

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


@pytest.fixture
def page(browser, server_url):
    host = urlsplit(server_url).netloc
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    context.route(
        "**/*",
        lambda r: r.continue_() if urlsplit(r.request.url).netloc == host else r.abort(),
    )
    page = context.new_page()
    page.goto(server_url)
    page.wait_for_selector(FRAME, timeout=60_000)
    page.wait_for_function(SCRIPT_IDLE_JS, timeout=60_000)
    open_expander(page, i18n.tr("tables.header", "en"))  # built only while open
    yield page
    context.close()


def _tab(page, label: str):
    return page.get_by_role("tab", name=label, exact=True)


def test_the_open_tab_survives_a_language_switch_and_downloads_its_csv(page):
    atlas = layers.load_atlas(page_data_dir())
    expected = tables.stations(atlas, "en")
    n = len(expected)
    _tab(page, f"Stations ({n})").click()
    page.wait_for_function(SCRIPT_IDLE_JS)
    panel = page.get_by_role("tabpanel")
    button = panel.get_by_role("button", name="This table (CSV)")
    button.wait_for(timeout=30_000)

    with page.expect_download() as info:
        button.click()
    data = info.value.path().read_bytes()
    assert data.startswith("\ufeff".encode())
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    # The table as shown, and the ODbL credit in a last column (issue 21).
    assert list(table.columns) == [*expected.columns, exports.ATTRIBUTION_COLUMN]
    assert set(table[exports.ATTRIBUTION_COLUMN]) == {OSM_ATTRIBUTION}
    shown = table.drop(columns=exports.ATTRIBUTION_COLUMN)
    assert shown.astype(str).values.tolist() == expected.astype(str).values.tolist()

    # Streamlit's own "Download as CSV" is not offered on the table.
    panel.get_by_test_id("stDataFrame").hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 0

    page.get_by_text("中文", exact=True).click()
    page.wait_for_function(SCRIPT_IDLE_JS)
    zh = _tab(page, f"驿站（{n}）")
    zh.wait_for(timeout=30_000)
    assert zh.get_attribute("aria-selected") == "true"
    page.get_by_role("tabpanel").get_by_role("button", name="此表（CSV）").wait_for(timeout=30_000)
