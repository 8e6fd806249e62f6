"""putuo_geo.processcache: the page's heavy objects, kept out of ``clear_cache``'s reach."""

from __future__ import annotations

import threading
import time

import pytest

from putuo_geo import processcache
from putuo_geo.processcache import CacheInfo, ProcessCache, memo


def test_builds_once_per_key_and_returns_the_same_object():
    cache: ProcessCache[list[int]] = ProcessCache(max_entries=2)
    first = cache.get(("geo", 1), lambda: [1])
    again = cache.get(("geo", 1), lambda: [2])  # not built: the kept object
    assert again is first
    assert cache.info() == CacheInfo(hits=1, misses=1, entries=1, max_entries=2)


def test_bounded_least_recently_used_goes_first():
    cache: ProcessCache[str] = ProcessCache(max_entries=2)
    cache.get("a", lambda: "A")
    cache.get("b", lambda: "B")
    cache.get("a", lambda: "A2")  # a is now the most recent
    cache.get("c", lambda: "C")  # b goes
    assert cache.get("a", lambda: "A3") == "A"
    assert cache.get("b", lambda: "B2") == "B2"  # built again
    assert cache.info().entries == 2


def test_exceptions_are_not_kept():
    cache: ProcessCache[int] = ProcessCache(max_entries=2)

    def broken() -> int:
        raise OSError("folder gone")

    with pytest.raises(OSError, match="folder gone"):
        cache.get("k", broken)
    assert cache.get("k", lambda: 7) == 7  # the next run reads it again
    assert cache.info().entries == 1


def test_zero_entries_refused():
    with pytest.raises(ValueError, match="at least 1, not 0"):
        ProcessCache(max_entries=0)


def test_concurrent_callers_share_one_build():
    """Eight sessions asking for the same base map at once build it once."""
    cache: ProcessCache[object] = ProcessCache(max_entries=2)
    builds = []
    release = threading.Event()

    def build() -> object:
        builds.append(1)
        release.wait(5)
        return object()

    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get("map", build))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    time.sleep(0.05)  # let them all queue on the one key
    release.set()
    for t in threads:
        t.join(5)
    assert len(builds) == 1
    assert len(got) == 8
    assert all(g is got[0] for g in got)


def test_other_keys_are_not_held_up_by_a_slow_build():
    cache: ProcessCache[str] = ProcessCache(max_entries=4)
    release = threading.Event()
    slow = threading.Thread(target=lambda: cache.get("slow", lambda: release.wait(5) and "S"))
    slow.start()
    time.sleep(0.02)
    started = time.monotonic()
    assert cache.get("fast", lambda: "F") == "F"
    assert time.monotonic() - started < 1.0
    release.set()
    slow.join(5)
    assert cache.get("slow", lambda: "again") == "S"


def test_memo_keys_on_arguments_except_underscored_ones():
    built = []

    @memo(max_entries=4)
    def atlas_texts(folder: str, signature: tuple[int, ...], lang: str, _atlas: object) -> str:
        built.append((folder, signature, lang))
        return f"{folder}/{lang}"

    atlas_texts.cache.clear()
    assert atlas_texts("geo", (1,), "en", object()) == "geo/en"
    assert atlas_texts("geo", (1,), lang="en", _atlas=object()) == "geo/en"
    assert atlas_texts("geo", (2,), "en", None) == "geo/en"  # a new signature: built again
    assert atlas_texts("geo", (1,), "zh", None) == "geo/zh"
    assert built == [("geo", (1,), "en"), ("geo", (2,), "en"), ("geo", (1,), "zh")]


def test_a_function_defined_again_finds_its_table():
    """The page script defines its loaders anew on every run; their objects stay."""

    def define():
        @memo(max_entries=2)
        def load_atlas(folder: str, signature: tuple[int, ...]) -> object:
            return object()

        return load_atlas

    first, second = define(), define()
    first.cache.clear()
    assert first is not second
    assert second("geo", (1,)) is first("geo", (1,))
    name = f"{__name__}.{define.__qualname__}.<locals>.load_atlas"
    assert processcache.caches()[name] is first.cache


def test_streamlit_cache_clear_does_not_reach_it():
    import streamlit as st

    @memo(max_entries=2)
    def route_network(folder: str, signature: tuple[int, ...]) -> object:
        return object()

    kept = route_network("geo", (1,))
    st.cache_resource.clear()
    st.cache_data.clear()
    assert route_network("geo", (1,)) is kept
