"""Rebuild the atlas from an OpenStreetMap extract (``putuo-geo import-osm``).

Reads an existing data folder (validated) and an OSM extract, and writes a new
data folder in which:

- **creek**: the ``waterway=river`` line named as Suzhou Creek (or, where only a
  water area is mapped, a centreline derived from that area), clipped to Putuo
  and split into *border* / *inside* sections by probe points either side
  tested against the district boundary; chainage 0 at the upstream end. Section
  ids and names carry over from the old sections they overlap, else from the
  old section of the same kind at the same relative place: nothing needs the
  old course to be close. A partial extract (its box misses part of the old
  creek) updates what it covers and keeps the rest (``kept_sections``).
- **warnings**: disagreements between the extract and the atlas's other sources
  (a river off the converted border or outside Putuo, however far; a connector to
  a kept stretch, a mapped path short of a bridge, a kept bridge far from the new
  creek) are reported with what, where and how much; no distance between two
  sources refuses the import, only no creek, nothing in Putuo or an atlas that
  cannot be built (no route, invalid files).
- **route**: per bank, every ``SAMPLE_STEP_M`` a point on the perpendicular to
  the centreline: the nearest mapped footway / path / promenade within
  ``FOOTWAY_SEARCH_M`` running roughly parallel (within ``MAX_ANGLE_DEG``), else
  the edge of the mapped water area on that side, else the offset rule
  (``HALF_WIDTH_M``). Each piece's ``source`` states the shares.
- **bridges**: ways tagged ``bridge`` that cross the new centreline, grouped per
  crossing, matched to existing bridges by name (then by position); existing
  bridges the extract lacks are kept, re-placed on the new creek.
- **parks**: ``leisure=park`` outlines matched by name replace the modelled outlines.
- **sites**: named OSM points/areas matched by name move existing sites; no
  site is added (OSM features have no category here); unmatched ones are reported.
- **stations**, **zones**, **boundary**: kept; stations are snapped to the new
  route (a station at a bridge end stays at that bridge's end).

Features taken from OSM carry ``source`` starting with
:data:`putuo_geo.osm.OSM_SOURCE`, their ids in ``osm_id`` and ``status:
confirmed``. The result is validated (:func:`putuo_geo.layers.validate_dir`)
before anything is written to the output folder, and a change report is
written next to the layers.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Point, shape
from shapely.ops import substring

from putuo_geo import config, derive, layers, osm, route
from putuo_geo.atlas_build import (
    HALF_WIDTH_M,
    CreekSection,
    Projector,
    RoutePiece,
    creek_records,
    crossing_end,
    place_crossing,
    route_geometry,
    route_pieces,
    route_record,
    snap_to_bank,
    write_layer,
)
from putuo_geo.changes import change_report, report_markdown
from putuo_geo.errors import DataValidationError, ExtractError

#: Probe distance either side of the centreline for section detection (as in make data).
PROBE_M = 2 * HALF_WIDTH_M
#: The extract is read and the creek clipped within this distance of the district.
CLIP_MARGIN_M = 200.0
#: Section runs shorter than this are absorbed by their neighbours.
MIN_SECTION_M = 150.0
#: Bank paths: how far from the centreline a mapped path may lie, and how parallel.
FOOTWAY_SEARCH_M = 60.0
MAX_ANGLE_DEG = 30.0
SAMPLE_STEP_M = 10.0
#: A bank point must lie at least this far from the centreline.
MIN_BANK_M = 2.0
#: Bridges: ways crossing within this chainage distance form one bridge; an
#: existing bridge matches an unnamed crossing within ``BRIDGE_MATCH_M``.
BRIDGE_GROUP_M = 40.0
BRIDGE_MATCH_M = 80.0
#: A site matched by name farther than this from its old position is not moved.
SITE_MAX_MOVE_M = 1000.0
#: A station or site this close to an old bridge end follows that bridge.
AT_BRIDGE_END_M = 1.0
#: A border reach farther than this (90th percentile) from the district border,
#: or a joint to a kept stretch longer than this, is a warning in the report.
DISAGREE_M = 20.0
#: An old feature farther than this from the new creek is re-placed by its
#: relative position along its (matched) section, not by the nearest point.
FAR_MOVE_M = 200.0
#: Extra doubt of a bank path over its creek section where the path is kept or
#: modelled (as ``make data``: the creek is 40-70 m wide).
BANK_EXTRA_M = 20.0
#: Honest positional error of OSM-derived features, metres.
ACCURACY_M = {
    "line": 10.0,
    "area": 15.0,
    "mapped": 10.0,
    "outline": 15.0,
    "offset": 30.0,
    "bridge": 10.0,
    "park": 10.0,
    "node": 10.0,
}
REPORT_NAME = "import-osm-report"
ODBL = {
    "name": "ODbL-1.0",
    "title": "© OpenStreetMap contributors",
    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
}
ODBL_NOTICE = (
    "Contains information from OpenStreetMap (https://www.openstreetmap.org/copyright), "
    "made available under the Open Database License (ODbL): © OpenStreetMap contributors."
)

Feature = tuple[dict[str, Any], Any]  # (properties, metric geometry)


@dataclass
class _Notes:
    lines: list[str] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    kept_sections: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)

    def warn(self, what: str, *, where_lonlat: tuple[float, float], how_much_m: float) -> None:
        """A disagreement worth a look, not a reason to refuse the import."""
        self.warnings.append(
            {
                "what": what,
                "where_lonlat": [round(where_lonlat[0], 6), round(where_lonlat[1], 6)],
                "how_much_m": round(float(how_much_m), 1),
            }
        )


# -------------------------------------------------------------------------- input


def _features(folder: Path, name: str, proj: Projector) -> list[Feature]:
    """A layer's features as written (properties keep their JSON types), metric geometry."""
    doc = json.loads((folder / f"{name}.geojson").read_text(encoding="utf-8"))
    return [(dict(f["properties"]), proj.metric(shape(f["geometry"]))) for f in doc["features"]]


def _old_centre(creek: list[Feature]) -> LineString:
    ordered = sorted(creek, key=lambda f: f[0]["from_chainage_m"])
    try:
        return derive.join_lines([g for _, g in ordered], tolerance_m=1.0)
    except ValueError:
        merged = shapely.line_merge(shapely.MultiLineString([g for _, g in ordered]))
        if isinstance(merged, LineString):
            return merged
        return max(merged.geoms, key=lambda g: g.length)


