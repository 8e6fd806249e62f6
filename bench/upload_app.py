"""The page for the shared-server load test (``bench/shared.py``): ``app.py`` unchanged,
with two switches that only the load test's clients put in their URL.

- ``bench_upload=1``: the session holds the largest upload the page accepts
  (:func:`bench.synthetic.largest_upload_csv`), put where the sidebar's uploader puts a
  file (``upload_source``); everything after it (parsing once, the map layer, FROM/TO,
  the table) is the page's own code. Only the 5 MB transfer itself is not replayed.
- ``bench_planner=1``: the planner view is on for that session.

Run as ``streamlit run bench/upload_app.py`` (by ``bench/shared.py``).
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from bench import synthetic
from putuo_geo import config, layers, page, processcache

APP = Path(__file__).resolve().parent.parent / "app.py"


@processcache.memo(max_entries=1)
def _largest(folder: str, signature: tuple[tuple[str, int], ...]) -> bytes:
    return synthetic.largest_upload_csv(layers.load_atlas(folder))


if st.query_params.get("bench_upload") == "1" and "upload_source" not in st.session_state:
    folder = config.data_dir()
    st.session_state["upload_source"] = (
        "largest.csv",
        _largest(str(folder), layers.data_signature(folder)),
    )
if st.query_params.get("bench_planner") == "1":
    st.session_state.setdefault(page.PLANNER_KEY, True)
runpy.run_path(str(APP), run_name="__main__")
