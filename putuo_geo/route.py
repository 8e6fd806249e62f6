"""The route model: the creek centreline with its chainage, the bank paths, snapping.

One object, :class:`RouteModel`, answers every "where is this point on the route"
question of the package, so the page (``overview.nearest``), the command
(``putuo-geo measure``, through :mod:`putuo_geo.network`) and the batch queries
(``measures.chainage_m``, ``RouteNetwork.along_route_m_many``) give the same
answer for the same point:

- **snap**: a point joins the nearest bank path at its foot point
  (:meth:`RouteModel.snap_xy`);
- **chainage**: metres along the creek from its western entry
  (:meth:`Centreline.chainage_m`), calibrated on the sections' published
  ``from_chainage_m`` / ``to_chainage_m`` (see :class:`Centreline`).

Both use one nearest-point engine, :class:`Polylines`, built on the exact
vectorised nearest-segment search of :mod:`putuo_geo.segments`; one point or a
million take the same path. Everything is computed in EPSG:32651 metres;
projection to and from WGS-84 lon/lat goes through :mod:`putuo_geo.crs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike
from shapely import LineString

from putuo_geo import crs
from putuo_geo.errors import Problem, RouteError
from putuo_geo.layers import Atlas
from putuo_geo.segments import SegmentIndex


@dataclass(frozen=True)
class Located:
    """Per point, its nearest line and the foot point on it (EPSG:32651 metres)."""

    line: np.ndarray  # int, index into the lines
    along_m: np.ndarray  # distance along that line from its first vertex to the foot
    distance_m: np.ndarray  # distance from the point to the foot
    xy: np.ndarray  # (n, 2) the foot point


class Polylines:
    """LineStrings in metres, with a nearest-point search for whole arrays of points.

    This is the package's one snap engine: :class:`~putuo_geo.segments.SegmentIndex`
    finds each point's nearest 2-point segment exactly, and the segment's start
    along its line turns that into a distance along the line. Ties (a point
    equally near two lines) go to the lowest line index.

    Parameters
    ----------
    lines
        LineStrings in a metric CRS, in the order their indices should refer to.
    """

    def __init__(self, lines: ArrayLike) -> None:
        self.lines: np.ndarray = np.asarray(lines, dtype=object).reshape(-1)
        self.lines.setflags(write=False)
        index, segment_line = SegmentIndex.from_lines(self.lines)
        self._index = index
        self._segment_line = segment_line
        # from_lines lists segments line by line, so each line's segments are a
        # contiguous run: the start along the line is the run's cumulative length.
        before = np.cumsum(index.length_m) - index.length_m
        run_start = np.searchsorted(segment_line, segment_line, side="left")
        self._segment_start_m = before - before[run_start] if len(index) else before

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def has_segments(self) -> bool:
        """Whether any line has a segment to snap to."""
        return len(self._index) > 0

    @property
    def length_m(self) -> float:
        """Total length of the lines, metres."""
        return float(shapely.length(self.lines).sum()) if len(self.lines) else 0.0

    def locate(self, xy: ArrayLike) -> Located:
        """The nearest line of each point and where its foot point lies.

        Parameters
        ----------
        xy
            One ``(x, y)`` or an ``(n, 2)`` array, metres, finite; may be empty.

        Returns
        -------
        Located
            Arrays of length ``n``.

        Raises
        ------
        ValueError
            When there is no line to be near, or a coordinate is not finite.
        """
        points = np.asarray(xy, dtype=float).reshape(-1, 2)
        if not len(self._index):
            msg = "There is no line to snap to: the line set has no segment."
            raise ValueError(msg)
        found = self._index.nearest(points)
        line = self._segment_line[found.segment].astype(int)
        along_m = self._segment_start_m[found.segment] + found.along_m
        # The foot on its segment, O(1) a point (interpolating along the whole line
        # would cost O(vertices) a point).
        seg = found.segment
        seg_len = self._index.length_m[seg]
        t = np.divide(found.along_m, seg_len, out=np.zeros_like(seg_len), where=seg_len > 0)
        start, end = self._index.start_xy[seg], self._index.end_xy[seg]
        foot_xy = start + t[:, None] * (end - start)
        return Located(line=line, along_m=along_m, distance_m=found.distance_m, xy=foot_xy)

    def locate_geometries(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Nearest line, distance along it and distance to it for any geometries.

        For lines or polygons the distance is measured from the whole geometry
        (GEOS), to the same 2-point segments :meth:`locate` searches; the distance
        along is that of the foot of the shortest line between them. Returns
        ``(line, along_m, distance_m)`` arrays.
        """
        values = np.asarray(geoms, dtype=object).reshape(-1)
        pieces = shapely.linestrings(np.stack([self._index.start_xy, self._index.end_xy], axis=1))
        (src, seg), dist = shapely.STRtree(pieces).query_nearest(
            values, return_distance=True, all_matches=False
        )
        order = np.argsort(src, kind="stable")
        src, seg, dist = src[order], seg[order], dist[order]
        foot = shapely.get_point(shapely.shortest_line(values[src], pieces[seg]), 1)
        along = self._segment_start_m[seg] + shapely.line_locate_point(pieces[seg], foot)
        line = np.full(len(values), -1)
        along_m = np.full(len(values), np.nan)
        distance_m = np.full(len(values), np.nan)
        line[src], along_m[src], distance_m[src] = self._segment_line[seg], along, dist
        return line, along_m, distance_m


