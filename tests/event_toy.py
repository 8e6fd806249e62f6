"""Three event editions to check on paper (shared by the page and map tests).

- ``race-a``: a course 2,500 m long, due north in EPSG:32651 from (350000, 3460000);
  km markers at 1 and 2 km, water stations every 1 km (so at 1 and 2 km too);
- ``boat-b``: a two-day venue (1-2 Jun 2024);
- ``fest-c``: a festival venue, 21 Apr 2024 (one day), whose name and source hold markup.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point

from putuo_geo import config

COURSE_M = 2_500.0
X0, Y0 = 350_000.0, 3_460_000.0


def frame() -> gpd.GeoDataFrame:
    metric = gpd.GeoSeries(
        [
            LineString([(X0, Y0), (X0, Y0 + COURSE_M)]),
            Point(X0 + 500, Y0),
            Point(X0 + 900, Y0),
        ],
        crs=config.METRIC_CRS,
    ).to_crs(config.WEB_CRS)
    common = {"status": "indicative", "accuracy_m": 100.0, "places": ""}
    rows = [
        {
            "id": "race-a",
            "name_en": "Race A 2023",
            "name_zh": "A赛2023",
            "kind": "race",
            "start_date": "2023-04-22",
            "end_date": "2023-04-22",
            "source": "Paper A",
            "geometry_kind": "course",
            "along_route_m": COURSE_M,
            "water_stations_every_m": 1_000.0,
            "water_stations_source": "Paper A",
            **common,
        },
        {
            "id": "boat-b",
            "name_en": "Boat B 2024",
            "name_zh": "B龙舟2024",
            "kind": "water_sport",
            "start_date": "2024-06-01",
            "end_date": "2024-06-02",
            "source": "Paper B",
            "geometry_kind": "venue",
            "along_route_m": float("nan"),
            "water_stations_every_m": float("nan"),
            "water_stations_source": None,
            **common,
        },
        {
            "id": "fest-c",
            "name_en": "Fest <b>C</b>",
            "name_zh": "C节",
            "kind": "festival",
            "start_date": "2024-04-21",
            "end_date": "2024-04-21",
            "source": "<script>alert(1)</script> & *Paper* C",
            "geometry_kind": "venue",
            "along_route_m": float("nan"),
            "water_stations_every_m": float("nan"),
            "water_stations_source": None,
            **common,
        },
    ]
    return gpd.GeoDataFrame(rows, geometry=list(metric), crs=config.WEB_CRS)


def row(fid: str) -> tuple[dict, object]:
    """``(properties, geometry)`` of one edition, as ``page.EventView.selected`` holds it."""
    f = frame().set_index("id").loc[fid]
    return {"id": fid, **f.drop(labels="geometry").to_dict()}, f["geometry"]