def _along_m(line: LineString, geoms: Sequence[Any]) -> np.ndarray:
    """Metres along ``line`` of the point of it nearest each geometry (all metric).

    The route model's snap engine (:class:`putuo_geo.route.Polylines`, the one the
    network and the page use), so the importer places a feature along the creek the
    same way the page measures it.
    """
    if not len(geoms):
        return np.zeros(0)
    _, along_m, _ = route.Polylines([line]).locate_geometries(np.asarray(geoms, dtype=object))
    return along_m


def _longest(geom: Any) -> LineString | None:
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, LineString)]
    parts = [g for g in parts if not g.is_empty]
    return max(parts, key=lambda g: g.length) if parts else None


# -------------------------------------------------------------------------- creek


@dataclass(frozen=True)
class _Centreline:
    line: LineString
    method: str  # "line" or "area"
    osm_refs: tuple[str, ...]
    water: Any  # union of the creek's water areas (metric) or None


def creek_centreline(extract: osm.Extract, putuo_m: Any, old_centre: LineString) -> _Centreline:
    """Suzhou Creek's centreline near Putuo, downstream, from the extract.

    Raises
    ------
    ExtractError
        When the extract has no creek line or water area near Putuo.
    """
    zone = putuo_m.buffer(CLIP_MARGIN_M)
    lines = osm.creek_lines(extract)
    lines = lines[lines.intersects(zone)]
    areas = osm.creek_areas(extract)
    areas = areas[areas.intersects(zone)]
    water = shapely.union_all(list(areas.geometry)) if len(areas) else None
    if len(lines):
        ways = shapely.MultiLineString(list(lines.geometry))
        merged = _longest(shapely.line_merge(ways, directed=True))
        undirected = _longest(shapely.line_merge(ways))
        if merged is None or (undirected is not None and undirected.length > merged.length):
            merged = undirected  # some ways drawn against the flow
        assert merged is not None
        clipped = _span_within(merged, zone)
        refs = tuple(sorted(lines["osm_ref"]))
        method = "line"
    elif water is not None:
        clipped = _centreline_of_water(water.intersection(zone), old_centre)
        refs = tuple(sorted(areas["osm_ref"]))
        method = "area"
    else:
        names = " / ".join(osm.CREEK_NAMES)
        msg = (
            f"{extract.path}: no Suzhou Creek near Putuo (expected a waterway=river way or a "
            f"water area named {names})."
        )
        raise ExtractError(msg)
    if clipped is None or clipped.length < 2 * MIN_SECTION_M:
        msg = f"{extract.path}: the creek barely reaches Putuo (under {2 * MIN_SECTION_M:.0f} m)."
        raise ExtractError(msg)
    start, end = Point(old_centre.coords[0]), Point(old_centre.coords[-1])
    if clipped.project(start) > clipped.project(end):
        clipped = clipped.reverse()  # keep chainage 0 where it was
    return _Centreline(clipped, method, refs, water)


def _span_within(line: LineString, zone: Any) -> LineString | None:
    """``line`` from its first to its last point in ``zone``, what lies between kept.

    A river that leaves the zone on the way (mapped far off the converted border for a
    reach) keeps that reach: :func:`creek_sections` reports it as a warning, where
    taking the longest piece inside would drop everything upstream of it unsaid.
    """
    inside = shapely.intersection(line, zone)
    parts = [g for g in getattr(inside, "geoms", [inside]) if isinstance(g, LineString)]
    parts = [g for g in parts if not g.is_empty]
    if not parts:
        return None
    along = [line.project(Point(c)) for g in parts for c in (g.coords[0], g.coords[-1])]
    span = substring(line, min(along), max(along))
    return span if isinstance(span, LineString) and span.length > 0 else _longest(inside)


def splice_partial(
    new_line: LineString, old_centre: LineString, covered: Any, *, notes: _Notes, proj: Projector
) -> tuple[LineString, list[tuple[float, float]]]:
    """The creek from the extract, joined to the old course where the extract stops.

    A partial extract (say a JOSM download of the loop alone) covers only part
    of the old creek; the old course outside the extract's box is kept, up- and
    downstream, and joined to the mapped line by straight connectors. Nothing
    here needs the old course to lie near the new one: the kept stretches are
    cut where the mapped line's ends project onto the old course.

    Returns
    -------
    tuple
        ``(centreline, kept_spans)``: the spliced line (metric) and the chainage
        ranges (metres along it) that were kept from the old course.
    """
    outside = old_centre.difference(covered.buffer(1.0))
    if outside.is_empty or outside.length < MIN_SECTION_M:
        return new_line, []
    s0 = old_centre.project(Point(new_line.coords[0]))
    s1 = old_centre.project(Point(new_line.coords[-1]))
    if s1 < s0:
        s0, s1 = s1, s0
    coords: list[tuple[float, ...]] = []
    spans: list[tuple[float, float]] = []
    up = substring(old_centre, 0.0, s0) if s0 >= MIN_SECTION_M else None
    down = substring(old_centre, s1, old_centre.length)
    down = down if old_centre.length - s1 >= MIN_SECTION_M else None
    if isinstance(up, LineString):
        coords += list(up.coords)
        spans.append((0.0, up.length))
    joint_up = len(coords)
    coords += [c for c in new_line.coords if not coords or c != coords[-1]]
    joint_down = len(coords)
    if isinstance(down, LineString):
        coords += [c for c in down.coords if c != coords[-1]]
    line = LineString(coords)
    if isinstance(down, LineString):
        spans.append((line.length - down.length, line.length))
    for joint in (joint_up, joint_down):
        if 0 < joint < len(coords):
            gap_m = float(np.hypot(*np.subtract(coords[joint][:2], coords[joint - 1][:2])))
            if gap_m > DISAGREE_M:
                mid = proj.wgs(Point(coords[joint])).coords[0]
                notes.warn(
                    "creek: the mapped river is joined to the kept course by a straight "
                    f"connector of {gap_m:.0f} m",
                    where_lonlat=(mid[0], mid[1]),
                    how_much_m=gap_m,
                )
    notes.add(
        f"extract: partial; {sum(b - a for a, b in spans):.0f} m of the old creek outside the "
        "extract's box is kept (see kept_sections)."
    )
    return line, spans