class Centreline:
    """The creek centreline, merged from its sections, and its chainage.

    The sections are sorted by ``from_chainage_m`` and joined in downstream
    order (each turned, if needed, to start at the end nearest the previous
    one; a gap becomes a straight piece). A point's chainage is that of its
    nearest centreline point: the distance along the merged line, calibrated
    on the sections' published ``from_chainage_m`` / ``to_chainage_m`` (linear
    between each section's ends). The published spans are what the build
    measured on the full-precision line; the drawn line, stored at 6 decimals,
    is ~0.3 m longer over 15 km from rounding alone, so the calibration keeps a
    station, a km post and a clicked point on the published chainage. Without
    ``to_chainage_m`` a section spans its drawn length; without
    ``from_chainage_m`` chainage starts at 0.

    Build with :meth:`from_frame`.
    """

    def __init__(
        self,
        line: LineString,
        *,
        along_breaks_m: np.ndarray,
        chainage_breaks_m: np.ndarray,
        sections: pd.DataFrame,
    ) -> None:
        self.line = line
        self.sections = sections
        self._along = along_breaks_m
        self._chainage = chainage_breaks_m
        self._engine = Polylines([line])

    @classmethod
    def from_frame(cls, creek: gpd.GeoDataFrame) -> Centreline:
        """The centreline of a creek layer (any CRS, set).

        Raises
        ------
        ValueError
            When the layer has no (non-empty) LineString.
        """
        ordered = (
            creek.sort_values("from_chainage_m", kind="stable")
            if "from_chainage_m" in creek
            else creek
        )
        metric = crs.to_metric(ordered, name="creek")
        usable = np.array([isinstance(g, LineString) and not g.is_empty for g in metric.values])
        if not usable.any():
            msg = "The creek layer has no LineString to measure chainage along."
            raise ValueError(msg)
        rows = ordered[usable]
        coords = [np.asarray(g.coords)[:, :2] for g in metric.values[usable]]
        if len(coords) > 1:
            first, second = coords[0], coords[1]
            gap_if_kept = min(_dist(first[-1], second[0]), _dist(first[-1], second[-1]))
            gap_if_turned = min(_dist(first[0], second[0]), _dist(first[0], second[-1]))
            if gap_if_turned < gap_if_kept:
                coords[0] = first[::-1]
        firsts, lasts, count = [], [], 0
        for k in range(len(coords)):
            first_index = count
            if k:
                end = coords[k - 1][-1]
                if _dist(end, coords[k][-1]) < _dist(end, coords[k][0]):
                    coords[k] = coords[k][::-1]
                if _dist(end, coords[k][0]) < 1e-9:  # shared vertex: keep it once
                    coords[k] = coords[k][1:]
                    first_index = count - 1
            count += len(coords[k])
            firsts.append(first_index)
            lasts.append(count - 1)
        xy = np.concatenate(coords)
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        from_along, to_along = along[firsts], along[lasts]
        drawn = to_along - from_along
        if _has_column(rows, "from_chainage_m"):
            from_ch = rows["from_chainage_m"].to_numpy(dtype=float)
        else:
            from_ch = from_along
        if _has_column(rows, "to_chainage_m"):
            to_ch = rows["to_chainage_m"].to_numpy(dtype=float)
        else:
            to_ch = from_ch + drawn
        sections = pd.DataFrame(
            {
                "id": rows["id"].astype(str).to_numpy() if "id" in rows else range(len(rows)),
                "from_chainage_m": from_ch,
                "to_chainage_m": to_ch,
                "from_along_m": from_along,
                "to_along_m": to_along,
            }
        )
        return cls(
            LineString(xy),
            along_breaks_m=np.column_stack([from_along, to_along]).reshape(-1),
            chainage_breaks_m=np.column_stack([from_ch, to_ch]).reshape(-1),
            sections=sections,
        )

    @property
    def start_m(self) -> float:
        """Chainage of the centreline's first vertex, metres (normally 0)."""
        return float(self._chainage[0])

    @property
    def end_m(self) -> float:
        """Chainage of the centreline's last vertex, metres."""
        return float(self._chainage[-1])

    def chainage_at(self, along_m: ArrayLike) -> np.ndarray:
        """Chainage (m) of the points ``along_m`` metres along the merged line."""
        return np.interp(np.asarray(along_m, dtype=float), self._along, self._chainage)

    def along_at(self, chainage_m: ArrayLike) -> np.ndarray:
        """Distance along the merged line (m) of each chainage (the inverse of
        :meth:`chainage_at`; clamped to the line's ends)."""
        return np.interp(np.asarray(chainage_m, dtype=float), self._chainage, self._along)

    def point_at(self, chainage_m: ArrayLike) -> np.ndarray:
        """``(n, 2)`` metric points on the centreline at each chainage (m)."""
        pts = shapely.line_interpolate_point(self.line, self.along_at(chainage_m))
        return np.asarray(shapely.get_coordinates(pts), dtype=float).reshape(-1, 2)

    def chainage_m(self, xy: ArrayLike) -> np.ndarray:
        """Chainage (m) of the centreline point nearest each metric point ``(n, 2)``."""
        return self.chainage_at(self._engine.locate(xy).along_m)

    def chainage_m_of_geometries(self, geoms: np.ndarray) -> np.ndarray:
        """Chainage (m) of the centreline point nearest each geometry (metres)."""
        _, along_m, _ = self._engine.locate_geometries(geoms)
        return self.chainage_at(along_m)


