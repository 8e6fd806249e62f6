"""Exceptions raised by putuo_geo.

Validation collects every problem and raises one error listing them all (the
osmnx pattern), so a data editor fixes a file in one pass, not one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable


class PutuoGeoError(Exception):
    """Base class for errors this package raises on purpose."""


class DataValidationError(PutuoGeoError, ValueError):
    """One or more problems in the data; ``problems`` lists every one.

    Each problem is one sentence naming the file, the feature id (where there is
    one) and what is wrong.
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
    """The route network cannot answer: no route to build it from, or two places not connected."""


class ExtractError(PutuoGeoError, ValueError):
    """An OpenStreetMap extract cannot be used: unreadable, outside Putuo, or without the creek."""
