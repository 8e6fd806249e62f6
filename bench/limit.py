"""The limit: a bare static Leaflet page (no Streamlit, no folium) drawing the same layers.

Same local Leaflet files (``static/vendor``), the same GeoJSON features (every layer of
the data folder plus the km posts) inlined in one HTML file, served by ``http.server``
on loopback. Points are circle markers, as on our page; no tooltips, popups or legend:
this is the least a page can do to draw these features.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    navigation_start_ms,
    offline_page,
    static_server,
    wait_until_ms,
)
from putuo_geo import config, layers, overview

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
<script src="vendor/leaflet/leaflet.js"></script>
<style>html, body, #map {{ height: 100%; margin: 0; }}</style>
</head><body><div id="map"></div>
<script>
var map = L.map("map");
var layers = {layers};
var all = L.featureGroup().addTo(map);
layers.forEach(function (data) {{
  L.geoJSON(data, {{
    pointToLayer: function (f, latlng) {{ return L.circleMarker(latlng, {{radius: 6}}); }}
  }}).addTo(all);
}});
map.fitBounds(all.getBounds());
window.drawn = layers.reduce(function (n, d) {{ return n + d.features.length; }}, 0);
</script></body></html>
"""

DRAWN_JS = """window.map && window.drawn !== undefined
    && document.querySelectorAll('.leaflet-overlay-pane path').length === window.drawn"""


def bare_page_html(atlas: layers.Atlas) -> str:
    """The bare Leaflet page for ``atlas`` (vendor files under ``vendor/``)."""
    frames = [atlas.layer(name) for name in config.LAYER_NAMES]
    frames.append(overview.km_posts(atlas))
    data = [json.loads(frame.to_crs(config.WEB_CRS).to_json(drop_id=True)) for frame in frames]
    return PAGE.format(layers=json.dumps(data, separators=(",", ":")))


def run(browser: Any, *, runs: int) -> dict[str, Any]:
    """Navigation start -> every feature drawn on the bare page (seconds per run)."""
    atlas = layers.load_atlas()
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "static" / "vendor" / "leaflet", folder / "vendor" / "leaflet")
        html = bare_page_html(atlas)
        (folder / "index.html").write_text(html, encoding="utf-8")
        times = []
        with static_server(folder) as url:
            for _ in range(runs + 1):  # the first visit warms the server (not counted)
                with offline_page(browser) as page:
                    page.goto(f"{url}/index.html")
                    drawn_ms = wait_until_ms(page, DRAWN_JS)
                    times.append((drawn_ms - navigation_start_ms(page)) / 1000)
    return {"bare_load_s": times[1:], "bare_page_bytes": len(html.encode())}
