"""Where am I on the route: the nearest route point, and what comes next either way.

For a position (WGS-84 lon/lat, e.g. from the browser's geolocation) this finds

- the nearest route point (:meth:`putuo_geo.network.RouteNetwork.snap`): its lon/lat,
  the distance to it, its creek chainage and the bank it lies on;
- the next station and the next walkable bridge along that bank in each direction,
  upstream (chainage falling, towards the western entry) and downstream (chainage
  rising, towards the Huangpu), each with its walking distance along the route
  (:meth:`~putuo_geo.network.RouteNetwork.measure`).

"Along the bank" means: a station counts when its own nearest route point is on the
same bank; a bridge counts when one of its ends (or the point, for a Point bridge)
lies within :data:`LANDING_M` of that bank, and its landing is the nearest bank point.
Non-walkable bridges (rail, pipes) are left out: a walker cannot cross there. A
landmark exactly level with the position (same chainage) counts as downstream.

Only the network's public API is used (``snap``, ``measure``); the landmarks of an
atlas are computed once by :func:`landmarks` and can be cached next to the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import shapely

from putuo_geo import config, measures
from putuo_geo.errors import RouteError
from putuo_geo.layers import Atlas
from putuo_geo.network import RouteNetwork

#: A bridge end (or Point bridge) this close to a bank (m, EPSG:32651) lands on it.
LANDING_M = 80.0

Kind = Literal["station", "bridge"]


@dataclass(frozen=True)
class Landmark:
    """A station, or a bridge's landing on one bank, placed on the route."""

    kind: Kind
    id: str
    name_en: str
    name_zh: str
    bank: str | None
    lonlat: tuple[float, float]  # the route point (a bridge's landing), WGS-84
    chainage_m: float


@dataclass(frozen=True)
class Ahead:
    """A landmark seen from a position, with the walk to it."""

    landmark: Landmark
    along_route_m: float  # from the position's route point, on the network


@dataclass(frozen=True)
class WhereAmI:
    """The answer of :func:`where_am_i`.

    Attributes
    ----------
    lonlat
        The position asked about, WGS-84.
    on_route_lonlat
        Its nearest route point, WGS-84.
    distance_m
        Position -> nearest route point, metres (EPSG:32651).
    chainage_m
        Creek chainage of the route point, metres (``None`` without a creek layer).
    bank
        ``bank`` of the route line it lies on (``None`` when the route has none).
    route_id
        Id of that route line.
    upstream_station, downstream_station, upstream_bridge, downstream_bridge
        The next landmark of each kind in each direction along the bank, or ``None``.
    """

    lonlat: tuple[float, float]
    on_route_lonlat: tuple[float, float]
    distance_m: float
    chainage_m: float | None
    bank: str | None
    route_id: str | None
    upstream_station: Ahead | None
    downstream_station: Ahead | None
    upstream_bridge: Ahead | None
    downstream_bridge: Ahead | None


