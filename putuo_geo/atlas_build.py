"""Building blocks shared by every atlas build: ``make data`` and ``import-osm``.

``scripts/build_data.py`` builds the layers from the sourced tables in
``geo/inputs/``; :mod:`putuo_geo.osm_import` rebuilds them from an
OpenStreetMap extract. Both use the pieces here, so the two builds agree on
how a creek section, a bank path, a bridge crossing and a station on the route
are laid out and written:

- :class:`Projector` and :func:`write_layer`: WGS-84 <-> EPSG:32651 and RFC 7946
  GeoJSON with 6-decimal coordinates;
- :class:`CreekSection` and :func:`creek_records`: the creek layer;
- :func:`route_pieces`, :func:`route_chainage`, :func:`route_record`: the route
  layer, one piece per bank and section, continuing pieces sharing end points;
- :func:`place_crossing`: a bridge drawn bank to bank, its ends route vertices;
- :func:`snap_to_bank`: a station moved onto its bank's path.

Every geometry here is metric (EPSG:32651) until :func:`write_layer`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString
from shapely.ops import substring

from putuo_geo import config, crs, derive

#: Centreline to bank path, metres, where no better bank line is known: the creek
#: is ~40-70 m wide in Putuo (FACTS).
HALF_WIDTH_M = 27.0

BANK_EN = {"left": "Left", "right": "Right"}
BANK_ZH = {"left": "左岸", "right": "右岸"}


# ----------------------------------------------------------------------------- io


@dataclass(frozen=True)
class Projector:
    """WGS-84 (lon, lat) <-> EPSG:32651 (x, y metres) for geometries and single points.

    The package's one transformer pair (:mod:`putuo_geo.crs`) by default; the fields
    stay swappable so a test can project by hand.
    """

    to_metric: Callable[[np.ndarray], np.ndarray] = crs.lonlat_to_metric
    to_wgs: Callable[[np.ndarray], np.ndarray] = crs.metric_to_lonlat

    @classmethod
    def make(cls) -> Projector:
        """The projector between ``config.WEB_CRS`` and ``config.METRIC_CRS`` (:mod:`crs`)."""
        return cls(crs.lonlat_to_metric, crs.metric_to_lonlat)

    def metric(self, geom: Any) -> Any:
        """``geom`` (lon/lat degrees) in metres."""
        return shapely.transform(geom, self.to_metric)

    def wgs(self, geom: Any) -> Any:
        """``geom`` (metres) in lon/lat degrees."""
        return shapely.transform(geom, self.to_wgs)

    def xy(self, lon: float | str, lat: float | str) -> tuple[float, float]:
        """One lon/lat point as metric ``(x, y)``."""
        x, y = self.to_metric(np.array([[float(lon), float(lat)]]))[0]
        return float(x), float(y)


def write_layer(
    records: Sequence[dict[str, Any]],
    geoms_metric: Sequence[Any],
    path: Path,
    proj: Projector,
    *,
    int_fields: Sequence[str] = (),
) -> None:
    """Write features (metric geometries) as RFC 7946 GeoJSON, 6 decimals.

    Properties keep the order of each record's keys; ``int_fields`` are
    written as integers (nullable).
    """
    frame = pd.DataFrame(list(records))
    for name in int_fields:
        frame[name] = frame[name].astype("Int64")
    gdf = gpd.GeoDataFrame(frame, geometry=[proj.wgs(g) for g in geoms_metric], crs=config.WEB_CRS)
    path.unlink(missing_ok=True)
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        RFC7946="YES",
        COORDINATE_PRECISION=6,
        WRITE_NAME="NO",
    )


def round_m(value: float, ndigits: int = 1) -> float:
    """A length or chainage rounded for the files (0.1 m by default)."""
    return round(float(value), ndigits)


# -------------------------------------------------------------------------- creek


@dataclass(frozen=True)
class CreekSection:
    """One reach of the creek centreline with Putuo's bank(s) and chainage (metres)."""

    id: str
    name_en: str
    name_zh: str
    section: str  # "border" (one bank in Putuo) or "inside" (both banks)
    neighbour: str | None
    banks: tuple[derive.Bank, ...]
    geometry: LineString
    from_chainage_m: float
    to_chainage_m: float
    source: str
    status: str
    accuracy_m: float
    osm_id: str | None = None


