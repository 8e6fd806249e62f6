"""The planner view on the page (issue 14): sidebar controls, map layers, figures.

Layout only. What the widgets hold and every sentence and table come from
``putuo_geo.planner_page`` (unit-tested) and ``putuo_geo.coverage``; the map layers from
``putuo_geo.planmap``. ``app.py`` calls :func:`read` once the route network is known
(before the map is composed: the layers go into ``mapview.compose(extra_layers=...)``),
then :func:`sidebar` and :func:`figures` after the map.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from putuo_geo import (
    coverage,
    i18n,
    layers,
    network,
    page,
    planmap,
    planner_page,
    processcache,
    uploads,
)
from putuo_geo.i18n import tr


@processcache.memo(max_entries=2)  # out of reach of clear_cache (issue 23)
def _model(
    folder: str, signature: Any, _atlas: layers.Atlas, _routes: network.RouteNetwork
) -> tuple[coverage.CoverageModel, tuple[coverage.Site, ...]]:
    """The coverage model and today's stations for one data folder (shared, read only)."""
    model = coverage.CoverageModel.from_atlas(_atlas, network=_routes)
    return model, model.stations(_atlas.stations)


@processcache.memo(max_entries=32)
def _ranges(
    folder: str,
    signature: Any,
    kmh: float,
    minutes: float,
    _model: coverage.CoverageModel,
    _stations: tuple[coverage.Site, ...],
) -> dict[str, Any]:
    """How today's figures move within the stations' accuracy (~0.4-0.9 s: once per setting)."""
    return _model.sensitivity(_stations, speed_kmh=kmh, minutes=minutes)


@processcache.memo(max_entries=64)
def _compare(
    folder: str,
    signature: Any,
    candidates: tuple[coverage.Site, ...],
    kmh: float,
    minutes: float,
    _model: coverage.CoverageModel,
    _stations: tuple[coverage.Site, ...],
) -> coverage.WhatIf:
    """Before and after the candidates: one Dijkstra each, so once per set and setting
    (a rerun that changes neither, e.g. a pan, costs nothing here; issue 23)."""
    return _model.compare(_stations, candidates, speed_kmh=kmh, minutes=minutes)


@processcache.memo(max_entries=32)
def _reach(
    folder: str,
    signature: Any,
    station_id: str,
    kmh: float,
    minutes: float,
    _model: coverage.CoverageModel,
    _stations: tuple[coverage.Site, ...],
    _sites: Any,
) -> coverage.Reach:
    """One station's reach (a Dijkstra), once per station and setting."""
    site = coverage.site_by_id(_stations, station_id)
    return _model.reach(site, minutes=minutes, speed_kmh=kmh, sites=_sites)


@dataclass
class View:
    """What the planner decided this run (``on`` False: nothing to draw or show)."""

    on: bool = False
    lang: i18n.Lang = "en"
    datum: Any = "wgs84"
    model: coverage.CoverageModel | None = None
    stations: tuple[coverage.Site, ...] = ()
    candidates: tuple[coverage.Site, ...] = ()
    what: coverage.WhatIf | None = None
    ranges: dict[str, Any] | None = None
    reach: coverage.Reach | None = None
    #: Station, candidate and bridge ids -> names in the page language (tables and
    #: sentences speak names, not ids: issue 24).
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def layers(self) -> list[Any]:
        """The planner's map layers, built anew on each call: the live map and the HTML
        export each get their own (``st_folium`` re-parents and renames the groups)."""
        if not self.on or self.what is None:
            return []
        shown = []
        if self.reach is not None:  # wide and translucent, under the bands
            shown.append(planmap.reach_layer(self.reach, lang=self.lang, datum=self.datum))
        shown.append(planmap.bands_layer(self.what.after, lang=self.lang, datum=self.datum))
        if self.candidates:
            shown.append(
                planmap.candidates_layer(self.candidates, lang=self.lang, datum=self.datum)
            )
        return shown


def read(
    state: Any,
    atlas: layers.Atlas,
    routes: network.RouteNetwork,
    *,
    folder: str,
    signature: Any,
    lang: i18n.Lang,
    datum: Any,
) -> View:
    """The figures and layers the planner's controls ask for (nothing when it is off).

    Read from the controls' keys in the session: the controls are drawn after the map
    (:func:`sidebar`; see :class:`putuo_geo.page.SidebarValues`), with the defaults set
    here. ``atlas`` and ``routes`` are the page's (cached per data folder and its
    signature, ``folder`` and ``signature``, which key the coverage model here too: the page
    has read them once this run); ``datum`` the one the basemap is drawn in.
    """
    if not state.setdefault(page.PLANNER_KEY, False):
        return View(lang=lang)
    model, stations = _model(folder, signature, atlas, routes)
    held = planner_page.planner_values(state, station_ids=[s.id for s in stations])
    kmh, minutes = held.speed_kmh, held.minutes
    cands = planner_page.current_candidates(state, model, stations=stations, lang=lang)
    what = _compare(folder, signature, cands, float(kmh), float(minutes), model, stations)
    reach = None
    if held.reach_id:
        reach = _reach(
            folder,
            signature,
            held.reach_id,
            float(kmh),
            float(minutes),
            model,
            stations,
            atlas.sites,
        )
    return View(
        on=True,
        lang=lang,
        datum=datum,
        model=model,
        stations=stations,
        candidates=cands,
        what=what,
        ranges=_ranges(folder, signature, float(kmh), float(minutes), model, stations),
        reach=reach,
        names=planner_page.feature_names(atlas, (*stations, *cands), lang=lang),
    )


