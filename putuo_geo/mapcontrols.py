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

    _template = Template(
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

    _template = Template(
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

    _template = Template(
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


class CollapsibleLegend(MacroElement):
    """The legend as a control that opens and closes, never more than a quarter of the map.

    Parameters
    ----------
    legend_html
        The legend's body, already escaped (e.g. :func:`putuo_geo.mapview.legend_html`).
    title
        The toggle button's text ("Legend").
    narrow_px
        On a map narrower than this (px) the legend starts closed; wider, open.
    position
        The Leaflet corner.
    width_share, height_share
        The open box's largest width and height as shares of the map's (default half
        and half; their product may not exceed 1/4).

    Notes
    -----
    The limits are re-applied when the map resizes and the box scrolls inside, so it
    covers at most 25 % of the map. The toggle is a ``<button>`` with
    ``aria-expanded``; class ``pg-legend-toggle``, the box ``pg-legend``.
    """

    _template = Template(
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
                    {# A share of the width x a share of the height: <= a quarter of the map. #}
                    var size = map.getSize();
                    div.style.maxWidth = Math.floor(size.x * {{ this.width_share }}) + "px";
                    div.style.maxHeight = Math.floor(size.y * {{ this.height_share }}) + "px";
                }
                function setOpen(open) {
                    div.setAttribute("data-open", open ? "true" : "false");
                    toggle.setAttribute("aria-expanded", open ? "true" : "false");
                }
                setOpen(map.getSize().x >= {{ this.narrow_px }});
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
        width_share: float = 0.5,
        height_share: float = 0.5,
    ) -> None:
        super().__init__()
        if width_share * height_share > 0.25 + 1e-9:
            msg = f"legend box {width_share} x {height_share} of the map is over a quarter"
            raise ValueError(msg)
        self._name = "CollapsibleLegend"
        self.width_share = float(width_share)
        self.height_share = float(height_share)
        self.html_json = _js(legend_html)
        self.title_json = _js(title)
        self.position_json = _js(position)
        self.narrow_px = int(narrow_px)
        self.tap_px = TAP_PX


class FitClearOfLegend(MacroElement):
    """Fit the map's first view to ``bounds_latlon`` at once, below an open legend.

    Parameters
    ----------
    bounds_latlon
        ``[[south, west], [north, east]]``, degrees in the drawn datum (folium's order).

    Notes
    -----
    Why by hand: folium's ``FitBounds`` takes fixed padding, while the room the legend
    leaves is known only in the browser: :class:`CollapsibleLegend` opens on a wide map
    and stays closed on a narrow one, and its height follows the map's. Where the open
    box spans over half the map's width (the wide, low legend of the page), the top
    padding is the box's height and its margin (at most half the map), so the belt is
    fitted into the space under it; a closed or narrow legend adds none. Not animated:
    an animated fit swallows a tap on the zoom buttons for its 250 ms, right when the
    page has appeared. Add it after the legend (the legend's box must exist when it runs).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var size = map.getSize(), top = 0;
            var box = map.getContainer().querySelector('.pg-legend[data-open="true"]');
            {# The box's size, not its place: Leaflet's stylesheet may not apply yet, and
               without it the control corners are not in their corners. 10 px: a corner
               control's margin. At most half the map goes to the legend. #}
            if (box && box.offsetWidth > size.x / 2) {
                top = Math.min(box.offsetHeight + 10, size.y / 2);
            }
            map.fitBounds({{ this.bounds_json }}, {animate: false, paddingTopLeft: [0, top]});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds_latlon: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitClearOfLegend"
        self.bounds_json = _js([[float(v) for v in corner] for corner in bounds_latlon])


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

    _template = Template(
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

    _template = Template(
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
