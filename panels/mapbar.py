"""The bar under the map: category chips and the language, where a thumb is (issue 24).

Streamlit layout only, drawn right after the map. The widgets keep the keys the
sidebar's used to have (``categories``, ``lang``), so :func:`putuo_geo.page.sidebar_values`,
the link and :func:`putuo_geo.page.relabel` treat them as before; the sidebar keeps
the rest (search, your layer, measuring, basemap).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from putuo_geo import i18n, page
from putuo_geo.i18n import Lang, tr

#: The bar's container key (``.st-key-pg_bar`` in the page's CSS and the browser tests).
BAR_KEY = "pg_bar"


def show(state: Any, *, lang: Lang, categories: list[str], counts: Mapping[str, int]) -> None:
    """Draw the chips (one per category, with its count), "All" and the language switch."""
    with st.container(key=BAR_KEY, gap="small"):
        st.pills(
            tr("bar.categories", lang),
            categories,
            selection_mode="multi",
            format_func=lambda c: f"{i18n.category(c, lang)} {counts[c]}",
            key="categories",
            label_visibility="collapsed",
        )
        row = st.container(horizontal=True, gap="small", vertical_alignment="center")
        row.button(
            tr("bar.all_categories", lang),
            key="categories_all",
            on_click=page.show_all_categories,
            args=(state, categories),
            disabled=list(state.get("categories", categories)) == list(categories),
        )
        row.segmented_control(
            tr("page.language", lang),
            i18n.LANGUAGES,
            format_func=lambda code: i18n.LANGUAGE_NAMES[code],
            key="lang",
            required=True,
            on_change=page.relabel,
            args=(state,),
            label_visibility="collapsed",
        )