def _centreline_of_water(water: Any, old_centre: LineString) -> LineString | None:
    """A water area's centreline, wherever it lies relative to the old course.

    The cross-sections follow a guide line: first the old centreline with
    cross-sections long enough to reach the farthest water, then (second pass)
    that rough centreline itself with short ones, so the result follows the
    water even where the old course was hundreds of metres off.
    """
    if water.is_empty:
        return None
    far_m = float(
        shapely.distance(shapely.points(shapely.get_coordinates(water)), old_centre).max()
    )
    guide: LineString | None = old_centre
    for reach_m in (max(300.0, far_m + 100.0), 300.0):
        assert guide is not None
        try:
            line = derive.centreline_from_area(water, guide, step_m=20.0, reach_m=reach_m)
        except ValueError:
            return None
        guide = _longest(line)
    return guide


def creek_sections(
    centre: _Centreline,
    putuo_m: Any,
    old: list[Feature],
    *,
    extract_name: str,
    kept_spans: Sequence[tuple[float, float]] = (),
    notes: _Notes | None = None,
    proj: Projector | None = None,
) -> list[CreekSection]:
    """Split the clipped centreline into border / inside sections with chainage.

    Runs within ``kept_spans`` (a partial extract) keep the old section's id,
    status, accuracy and source. A stretch where the mapped river strays
    outside Putuo, however far and however long (a river never sits exactly
    on the converted border), is kept as a border reach with a warning naming
    that reach, where and how far: no distance between the two sources refuses
    the import.

    Raises
    ------
    ExtractError
        When the creek does not run along Putuo at all.
    """
    notes = notes or _Notes()
    proj = proj or Projector.make()
    line = centre.line
    runs = derive.side_runs(line, putuo_m, probe_m=PROBE_M, min_run_m=MIN_SECTION_M)
    while runs and not runs[0].banks:
        runs.pop(0)
    while runs and not runs[-1].banks:
        runs.pop()
    if not runs:
        msg = f"{extract_name}: the creek in the extract does not run along Putuo."
        raise ExtractError(msg)
    strays: list[tuple[float, float, float, Point]] = []  # from_m, to_m, off_m, farthest
    for i, r in enumerate(runs):
        if r.banks:
            continue
        stretch = substring(line, r.from_m, r.to_m)
        points = [Point(c) for c in stretch.coords]
        off = [putuo_m.boundary.distance(p) for p in points]
        strays.append((r.from_m, r.to_m, max(off), points[int(np.argmax(off))]))
        previous = runs[i - 1].banks
        runs[i] = derive.SideRun(r.from_m, r.to_m, previous if len(previous) == 1 else ("left",))
    runs = _merge_runs(_cut_runs(_join_equal(runs), kept_spans))
    geoms = [substring(line, r.from_m, r.to_m) for r in runs]
    chained = derive.chain_sections(geoms, tolerance_m=1e-6)
    used: set[str] = set()
    sections: list[CreekSection] = []
    counters = {"border": 0, "inside": 0}
    old_total = sum(g.length for _, g in old) or 1.0
    for run, chain in zip(runs, chained, strict=True):
        kind = "inside" if len(run.banks) == 2 else "border"
        counters[kind] += 1
        kept = _is_kept(run, kept_spans)
        match = _match_section(chain.geometry, kind, old, used)
        if match is None and not kept:
            where = 0.5 * (chain.from_chainage_m + chain.to_chainage_m) / line.length
            match = _match_by_rank(where, kind, old, used, old_total)
        if match is not None:
            used.add(match["id"])
            sid, name_en, name_zh = match["id"], match["name_en"], match["name_zh"]
            neighbour = match.get("neighbour") if kind == "border" else None
        else:
            n = counters[kind]
            sid = f"creek-{kind}-{n}"
            label = "border reach" if kind == "border" else "reach inside Putuo"
            name_en = f"Suzhou Creek: {label} {n}"
            name_zh = f"苏州河（{'界河段' if kind == 'border' else '区内河段'} {n}）"
            neighbour = None
        how = (
            "the waterway=river way(s)"
            if centre.method == "line"
            else "a centreline derived from the water area(s) (midpoints of cross-sections)"
        )
        # A kept section carries its old provenance; a rebuilt one, the extract's.
        provenance: dict[str, Any]
        if kept and match is not None:
            notes.kept_sections.append(sid)
            provenance = {
                "source": f"{match['source']} (kept by import-osm: outside extract {extract_name})",
                "status": str(match["status"]),
                "accuracy_m": float(match["accuracy_m"]),
                "osm_id": None,
            }
        else:
            provenance = {
                "source": (
                    f"{osm.OSM_SOURCE}, extract {extract_name}: Suzhou Creek from {how}, "
                    f"clipped to Putuo; section by probe points {PROBE_M:.0f} m either side "
                    "tested against the district boundary"
                ),
                "status": "confirmed",
                "accuracy_m": ACCURACY_M[centre.method],
                "osm_id": ";".join(centre.osm_refs),
            }
        sections.append(
            CreekSection(
                id=sid,
                name_en=name_en,
                name_zh=name_zh,
                section=kind,
                neighbour=neighbour,
                banks=run.banks,
                geometry=chain.geometry,
                from_chainage_m=chain.from_chainage_m,
                to_chainage_m=chain.to_chainage_m,
                **provenance,
            )
        )
    for from_m, to_m, off_m, farthest in strays:
        # Named after the section that holds the stray stretch's middle (chainage 0 is
        # the clipped line's start, as for the sections).
        mid_m = 0.5 * (from_m + to_m) - line.project(Point(sections[0].geometry.coords[0]))
        holder = next(
            (s for s in sections if s.from_chainage_m <= mid_m <= s.to_chainage_m), sections[-1]
        )
        lon, lat = proj.wgs(farthest).coords[0]
        notes.warn(
            f"{holder.id}: the mapped river runs outside Putuo for {to_m - from_m:.0f} m (up "
            f"to {off_m:.0f} m off the converted district border); kept as a border reach",
            where_lonlat=(lon, lat),
            how_much_m=off_m,
        )
    _warn_border_disagreement(sections, putuo_m, notes=notes, proj=proj)
    return sections


def _cut_runs(
    runs: list[derive.SideRun], spans: Sequence[tuple[float, float]]
) -> list[derive.SideRun]:
    """Runs cut where a kept span starts or ends (a kept stretch is its own section)."""
    cuts = sorted({c for span in spans for c in span})
    out: list[derive.SideRun] = []
    for r in runs:
        inner = [c for c in cuts if r.from_m + 1e-6 < c < r.to_m - 1e-6]
        bounds = [r.from_m, *inner, r.to_m]
        out += [derive.SideRun(a, b, r.banks) for a, b in pairwise(bounds)]
    return out


def _join_equal(runs: list[derive.SideRun]) -> list[derive.SideRun]:
    out: list[derive.SideRun] = []
    for r in runs:
        if out and out[-1].banks == r.banks:
            out[-1] = derive.SideRun(out[-1].from_m, r.to_m, r.banks)
        else:
            out.append(r)
    return out


