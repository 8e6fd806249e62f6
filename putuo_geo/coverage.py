"""The planner view: how well the stations serve the route, one station's reach, what-ifs.

Everything is computed on :class:`~putuo_geo.network.RouteNetwork` (EPSG:32651,
metres), crossing the creek only on its walkable bridges, and **exactly**, not by
sampling:

1. Every station joins the route at its nearest point on a route edge (an edge of
   the network's graph, between two graph nodes) at a known offset along that edge.
2. One multi-source Dijkstra (:func:`networkx.multi_source_dijkstra_path_length`)
   on a copy of the graph in which each station's edge is split at the station
   gives the walking distance from the nearest station to every graph node.
3. Along an edge of length ``L`` whose ends are ``d_a`` and ``d_b`` from the nearest
   station, with stations at offsets ``s_i`` on the edge itself, the distance at
   offset ``x`` is ``min(d_a + x, d_b + L - x, min_i |x - s_i|)``: a lower envelope
   of slope +-1 cones, piecewise linear. Its breakpoints are the cone apexes and
   the pairwise crossings, so the band boundaries (5, 10, 15 min ...) are cut
   where they fall, to floating-point precision.

Figures are over the route's bank lines (bridges are walked, not counted in the
route length). Each bank line (the route lines sharing one ``bank`` value, merged)
carries its own along-bank position, so stretches that run over several edges are
joined and station spacing is measured along the bank. Chainages are creek
chainages (:func:`putuo_geo.measures.creek_centreline`), as everywhere else.

Only :class:`RouteNetwork`'s public API is used (``graph`` with its documented node
``xy`` and edge ``weight``/``geometry``/``kind``/``id``). Joining a point to a
route edge (rather than to a route line, which is what ``RouteNetwork.snap`` does)
is done here, vectorised, on the same route geometry: the nearest route edge lies
on the nearest route line, so both give the same point.

Nothing here keeps state between calls: a :class:`CoverageModel` is immutable after
construction and can be shared by every session of the page.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely import LineString
from shapely.ops import substring

from putuo_geo import config, i18n, measures
from putuo_geo.errors import DataValidationError
from putuo_geo.layers import Atlas
from putuo_geo.network import RouteNetwork

#: Walking speed the planner view starts with, km/h (4 km/h for older walkers).
DEFAULT_SPEED_KMH = 5.0
#: A point of the route is "covered" when a station is at most this many minutes away.
DEFAULT_MINUTES = 15.0
#: Upper limits of the coloured bands, minutes; beyond the last is the "beyond" band.
BAND_MINUTES: tuple[float, ...] = (5.0, 10.0, 15.0)
#: A candidate station further than this from the route (m) is refused, not snapped.
MAX_CANDIDATE_OFFSET_M = 150.0
#: Two stations whose route points are closer than this (m) are the same station.
DUPLICATE_M = 25.0
#: A candidate counts as inside Putuo within this distance of the boundary (m): on the
#: border reaches the boundary runs mid-creek, so a click on the water by the Putuo
#: bank is still a Putuo station.
BOUNDARY_TOLERANCE_M = 60.0
#: A site is "inside" a reach when walking to its nearest route point and then the
#: straight line to the site fits in the time (see :meth:`CoverageModel.reach`).
#: Stations CSV columns, in the order of ``geo/inputs/stations.csv``.
STATIONS_CSV_COLUMNS: tuple[str, ...] = (
    "anchor",
    "name_en",
    "name_zh",
    "bank",
    "method",
    "ref",
    "lon",
    "lat",
    "status",
    "accuracy_m",
    "offers",
    "source",
)

_EPS = 1e-9


def band_labels(band_minutes: Sequence[float] = BAND_MINUTES) -> tuple[str, ...]:
    """Band names, nearest first: ``le_5_min``, ``le_10_min``, ``le_15_min``, ``beyond_15_min``."""
    labels = [f"le_{m:g}_min" for m in band_minutes]
    return (*labels, f"beyond_{band_minutes[-1]:g}_min")


def metres_for(minutes: float, *, speed_kmh: float) -> float:
    """How far (m) someone walks in ``minutes`` at ``speed_kmh``."""
    if not (speed_kmh > 0 and math.isfinite(speed_kmh)):
        msg = f"The walking speed must be a positive number of km/h, not {speed_kmh!r}."
        raise ValueError(msg)
    if not (minutes >= 0 and math.isfinite(minutes)):
        msg = f"The time must be a non-negative number of minutes, not {minutes!r}."
        raise ValueError(msg)
    return minutes * speed_kmh * 1000.0 / 60.0


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Site:
    """A station (or candidate station) joined to the route, EPSG:32651 metres.

    ``edge`` indexes :attr:`CoverageModel.edges`; ``along_edge_m`` is measured from
    that edge's ``a`` node; ``bank_m`` is the position along its bank line ``part``.
    """

    id: str
    name_en: str
    name_zh: str
    status: str  # confirmed / indicative / candidate
    accuracy_m: float
    lonlat: tuple[float, float]  # as given, WGS-84
    on_route_lonlat: tuple[float, float]  # its route point, WGS-84
    on_route_xy: tuple[float, float]  # its route point, EPSG:32651
    offset_m: float  # given point -> route point
    bank: str
    chainage_m: float | None
    edge: int
    along_edge_m: float
    part: int
    bank_m: float
    row: str = ""  # where it came from (file and row), for messages

    @property
    def is_candidate(self) -> bool:
        return self.status == "candidate"


@dataclass(frozen=True)
class _Part:
    """One merged bank line (EPSG:32651), oriented so that creek chainage grows along it."""

    bank: str
    line: LineString
    edges: np.ndarray  # route edges on it, sorted by lo_m
    lo_m: np.ndarray  # along-bank start of each edge
    hi_m: np.ndarray  # along-bank end of each edge

    @property
    def length_m(self) -> float:
        return float(self.line.length)


class CandidateError(DataValidationError):
    """Candidate stations that cannot be used; ``issues`` are catalogue keys + fields.

    ``problems`` (and the message) are the English texts; the page shows
    ``i18n.tr(key, lang, **fields)`` for each of ``issues``.
    """

    def __init__(self, issues: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        self.issues = [(key, dict(fields)) for key, fields in issues]
        n = len(self.issues)
        super().__init__(
            [i18n.tr(key, "en", **fields) for key, fields in self.issues],
            summary=f"{n} problem{'s' if n != 1 else ''} with the candidate stations",
        )

    def messages(self, lang: i18n.Lang) -> list[str]:
        """Every problem in ``lang``."""
        return [i18n.tr(key, lang, **fields) for key, fields in self.issues]


# ---------------------------------------------------------------------------- model


class CoverageModel:
    """What the planner computations share, built once per network (immutable).

    Build with :meth:`from_atlas` or :meth:`from_frames`.

    Attributes
    ----------
    network
        The :class:`~putuo_geo.network.RouteNetwork` walked on.
    edges
        One row per graph edge: ``a``, ``b`` (nodes), ``kind``, ``id`` (route line or
        bridge id), ``bank`` (route edges), ``length_m``, ``part`` (bank line index,
        -1 for bridges), ``a_bank_m``/``b_bank_m`` (along-bank position of each end).
    parts
        The merged bank lines.
    """

    def __init__(
        self,
        network: RouteNetwork,
        *,
        bank_of: Mapping[str, str],
        creek: gpd.GeoDataFrame | None,
        boundary: gpd.GeoDataFrame | None,
    ) -> None:
        self.network = network
        rows, geoms = [], []
        xy: dict[Any, tuple[float, float]] = dict(network.graph.nodes(data="xy"))
        for u, v, d in network.graph.edges(data=True):
            # orient by geometry: the end nearer the first vertex is ``a`` (uses only the
            # documented node ``xy`` and edge ``geometry``, not how the network stores it)
            x0, y0 = shapely.get_coordinates(d["geometry"])[0]
            near_u = math.hypot(x0 - xy[u][0], y0 - xy[u][1])
            near_v = math.hypot(x0 - xy[v][0], y0 - xy[v][1])
            a, b = (u, v) if near_u <= near_v else (v, u)
            rows.append(
                {
                    "a": a,
                    "b": b,
                    "kind": d["kind"],
                    "id": d["id"],
                    "bank": bank_of.get(d["id"], d["id"]) if d["kind"] == "route" else "",
                    "length_m": float(d["weight"]),
                }
            )
            geoms.append(d["geometry"])  # EPSG:32651, drawn from node a
        self.edges = pd.DataFrame(rows, columns=["a", "b", "kind", "id", "bank", "length_m"])
        self._geoms = np.asarray(geoms, dtype=object)
        self._route = np.flatnonzero(self.edges["kind"].to_numpy() == "route")
        self._tree = shapely.STRtree(self._geoms[self._route])
        if creek is not None and len(creek):
            self._creek: tuple[LineString, float] | None = measures.creek_centreline(creek)
        else:
            self._creek = None
        if boundary is not None and len(boundary):
            area = shapely.union_all(measures.to_metric(boundary, name="boundary").values)
            self._boundary = shapely.buffer(area, BOUNDARY_TOLERANCE_M)
            shapely.prepare(self._boundary)
        else:
            self._boundary = None
        self.parts = self._build_parts()
        part = np.full(len(self.edges), -1)
        a_m = np.full(len(self.edges), np.nan)
        b_m = np.full(len(self.edges), np.nan)
        for p, bank_line in enumerate(self.parts):
            for k in bank_line.edges:
                geom = self._geoms[k]
                part[k] = p
                a_m[k] = bank_line.line.project(shapely.get_point(geom, 0))
                b_m[k] = bank_line.line.project(shapely.get_point(geom, -1))
        self.edges["part"] = part
        self.edges["a_bank_m"] = a_m
        self.edges["b_bank_m"] = b_m
        # numpy copies of the columns the inner loops read (pandas is slow per item)
        self._a = self.edges["a"].to_numpy(dtype=int)
        self._b = self.edges["b"].to_numpy(dtype=int)
        self._length_m = self.edges["length_m"].to_numpy(dtype=float)
        self._part = part
        self._bank = self.edges["bank"].to_numpy(dtype=str)
        self._a_bank_m = a_m
        self._b_bank_m = b_m
        self.route_length_m = float(self.edges["length_m"].to_numpy()[self._route].sum())
        # A plain weighted copy of the graph; each computation copies and splits it.
        base: nx.Graph[Any] = nx.Graph()
        base.add_weighted_edges_from(
            zip(self.edges["a"], self.edges["b"], self.edges["length_m"], strict=True)
        )
        self._base = nx.freeze(base)

    # -------------------------------------------------------------- construction

    @classmethod
    def from_atlas(cls, atlas: Atlas, *, network: RouteNetwork | None = None) -> CoverageModel:
        """The model of an atlas (pass its ``network`` when it is already built)."""
        return cls.from_frames(
            network or RouteNetwork.from_atlas(atlas),
            atlas.route,
            creek=atlas.creek,
            boundary=atlas.boundary,
        )

    @classmethod
    def from_frames(
        cls,
        network: RouteNetwork,
        route: gpd.GeoDataFrame,
        *,
        creek: gpd.GeoDataFrame | None = None,
        boundary: gpd.GeoDataFrame | None = None,
    ) -> CoverageModel:
        """The model of ``network`` built from ``route`` (for each line's ``bank``).

        ``creek`` gives chainages (without it they are ``None``); ``boundary`` lets
        :meth:`candidates` refuse points outside the district.
        """
        ids = route["id"].astype(str) if "id" in route else pd.Series([], dtype=str)
        banks = route["bank"].astype(str) if "bank" in route else ids
        return cls(
            network,
            bank_of=dict(zip(ids, banks, strict=True)),
            creek=creek,
            boundary=boundary,
        )

    def _build_parts(self) -> tuple[_Part, ...]:
        parts: list[_Part] = []
        route = self.edges.iloc[self._route]
        for bank in sorted(route["bank"].unique()):
            ks = route.index[route["bank"] == bank].to_numpy()
            merged = shapely.line_merge(shapely.MultiLineString(list(self._geoms[ks])))
            for line in shapely.get_parts(merged):
                on = ks[shapely.dwithin(self._geoms[ks], line, 1e-6)]
                # keep the edges that lie along this line (both ends on it)
                on = np.array(
                    [
                        k
                        for k in on
                        if line.distance(shapely.get_point(self._geoms[k], 0)) < 1e-6
                        and line.distance(shapely.get_point(self._geoms[k], -1)) < 1e-6
                    ],
                    dtype=int,
                )
                if self._creek is not None:
                    c0, c1 = self._chainage_xy(np.asarray(shapely.get_coordinates(line))[[0, -1]])
                    if c1 < c0:
                        line = line.reverse()
                lo = np.array([line.project(shapely.get_point(self._geoms[k], 0)) for k in on])
                hi = np.array([line.project(shapely.get_point(self._geoms[k], -1)) for k in on])
                lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
                order = np.argsort(lo, kind="stable")
                parts.append(_Part(str(bank), line, on[order], lo[order], hi[order]))
        return tuple(parts)

    # -------------------------------------------------------------- geometry helpers

    def _chainage_xy(self, xy: np.ndarray) -> np.ndarray:
        """Creek chainage (m) of metric points; NaN without a creek."""
        if self._creek is None:
            return np.full(len(xy), np.nan)
        line, start_m = self._creek
        return start_m + shapely.line_locate_point(line, shapely.points(xy))

    def _bank_xy(self, part: int, bank_m: np.ndarray) -> np.ndarray:
        line = self.parts[part].line
        return np.asarray(shapely.get_coordinates(shapely.line_interpolate_point(line, bank_m)))

    def _bank_position(self, edge: np.ndarray, along_m: np.ndarray) -> np.ndarray:
        a_m, b_m = self._a_bank_m[edge], self._b_bank_m[edge]
        step = np.sign(b_m - a_m)
        return a_m + step * along_m

    def _at_bank(self, part: int, bank_m: float) -> tuple[int, float]:
        """The route edge and along-edge offset at ``bank_m`` on bank line ``part``."""
        p = self.parts[part]
        bank_m = float(np.clip(bank_m, 0.0, p.length_m))
        i = int(np.clip(np.searchsorted(p.lo_m, bank_m, side="right") - 1, 0, len(p.edges) - 1))
        k = int(p.edges[i])
        along = abs(bank_m - float(self._a_bank_m[k]))
        return k, float(np.clip(along, 0.0, self._length_m[k]))

    def _lonlat(self, xy: np.ndarray) -> np.ndarray:
        pts = gpd.GeoSeries(shapely.points(xy), crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
        return np.asarray(shapely.get_coordinates(pts.values))

    # -------------------------------------------------------------- joining points

    def join(
        self,
        lonlat: np.ndarray,
        *,
        ids: Sequence[str],
        names_en: Sequence[str],
        names_zh: Sequence[str],
        status: Sequence[str],
        accuracy_m: Sequence[float],
        rows: Sequence[str] | None = None,
    ) -> tuple[Site, ...]:
        """Join WGS-84 ``(n, 2)`` lon/lat points to their nearest route point."""
        lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
        if not len(lonlat):
            return ()
        xy = measures.lonlat_to_metric(lonlat[:, 0], lonlat[:, 1])
        pts = shapely.points(xy)
        (src, hit), dist = self._tree.query_nearest(pts, return_distance=True, all_matches=False)
        edge = np.empty(len(pts), dtype=int)
        offset = np.empty(len(pts))
        edge[src] = self._route[hit]
        offset[src] = dist
        along = shapely.line_locate_point(self._geoms[edge], pts)
        on_xy = np.asarray(
            shapely.get_coordinates(shapely.line_interpolate_point(self._geoms[edge], along))
        )
        on_lonlat = self._lonlat(on_xy)
        chain = self._chainage_xy(on_xy)
        bank_m = self._bank_position(edge, along)
        out = []
        for i in range(len(pts)):
            k = int(edge[i])
            out.append(
                Site(
                    id=str(ids[i]),
                    name_en=str(names_en[i]),
                    name_zh=str(names_zh[i]),
                    status=str(status[i]),
                    accuracy_m=float(accuracy_m[i]),
                    lonlat=(float(lonlat[i, 0]), float(lonlat[i, 1])),
                    on_route_lonlat=(float(on_lonlat[i, 0]), float(on_lonlat[i, 1])),
                    on_route_xy=(float(on_xy[i, 0]), float(on_xy[i, 1])),
                    offset_m=float(offset[i]),
                    bank=str(self._bank[k]),
                    chainage_m=None if math.isnan(chain[i]) else float(chain[i]),
                    edge=k,
                    along_edge_m=float(along[i]),
                    part=int(self._part[k]),
                    bank_m=float(bank_m[i]),
                    row="" if rows is None else str(rows[i]),
                )
            )
        return tuple(out)

    def stations(self, stations: gpd.GeoDataFrame) -> tuple[Site, ...]:
        """The atlas's stations joined to the route (``status``/``accuracy_m`` kept)."""
        pts = stations.geometry.to_crs(config.WEB_CRS)
        lonlat = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
        n = len(stations)

        def col(name: str, default: Any) -> list[Any]:
            return list(stations[name]) if name in stations else [default] * n

        return self.join(
            lonlat,
            ids=[str(v) for v in col("id", "")],
            names_en=[i18n.plain(v) for v in col("name_en", "")],
            names_zh=[i18n.plain(v) for v in col("name_zh", "")],
            status=[i18n.plain(v) or "indicative" for v in col("status", "indicative")],
            accuracy_m=[float(v) if v is not None else 0.0 for v in col("accuracy_m", 0.0)],
        )

    def candidates(
        self,
        lonlat: Sequence[tuple[float, float]] | np.ndarray,
        *,
        existing: Sequence[Site] = (),
        names_en: Sequence[str] | None = None,
        names_zh: Sequence[str] | None = None,
        rows: Sequence[str] | None = None,
        max_offset_m: float = MAX_CANDIDATE_OFFSET_M,
        duplicate_m: float = DUPLICATE_M,
    ) -> tuple[Site, ...]:
        """Candidate stations from WGS-84 ``(lon, lat)`` points, joined to the route.

        Each joins the route at its nearest route point; its ``offset_m`` (the given
        point -> that route point) is kept and reported. Every row is checked and
        every problem listed in one :class:`CandidateError`:

        - outside Putuo (more than :data:`BOUNDARY_TOLERANCE_M` outside the boundary);
        - further than ``max_offset_m`` from the route;
        - its route point within ``duplicate_m`` of an existing station's or an
          earlier candidate's (a duplicate).

        ``rows`` names each point in messages (default ``"candidate 1"``, ...).
        Ids are ``candidate-1`` ... in the given order.
        """
        arr = np.asarray(lonlat, dtype=float).reshape(-1, 2)
        n = len(arr)
        rows = list(rows) if rows is not None else [f"candidate {i + 1}" for i in range(n)]
        issues: list[tuple[str, dict[str, Any]]] = []
        finite = np.isfinite(arr).all(axis=1)
        finite &= (np.abs(arr[:, 0]) <= 180) & (np.abs(arr[:, 1]) <= 90)
        for bad in np.flatnonzero(~finite).tolist():
            issues.append(("planner.problem.not_lonlat", {"row": rows[bad]}))
        if issues:
            raise CandidateError(issues)
        en = list(names_en) if names_en is not None else [""] * n
        zh = list(names_zh) if names_zh is not None else [""] * n
        # a name given in one language stands for both; none given: "Candidate station n"
        en, zh = (
            [
                e or z or f"Candidate station {i + 1}"
                for i, (e, z) in enumerate(zip(en, zh, strict=True))
            ],
            [z or e or f"候选驿站 {i + 1}" for i, (e, z) in enumerate(zip(en, zh, strict=True))],
        )
        sites = self.join(
            arr,
            ids=[f"candidate-{i + 1}" for i in range(n)],
            names_en=en,
            names_zh=zh,
            status=["candidate"] * n,
            accuracy_m=[0.0] * n,
            rows=rows,
        )
        if self._boundary is not None and n:
            xy = measures.lonlat_to_metric(arr[:, 0], arr[:, 1])
            inside = shapely.contains_xy(self._boundary, xy[:, 0], xy[:, 1])
        else:
            inside = np.ones(n, dtype=bool)
        kept: list[Site] = []
        for i, site in enumerate(sites):
            lon, lat = site.lonlat
            where = {"row": rows[i], "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}
            if not inside[i]:
                issues.append(("planner.problem.outside", where))
                continue
            if site.offset_m > max_offset_m:
                issues.append(
                    (
                        "planner.problem.off_route",
                        {**where, "offset": f"{site.offset_m:,.0f}", "max": f"{max_offset_m:g}"},
                    )
                )
                continue
            twin = self._twin(site, [*existing, *kept], duplicate_m=duplicate_m)
            if twin is not None:
                issues.append(
                    (
                        "planner.problem.duplicate",
                        {**where, "other": twin.row or twin.id, "within": f"{duplicate_m:g}"},
                    )
                )
                continue
            kept.append(site)
        if issues:
            raise CandidateError(issues)
        return tuple(sites)

    def _twin(self, site: Site, others: Iterable[Site], *, duplicate_m: float) -> Site | None:
        x, y = site.on_route_xy
        for other in others:
            if math.hypot(x - other.on_route_xy[0], y - other.on_route_xy[1]) < duplicate_m:
                return other
        return None

    def candidates_from_frame(
        self, frame: gpd.GeoDataFrame, *, existing: Sequence[Site] = (), file_name: str = ""
    ) -> tuple[Site, ...]:
        """Candidates from the points of a layer (e.g. :class:`~putuo_geo.uploads.UserLayer`)."""
        pts = frame.geometry.to_crs(config.WEB_CRS)
        lonlat = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
        names = [i18n.plain(v) for v in frame.get("name_en", pd.Series([""] * len(frame)))]
        names_zh = [i18n.plain(v) for v in frame.get("name_zh", pd.Series([""] * len(frame)))]
        prefix = f"{file_name}: " if file_name else ""
        rows = [f"{prefix}row {i + 1}" + (f" ({n})" if n else "") for i, n in enumerate(names)]
        return self.candidates(
            lonlat, existing=existing, names_en=names, names_zh=names_zh, rows=rows
        )

    # -------------------------------------------------------------- distances

    def _field(self, sources: Sequence[tuple[int, float]]) -> _Field:
        """Walking distance from the nearest of ``sources`` ((edge, along_m) pairs)."""
        graph: nx.Graph[Any] = nx.Graph(self._base)
        on_edge: dict[int, list[float]] = {}
        for k, along in sources:
            on_edge.setdefault(int(k), []).append(float(along))
        starts: list[Any] = []
        for k, offsets in on_edge.items():
            a, b, length = int(self._a[k]), int(self._b[k]), float(self._length_m[k])
            offsets.sort()
            # Split the edge at its sources: a - s1 - s2 ... - b (only when it is the
            # lightest edge between a and b, which is the one in the graph).
            if graph.has_edge(a, b) and graph.edges[a, b]["weight"] >= length - 1e-6:
                graph.remove_edge(a, b)
            chain: list[Any] = [a, *[("source", k, j) for j in range(len(offsets))], b]
            at = [0.0, *offsets, length]
            for j in range(len(chain) - 1):
                graph.add_edge(chain[j], chain[j + 1], weight=max(at[j + 1] - at[j], 0.0))
            starts.extend(chain[1:-1])
        dist = (
            nx.multi_source_dijkstra_path_length(graph, set(starts), weight="weight")
            if starts
            else {}
        )
        d_a = np.array([dist.get(a, np.inf) for a in self._a.tolist()])
        d_b = np.array([dist.get(b, np.inf) for b in self._b.tolist()])
        return _Field(
            d_a=d_a,
            d_b=d_b,
            length_m=self._length_m,
            on_edge={k: np.asarray(v) for k, v in on_edge.items()},
        )

    def walk_m(self, sites: Sequence[Site], lonlat: np.ndarray) -> np.ndarray:
        """Walking distance (m) from each WGS-84 point's route point to its nearest site."""
        probe = self.join(
            lonlat,
            ids=[""] * len(lonlat),
            names_en=[""] * len(lonlat),
            names_zh=[""] * len(lonlat),
            status=[""] * len(lonlat),
            accuracy_m=[0.0] * len(lonlat),
        )
        fld = self._field([(s.edge, s.along_edge_m) for s in sites])
        return np.array([fld.at(p.edge, p.along_edge_m) for p in probe])

    def _pieces(self, fld: _Field, cuts_m: Sequence[float], *, edges: np.ndarray) -> _Pieces:
        """Each edge cut into pieces on which the distance is linear and within one band."""
        cuts = np.asarray(sorted(cuts_m), dtype=float)
        chunks: list[tuple[int, np.ndarray, np.ndarray]] = []
        for k in edges.tolist():
            xs = fld.breakpoints(k)
            ws = fld.at_many(k, xs)
            # where the distance crosses a cut value inside a linear stretch, cut there
            w0, w1, x0, x1 = ws[:-1], ws[1:], xs[:-1], xs[1:]
            with np.errstate(invalid="ignore"):
                lo, hi = np.minimum(w0, w1), np.maximum(w0, w1)
                cross = (cuts[None, :] > lo[:, None] + _EPS) & (cuts[None, :] < hi[:, None] - _EPS)
            if cross.any():
                i, c = np.nonzero(cross)
                extra = x0[i] + (cuts[c] - w0[i]) / (w1[i] - w0[i]) * (x1[i] - x0[i])
                xs = np.unique(np.concatenate([xs, extra]))
                ws = fld.at_many(k, xs)
            chunks.append((k, xs, ws))
        edge, a0, a1, v0, v1 = [], [], [], [], []
        for k, xs, ws in chunks:
            keep = np.diff(xs) > _EPS
            edge.append(np.full(int(keep.sum()), k))
            a0.append(xs[:-1][keep])
            a1.append(xs[1:][keep])
            v0.append(ws[:-1][keep])
            v1.append(ws[1:][keep])
        if not chunks:
            empty = np.empty(0)
            return _Pieces(empty.astype(int), empty, empty, empty, empty)
        return _Pieces(
            np.concatenate(edge).astype(int),
            np.concatenate(a0),
            np.concatenate(a1),
            np.concatenate(v0),
            np.concatenate(v1),
        )

    # -------------------------------------------------------------- coverage

    def coverage(
        self,
        sites: Sequence[Site],
        *,
        speed_kmh: float = DEFAULT_SPEED_KMH,
        minutes: float = DEFAULT_MINUTES,
        band_minutes: Sequence[float] = BAND_MINUTES,
    ) -> Coverage:
        """Coverage of the route by ``sites`` (stations and candidates together).

        Parameters
        ----------
        sites
            From :meth:`stations` and :meth:`candidates`.
        speed_kmh
            Walking speed (5 km/h; 4 km/h for older walkers).
        minutes
            A route point is covered when the nearest site is at most this far in
            time; the longest gap is the longest stretch beyond it.
        band_minutes
            Upper limits of the bands, increasing.

        Returns
        -------
        Coverage
            The pieces (with their band) and :attr:`Coverage.figures`.
        """
        limit_m = metres_for(minutes, speed_kmh=speed_kmh)
        band_m = [metres_for(m, speed_kmh=speed_kmh) for m in band_minutes]
        fld = self._field([(s.edge, s.along_edge_m) for s in sites])
        pieces = self._pieces(fld, [*band_m, limit_m], edges=self._route)
        return Coverage(
            model=self,
            sites=tuple(sites),
            speed_kmh=float(speed_kmh),
            minutes=float(minutes),
            band_minutes=tuple(float(m) for m in band_minutes),
            limit_m=limit_m,
            pieces=pieces,
            band=np.searchsorted(np.asarray(band_m), pieces.mid_m, "left"),
        )

    def _stretches(self, pieces: _Pieces, *, beyond_m: float) -> tuple[_Stretch, ...]:
        """Runs of route beyond ``beyond_m`` from a station, joined along each bank line."""
        far = pieces.take(pieces.mid_m > beyond_m)
        s0 = self._bank_position(far.edge, far.x0)
        s1 = self._bank_position(far.edge, far.x1)
        part_of = self._part[far.edge]
        rows: list[_Stretch] = []
        for p in np.unique(part_of).tolist():
            on = part_of == p
            lo, hi = np.minimum(s0, s1)[on], np.maximum(s0, s1)[on]
            order = np.argsort(lo)
            cur_lo, cur_hi = lo[order[0]], hi[order[0]]
            for i in order[1:]:
                if lo[i] <= cur_hi + 1e-6:
                    cur_hi = max(cur_hi, hi[i])
                else:
                    rows.append(_Stretch(p, float(cur_lo), float(cur_hi)))
                    cur_lo, cur_hi = lo[i], hi[i]
            rows.append(_Stretch(p, float(cur_lo), float(cur_hi)))
        return tuple(rows)

    def _spacing(self, sites: Sequence[Site]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {p.bank: [] for p in self.parts}
        for p, part in enumerate(self.parts):
            on = sorted((s for s in sites if s.part == p), key=lambda s: s.bank_m)
            for s, t in itertools.pairwise(on):
                out[part.bank].append(
                    {
                        "from_id": s.id,
                        "to_id": t.id,
                        "from_chainage_m": _round(s.chainage_m),
                        "to_chainage_m": _round(t.chainage_m),
                        "along_route_m": round(t.bank_m - s.bank_m, 1),
                    }
                )
        return out

    # -------------------------------------------------------------- reach

    def reach(
        self,
        site: Site,
        *,
        minutes: float = DEFAULT_MINUTES,
        speed_kmh: float = DEFAULT_SPEED_KMH,
        sites: gpd.GeoDataFrame | None = None,
    ) -> Reach:
        """The network reachable from ``site`` within ``minutes``, both banks, over bridges.

        Sites inside: a site is reached when the walk along the network to its
        nearest route point plus the straight line from there to the site (its
        offset) fits in the time. The last leg is straight, so this is an optimistic
        (short) estimate for sites far from the route.
        """
        limit_m = metres_for(minutes, speed_kmh=speed_kmh)
        fld = self._field([(site.edge, site.along_edge_m)])
        pieces = self._pieces(fld, [limit_m], edges=np.arange(len(self.edges)))
        pieces = pieces.take(pieces.mid_m <= limit_m)
        kinds = self.edges["kind"].to_numpy()[pieces.edge]
        geoms = [
            substring(self._geoms[k], x0, x1)
            for k, x0, x1 in zip(pieces.edge, pieces.x0, pieces.x1, strict=True)
        ]
        frame = gpd.GeoDataFrame(
            {
                "kind": kinds,
                "id": self.edges["id"].to_numpy()[pieces.edge],
                "length_m": pieces.length_m,
                "walk_from_m": np.minimum(pieces.w0, pieces.w1),
                "walk_to_m": np.maximum(pieces.w0, pieces.w1),
            },
            geometry=gpd.GeoSeries(geoms, crs=config.METRIC_CRS),
            crs=config.METRIC_CRS,
        ).to_crs(config.WEB_CRS)
        inside = _empty_sites()
        if sites is not None and len(sites):
            pts = sites.geometry.to_crs(config.WEB_CRS)
            lonlat = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
            probe = self.join(
                lonlat,
                ids=list(sites["id"].astype(str)),
                names_en=[i18n.plain(v) for v in sites.get("name_en", [""] * len(sites))],
                names_zh=[i18n.plain(v) for v in sites.get("name_zh", [""] * len(sites))],
                status=[""] * len(sites),
                accuracy_m=[0.0] * len(sites),
            )
            along = np.array([fld.at(p.edge, p.along_edge_m) for p in probe])
            offset = np.array([p.offset_m for p in probe])
            total = along + offset
            ok = total <= limit_m + 1e-6
            inside = pd.DataFrame(
                {
                    "id": [p.id for p in probe],
                    "name_en": [p.name_en for p in probe],
                    "name_zh": [p.name_zh for p in probe],
                    "along_route_m": along,
                    "offset_m": offset,
                    "walk_m": total,
                    "minutes": total / (speed_kmh * 1000 / 60),
                }
            )[ok].sort_values("walk_m", kind="stable")
            inside = inside.reset_index(drop=True)
        route_mask = kinds == "route"
        return Reach(
            site=site,
            minutes=float(minutes),
            speed_kmh=float(speed_kmh),
            limit_m=limit_m,
            frame=frame,
            length_m=float(pieces.length_m[route_mask].sum()),
            bridge_length_m=float(pieces.length_m[~route_mask].sum()),
            sites=inside,
        )

    # -------------------------------------------------------------- what-if

    def compare(
        self,
        stations: Sequence[Site],
        candidates: Sequence[Site],
        *,
        speed_kmh: float = DEFAULT_SPEED_KMH,
        minutes: float = DEFAULT_MINUTES,
    ) -> WhatIf:
        """Figures before and after adding ``candidates``, and what each one changes.

        For each candidate: the station spacing it splits (the two stations either
        side on its bank line, before and after) and every stretch beyond
        ``minutes`` (before) that lies within its own reach (``minutes``, across
        bridges too): that stretch's length before and what is left of it after.
        """
        before = self.coverage(stations, speed_kmh=speed_kmh, minutes=minutes)
        after = self.coverage([*stations, *candidates], speed_kmh=speed_kmh, minutes=minutes)
        gaps_before = before.stretches
        gaps_after = after.stretches
        per: list[dict[str, Any]] = []
        for cand in candidates:
            own = self._field([(cand.edge, cand.along_edge_m)])
            mine = self._stretches_within(own, before.limit_m)
            closes = []
            for g in gaps_before:
                if _overlap(mine, g.part, g.from_bank_m, g.to_bank_m) <= 1e-6:
                    continue
                left = _overlap(gaps_after, g.part, g.from_bank_m, g.to_bank_m)
                closes.append(
                    {
                        **self._stretch_json(g.part, g.from_bank_m, g.to_bank_m),
                        "length_after_m": round(left, 1),
                    }
                )
            per.append(
                {
                    "id": cand.id,
                    "name_en": cand.name_en,
                    "name_zh": cand.name_zh,
                    "row": cand.row,
                    "bank": cand.bank,
                    "chainage_m": _round(cand.chainage_m),
                    "offset_m": round(cand.offset_m, 1),
                    "on_route_lonlat": [round(v, 6) for v in cand.on_route_lonlat],
                    "splits": self._split(cand, stations),
                    "closes": closes,
                }
            )
        return WhatIf(before=before, after=after, candidates=tuple(per))

    def _stretches_within(self, fld: _Field, limit_m: float) -> tuple[_Stretch, ...]:
        """Bank intervals within ``limit_m`` of a field's sources."""
        pieces = self._pieces(fld, [limit_m], edges=self._route)
        near = pieces.take(pieces.mid_m <= limit_m)
        s0 = self._bank_position(near.edge, near.x0)
        s1 = self._bank_position(near.edge, near.x1)
        return tuple(
            _Stretch(int(p), float(lo), float(hi))
            for p, lo, hi in zip(
                self._part[near.edge], np.minimum(s0, s1), np.maximum(s0, s1), strict=True
            )
        )

    def _split(self, cand: Site, stations: Sequence[Site]) -> dict[str, Any] | None:
        on = sorted((s for s in stations if s.part == cand.part), key=lambda s: s.bank_m)
        before = [s for s in on if s.bank_m <= cand.bank_m]
        after = [s for s in on if s.bank_m > cand.bank_m]
        if not before or not after:
            return None
        s, t = before[-1], after[0]
        return {
            "from_id": s.id,
            "to_id": t.id,
            "spacing_before_m": round(t.bank_m - s.bank_m, 1),
            "spacing_after_m": [round(cand.bank_m - s.bank_m, 1), round(t.bank_m - cand.bank_m, 1)],
        }

    def _stretch_json(self, part: int, from_m: float, to_m: float) -> dict[str, Any]:
        xy = self._bank_xy(part, np.array([from_m, to_m, (from_m + to_m) / 2]))
        chain = self._chainage_xy(xy)
        lonlat = self._lonlat(xy)
        return {
            "bank": self.parts[part].bank,
            "from_chainage_m": _round(chain[0]),
            "to_chainage_m": _round(chain[1]),
            "length_m": round(to_m - from_m, 1),
            "from_lonlat": [round(float(v), 6) for v in lonlat[0]],
            "to_lonlat": [round(float(v), 6) for v in lonlat[1]],
            "mid_lonlat": [round(float(v), 6) for v in lonlat[2]],
        }

    # -------------------------------------------------------------- honesty

    def sensitivity(
        self,
        sites: Sequence[Site],
        *,
        speed_kmh: float = DEFAULT_SPEED_KMH,
        minutes: float = DEFAULT_MINUTES,
    ) -> dict[str, Any]:
        """How the figures move when indicative stations move within their ``accuracy_m``.

        Method: each indicative station is moved along its bank line by its stated
        ``accuracy_m`` (clipped at the line's ends), first on its own (upstream, then
        downstream), then together with its next indicative neighbour on the bank
        (apart, then together): the moves that make one spacing, and so one gap,
        largest and smallest. Coverage is recomputed exactly for every scenario;
        each figure is reported as today's value and its ``min``/``max`` over the
        scenarios. It is a sensitivity range, not a strict bound (all stations
        moving at once could do more). Confirmed stations and candidates stay put.

        Returns
        -------
        dict
            ``scenarios`` (count), ``moved`` (how many stations may move) and, per
            figure, ``{"value", "min", "max"}``: ``longest_gap_m``,
            ``covered_share``, ``max_walk_m``, ``largest_spacing_m`` (per bank) and
            ``bands`` (per band).
        """
        base = list(sites)
        movable = [i for i, s in enumerate(base) if s.status == "indicative" and s.accuracy_m > 0]
        scenarios: list[dict[int, float]] = []
        for i in movable:
            scenarios += [{i: -base[i].accuracy_m}, {i: base[i].accuracy_m}]
        for p in range(len(self.parts)):
            on = sorted((i for i in movable if base[i].part == p), key=lambda i: base[i].bank_m)
            for i, j in itertools.pairwise(on):
                ai, aj = base[i].accuracy_m, base[j].accuracy_m
                scenarios += [{i: -ai, j: aj}, {i: ai, j: -aj}]
        today = self.coverage(base, speed_kmh=speed_kmh, minutes=minutes).summary()
        values = [today]
        for moves in scenarios:
            moved = list(base)
            for i, shift in moves.items():
                s = base[i]
                k, along = self._at_bank(s.part, s.bank_m + shift)
                bank_m = float(np.clip(s.bank_m + shift, 0.0, self.parts[s.part].length_m))
                # only what coverage reads is moved (its lon/lat fields stay as given)
                moved[i] = replace(s, edge=k, along_edge_m=along, bank_m=bank_m)
            values.append(self.coverage(moved, speed_kmh=speed_kmh, minutes=minutes).summary())
        out: dict[str, Any] = {"scenarios": len(scenarios), "moved": len(movable)}
        for key in ("longest_gap_m", "covered_share", "max_walk_m"):
            out[key] = _range([v[key] for v in values])
        out["largest_spacing_m"] = {
            bank: _range([v["largest_spacing_m"].get(bank, 0.0) for v in values])
            for bank in today["largest_spacing_m"]
        }
        out["bands"] = {band: _range([v["bands"][band] for v in values]) for band in today["bands"]}
        return out

    # -------------------------------------------------------------- export

    def stations_csv(self, candidates: Sequence[Site], *, date: str = "") -> str:
        """Candidates as CSV rows in the format of ``geo/inputs/stations.csv``.

        Each row: ``method`` ``point`` at the candidate's route point (WGS-84, 6
        decimals), ``status`` indicative (a proposal), ``accuracy_m`` the distance
        from the marked point to that route point (at least 10 m), and a ``source``
        saying how it was made. ``make data`` reads only ``bridge_end`` rows today;
        a ``point`` row is a proposal to be reviewed and wired in.
        """
        from putuo_geo.exports import neutralise_formula  # folium-heavy: only when exporting

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(STATIONS_CSV_COLUMNS)
        for c in candidates:
            chain = "" if c.chainage_m is None else f", creek chainage {c.chainage_m:,.0f} m"
            when = f" on {date}" if date else ""
            source = (
                f"Proposed in the planner view{when}: marked at {c.lonlat[1]:.6f}, "
                f"{c.lonlat[0]:.6f} (WGS-84 lat, lon), placed at the nearest route point "
                f"{c.offset_m:,.0f} m away on the {c.bank} bank{chain}"
            )
            writer.writerow(
                [
                    c.id,
                    neutralise_formula(c.name_en),  # names may come from an upload
                    neutralise_formula(c.name_zh),
                    c.bank,
                    "point",
                    "",
                    f"{c.on_route_lonlat[0]:.6f}",
                    f"{c.on_route_lonlat[1]:.6f}",
                    "indicative",
                    f"{max(10, math.ceil(round(c.offset_m, 3)))}",
                    "",
                    source,
                ]
            )
        return buf.getvalue()


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class _Field:
    """Walking distance from the nearest source along every edge (see the module doc)."""

    d_a: np.ndarray  # at each edge's a node
    d_b: np.ndarray  # at each edge's b node
    length_m: np.ndarray
    on_edge: dict[int, np.ndarray]  # sources on an edge: offsets from its a node

    def _cones(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Apexes (offset, value) of the slope +-1 cones whose minimum is the distance."""
        length = float(self.length_m[k])
        apex = [0.0, length]
        value = [float(self.d_a[k]), float(self.d_b[k])]
        for s in self.on_edge.get(k, ()):
            apex.append(float(s))
            value.append(0.0)
        p, c = np.asarray(apex), np.asarray(value)
        ok = np.isfinite(c)
        return p[ok], c[ok]

    def at_many(self, k: int, x: np.ndarray) -> np.ndarray:
        p, c = self._cones(k)
        if not len(p):
            return np.full(len(x), np.inf)
        return np.min(np.abs(np.asarray(x)[:, None] - p[None, :]) + c[None, :], axis=1)

    def at(self, k: int, x: float) -> float:
        return float(self.at_many(k, np.array([x]))[0])

    def breakpoints(self, k: int) -> np.ndarray:
        """Offsets between which the distance is linear: apexes and pairwise crossings."""
        length = float(self.length_m[k])
        p, c = self._cones(k)
        xs = [0.0, length, *p]
        for i in range(len(p)):
            for j in range(len(p)):
                if p[i] < p[j]:  # i rising meets j falling
                    xs.append((p[i] + p[j] + c[j] - c[i]) / 2)
        arr = np.asarray(xs)
        return np.unique(arr[(arr >= 0) & (arr <= length)])


@dataclass(frozen=True)
class _Stretch:
    """A run of one bank line ``part``, from ``from_bank_m`` to ``to_bank_m`` along it."""

    part: int
    from_bank_m: float
    to_bank_m: float

    @property
    def length_m(self) -> float:
        return self.to_bank_m - self.from_bank_m


@dataclass(frozen=True)
class _Pieces:
    """Pieces of edges (parallel arrays): ``edge``, offsets ``x0``/``x1`` (m) from its
    ``a`` node and the walking distance ``w0``/``w1`` (m) there; linear in between."""

    edge: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    w0: np.ndarray
    w1: np.ndarray

    @property
    def length_m(self) -> np.ndarray:
        return self.x1 - self.x0

    @property
    def mid_m(self) -> np.ndarray:
        return (self.w0 + self.w1) / 2

    def take(self, mask: np.ndarray) -> _Pieces:
        return _Pieces(self.edge[mask], self.x0[mask], self.x1[mask], self.w0[mask], self.w1[mask])


@dataclass(frozen=True)
class Coverage:
    """Coverage of the route by a set of sites (from :meth:`CoverageModel.coverage`).

    ``pieces``: the route edges cut into pieces (``edge``, ``x0``/``x1`` offsets,
    walking distance ``w0``/``w1`` at its ends); ``band``: each piece's band, an
    index into :func:`band_labels`.
    """

    model: CoverageModel
    sites: tuple[Site, ...]
    speed_kmh: float
    minutes: float
    band_minutes: tuple[float, ...]
    limit_m: float
    pieces: _Pieces
    band: np.ndarray
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def labels(self) -> tuple[str, ...]:
        return band_labels(self.band_minutes)

    @property
    def stretches(self) -> tuple[_Stretch, ...]:
        """Runs beyond :attr:`minutes`: ``part``, ``from_bank_m``, ``to_bank_m``, ``length_m``."""
        if "stretches" not in self._cache:
            self._cache["stretches"] = self.model._stretches(self.pieces, beyond_m=self.limit_m)
        result: tuple[_Stretch, ...] = self._cache["stretches"]
        return result

    def summary(self) -> dict[str, Any]:
        """The figures as plain numbers (no locations): fast, for comparisons."""
        total = self.model.route_length_m
        lengths = self._band_lengths()
        covered = self._covered_m()
        largest: dict[str, float] = {}
        for bank, gaps in self.model._spacing(self.sites).items():
            largest[bank] = max([largest.get(bank, 0.0), *(g["along_route_m"] for g in gaps)])
        st = self.stretches
        w = np.concatenate([self.pieces.w0, self.pieces.w1])
        return {
            "bands": {lab: float(v / total) for lab, v in zip(self.labels, lengths, strict=True)},
            "covered_share": covered / total,
            "longest_gap_m": max((g.length_m for g in st), default=0.0),
            "max_walk_m": float(w.max()) if len(w) else math.inf,
            "largest_spacing_m": largest,
        }

    def figures(self) -> dict[str, Any]:
        """Every figure, JSON-ready (the ``putuo-geo coverage --json`` output).

        Keys: ``speed_kmh``, ``minutes``, ``limit_m``, ``route_length_m``,
        ``stations`` / ``candidates`` / ``indicative_stations`` (counts), ``bands``
        (share of the route per band), ``band_length_m``, ``covered_share`` (within ``minutes``),
        ``longest_gap`` (the longest stretch beyond ``minutes``: ``bank``,
        ``from_chainage_m``, ``to_chainage_m``, ``length_m``, its ends and middle
        along the bank as ``from_lonlat``/``to_lonlat``/``mid_lonlat``; zero
        length and ``None`` places when there is none), ``gaps`` (every such
        stretch), ``max_walk`` (the farthest route point from a station), ``spacing``
        (per bank, consecutive stations and the along-bank distance between them)
        and ``largest_spacing`` (per bank).
        """
        model = self.model
        total = model.route_length_m
        lengths = self._band_lengths()
        covered = self._covered_m()
        st = sorted(self.stretches, key=lambda g: -g.length_m)
        gaps = [model._stretch_json(g.part, g.from_bank_m, g.to_bank_m) for g in st]
        none = {
            "bank": None,
            "from_chainage_m": None,
            "to_chainage_m": None,
            "length_m": 0.0,
            "from_lonlat": None,
            "to_lonlat": None,
            "mid_lonlat": None,
        }
        spacing = model._spacing(self.sites)
        largest = {
            bank: (max(rows, key=lambda r: r["along_route_m"]) if rows else None)
            for bank, rows in spacing.items()
        }
        return {
            "speed_kmh": self.speed_kmh,
            "minutes": self.minutes,
            "limit_m": round(self.limit_m, 1),
            "route_length_m": round(total, 1),
            "stations": sum(not s.is_candidate for s in self.sites),
            "candidates": sum(s.is_candidate for s in self.sites),
            "indicative_stations": sum(s.status == "indicative" for s in self.sites),
            "bands": {
                lab: round(float(v / total), 4) for lab, v in zip(self.labels, lengths, strict=True)
            },
            "band_length_m": {
                lab: round(float(v), 1) for lab, v in zip(self.labels, lengths, strict=True)
            },
            "covered_share": round(covered / total, 4),
            "longest_gap": gaps[0] if gaps else none,
            "gaps": gaps,
            "max_walk": self._max_walk(),
            "spacing": spacing,
            "largest_spacing": largest,
        }

    def _band_lengths(self) -> np.ndarray:
        return np.bincount(self.band, weights=self.pieces.length_m, minlength=len(self.labels))

    def _covered_m(self) -> float:
        return float(self.pieces.length_m[self.pieces.mid_m <= self.limit_m].sum())

    def _max_walk(self) -> dict[str, Any]:
        p = self.pieces
        if not len(p.edge):
            return {"walk_m": None, "minutes": None, "bank": None, "chainage_m": None}
        w = np.column_stack([p.w0, p.w1])
        i, j = np.unravel_index(int(np.argmax(w)), w.shape)
        k = int(p.edge[i])
        x = float(p.x0[i] if j == 0 else p.x1[i])
        xy = np.asarray(shapely.get_coordinates(self.model._geoms[k].interpolate(x)))
        walk = float(w[i, j])
        finite = math.isfinite(walk)
        return {
            "walk_m": round(walk, 1) if finite else None,
            "minutes": round(walk / (self.speed_kmh * 1000 / 60), 1) if finite else None,
            "bank": str(self.model._bank[k]),
            "chainage_m": _round(self.model._chainage_xy(xy)[0]),
        }

    def bands_frame(self) -> gpd.GeoDataFrame:
        """The route cut into band pieces, WGS-84, for the map's planner layer.

        Columns: ``band`` (a label from :func:`band_labels`), ``band_index`` (0 =
        nearest), ``route_id``, ``bank``, ``length_m``, ``walk_from_m``/``walk_to_m``
        (nearest-station walking distance along the piece, metres). Adjacent pieces
        of one edge in the same band are joined.
        """
        p = self.pieces
        rows: list[dict[str, Any]] = []
        geoms: list[LineString] = []
        model = self.model
        labels = self.labels
        if len(p.edge):
            # join consecutive pieces of an edge that share a band
            new = np.r_[True, (p.edge[1:] != p.edge[:-1]) | (self.band[1:] != self.band[:-1])]
            starts = np.flatnonzero(new)
            ends = np.r_[starts[1:], len(p.edge)]
            for i, j in zip(starts.tolist(), ends.tolist(), strict=True):
                k = int(p.edge[i])
                x0, x1 = float(p.x0[i]), float(p.x1[j - 1])
                band = int(self.band[i])
                w = np.concatenate([p.w0[i:j], p.w1[i:j]])
                rows.append(
                    {
                        "band": labels[band],
                        "band_index": band,
                        "route_id": str(model.edges["id"].iat[k]),
                        "bank": str(model._bank[k]),
                        "length_m": x1 - x0,
                        "walk_from_m": float(w.min()),
                        "walk_to_m": float(w.max()),
                    }
                )
                geoms.append(substring(model._geoms[k], x0, x1))
        frame = gpd.GeoDataFrame(
            pd.DataFrame(
                rows,
                columns=[
                    "band",
                    "band_index",
                    "route_id",
                    "bank",
                    "length_m",
                    "walk_from_m",
                    "walk_to_m",
                ],
            ),
            geometry=gpd.GeoSeries(geoms, crs=config.METRIC_CRS),
            crs=config.METRIC_CRS,
        )
        return frame.to_crs(config.WEB_CRS)


@dataclass(frozen=True)
class Reach:
    """What one station reaches in ``minutes`` (from :meth:`CoverageModel.reach`).

    ``frame``: the reached pieces of the network, WGS-84 (``kind`` route/bridge,
    ``id``, ``length_m``, ``walk_from_m``, ``walk_to_m``). ``length_m``: route
    reached (bridges not counted; ``bridge_length_m`` separately). ``sites``: the
    sites inside, nearest first (``along_route_m``, ``offset_m``, ``walk_m``,
    ``minutes``).
    """

    site: Site
    minutes: float
    speed_kmh: float
    limit_m: float
    frame: gpd.GeoDataFrame
    length_m: float
    bridge_length_m: float
    sites: pd.DataFrame

    def figures(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "station": self.site.id,
            "minutes": self.minutes,
            "speed_kmh": self.speed_kmh,
            "limit_m": round(self.limit_m, 1),
            "length_m": round(self.length_m, 1),
            "bridge_length_m": round(self.bridge_length_m, 1),
            "route_ids": sorted(
                set(self.frame.loc[self.frame["kind"] == "route", "id"].astype(str))
            ),
            "bridges": sorted(
                set(self.frame.loc[self.frame["kind"] == "bridge", "id"].astype(str))
            ),
            "sites": [
                {"id": str(fid), "walk_m": round(float(walk), 1)}
                for fid, walk in zip(self.sites["id"], self.sites["walk_m"], strict=True)
            ],
        }


@dataclass(frozen=True)
class WhatIf:
    """Coverage before and after the candidates, and what each candidate changes."""

    before: Coverage
    after: Coverage
    candidates: tuple[dict[str, Any], ...]

    def figures(self) -> dict[str, Any]:
        """``before``/``after`` figures and ``candidates`` (each with ``splits``, ``closes``)."""
        return {
            "before": self.before.figures(),
            "after": self.after.figures(),
            "candidates": list(self.candidates),
        }


# ---------------------------------------------------------------------------- page text


def site_by_id(sites: Sequence[Site], fid: str) -> Site:
    """The site whose ``id`` is ``fid``.

    Raises
    ------
    KeyError
        When no site has that id.
    """
    for site in sites:
        if site.id == fid:
            return site
    msg = f"No station has the id {fid!r}."
    raise KeyError(msg)


def band_legend(lang: i18n.Lang, band_minutes: Sequence[float] = BAND_MINUTES) -> list[str]:
    """The legend's label of each band, nearest first (needs the default bands' keys)."""
    return [i18n.tr(f"planner.band.{label}", lang) for label in band_labels(band_minutes)]


def describe(
    figures: Mapping[str, Any], ranges: Mapping[str, Any] | None, lang: i18n.Lang
) -> list[str]:
    """The planner's figures as sentences in ``lang`` (Markdown; data text escaped).

    ``figures`` from :meth:`Coverage.figures`, ``ranges`` from
    :meth:`CoverageModel.sensitivity` (or ``None``). The first line is the
    indicative-positions warning when any station is indicative.
    """
    from putuo_geo.display import format_chainage, format_length
    from putuo_geo.safety import escape_markdown

    def ranged(text: str, key: str, fmt: Any) -> str:
        if not ranges or key not in ranges:
            return text
        r = ranges[key]
        return i18n.tr("planner.range", lang, value=text, low=fmt(r["min"]), high=fmt(r["max"]))

    def share(v: float) -> str:
        return f"{v:.1%}"

    mins = f"{figures['minutes']:g}"
    lines: list[str] = []
    indicative = figures.get("indicative_stations")
    if indicative:
        lines.append(
            i18n.tr(
                "planner.indicative_warning",
                lang,
                indicative=indicative,
                total=figures["stations"],
            )
        )
    covered = i18n.tr("planner.covered_share", lang, minutes=mins)
    lines.append(f"{covered}: " + ranged(share(figures["covered_share"]), "covered_share", share))
    gap = figures["longest_gap"]
    if gap["length_m"] > 0:
        text = i18n.tr(
            "planner.longest_gap",
            lang,
            minutes=mins,
            length=format_length(gap["length_m"]),
            bank=i18n.value("bank", gap["bank"], lang),
            start=format_chainage(gap["from_chainage_m"]),
            end=format_chainage(gap["to_chainage_m"]),
        )
    else:
        text = i18n.tr("planner.no_gap", lang, minutes=mins)
    if ranges and ranges["longest_gap_m"]["max"] > 0:
        r = ranges["longest_gap_m"]
        text += (
            " "
            + i18n.tr(
                "planner.range",
                lang,
                value="",
                low=format_length(r["min"]),
                high=format_length(r["max"]),
            ).strip()
        )
    lines.append(text)
    far = figures["max_walk"]
    if far["walk_m"] is not None:
        lines.append(
            i18n.tr(
                "planner.max_walk",
                lang,
                minutes=f"{far['minutes']:g}",
                distance=format_length(far["walk_m"]),
                bank=i18n.value("bank", far["bank"], lang),
                chainage=format_chainage(far["chainage_m"]),
            )
        )
    for bank, big in figures["largest_spacing"].items():
        if big is None:
            continue
        length = format_length(big["along_route_m"])
        if ranges:
            r = ranges["largest_spacing_m"][bank]
            length = i18n.tr(
                "planner.range",
                lang,
                value=length,
                low=format_length(r["min"]),
                high=format_length(r["max"]),
            )
        lines.append(
            i18n.tr(
                "planner.largest_spacing",
                lang,
                bank=i18n.value("bank", bank, lang),
                length=length,
                start=escape_markdown(big["from_id"]),
                end=escape_markdown(big["to_id"]),
            )
        )
    if ranges:
        lines.append(i18n.tr("planner.range_note", lang, scenarios=ranges["scenarios"]))
    return lines


def describe_candidate(candidate: Mapping[str, Any], minutes: float, lang: i18n.Lang) -> str:
    """One candidate of :attr:`WhatIf.candidates` as a sentence in ``lang`` (Markdown-safe)."""
    from putuo_geo.display import format_chainage, format_length
    from putuo_geo.safety import escape_markdown

    name = escape_markdown(i18n.name(candidate["name_en"], candidate["name_zh"], lang, both=False))
    parts = [
        i18n.tr(
            "planner.candidate_row",
            lang,
            name=name,
            bank=i18n.value("bank", candidate["bank"], lang),
            chainage=format_chainage(candidate["chainage_m"]),
            offset=format_length(candidate["offset_m"]),
        )
    ]
    split = candidate["splits"]
    if split:
        parts.append(
            i18n.tr(
                "planner.candidate_splits",
                lang,
                before=format_length(split["spacing_before_m"]),
                start=escape_markdown(split["from_id"]),
                end=escape_markdown(split["to_id"]),
                first=format_length(split["spacing_after_m"][0]),
                second=format_length(split["spacing_after_m"][1]),
            )
        )
    mins = f"{minutes:g}"
    for gap in candidate["closes"]:
        parts.append(
            i18n.tr(
                "planner.candidate_closes",
                lang,
                minutes=mins,
                before=format_length(gap["length_m"]),
                after=format_length(gap["length_after_m"]),
            )
        )
    if not candidate["closes"]:
        parts.append(i18n.tr("planner.candidate_closes_none", lang, minutes=mins))
    return "; ".join(parts)


# ---------------------------------------------------------------------------- helpers


def _round(value: float | None, ndigits: int = 1) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), ndigits)


def _range(values: Sequence[float]) -> dict[str, float | None]:
    """Today's value (the first) and the min/max; ``None`` for "unreachable" (inf)."""

    def num(v: float) -> float | None:
        return round(float(v), 4) if math.isfinite(v) else None

    return {"value": num(values[0]), "min": num(min(values)), "max": num(max(values))}


def _overlap(stretches: Iterable[_Stretch], part: int, lo: float, hi: float) -> float:
    """Length (m) of ``stretches`` on bank line ``part`` within ``[lo, hi]``."""
    return sum(
        max(0.0, min(g.to_bank_m, hi) - max(g.from_bank_m, lo)) for g in stretches if g.part == part
    )


def _empty_sites() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["id", "name_en", "name_zh", "along_route_m", "offset_m", "walk_m", "minutes"]
    )
