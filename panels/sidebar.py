"""The sidebar's widgets: site search, upload, measure, coordinates, basemap.

Streamlit layout only, drawn *after* the map (see :class:`putuo_geo.page.SidebarValues`):
every widget that the map depends on is keyed, and ``app.py`` reads its value from the
session before composing the map. The planner's controls follow, from
:func:`panels.planner.sidebar`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from panels import layout
from putuo_geo import basemaps, coordinput, page, safety, uploads
from putuo_geo.i18n import Lang, tr


def _translated(
    widget: Any, label_key: str, options: Any, key: str, prefix: str, *, lang: Lang, **kw: Any
) -> Any:
    """A select/radio whose values are stable keys and whose labels are ``prefix.<value>``."""
    if widget is st.selectbox:  # Streamlit's own "Choose an option" in the page language
        kw.setdefault("placeholder", tr("widget.choose", lang))
    return widget(
        tr(label_key, lang), options, format_func=lambda v: tr(f"{prefix}.{v}", lang), key=key, **kw
    )


def show(
    state: Any,
    *,
    lang: Lang,
    places: Mapping[str, Any],
    user_layer: uploads.UserLayer | None,
    upload_problems: list[str],
    basemap_options: list[basemaps.Basemap],
) -> None:
    """Draw the sidebar (its values were read by :func:`putuo_geo.page.sidebar_values`)."""
    with st.sidebar:
        # The language and the category chips are in the bar under the map
        # (panels.mapbar), where a thumb is; the search stays here.
        st.header(tr("sidebar.sites", lang))
        st.text_input(tr("sidebar.search", lang), key="query", max_chars=page.QUERY_CHARS)
        _upload(state, lang=lang, user_layer=user_layer, problems=upload_problems)
        _measure(state, lang=lang, places=places)
        st.header(tr("sidebar.basemap", lang))
        st.selectbox(
            tr("basemap.label", lang),
            [b.key for b in basemap_options],
            format_func=lambda k: tr(basemaps.by_key(basemap_options, k).label_key, lang),
            key="basemap_key",
            placeholder=tr("widget.choose", lang),
            # a help tip, not a caption: its `code` span's monospace font (90 kB) is
            # fetched only when the tip opens
            help=tr("basemap.caption", lang, env=basemaps.TILE_URL_ENV),
        )


def _upload(
    state: Any, *, lang: Lang, user_layer: uploads.UserLayer | None, problems: list[str]
) -> None:
    # The uploader opens on demand: drawn, it fetched five scripts on every cold load
    # (issue 13). The layer lives in the session (page.take_upload), so closing the box
    # keeps it; its problems and its show/hide box stay outside, always in sight.
    box = layout.lazy(tr("upload.header", lang), page.UPLOAD_OPEN_KEY)
    if box is not None:
        mb = uploads.MAX_UPLOAD_BYTES // 2**20
        box.file_uploader(
            tr("upload.label", lang),
            type=["geojson", "json", "csv"],
            key="upload_file",
            on_change=page.take_upload,
            args=(state,),
            max_upload_size=mb,
            help=tr("upload.help", lang, mb=mb, count=f"{uploads.MAX_UPLOAD_FEATURES:,}"),
        )
        kept = page.kept_upload_name(state)
        if kept is not None:  # reopened: the uploader is new and empty, the layer is not
            box.markdown(tr("upload.loaded", lang, file=safety.escape_markdown(kept)))
            box.button(
                tr("upload.remove", lang),
                key="upload_drop",
                on_click=page.drop_upload,
                args=(state,),
            )
        datums = list(uploads.DATUM_LABELS)
        with box:
            _translated(
                st.selectbox,
                "upload.datum",
                datums,
                "upload_datum",
                "datum",
                lang=lang,
                persist_state="page",
            )
    if problems:
        header = tr("upload.problems", lang, count=len(problems))
        st.error(page.problems_markdown(header, problems, lang=lang))
    elif user_layer is not None:
        st.checkbox(
            tr("upload.show", lang, title=safety.escape_markdown(user_layer.title)),
            value=True,
            key="upload_show",
        )


def _measure(state: Any, *, lang: Lang, places: Mapping[str, Any]) -> None:
    st.header(tr("sidebar.measure", lang))
    keys = list(places)
    for end in page.ENDS:
        st.selectbox(  # empty (None) until the user asks: nothing measured by default
            tr(f"measure.{end}", lang),
            keys,
            # A tap adds its point to the options, which makes a new widget; with the
            # default index 0 a run racing the browser's new widget read the first station.
            index=None,
            format_func=lambda k: places[k].label,
            key=f"measure_{end}",
            placeholder=tr("widget.choose", lang),
            on_change=page.end_chosen,
            args=(state, end),
        )
    help_text, modes = tr("measure.click_mode_help", lang), page.click_modes(state)  # +planner
    _translated(
        st.radio, "measure.click_mode", modes, "click_mode", "click_mode", lang=lang, help=help_text
    )
    # Drawn only while open, like the uploader: three widgets fewer on a cold load.
    box = layout.lazy(tr("coords.header", lang), "coords_open")
    if box is None:
        return
    with box:
        coord_text = st.text_input(
            tr("coords.text", lang),
            key="coord_text",
            max_chars=coordinput.MAX_TEXT_CHARS,
            help=tr("coords.text_help", lang),
            placeholder="121.4216, 31.2381",
            persist_state="page",
        )
        order = _translated(
            st.radio,
            "coords.order",
            coordinput.ORDERS,
            "coord_order",
            "order",
            lang=lang,
            persist_state="page",
        )
        in_datum = _translated(
            st.selectbox,
            "coords.datum",
            page.INPUT_DATUMS,
            "coord_datum",
            "datum",
            lang=lang,
            persist_state="page",
        )
        if not coord_text.strip():
            return
        typed = coordinput.read_point(coord_text, order=order, datum=in_datum)
        for kind, note in page.typed_notes(typed, lang=lang):
            getattr(st, kind)(note)
        if typed.lonlat is not None:
            for col, end in zip(st.columns(2), page.ENDS, strict=True):
                col.button(
                    tr(f"coords.use_{end}", lang),
                    key=f"coord_use_{end}",
                    on_click=page.use_point,
                    args=(state, end, typed.lonlat),
                )