def creek_records(sections: Sequence[CreekSection]) -> list[dict[str, Any]]:
    """The creek layer's properties, one record per section (``osm_id`` only when set)."""
    records = []
    for s in sections:
        record: dict[str, Any] = {
            "id": s.id,
            "name_en": s.name_en,
            "name_zh": s.name_zh,
            "status": s.status,
            "source": s.source,
            "accuracy_m": s.accuracy_m,
            "section": s.section,
            "neighbour": s.neighbour,
            "from_chainage_m": round_m(s.from_chainage_m),
            "to_chainage_m": round_m(s.to_chainage_m),
        }
        if any(t.osm_id is not None for t in sections):
            record["osm_id"] = s.osm_id
        records.append(record)
    return records


# -------------------------------------------------------------------------- route

#: Builds one bank's path along a run of sections: ``(run_centreline, bank) -> line``.
BankLine = Callable[[LineString, derive.Bank], LineString]


@dataclass
class RoutePiece:
    """One bank path along one creek section; ``extra_xy`` become vertices when written."""

    id: str
    bank: derive.Bank
    section: CreekSection
    geometry: LineString
    extra_xy: list[tuple[float, float]] = field(default_factory=list)


def route_pieces(
    sections: Sequence[CreekSection],
    putuo_m: Any,
    *,
    half_width_m: float = HALF_WIDTH_M,
    bank_line: BankLine | None = None,
) -> list[RoutePiece]:
    """Bank paths on Putuo's side(s), one piece per section; continuing pieces share ends.

    Parameters
    ----------
    sections
        The creek sections in downstream order (metric, EPSG:32651).
    putuo_m
        The district polygon (metric); each bank path is trimmed to it.
    half_width_m
        Where a section boundary cuts the bank path: the point this far from
        the centreline, perpendicular to it.
    bank_line
        Builds one bank's path along the joined centreline of its run of
        sections; default: the centreline offset ``half_width_m`` to that side.

    Raises
    ------
    ValueError
        When a bank's sections are not one continuous run.
    """

    def offset_rule(line: LineString, bank: derive.Bank) -> LineString:
        return derive.bank_path(line, bank=bank, offset_m=half_width_m)

    make_line = bank_line or offset_rule
    centre = derive.join_lines([s.geometry for s in sections])
    pieces: list[RoutePiece] = []
    for bank in derive.BANKS:
        run = [s for s in sections if bank in s.banks]
        if not run:
            continue
        indices = [sections.index(s) for s in run]
        if indices != list(range(indices[0], indices[-1] + 1)):
            msg = f"Putuo's {bank} bank is not one continuous run of sections."
            raise ValueError(msg)
        run_line = derive.join_lines([s.geometry for s in run])
        path = make_line(run_line, bank)
        path = derive.orient_from(_trim_ends(path, putuo_m), path.coords[0])
        cuts = []
        for s in run[:-1]:
            left, right = derive.perpendicular_points(
                centre, s.to_chainage_m, half_width_m=half_width_m
            )
            cuts.append(left if bank == "left" else right)
        for s, geom in zip(run, derive.split_at(path, cuts), strict=True):
            pieces.append(RoutePiece(f"route-{bank}-{s.id.removeprefix('creek-')}", bank, s, geom))
    return pieces


def _trim_ends(path: LineString, area: Any) -> LineString:
    """``path`` from its first to its last point inside ``area``.

    Only the ends are trimmed: a bank path that strays a few metres over a
    rough district border mid-way stays one line.
    """
    inside = shapely.intersection(path, area)
    parts = [g for g in getattr(inside, "geoms", [inside]) if isinstance(g, LineString)]
    parts = [g for g in parts if not g.is_empty]
    if not parts:
        msg = "the bank path lies outside the district."
        raise ValueError(msg)
    if len(parts) == 1:
        return parts[0]
    along = [path.project(shapely.Point(c)) for g in parts for c in (g.coords[0], g.coords[-1])]
    trimmed = substring(path, min(along), max(along))
    if not isinstance(trimmed, LineString):
        msg = "the bank path touches the district at one point only."
        raise ValueError(msg)
    return trimmed