def _bank_of(atlas: Atlas) -> dict[str, str | None]:
    if "bank" not in atlas.route:
        return {str(i): None for i in atlas.route.get("id", [])}
    return {
        str(i): (None if b is None or (isinstance(b, float) and math.isnan(b)) else str(b))
        for i, b in zip(atlas.route["id"], atlas.route["bank"], strict=True)
    }


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def landmarks(network: RouteNetwork, atlas: Atlas) -> tuple[Landmark, ...]:
    """Every station and every walkable bridge landing of ``atlas``, placed on the route.

    A bridge gives one landmark per bank it lands on (two for a crossing, one on a
    border reach where the far bank is another district's). Landmarks without a
    chainage (no creek layer) are left out.
    """
    bank_of = _bank_of(atlas)
    found: list[Landmark] = []
    for row in atlas.stations.itertuples(index=False):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        end = network.snap((geom.x, geom.y))
        if end.chainage_m is None:
            continue
        found.append(
            Landmark(
                "station",
                str(row.id),
                _text(row.name_en),
                _text(row.name_zh),
                bank_of.get(str(end.route_id)),
                end.on_route_lonlat,
                end.chainage_m,
            )
        )
    bridges = atlas.bridges
    if len(bridges) and "walkable" in bridges:
        bridges = bridges[bridges["walkable"].fillna(False).astype(bool)]
    if not len(bridges) or not len(atlas.route):
        return tuple(found)
    route_m = measures.to_metric(atlas.route, name="route")
    bridges_m = measures.to_metric(bridges, name="bridges")
    route_banks = [bank_of.get(str(i)) for i in atlas.route["id"]]
    for bank in dict.fromkeys(route_banks):
        shore = shapely.union_all(
            [g for g, b in zip(route_m, route_banks, strict=True) if b == bank]
        )
        for row, geom in zip(bridges.itertuples(index=False), bridges_m, strict=True):
            if geom is None or geom.is_empty or shapely.distance(geom, shore) > LANDING_M:
                continue
            # The landing is the bank point nearest the bridge (its end on this bank).
            landing = shapely.shortest_line(geom, shore).coords[-1]
            landing_lonlat = (
                gpd.GeoSeries([shapely.Point(landing)], crs=config.METRIC_CRS)
                .to_crs(config.WEB_CRS)
                .iloc[0]
            )
            end = network.snap((landing_lonlat.x, landing_lonlat.y))
            if end.chainage_m is None:
                continue
            found.append(
                Landmark(
                    "bridge",
                    str(row.id),
                    _text(row.name_en),
                    _text(row.name_zh),
                    bank,
                    end.on_route_lonlat,
                    end.chainage_m,
                )
            )
    return tuple(found)


def _next(
    network: RouteNetwork,
    here: tuple[float, float],
    candidates: list[Landmark],
) -> Ahead | None:
    """The first candidate (already in walking order) the network reaches from ``here``."""
    for landmark in candidates:
        try:
            walk = network.measure(here, landmark.lonlat)
        except RouteError:
            continue  # a gap in the bank path: try the next one
        return Ahead(landmark, walk.along_route_m)
    return None


def where_am_i(
    network: RouteNetwork,
    atlas: Atlas,
    lonlat: tuple[float, float],
    *,
    known: tuple[Landmark, ...] | None = None,
) -> WhereAmI:
    """The nearest route point to ``lonlat`` and the next station/bridge either way.

    Parameters
    ----------
    network
        The atlas's route network (:meth:`RouteNetwork.from_atlas`).
    atlas
        The layers (stations, bridges, route banks).
    lonlat
        The position, ``(lon, lat)`` in WGS-84 degrees.
    known
        :func:`landmarks` of ``network`` and ``atlas``, when cached; computed otherwise.

    Returns
    -------
    WhereAmI
        Distances in metres (EPSG:32651); ``along_route_m`` is the walk on the
        network from the nearest route point (the distance to it not included).

    Raises
    ------
    ValueError
        When ``lonlat`` is not a (lon, lat) pair in degrees.
    """
    end = network.snap(lonlat)
    bank = _bank_of(atlas).get(str(end.route_id))
    here = end.on_route_lonlat
    ahead: dict[tuple[Kind, str], Ahead | None] = {}
    marks = known if known is not None else landmarks(network, atlas)
    for kind in ("station", "bridge"):
        same = [m for m in marks if m.kind == kind and m.bank == bank]
        if end.chainage_m is None:
            ahead[kind, "up"] = ahead[kind, "down"] = None
            continue
        ch = end.chainage_m
        down = sorted((m for m in same if m.chainage_m >= ch), key=lambda m: m.chainage_m)
        up = sorted((m for m in same if m.chainage_m < ch), key=lambda m: -m.chainage_m)
        ahead[kind, "up"] = _next(network, here, up)
        ahead[kind, "down"] = _next(network, here, down)
    return WhereAmI(
        lonlat=(float(lonlat[0]), float(lonlat[1])),
        on_route_lonlat=here,
        distance_m=end.offset_m,
        chainage_m=end.chainage_m,
        bank=bank,
        route_id=end.route_id,
        upstream_station=ahead["station", "up"],
        downstream_station=ahead["station", "down"],
        upstream_bridge=ahead["bridge", "up"],
        downstream_bridge=ahead["bridge", "down"],
    )
