"""The "Where am I" panel: the located position on the route, in both languages.

The position comes only from the map's return value (:func:`putuo_geo.page.take_position`);
the words and distances from :func:`putuo_geo.page.where_lines` /
:mod:`putuo_geo.whereami`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from putuo_geo import network, page, processcache, whereami
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas


@processcache.memo(max_entries=2)  # out of reach of clear_cache (issue 23)
def _landmarks(
    folder: str, signature: Any, _net: network.RouteNetwork, _atlas: Atlas
) -> tuple[whereami.Landmark, ...]:
    return whereami.landmarks(_net, _atlas)  # ~45 ms on geo/: once per data folder


def show(
    here: tuple[float, float] | None,
    *,
    net: network.RouteNetwork,
    atlas: Atlas,
    folder: str,
    signature: Any,
    lang: Lang,
) -> None:
    """The panel when a position is known (nothing otherwise: the map's ◎ button asks)."""
    if here is None:
        return
    known = _landmarks(folder, signature, net, atlas)
    w = whereami.where_am_i(net, atlas, here, known=known)
    with st.container(border=True, key="whereami"):
        first, *ways = page.where_lines(w, lang=lang)
        bullets = "\n".join(f"- {line}" for line in ways)
        st.markdown(f"**{tr('whereami.heading', lang)}** · {first}\n\n{bullets}")
        tap, share = st.columns([1, 2], vertical_alignment="center")
        tap.button(
            tr("whereami.measure_from_here", lang),
            key="measure_from_here",
            on_click=page.measure_from_here,
            args=(st.session_state,),
            type="primary",
        )
        share.checkbox(
            tr("whereami.share", lang), key="share_here", help=tr("whereami.share_help", lang)
        )
