"""Exceptions raised by putuo_geo, and the problems and warnings they carry.

Validation collects every problem and raises one error listing them all (the
osmnx pattern), so a data editor fixes a file in one pass, not one error per run.

A problem the page shows is a :class:`Problem`: a :mod:`putuo_geo.i18n` catalogue key
with its parameters, so the Chinese page shows it in Chinese. It *is* its English
sentence (a ``str`` subclass), so the command line, logs and ``str(error)`` read as
before. A problem that does not stop the page (osmnx's "should" rules, e.g. a bridge the
route network could not link) is a *warning*: returned beside the data, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from putuo_geo import i18n


class Problem(str):
    """One problem sentence: English text, plus the catalogue ``key`` and ``params``.

    ``Problem("upload.problem.no_name", where="a.csv: row 3")`` is the string of the
    English message; :meth:`text` gives it in another language. Parameters are plain
    values (text, numbers already formatted), never markup: escape on display.
    """

    key: str
    params: Mapping[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Problem:
        self = super().__new__(cls, i18n.tr(key, "en", **params))
        self.key = key
        self.params = MappingProxyType(dict(params))
        return self

    def text(self, lang: i18n.Lang) -> str:
        """The message in ``lang`` (parameters that are problems are translated too)."""
        fields = {k: v.text(lang) if isinstance(v, Problem) else v for k, v in self.params.items()}
        return i18n.tr(self.key, lang, **fields)

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (Streamlit's session copies)
        return (_rebuild, (self.key, dict(self.params)))


def _rebuild(key: str, params: dict[str, Any]) -> Problem:
    return Problem(key, **params)


def localise(problem: object, lang: i18n.Lang) -> str:
    """A problem in ``lang``: a :class:`Problem`'s translation, anything else as ``str``.

    Problems without a key (from a part of the package not yet translated) stay English.
    An error raised with one :class:`Problem` (``RouteError(Problem(...))``) is that
    problem.
    """
    if isinstance(problem, BaseException) and len(problem.args) == 1:
        problem = problem.args[0]
    return problem.text(lang) if isinstance(problem, Problem) else str(problem)


def capped(problems: Iterable[str], *, limit: int = 20) -> list[str]:
    """The first ``limit`` problems, then one line saying how many more there are.

    An upload with 5,000 bad rows listed 10,000 bullets (800 kB, 6.7 s to render);
    the first few say what is wrong, the count says how much.
    """
    items = list(problems)
    if len(items) <= limit:
        return items
    more = len(items) - limit
    return [*items[:limit], Problem("problem.more", count=f"{more:,}")]


class PutuoGeoError(Exception):
    """Base class for errors this package raises on purpose."""


class DataValidationError(PutuoGeoError, ValueError):
    """One or more problems in the data; ``problems`` lists every one.

    Each problem is one sentence naming the file, the feature id (where there is
    one) and what is wrong; a :class:`Problem` where the catalogue has it.
    """

    def __init__(self, problems: Iterable[str], *, summary: str | None = None) -> None:
        self.problems: list[str] = list(problems)
        n = len(self.problems)
        head = summary or f"{n} problem{'s' if n != 1 else ''} in the data"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}:\n{body}" if body else head)


class PlaceNotFoundError(PutuoGeoError, LookupError):
    """A place given by id, name or ``lat,lon`` could not be resolved."""


class RouteError(PutuoGeoError, ValueError):
    """The route network cannot answer: no route to build it from, or two places not connected.

    Raised with one :class:`Problem` (``str(error)`` is its English sentence;
    :func:`localise` gives it in the page's language).
    """


class ExtractError(PutuoGeoError, ValueError):
    """An OpenStreetMap extract cannot be used: unreadable, outside Putuo, or without the creek."""
