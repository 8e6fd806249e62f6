"""The events panel (issue 15): editions upcoming and past, filters, the one on the map.

Layout only. What the panel lists and which edition is selected is decided by
``putuo_geo.page.event_view`` (before the map is drawn: the map needs the selection);
the map layer is ``putuo_geo.mapevents.event_layer`` (through ``mapview.compose``); the
GPX by ``putuo_geo.page.event_download``. ``app.py`` calls :func:`load` (before the
permalink is restored: a link's ``event=`` is checked against the editions),
:func:`prepare` (before the map) and :func:`show` (where the panel sits on the page).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

import geopandas as gpd
import streamlit as st

from panels import layout
from putuo_geo import errors, events, i18n, page, processcache
from putuo_geo.i18n import Lang, tr

Sig = tuple[tuple[str, int], ...]
#: The date inputs' bounds: every edition the layer can hold, with room either side.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


Loaded: TypeAlias = gpd.GeoDataFrame | errors.PutuoGeoError | None


@processcache.memo(max_entries=2)  # out of reach of clear_cache (issue 23)
def load(folder: str, signature: Sig) -> Loaded:
    """The events layer of ``folder`` (cached per data folder), or why it cannot be read.

    ``None`` when the folder has no ``events.geojson`` (an optional layer: the panel
    says so and the map works as before); the error when the file is bad (the panel
    lists its problems). ``signature`` changes when a file in the folder does.
    """
    if not (Path(folder) / f"{events.LAYER}.geojson").is_file():
        return None
    try:
        return events.load_events(folder)
    except errors.PutuoGeoError as exc:
        return exc


@processcache.memo(max_entries=8)
def texts(folder: str, signature: Sig, lang: Lang, _loaded: Loaded) -> dict[str, tuple[str, str]]:
    """Every edition's select label and list line (``page.event_label`` / ``event_line``),
    by id: made once per data folder and language, not on every run."""
    if not isinstance(_loaded, gpd.GeoDataFrame):
        return {}
    records = _loaded.drop(columns="geometry").to_dict("records")
    return {
        str(p["id"]): (page.event_label(p, lang=lang), page.event_line(p, lang=lang))
        for p in records
    }


def ids(loaded: Loaded) -> list[str]:
    """The editions a link's ``event=`` may name."""
    return page.event_ids(loaded) if isinstance(loaded, gpd.GeoDataFrame) else []


def today() -> dt.date:
    """Today on the creek (Shanghai's calendar day, whatever the server's clock zone)."""
    return dt.datetime.now(ZoneInfo(page.EVENT_TIMEZONE)).date()


def prepare(state: Any, loaded: Loaded, *, lang: Lang) -> page.EventView:
    """The panel's listing and selection for this run (``view.selected`` goes to the map)."""
    if isinstance(loaded, errors.PutuoGeoError):
        problems = getattr(loaded, "problems", None) or [str(loaded)]
        return page.event_view(state, None, today=today(), lang=lang, problems=problems)
    return page.event_view(state, loaded, today=today(), lang=lang)


def show(view: page.EventView, *, lang: Lang, folder: Any, signature: Sig) -> None:
    """The panel: filters, upcoming and past editions, the select, the selection's facts."""
    # Closed until asked for (a link that names an edition opens it): its date pickers
    # alone fetched about 200 kB of scripts on a cold load, before the map (issue 13).
    # Closed, its widgets are not drawn; persist_state keeps their values meanwhile.
    box = layout.lazy(tr("events.title", lang), page.EVENTS_OPEN_KEY)
    if box is None:
        return
    with box:
        _body(view, lang=lang, folder=folder, signature=signature)


def _body(view: page.EventView, *, lang: Lang, folder: Any, signature: Sig) -> None:
    made = texts(str(folder), signature, lang, load(str(folder), signature))
    unshown = page.event_unshown(view, Path(folder), lang=lang)  # no layer, or a bad one
    if unshown is not None:
        kind, text = unshown
        getattr(st, kind)(text)
        return
    kinds, start, end = st.columns([2, 1, 1])
    kinds.multiselect(
        tr("events.filter_kind", lang),
        list(events.KINDS),
        format_func=lambda k: i18n.value("kind", k, lang),
        key="event_kinds",
        placeholder=tr("widget.choose_many", lang),
        select_all=False,  # Streamlit's "Select all" is English only
        persist_state="page",
    )
    for col, key in ((start, "event_from"), (end, "event_to")):
        col.date_input(
            tr(f"events.{key.replace('event_', 'date_')}", lang),
            min_value=FIRST_DAY,
            max_value=LAST_DAY,
            key=key,
            persist_state="page",
        )
    if view.range_note:
        st.warning(view.range_note)
    if view.upcoming.empty and view.past.empty:
        st.info(tr("events.none", lang))
    else:
        st.markdown(f"**{tr('events.upcoming', lang)}**")
        if view.upcoming.empty:
            when = events.format_date(view.today, lang)
            st.info(tr("events.no_upcoming", lang, today=when))
        else:
            st.markdown("\n".join(made[str(i)][1] for i in view.upcoming["id"]))
        if not view.past.empty:
            st.markdown(f"**{tr('events.past', lang)}** · {tr('events.latest_past', lang)}")
            st.markdown("\n".join(made[str(i)][1] for i in view.past["id"]))
    labels = {i: made[i][0] for i in view.ids}
    st.selectbox(
        tr("events.select", lang),
        [page.NO_EVENT, *view.ids],
        format_func=lambda i: labels.get(i) or tr("events.select_none", lang),
        key=page.EVENT_KEY,
        help=tr("events.select_help", lang),
        placeholder=tr("widget.choose", lang),
        persist_state="page",
    )
    if view.selected is None:
        return
    props, geometry = view.selected
    st.markdown("  \n".join(page.event_details(props, lang=lang)))
    gpx = page.event_download(props, geometry, lang=lang)
    if gpx is not None:
        st.download_button(
            tr(gpx.label_key, lang), gpx.data, gpx.file_name, gpx.mime, on_click="ignore"
        )
