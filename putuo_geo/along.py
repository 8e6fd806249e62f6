"""Batch along-route queries: creek chainage of many points, walking distance of many pairs.

The per-place API (:class:`putuo_geo.network.RouteNetwork`) answers one question per
call; a heat map, a catchment or an upload of thousands of addresses asks 100,000.
:class:`RouteIndex` does the slow parts once per atlas and then answers whole arrays
with shapely 2's vectorised functions:

- the route's bank lines are cut at every walkable bridge's landing into *edges*
  (walking is along an edge, or along a bridge between two edges' ends);
- every shortest walking distance between edge ends (nodes) is precomputed with
  networkx (Dijkstra from every node: the route has a few hundred nodes at most);
- a query snaps each point to its nearest edge (``STRtree.query_nearest``), locates it
  on that edge (``line_locate_point`` on arrays) and adds, for each of the four
  combinations of edge ends, ``to-end + node-to-node + from-end`` (NumPy), keeping the
  least; two points on the same edge may also walk straight along it.

Everything is measured in ``config.METRIC_CRS`` (EPSG:32651); inputs and outputs that
are coordinates are WGS-84 ``(lon, lat)``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pyproj
import shapely
import shapely.ops
from numpy.typing import ArrayLike, NDArray

from putuo_geo import config
from putuo_geo.layers import Atlas

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Route line ends closer than this (m) are one node: touching route features join.
NODE_SNAP_M = 1.0


def _lines(frame: gpd.GeoDataFrame) -> list[shapely.LineString]:
    """Every LineString of a line layer, in EPSG:32651 (MultiLineStrings exploded)."""
    metric = frame.geometry.to_crs(config.METRIC_CRS)
    parts = shapely.get_parts(metric.to_numpy())
    return [p for p in parts if isinstance(p, shapely.LineString) and p.length > 0]


def _project_lonlat(points_lonlat: ArrayLike) -> FloatArray:
    xy = np.asarray(points_lonlat, dtype=float).reshape(-1, 2)
    transformer = pyproj.Transformer.from_crs(config.WEB_CRS, config.METRIC_CRS, always_xy=True)
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


@dataclass(frozen=True)
class RouteIndex:
    """Precomputed route edges, node-to-node walking distances and creek segments.

    Build with :meth:`from_atlas`; then :meth:`along_route_m_many` and
    :meth:`chainage_m_many` answer arrays of points. Lengths in metres (EPSG:32651).
    """

    edges: NDArray[np.object_]  # LineStrings, EPSG:32651
    edge_length_m: FloatArray
    edge_start: IntArray  # node index at each edge's first vertex
    edge_end: IntArray  # node index at each edge's last vertex
    node_distance_m: FloatArray  # (nodes, nodes) shortest walk; inf when unreachable
    edge_tree: shapely.STRtree
    creek: NDArray[np.object_]  # creek LineStrings, EPSG:32651
    creek_from_m: FloatArray
    creek_to_m: FloatArray
    creek_tree: shapely.STRtree

    @classmethod
    def from_atlas(cls, atlas: Atlas) -> RouteIndex:
        """Cut the route at the walkable bridges and precompute every node-to-node walk."""
        routes = _lines(atlas.route)
        bridges = atlas.bridges
        if "walkable" in bridges.columns:
            bridges = bridges[bridges["walkable"].fillna(False).astype(bool)]
        bridge_lines = _lines(bridges) if not bridges.empty else []

        # Where each bridge lands: its two ends snapped onto the nearest route line.
        route_tree = shapely.STRtree(routes)
        cuts: list[list[float]] = [[0.0, r.length] for r in routes]
        landings: list[tuple[int, float, int, float, float]] = []
        for bridge in bridge_lines:
            ends = shapely.points(shapely.get_coordinates(bridge)[[0, -1]])
            (_, (i, j)) = route_tree.query_nearest(ends, all_matches=False)
            pos_i = float(shapely.line_locate_point(routes[i], ends[0]))
            pos_j = float(shapely.line_locate_point(routes[j], ends[1]))
            cuts[i].append(pos_i)
            cuts[j].append(pos_j)
            landings.append((int(i), pos_i, int(j), pos_j, float(bridge.length)))

        # Nodes: one per distinct (rounded) point where an edge starts or ends.
        node_of: dict[tuple[float, float], int] = {}

        def node(point: shapely.Point) -> int:
            key = (round(point.x / NODE_SNAP_M), round(point.y / NODE_SNAP_M))
            return node_of.setdefault(key, len(node_of))

        edges, starts, ends_ = [], [], []
        for route, positions in zip(routes, cuts, strict=True):
            stops = np.unique(np.clip(positions, 0.0, route.length))
            for lo, hi in itertools.pairwise(stops):
                if hi - lo <= 0:
                    continue
                piece = shapely.ops.substring(route, float(lo), float(hi))
                edges.append(piece)
                starts.append(node(route.interpolate(float(lo))))
                ends_.append(node(route.interpolate(float(hi))))

        graph = nx.Graph()
        graph.add_nodes_from(range(len(node_of)))
        for piece, u, v in zip(edges, starts, ends_, strict=True):
            _add_edge(graph, u, v, float(piece.length))
        for i, pos_i, j, pos_j, length_m in landings:
            u = node(routes[i].interpolate(pos_i))
            v = node(routes[j].interpolate(pos_j))
            _add_edge(graph, u, v, length_m)

        n = graph.number_of_nodes()
        distance = np.full((n, n), np.inf)
        for source, lengths in nx.all_pairs_dijkstra_path_length(graph, weight="length_m"):
            distance[source, list(lengths)] = list(lengths.values())

        creek = atlas.creek
        creek_lines = creek.geometry.to_crs(config.METRIC_CRS).to_numpy()
        edge_array = np.array(edges, dtype=object)
        return cls(
            edges=edge_array,
            edge_length_m=shapely.length(edge_array).astype(float),
            edge_start=np.asarray(starts, dtype=np.intp),
            edge_end=np.asarray(ends_, dtype=np.intp),
            node_distance_m=distance,
            edge_tree=shapely.STRtree(edge_array),
            creek=creek_lines,
            creek_from_m=creek["from_chainage_m"].to_numpy(dtype=float),
            creek_to_m=creek["to_chainage_m"].to_numpy(dtype=float),
            creek_tree=shapely.STRtree(creek_lines),
        )

    def snap(self, points_lonlat: ArrayLike) -> tuple[IntArray, FloatArray, FloatArray]:
        """Nearest edge of each point, the position along it (m) and the offset (m).

        Parameters
        ----------
        points_lonlat
            ``(n, 2)`` WGS-84 longitude, latitude.

        Returns
        -------
        edge, position_m, offset_m
            Edge index, metres from the edge's start, metres from the point to the edge.
        """
        points = shapely.points(_project_lonlat(points_lonlat))
        (src, edge), offset_m = self.edge_tree.query_nearest(
            points, all_matches=False, return_distance=True
        )
        order = np.argsort(src, kind="stable")  # query_nearest groups by tree order
        edge, offset_m = edge[order], offset_m[order]
        position_m = shapely.line_locate_point(self.edges[edge], points)
        return edge.astype(np.intp), np.asarray(position_m, dtype=float), offset_m

    def along_route_m_many(self, a_lonlat: ArrayLike, b_lonlat: ArrayLike) -> FloatArray:
        """Walking distance along the route between each pair ``a[k]`` -> ``b[k]`` (m).

        Like :attr:`putuo_geo.network.Measurement.along_route_m`: from the route point
        nearest ``a[k]`` to the route point nearest ``b[k]``, crossing the creek only on
        walkable bridges; the offsets to reach the route are not included.

        Parameters
        ----------
        a_lonlat, b_lonlat
            ``(n, 2)`` WGS-84 longitude, latitude (same ``n``).

        Returns
        -------
        numpy.ndarray
            ``(n,)`` metres (EPSG:32651); ``inf`` where the two banks never connect.
        """
        edge_a, pos_a, _ = self.snap(a_lonlat)
        edge_b, pos_b, _ = self.snap(b_lonlat)
        if len(edge_a) != len(edge_b):
            msg = f"a_lonlat has {len(edge_a)} points but b_lonlat has {len(edge_b)}"
            raise ValueError(msg)
        best = np.full(len(edge_a), np.inf)
        to_ends_a = (
            (self.edge_start[edge_a], pos_a),
            (self.edge_end[edge_a], self.edge_length_m[edge_a] - pos_a),
        )
        to_ends_b = (
            (self.edge_start[edge_b], pos_b),
            (self.edge_end[edge_b], self.edge_length_m[edge_b] - pos_b),
        )
        for node_a, walk_a in to_ends_a:
            for node_b, walk_b in to_ends_b:
                total = walk_a + self.node_distance_m[node_a, node_b] + walk_b
                np.minimum(best, total, out=best)
        same = edge_a == edge_b
        best[same] = np.minimum(best[same], np.abs(pos_a[same] - pos_b[same]))
        return best

    def chainage_m_many(self, points_lonlat: ArrayLike) -> FloatArray:
        """Creek chainage (m) of the creek point nearest each point.

        The point is located on its nearest creek segment and given the same fraction
        of that segment's ``from_chainage_m``-``to_chainage_m`` span (as
        :func:`putuo_geo.overview.creek_chainage_m` does for one point).

        Parameters
        ----------
        points_lonlat
            ``(n, 2)`` WGS-84 longitude, latitude.

        Returns
        -------
        numpy.ndarray
            ``(n,)`` metres; ``nan`` for every point when the atlas has no creek.
        """
        points = shapely.points(_project_lonlat(points_lonlat))
        if len(self.creek) == 0:
            return np.full(len(points), np.nan)
        src, seg = self.creek_tree.query_nearest(points, all_matches=False)
        seg = seg[np.argsort(src, kind="stable")]
        fraction = shapely.line_locate_point(self.creek[seg], points, normalized=True)
        lo, hi = self.creek_from_m[seg], self.creek_to_m[seg]
        return np.asarray(lo + fraction * (hi - lo), dtype=float)


def _add_edge(graph: nx.Graph, u: int, v: int, length_m: float) -> None:
    """Add (or shorten) the edge u-v; parallel pieces keep the shorter length."""
    if u == v:
        return
    if graph.has_edge(u, v) and graph[u][v]["length_m"] <= length_m:
        return
    graph.add_edge(u, v, length_m=length_m)
