"""Where a page load's browser time goes: main-thread busy time per load (CDP metrics).

``python -m bench.load_profile [--runs 7]`` starts the page, loads it ``runs`` times in
fresh offline contexts (after one warm-up load) and prints the medians of Chromium's
own ``Performance.getMetrics`` counters, taken once the map is drawn and the script
run has ended: ``TaskDuration`` (main-thread busy time), ``ScriptDuration`` (of which
JavaScript), ``LayoutDuration`` and ``RecalcStyleDuration``, in seconds. The wall time
of ``bench.run``'s row 1 mixes these with waiting on the server; these counters say
how much work the page itself gives a visitor's browser.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import (
    ARTIFACTS,
    SCRIPT_IDLE_JS,
    chromium,
    median,
    offline_page,
    streamlit_server,
    wait_until_ms,
)
from bench.page import _sorted_kinds_js, expected_kinds, map_frame
from putuo_geo import layers
from putuo_geo.config import data_dir

COUNTERS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def load_metrics(browser: Any, url: str, kinds: dict[str, int]) -> dict[str, float]:
    """One load in a fresh offline context: Chromium's counters once the page is idle (s)."""
    with offline_page(browser) as page:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url)
        wait_until_ms(map_frame(page), _sorted_kinds_js(kinds))
        page.wait_for_function(SCRIPT_IDLE_JS, timeout=120_000)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {name: float(metrics[name]) for name in COUNTERS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kinds = expected_kinds(layers.load_atlas(data_dir()))
    with (
        streamlit_server(ARTIFACTS / "bench_load_profile.log") as (url, _proc),
        chromium() as browser,
    ):
        load_metrics(browser, url, kinds)  # warm the server's caches (not counted)
        loads = [load_metrics(browser, url, kinds) for _ in range(args.runs)]
    result = {name: round(median([m[name] for m in loads]), 2) for name in COUNTERS}
    print(json.dumps({"runs": args.runs, "median_s": result}))
    out = Path(__file__).resolve().parent / "results" / "load_profile.json"
    out.write_text(json.dumps({"runs": args.runs, "median_s": result}, indent=2) + "\n")


if __name__ == "__main__":
    main()