def _merge_runs(runs: list[derive.SideRun]) -> list[derive.SideRun]:
    """Runs shorter than ``MIN_SECTION_M`` (a sliver at a cut) joined to a neighbour
    of the same kind, preferring the longer one."""
    out = list(runs)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for i, r in enumerate(out):
            if r.to_m - r.from_m >= MIN_SECTION_M:
                continue
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(out) and out[j].banks == r.banks]
            if not near:
                continue
            j = max(near, key=lambda k: out[k].to_m - out[k].from_m)
            a, b = min(i, j), max(i, j)
            merged = derive.SideRun(out[a].from_m, out[b].to_m, out[j].banks)
            out[a : b + 1] = [merged]
            changed = True
            break
    return out


def _is_kept(run: derive.SideRun, spans: Sequence[tuple[float, float]]) -> bool:
    mid = 0.5 * (run.from_m + run.to_m)
    return any(a <= mid <= b for a, b in spans)


def _match_by_rank(
    where: float, kind: str, old: list[Feature], used: set[str], old_total: float
) -> dict[str, Any] | None:
    """The unused old section of the same kind at about the same relative position
    along the creek (within 15 %): a section whose course moved far keeps its id."""
    best: tuple[float, dict[str, Any]] | None = None
    for props, _ in old:
        if props.get("section") != kind or props["id"] in used:
            continue
        mid = 0.5 * (float(props["from_chainage_m"]) + float(props["to_chainage_m"]))
        gap = abs(mid / old_total - where)
        if gap <= 0.15 and (best is None or gap < best[0]):
            best = (gap, props)
    return None if best is None else best[1]


def _warn_border_disagreement(
    sections: Sequence[CreekSection], putuo_m: Any, *, notes: _Notes, proj: Projector
) -> None:
    """A border reach from OSM that does not sit on the district border: a warning."""
    border = putuo_m.boundary
    for s in sections:
        if s.section != "border" or s.osm_id is None:
            continue
        points = [s.geometry.interpolate(float(d)) for d in np.arange(0.0, s.geometry.length, 20.0)]
        if not points:
            continue
        off = np.array([border.distance(p) for p in points])
        p90 = float(np.percentile(off, 90))
        if p90 > DISAGREE_M:
            worst = points[int(np.argmax(off))]
            lon, lat = proj.wgs(worst).coords[0]
            notes.warn(
                f"{s.id}: the mapped river runs {p90:.0f} m (p90; up to {off.max():.0f} m) off "
                "the converted district border it is meant to follow",
                where_lonlat=(lon, lat),
                how_much_m=float(off.max()),
            )


def _match_section(
    geom: LineString, kind: str, old: list[Feature], used: set[str]
) -> dict[str, Any] | None:
    """The old section of the same kind that the new one mostly runs along (within 250 m)."""
    best: tuple[float, dict[str, Any]] | None = None
    for props, old_geom in old:
        if props.get("section") != kind or props["id"] in used:
            continue
        share = geom.intersection(old_geom.buffer(250.0)).length / geom.length
        if share >= 0.5 and (best is None or share > best[0]):
            best = (share, props)
    return None if best is None else best[1]


# -------------------------------------------------------------------------- route


@dataclass(frozen=True)
class _BankEvidence:
    paths: list[LineString]  # mapped foot-path segments kept as bank candidates
    path_refs: list[str]
    water: Any


def _parallel_segments(
    ways: Any, refs: Sequence[str], centre: LineString
) -> tuple[list[LineString], list[str]]:
    """Segments of foot ways within ``FOOTWAY_SEARCH_M`` of the centreline, roughly parallel."""
    kept: list[LineString] = []
    kept_refs: list[str] = []
    max_sin = math.sin(math.radians(MAX_ANGLE_DEG))
    for geom, ref in zip(ways, refs, strict=True):
        for line in getattr(geom, "geoms", [geom]):
            xy = np.asarray(line.coords)[:, :2]
            for a, b in pairwise(xy):
                seg = LineString([a, b])
                if seg.length == 0 or seg.distance(centre) > FOOTWAY_SEARCH_M:
                    continue
                s = centre.project(seg.interpolate(0.5, normalized=True))
                p = centre.interpolate(max(s - 5.0, 0.0))
                q = centre.interpolate(min(s + 5.0, centre.length))
                d = np.array([q.x - p.x, q.y - p.y])
                if not np.any(d):
                    continue
                u = (b - a) / np.hypot(*(b - a))
                v = d / np.hypot(*d)
                if abs(u[0] * v[1] - u[1] * v[0]) <= max_sin:
                    kept.append(seg)
                    kept_refs.append(ref)
    return kept, kept_refs


def bank_line_from(evidence: _BankEvidence, *, half_width_m: float = HALF_WIDTH_M) -> Any:
    """The ``bank_line`` hook for :func:`route_pieces`.

    Per sample: the mapped path, else the water edge, else the offset rule.
    """
    paths = shapely.MultiLineString(evidence.paths) if evidence.paths else None
    edge = evidence.water.boundary if evidence.water is not None else None

    def first_hit(probe: LineString, target: Any, c: Point) -> tuple[float, float] | None:
        if target is None:
            return None
        hit = shapely.intersection(probe, target)
        if hit.is_empty:
            return None
        pts = shapely.get_coordinates(hit)
        d = np.hypot(pts[:, 0] - c.x, pts[:, 1] - c.y)
        d[d < MIN_BANK_M] = np.inf  # a probe running along an edge touches the centre
        if not np.isfinite(d).any():
            return None
        i = int(np.argmin(d))
        return float(pts[i, 0]), float(pts[i, 1])

    def bank_line(run_line: LineString, bank: derive.Bank) -> LineString:
        # The offset curve (round joins) is the fallback: unlike per-sample
        # perpendiculars it never folds back on the inner side of a tight bend.
        offset = derive.bank_path(run_line, bank=bank, offset_m=half_width_m)
        n = max(int(np.ceil(run_line.length / SAMPLE_STEP_M)), 1)
        coords: list[tuple[float, float]] = []
        last_along = -1.0
        for s in np.linspace(0.0, run_line.length, n + 1):
            c = run_line.interpolate(float(s))
            far_l, far_r = derive.perpendicular_points(
                run_line, float(s), half_width_m=FOOTWAY_SEARCH_M
            )
            probe = LineString([(c.x, c.y), far_l if bank == "left" else far_r])
            xy = first_hit(probe, paths, c) or first_hit(probe, edge, c)
            if xy is None:
                near = offset.interpolate(offset.project(c))
                xy = (near.x, near.y)
            along = run_line.project(Point(xy))
            if along < last_along:  # would step backwards along the creek
                continue
            last_along = along
            if not coords or coords[-1] != xy:
                coords.append(xy)
        return LineString(coords)

    return bank_line


