"""The walkable route network: bank paths joined by bridges (networkx).

PLACEHOLDER (skeleton): the contract other modules use. A walker moves along
the route's bank LineStrings and crosses the creek only on a walkable bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely


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


@dataclass(frozen=True)
class Measurement:
    """Result of measuring between two places along the route."""

    start: Endpoint
    end: Endpoint
    along_route_m: float  # walking distance on the network (excludes the offsets)
    straight_m: float  # great-circle-equivalent straight line (metric CRS)
    path: shapely.LineString  # WGS-84 lon/lat, start route point -> end route point
    bridges: list[str] = field(default_factory=list)  # bridge ids crossed, in order

    @property
    def total_m(self) -> float:
        """Along-route distance plus both offsets to reach the route."""
        return self.along_route_m + self.start.offset_m + self.end.offset_m
