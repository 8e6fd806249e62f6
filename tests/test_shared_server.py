"""One visitor must not raise everyone's cost (issue 23 §1), the short functional check.

Two sessions of the page (AppTest) in one process, as on the server: the second sends
what Streamlit's ``clear_cache`` message does (``AppSession._handle_clear_cache_request``:
``st.cache_data`` and ``st.cache_resource`` cleared for the whole process), and the
first one's heavy objects (atlas, network, base map, coverage model, ranges) are the very
same objects on its next run, none built again. The load ratios (cache clears, floods, the
largest upload) are measured by ``make bench`` (``bench/shared.py``).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from page_support import skip_reason
from streamlit.runtime.app_session import AppSession
from streamlit.testing.v1 import AppTest

from putuo_geo import page, planner_page, processcache

APP = str(Path(__file__).resolve().parent.parent / "app.py")

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

#: The shared tables a default run with the planner on fills (module.qualname suffixes).
HEAVY = (
    "load_atlas",
    "route_network",
    "built_base_map",
    "atlas_texts",
    "panels.events.load",
    "panels.planner._model",
    "panels.planner._ranges",
    "panels.planner._compare",
)


def _session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[page.PLANNER_KEY] = True
    return at


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _tables() -> dict[str, processcache.ProcessCache]:
    found = {}
    for name, table in processcache.caches().items():
        for short in HEAVY:
            if name == short or name.endswith(f".{short}"):
                found[short] = table
    return found


def _kept() -> dict[str, list[int]]:
    return {name: [id(v) for v in table.values()] for name, table in _tables().items()}


def test_a_cache_clear_from_another_session_leaves_the_heavy_objects_in_place():
    first = _run(_session())
    assert set(_tables()) == set(HEAVY)  # every heavy object is in a process table
    before = _kept()
    misses = {name: t.info().misses for name, t in _tables().items()}

    other = _run(_session())  # a second visitor: shares them, builds nothing
    assert {name: t.info().misses for name, t in _tables().items()} == misses
    # ... and sends clear_cache (what its handler does, the session state aside)
    AppSession._handle_clear_cache_request(SimpleNamespace(_session_state={}))  # type: ignore[arg-type]

    _run(first)
    assert _kept() == before  # the same objects, not rebuilt copies
    assert {name: t.info().misses for name, t in _tables().items()} == misses
    assert other.session_state[planner_page.MINUTES_KEY] == 15


def test_a_rerun_with_the_same_candidates_runs_no_new_comparison():
    at = _run(_session())
    ((model, stations),) = _tables()["panels.planner._model"].values()
    gap = model.coverage(stations, speed_kmh=4, minutes=5).figures()["longest_gap"]
    at.session_state[planner_page.CANDIDATES_KEY] = [
        {"lonlat": tuple(gap["mid_lonlat"]), "name_en": "Proposed", "name_zh": "", "row": "r1"}
    ]
    _run(at)
    assert not planner_page.problems(at.session_state, lang="en")
    assert len(at.session_state[planner_page.CANDIDATES_KEY]) == 1
    compare = _tables()["panels.planner._compare"]
    misses = compare.info().misses
    _run(at)  # e.g. a pan: same candidates and setting
    assert compare.info().misses == misses
    at.session_state[planner_page.MINUTES_KEY] = 20
    _run(at)  # a new setting: one new comparison
    assert compare.info().misses == misses + 1
