"""Phone-first map controls: locate ("where am I"), fullscreen, a collapsible legend.

Each is a folium ``MacroElement`` to add to a map (``control.add_to(m)``). Their
browser files are npm packages copied into ``static/vendor`` by
:mod:`putuo_geo.assets` (``leaflet.locatecontrol``, ``leaflet.fullscreen``) and their
``default_js`` / ``default_css`` point there from the start; the names are keys of
:data:`putuo_geo.assets.LOCAL_FILES`, so :func:`putuo_geo.assets.localize` handles
them like folium's own. folium ships ``LocateControl`` and ``Fullscreen`` plugins too,
but they pin older releases (locatecontrol 0.66, which draws its icon with Font
Awesome, dropped by :data:`putuo_geo.assets.UNUSED`) and have no error hook.

Like :mod:`putuo_geo.mapview`, this module never imports streamlit: the texts come
in as arguments (:func:`locate_control` and :func:`fullscreen_control` take them
from :mod:`putuo_geo.i18n`).

The position a browser finds stays in the browser, except as the map's own return
value: on ``locationfound`` the locate control "clicks" a hidden, empty layer tagged
:data:`HERE_TAG`, so ``st_folium`` reports the position as ``last_object_clicked``
with ``last_object_clicked_tooltip == HERE_TAG`` (:func:`position_from` reads it).
Nothing else sends it anywhere.
"""

from __future__ import annotations

import json
import re
from typing import Any

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from putuo_geo import assets, latlon, maplayer
from putuo_geo.i18n import Lang, tr

#: The tooltip of the hidden layer the locate control "clicks" with the found position.
HERE_TAG = "putuo-geo:here"
#: Smallest tap target for the map's buttons (px; WCAG 2.5.5 and Apple's HIG say 44).
TAP_PX = 44
#: How a tap message from :class:`MapTaps` starts (:mod:`putuo_geo.measuring` reads it).
TAP_PREFIX = "putuo-geo:taps "


def _local(name: str) -> tuple[str, str]:
    # Local from the start (no CDN URL to forget): npm packages copied by
    # putuo_geo.assets; localize() rewrites the same names if given another base URL.
    return (name, f"{assets.STATIC_URL}/{assets.VENDOR_DIR}/{assets.LOCAL_FILES[name]}")


def _squeezed(source: str) -> Template:
    """A template without the indentation of its lines: the map's scripts reach the
    browser inside ``st_folium``'s JSON arguments, where every indenting space counts
    against the page's 150 KB budget (``tests/test_app.py``). Line breaks stay, so a
    script means what it says."""
    return Template(re.sub(r"\n[ \t]+", "\n", source))