def _piece_provenance(piece: RoutePiece, evidence: _BankEvidence) -> tuple[dict[str, float], str]:
    """Shares of a piece's length along mapped paths / the water edge / the offset rule."""
    parts = list(derive.even_positions(piece.geometry.length, 50))
    counts = {"mapped": 0, "outline": 0, "offset": 0}
    refs: set[str] = set()
    edge = evidence.water.boundary if evidence.water is not None else None
    for s in parts:
        p = piece.geometry.interpolate(float(s))
        near = [
            r
            for g, r in zip(evidence.paths, evidence.path_refs, strict=True)
            if g.distance(p) < 0.5
        ]
        if near:
            counts["mapped"] += 1
            refs.update(near)
        elif edge is not None and edge.distance(p) < 0.5:
            counts["outline"] += 1
        else:
            counts["offset"] += 1
    shares = {k: v / len(parts) for k, v in counts.items()}
    return shares, ";".join(sorted(refs))


# -------------------------------------------------------------------------- bridges


@dataclass
class _Crossing:
    chainage_m: float
    refs: list[str]
    names_en: list[str | None]
    names_zh: list[str | None]
    crossings: list[str]
    walkable: list[bool]
    keys: set[str]

    def name_keys(self) -> set[str]:
        return self.keys

    def kind(self) -> str:
        for k in ("road", "metro", "rail", "pedestrian"):
            if k in self.crossings:
                return k
        return "road"


def _family(kind: str) -> str:
    return "rail" if kind in ("rail", "metro") else "street"


def find_crossings(extract: osm.Extract, centre: LineString) -> list[_Crossing]:
    """Bridge ways that cross the centreline, grouped one group per bridge (by chainage)."""
    ways = osm.bridge_ways(extract)
    hits: list[tuple[float, Any]] = []
    for _, row in ways.iterrows():
        hit = shapely.intersection(row.geometry, centre)
        if hit.is_empty:
            continue
        pts = shapely.get_coordinates(hit)
        chain = float(np.mean(_along_m(centre, [Point(p) for p in pts])))
        hits.append((chain, row))
    hits.sort(key=lambda h: h[0])
    groups: list[_Crossing] = []
    for chain, row in hits:
        en, zh = osm.display_names(row)
        keys = osm.names_of(row)
        fam = _family(row["crossing"])
        target = None
        for g in groups:
            close = abs(np.mean([g.chainage_m]) - chain) <= BRIDGE_GROUP_M
            same_name = not keys or not g.keys or bool(keys & g.keys)
            if close and same_name and _family(g.kind()) == fam:
                target = g
        if target is None:
            groups.append(_Crossing(chain, [], [], [], [], [], set()))
            target = groups[-1]
        n = len(target.refs)
        target.chainage_m = (target.chainage_m * n + chain) / (n + 1) if n else chain
        target.refs.append(row["osm_ref"])
        target.names_en.append(en)
        target.names_zh.append(zh)
        target.crossings.append(row["crossing"])
        target.walkable.append(bool(row["walkable"]))
        target.keys |= keys
    return groups


class _ChainageMap:
    """Old creek chainage -> new, by relative position along the section of the same id.

    Used for features that end up far from the rebuilt creek (its course moved
    hundreds of metres): they keep their place along their reach instead of
    crowding at the nearest point.
    """

    def __init__(self, old_creek: list[Feature], sections: Sequence[CreekSection]) -> None:
        self.old = [
            (str(p["id"]), float(p["from_chainage_m"]), float(p["to_chainage_m"]))
            for p, _ in old_creek
        ]
        self.old_centre = _old_centre(old_creek)
        self.new = {s.id: (s.from_chainage_m, s.to_chainage_m) for s in sections}
        self.centre = derive.join_lines([s.geometry for s in sections])

    def __call__(self, old_xy: Any) -> float | None:
        """The new chainage for an old feature (its point projected on the old creek)."""
        old_chainage_m = float(_along_m(self.old_centre, [old_xy.centroid])[0])
        for sid, a, b in self.old:
            if a <= old_chainage_m <= b and sid in self.new and b > a:
                c, d = self.new[sid]
                return c + (old_chainage_m - a) / (b - a) * (d - c)
        return None


def _section_at(sections: Sequence[CreekSection], chainage_m: float) -> CreekSection:
    for s in sections:
        if s.from_chainage_m <= chainage_m <= s.to_chainage_m:
            return s
    return sections[0] if chainage_m < sections[0].from_chainage_m else sections[-1]