def route_chainage(piece: RoutePiece, pieces: Sequence[RoutePiece]) -> tuple[float, float]:
    """Chainage range of a bank piece: the section's own ends where the piece continues
    another piece of the same bank, else the projection of the (trimmed) end."""
    lo, hi = piece.section.from_chainage_m, piece.section.to_chainage_m
    local = piece.section.geometry
    same_bank = [p for p in pieces if p.bank == piece.bank and p is not piece]
    starts = {p.geometry.coords[0] for p in same_bank}
    ends = {p.geometry.coords[-1] for p in same_bank}
    a = (
        lo
        if piece.geometry.coords[0] in ends
        else lo + derive.chainage_of(piece.geometry.coords[0], local)
    )
    b = (
        hi
        if piece.geometry.coords[-1] in starts
        else lo + derive.chainage_of(piece.geometry.coords[-1], local)
    )
    return float(np.clip(a, lo, hi)), float(np.clip(b, lo, hi))


def route_record(
    piece: RoutePiece,
    pieces: Sequence[RoutePiece],
    *,
    status: str,
    source: str,
    accuracy_m: float,
    osm_id: str | None = None,
    with_osm_id: bool = False,
) -> dict[str, Any]:
    """The route layer's properties for one piece (names from its bank and section)."""
    a, b = route_chainage(piece, pieces)
    s = piece.section
    reach_en = s.name_en.split(": ", 1)[-1]
    record: dict[str, Any] = {
        "id": piece.id,
        "name_en": f"{BANK_EN[piece.bank]}-bank path, {reach_en}",
        "name_zh": f"{s.name_zh}{BANK_ZH[piece.bank]}滨河步道",
        "status": status,
        "source": source,
        "accuracy_m": accuracy_m,
        "bank": piece.bank,
        "section": s.section,
        "from_chainage_m": round_m(a),
        "to_chainage_m": round_m(b),
    }
    if with_osm_id:
        record["osm_id"] = osm_id
    return record


def route_geometry(piece: RoutePiece) -> LineString:
    """The piece's line with every bridge end and station inserted as a vertex."""
    return derive.insert_vertices(piece.geometry, piece.extra_xy)


# ------------------------------------------------------------ bridges and stations


def place_crossing(
    anchor_xy: Sequence[float],
    section: CreekSection,
    sections: Sequence[CreekSection],
    pieces: Sequence[RoutePiece],
    *,
    half_width_m: float = HALF_WIDTH_M,
) -> tuple[float, LineString]:
    """A bridge across ``section`` at the centreline point nearest ``anchor_xy``.

    Drawn bank to bank (left end first): each end lies on that bank's route
    piece where Putuo holds the bank, else on the centreline offset
    ``half_width_m`` (the far bank). The ends on route pieces are registered
    as vertices of those pieces, so the network joins them exactly.

    Returns
    -------
    tuple
        ``(chainage_m, crossing_line)``, metric.
    """
    chainage_m = section.from_chainage_m + derive.chainage_of(anchor_xy, section.geometry)
    centre = derive.join_lines([s.geometry for s in sections])
    ends: list[LineString] = []
    for bank in derive.BANKS:
        piece = next((p for p in pieces if p.bank == bank and p.section.id == section.id), None)
        if piece is not None:
            ends.append(piece.geometry)
        else:
            ends.append(derive.bank_path(centre, bank=bank, offset_m=half_width_m))
    geom = derive.crossing_line(centre, chainage_m, ends)
    for bank, end in zip(derive.BANKS, geom.coords, strict=True):
        for piece in pieces:
            if piece.bank == bank and piece.section.id == section.id:
                piece.extra_xy.append((end[0], end[1]))
    return chainage_m, geom


def crossing_end(crossing: LineString, bank: derive.Bank) -> tuple[float, float]:
    """The ``left`` or ``right`` end of a crossing drawn by :func:`place_crossing`."""
    x, y = crossing.coords[0 if bank == "left" else 1]
    return float(x), float(y)


def snap_to_bank(
    point_xy: Sequence[float], bank_pieces: Sequence[RoutePiece]
) -> tuple[RoutePiece, tuple[float, float], float]:
    """Move a point onto the nearest of one bank's pieces; register it as a vertex.

    Returns
    -------
    tuple
        ``(piece, xy, chainage_m)``: the piece, the metric point on it and the
        creek chainage there (clipped to the piece's section).
    """
    snapped = derive.snap_to_lines(point_xy, [p.geometry for p in bank_pieces])
    piece = bank_pieces[snapped.line_index]
    piece.extra_xy.append(snapped.xy)
    lo, hi = piece.section.from_chainage_m, piece.section.to_chainage_m
    chainage_m = lo + derive.chainage_of(snapped.xy, piece.section.geometry)
    return piece, snapped.xy, float(np.clip(chainage_m, lo, hi))
