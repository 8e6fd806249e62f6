"""A toy district and toy OpenStreetMap extracts whose answers can be checked on paper.

Local metres from ``paper_toy``'s origin (x east, y north), stored as WGS-84:

- the district: ``x 0..3000, y 0..1000`` plus a notch ``x 1000..2000, y -500..0``,
  so a creek along ``y = 0`` is the border for ``x 0..1000`` and ``2000..3000``
  (Putuo holds the north = left bank) and runs inside Putuo for ``x 1000..2000``;
- the old atlas (the data folder): creek 10 m north of the truth (``y = 10``),
  bank paths 27 m off it (``y = 37`` left, ``y = -17`` right in the notch),
  two bridges (Wuning Road at ``x = 1480``, an old footbridge at ``x = 500``),
  a 200 m square park, two sites and three stations (one at a bridge end);
- the extract: the creek along ``y = 0`` from ``x = -1000`` to ``4000`` in two
  ways, a water area ``y -25..25`` for ``x 955..2045``, a footway promenade at
  ``y = 30`` for ``x 100..900`` (plus a perpendicular and a far footway), the
  Wuning Road bridge at ``x = 1500``, a metro bridge at ``x = 2500``, a
  ``bridge=yes`` footway that does not cross the creek, the park 50 m larger
  each side, the Mint museum 50 m east, and an unrelated cafe.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from paper_toy import _collection, _props, lonlat, project_package
from shapely.geometry import LineString, Point, Polygon, box

Way = tuple[dict[str, str], list[tuple[float, float]]]

DISTRICT = Polygon(
    [(0, 0), (1000, 0), (1000, -500), (2000, -500), (2000, 0), (3000, 0), (3000, 1000), (0, 1000)]
)


def write_toy_atlas(folder: Path, *, notch_depth_m: float = 500.0) -> Path:
    """The old atlas (see the module docstring) with its own datapackage.json.

    ``notch_depth_m``: how far south the notch (where the creek runs inside
    Putuo) reaches; deeper notches leave room for a creek moved far south.
    """
    package = project_package()
    district = DISTRICT
    if notch_depth_m != 500.0:
        d = -notch_depth_m
        district = Polygon(
            [(0, 0), (1000, 0), (1000, d), (2000, d), (2000, 0), (3000, 0), (3000, 1000), (0, 1000)]
        )

    def p(layer: str, fid: str, en: str, zh: str, **kw: Any) -> dict[str, Any]:
        return _props(package, layer, id=fid, name_en=en, name_zh=zh, source="toy", **kw)

    sections = [
        ("creek-border-a", "border", "Changning", 0, 1000),
        ("creek-inside", "inside", None, 1000, 2000),
        ("creek-border-b", "border", "Jing'an", 2000, 3000),
    ]
    collections = {
        "boundary": [(p("boundary", "toy-putuo", "Toy Putuo", "玩具普陀"), district)],
        "zones": [
            (p("zones", "one-belt", "One Belt", "一带", zone="one_belt"), box(0, 0, 3000, 300)),
            (
                p("zones", "one-center", "One Center", "一中心", zone="one_center"),
                box(0, 600, 1000, 1000),
            ),
            (
                p("zones", "one-city", "One City", "一城", zone="one_city"),
                box(2000, 600, 3000, 1000),
            ),
        ],
        "parks": [
            (
                p("parks", "park-changfeng", "Changfeng Park", "长风公园", outline="modelled"),
                box(400, 300, 600, 500),
            )
        ],
        "creek": [
            (
                p(
                    "creek",
                    sid,
                    f"Suzhou Creek: reach {sid}",
                    f"苏州河{sid}",
                    section=kind,
                    neighbour=neighbour,
                    from_chainage_m=float(a),
                    to_chainage_m=float(b),
                ),
                LineString([(a, 10), (b, 10)]),
            )
            for sid, kind, neighbour, a, b in sections
        ],
        "route": [
            (
                p(
                    "route",
                    f"route-left-{sid.removeprefix('creek-')}",
                    "Left bank",
                    "左岸",
                    bank="left",
                    section=kind,
                    from_chainage_m=float(a),
                    to_chainage_m=float(b),
                ),
                LineString([(a, 37), (b, 37)]),
            )
            for sid, kind, _, a, b in sections
        ]
        + [
            (
                p(
                    "route",
                    "route-right-inside",
                    "Right bank",
                    "右岸",
                    bank="right",
                    section="inside",
                    from_chainage_m=1000.0,
                    to_chainage_m=2000.0,
                ),
                LineString([(1000, -17), (2000, -17)]),
            )
        ],
        "bridges": [
            (
                p(
                    "bridges",
                    "br-wuning-rd",
                    "Wuning Road Bridge",
                    "武宁路桥",
                    crossing="road",
                    walkable=True,
                    chainage_m=1480.0,
                    opened=1987,
                ),
                LineString([(1480, 37), (1480, -17)]),
            ),
            (
                p(
                    "bridges",
                    "br-old-footbridge",
                    "Old Footbridge",
                    "老人行桥",
                    crossing="pedestrian",
                    walkable=True,
                    chainage_m=500.0,
                ),
                LineString([(500, 37), (500, -17)]),
            ),
        ],
        "sites": [
            (
                p(
                    "sites",
                    "site-mint",
                    "Shanghai Mint Museum",
                    "上海造币博物馆",
                    category="culture_heritage",
                ),
                Point(1200, 300),
            ),
            (
                p("sites", "site-nowhere", "Nowhere Hall", "无处馆", category="landmark"),
                Point(2500, 500),
            ),
        ],
        "stations": [
            (
                p("stations", f"st-0{n}", f"Station {n}", f"驿站{n}", number=n, bank=bank),
                Point(xy),
            )
            for n, bank, xy in (
                (1, "left", (500, 37)),
                (2, "right", (1200, -17)),
                (3, "left", (1480, 37)),
            )
        ],
    }
    toy = copy.deepcopy(package)
    for res in toy["resources"]:
        res.pop("feature_count_min", None)
        res.pop("feature_count", None)
    folder.mkdir(parents=True, exist_ok=True)
    for name, features in collections.items():
        (folder / f"{name}.geojson").write_text(
            json.dumps(_collection(features), ensure_ascii=False), encoding="utf-8"
        )
    (folder / "datapackage.json").write_text(json.dumps(toy, ensure_ascii=False), encoding="utf-8")
    return folder


CREEK_TAGS = {"waterway": "river", "name": "苏州河", "name:en": "Suzhou Creek"}
WATER_TAGS = {"natural": "water", "water": "river", "name": "苏州河"}


def creek_ways() -> list[Way]:
    """The creek along y = 0, drawn downstream (west to east) as two ways."""
    return [
        (CREEK_TAGS, [(-1000, 0), (0, 0), (500, 0), (1500, 0)]),
        (CREEK_TAGS, [(1500, 0), (2500, 0), (3000, 0), (4000, 0)]),
    ]


def toy_ways() -> list[Way]:
    """Everything in the toy extract but the creek itself."""
    return [
        (WATER_TAGS, [(955, -25), (2045, -25), (2045, 25), (955, 25), (955, -25)]),
        (
            {"highway": "footway", "name": "北岸滨河步道", "name:en": "North Promenade"},
            [(100, 30), (500, 30), (900, 30)],
        ),
        ({"highway": "footway"}, [(500, 30), (500, 300)]),
        ({"highway": "footway"}, [(100, 200), (900, 200)]),
        (
            {
                "highway": "primary",
                "bridge": "yes",
                "name": "武宁路桥",
                "name:en": "Wuning Road Bridge",
            },
            [(1500, -40), (1500, 40)],
        ),
        (
            {
                "railway": "subway",
                "bridge": "yes",
                "name": "轨道交通3号线桥",
                "name:en": "Metro Line 3 Bridge",
            },
            [(2500, -40), (2500, 40)],
        ),
        (
            {"highway": "footway", "bridge": "yes", "name": "Side Canal Bridge"},
            [(600, 200), (700, 200)],
        ),
        (
            {"leisure": "park", "name": "长风公园", "name:en": "Changfeng Park"},
            [(350, 250), (650, 250), (650, 550), (350, 550), (350, 250)],
        ),
    ]


def toy_nodes() -> list[tuple[dict[str, str], tuple[float, float]]]:
    return [
        (
            {"tourism": "museum", "name": "上海造币博物馆", "name:en": "Shanghai Mint Museum"},
            (1250, 300),
        ),
        ({"amenity": "cafe", "name": "Random Cafe"}, (800, 800)),
    ]


def osm_xml(
    ways: list[Way],
    nodes: list[tuple[dict[str, str], tuple[float, float]]] = (),  # type: ignore[assignment]
    *,
    shift_x_m: float = 0.0,
) -> str:
    """OSM XML for the given ways and tagged nodes (local metres), ids from 1.

    Written as text by hand because it is the test's input, not something the
    project parses: the importer reads it with GDAL.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="osm_toy">']
    ids: dict[tuple[float, float], int] = {}
    body: list[str] = []

    def node(xy: tuple[float, float], tags: dict[str, str] | None = None) -> int:
        if tags is None and xy in ids:
            return ids[xy]
        nid = len(ids) + 1 + len(body)
        lon, lat = lonlat(xy[0] + shift_x_m, xy[1])
        inner = "".join(
            f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in (tags or {}).items()
        )
        lines.append(
            f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">{inner}</node>'
        )
        if tags is None:
            ids[xy] = nid
        else:
            body.append("")
        return nid

    for tags, xy in nodes:
        node(xy, tags)
    way_lines = []
    for i, (tags, coords) in enumerate(ways, start=1):
        refs = "".join(f'<nd ref="{node(c)}"/>' for c in coords)
        inner = "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        way_lines.append(f'  <way id="{1000 + i}" version="1">{refs}{inner}</way>')
    return "\n".join([*lines, *way_lines, "</osm>"]) + "\n"


def write_extract(path: Path, ways: list[Way], nodes: Any = (), *, shift_x_m: float = 0.0) -> Path:
    path.write_text(osm_xml(ways, nodes, shift_x_m=shift_x_m), encoding="utf-8")
    return path