def build_bridges(
    crossings: list[_Crossing],
    old: list[Feature],
    sections: list[CreekSection],
    pieces: list[RoutePiece],
    *,
    extract_name: str,
    notes: _Notes,
    chainage_map: _ChainageMap | None = None,
) -> list[Feature]:
    """New bridge features: OSM crossings (matched to old bridges) plus old ones not in OSM.

    An old bridge farther than :data:`FAR_MOVE_M` from the new creek keeps its
    relative place along its section (``chainage_map``), not the nearest point.
    """
    centre = derive.join_lines([s.geometry for s in sections])
    along = _along_m(centre, [g.centroid for _, g in old])
    old_chain = {p["id"]: float(a) for (p, _), a in zip(old, along, strict=True)}
    old_off = {p["id"]: centre.distance(g.centroid) for p, g in old}
    far: set[str] = set()
    for props, geom in old:
        mapped = chainage_map(geom) if chainage_map is not None else None
        if old_off[props["id"]] > FAR_MOVE_M and mapped is not None:
            old_chain[props["id"]] = mapped
            far.add(props["id"])
    used: set[str] = set()
    out: list[tuple[float, Feature]] = []
    for c in crossings:
        match = None
        for props, _ in old:  # by name first
            keys = {osm.normalise_name(props["name_en"]), osm.normalise_name(props["name_zh"])}
            if props["id"] not in used and c.keys & keys:
                match = props
                break
        if match is None:  # then the nearest unnamed-compatible old bridge
            near = [
                (abs(old_chain[p["id"]] - c.chainage_m), p)
                for p, _ in old
                if p["id"] not in used
                and _family(p["crossing"]) == _family(c.kind())
                and abs(old_chain[p["id"]] - c.chainage_m) <= BRIDGE_MATCH_M
            ]
            match = min(near, key=lambda t: t[0])[1] if near else None
        en = osm.most_common(c.names_en)
        zh = osm.most_common(c.names_zh)
        if match is not None:
            used.add(match["id"])
            fid = match["id"]
            name_en = en or match["name_en"]
            name_zh = zh or match["name_zh"]
            joins, opened = match.get("joins"), match.get("opened")
        else:
            fid = "br-osm-" + c.refs[0].split("/")[1]
            name_en = en or zh or f"Bridge ({c.refs[0]})"
            name_zh = zh or en or f"桥（{c.refs[0]}）"
            joins, opened = None, None
        section = _section_at(sections, c.chainage_m)
        anchor = centre.interpolate(c.chainage_m)
        chainage_m, geom = place_crossing((anchor.x, anchor.y), section, sections, pieces)
        kind = c.kind()
        record = {
            "id": fid,
            "name_en": name_en,
            "name_zh": name_zh,
            "status": "confirmed",
            "source": (
                f"{osm.OSM_SOURCE}, extract {extract_name}: bridge way(s) "
                f"{', '.join(c.refs)} crossing the creek; drawn bank to bank across the "
                "centreline at that chainage"
            ),
            "accuracy_m": ACCURACY_M["bridge"],
            "crossing": kind,
            "chainage_m": round(chainage_m, 1),
            "walkable": kind not in ("rail", "metro") and any(c.walkable),
            "joins": joins,
            "opened": opened,
            "osm_id": ";".join(c.refs),
        }
        out.append((chainage_m, (record, geom)))
    for props, _ in old:
        if props["id"] in used:
            continue
        if old_off[props["id"]] > FAR_MOVE_M and props["id"] not in far:
            notes.add(f"bridges: {props['id']} lies off the new creek and was dropped.")
            continue
        section = _section_at(sections, old_chain[props["id"]])
        anchor = centre.interpolate(old_chain[props["id"]])
        chainage_m, geom = place_crossing((anchor.x, anchor.y), section, sections, pieces)
        record = {**props, "chainage_m": round(chainage_m, 1), "osm_id": None}
        if props["id"] in far:
            # Its old place was on a course the extract moved far away: only its
            # order along the reach survives, so it is indicative, as doubtful as
            # the move was large.
            record["status"] = "indicative"
            record["accuracy_m"] = round(max(float(props["accuracy_m"]), old_off[props["id"]]))
            lon, lat = Projector.make().wgs(geom.centroid).coords[0]
            notes.warn(
                f"bridges: {props['id']} ({props['name_en']}) is not in the extract and its old "
                f"place is {old_off[props['id']]:.0f} m off the new creek; re-placed at the same "
                "relative position along its section (indicative)",
                where_lonlat=(lon, lat),
                how_much_m=old_off[props["id"]],
            )
        else:
            notes.add(
                f"bridges: {props['id']} ({props['name_en']}) is not in the extract; kept, "
                "re-placed on the new creek at its old position."
            )
        out.append((chainage_m, (record, geom)))
    out.sort(key=lambda t: t[0])
    return [f for _, f in out]


def _warn_paths_short_of_bridges(
    bridges: list[Feature],
    paths: list[LineString],
    creek: LineString,
    *,
    notes: _Notes,
    proj: Projector,
) -> None:
    """A mapped bank path that stops short of a bridge end: a warning with the gap.

    The route still reaches the bridge (the bank line falls back on the water
    edge or the offset rule there); the warning says where the map has a gap.
    """
    if not paths:
        return
    mapped = shapely.MultiLineString(paths)
    for props, geom in bridges:
        if not props.get("osm_id") or not props.get("walkable"):
            continue
        for bank in derive.BANKS:
            end = Point(crossing_end(geom, bank))
            nearest = shapely.ops.nearest_points(mapped, end)[0]
            if LineString([end, nearest]).intersects(creek):
                continue  # the nearest mapped path is across the water: not this bank's
            gap_m = float(nearest.distance(end))
            if DISAGREE_M / 4 < gap_m <= FOOTWAY_SEARCH_M * 2:
                lon, lat = proj.wgs(end).coords[0]
                notes.warn(
                    f"bridges: the mapped {bank}-bank path stops {gap_m:.0f} m short of "
                    f"{props['id']} ({props['name_en']}); the route bridges the gap by rule",
                    where_lonlat=(lon, lat),
                    how_much_m=gap_m,
                )


# ---------------------------------------------------------------- stations and sites


def _bridge_end_of(xy: Point, old_bridges: list[Feature]) -> tuple[str, derive.Bank] | None:
    for props, geom in old_bridges:
        if not isinstance(geom, LineString):
            continue
        for bank in derive.BANKS:
            if xy.distance(Point(crossing_end(geom, bank))) <= AT_BRIDGE_END_M:
                return props["id"], bank
    return None


def snap_stations(
    old: list[Feature],
    pieces: list[RoutePiece],
    old_bridges: list[Feature],
    new_bridges: list[Feature],
    *,
    chainage_map: _ChainageMap | None = None,
) -> list[Feature]:
    """Stations moved onto the new route: a bridge-end station to the new bridge end,
    the others to their bank (any bank where theirs has no path) at the same relative
    place along their section (``chainage_map``: the section of the same id), so a
    course that moved far does not crowd them at its point nearest the old one;
    without a matching section, to the nearest point of their bank."""
    new_by_id = {p["id"]: g for p, g in new_bridges}
    out: list[Feature] = []
    for props, geom in old:
        bank = props["bank"]
        end = _bridge_end_of(geom, old_bridges)
        target = (geom.x, geom.y)
        if chainage_map is not None:
            mapped = chainage_map(geom)
            if mapped is not None:
                on_creek = chainage_map.centre.interpolate(mapped)
                target = (on_creek.x, on_creek.y)
        if end is not None and end[0] in new_by_id:
            bank = end[1]
            target = crossing_end(new_by_id[end[0]], bank)
        candidates = [p for p in pieces if p.bank == bank] or list(pieces)
        candidates.sort(key=lambda p: p.section.from_chainage_m)
        piece, xy, chainage_m = snap_to_bank(target, candidates)
        note = " Snapped to the route rebuilt from OpenStreetMap (import-osm)."
        source = props["source"] if props["source"].endswith(note) else props["source"] + note
        record = {**props, "source": source, "bank": piece.bank, "chainage_m": round(chainage_m, 1)}
        out.append((record, Point(xy)))
    return out


