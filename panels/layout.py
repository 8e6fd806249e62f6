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

#: The map's height on screen. ``st_folium`` takes pixels; the page overrides it with
#: CSS so the map follows the screen (Python does not know the viewport).
MAP_VH = 75
MAP_MIN_PX = 320
#: The height handed to ``st_folium`` (what a browser without the CSS would show).
MAP_PX = 600

# The map frame fills 75 % of the viewport's height; the main column starts just under
# Streamlit's header (its default top padding is 6rem) and keeps narrow side margins
# on a phone, so the map is most of the first screen.
_CSS = f"""<style>
iframe[title="streamlit_folium.st_folium"] {{
    height: max({MAP_MIN_PX}px, {MAP_VH}vh) !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 3.75rem; padding-bottom: 2rem; }}
@media (max-width: 640px) {{
    [data-testid="stMainBlockContainer"] {{ padding-left: 0.5rem; padding-right: 0.5rem; }}
}}
</style>"""


def style() -> None:
    """The page's CSS (no visible element).

    Markdown, not ``st.html``: the HTML element's scripts (with DOMPurify, two requests)
    would be fetched on a cold load before the map's (issue 13).
    """
    st.markdown(_CSS, unsafe_allow_html=True)


def heading(figs: overview.Figures, *, shown: int, lang: Lang) -> None:
    """Under the map: the title, the figures as one line, the intro."""
    st.markdown(
        f"**{tr('page.title', lang)}** · " + page.figure_strip(figs, shown=shown, lang=lang)
    )
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
