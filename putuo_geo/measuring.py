"""Measuring by tapping the map (issue 24): the page's side, without Streamlit.

The map's script (:class:`putuo_geo.mapcontrols.MapTaps`) holds a *measuring mode*,
switched by one button on the map. While it is on, every tap on the map, whatever is
drawn under it (a route piece, a station, the One Belt zone that covers everything
within 500 m of the creek), is a tap: no popup opens and no fill swallows it. The
first tap sets FROM, the second TO; a third starts again at FROM.

The map tells the page with one message in ``st_folium``'s return value, under
``last_object_clicked_tooltip`` (a field the page already asks for):
``"putuo-geo:taps {json}"`` with

- ``seq``: a string unique to the message (a message is acted on once);
- ``mode``: ``"measure"`` or ``"off"``;
- ``from`` / ``to`` (each optional): ``[lat, lng]`` in the drawn datum for an end
  tapped since the page last drew the map, ``null`` for an end cleared; an end left
  out stays as the page has it (a station chosen in the sidebar stays a station).

Each message carries the whole of what changed since the page's last answer, so two
taps that reach the server within one script run (Streamlit keeps only a
component's latest value) still give FROM *and* TO. The page snaps each tapped end to
the route (:meth:`putuo_geo.network.RouteNetwork.snap`) and answers with
:class:`MapSync`: the mode, the ends, the answer card and a fit request, which the
map script applies (:class:`putuo_geo.mapcontrols.MapTapsSync`).

The measurement is brought into view once per new measurement (:func:`fit_request`),
not on every rerun, and not when a shared link brought its own view.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from putuo_geo import datum, display, doubt, i18n, latlon, mapcontrols, network, page
from putuo_geo.i18n import Lang, tr
from putuo_geo.safety import escape_html

State = MutableMapping[str, Any]
LonLat = tuple[float, float]

#: How a message from the map starts (the rest is JSON).
TAP_PREFIX = mapcontrols.TAP_PREFIX
#: Longest message read (characters): a message is under 200; anything longer is not ours.
MAX_MESSAGE_CHARS = 1000
#: The click mode (``state["click_mode"]``) in which taps set FROM and TO.
MEASURE_MODE = "from_to"
#: The click mode measuring falls back to when it is switched off.
OFF_MODE = "nearest"
ENDS: tuple[str, str] = ("from", "to")
#: Where the last acted-on message's ``seq``, the fit counter and the measured ends live.
SEEN_KEY, FIT_KEY, FITTED_ENDS_KEY = "tap_seen", "fit_seq", "fitted_ends"
#: ``points[end]["origin"]`` of an end set by a tap (labelled ``place.click``).
TAP_ORIGIN = "click"


@dataclass(frozen=True)
class TapMessage:
    """One message from the map: its ``seq``, whether measuring is on, and the ends it
    sets (``end -> (lon, lat)`` in the drawn datum, or ``None`` for an end cleared)."""

    seq: str
    measuring: bool
    ends: Mapping[str, LonLat | None]


def _lonlat(value: Any) -> LonLat | None:
    """``[lat, lng]`` from the browser as ``(lon, lat)``, or ``None`` if it is not two
    finite numbers."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    lat, lon = float(value[0]), float(value[1])
    return (lon, lat) if math.isfinite(lat) and math.isfinite(lon) else None


def read_message(returned: Mapping[str, Any] | None) -> TapMessage | None:
    """The map's tap message in ``st_folium``'s return value, or ``None``.

    Never raises: the value comes from a browser. Anything that is not a well-formed
    message (another tooltip, bad JSON, an end that is not two finite numbers) is
    ``None`` or leaves that end out.
    """
    if not isinstance(returned, Mapping):
        return None
    text = returned.get("last_object_clicked_tooltip")
    if not isinstance(text, str) or not text.startswith(TAP_PREFIX):
        return None
    if len(text) > MAX_MESSAGE_CHARS:
        return None
    try:
        body = json.loads(text[len(TAP_PREFIX) :])
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("seq"), str):
        return None
    ends: dict[str, LonLat | None] = {}
    for end in ENDS:
        if end not in body:
            continue
        if body[end] is None:
            ends[end] = None
        else:
            point = _lonlat(body[end])
            if point is not None:
                ends[end] = point
    return TapMessage(seq=body["seq"], measuring=body.get("mode") == "measure", ends=ends)