def _has_column(frame: pd.DataFrame, name: str) -> bool:
    return name in frame and bool(frame[name].notna().all())


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(a - b)))


@dataclass(frozen=True)
class Snapped:
    """Points joined to the route at their nearest route point (arrays, length ``n``).

    ``xy`` is the foot point in EPSG:32651, ``lonlat`` the same in WGS-84;
    ``line`` indexes :attr:`RouteModel.paths`; ``chainage_m`` is the creek
    chainage of the foot point (NaN without a creek).
    """

    line: np.ndarray
    route_id: np.ndarray  # str
    along_m: np.ndarray
    offset_m: np.ndarray
    xy: np.ndarray
    lonlat: np.ndarray
    chainage_m: np.ndarray


class RouteModel:
    """The route: bank paths and the creek centreline, in EPSG:32651.

    Attributes
    ----------
    paths
        The bank paths' LineStrings (multi-part features exploded, empty and
        zero-length parts dropped) as a :class:`Polylines`.
    path_ids, path_banks
        Per path, the route feature's ``id`` and ``bank`` (``None`` when the
        layer has no ``bank`` field).
    creek
        The :class:`Centreline`, or ``None`` when there is no creek.
    """

    def __init__(
        self,
        *,
        paths: Polylines,
        path_ids: tuple[str, ...],
        path_banks: tuple[str, ...] | None,
        creek: Centreline | None,
    ) -> None:
        self.paths = paths
        self.path_ids = path_ids
        self.path_banks = path_banks
        self.creek = creek
        self._path_ids = np.asarray(path_ids, dtype=object)

    @classmethod
    def from_atlas(cls, atlas: Atlas) -> RouteModel:
        """The model of an atlas's route and creek layers."""
        return cls.from_frames(atlas.route, creek=atlas.creek if len(atlas.creek) else None)

    @classmethod
    def from_frames(
        cls, route: gpd.GeoDataFrame, *, creek: gpd.GeoDataFrame | None = None
    ) -> RouteModel:
        """The model of a route layer (any CRS, set) and optionally a creek layer.

        Raises
        ------
        RouteError
            When the route has no LineString of positive length.
        """
        metric = crs.to_metric(route, name="route")
        parts, part_of = shapely.get_parts(metric.values, return_index=True)
        usable = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)
        usable &= shapely.length(parts) > 0
        parts, part_of = parts[usable], part_of[usable]
        if len(parts) == 0:
            raise RouteError(Problem("route.problem.no_line"))
        ids = (
            route["id"].astype(str).to_numpy()
            if "id" in route
            else np.array([f"#{i}" for i in range(len(route))])
        )
        banks = route["bank"].to_numpy() if "bank" in route else None
        return cls(
            paths=Polylines(parts),
            path_ids=tuple(str(ids[i]) for i in part_of),
            path_banks=tuple(str(banks[i]) for i in part_of) if banks is not None else None,
            creek=Centreline.from_frame(creek) if creek is not None and len(creek) else None,
        )

    @property
    def length_m(self) -> float:
        """Total length of the bank paths, metres (EPSG:32651)."""
        return self.paths.length_m

    def chainage_m(self, xy: ArrayLike) -> np.ndarray:
        """Creek chainage (m) of each metric point ``(n, 2)``; NaN without a creek."""
        points = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self.creek is None:
            return np.full(len(points), np.nan)
        return self.creek.chainage_m(points)

    def chainage_m_lonlat(self, lonlat: ArrayLike) -> np.ndarray:
        """Creek chainage (m) of each WGS-84 ``(lon, lat)`` point; NaN without a creek."""
        return self.chainage_m(crs.lonlat_to_metric(lonlat))

    def snap_xy(self, xy: ArrayLike) -> Snapped:
        """Join each metric point ``(n, 2)`` to its nearest route point."""
        found = self.paths.locate(xy)
        return Snapped(
            line=found.line,
            route_id=self._path_ids[found.line],
            along_m=found.along_m,
            offset_m=found.distance_m,
            xy=found.xy,
            lonlat=crs.metric_to_lonlat(found.xy),
            chainage_m=self.chainage_m(found.xy),
        )

    def snap_lonlat(self, lonlat: ArrayLike) -> Snapped:
        """Join each WGS-84 ``(lon, lat)`` point to its nearest route point."""
        return self.snap_xy(crs.lonlat_to_metric(lonlat))
