"""How much of the route, or of a measured path, runs on modelled ground.

The atlas marks every route piece ``confirmed`` (drawn from a surveyed or
sourced line: the converted district border, an OpenStreetMap way) or
``indicative`` (modelled from sparse facts, see its ``source`` and
``accuracy_m``). A length measured along a modelled piece is no better than the
model, so the figures and measurements say how much of them is modelled
(issue 16).

Everything here is metric: geometries in EPSG:32651, lengths in metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString

#: The status of a feature drawn from a sourced line; every other status is modelled.
CONFIRMED = "confirmed"
#: A path segment farther than this from every route piece is off the route.
ON_ROUTE_M = 30.0
#: Measured paths are cut into steps of at most this length before they are
#: classified, so a step never spans a confirmed and a modelled piece for long.
STEP_M = 5.0


@dataclass(frozen=True)
class RouteDoubt:
    """Confirmed and modelled length of the route, metres."""

    confirmed_m: float
    modelled_m: float
    #: The largest ``accuracy_m`` of a modelled piece (0 when nothing is modelled).
    worst_accuracy_m: float

    @property
    def length_m(self) -> float:
        return self.confirmed_m + self.modelled_m

    @property
    def confirmed_km(self) -> float:
        return self.confirmed_m / 1000.0

    @property
    def modelled_km(self) -> float:
        return self.modelled_m / 1000.0

    @property
    def modelled_pct(self) -> float:
        """Modelled share of the route, percent (0 for an empty route)."""
        return 100.0 * self.modelled_m / self.length_m if self.length_m else 0.0

    @property
    def confirmed_pct(self) -> float:
        return 100.0 - self.modelled_pct if self.length_m else 0.0


@dataclass(frozen=True)
class PathDoubt:
    """How a measured path splits between confirmed, modelled and off-route ground."""

    length_m: float
    confirmed_m: float
    modelled_m: float
    off_route_m: float
    #: The largest ``accuracy_m`` of a modelled piece the path runs on (0 if none).
    worst_accuracy_m: float

    @property
    def modelled_share(self) -> float:
        """Share of the path's length on modelled pieces, 0-1 (0 for an empty path)."""
        return self.modelled_m / self.length_m if self.length_m else 0.0


def _is_modelled(route: gpd.GeoDataFrame) -> np.ndarray:
    return (route["status"].astype(str) != CONFIRMED).to_numpy()


def route_doubt(route_m: gpd.GeoDataFrame) -> RouteDoubt:
    """Confirmed vs modelled length of a route layer.

    Parameters
    ----------
    route_m
        The route layer in a metric CRS (EPSG:32651), with ``status`` and
        ``accuracy_m`` columns; a piece is modelled unless its status is
        ``confirmed``.
    """
    modelled = _is_modelled(route_m)
    lengths = route_m.geometry.length.to_numpy(dtype=float)
    accuracy = route_m["accuracy_m"].to_numpy(dtype=float)
    return RouteDoubt(
        confirmed_m=float(lengths[~modelled].sum()),
        modelled_m=float(lengths[modelled].sum()),
        worst_accuracy_m=float(accuracy[modelled].max()) if modelled.any() else 0.0,
    )


def _segments(pieces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every two-point segment of the line pieces, and the index of the piece of each."""
    parts, part_piece = shapely.get_parts(pieces, return_index=True)
    coords, coord_part = shapely.get_coordinates(parts, return_index=True)
    joined = coord_part[:-1] == coord_part[1:]  # consecutive vertices of one part
    starts = np.flatnonzero(joined)
    if starts.size == 0:  # no line with two vertices: the pieces themselves
        return pieces, np.arange(len(pieces))
    lines = shapely.linestrings(np.stack([coords[starts], coords[starts + 1]], axis=1))
    return lines, part_piece[coord_part[starts]]


def path_doubt(
    path_m: LineString, route_m: gpd.GeoDataFrame, *, on_route_m: float = ON_ROUTE_M
) -> PathDoubt:
    """Split a measured path by the route pieces it runs on.

    The path is cut into steps of at most :data:`STEP_M`; each step belongs to
    the route piece nearest its midpoint, or is off the route when no piece is
    within ``on_route_m``. A step on a bridge between two banks counts with the
    nearer bank's piece.

    Parameters
    ----------
    path_m
        The measured path, metric (EPSG:32651).
    route_m
        The route layer, metric, with ``status`` and ``accuracy_m``.
    on_route_m
        How far from every piece a step may lie and still be on the route, metres.
    """
    if path_m.is_empty or path_m.length == 0.0 or route_m.empty:
        length_m = float(path_m.length) if not path_m.is_empty else 0.0
        return PathDoubt(length_m, 0.0, 0.0, length_m, 0.0)
    # shapely.segmentize does the cutting; the classification below is a nearest
    # search in shapely's STRtree, one query for all steps.
    dense = np.asarray(shapely.segmentize(path_m, STEP_M).coords)[:, :2]
    steps = np.hypot(*np.diff(dense, axis=0).T)
    mids = shapely.points(0.5 * (dense[:-1] + dense[1:]))
    # The tree holds each piece's straight segments, not the pieces: a nearest search
    # among a few long lines measures the distance to every vertex of each (about
    # 40 ms for a 10 km path on the real route); among short segments it is a few ms.
    # The nearest segment's piece is the nearest piece.
    segments, segment_piece = _segments(np.asarray(route_m.geometry))
    tree = shapely.STRtree(segments)
    (step_idx, seg_idx), dist = tree.query_nearest(mids, return_distance=True, all_matches=False)
    piece_idx = segment_piece[seg_idx]
    nearest = np.full(len(steps), -1)
    nearest[step_idx] = np.where(dist <= on_route_m, piece_idx, -1)
    modelled_piece = _is_modelled(route_m)
    accuracy = route_m["accuracy_m"].to_numpy(dtype=float)
    on = nearest >= 0
    on_modelled = on.copy()
    on_modelled[on] = modelled_piece[nearest[on]]
    modelled_m = float(steps[on_modelled].sum())
    confirmed_m = float(steps[on & ~on_modelled].sum())
    off_m = float(steps[~on].sum())
    touched = nearest[on_modelled]
    worst = float(accuracy[touched].max()) if touched.size else 0.0
    return PathDoubt(float(steps.sum()), confirmed_m, modelled_m, off_m, worst)