def _js(value: Any) -> str:
    """``value`` as a JS literal that may be inlined in a ``<script>`` ("</" escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


class LocateControl(JSCSSMixin, MacroElement):
    """``leaflet.locatecontrol``'s button, with an explanation when it cannot locate.

    Parameters
    ----------
    title
        The button's tooltip ("Show where I am").
    popup
        The position marker's popup; ``{distance}`` and ``{unit}`` are filled by the
        plugin with the accuracy radius.
    not_secure
        Shown when the page is not a secure context (plain HTTP other than
        localhost), where browsers refuse geolocation.
    denied
        Shown when the user or the browser denied the permission.
    unavailable
        Shown when no position came (no fix, timeout, no geolocation API).
    position
        The Leaflet corner of the button.

    Notes
    -----
    The messages are plain text (set with ``textContent``), shown in a dismissable
    box in the map's top-right corner with ``role="alert"`` and class
    ``pg-locate-message``. On ``locationfound`` a hidden layer tagged
    :data:`HERE_TAG` is "clicked" with the position (see the module docstring).
    """

    _template = _squeezed(
        """
        {% macro header(this, kwargs) %}
        <style>
            .pg-locate-message {background: #fff; color: #1a1a1a; max-width: 260px;
                padding: 8px 36px 8px 10px; border-radius: 4px; font: 14px/1.4 sans-serif;
                box-shadow: 0 1px 5px rgba(0,0,0,0.4); position: relative;}
            .pg-locate-message button {position: absolute; top: 0; right: 0;
                width: {{ this.tap_px }}px; height: {{ this.tap_px }}px; border: 0;
                background: transparent; font-size: 20px; cursor: pointer;}
            {# The hidden layer's tag is for st_folium's return value, not for the eye. #}
            .pg-here-tag {display: none !important;}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var texts = {{ this.texts_json }};
            var here = L.circleMarker([0, 0], {radius: 0, opacity: 0, fillOpacity: 0,
                interactive: false}).bindTooltip({{ this.tag_json }}, {className: "pg-here-tag"})
                .addTo(map);
            var box = null;
            function say(text) {
                if (box === null) {
                    box = L.control({position: "topright"});
                    box.onAdd = function () {
                        var div = L.DomUtil.create("div", "pg-locate-message");
                        div.setAttribute("role", "alert");
                        var p = L.DomUtil.create("p", "", div);
                        p.style.margin = "0";
                        var close = L.DomUtil.create("button", "", div);
                        close.type = "button";
                        close.textContent = "\u00d7";
                        close.setAttribute("aria-label", texts.close);
                        L.DomEvent.on(close, "click", function (e) {
                            L.DomEvent.stop(e); box.remove(); });
                        L.DomEvent.disableClickPropagation(div);
                        return div;
                    };
                }
                box.addTo(map);
                box.getContainer().querySelector("p").textContent = text;
            }
            function explain(err) {
                if (!window.isSecureContext) return texts.not_secure;
                if (err && err.code === 1) return texts.denied;
                return texts.unavailable;
            }
            var control = L.control.locate({
                position: {{ this.position_json }},
                setView: "untilPanOrZoom",
                flyTo: false,
                showPopup: true,
                strings: {title: texts.title, popup: texts.popup},
                {# The plugin's default is alert(); the map says it in its own box instead. #}
                onLocationError: function (err, ctl) { ctl.stop(); say(explain(err)); },
                {# Street level, not the map's max zoom (19: nothing left to recognise). #}
                locateOptions: {enableHighAccuracy: true, maximumAge: 10000, maxZoom: 16}
            }).addTo(map);
            map.on("locationfound", function (e) {
                if (box !== null) box.remove();
                here.setLatLng(e.latlng);
                here.fire("click", {latlng: e.latlng});
            });
            if (!("geolocation" in navigator) || !window.isSecureContext) {
                {# Say why at the first tap instead of waiting for a failure. #}
                L.DomEvent.on(control.getContainer(), "click", function (e) {
                    L.DomEvent.stop(e); control.stop(); say(explain(null)); });
            }
            window.pgLocateControl = control;
        })();
        {% endmacro %}
        """
    )

    default_js = [_local("leaflet_locatecontrol_js")]  # noqa: RUF012 (folium API)
    default_css = [_local("leaflet_locatecontrol_css")]  # noqa: RUF012 (folium API)

    def __init__(
        self,
        *,
        title: str,
        popup: str,
        not_secure: str,
        denied: str,
        unavailable: str,
        close: str = "Close",
        position: str = "topleft",
    ) -> None:
        super().__init__()
        self._name = "LocateControl"
        texts = {
            "title": title,
            "popup": popup,
            "not_secure": not_secure,
            "denied": denied,
            "unavailable": unavailable,
            "close": close,
        }
        self.texts = texts
        self.texts_json = _js(texts)
        self.tag_json = _js(HERE_TAG)
        self.position_json = _js(position)
        self.tap_px = TAP_PX


class FullscreenControl(JSCSSMixin, MacroElement):
    """``leaflet.fullscreen``'s button (``L.Control.FullScreen``), texts from the caller."""

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        new L.Control.FullScreen({
            position: {{ this.position_json }},
            title: {{ this.title_json }},
            titleCancel: {{ this.title_cancel_json }},
            forceSeparateButton: true
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    default_js = [_local("leaflet_fullscreen_js")]  # noqa: RUF012 (folium API)
    default_css = [_local("leaflet_fullscreen_css")]  # noqa: RUF012 (folium API)

    def __init__(self, *, title: str, title_cancel: str, position: str = "topleft") -> None:
        super().__init__()
        self._name = "FullscreenControl"
        self.position_json = _js(position)
        self.title_json = _js(title)
        self.title_cancel_json = _js(title_cancel)


class TapTargets(MacroElement):
    """CSS that makes every Leaflet bar button (zoom, locate, fullscreen) ``TAP_PX`` square."""

    _template = _squeezed(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-bar a, .leaflet-touch .leaflet-bar a {
                width: {{ this.tap_px }}px; height: {{ this.tap_px }}px;
                line-height: {{ this.tap_px }}px;}
            .leaflet-control-locate a .leaflet-control-locate-location-arrow,
            .leaflet-control-locate a .leaflet-control-locate-spinner {
                margin: {{ (this.tap_px - 16) // 2 }}px;}
            .leaflet-control-zoom-in, .leaflet-control-zoom-out {font-size: 22px !important;}
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "TapTargets"
        self.tap_px = TAP_PX


#: The largest share of the map's area any one control may cover (issue 24: the open
#: legend covered a quarter of the desk's map and a station's popup opened under it).
MAX_CONTROL_SHARE = 0.15


class CollapsibleLegend(MacroElement):
    """The legend as a control that opens on demand, never more than 15 % of the map.

    Parameters
    ----------
    legend_html
        The legend's body, already escaped (e.g. :func:`putuo_geo.mapview.legend_html`).
    title
        The toggle button's text ("Legend").
    narrow_px
        A map narrower than this (px) is a phone's: the open box is twice as wide and
        half as high (a phone's map is tall and narrow), the same share of the map.
    position
        The Leaflet corner.
    width_share, height_share
        The open box's largest width and height as shares of a wide map's; their
        product may not exceed :data:`MAX_CONTROL_SHARE`.
    open_when_wide
        Whether it starts open on a map at least ``narrow_px`` wide (closed on a phone
        always). The page's legend starts closed: it opens on demand.

    Notes
    -----
    The limits are re-applied when the map resizes and the box scrolls inside, so it
    covers at most :data:`MAX_CONTROL_SHARE` of the map. The toggle is a ``<button>``
    with ``aria-expanded``; class ``pg-legend-toggle``, the box ``pg-legend``.
    """

    _template = _squeezed(
        """
        {% macro header(this, kwargs) %}
        <style>
            .pg-legend {background: #fff; color: #1a1a1a; border-radius: 4px;
                box-shadow: 0 1px 5px rgba(0,0,0,0.4); font: 13px/1.35 sans-serif;
                box-sizing: border-box; display: flex; flex-direction: column;}
            .pg-legend-toggle {min-height: {{ this.tap_px }}px; min-width: {{ this.tap_px }}px;
                border: 0; background: #fff; color: #1a1a1a; font: bold 14px sans-serif;
                padding: 0 12px; cursor: pointer; border-radius: 4px; text-align: left;}
            .pg-legend-body {overflow: auto; padding: 0 10px 8px 10px;}
            .pg-legend[data-open="false"] .pg-legend-body {display: none;}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: {{ this.position_json }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "pg-legend");
                var toggle = L.DomUtil.create("button", "pg-legend-toggle", div);
                toggle.type = "button";
                toggle.textContent = {{ this.title_json }};
                var body = L.DomUtil.create("div", "pg-legend-body", div);
                body.innerHTML = {{ this.html_json }};
                function fit() {
                    {# A share of the width x a share of the height: <= 15 % of the map;
                       a phone's narrow map gets a wider, lower box of the same share. #}
                    var size = map.getSize(), narrow = size.x < {{ this.narrow_px }};
                    var w = {{ this.width_share }} * (narrow ? 2 : 1);
                    var h = {{ this.height_share }} / (narrow ? 2 : 1);
                    div.style.maxWidth = Math.floor(size.x * w) + "px";
                    div.style.maxHeight = Math.floor(size.y * h) + "px";
                }
                function setOpen(open) {
                    div.setAttribute("data-open", open ? "true" : "false");
                    toggle.setAttribute("aria-expanded", open ? "true" : "false");
                    map.fire("pgcontrols");  {# popups and the first view keep clear of it #}
                }
                setOpen({{ this.open_when_wide_js }} && map.getSize().x >= {{ this.narrow_px }});
                fit();
                map.on("resize", fit);
                L.DomEvent.on(toggle, "click", function (e) {
                    L.DomEvent.stop(e);
                    setOpen(div.getAttribute("data-open") !== "true");
                });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        legend_html: str,
        *,
        title: str,
        narrow_px: int = 600,
        position: str = "bottomright",
        width_share: float = 0.3,
        height_share: float = 0.5,
        open_when_wide: bool = True,
    ) -> None:
        super().__init__()
        if width_share * height_share > MAX_CONTROL_SHARE + 1e-9:
            msg = (
                f"legend box {width_share} x {height_share} of the map is over "
                f"{MAX_CONTROL_SHARE:.0%} of it"
            )
            raise ValueError(msg)
        self._name = "CollapsibleLegend"
        self.width_share = float(width_share)
        self.height_share = float(height_share)
        self.html_json = _js(legend_html)
        self.title_json = _js(title)
        self.position_json = _js(position)
        self.narrow_px = int(narrow_px)
        self.open_when_wide_js = "true" if open_when_wide else "false"
        self.tap_px = TAP_PX


#: ``pgClearance(map)``: the room the map's controls take on each side, in px, as
#: ``{left, right, top, bottom, below}``: the widest control of the left and of the
#: right corners, the tallest of the bottom ones, plus a margin; ``below`` is where the
#: top corners' columns end. A box inside ``[left, width - right] x [top, height -
#: bottom]`` touches no control (the corner columns lie left and right of it, the
#: bottom row, scale bar and credits, under it); so does one inside ``[margin, width -
#: margin] x [below, height - bottom]`` (under the columns).
#: Defined once per page; read by :class:`FitClearOfControls` and
#: :class:`PopupsClearOfControls`.
CLEARANCE_JS = """if (!window.pgClearance) {
  window.pgClearance = function (map) {
    var box = map.getContainer().getBoundingClientRect(), room = {left: 0, right: 0,
      top: 0, bottom: 0, below: 0}, margin = 8;
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      var corner = c.parentNode.className;
      if (corner.indexOf("leaflet-bottom") >= 0) {
        room.bottom = Math.max(room.bottom, box.bottom - r.top + margin);
      } else if (corner.indexOf("leaflet-left") >= 0) {
        room.left = Math.max(room.left, r.right - box.left + margin);
      } else if (corner.indexOf("leaflet-right") >= 0) {
        room.right = Math.max(room.right, box.right - r.left + margin);
      }
      if (corner.indexOf("leaflet-top") >= 0) {
        room.below = Math.max(room.below, r.bottom - box.top + margin);
      }
    });
    room.top = margin;
    room.margin = margin;
    return room;
  };
}"""


class FitClearOfControls(MacroElement):
    """Fit the map's first view to ``bounds_latlon`` at once, and again when the map
    resizes until the user moves it.

    Parameters
    ----------
    bounds_latlon
        ``[[south, west], [north, east]]``, degrees in the drawn datum (folium's order).

    Notes
    -----
    Why by hand: folium's ``FitBounds`` runs once, with fixed padding. The map's frame
    takes its final height from the page's CSS only after the map has drawn, and
    Leaflet keeps the top-left corner when a map grows: a phone saw the belt in its
    upper half and 40 % of the map empty below (issue 24). So the fit runs again on
    every resize until the user touches the map. The belt is fitted clear of the
    controls (:data:`CLEARANCE_JS`): between the corner columns or under them, whichever
    shows it larger (on a phone's tall, narrow map: under them). Not animated: an
    animated fit swallows a tap on the zoom buttons for its 250 ms, right when the page
    has appeared. Add it after the other controls.
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        """
        + CLEARANCE_JS
        + """
        (function () {
            var map = {{ this._parent.get_name() }};
            var bounds = L.latLngBounds({{ this.bounds_json }});
            var touched = false, fitting = false, lastSize = map.getSize(), tries = 0;
            function fit() {
                var size = map.getSize();
                if (touched || !size.x || !size.y) { return; }
                var room = pgClearance(map), best = null;
                {# Two boxes clear of every control: between the corner columns, or
                   under them (a phone's map is tall and narrow, the belt wide and low).
                   The one that shows the belt larger wins; on a tie the larger box. #}
                [[L.point(room.left, room.top), L.point(room.right, room.bottom)],
                 [L.point(room.margin, room.below), L.point(room.margin, room.bottom)]
                ].forEach(function (pad) {
                    var free = size.subtract(pad[0]).subtract(pad[1]);
                    if (free.x < size.x / 3 || free.y < size.y / 4) { return; }
                    var zoom = map.getBoundsZoom(bounds, false, pad[0].add(pad[1]));
                    var area = free.x * free.y;
                    if (!best || zoom > best.zoom || (zoom === best.zoom && area > best.area)) {
                        best = {zoom: zoom, area: area, pad: pad};
                    }
                });
                fitting = true;
                {# Before Leaflet's stylesheet applies, the controls span the map (not
                   yet in their corners) and neither box is free: a plain fit for now,
                   and again every 100 ms (2 s at most) until the controls are placed. #}
                if (best) {
                    map.fitBounds(bounds, {animate: false, paddingTopLeft: best.pad[0],
                                           paddingBottomRight: best.pad[1]});
                } else {
                    map.fitBounds(bounds, {animate: false});
                    if (tries++ < 20) { setTimeout(fit, 100); }
                }
                fitting = false;
            }
            {# Any other move (a link's view, the view kept in this tab, an event's fit,
               the locate control) is the user's or the page's: no refit after it. A
               resize pans too (Leaflet keeps the centre), with a new size. #}
            map.on("movestart", function () {
                if (!fitting && map.getSize().equals(lastSize)) { touched = true; }
            });
            ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { touched = true; },
                                                    {passive: true, capture: true});
            });
            map.on("resize", function () { lastSize = map.getSize(); fit(); });
            fit();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds_latlon: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitClearOfControls"
        self.bounds_json = _js([[float(v) for v in corner] for corner in bounds_latlon])


class PopupsClearOfControls(MacroElement):
    """Popups drawn above the map's controls, sized to the map and panned clear of them.

    Notes
    -----
    Leaflet draws its controls over the popup pane and pans an opening popup clear
    of fixed padding only; a station's popup opened under the legend (issue 24). Each
    popup, as it is laid out (``L.Popup.update``, which Leaflet calls on opening), gets
    a ``maxWidth`` and ``maxHeight`` that fit between the controls
    (:data:`CLEARANCE_JS`) and the matching ``autoPanPadding``, so it opens whole and
    clear of every control. On a map narrower than ``narrow_px`` (a phone's) the strip
    between the columns is too narrow for a card: it takes the map's width instead, and
    the top corners' buttons are hidden while it is open (Leaflet's popup pane lies
    inside the map pane, under every control). While a popup is open the hover
    tooltips are hidden too (on a phone a tap shows both). Leaflet 1.9 (pinned by
    ``xstatic-leaflet``) reads these options when it lays a popup out.
    """

    _template = _squeezed(
        """
        {% macro header(this, kwargs) %}
        <style>.pg-popup-open .leaflet-tooltip:not(.pg-km) {display: none;}
        {# The popup pane lies inside the map pane, under every control: on a phone the
           top corners' buttons step aside while a card covers them. #}
        .pg-popup-open.pg-narrow .leaflet-top {visibility: hidden;}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        """
        + CLEARANCE_JS
        + """
        if (!L.Popup.prototype.__pgClear) {
            var update = L.Popup.prototype.update;
            L.Popup.prototype.update = function () {
                var map = this._map;
                if (map && !this.options.pgFixed) {
                    var room = pgClearance(map), size = map.getSize();
                    var tl = L.point(room.left, room.top), br = L.point(room.right, room.bottom);
                    {# A phone's map is too narrow for a card between the corner columns:
                       there the card takes the map's width, drawn over the buttons (the
                       pane is above them) until it is closed. #}
                    if (size.x < {{ this.narrow_px }}) {  {# under the page's sidebar button #}
                        tl = L.point(room.margin, 56);
                        br = L.point(room.margin, room.bottom);
                    }
                    this.options.autoPanPaddingTopLeft = tl;
                    this.options.autoPanPaddingBottomRight = br;
                    {# 40 px: the popup's own padding and close button; 30 px its tip #}
                    this.options.maxWidth = Math.max(160, Math.min(360, size.x - tl.x - br.x - 40));
                    this.options.minWidth = Math.min(this.options.minWidth || 50,
                        this.options.maxWidth);
                    this.options.maxHeight = Math.max(120, size.y - tl.y - br.y - 70);
                }
                return update.apply(this, arguments);
            };
            L.Popup.prototype.__pgClear = true;
        }
        (function () {  {# an open popup is not covered by a hover tooltip's copy #}
            var map = {{ this._parent.get_name() }};
            map.on("popupopen", function () {
                var narrow = map.getSize().x < {{ this.narrow_px }};
                L.DomUtil[narrow ? "addClass" : "removeClass"](map.getContainer(), "pg-narrow");
                L.DomUtil.addClass(map.getContainer(), "pg-popup-open"); });
            map.on("popupclose", function () {
                L.DomUtil.removeClass(map.getContainer(), "pg-popup-open"); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, narrow_px: int = 600) -> None:
        super().__init__()
        self._name = "PopupsClearOfControls"
        self.narrow_px = int(narrow_px)


class KeepPageStill(MacroElement):
    """A tap on the map does not scroll the page (issue 24: the page jumped on a phone).

    Notes
    -----
    Leaflet focuses the map's container on the first press (for its keyboard handler)
    and then restores the scroll of the map's own window. In ``st_folium``'s frame that
    is the wrong window: the browser scrolls the *page* to bring the focused frame into
    view, and a phone user who had scrolled the map half away saw the page jump when a
    popup opened. The container is focused with ``preventScroll`` instead (Leaflet
    1.9's handler, ``L.Map.Keyboard._onMouseDown``, otherwise unchanged; the map's
    keyboard handler is re-bound to it).
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var keys = {{ this._parent.get_name() }}.keyboard;
            if (!keys || L.Map.Keyboard.prototype.__pgStill) { return; }
            {# The map bound the old handler when it was made: unbind it first. #}
            var on = keys.enabled();
            if (on) { keys.disable(); }
            L.Map.Keyboard.prototype._onMouseDown = function () {
                if (this._focused) { return; }
                this._map._container.focus({preventScroll: true});
            };
            L.Map.Keyboard.prototype.__pgStill = true;
            if (on) { keys.enable(); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "KeepPageStill"


class DeclutterLabels(MacroElement):
    """Hide permanent labels (class ``label_class``) that would overlap an earlier one.

    Notes
    -----
    The km posts' labels ("3 km") overlapped at a phone's first zoom (issue 24). After
    every zoom and on resize, the labels are walked in the order they were added
    (chainage order) and one whose box meets a label already kept is hidden, so at
    every zoom the kept labels are apart; zooming in brings them back.
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var selector = ".leaflet-tooltip." + {{ this.class_json }};
            function declutter() {
                var kept = [];
                map.getPane("tooltipPane").querySelectorAll(selector).forEach(function (el) {
                    el.style.visibility = "";
                    var r = el.getBoundingClientRect(), clash = kept.some(function (k) {
                        return r.left < k.right + 4 && r.right > k.left - 4
                            && r.top < k.bottom && r.bottom > k.top;
                    });
                    if (clash) { el.style.visibility = "hidden"; } else { kept.push(r); }
                });
            }
            var later = function () { setTimeout(declutter, 0); };
            map.on("zoomend moveend resize layeradd", later);
            map.whenReady(later);
            {# a label's width changes once its web font has loaded #}
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(later); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, label_class: str) -> None:
        super().__init__()
        self._name = "DeclutterLabels"
        self.class_json = _js(label_class)


class MetricScale(MacroElement):
    """Leaflet's scale bar, metric only (folium's ``control_scale`` adds miles too)."""

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: "bottomleft"})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class ControlTexts(MacroElement):
    """Leaflet's own control texts (zoom and layer buttons) in the page's language, and
    the map's accessible name and language.

    Parameters
    ----------
    texts
        ``zoom_in``, ``zoom_out``, ``layers`` (the buttons' tooltips and accessible
        names), ``map`` (the map's accessible name) and ``leaflet`` (the tooltip of
        Leaflet's link in the credits).
    lang
        The BCP 47 tag of the page's language (``en``, ``zh-CN``).

    Notes
    -----
    Leaflet writes English titles ("Zoom in", "Layers") and ``st_folium`` adds the layer
    control after the map's own scripts, so the texts are set whenever a control is
    added. Inside ``st_folium`` the map's frame (same origin) gets the accessible name
    and the page's ``<html lang>`` follows the language: the frame's own title is
    the component's id, and Streamlit's page is always ``lang="en"``.
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, texts = {{ this.texts_json }};
            var lang = {{ this.lang_json }};
            var titled = {".leaflet-control-zoom-in": texts.zoom_in,
                          ".leaflet-control-zoom-out": texts.zoom_out,
                          ".leaflet-control-layers-toggle": texts.layers};
            function relabel() {
                Object.keys(titled).forEach(function (sel) {
                    map.getContainer().querySelectorAll(sel).forEach(function (el) {
                        if (el.title !== titled[sel]) {
                            el.title = titled[sel];
                            el.setAttribute("aria-label", titled[sel]);
                        }
                    });
                });
            }
            relabel();
            if (map.attributionControl) {  {# Leaflet's link, its tooltip in the language #}
                var a = document.createElement("a");
                a.href = "https://leafletjs.com";
                a.title = texts.leaflet;
                a.textContent = "Leaflet";
                map.attributionControl.setPrefix(a.outerHTML);
            }
            new MutationObserver(relabel).observe(
                map.getContainer().querySelector(".leaflet-control-container"),
                {childList: true, subtree: true});
            document.documentElement.lang = lang;
            map.getContainer().setAttribute("aria-label", texts.map);
            try {
                if (window.frameElement) {
                    window.frameElement.setAttribute("aria-label", texts.map);
                    window.parent.document.documentElement.lang = lang;
                }
            } catch (err) {}  {# another origin: leave its page alone #}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, texts: dict[str, str], *, lang: str) -> None:
        super().__init__()
        self._name = "ControlTexts"
        self.texts_json = _js(texts)
        self.lang_json = _js(lang)


class ViewInUrl(MacroElement):
    """Keep the map's view in the page's address bar, in the browser, without a rerun.

    Parameters
    ----------
    offset_lonlat
        What the drawn datum adds to a WGS-84 position near the belt (degrees; zero
        unless the basemap is drawn in GCJ-02): the link's ``c`` is WGS-84 (see
        :mod:`putuo_geo.permalink`), the map's centre is in the drawn datum.

    Notes
    -----
    Why by hand: ``st_folium`` can return the view only by rerunning the whole page
    script on every pan (issue 13). After the user moves the map, the view is written to
    the parent page's ``c`` (``lat,lon``) and ``z`` with ``history.replaceState``; the
    page's own URL updates (Streamlit rewrites the query string after a script run)
    keep it, and a map rebuilt in the same tab (language or basemap switched) reopens
    there. Moves made by the locate control are not written: a position never enters
    the link unless the user asks. Inside a saved HTML file (no parent page) it does
    nothing.
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var top = window.parent;
            if (!top || top === window) { return; }
            var off = {{ this.offset_json }};
            function merged(url) {
                var view = top.__pgView;
                if (!view) { return url; }
                var u = new URL(url === undefined || url === null ? top.location.href : url,
                                top.location.href);
                u.searchParams.set("c", view.c);
                u.searchParams.set("z", view.z);
                return u.toString();
            }
            try {
                var h = top.history;
                if (!h.__pgWrapped) {
                    var replace = h.replaceState.bind(h), push = h.pushState.bind(h);
                    h.replaceState = function (s, t, url) { return replace(s, t, merged(url)); };
                    h.pushState = function (s, t, url) { return push(s, t, merged(url)); };
                    h.__pgWrapped = true;
                }
            } catch (err) { return; }  {# another origin: leave the address bar alone #}
            var touched = false, located = false;
            ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { touched = true; },
                                                    {passive: true, capture: true});
            });
            map.on("locationfound", function () { located = true; });
            map.on("moveend", function () {
                if (located) { located = false; return; }
                if (!touched) { return; }
                var c = map.getCenter();
                top.__pgView = {
                    c: (c.lat - off[1]).toFixed(6) + "," + (c.lng - off[0]).toFixed(6),
                    z: String(map.getZoom())
                };
                top.history.replaceState(top.history.state, "", merged());
            });
            if (top.__pgView) {  {# rebuilt in this tab: reopen where the user left it #}
                var parts = top.__pgView.c.split(",");
                var at = [parseFloat(parts[0]) + off[1], parseFloat(parts[1]) + off[0]];
                setTimeout(function () {
                    map.setView(at, parseInt(top.__pgView.z, 10), {animate: false});
                }, 0);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, offset_lonlat: tuple[float, float] = (0.0, 0.0)) -> None:
        super().__init__()
        self._name = "ViewInUrl"
        self.offset_json = _js([float(offset_lonlat[0]), float(offset_lonlat[1])])


class ClickReturnNow(MacroElement):
    """Send a click on the map back to the page at once, not 250 ms later.

    Notes
    -----
    Why by hand: ``st_folium`` sends a click through a 250 ms debounce that it does not
    let a page configure, and a planner's candidate click must show its figures within
    300 ms (issue 14). After Leaflet and ``st_folium``'s own handlers have recorded a
    click in ``window.__GLOBAL_DATA__``, this builds the value exactly as
    ``st_folium``'s ``updateComponentValue`` does (the same fields, in the same order,
    filtered by its ``returned_objects``), sends it with the component library that
    ``st_folium`` puts on ``window.Streamlit`` (``setComponentValue``), and records it as
    ``previous_data``: the debounced call then finds nothing new and sends
    nothing, so a click still reruns the page once. A click that changed nothing Leaflet
    records (a drag's release; a control's clicks never reach the map's container) gives
    the value already sent and sends nothing. Outside
    ``st_folium`` (a saved HTML file) there is no ``__GLOBAL_DATA__`` and it does nothing.
    """

    _template = _squeezed(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function valueNow() {
                var g = window.__GLOBAL_DATA__;
                var wrap = function (ll) {
                    return ll && g.wrap_longitude ? map.wrapLatLng(ll) : ll;
                };
                var b = map.getBounds();
                var all = {
                    last_clicked: wrap(g.lat_lng_clicked),
                    last_object_clicked: wrap(g.last_object_clicked),
                    last_object_clicked_count: g.last_object_clicked_count,
                    last_object_clicked_tooltip: g.last_object_clicked_tooltip,
                    last_object_clicked_popup: g.last_object_clicked_popup,
                    all_drawings: g.all_drawings,
                    last_active_drawing: g.last_active_drawing,
                    last_geocoder_result: g.last_geocoder_result,
                    bounds: b && g.wrap_longitude ? map.wrapLatLngBounds(b) : b,
                    zoom: map.getZoom(),
                    last_circle_radius: g.last_circle_radius,
                    last_circle_polygon: g.last_circle_polygon,
                    center: wrap(map.getCenter()),
                    selected_layers: Object.values(g.selected_layers || {}),
                    selected_tags: g.selected_tags
                };
                if (!g.returned_objects) { return all; }
                var out = {};
                Object.keys(all).forEach(function (k) {
                    if (g.returned_objects.indexOf(k) >= 0) { out[k] = all[k]; }
                });
                return out;
            }
            function sendNow() {
                var g = window.__GLOBAL_DATA__;
                if (!g || !window.Streamlit || window.parent === window) { return; }
                var value = valueNow();
                if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
                g.previous_data = value;
                window.Streamlit.setComponentValue(value);
            }
            {# MapTaps sends its messages through the same door. #}
            window.pgSendNow = sendNow;
            map.getContainer().addEventListener("click", function () {
                setTimeout(sendNow, 0);  {# after every handler of this click has run #}
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ClickReturnNow"


def _compact(code: str) -> str:
    """Style text as sent: lines stripped, blank and ``//`` comment lines dropped.

    The map's header travels in ``st_folium``'s arguments on every page load (issue 6
    keeps them under 150 KB). A Jinja opener could not survive the export's second
    template pass (:class:`putuo_geo.maplayer._ScriptOnly`), so none is allowed.
    """
    lines = [line.strip() for line in code.splitlines()]
    text = "\n".join(line for line in lines if line and not line.startswith("//"))
    if any(opener in text for opener in ("{{", "{%", "{#")):
        msg = "a map script holds a Jinja opener"
        raise ValueError(msg)
    return text


_MAP_TAPS_CSS = _compact(
    """
            .pg-taps {display: flex; flex-direction: column; align-items: flex-start;
                gap: 6px; max-width: min(340px, calc(100vw - 90px));}
            .pg-measure {min-height: __TAP__px; min-width: __TAP__px;
                padding: 0 16px; border: 2px solid rgba(0,0,0,0.25); border-radius: 4px;
                background: #fff; color: #1a1a1a; font: bold 15px sans-serif;
                cursor: pointer; box-shadow: 0 1px 5px rgba(0,0,0,0.3);}
            .pg-measure[aria-pressed="true"] {background: #0b4f8a; color: #fff;
                border-color: #0b4f8a;}
            .pg-answer {background: #fff; color: #1a1a1a; border-radius: 4px;
                box-shadow: 0 1px 5px rgba(0,0,0,0.4); font: 13px/1.4 sans-serif;
                padding: 6px 8px 6px 10px; display: flex; gap: 6px; align-items: flex-start;}
            .pg-answer[hidden] {display: none;}
            .pg-answer-body {flex: 1 1 auto; min-width: 0;}
            .pg-answer-ends {font-weight: bold; overflow-wrap: anywhere;}
            .pg-answer-along {font-size: 15px;}
            .pg-answer-doubt, .pg-answer-bridges {color: #3d3d3d;}
            .pg-answer-clear {flex: 0 0 auto; min-height: __TAP__px;
                min-width: __TAP__px; border: 1px solid #767676; border-radius: 4px;
                background: #fff; color: #1a1a1a; font: 14px sans-serif; cursor: pointer;}
            .leaflet-container.pg-measuring, .leaflet-container.pg-measuring .leaflet-interactive
                {cursor: crosshair;}
            /* Measuring: a hover card would only hide the map (km labels stay). */
            .pg-measuring .leaflet-tooltip-pane .leaflet-tooltip:not(.pg-km) {display: none;}
            .pg-pick p {margin: 0 0 4px 0; font-weight: bold;}
            .pg-pick button {display: block; width: 100%; min-height: __TAP__px;
                margin: 2px 0; padding: 4px 8px; text-align: left; border: 1px solid #bbb;
                border-radius: 4px; background: #fff; color: #1a1a1a; font: 14px sans-serif;
                cursor: pointer;}
        """
)


class MapTaps(MacroElement):
    """Measuring by tapping, the answer card, and a list where features overlap (issue 24).

    Parameters
    ----------
    texts
        The script's words (:func:`putuo_geo.measuring.tap_texts`): ``button``,
        ``button_on``, ``button_help``, ``prompt_from``, ``prompt_to``, ``clear``,
        ``pick``.
    position
        The Leaflet corner of the button and the card (bottom left: where a thumb is).

    Notes
    -----
    One control: the answer card above a :data:`TAP_PX` button that switches the
    *measuring mode* (``aria-pressed``). The page tells the script its state after
    every run (:class:`MapTapsSync` calls ``window.pgTaps.sync``); see
    :mod:`putuo_geo.measuring` for the messages both ways.

    - Measuring: a click anywhere on the map's panes is caught before Leaflet sees it
      (a capturing listener on the map's container), so no popup opens and no zone
      fill or route piece takes it: the first tap sets FROM, the next TO, a third
      starts again. A drag's release is not a tap; double-tap zoom is off meanwhile.
      Each tap is marked at once and sent at once (``window.pgSendNow``, from
      :class:`ClickReturnNow`).
    - Not measuring (mode ``pick``): a tap on two or more features with cards (a route
      piece inside the One Belt zone, two stations drawn over each other) opens a short
      list of them instead of the topmost one's card; choosing one opens its card. A
      tap on one feature opens its card as before. In the planner's ``candidate`` mode
      clicks are left to Leaflet (the planner reads feature clicks).
    - A new measurement (the page's fit counter above the last one fitted, kept in the
      parent page so a remount does not fit again) is fitted into the part of the map
      that no control covers: each corner's controls are avoided by a band along the
      side or along the top/bottom, whichever of the 16 combinations lets the path
      show largest.

    Outside the page (a saved HTML file) the button is not shown: nothing could answer.

    The script itself is ``putuo_geo/js/map-taps.js`` (``window.pgMapTaps``), joined into
    the map's one script file by :mod:`putuo_geo.assets`: served and cached like Leaflet
    rather than sent in the map's arguments on every load (they stay under 150 KB).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        if (window.pgMapTaps) {
            pgMapTaps({{ this._parent.get_name() }}, {{ this.texts_json }}, {{ this.prefix_json }},
                {{ this.position_json }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, texts: dict[str, str], *, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "MapTaps"
        self.css = _MAP_TAPS_CSS.replace("__TAP__", str(TAP_PX))
        self.texts_json = _js(texts)
        self.prefix_json = _js(TAP_PREFIX)
        self.position_json = _js(position)


class MapTapsSync(MacroElement):
    """The page's state for :class:`MapTaps`, sent with the map's dynamic layers.

    ``st_folium`` runs the dynamic groups' scripts again whenever they change (and only
    then), so this reaches the live map after every run that changed it, without a
    remount. ``sync`` is :meth:`putuo_geo.measuring.MapSync.to_json`, plus ``seen``:
    the last message from the map the page acted on.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.pgTaps) { window.pgTaps.sync({{ this.sync_json }}); }
        {% endmacro %}
        """
    )

    def __init__(self, sync: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MapTapsSync"
        # inline_json: the card holds data text; no "</script>" and no Jinja opener survive
        self.sync_json = maplayer.inline_json(sync)


def locate_control(*, lang: Lang, position: str = "topleft") -> LocateControl:
    """The locate control with its texts in ``lang`` (catalogue keys ``locate.*``)."""
    return LocateControl(
        title=tr("locate.title", lang),
        popup=tr("locate.popup", lang),
        not_secure=tr("locate.not_secure", lang),
        denied=tr("locate.denied", lang),
        unavailable=tr("locate.unavailable", lang),
        close=tr("locate.close", lang),
        position=position,
    )


def map_taps(*, lang: Lang, position: str = "bottomleft") -> MapTaps:
    """The measuring button, answer card and overlap list with texts in ``lang`` (``taps.*``)."""
    keys = ("button", "button_on", "button_help", "prompt_from", "prompt_to", "clear", "pick")
    return MapTaps({k: tr(f"taps.{k}", lang) for k in keys}, position=position)


def fullscreen_control(*, lang: Lang, position: str = "topleft") -> FullscreenControl:
    """The fullscreen button with its texts in ``lang`` (catalogue keys ``fullscreen.*``)."""
    return FullscreenControl(
        title=tr("fullscreen.enter", lang),
        title_cancel=tr("fullscreen.exit", lang),
        position=position,
    )


def position_from(returned: dict[str, Any] | None) -> tuple[float, float] | None:
    """The located position in ``st_folium``'s return value, as ``(lon, lat)`` WGS-84.

    ``None`` unless the last object "clicked" is the locate control's hidden layer
    (``last_object_clicked_tooltip == HERE_TAG``). The page must ask ``st_folium``
    for ``last_object_clicked`` and ``last_object_clicked_tooltip``.
    """
    if not returned or returned.get("last_object_clicked_tooltip") != HERE_TAG:
        return None
    return latlon.lonlat_from_map(returned.get("last_object_clicked"), what="located position")
