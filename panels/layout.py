"""The map-first layout (issue 13): page CSS, the figure strip, the lazy sections.

Streamlit code only; what the sections hold is decided by :mod:`putuo_geo.page`.
Every section below the map that a first view does not need (tables, share box,
downloads) is an expander whose body is built only while it is open: closed, it is
one element and ships no table, code block or file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from putuo_geo import overview, page
from putuo_geo.i18n import Lang, tr
from putuo_geo.mapstyle import CAPTION_TEXT

#: The map's height on screen. ``st_folium`` takes pixels; the page overrides it with
#: CSS so the map follows the screen (Python does not know the viewport): the screen's
#: height less the room the bar under it takes (:data:`BAR_ROOM_PX`), so the category
#: chips and the language are on the first screen under a thumb.
MAP_MIN_PX = 320
#: The height handed to ``st_folium`` (what a browser without the CSS would show).
MAP_PX = 600
#: Room under the map on the first screen (px): a phone's bar (three rows of chips, the
#: language) and a desk's (one row of chips, the language beside it).
BAR_ROOM_PX = {"phone": 236, "desk": 136}
#: Screens up to this wide (px) are laid out as a phone's: the map from the screen's top
#: edge under Streamlit's sidebar button (mapview.FILL_FRAME_CSS moves the map's own
#: left-hand buttons under it; the map's frame is this less 16 px of margins).
PHONE_MAX_PX = 656
#: The sidebar's width on a desk (px; Streamlit's is 300): the place pickers show a
#: station's whole label ("No. 7 · km 5.2 · by Half Marathon Suzhou Creek Park"), and
#: the map keeps over 60 % of a 1400 x 1000 screen. On a phone, where it opens over the
#: page, it takes the screen's width for the same reason.
SIDEBAR_PX = 392
#: The container that holds the map (``st.container(key=...)``): it keeps the map's
#: space and says the map is loading until the map covers it.
MAP_BOX_KEY = "pg_map"


def _css(*, loading: str) -> str:
    """The page's CSS; ``loading`` is shown in the map's space until the map draws."""
    quoted = loading.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    phone, desk = BAR_ROOM_PX["phone"], BAR_ROOM_PX["desk"]
    height = f"max({MAP_MIN_PX}px, calc(100vh - {desk}px))"
    phone_height = f"max({MAP_MIN_PX}px, calc(100vh - {phone}px))"
    return f"""<style>
iframe[title="streamlit_folium.st_folium"] {{ height: {height} !important;
    position: relative; z-index: 1; display: block; }}
.st-key-{MAP_BOX_KEY} {{ min-height: {height}; position: relative; }}
.st-key-{MAP_BOX_KEY}::before {{ content: "{quoted}"; position: absolute; inset: 0;
    display: flex; align-items: center; justify-content: center; background: #eef0eb;
    color: {CAPTION_TEXT}; font-size: 1rem; }}
[data-testid="stMainBlockContainer"] {{ padding: 0.5rem 0.5rem 2rem 0.5rem; max-width: none; }}
[data-testid="stHeader"] {{ background: transparent; pointer-events: none; height: 0; }}
[data-testid="stHeader"] button {{ pointer-events: auto; }}
[data-testid="stExpandSidebarButton"] {{ background: #fff; width: 44px; height: 44px;
    border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,0.4); margin: 6px 0 0 2px; }}
[data-testid="stCaptionContainer"] {{ color: {CAPTION_TEXT}; }}
h1 {{ font-size: 1.3rem !important; padding: 0.25rem 0 0 0 !important; }}
[data-testid="stHeaderActionElements"] {{ display: none; }}
@media (min-width: {PHONE_MAX_PX + 1}px) {{
    section[data-testid="stSidebar"][data-collapsed="false"] {{ width: {SIDEBAR_PX}px !important;
        min-width: {SIDEBAR_PX}px !important; }}
}}
[data-testid="stSidebar"] [data-testid="stSelectbox"] input {{ font-size: 13px; }}
[role="listbox"] [role="option"] {{ font-size: 13px; }}
@media (min-width: {PHONE_MAX_PX + 1}px) {{
    .stApp:has([data-testid="stExpandSidebarButton"]) [data-testid="stMainBlockContainer"]
        {{ padding-left: 64px; }}
}}
@media (max-width: {PHONE_MAX_PX}px) {{
    section[data-testid="stSidebar"][data-collapsed="false"] {{ width: 100vw !important;
        min-width: 100vw !important; }}
    [data-testid="stMainBlockContainer"] {{ padding: 0.5rem 0.5rem 2rem 0.5rem; }}
    iframe[title="streamlit_folium.st_folium"] {{ height: {phone_height} !important; }}
    .st-key-{MAP_BOX_KEY} {{ min-height: {phone_height}; }}
}}
</style>"""


def style(*, lang: Lang) -> None:
    """The page's CSS (no visible element but the map's "loading" note).

    Markdown, not ``st.html``: the HTML element's scripts (with DOMPurify, two requests)
    would be fetched on a cold load before the map's (issue 13).
    """
    st.markdown(_css(loading=tr("map.loading", lang)), unsafe_allow_html=True)


def heading(figs: overview.Figures, *, shown: int, lang: Lang) -> None:
    """Under the map and its bar: the page's ``<h1>``, the figures as one line, the intro."""
    st.title(tr("page.title", lang), anchor=False)
    st.markdown(page.figure_strip(figs, shown=shown, lang=lang))
    st.caption(tr("page.intro", lang))


def lazy(label: str, key: str) -> Any | None:
    """An expander whose body is built only while open: the open expander, or ``None``."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def tables(
    atlas: Any,
    *,
    sites: Any,
    figs: overview.Figures,
    lang: Lang,
    folder: Path,
    download: Callable[..., None],
) -> None:
    """The tables, in tabs inside a lazy expander; only the open tab's table is built.

    Streamlit keeps the open tab by its label, and these labels change with the
    language and the counts: the tab's position is remembered instead.
    """
    box = lazy(tr("tables.header", lang), "tables_open")
    if box is None:
        return
    state = st.session_state
    labels = page.tab_labels(atlas, sites_shown=len(sites), lang=lang)
    state["table_tab"] = labels[state.get("table_tab_index", 0)]
    with box:
        tabs = st.tabs(labels, key="table_tab", on_change=page.remember_tab, args=(state, labels))
    for index, tab in enumerate(tabs):
        if not tab.open:
            continue
        with tab:
            shown = page.tab_tables(index, atlas, sites=sites, figs=figs, lang=lang)
            cols: list[Any] = st.columns(len(shown)) if len(shown) > 1 else [st]
            for table, col in zip(shown, cols, strict=True):
                if table.heading:
                    col.markdown(table.heading)
                col.dataframe(table.frame, hide_index=True)
                download(col, table.csv, key=f"csv_{table.file_name}")
            if index == len(labels) - 1:  # the areas tab (the folder as a visitor may see it)
                st.caption(page.table_note(folder, lang=lang))