def sidebar(view: View, *, state: Any, lang: i18n.Lang) -> None:
    """The sidebar's planner controls (off by default), drawn after the map."""
    with st.sidebar:
        st.header(tr("planner.header", lang))
        st.toggle(
            tr("planpanel.toggle", lang),
            key=page.PLANNER_KEY,
            help=tr("planpanel.toggle_help", lang),
            on_change=page.planner_switched,
            args=(state,),
        )
        if not view.on:
            return
        st.radio(
            tr("planner.speed", lang),
            planner_page.SPEEDS_KMH,
            format_func=lambda v: planner_page.speed_label(v, lang=lang),
            key=planner_page.SPEED_KEY,
            horizontal=True,
            help=tr("planner.speed_help", lang),
        )
        low, high, step = planner_page.MINUTES_RANGE
        st.slider(tr("planner.minutes", lang), low, high, step=step, key=planner_page.MINUTES_KEY)
        names = {
            s.id: i18n.name(s.name_en, s.name_zh, lang, both=False) or s.id for s in view.stations
        }
        st.selectbox(
            tr("planner.reach_header", lang),
            ["", *(s.id for s in view.stations)],
            format_func=lambda v: names.get(v) or tr("planpanel.reach_none", lang),
            key=planner_page.REACH_KEY,
            placeholder=tr("widget.choose", lang),
        )


def figures(
    view: View, *, state: Any, lang: i18n.Lang, user_layer: uploads.UserLayer | None
) -> None:
    """The planner's figures, reach and what-if, below the map (nothing when it is off)."""
    if not view.on or view.what is None or view.model is None:
        return
    what, model = view.what, view.model
    stations = view.stations
    today = what.before.figures()
    st.subheader(tr("planner.header", lang))
    lines = coverage.describe(today, view.ranges, lang)
    if today.get("indicative_stations"):
        st.warning(lines.pop(0), icon="⚠️")  # the honesty banner first
    st.markdown(f"**{tr('planpanel.bands_header', lang)}**")
    st.dataframe(planner_page.bands_table(what.before, view.ranges, lang=lang), hide_index=True)
    st.markdown("\n".join(f"- {line}" for line in lines))
    # Built only when open (like the page's share box): every rerun sends what is drawn.
    spacing = st.expander(
        tr("planner.spacing_table", lang), key="planner_spacing_open", on_change="rerun"
    )
    if spacing.open:
        spacing.dataframe(
            planner_page.spacing_table(today, lang=lang, names=view.names), hide_index=True
        )

    st.markdown(f"#### {tr('planner.reach_header', lang)}")
    if view.reach is None:
        st.caption(tr("planpanel.reach_pick", lang))
    else:
        st.markdown(planner_page.reach_text(view.reach, lang=lang, names=view.names))
        st.caption(tr("planner.reach_rule", lang))
        if len(view.reach.sites):
            st.dataframe(planner_page.reach_sites_table(view.reach, lang=lang), hide_index=True)

    st.markdown(f"#### {tr('planner.candidates_header', lang)}")
    st.caption(tr("planner.candidates_help", lang))
    if state.get("click_mode") == page.CANDIDATE_MODE:
        st.caption(tr("planpanel.click_hint", lang))
    else:
        st.info(tr("planpanel.click_mode_hint", lang))
    refused = planner_page.problems_markdown(state, lang=lang)
    if refused:
        st.error(refused)
    use, clear = st.columns(2)
    use.button(
        tr("planner.candidate_from_upload", lang),
        key="planner_use_upload",
        disabled=user_layer is None,
        help=None if user_layer is not None else tr("planpanel.upload_first", lang),
        on_click=_add_upload,
        args=(state, model, None if user_layer is None else user_layer.frame),
        kwargs={
            "stations": stations,
            "file_name": "" if user_layer is None else user_layer.file_name,
            "lang": lang,
        },
    )
    clear.button(
        tr("planner.candidate_clear", lang),
        key="planner_clear",
        disabled=not view.candidates,
        on_click=planner_page.clear_candidates,
        args=(state,),
    )
    if not view.candidates:
        st.caption(tr("planpanel.candidates_none", lang))
        return
    text = planner_page.what_if_text(what, view.ranges, lang=lang, today=today)
    before, after = st.columns(2)
    before.markdown(f"**{tr('planner.before', lang)}**")
    before.markdown("\n".join(f"- {line}" for line in text.before))
    after.markdown(f"**{tr('planner.after', lang)}**")
    after.markdown("\n".join(f"- {line}" for line in text.after))
    st.caption(tr("planpanel.after_note", lang))
    st.markdown("\n".join(f"- {line}" for line in text.per_candidate))
    item = planner_page.candidates_csv(
        model, view.candidates, date=datetime.date.today().isoformat()
    )
    st.download_button(
        tr(item.label_key, lang),
        item.data,
        item.file_name,
        item.mime,
        on_click="ignore",
        key="planner_csv",
    )


def _add_upload(*args: Any, **kwargs: Any) -> None:
    """Button callback: Streamlit wants a callback that returns nothing."""
    planner_page.add_upload(*args, **kwargs)
