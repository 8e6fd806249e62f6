"""putuo_geo.changes: added / removed / moved by id, distances on paper (metres)."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point

from putuo_geo import changes, config


def frame(rows: dict[str, object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(rows)}, geometry=list(rows.values()), crs=config.METRIC_CRS)


def test_points_moved_by_their_distance_lines_by_hausdorff():
    old = frame(
        {
            "a": Point(0, 0),
            "b": Point(5, 5),
            "c": LineString([(0, 0), (10, 0)]),
            "gone": Point(1, 1),
        }
    )
    new = frame(
        {
            "a": Point(3, 4),
            "b": Point(5, 5.2),
            "c": LineString([(0, 0), (10, 6)]),
            "new": Point(2, 2),
        }
    )
    result = changes.layer_changes(old, new)
    assert result["added"] == ["new"]
    assert result["removed"] == ["gone"]
    assert result["moved"] == [{"id": "c", "moved_m": 6.0}, {"id": "a", "moved_m": 5.0}]
    assert result["unchanged"] == 1  # b moved 0.2 m, under MOVED_MIN_M (0.5 m)


def test_markdown_names_every_change():
    sites = {"added": ["x"], "removed": [], "moved": [{"id": "y", "moved_m": 2.5}]}
    report = {
        "layers": {"sites": {**sites, "unchanged": 0}},
        "lengths": {
            "creek_m": {"old": 1000.0, "new": 1010.0},
            "route_m": {"old": 2000.0, "new": 1990.0},
        },
        "notes": ["a note"],
    }
    text = changes.report_markdown(report)
    assert "added `x`" in text
    assert "moved `y` by 2.5 m" in text
    assert "| creek | 1.000 | 1.010 | +10.0 |" in text
    assert "| route | 2.000 | 1.990 | -10.0 |" in text
    assert "- a note" in text


def test_markdown_lists_kept_sections_and_warnings_with_where_and_how_much():
    report = {
        "layers": {},
        "lengths": {
            "creek_m": {"old": 1000.0, "new": 1000.0},
            "route_m": {"old": 2000.0, "new": 2000.0},
        },
        "kept_sections": ["creek-border-a"],
        "warnings": [{"what": "creek strays", "where_lonlat": [121.4, 31.25], "how_much_m": 80.04}],
    }
    text = changes.report_markdown(report)
    assert "- `creek-border-a` kept as it was" in text
    assert "| creek strays | 121.400000, 31.250000 | 80.0 |" in text
