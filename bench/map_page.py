"""Measure the map page: build time and the bytes the map sends to the browser.

Run: ``python bench/map_page.py`` (uses ``$PUTUO_GEO_DATA`` or ``geo/``). Prints JSON:
the time to build the base map and the dynamic layers in putuo_geo, and the size of
the st_folium component's arguments (map script, header, dynamic layers, layer control)
as the page sends them, read from a Streamlit AppTest run. The browser-side time from
page load to map drawn is written by the e2e test to test-artifacts/e2e_metrics.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from putuo_geo import config, layers, mapview, overview  # noqa: E402


def _time(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    folder = config.data_dir()
    load_s = _time(lambda: layers.load_atlas(folder), repeat=3)
    atlas = layers.load_atlas(folder)
    posts = overview.km_posts(atlas)
    build_s = _time(lambda: mapview.build_map(atlas, km_posts=posts).get_root().render())
    sites_s = _time(lambda: mapview.sites_layer(atlas.sites))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    start = time.perf_counter()
    at.run()
    script_s = time.perf_counter() - start
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    sizes = {
        k: len(str(args.get(k) or "").encode())
        for k in ("script", "header", "html", "feature_group", "layer_control")
    }
    print(
        json.dumps(
            {
                "data_dir": str(folder),
                "load_atlas_s": round(load_s, 3),
                "build_and_render_base_map_s": round(build_s, 3),
                "build_sites_layer_s": round(sites_s, 3),
                "first_script_run_s": round(script_s, 3),
                "map_payload_bytes": sizes,
                "map_payload_total_bytes": len(component.proto.json_args.encode()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