def is_measuring(state: State) -> bool:
    """Whether taps on the map set FROM and TO now."""
    return state.get("click_mode") == MEASURE_MODE


def clear(state: State) -> None:
    """Forget FROM and TO (nothing is measured or drawn until the user asks again)."""
    points = state.setdefault("points", {})
    for end in ENDS:
        page.set_end(state, end, None)
        points.pop(end, None)


def take_message(
    state: State,
    returned: Mapping[str, Any] | None,
    *,
    snap: Callable[[LonLat], LonLat],
) -> bool:
    """Act on the map's latest tap message, once; whether it was new.

    The mode follows the message (the map's button is the switch; the sidebar's click
    mode radio shows it). Each tapped end is converted from the drawn datum
    (``state["shown_datum"]``) to WGS-84, refused if outside Shanghai
    (``state["click_problem"]``, as a click), else snapped to the route by ``snap``
    (WGS-84 ``(lon, lat)`` -> nearest route point) and made that end.
    """
    message = read_message(returned)
    if message is None or message.seq == state.get(SEEN_KEY):
        return False
    state[SEEN_KEY] = message.seq
    if message.measuring:
        state["click_mode"] = MEASURE_MODE
    elif is_measuring(state):
        state["click_mode"] = OFF_MODE
    shown: datum.Datum = state.get("shown_datum", "wgs84")
    points = state.setdefault("points", {})
    for end, raw in message.ends.items():
        if raw is None:
            page.set_end(state, end, None)
            points.pop(end, None)
            continue
        lonlat = datum.convert_point(raw, src=shown, dst="wgs84")
        problem = latlon.point_problem(lonlat)
        if problem is not None:
            state["click_problem"] = problem
            continue
        points[end] = {"lonlat": snap(lonlat), "origin": TAP_ORIGIN}
        page.set_end(state, end, page.point_key(end))
    return True


def snapper(routes: network.RouteNetwork) -> Callable[[LonLat], LonLat]:
    """``(lon, lat)`` -> the nearest point of the route (WGS-84), for :func:`take_message`."""

    def snap(lonlat: LonLat) -> LonLat:
        return routes.snap(lonlat).on_route_lonlat

    return snap


def fit_request(
    state: State, ends_lonlat: tuple[LonLat, LonLat] | None, *, link_view: bool = False
) -> int:
    """The fit counter: raised once for each new measurement the map should bring into view.

    ``ends_lonlat`` are the measured ends (``None``: nothing measured). The map fits
    the path whenever the counter it is given is above the last one it fitted, so the
    same measurement is fitted once, whatever reruns follow. ``link_view``: the page
    was opened from a link with its own view (``c``, ``z``), which wins over fitting
    the link's measurement on the session's first run.
    """
    first = FIT_KEY not in state
    seq = int(state.get(FIT_KEY, 0))
    new = ends_lonlat is not None and ends_lonlat != state.get(FITTED_ENDS_KEY)
    if new and not (first and link_view):
        seq += 1
    state[FITTED_ENDS_KEY] = ends_lonlat
    state[FIT_KEY] = seq
    return seq


def bridge_names(bridges: Any, *, lang: Lang) -> dict[str, str]:
    """Bridge id -> its name in ``lang`` (one name, short enough for a card on a phone)."""
    return {
        str(fid): i18n.name(en, zh, lang, both=False)
        for fid, en, zh in zip(bridges["id"], bridges["name_en"], bridges["name_zh"], strict=True)
    }