def match_sites(
    old: list[Feature],
    extract: osm.Extract,
    putuo_m: Any,
    old_bridges: list[Feature],
    new_bridges: list[Feature],
    *,
    extract_name: str,
    notes: _Notes,
) -> list[Feature]:
    """Existing sites moved to the OSM feature of the same name (nearest one), or to their
    bridge's new end; every other site is kept and listed in the notes."""
    named = osm.named_features(extract)
    keys = [osm.names_of(r) for _, r in named.iterrows()]
    new_by_id = {p["id"]: g for p, g in new_bridges}
    out: list[Feature] = []
    for props, geom in old:
        wanted = {osm.normalise_name(props["name_en"]), osm.normalise_name(props["name_zh"])}
        hits = [i for i, k in enumerate(keys) if k & wanted]
        best = min(hits, key=lambda i: named.geometry.iloc[i].distance(geom), default=None)
        if best is not None:
            feature = named.iloc[best]
            target = feature.geometry
            point = target if isinstance(target, Point) else target.representative_point()
            moved_m = point.distance(geom)
            if moved_m > SITE_MAX_MOVE_M:
                notes.add(
                    f"sites: {props['id']} matches {feature['osm_ref']} by name but it is "
                    f"{moved_m:.0f} m away; not moved."
                )
            elif not putuo_m.buffer(30.0).contains(point):
                notes.add(
                    f"sites: {props['id']} matches {feature['osm_ref']} outside Putuo; not moved."
                )
            else:
                size_m = 0.0 if isinstance(target, Point) else math.sqrt(target.area) / 2
                record = {
                    **props,
                    "status": "confirmed",
                    "source": (
                        f"{osm.OSM_SOURCE}, extract {extract_name}: {feature['osm_ref']} "
                        "(matched by name)"
                        + ("" if isinstance(target, Point) else ", a point inside the outline")
                    ),
                    "accuracy_m": round(max(ACCURACY_M["node"], size_m), 0),
                    "osm_id": feature["osm_ref"],
                }
                out.append((record, point))
                continue
        end = _bridge_end_of(geom, old_bridges)
        if end is not None and end[0] in new_by_id:
            out.append(({**props, "osm_id": None}, Point(crossing_end(new_by_id[end[0]], end[1]))))
            continue
        notes.add(f"sites: {props['id']} ({props['name_en']}) not found in the extract; kept.")
        out.append(({**props, "osm_id": None}, geom))
    return out


def match_parks(
    old: list[Feature], extract: osm.Extract, putuo_m: Any, *, extract_name: str, notes: _Notes
) -> list[Feature]:
    """Existing parks take the outline of the ``leisure=park`` areas of the same name nearby."""
    found = osm.parks(extract)
    keys = [osm.names_of(r) for _, r in found.iterrows()]
    out: list[Feature] = []
    for props, geom in old:
        wanted = {osm.normalise_name(props["name_en"]), osm.normalise_name(props["name_zh"])}
        hits = [
            i
            for i, k in enumerate(keys)
            if k & wanted and found.geometry.iloc[i].distance(geom) <= SITE_MAX_MOVE_M
        ]
        outline = (
            shapely.union_all([found.geometry.iloc[i] for i in hits]).intersection(putuo_m)
            if hits
            else None
        )
        if outline is None or outline.is_empty or outline.area == 0:
            notes.add(f"parks: {props['id']} ({props['name_en']}) not found in the extract; kept.")
            out.append(({**props, "osm_id": None}, geom))
            continue
        outline = shapely.make_valid(outline)
        if isinstance(outline, shapely.GeometryCollection):
            outline = shapely.union_all([g for g in outline.geoms if g.area > 0])
        refs = ";".join(sorted(found["osm_ref"].iloc[hits]))
        record = {
            **props,
            "status": "confirmed",
            "source": (
                f"{osm.OSM_SOURCE}, extract {extract_name}: leisure=park {refs} "
                "(matched by name), clipped to Putuo"
            ),
            "accuracy_m": ACCURACY_M["park"],
            "outline": "mapped",
            "osm_id": refs,
        }
        out.append((record, shapely.normalize(outline)))
    return out


# ------------------------------------------------------------------------- package


def attributed_package(
    package: dict[str, Any], osm_layers: Sequence[str], extract_name: str
) -> dict[str, Any]:
    """The data package with the ODbL attribution on every layer that now holds OSM data."""
    out = copy.deepcopy(package)
    if ODBL_NOTICE not in out.get("description", ""):
        out["description"] = f"{out.get('description', '')} {ODBL_NOTICE}".strip()
    for res in out["resources"]:
        if res["name"] not in osm_layers:
            continue
        sources = res.setdefault("sources", [])  # Frictionless: {"title": ...} objects
        entry = {"title": f"{osm.OSM_SOURCE}, extract {extract_name} (putuo-geo import-osm)"}
        if entry not in sources:
            sources.append(entry)
        licences = res.setdefault("licenses", [])
        if not any(lic.get("name") == ODBL["name"] for lic in licences):
            licences.append(dict(ODBL))
    return out


# ---------------------------------------------------------------------------- main


