"""The walkable route network: bank paths joined by bridges (networkx).

A walker moves along the route's bank LineStrings and crosses the creek only on
a walkable bridge. The graph is built once per data folder, in EPSG:32651:

- nodes at every segment end (ends within ``join_tol_m`` are one node; an end that
  touches another segment's interior splits that segment there) and at every
  bridge landing;
- route edges are the bank LineStrings split at those nodes, weighted by metric
  length and carrying their geometry;
- a LineString bridge joins the route points nearest its two ends; a Point
  bridge joins the nearest route point on each bank within ``bridge_snap_m``.
  Both landings must be on opposite banks (by the route's ``bank`` field, or on
  two different lines where there is none). A bridge that reaches a route on
  one bank only (a border reach, where the far bank is another district's) is
  listed in ``unlinked_bridges``; non-walkable bridges are left out.

The object is shared by every user of the page, so it is immutable after
construction: the graph is frozen (``networkx.freeze``) and a query never adds
nodes. A place joins the route at its nearest route point (the route model's
one snap, :meth:`putuo_geo.route.RouteModel.snap_xy`), which lies on one piece
between two graph nodes; the query runs Dijkstra from those two nodes and adds
the partial pieces by hand. Chainage is the route model's too.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike
from shapely import LineString, Point
from shapely.ops import substring

from putuo_geo import config, crs
from putuo_geo.errors import Problem, RouteError
from putuo_geo.layers import Atlas
from putuo_geo.places import Place
from putuo_geo.route import Polylines, RouteModel

#: A Point bridge joins route segments whose nearest point is within this distance (m).
BRIDGE_SNAP_M = 80.0
#: Segment ends closer than this (m) are one node.
JOIN_TOL_M = 1.0


@dataclass(frozen=True)
class Endpoint:
    """Where one end of a measurement is and how it joins the route."""

    label: str  # what the user asked for (id, name or "lat,lon")
    id: str | None  # feature id when it was a station/site/bridge
    name_en: str
    name_zh: str
    lonlat: tuple[float, float]  # the place itself, WGS-84
    on_route_lonlat: tuple[float, float]  # nearest route point, WGS-84
    offset_m: float  # place -> nearest route point, metres
    chainage_m: float | None  # creek chainage of the route point
    route_id: str | None = None  # id of the route segment it joins


@dataclass(frozen=True)
class Measurement:
    """Result of measuring between two places along the route."""

    start: Endpoint
    end: Endpoint
    along_route_m: float  # walking distance on the network (excludes the offsets)
    straight_m: float  # straight line in the metric CRS (EPSG:32651), not a great circle
    path: shapely.LineString  # WGS-84 lon/lat, start route point -> end route point
    bridges: list[str] = field(default_factory=list)  # bridge ids crossed, in order

    @property
    def total_m(self) -> float:
        """Along-route distance plus both offsets to reach the route."""
        return self.along_route_m + self.start.offset_m + self.end.offset_m


@dataclass(frozen=True)
class _Snap:
    """A point joined to the route, in EPSG:32651."""

    line: int  # index into the route model's paths
    s_m: float  # distance along that line
    piece: int  # which piece of the line (between cuts[piece] and cuts[piece + 1])
    offset_m: float
    on_route_xy: tuple[float, float]
    on_route_lonlat: tuple[float, float]
    chainage_m: float | None


PlaceLike = tuple[float, float] | Place | Endpoint


def _coords_between(line: LineString, s0: float, s1: float) -> np.ndarray:
    """Vertices of ``line`` from distance ``s0`` to ``s1`` (reversed when s1 < s0), (n, 2)."""
    if abs(s1 - s0) < 1e-9:
        return np.asarray(shapely.get_coordinates(line.interpolate(s0)))
    part = substring(line, s0, s1)
    return np.asarray(shapely.get_coordinates(part))


def _join_coords(chunks: Iterable[np.ndarray]) -> np.ndarray:
    """Concatenate vertex arrays, dropping a vertex that repeats the previous one."""
    joined = np.concatenate([c for c in chunks if len(c)])
    if len(joined) < 2:
        return np.vstack([joined, joined])
    keep = np.ones(len(joined), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(joined, axis=0)) > 1e-9, axis=1)
    out = joined[keep]
    return out if len(out) >= 2 else np.vstack([out, out])


class RouteNetwork:
    """The walkable route graph; build with :meth:`from_atlas` or :meth:`from_frames`.

    Attributes
    ----------
    model
        The :class:`~putuo_geo.route.RouteModel` the network is built on (its paths
        are the network's route lines; snapping and chainage are its).
    graph
        A frozen :class:`networkx.Graph`: integer nodes with ``xy`` (EPSG:32651),
        edges with ``weight`` (m), ``geometry`` (EPSG:32651 LineString drawn from
        the edge's ``start`` node), ``kind`` (``"route"`` or ``"bridge"``) and ``id``.
    unlinked_bridges
        Ids of walkable bridges that could not be joined to two banks.
    """

    def __init__(
        self,
        *,
        model: RouteModel,
        graph: nx.Graph,
        cuts_m: tuple[np.ndarray, ...],
        cut_nodes: tuple[np.ndarray, ...],
        unlinked_bridges: tuple[str, ...],
    ) -> None:
        # Private: use from_atlas / from_frames / from_model. Arrays are made read-only.
        for arr in (*cuts_m, *cut_nodes):
            arr.setflags(write=False)
        self.model = model
        self.graph: nx.Graph = nx.freeze(graph)
        self._lines = model.paths.lines
        self._line_ids = model.path_ids
        self._cuts_m = cuts_m
        self._cut_nodes = cut_nodes
        self.unlinked_bridges = unlinked_bridges

    # ------------------------------------------------------------------ build

    @classmethod
    def from_atlas(
        cls,
        atlas: Atlas,
        *,
        bridge_snap_m: float = BRIDGE_SNAP_M,
        join_tol_m: float = JOIN_TOL_M,
    ) -> RouteNetwork:
        """The network of an atlas's route and bridges (chainage from its creek)."""
        return cls.from_frames(
            atlas.route,
            atlas.bridges,
            creek=atlas.creek if len(atlas.creek) else None,
            bridge_snap_m=bridge_snap_m,
            join_tol_m=join_tol_m,
        )

    @classmethod
    def from_frames(
        cls,
        route: gpd.GeoDataFrame,
        bridges: gpd.GeoDataFrame | None = None,
        *,
        creek: gpd.GeoDataFrame | None = None,
        bridge_snap_m: float = BRIDGE_SNAP_M,
        join_tol_m: float = JOIN_TOL_M,
    ) -> RouteNetwork:
        """Build the network from a route layer and (optionally) bridges.

        Parameters
        ----------
        route
            Bank LineStrings (any CRS, set) with ``id`` and, ideally, ``bank``.
        bridges
            Point or LineString bridges with ``id`` and ``walkable``; a missing
            ``walkable`` column means every bridge is walkable.
        creek
            The creek layer, for the chainage of each endpoint (``None``: no chainage).
        bridge_snap_m
            How far (m) a bridge end or Point bridge may lie from the route it joins.
        join_tol_m
            Segment ends closer than this (m) are one node.

        Raises
        ------
        RouteError
            When the route has no LineString.
        """
        model = RouteModel.from_frames(route, creek=creek)
        return cls.from_model(model, bridges, bridge_snap_m=bridge_snap_m, join_tol_m=join_tol_m)

    @classmethod
    def from_model(
        cls,
        model: RouteModel,
        bridges: gpd.GeoDataFrame | None = None,
        *,
        bridge_snap_m: float = BRIDGE_SNAP_M,
        join_tol_m: float = JOIN_TOL_M,
    ) -> RouteNetwork:
        """Build the network on a route model's paths, joined by ``bridges``.

        Options as in :meth:`from_frames`.
        """
        builder = _Builder(model.paths, model.path_ids, model.path_banks, join_tol_m=join_tol_m)
        unlinked: list[str] = []
        if bridges is not None and len(bridges):
            bmetric = crs.to_metric(bridges, name="bridges")
            walkable = (
                bridges["walkable"].fillna(False).astype(bool).to_numpy()
                if "walkable" in bridges
                else np.ones(len(bridges), dtype=bool)
            )
            bids = (
                bridges["id"].astype(str).to_numpy()
                if "id" in bridges
                else np.array([f"#{i}" for i in range(len(bridges))])
            )
            for geom, ok, bid in zip(bmetric.values, walkable, bids, strict=True):
                if ok and not builder.add_bridge(geom, str(bid), snap_m=bridge_snap_m):
                    unlinked.append(str(bid))
        graph, cuts_m, cut_nodes = builder.finish()
        return cls(
            model=model,
            graph=graph,
            cuts_m=cuts_m,
            cut_nodes=cut_nodes,
            unlinked_bridges=tuple(unlinked),
        )

    # ------------------------------------------------------------------ query

    @property
    def length_m(self) -> float:
        """Total length of the route lines, metres (EPSG:32651)."""
        return float(shapely.length(self._lines).sum())

    def _snaps(self, xy: np.ndarray) -> list[_Snap]:
        """Join metric points ``(n, 2)`` to the route (the route model's snap)."""
        found = self.model.snap_xy(xy)
        snaps = []
        for k in range(len(found.line)):
            j, s = int(found.line[k]), float(found.along_m[k])
            cuts = self._cuts_m[j]
            piece = int(np.clip(np.searchsorted(cuts, s, side="right") - 1, 0, len(cuts) - 2))
            chainage = float(found.chainage_m[k])
            snaps.append(
                _Snap(
                    line=j,
                    s_m=s,
                    piece=piece,
                    offset_m=float(found.offset_m[k]),
                    on_route_xy=(float(found.xy[k, 0]), float(found.xy[k, 1])),
                    on_route_lonlat=(float(found.lonlat[k, 0]), float(found.lonlat[k, 1])),
                    chainage_m=chainage if math.isfinite(chainage) else None,
                )
            )
        return snaps

    def _endpoint(self, place: PlaceLike, snap: _Snap, lonlat: tuple[float, float]) -> Endpoint:
        if isinstance(place, Place | Endpoint):
            label, fid, name_en, name_zh = place.label, place.id, place.name_en, place.name_zh
        else:
            label = f"{lonlat[1]:.6f},{lonlat[0]:.6f}"
            fid, name_en, name_zh = None, label, label
        return Endpoint(
            label=label,
            id=fid,
            name_en=name_en,
            name_zh=name_zh,
            lonlat=lonlat,
            on_route_lonlat=snap.on_route_lonlat,
            offset_m=snap.offset_m,
            chainage_m=snap.chainage_m,
            route_id=self._line_ids[snap.line],
        )

    def snap(self, place: PlaceLike) -> Endpoint:
        """Join one place to the route at its nearest route point."""
        lonlat = _lonlat_of(place)
        (snap,) = self._snaps(crs.lonlat_to_metric(lonlat))
        return self._endpoint(place, snap, lonlat)

    def measure(self, a: PlaceLike, b: PlaceLike) -> Measurement:
        """The walking distance between two places along the route.

        Parameters
        ----------
        a, b
            ``(lon, lat)`` tuples in WGS-84 degrees, :class:`~putuo_geo.places.Place`
            or :class:`Endpoint` objects. Each joins the route at its nearest route
            point (the distance to it is the endpoint's ``offset_m``).

        Returns
        -------
        Measurement
            ``along_route_m`` between the two route points (Dijkstra on metric
            lengths), ``straight_m`` between the two places, the path as one WGS-84
            LineString and the ids of the bridges crossed in order.

        Raises
        ------
        RouteError
            When no walkable path joins the two route points.
        """
        a_lonlat, b_lonlat = _lonlat_of(a), _lonlat_of(b)
        xy = crs.lonlat_to_metric([a_lonlat, b_lonlat])
        sa, sb = self._snaps(xy)
        start, end = self._endpoint(a, sa, a_lonlat), self._endpoint(b, sb, b_lonlat)
        straight = float(np.hypot(*(xy[1] - xy[0])))
        best_m, coords, crossed = self._shortest(sa, sb)
        if not math.isfinite(best_m):
            raise RouteError(
                Problem(
                    "route.problem.not_connected",
                    start=start.label,
                    end=end.label,
                    a=start.route_id,
                    b=end.route_id,
                )
            )
        path = LineString(crs.metric_to_lonlat(coords))
        return Measurement(
            start=start,
            end=end,
            along_route_m=best_m,
            straight_m=straight,
            path=path,
            bridges=crossed,
        )

    def _ends(self, snap: _Snap) -> list[tuple[int, float, float]]:
        """The two graph nodes around a snapped point: (node, distance to it, its s)."""
        cuts, nodes = self._cuts_m[snap.line], self._cut_nodes[snap.line]
        lo, hi = cuts[snap.piece], cuts[snap.piece + 1]
        return [
            (int(nodes[snap.piece]), snap.s_m - float(lo), float(lo)),
            (int(nodes[snap.piece + 1]), float(hi) - snap.s_m, float(hi)),
        ]

    def _shortest(self, sa: _Snap, sb: _Snap) -> tuple[float, np.ndarray, list[str]]:
        best_m = math.inf
        best: tuple[Any, ...] | None = None
        if sa.line == sb.line and sa.piece == sb.piece:
            best_m = abs(sb.s_m - sa.s_m)
            best = ("direct",)
        b_ends = self._ends(sb)
        for node_a, da, s_node_a in self._ends(sa):
            dist, paths = nx.single_source_dijkstra(self.graph, node_a, weight="weight")
            assert isinstance(dist, dict)  # a dict when no target is given
            for node_b, db, s_node_b in b_ends:
                total = da + dist.get(node_b, math.inf) + db
                if total < best_m - 1e-9:
                    best_m, best = total, (s_node_a, paths[node_b], s_node_b)
        if best is None:
            return math.inf, np.empty((0, 2)), []
        line_a, line_b = self._lines[sa.line], self._lines[sb.line]
        if best[0] == "direct":
            return best_m, _join_coords([_coords_between(line_a, sa.s_m, sb.s_m)]), []
        s_node_a, node_path, s_node_b = best
        chunks = [_coords_between(line_a, sa.s_m, s_node_a)]
        crossed: list[str] = []
        for p, q in itertools.pairwise(node_path):
            data = self.graph.edges[p, q]
            xy = np.asarray(shapely.get_coordinates(data["geometry"]))
            chunks.append(xy if data["start"] == p else xy[::-1])
            if data["kind"] == "bridge":
                crossed.append(data["id"])
        chunks.append(_coords_between(line_b, s_node_b, sb.s_m))
        return best_m, _join_coords(chunks), crossed

    def edges_frame(self) -> gpd.GeoDataFrame:
        """Every edge as a row (``u``, ``v``, ``kind``, ``id``, ``length_m``), EPSG:4326."""
        rows = [
            {"u": u, "v": v, "kind": d["kind"], "id": d["id"], "length_m": d["weight"]}
            for u, v, d in self.graph.edges(data=True)
        ]
        geoms = [d["geometry"] for _, _, d in self.graph.edges(data=True)]
        return gpd.GeoDataFrame(
            pd.DataFrame(rows, columns=["u", "v", "kind", "id", "length_m"]),
            geometry=list(crs.geometry_to_lonlat(np.asarray(geoms, dtype=object))),
            crs=config.WEB_CRS,
        )

    # ------------------------------------------------------------------ batch

    @functools.cached_property
    def _many(self) -> _ManyIndex:
        # Built on first use and then only read. Two sessions racing here would both
        # build the same value (idempotent), so the shared object needs no lock.
        return _ManyIndex.build(self)

    def along_route_m_many(self, a_lonlat: ArrayLike, b_lonlat: ArrayLike) -> np.ndarray:
        """Walking distance for many pairs at once: ``a_lonlat[k]`` -> ``b_lonlat[k]``.

        Same answer as ``measure(a, b).along_route_m`` for each pair (each place joins
        the route at its nearest route point; offsets excluded), without the path.
        Vectorised: every node-to-node distance is computed once (Dijkstra from each
        node) and all points are joined to the route in one vectorised search (the
        route model's snap, the same as :meth:`measure` uses), so 100,000 pairs take a
        fraction of a second instead of minutes.

        Parameters
        ----------
        a_lonlat, b_lonlat
            ``(n, 2)`` arrays of WGS-84 (lon, lat) degrees, the same ``n``.

        Returns
        -------
        numpy.ndarray
            ``(n,)`` metres (EPSG:32651); ``inf`` where no walkable path joins the two
            route points (where :meth:`measure` raises ``RouteError``).

        Raises
        ------
        ValueError
            When the two arrays do not hold the same number of (lon, lat) pairs.
        """
        a = np.asarray(a_lonlat, dtype=float).reshape(-1, 2)
        b = np.asarray(b_lonlat, dtype=float).reshape(-1, 2)
        if len(a) != len(b):
            msg = f"a_lonlat has {len(a)} points but b_lonlat has {len(b)}; pairs need both."
            raise ValueError(msg)
        index = self._many
        found = self.model.paths.locate(crs.lonlat_to_metric(np.r_[a, b]))
        line, s_m = found.line, found.along_m
        piece = index.pieces(line, s_m, cuts_m=self._cuts_m)
        n = len(a)
        ends = []
        for half in (slice(0, n), slice(n, 2 * n)):
            j, s, k = line[half], s_m[half], piece[half]
            lo_s, hi_s, lo_node, hi_node = index.piece_ends(j, k)
            ends.append(((lo_node, s - lo_s), (hi_node, hi_s - s)))
        best = np.full(n, np.inf)
        for node_a, walk_a in ends[0]:
            for node_b, walk_b in ends[1]:
                np.minimum(best, walk_a + index.node_m[node_a, node_b] + walk_b, out=best)
        same = (line[:n] == line[n:]) & (piece[:n] == piece[n:])
        best[same] = np.minimum(best[same], np.abs(s_m[n:][same] - s_m[:n][same]))
        return best


@dataclass(frozen=True)
class _ManyIndex:
    """What :meth:`RouteNetwork.along_route_m_many` precomputes, EPSG:32651.

    Every cut (piece end) of every line flattened for lookups, and the node-to-node
    walking distances.
    """

    cut_offset: np.ndarray  # line j's cuts start at cut_offset[j] in the flat arrays
    cut_count: np.ndarray  # number of cuts of line j
    cut_s_m: np.ndarray  # flat: distance along the line of each cut
    cut_node: np.ndarray  # flat: graph node at each cut
    node_m: np.ndarray  # (nodes, nodes) shortest walk, inf when not connected

    @classmethod
    def build(cls, net: RouteNetwork) -> _ManyIndex:
        counts = np.array([len(c) for c in net._cuts_m])
        n = net.graph.number_of_nodes()
        node_m = np.full((n, n), np.inf)
        for source, lengths_to in nx.all_pairs_dijkstra_path_length(net.graph, weight="weight"):
            node_m[source, list(lengths_to)] = list(lengths_to.values())
        return cls(
            cut_offset=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int),
            cut_count=counts,
            cut_s_m=np.concatenate(net._cuts_m),
            cut_node=np.concatenate(net._cut_nodes).astype(int),
            node_m=node_m,
        )

    @staticmethod
    def pieces(line: np.ndarray, s_m: np.ndarray, *, cuts_m: tuple[np.ndarray, ...]) -> np.ndarray:
        """The piece of its line each point (line, distance along it in m) lies on."""
        piece = np.zeros(len(line), dtype=int)
        for j in np.unique(line):
            mask = line == j
            found = np.searchsorted(cuts_m[j], s_m[mask], side="right") - 1
            piece[mask] = np.clip(found, 0, len(cuts_m[j]) - 2)
        return piece

    def piece_ends(
        self, line: np.ndarray, piece: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Start and end (distance along the line, graph node) of each piece."""
        lo = self.cut_offset[line] + piece
        return self.cut_s_m[lo], self.cut_s_m[lo + 1], self.cut_node[lo], self.cut_node[lo + 1]


def _lonlat_of(place: PlaceLike) -> tuple[float, float]:
    if isinstance(place, Place | Endpoint):
        return place.lonlat
    lon, lat = (float(v) for v in place)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"({lon}, {lat}) is not a (lon, lat) pair in degrees."
        raise ValueError(msg)
    return lon, lat


class _Builder:
    """Collects nodes and cut points while the network is built (not shared)."""

    def __init__(
        self,
        paths: Polylines,
        line_ids: tuple[str, ...],
        line_banks: tuple[str, ...] | None,
        *,
        join_tol_m: float,
    ) -> None:
        self.paths = paths
        lines = paths.lines
        self.lines = lines
        self.line_ids = line_ids
        self.line_banks = line_banks
        self.tol = join_tol_m
        self.lengths = shapely.length(lines)
        self.tree = shapely.STRtree(lines)
        self.node_xy: list[tuple[float, float]] = []
        self.cuts: list[list[tuple[float, int]]] = [[] for _ in range(len(lines))]
        self.bridge_edges: list[tuple[int, int, LineString, str]] = []
        self._join_ends()

    def _new_node(self, xy: tuple[float, float]) -> int:
        self.node_xy.append(xy)
        return len(self.node_xy) - 1

    def _join_ends(self) -> None:
        n = len(self.lines)
        ends = np.concatenate([shapely.get_point(self.lines, 0), shapely.get_point(self.lines, -1)])
        # Cluster ends within the tolerance (connected components of "close" pairs).
        close = shapely.STRtree(ends).query(ends, predicate="dwithin", distance=self.tol)
        g: nx.Graph[int] = nx.Graph()
        g.add_nodes_from(range(2 * n))
        g.add_edges_from(close.T.tolist())
        node_of_end = np.empty(2 * n, dtype=int)
        for members in nx.connected_components(g):
            first = min(members)
            node = self._new_node((ends[first].x, ends[first].y))
            for k in members:
                node_of_end[k] = node
        for j in range(n):
            self.cuts[j].append((0.0, int(node_of_end[j])))
            self.cuts[j].append((float(self.lengths[j]), int(node_of_end[n + j])))
        # An end that touches another segment's interior splits it there (T-junction).
        end_idx, line_idx = self.tree.query(ends, predicate="dwithin", distance=self.tol)
        for k, j in zip(end_idx.tolist(), line_idx.tolist(), strict=True):
            if j == k % n:
                continue
            s = float(shapely.line_locate_point(self.lines[j], ends[k]))
            if self.tol < s < self.lengths[j] - self.tol:
                self.cuts[j].append((s, int(node_of_end[k])))

    def _landing(self, j: int, s: float) -> int:
        """The node at distance ``s`` on line ``j`` (reusing one within the tolerance)."""
        for s_cut, node in self.cuts[j]:
            if abs(s_cut - s) <= self.tol:
                return node
        pt = self.lines[j].interpolate(s)
        node = self._new_node((pt.x, pt.y))
        self.cuts[j].append((s, node))
        return node

    def _across(self, j: int, k: int) -> bool:
        """Whether lines j and k face each other across the creek (other bank, or other line)."""
        if self.line_banks is None:
            return j != k
        return self.line_banks[j] != self.line_banks[k]

    def add_bridge(self, geom: shapely.Geometry, bid: str, *, snap_m: float) -> bool:
        """Join a bridge to the route; False when it cannot reach two banks."""
        if geom is None or geom.is_empty:
            return False
        if isinstance(geom, LineString):
            # each end lands where the route model snaps it
            found = self.paths.locate(np.asarray(geom.coords)[[0, -1], :2])
            if (found.distance_m > snap_m).any():
                return False
            near = [int(j) for j in found.line]
            if not self._across(near[0], near[1]):
                return False  # both ends on one bank: it crosses to no route
            na, nb = (self._landing(j, float(s)) for j, s in zip(near, found.along_m, strict=True))
            coords = [tuple(found.xy[0]), *geom.coords, tuple(found.xy[1])]
        elif isinstance(geom, Point):
            within = np.asarray(self.tree.query(geom, predicate="dwithin", distance=snap_m))
            if len(within) < 2:
                return False
            dist = shapely.distance(self.lines[within], geom)
            order = within[np.argsort(dist, kind="stable")]
            first = int(order[0])
            others = [int(j) for j in order if self._across(first, int(j))]
            if not others:
                return False
            second = others[0]
            sides = []
            for j in (first, second):
                s = float(shapely.line_locate_point(self.lines[j], geom))
                sides.append((self._landing(j, s), self.lines[j].interpolate(s)))
            (na, pa), (nb, pb) = sides
            coords = [pa.coords[0], geom.coords[0], pb.coords[0]]
        else:
            return False
        if na == nb:
            return False
        line = LineString(_join_coords([np.asarray(coords)[:, :2]]))
        self.bridge_edges.append((na, nb, line, bid))
        return True

    def finish(self) -> tuple[nx.Graph, tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
        graph: nx.Graph[int] = nx.Graph()
        for node, xy in enumerate(self.node_xy):
            graph.add_node(node, xy=xy)
        cuts_m, cut_nodes = [], []
        for j, cuts in enumerate(self.cuts):
            cuts.sort()
            s_arr = np.array([s for s, _ in cuts], dtype=float)
            n_arr = np.array([node for _, node in cuts], dtype=int)
            cuts_m.append(s_arr)
            cut_nodes.append(n_arr)
            for k in range(len(cuts) - 1):
                s0, s1, u, v = s_arr[k], s_arr[k + 1], int(n_arr[k]), int(n_arr[k + 1])
                if u == v or s1 - s0 <= 0:
                    continue
                piece = LineString(_coords_between(self.lines[j], s0, s1))
                _add_lighter(graph, u, v, piece, kind="route", fid=self.line_ids[j])
        for u, v, line, bid in self.bridge_edges:
            _add_lighter(graph, u, v, line, kind="bridge", fid=bid)
        return graph, tuple(cuts_m), tuple(cut_nodes)


def _add_lighter(graph: nx.Graph, u: int, v: int, geom: LineString, *, kind: str, fid: str) -> None:
    """Add an edge, keeping the shorter one when two join the same nodes."""
    weight = float(geom.length)
    if graph.has_edge(u, v) and graph.edges[u, v]["weight"] <= weight:
        return
    graph.add_edge(u, v, weight=weight, geometry=geom, start=u, kind=kind, id=fid)
