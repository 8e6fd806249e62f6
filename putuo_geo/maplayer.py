"""Compact GeoJSON layers for Leaflet: each fact shipped once, cards built in the browser.

Folium's own ``GeoJson`` + ``GeoJsonTooltip`` + ``GeoJsonPopup`` ship, per feature, the
tooltip HTML *and* the popup HTML (which repeats it), JSON-escape every ``<``, ``>`` and
``"`` of that markup to six bytes, and add about 1 KB of script per layer. A
:class:`DataLayer` ships instead, per feature, its escaped title ``n`` and ``c``: indices
into the layer's :class:`CardTable`, which holds the row labels once and every distinct
text once (a source shared by 22 stations is sent one time). The browser joins them
with constant markup (``pgCard`` in :data:`HELPERS_JS`) when a tooltip or popup opens.

Safety: every string in ``n``, ``labels`` and ``texts`` is HTML-escaped on the server
by the caller (:mod:`putuo_geo.mapview`); the browser only concatenates those strings
with constant tags, the same HTML :func:`card_html` builds here. The data is inlined
into the page's script with :func:`inline_json` (no ``<``, ``>``, U+2028 or U+2029
left raw, so no ``</script>`` can close it).

This module never imports streamlit.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

#: Defined once per page (guarded): ``pgCard`` builds a card's HTML from escaped parts,
#: ``pgLayer`` builds an ``L.geoJson`` with its style table, markers, tooltip and popup.
#: Tooltip and popup are bound to the whole layer (one each, content made on opening),
#: and return an element, as folium's do.
HELPERS_JS = """if (!window.pgLayer) {
  window.pgCard = function (p, cards, rows) {
    var c = p.c || [], t = "";
    for (var i = 0; i < c.length && i < rows; i++) {
      if (cards.texts[c[i]]) {
        t += "<tr><th>" + cards.labels[i] + "</th><td>" + cards.texts[c[i]] + "</td></tr>";
      }
    }
    var u = p.u ? '<div class="pg-doubt">' + cards.texts[p.u] + "</div>" : "";
    return '<div class="pg-card"><b>' + (p.n || "") + "</b>" + u
      + (t ? "<table>" + t + "</table>" : "") + "</div>";
  };
  window.pgLayer = function (data, spec, options) {
    var styles = spec.styles, cards = data.cards;
    var box = function (html) { var d = L.DomUtil.create("div"); d.innerHTML = html; return d; };
    var layer = L.geoJson(data, Object.assign({
      style: function (f) { return styles[f.properties.s || 0]; },
      pointToLayer: function (f, at) { return L.circleMarker(at, {radius: spec.radius}); },
      onEachFeature: spec.label ? function (f, l) {
        l.bindTooltip(f.properties.n, {permanent: true, direction: "right",
                                       className: spec.label});
      } : null
    }, options));
    if (spec.tip !== null) {
      layer.bindTooltip(function (l) {
        var p = l.feature.properties;
        return box(spec.tip ? pgCard(p, cards, spec.tip) : (p.n || ""));
      }, {sticky: true});
    }
    if (spec.popup) {
      layer.bindPopup(function (l) {
        return box(pgCard(l.feature.properties, cards, Infinity));
      }, {maxWidth: 360});
    }
    return layer;
  };
}"""


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def inline_json(value: Any) -> str:
    """``value`` as compact JSON safe to inline in a ``<script>`` (and in a JS expression).

    UTF-8 text stays as it is (``ensure_ascii=False``: a Chinese character is 3 bytes,
    not the 6 of ``\\uXXXX``); ``<`` and ``>`` become ``\\u003c`` / ``\\u003e`` so no
    ``</script>`` or ``<!--`` can appear, U+2028 / U+2029 are escaped (older JS
    engines end a string literal at them), and so is a ``{`` that would open a Jinja
    tag. The result is still JSON, equal to ``value``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    # branca parses each rendered script again as a Jinja template: no "{{", "{%" or
    # "{#" may survive. Compact JSON never puts "{" before "{", "%" or "#" outside a
    # string, so each such "{" is inside one and its escape "\u007b" means the same.
    return _JINJA_OPEN.sub(r"\\u007b", text)


class CardTable:
    """One layer's card rows: the labels (fixed order) and every distinct text, once.

    Labels and texts must already be HTML-escaped. ``texts[0]`` is ``""``: a row whose
    text is empty is left out of the card.
    """

    def __init__(self) -> None:
        self.labels: list[str] | None = None
        self._index: dict[str, int] = {"": 0}  # text -> index (dicts keep insertion order)

    def refs(self, rows: Sequence[tuple[str, str]]) -> list[int]:
        """``(label, text)`` rows -> text indices (trailing empty rows dropped).

        Every call of one table must pass the same labels in the same order.
        """
        labels = [label for label, _ in rows]
        if self.labels is None:
            self.labels = labels
        elif labels != self.labels:
            msg = f"card rows changed labels within one layer: {labels} != {self.labels}."
            raise ValueError(msg)
        out = [self._index.setdefault(text, len(self._index)) for _, text in rows]
        while out and out[-1] == 0:
            out.pop()
        return out

    def text_ref(self, text: str) -> int:
        """The index of one (escaped) text outside the rows, e.g. a feature's doubt line."""
        return self._index.setdefault(text, len(self._index))

    @property
    def texts(self) -> list[str]:
        """Every distinct text, by index."""
        return list(self._index)

    def as_dict(self) -> dict[str, list[str]]:
        return {"labels": list(self.labels or []), "texts": self.texts}


def card_html(
    properties: Mapping[str, Any], cards: Mapping[str, Sequence[str]], *, rows: int | None = None
) -> str:
    """The card HTML the browser builds (``pgCard``) for one feature: title, the doubt
    line ``u`` of a modelled feature (an index into ``texts``), then the rows.

    ``rows`` limits the rows (a tooltip shows the first two); all by default. For tests
    and for reading: the browser never receives this string.
    """
    refs = list(properties.get("c") or [])[:rows]
    texts, labels = cards["texts"], cards["labels"]
    body = "".join(
        f"<tr><th>{labels[i]}</th><td>{texts[ref]}</td></tr>"
        for i, ref in enumerate(refs)
        if texts[ref]
    )
    table = f"<table>{body}</table>" if body else ""
    doubt = properties.get("u")
    line = f'<div class="pg-doubt">{texts[doubt]}</div>' if doubt else ""
    return f'<div class="pg-card"><b>{properties.get("n") or ""}</b>{line}{table}</div>'


class _Rendered(Element):
    """Script text already rendered, put on the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _ScriptOnly(MacroElement):
    """A script-only element whose rendered script reaches the page verbatim.

    branca's ``MacroElement.render`` wraps each rendered script in ``Element(text)``,
    which compiles the text as a Jinja template again: for a layer's data that second
    pass costs milliseconds per rerun and would read template syntax in the data.
    ``st_folium`` calls the ``script`` macro directly and is unaffected.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement's
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} can only be rendered inside a folium Map."
            raise TypeError(msg)
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_Rendered(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Helpers(_ScriptOnly):
    """The page's ``pgCard`` / ``pgLayer`` (:data:`HELPERS_JS`), defined once per page.

    Add one to the map and one to every group drawn on its own (``st_folium`` runs the
    dynamic groups as separate scripts); the guard keeps the first definition.
    """

    _template = Template("{% macro script(this, kwargs) %}" + HELPERS_JS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "PgHelpers"


class DataLayer(_ScriptOnly, folium.GeoJson):
    """A GeoJSON layer drawn by ``pgLayer``: compact data, a style table, cards on demand.

    Each feature's properties: ``kind`` (which layer), ``id``, ``n`` (escaped title),
    ``c`` (card row -> text index), ``s`` (style index, when the layer has several) and
    whatever the caller adds (e.g. ``category``).

    Parameters
    ----------
    data
        A FeatureCollection (EPSG:4326) whose features carry ``n`` / ``c`` (see
        :class:`CardTable`) and whose top-level ``cards`` member is a table's
        :meth:`CardTable.as_dict`.
    name
        The layer's name (not shown: the enclosing group is what the control toggles).
    style
        Feature -> Leaflet path style. Evaluated here for every feature; distinct
        styles are shipped once and each feature carries the index ``s`` of its own.
    radius
        Points are drawn as circle markers of this radius (pixels).
    tip_rows
        Tooltip on hover: the title and this many card rows; ``0`` the title alone;
        ``None`` no tooltip.
    popup
        Whether a click opens the full card.
    label_class
        Instead of a hover tooltip, a permanent label (the title) with this CSS class.
    **options
        More ``L.geoJson`` options (``point_to_layer`` ...), as folium takes them. A
        ``renderer`` here reaches lines and polygons only, not the circle markers of
        points (Leaflet's ``pointToLayer`` never sees it): choose the map's instead
        (``prefer_canvas``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = pgLayer({{ this.data_js }}, {{ this.spec_js }},
            {{ this.options|tojavascript }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        *,
        name: str,
        style: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        radius: float = 6,
        tip_rows: int | None = 2,
        popup: bool = True,
        label_class: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(data, name=name, control=False, **options)
        self._name = "DataLayer"
        styles: dict[str, int] = {}
        self.styles: list[dict[str, Any]] = []
        for feature in self.data["features"]:
            shape = style(feature) if style is not None else {}
            key = json.dumps(shape, sort_keys=True)
            if key not in styles:
                styles[key] = len(self.styles)
                self.styles.append(shape)
            if styles[key]:
                feature["properties"]["s"] = styles[key]
        self.spec = {
            "styles": self.styles or [{}],
            "radius": radius,
            "tip": tip_rows,
            "popup": popup,
            "label": label_class,
        }

    @functools.cached_property
    def data_js(self) -> str:
        """The data as inlined (computed once: a page renders each layer more than once)."""
        return inline_json(self.data)

    @property
    def spec_js(self) -> str:
        return inline_json(self.spec)

    @functools.cached_property
    def _bounds(self) -> list[list[float | None]]:
        return folium.GeoJson._get_self_bounds(self)

    def _get_self_bounds(self) -> list[list[float | None]]:
        """folium's bounds of the data, computed once (``st_folium`` asks on every run)."""
        return self._bounds

    def warm(self) -> None:
        """Compute the inlined data and the bounds now, so every copy of the map has them."""
        self.data_js  # noqa: B018  # cached properties: reading them stores them
        self._bounds  # noqa: B018


class BandPane(_ScriptOnly):
    """A map pane under the overlays for the doubt bands, shown from ``min_zoom`` up.

    The bands are drawn by a canvas of their own in this pane (``L.canvas({pane})``),
    under every line and marker whatever order layers are added or toggled in (on the
    map's one canvas a band re-added by the layer control would be painted over the
    lines). The pane takes no pointer events and the bands are not ``interactive``, so
    the map's canvas still finds every feature under the mouse (see
    :mod:`putuo_geo.mapview` on one renderer). Hiding the pane below ``min_zoom`` is a
    style change: nothing is rebuilt on zoom.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var pane = map.getPane({{ this.pane_js }}) || map.createPane({{ this.pane_js }});
            pane.style.zIndex = {{ this.z_index }};
            pane.style.pointerEvents = "none";
            var show = function () {
                pane.style.display = map.getZoom() >= {{ this.min_zoom }} ? "" : "none";
            };
            map.on("zoomend", show);
            show();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, pane: str, *, min_zoom: int, z_index: int = 350) -> None:
        super().__init__()
        self._name = "BandPane"
        self.pane_js = json.dumps(pane)
        self.min_zoom = int(min_zoom)
        self.z_index = int(z_index)  # Leaflet: tiles 200, overlays 400