def import_osm(
    extract_path: str | Path,
    *,
    data_dir: str | Path | None = None,
    out_dir: str | Path,
) -> dict[str, Any]:
    """Rebuild a data folder from an OpenStreetMap extract; return the change report.

    Parameters
    ----------
    extract_path
        The ``.osm`` or ``.osm.pbf`` extract (must cover Putuo and hold the creek).
    data_dir
        The data folder to start from (``None``: ``$PUTUO_GEO_DATA``, else ``geo/``).
    out_dir
        Where to write the new folder; may be ``data_dir`` itself (in place).
        The layers are built and validated in a temporary folder first, so a
        failed import writes nothing.

    Returns
    -------
    dict
        The change report (also written to ``<out_dir>/import-osm-report.json``
        and ``.md``).

    Raises
    ------
    ExtractError
        When the extract is unreadable, does not cover Putuo or lacks the creek.
    DataValidationError
        When the data folder, or the rebuilt layers, fail validation.
    """
    folder = config.data_dir(data_dir)
    layers.load_atlas(folder)  # the starting point must be valid
    out = Path(out_dir)
    extract_file = Path(extract_path)
    proj = Projector.make()
    old = {name: _features(folder, name, proj) for name in config.LAYER_NAMES}
    putuo_m = old["boundary"][0][1]
    margin = shapely.box(*putuo_m.buffer(2 * CLIP_MARGIN_M).bounds)
    w, s, e, n = (float(v) for v in proj.wgs(margin).bounds)
    extract = osm.read_extract(extract_file, bbox_lonlat=(w, s, e, n))
    extent = extract.extent_m()
    if extent.is_empty or not extent.intersects(putuo_m):
        w, s, e, n = proj.wgs(putuo_m).bounds
        msg = (
            f"{extract_file}: the extract does not cover Putuo (no feature within "
            f"lon {w:.4f}..{e:.4f}, lat {s:.4f}..{n:.4f})."
        )
        raise ExtractError(msg)
    notes = _Notes()
    coverage = float(extent.intersection(putuo_m).area / putuo_m.area)
    if coverage < 0.99:
        notes.add(
            f"extract: covers {coverage:.0%} of Putuo; parks and sites outside it are kept "
            "as they were."
        )
    name = extract_file.name

    old_centre = _old_centre(old["creek"])
    centre = creek_centreline(extract, putuo_m, old_centre)
    spliced, kept_spans = splice_partial(centre.line, old_centre, extent, notes=notes, proj=proj)
    centre = dataclasses.replace(centre, line=spliced)
    sections = creek_sections(
        centre,
        putuo_m,
        old["creek"],
        extract_name=name,
        kept_spans=kept_spans,
        notes=notes,
        proj=proj,
    )
    chainage_map = _ChainageMap(old["creek"], sections)
    creek_line = derive.join_lines([s.geometry for s in sections])

    foot = osm.foot_paths(extract)
    foot = foot[foot.intersects(putuo_m.buffer(CLIP_MARGIN_M))]
    segs, seg_refs = _parallel_segments(list(foot.geometry), list(foot["osm_ref"]), creek_line)
    evidence = _BankEvidence(segs, seg_refs, centre.water)
    try:
        pieces = route_pieces(sections, putuo_m, bank_line=bank_line_from(evidence))
    except ExtractError:
        raise
    except ValueError as exc:  # the extract's creek makes no route (e.g. a closed ring)
        msg = f"{name}: the creek in the extract cannot be turned into the route ({exc})"
        raise ExtractError(msg) from exc

    crossings = find_crossings(extract, creek_line)
    bridges = build_bridges(
        crossings,
        old["bridges"],
        sections,
        pieces,
        extract_name=name,
        notes=notes,
        chainage_map=chainage_map,
    )
    _warn_paths_short_of_bridges(bridges, segs, creek_line, notes=notes, proj=proj)
    stations = snap_stations(
        old["stations"], pieces, old["bridges"], bridges, chainage_map=chainage_map
    )
    sites = match_sites(
        old["sites"], extract, putuo_m, old["bridges"], bridges, extract_name=name, notes=notes
    )
    parks = match_parks(old["parks"], extract, putuo_m, extract_name=name, notes=notes)

    route: list[Feature] = []
    for piece in pieces:
        shares, refs = _piece_provenance(piece, evidence)
        accuracy = sum(shares[k] * ACCURACY_M[k] for k in shares)
        parts = ", ".join(
            f"{shares[k]:.0%} {label}"
            for k, label in (
                (
                    "mapped",
                    "mapped footways/paths within "
                    f"{FOOTWAY_SEARCH_M:.0f} m and within {MAX_ANGLE_DEG:.0f} deg of the creek",
                ),
                ("outline", "the mapped water-area edge"),
                ("offset", f"the creek centreline offset {HALF_WIDTH_M:.0f} m (no path mapped)"),
            )
            if shares[k] > 0
        )
        source = (
            f"{osm.OSM_SOURCE}, extract {name}: Putuo's {piece.bank} bank along "
            f"{piece.section.id}: {parts}"
        )
        if piece.section.osm_id is None:  # a kept section: the bank inherits its doubt
            accuracy = max(accuracy, piece.section.accuracy_m + BANK_EXTRA_M)
            source = (
                f"Offset {HALF_WIDTH_M:.0f} m from the creek centreline ({piece.section.id}, "
                f"kept: outside extract {name}) on Putuo's {piece.bank} bank"
            )
        route.append(
            (
                route_record(
                    piece,
                    pieces,
                    status=piece.section.status,
                    source=source,
                    accuracy_m=round(accuracy, 0),
                    osm_id=refs or piece.section.osm_id,
                    with_osm_id=True,
                ),
                route_geometry(piece),
            )
        )

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".import-osm-") as tmp:
        build = Path(tmp)
        for keep in ("boundary", "zones"):
            shutil.copyfile(folder / f"{keep}.geojson", build / f"{keep}.geojson")
        write_layer(
            creek_records(sections), [s.geometry for s in sections], build / "creek.geojson", proj
        )
        _write(route, build / "route.geojson", proj)
        _write(bridges, build / "bridges.geojson", proj, int_fields=("opened",))
        _write(stations, build / "stations.geojson", proj, int_fields=("number",))
        _write(parks, build / "parks.geojson", proj)
        _write(sites, build / "sites.geojson", proj)
        package = layers.load_schema(folder)
        osm_layers = ["creek", "route", "stations"]  # stations: snapped onto the OSM route
        osm_layers += [
            n
            for n, feats in (("bridges", bridges), ("parks", parks), ("sites", sites))
            if any(p.get("osm_id") for p, _ in feats)
        ]
        package = attributed_package(package, osm_layers, name)
        (build / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        problems = layers.validate_dir(build)
        if problems:
            raise DataValidationError(
                problems,
                summary=f"the atlas rebuilt from {name} is not valid ({len(problems)} problems)",
            )
        report = change_report(folder, build)
        report.update(
            {
                "extract": str(extract_file),
                "data_dir": str(folder),
                "out_dir": str(out),
                "coverage_share": round(coverage, 3),
                "creek": {"method": centre.method, "osm_id": list(centre.osm_refs)},
                "kept_sections": notes.kept_sections,
                "warnings": notes.warnings,
                "notes": notes.lines,
            }
        )
        out.mkdir(parents=True, exist_ok=True)
        for file in build.iterdir():
            shutil.copyfile(file, out / file.name)
    (out / f"{REPORT_NAME}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / f"{REPORT_NAME}.md").write_text(report_markdown(report), encoding="utf-8")
    return report


def _write(
    features: list[Feature], path: Path, proj: Projector, *, int_fields: Sequence[str] = ()
) -> None:
    keys: list[str] = []
    for props, _ in features:
        keys += [k for k in props if k not in keys]
    records = [{k: props.get(k) for k in keys} for props, _ in features]
    write_layer(records, [g for _, g in features], path, proj, int_fields=int_fields)