# ------------------------------------------------------------------ the answer card


@dataclass(frozen=True)
class Answer:
    """What the card on the map says about a measurement: plain text, in one language.

    ``ends`` the FROM and TO labels; ``along`` the length along the route (``≈`` when
    part of it is modelled); ``times`` ``(mode label, duration)`` on foot, running and
    cycling; ``bridges`` the names of the bridges crossed, in order; ``doubt`` the
    sentence on the modelled share (empty when none is modelled).
    """

    ends: tuple[str, str]
    along: str
    times: tuple[tuple[str, str], ...]
    bridges: tuple[str, ...]
    doubt: str


def answer(
    m: network.Measurement,
    *,
    end_labels: tuple[str, str],
    bridge_names: Mapping[str, str],
    path_doubt: doubt.PathDoubt | None,
    lang: Lang,
) -> Answer:
    """The card's content for ``m`` (see :func:`putuo_geo.page.measurement_figures`).

    ``bridge_names``: bridge id -> its name in ``lang`` (an id without one is shown as
    it is). The times are on the along-route distance plus the short walks to and from
    the route, at :data:`putuo_geo.display.SPEEDS_KMH`.
    """
    modelled_m = path_doubt.modelled_m if path_doubt is not None else 0.0
    times = tuple(
        (tr(f"answer.{mode}", lang), display.format_duration(seconds))
        for mode, seconds in display.travel_times(m.total_m).items()
    )
    share = ""
    if path_doubt is not None and path_doubt.modelled_m > 0:
        share = tr(
            "answer.modelled",
            lang,
            pct=f"{100.0 * path_doubt.modelled_share:.0f}",
            accuracy=f"{path_doubt.worst_accuracy_m:,.0f}",
        )
    return Answer(
        ends=end_labels,
        along=display.format_length_on(m.along_route_m, modelled_m=modelled_m),
        times=times,
        bridges=tuple(bridge_names.get(b, b) for b in m.bridges),
        doubt=share,
    )


def card_labels(
    m: network.Measurement,
    *,
    keys: tuple[str | None, str | None],
    labels: tuple[str, str],
    lang: Lang,
) -> tuple[str, str]:
    """The card's names for the two ends: a tapped (or typed) point says where on the
    route it is, ``A · km 0.93`` (creek chainage of its route point), shorter on a phone
    than its coordinates; a station or site keeps its name."""
    out = []
    for end, key, label in zip((m.start, m.end), keys, labels, strict=True):
        if key is not None and key.startswith("point:") and end.chainage_m is not None:
            letter = "A" if key == "point:from" else "B"
            chainage = display.format_chainage(end.chainage_m)
            label = tr("answer.point", lang, letter=letter, chainage=chainage)
        out.append(label)
    return out[0], out[1]


def card_html(found: Answer, *, lang: Lang) -> str:
    """The answer card's HTML: every text escaped, constant markup around it."""
    e = escape_html
    names = ("、" if lang == "zh" else ", ").join(found.bridges)
    bridges = tr("answer.bridges", lang, count=len(found.bridges), names=names)
    if not found.bridges:
        bridges = tr("answer.no_bridges", lang)
    times = " · ".join(f"{e(label)} <b>{e(value)}</b>" for label, value in found.times)
    lines = [
        f'<div class="pg-answer-ends">{e(found.ends[0])} → {e(found.ends[1])}</div>',
        f'<div class="pg-answer-along">{e(tr("answer.along", lang))} <b>{e(found.along)}</b></div>',
        f'<div class="pg-answer-times">{times}</div>',
        f'<div class="pg-answer-bridges">{e(bridges)}</div>',
    ]
    if found.doubt:
        lines.append(f'<div class="pg-answer-doubt">{e(found.doubt)}</div>')
    return "".join(lines)


# ------------------------------------------------------------------ the page -> the map


