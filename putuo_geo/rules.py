"""Cross-layer rules: where features must sit relative to each other and to Putuo.

A file can be valid on its own and still wrong for the atlas: a station 300 m from
the route, a route piece that stops short of the next, a layer copied from Amap and
left in GCJ-02 (about 485 m off in Putuo). :func:`cross_layer_problems` checks

- the creek's ``border`` sections lie on the district boundary
  (every vertex within :data:`BORDER_CREEK_MAX_M`);
- every route vertex lies within :data:`ROUTE_TO_CREEK_MAX_M` of the creek;
- route pieces that continue each other (same bank, one's ``to_chainage_m`` is the
  next one's ``from_chainage_m``) share an end point (gap <= :data:`ROUTE_JOIN_MAX_M`);
- every bridge touches the creek (within :data:`BRIDGE_TO_CREEK_MAX_M`);
- every station lies within :data:`STATION_TO_ROUTE_MAX_M` of the route;
- every feature of every layer lies in Putuo (every vertex within
  :data:`INSIDE_PUTUO_MAX_M` of the boundary polygon).

A rule is only checked against a reference layer that passed its own rules, so one
bad layer yields its own problems, not one per feature of every layer that leans on it.

The two rules that measure a feature against the district boundary (on the border, in
Putuo) skip features imported from OpenStreetMap (a non-blank ``osm_id``), and a feature
along an imported creek section counts as in Putuo: there the creek and the boundary are
two independent sources, which never agree exactly, and ``putuo-geo import-osm`` reports
how far apart they are as a warning (where, how much) instead of refusing the import
(issue 21).

GCJ-02 leftovers are caught by rule: when a feature breaks a rule but would keep it
after converting GCJ-02 -> WGS-84 (:func:`putuo_geo.datum.gcj02_to_wgs84`), the
message says so and how to convert. All distances in EPSG:32651 metres.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from putuo_geo import config, crs, datum, i18n
from putuo_geo.errors import Problem

#: A station is on the route: its distance to the nearest route line, metres.
STATION_TO_ROUTE_MAX_M = 50.0
#: Bridges are drawn bank to bank across the creek, so they touch its centreline.
BRIDGE_TO_CREEK_MAX_M = 30.0
#: The route runs along the banks (the creek centreline offset 27 m each side).
ROUTE_TO_CREEK_MAX_M = 100.0
#: A creek section marked ``border`` is the district border.
BORDER_CREEK_MAX_M = 50.0
#: Continuing route pieces share end points (written from one line, so exactly).
ROUTE_JOIN_MAX_M = 1.0
#: Tolerance for "in Putuo": a bridge on a border reach lands on the far bank (the
#: creek is 40-70 m wide), so every vertex may stand this far outside the polygon.
INSIDE_PUTUO_MAX_M = 100.0
#: Chainages (m) that differ by less than this are "the same" when pairing route pieces.
CHAINAGE_MATCH_M = 1.0
#: Summarise a layer when at least this many of its features look like GCJ-02.
GCJ_SUMMARY_MIN = 3

#: The advice given with every GCJ-02 leftover (catalogue ``rule.hint.gcj``).
GCJ_HINT = Problem("rule.hint.gcj")


def _max_vertex_distance_m(geoms: gpd.GeoSeries, reference: shapely.Geometry) -> np.ndarray:
    """For each (metric) geometry, the largest distance of one of its vertices to ``reference``."""
    out = np.empty(len(geoms))
    for i, geom in enumerate(geoms):
        points = shapely.points(shapely.get_coordinates(geom))
        out[i] = float(np.max(shapely.distance(points, reference)))
    return out


@dataclass(frozen=True)
class _Layer:
    """The usable features of one layer: ids, file name, lon/lat and metric geometries."""

    file_name: str
    frame: gpd.GeoDataFrame  # rows with a non-empty geometry, EPSG:4326
    metric: gpd.GeoSeries
    gcj_fixed: gpd.GeoSeries  # the same geometries read as GCJ-02 and converted, metric

    def where(self, i: int) -> str:
        fid = self.frame["id"].iloc[i] if "id" in self.frame else None
        label = f"'{fid}'" if isinstance(fid, str) and fid else f"#{self.frame.index[i]} (no id)"
        return f"{self.file_name}: feature {label}"


def _not_imported_mask(layer: _Layer) -> np.ndarray:
    """True for the features not imported from OpenStreetMap (blank or no ``osm_id``)."""
    if "osm_id" not in layer.frame:
        return np.ones(len(layer.frame), dtype=bool)
    ids = layer.frame["osm_id"]
    return ~(ids.notna() & (ids.astype(str).str.strip() != "")).to_numpy()


def _not_imported(layer: _Layer) -> _Layer:
    """The layer without its features imported from OpenStreetMap (non-blank ``osm_id``)."""
    keep = _not_imported_mask(layer)
    return _Layer(layer.file_name, layer.frame[keep], layer.metric[keep], layer.gcj_fixed[keep])


def _layer(frame: gpd.GeoDataFrame | None, file_name: str) -> _Layer | None:
    if frame is None:
        return None
    # Only what the per-file checks passed: a geometry, not empty, valid, in Shanghai.
    w, s, e, n = config.SHANGHAI_BBOX_LONLAT
    keep = [
        g is not None
        and not g.is_empty
        and g.is_valid
        and bool(np.all(np.isfinite(shapely.get_coordinates(g))))
        and w <= g.bounds[0] <= g.bounds[2] <= e
        and s <= g.bounds[1] <= g.bounds[3] <= n
        for g in frame.geometry
    ]
    usable = frame[np.asarray(keep, dtype=bool)]
    fixed = datum.convert_frame(usable, src="gcj02", dst="wgs84")
    return _Layer(
        file_name,
        usable,
        crs.to_metric(usable.geometry, name=file_name),
        crs.to_metric(fixed.geometry, name=file_name),
    )


@dataclass
class _Findings:
    problems: list[str]
    gcj: dict[str, list[float]]  # file name -> offsets of features that look like GCJ-02

    def check(
        self,
        layer: _Layer,
        measure: Callable[[gpd.GeoSeries], np.ndarray],
        *,
        limit_m: float,
        what: str,
    ) -> bool:
        """Flag every feature whose ``measure`` exceeds ``limit_m``; True when none does.

        ``what`` is the rule's catalogue key (``rule.what.*``): the problem reads in
        the page's language.
        """
        found = measure(layer.metric)
        bad = np.flatnonzero(found > limit_m)
        if bad.size == 0:
            return True
        fixed = measure(layer.gcj_fixed.iloc[bad])
        for i, after in zip(bad, fixed, strict=True):
            params = {
                "where": layer.where(int(i)),
                "distance": f"{found[i]:,.0f}",
                "what": Problem(what),
                "limit": f"{limit_m:g}",
            }
            if after <= limit_m:
                self.gcj.setdefault(layer.file_name, []).append(float(found[i]))
                problem = Problem(
                    "rule.problem.far_gcj", **params, after=f"{after:,.0f}", hint=GCJ_HINT
                )
            else:
                problem = Problem("rule.problem.far", **params)
            self.problems.append(problem)
        return False


def _bank(value: object) -> str:
    """``left bank`` / ``right bank`` in the catalogue (translated), else as stored."""
    key = f"value.bank.{value}"
    return Problem(key) if key in i18n.CATALOGUE else f"{value} bank"


def _route_gaps(route: _Layer) -> list[str]:
    """Pieces on one bank whose chainages say they continue each other must touch."""
    frame = route.frame
    if not {"bank", "from_chainage_m", "to_chainage_m"} <= set(frame.columns):
        return []
    problems: list[str] = []
    for i in range(len(frame)):
        for j in range(len(frame)):
            if i == j or frame["bank"].iloc[i] != frame["bank"].iloc[j]:
                continue
            to_m, from_m = frame["to_chainage_m"].iloc[i], frame["from_chainage_m"].iloc[j]
            if not isinstance(to_m, int | float) or not isinstance(from_m, int | float):
                continue
            if abs(float(to_m) - float(from_m)) >= CHAINAGE_MATCH_M:
                continue
            a, b = route.metric.iloc[i], route.metric.iloc[j]
            ends_a = [shapely.Point(c) for c in (a.coords[0], a.coords[-1])]
            ends_b = [shapely.Point(c) for c in (b.coords[0], b.coords[-1])]
            gap_m = min(p.distance(q) for p in ends_a for q in ends_b)
            if gap_m > ROUTE_JOIN_MAX_M:
                problems.append(
                    Problem(
                        "rule.problem.route_gap",
                        where=route.where(i),
                        chainage=f"{float(to_m):,.1f}",
                        other=route.where(j).split(": ", 1)[1],
                        gap=f"{gap_m:,.1f}",
                        bank=_bank(frame["bank"].iloc[i]),
                        limit=f"{ROUTE_JOIN_MAX_M:g}",
                    )
                )
    return problems


def cross_layer_problems(
    frames: Mapping[str, gpd.GeoDataFrame | None], file_names: Mapping[str, str]
) -> list[str]:
    """Every cross-layer problem, one sentence each (see the module docstring).

    Parameters
    ----------
    frames
        Layer name -> its frame as read (EPSG:4326), or ``None`` when unreadable.
        Null, empty and invalid geometries are skipped (the per-file checks report them).
    file_names
        Layer name -> file name used in messages.

    Returns
    -------
    list of str
        Problems naming the file, the feature, the distance and the rule; GCJ-02
        leftovers carry a hint to convert.
    """
    layers = {
        name: _layer(frames.get(name), file_names.get(name, f"{name}.geojson"))
        for name in config.LAYER_NAMES
    }
    found = _Findings([], {})
    boundary, creek, route = layers["boundary"], layers["creek"], layers["route"]
    putuo = boundary.metric.union_all() if boundary is not None and len(boundary.frame) else None

    creek_ok = creek is not None and len(creek.frame) > 0
    if creek is not None and putuo is not None and "section" in creek.frame:
        border = creek.frame["section"].to_numpy() == "border"
        if border.any():
            sub = _not_imported(
                _Layer(
                    creek.file_name,
                    creek.frame[border],
                    creek.metric[border],
                    creek.gcj_fixed[border],
                )
            )
            creek_ok &= found.check(
                sub,
                lambda g: _max_vertex_distance_m(g, putuo.boundary),
                limit_m=BORDER_CREEK_MAX_M,
                what="rule.what.off_border",
            )
    creek_line = creek.metric.union_all() if creek_ok and creek is not None else None

    route_ok = route is not None and len(route.frame) > 0
    if route is not None and creek_line is not None:
        route_ok &= found.check(
            route,
            lambda g: _max_vertex_distance_m(g, creek_line),
            limit_m=ROUTE_TO_CREEK_MAX_M,
            what="rule.what.route_from_creek",
        )
    if route is not None and route_ok:
        gaps = _route_gaps(route)
        found.problems += gaps
        route_ok = not gaps
    route_line = route.metric.union_all() if route_ok and route is not None else None

    bridges = layers["bridges"]
    if bridges is not None and creek_line is not None:
        found.check(
            bridges,
            lambda g: g.distance(creek_line).to_numpy(),
            limit_m=BRIDGE_TO_CREEK_MAX_M,
            what="rule.what.from_creek",
        )
    stations = layers["stations"]
    if stations is not None and route_line is not None:
        found.check(
            stations,
            lambda g: g.distance(route_line).to_numpy(),
            limit_m=STATION_TO_ROUTE_MAX_M,
            what="rule.what.from_route",
        )
    if putuo is not None:
        # Along a creek imported from OSM that strays off the district (reported by
        # import-osm), the features placed on it count as in Putuo too.
        imported = (
            [g for g, keep in zip(creek.metric, ~_not_imported_mask(creek), strict=True) if keep]
            if creek_line is not None and creek is not None
            else []
        )
        near = shapely.union_all([putuo, *imported]) if imported else putuo
        for name in config.LAYER_NAMES:
            layer = layers[name]
            if name == "boundary" or layer is None or layer.file_name in found.gcj:
                continue
            found.check(
                _not_imported(layer),
                lambda g: _max_vertex_distance_m(g, near),
                limit_m=INSIDE_PUTUO_MAX_M,
                what="rule.what.outside_putuo",
            )
    for file_name, offsets in found.gcj.items():
        if len(offsets) >= GCJ_SUMMARY_MIN:
            found.problems.append(
                Problem(
                    "rule.problem.gcj_summary",
                    file=file_name,
                    count=len(offsets),
                    median=f"{np.median(offsets):,.0f}",
                    hint=GCJ_HINT,
                )
            )
    return found.problems
