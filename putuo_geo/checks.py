"""Two tiers of data checks, in the style of osmnx's ``_validate.py``: problems and warnings.

*Problems* break a "must" rule (:func:`putuo_geo.layers.validate_dir`): the atlas cannot
be shown and the command exits 1. *Warnings* break a "should" rule: the page still
works, but something in the data does not do what its editor meant, such as a walkable
bridge that does not reach the route on both banks (the route network drops it from
routing and lists it in ``RouteNetwork.unlinked_bridges``). A warning is returned beside
the data and shown (page) or printed (``putuo-geo validate``, still exit 0), never
dropped.

Every problem and warning is an :class:`~putuo_geo.errors.Problem` (catalogue key and
parameters) where the catalogue has it, so the page shows it in its language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from putuo_geo import layers
from putuo_geo.errors import DataValidationError, Problem, RouteError
from putuo_geo.network import RouteNetwork


@dataclass(frozen=True)
class Report:
    """A data folder's checks: ``problems`` (must) and ``warnings`` (should)."""

    problems: tuple[str, ...]
    warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the folder can be shown (warnings do not count)."""
        return not self.problems


def warnings(atlas: layers.Atlas, *, network: RouteNetwork | None = None) -> list[Problem]:
    """The "should" rules broken by a valid atlas, one :class:`Problem` each.

    Parameters
    ----------
    atlas
        A loaded (so valid) atlas.
    network
        Its route network, when already built (the page caches one); else built here.

    Returns
    -------
    list of Problem
        ``warning.unlinked_bridge`` per walkable bridge the network could not join to
        two banks; ``warning.route`` when no network can be built at all.
    """
    if network is None:
        try:
            network = RouteNetwork.from_atlas(atlas)
        except RouteError as exc:
            return [Problem("warning.route", detail=str(exc))]
    return [Problem("warning.unlinked_bridge", id=bid) for bid in network.unlinked_bridges]


def check_dir(data_dir: str | os.PathLike[str] | None = None) -> Report:
    """Both tiers for a data folder: its problems, and (when it has none) its warnings."""
    problems = layers.validate_dir(data_dir)
    if problems:
        return Report(tuple(problems), ())
    try:
        atlas = layers.load_atlas(data_dir)
    except DataValidationError as exc:  # changed between the two reads
        return Report(tuple(exc.problems), ())
    return Report((), tuple(warnings(atlas)))
