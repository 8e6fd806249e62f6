"""Hostile text in a real browser: every tooltip and popup opened, no injected script runs.

The server shows a copy of ``geo/`` whose every free-text field is a payload from
tests/hostile.py. Each payload that ran would set ``window.__pwned`` or open a dialog;
each that rendered as HTML would add an element (img, svg, script, a ...) to a
tooltip or popup. The test opens every tooltip and popup through Leaflet's own API
(a ``mouseover`` and a ``click`` fired on every feature on the map) and
checks the text is there, as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hostile import PAYLOADS, write_hostile
from page_support import ARTIFACTS, OfflineVisit, drawn_kinds, map_frame, streamlit_server

from putuo_geo import layers
from putuo_geo import page as page_state

pytestmark = pytest.mark.e2e


#: Tags our cards, legend and layer control are built from; anything else was injected.
OPEN_EVERYTHING_JS = """() => {
    const allowed = new Set(["DIV", "B", "TABLE", "TBODY", "TR", "TH", "TD", "SPAN"]);
    const injected = (el) => {
        const found = [];
        el.querySelectorAll("*").forEach((node) => {
            if (!allowed.has(node.tagName)) found.push(node.outerHTML.slice(0, 80));
            for (const attr of node.attributes) {
                if (attr.name.startsWith("on")) found.push(node.outerHTML.slice(0, 80));
            }
        });
        return found;
    };
    const out = {tooltips: 0, popups: 0, texts: [], injected: [], kinds: {}};
    const features = [];
    window.map.eachLayer((layer) => { if (layer.feature) features.push(layer); });
    for (const sub of features) {
        const kind = sub.feature.properties.kind;
        out.kinds[kind] = (out.kinds[kind] || 0) + 1;
        const at = sub.getLatLng ? sub.getLatLng() : sub.getBounds().getCenter();
        // A hover and a click as Leaflet delivers them (propagated to the groups, so
        // both per-feature and per-group bindings answer).
        sub.fire("mouseover", {latlng: at}, true);
        const tips = document.querySelectorAll(
            ".leaflet-tooltip-pane .leaflet-tooltip:not(.pg-km)");
        if (tips.length) out.tooltips += 1;
        tips.forEach((el) => {
            out.texts.push(el.textContent);
            out.injected.push(...injected(el));
        });
        sub.fire("mouseout", {latlng: at}, true);
        sub.fire("click", {latlng: at}, true);
        const pop = document.querySelector(".leaflet-popup-pane .leaflet-popup-content");
        if (pop) {
            out.popups += 1;
            out.texts.push(pop.textContent);
            out.injected.push(...injected(pop));
            window.map.closePopup();
        }
    }
    document.querySelectorAll(".leaflet-tooltip.pg-km").forEach((el) => {
        out.texts.push(el.textContent);
        out.injected.push(...injected(el));
    });
    for (const el of document.querySelectorAll(
            ".pg-legend, .leaflet-control-layers-overlays")) {
        out.texts.push(el.textContent);
        el.querySelectorAll("script, img, iframe, object, a[href^='javascript']").forEach(
            (node) => out.injected.push(node.outerHTML.slice(0, 80)));
    }
    out.pwned = window.__pwned === undefined ? null : window.__pwned;
    return out;
}"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    return write_hostile(tmp_path_factory.mktemp("hostile") / "geo")


@pytest.fixture(scope="module")
def hostile_url(hostile_dir, browser) -> Iterator[str]:
    with streamlit_server(ARTIFACTS / "streamlit_hostile.log", data_dir=hostile_dir) as (url, _):
        yield url


class _DialogsWatched(OfflineVisit):
    """An offline visit that also records (and dismisses) every dialog a script opens."""

    def watch(self, page) -> None:
        self.dialogs: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))


def test_no_injected_script_runs_and_every_text_shows_as_text(browser, hostile_url, hostile_dir):
    atlas = layers.load_atlas(hostile_dir)
    # FROM and TO are the first and last stations (a measurement is drawn only when asked,
    # issue 24): their hostile names reach the pickers and the answer.
    ends = atlas.stations.sort_values("chainage_m")["id"]
    query = f"?from=station:{ends.iloc[0]}&to=station:{ends.iloc[-1]}"
    visit = _DialogsWatched(browser, hostile_url, query=query)
    page, dialogs, foreign, errors = visit.page, visit.dialogs, visit.foreign, visit.errors
    try:
        frame = map_frame(page)
        # Every layer is drawn on one canvas (no SVG path each): count the map's features.
        # (The atlas's features: the measured path the link asks for is drawn besides.)
        kinds = drawn_kinds(atlas)
        total = sum(kinds.values())
        frame.wait_for_function(
            f"""(kinds) => {{
                let n = 0;
                window.map.eachLayer((layer) => {{
                    if (layer.feature && kinds.includes(layer.feature.properties.kind)) n += 1;
                }});
                return n === {total};
            }}""",
            arg=list(kinds),
            timeout=60_000,
        )
        page.get_by_text("Along the route").first.wait_for(timeout=60_000)
        result = frame.evaluate(OPEN_EVERYTHING_JS)
        page.screenshot(path=str(ARTIFACTS / "hostile_page.png"), full_page=True)
        (ARTIFACTS / "hostile_result.json").write_text(
            json.dumps({k: v for k, v in result.items() if k != "texts"}, indent=2),
            encoding="utf-8",
        )

        # Every feature's tooltip and popup was opened (boundary and km posts: no popup).
        assert result["kinds"]["station"] == len(atlas.stations)
        assert result["kinds"]["site"] == len(atlas.sites)
        assert result["kinds"]["bridge"] == len(atlas.bridges)
        assert result["tooltips"] >= sum(result["kinds"].values())
        assert result["popups"] >= len(atlas.stations) + len(atlas.bridges)

        # The payloads are on the page as the characters they are.
        shown = "\n".join(result["texts"])
        missing = [p[:40] for p in PAYLOADS if p not in shown]
        assert missing == []
        assert result["injected"] == []

        # The Streamlit page: measure panel (FROM/TO from the link are hostile station names).
        body = page.locator("section.main, [data-testid='stMain']").first
        assert body.locator("a[href^='javascript'], img[src*='evil'], script").count() == 0
        # FROM is the first station, labelled by the (hostile) feature it is by (issue 24)
        station = atlas.stations.sort_values("chainage_m").iloc[0]
        label = page_state.place_choices(atlas, lang="en")[f"station:{station['id']}"].label
        assert label in body.inner_text()

        assert result["pwned"] is None
        assert page.evaluate("() => window.__pwned === undefined")
        assert dialogs == []
        assert [u for u in foreign if "evil" in u] == []
        assert errors == []
    finally:
        visit.close()
