"""A process-level cache for the page's heavy, immutable objects (issue 23, §1).

One Streamlit process serves every visitor, and Streamlit lets any websocket send a
``clear_cache`` message that empties ``st.cache_resource`` for the whole process: one
socket sending it every 100 ms made every other visitor's run rebuild the atlas, the
route network, the base maps and the coverage model (a rerun went from 242 to 974 ms).
Nothing in Streamlit's configuration or a proxy can filter that message, so the objects
every session shares live here instead, out of its reach.

:func:`memo` replaces ``@st.cache_resource`` one for one: it keys a call on its
arguments except those whose name starts with ``_`` (Streamlit's convention: the atlas or
the network passed along, which the data folder and its signature already identify), so
callers pass the data folder and :func:`putuo_geo.layers.data_signature` first. It is

- **shared**: one table per decorated function, for the whole process (that is the point:
  each object is built once, whichever session asks first), and the same table when the
  page script defines the function again on its next run;
- **thread-safe**: sessions run their scripts in threads; a key is built once while the
  others wait for it (no stampede of ten sessions building the same base map);
- **bounded**: at most ``max_entries`` keys per function, the least recently used dropped
  first (a data folder edited all day leaves one atlas per signature otherwise);
- **Streamlit-free** and immutable by contract: callers must not change what they get
  (copy to add, as ``mapview.copy_map`` does). Exceptions are not cached (a bad data
  folder is read again on the next run, and names its problems then).

Examples
--------
>>> calls = []
>>> @memo(max_entries=2)
... def square(folder, signature, _note):
...     calls.append(folder)
...     return signature * signature
>>> square.cache.clear()  # the table outlives the function: start this example afresh
>>> square("geo", 3, "ignored"), square("geo", 3, "not part of the key")
(9, 9)
>>> calls
['geo']
>>> square.cache.info()
CacheInfo(hits=1, misses=1, entries=1, max_entries=2)
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar

__all__ = ["CacheInfo", "ProcessCache", "caches", "memo"]

P = ParamSpec("P")
R = TypeVar("R")


class CacheInfo(NamedTuple):
    """Counts of one cache (for tests and the load benchmark)."""

    hits: int
    misses: int
    entries: int
    max_entries: int


class ProcessCache(Generic[R]):
    """A bounded, thread-safe least-recently-used table of built values.

    Parameters
    ----------
    max_entries
        How many keys are kept (at least 1); the least recently used goes first.
    """

    def __init__(self, *, max_entries: int) -> None:
        if max_entries < 1:
            msg = f"max_entries must be at least 1, not {max_entries}"
            raise ValueError(msg)
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, R] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()  # guards _values, _building and the counts
        self._hits = 0
        self._misses = 0

    def get(self, key: Hashable, build: Callable[[], R]) -> R:
        """The value for ``key``, built by ``build()`` once if it is not kept yet.

        Concurrent callers with the same key wait for one build; other keys go on.
        """
        with self._lock:
            if key in self._values:
                self._hits += 1
                self._values.move_to_end(key)
                return self._values[key]
            gate = self._building.setdefault(key, threading.Lock())
        with gate:  # one builder per key; the others find its value below
            with self._lock:
                if key in self._values:
                    self._hits += 1
                    self._values.move_to_end(key)
                    return self._values[key]
                self._misses += 1
            try:
                value = build()
                with self._lock:  # kept before the gate goes: no second build
                    self._values[key] = value
                    self._values.move_to_end(key)
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return value

    def values(self) -> list[R]:
        """The values kept, least recently used first (for tests: identity checks)."""
        with self._lock:
            return list(self._values.values())

    def info(self) -> CacheInfo:
        """Hits, misses, entries kept and the bound."""
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._values), self.max_entries)

    def clear(self) -> None:
        """Drop every value (for tests: nothing a visitor can send reaches this)."""
        with self._lock:
            self._values.clear()
            self._hits = self._misses = 0


#: Every memo's table, by function: the page script (``app.py``) runs anew on every rerun
#: and defines its loaders again, so a table must outlive the function object. Keyed
#: like Streamlit keys its caches: module, qualified name and the compiled body (an
#: edited loader gets a fresh table).
_TABLES: dict[tuple[str, str, bytes], ProcessCache[Any]] = {}
_TABLES_LOCK = threading.Lock()


def _table(func: Callable[..., Any], *, max_entries: int) -> ProcessCache[Any]:
    code = getattr(func, "__code__", None)
    body = code.co_code if code is not None else b""
    name = (func.__module__, func.__qualname__, body)
    with _TABLES_LOCK:
        table = _TABLES.get(name)
        if table is None or table.max_entries != max_entries:
            table = _TABLES[name] = ProcessCache(max_entries=max_entries)
        return table


def caches() -> dict[str, ProcessCache[Any]]:
    """Every table made so far, by ``module.qualname`` (for tests and the benchmark)."""
    with _TABLES_LOCK:
        return {f"{module}.{qualname}": t for (module, qualname, _), t in _TABLES.items()}


class _Memo(Generic[P, R]):
    """A function whose calls are kept in a :class:`ProcessCache` (made by :func:`memo`)."""

    def __init__(self, func: Callable[P, R], *, max_entries: int) -> None:
        self.func = func
        self.cache: ProcessCache[R] = _table(func, max_entries=max_entries)
        self._signature = inspect.signature(func)
        functools.update_wrapper(self, func)

    def key(self, *args: Any, **kwargs: Any) -> Hashable:
        """The cache key of a call: its arguments by name, less ``_``-prefixed ones."""
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return tuple(
            (name, value) for name, value in bound.arguments.items() if not name.startswith("_")
        )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.cache.get(self.key(*args, **kwargs), lambda: self.func(*args, **kwargs))


def memo(*, max_entries: int = 4) -> Callable[[Callable[P, R]], _Memo[P, R]]:
    """Decorate a builder so its results are kept for the whole process.

    Parameters
    ----------
    max_entries
        Keys kept per function: a few data signatures, times languages and basemaps
        where those are arguments.

    Returns
    -------
    callable
        The decorator; the decorated function has ``.cache`` (a :class:`ProcessCache`).
    """

    def wrap(func: Callable[P, R]) -> _Memo[P, R]:
        return _Memo(func, max_entries=max_entries)

    return wrap