@dataclass(frozen=True)
class MapSync:
    """What the page tells the map's script after each run (drawn datum, folium order).

    ``mode``: ``"measure"``, ``"candidate"`` (the planner takes clicks on features as
    before) or ``"pick"`` (a tap on overlapping features offers a list). ``ends``:
    ``end -> [lat, lng]`` of the ends set. ``card``: the answer's HTML or ``None``.
    ``fit``: the fit counter (:func:`fit_request`), ``bounds`` what to fit. ``seen``:
    the last message from the map acted on (the map keeps what it sent after it).
    """

    mode: str
    ends: Mapping[str, list[float]]
    card: str | None
    fit: int
    bounds: list[list[float]] | None
    seen: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON the map script's ``pgTaps.sync`` takes."""
        return {
            "mode": self.mode,
            "ends": dict(self.ends),
            "card": self.card,
            "fit": self.fit,
            "bounds": self.bounds,
            "seen": self.seen,
        }


def map_mode(state: State, *, candidate_mode: str) -> str:
    """The map script's tap mode for this run (see :class:`MapSync`)."""
    if is_measuring(state):
        return "measure"
    if state.get("click_mode") == candidate_mode:
        return "candidate"
    return "pick"


def drawn_ends(
    state: State, places: Mapping[str, Any], *, draw_datum: datum.Datum
) -> dict[str, list[float]]:
    """The ends set, as ``[lat, lng]`` in the drawn datum (for the map's markers)."""
    out: dict[str, list[float]] = {}
    for end in ENDS:
        key = state.get(f"measure_{end}")
        if key and key in places:
            lon, lat = datum.convert_point(places[key].lonlat, src="wgs84", dst=draw_datum)
            out[end] = [round(lat, 6), round(lon, 6)]
    return out


def path_bounds(m: network.Measurement, *, draw_datum: datum.Datum) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the path and both places, in the drawn datum."""
    xy = np.vstack([np.asarray(m.path.coords)[:, :2], [m.start.lonlat, m.end.lonlat]])
    lons, lats = xy[:, 0], xy[:, 1]
    if draw_datum != "wgs84":  # one vectorised conversion, not one call per vertex
        lons, lats = datum.convert_lonlat(lons, lats, src="wgs84", dst=draw_datum)
    return [
        [float(np.min(lats)), float(np.min(lons))],
        [float(np.max(lats)), float(np.max(lons))],
    ]


def map_sync(
    state: State,
    places: Mapping[str, Any],
    m: network.Measurement | None,
    *,
    keys: tuple[str | None, str | None],
    labels: tuple[str, str],
    path_doubt: doubt.PathDoubt | None,
    bridges: Any,
    draw_datum: datum.Datum,
    lang: Lang,
    candidate_mode: str,
    link_view: bool = False,
) -> MapSync:
    """Everything the map's script is told after a run (see :class:`MapSync`).

    ``places`` the page's place choices (key -> an object with ``lonlat``); ``keys``
    and ``labels`` the FROM/TO keys and labels; ``bridges`` the bridges layer (names
    for the card); ``link_view`` as :func:`fit_request`.
    """
    card = bounds = None
    ends = None
    if m is not None:
        found = answer(
            m,
            end_labels=card_labels(m, keys=keys, labels=labels, lang=lang),
            bridge_names=bridge_names(bridges, lang=lang),
            path_doubt=path_doubt,
            lang=lang,
        )
        card = card_html(found, lang=lang)
        bounds = path_bounds(m, draw_datum=draw_datum)
        ends = (m.start.lonlat, m.end.lonlat)
    return MapSync(
        mode=map_mode(state, candidate_mode=candidate_mode),
        ends=drawn_ends(state, places, draw_datum=draw_datum),
        card=card,
        fit=fit_request(state, ends, link_view=link_view),
        bounds=bounds,
        seen=state.get(SEEN_KEY),
    )
