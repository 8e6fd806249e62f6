"""What changed between two data folders: features added, removed and moved, per layer.

Used by ``putuo-geo import-osm`` so an operator can review a rebuilt atlas
before committing it. Features are matched by ``id``; a feature *moved* when
its geometry changed by more than :data:`MOVED_MIN_M`: the distance for
points, the Hausdorff distance (the largest deviation) for lines and
polygons. Distances and lengths in metres, measured in EPSG:32651.
"""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd

from putuo_geo import config, crs, layers

#: Geometry changes below this (metres) count as unchanged (6-decimal rounding is ~0.1 m).
MOVED_MIN_M = 0.5


def _metric(name: str, folder: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    frame = layers.load_layer(name, data_dir=folder)
    return frame.set_geometry(crs.to_metric(frame, name=name))


def layer_changes(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> dict[str, Any]:
    """Added and removed ids, moved features (``moved_m``) and the unchanged count.

    Both frames must be in a metric CRS and have an ``id`` column.
    """
    old_by_id = dict(zip(old["id"], old.geometry, strict=True))
    new_by_id = dict(zip(new["id"], new.geometry, strict=True))
    moved = []
    unchanged = 0
    for fid, geom in new_by_id.items():
        if fid not in old_by_id:
            continue
        before = old_by_id[fid]
        if geom.geom_type == "Point" and before.geom_type == "Point":
            distance_m = float(geom.distance(before))
        else:
            distance_m = float(geom.hausdorff_distance(before))
        if distance_m > MOVED_MIN_M:
            moved.append({"id": str(fid), "moved_m": round(distance_m, 1)})
        else:
            unchanged += 1
    return {
        "added": [str(i) for i in new_by_id if i not in old_by_id],
        "removed": [str(i) for i in old_by_id if i not in new_by_id],
        "moved": sorted(moved, key=lambda m: -m["moved_m"]),
        "unchanged": unchanged,
    }


def change_report(
    old_dir: str | os.PathLike[str], new_dir: str | os.PathLike[str]
) -> dict[str, Any]:
    """Per-layer changes and the creek and route lengths (m) before and after.

    Returns
    -------
    dict
        ``{"layers": {name: layer_changes(...)}, "lengths": {"creek_m": {"old", "new"},
        "route_m": {"old", "new"}}}``.
    """
    result: dict[str, Any] = {"layers": {}, "lengths": {}}
    frames = {}
    for name in config.LAYER_NAMES:
        old, new = _metric(name, old_dir), _metric(name, new_dir)
        frames[name] = (old, new)
        result["layers"][name] = layer_changes(old, new)
    for name in ("creek", "route"):
        old, new = frames[name]
        result["lengths"][f"{name}_m"] = {
            "old": round(float(old.length.sum()), 1),
            "new": round(float(new.length.sum()), 1),
        }
    return result


def report_markdown(report: dict[str, Any]) -> str:
    """The change report as Markdown, for the operator to read before committing."""
    out = ["# import-osm change report", ""]
    for key in ("extract", "data_dir", "out_dir"):
        if key in report:
            out.append(f"- {key}: `{report[key]}`")
    if "creek" in report:
        out.append(
            f"- creek from: OSM {report['creek']['method']} ({len(report['creek']['osm_id'])} ids)"
        )
    out.append("")
    out.append("| length | old (km) | new (km) | change (m) |")
    out.append("|---|---:|---:|---:|")
    for key, label in (("creek_m", "creek"), ("route_m", "route")):
        v = report["lengths"][key]
        change_m = v["new"] - v["old"]
        out.append(f"| {label} | {v['old'] / 1000:.3f} | {v['new'] / 1000:.3f} | {change_m:+.1f} |")
    out += ["", "| layer | added | removed | moved | unchanged | largest move (m) |"]
    out.append("|---|---:|---:|---:|---:|---:|")
    for name, c in report["layers"].items():
        largest = f"{c['moved'][0]['moved_m']:.1f}" if c["moved"] else ""
        out.append(
            f"| {name} | {len(c['added'])} | {len(c['removed'])} | {len(c['moved'])} "
            f"| {c['unchanged']} | {largest} |"
        )
    for name, c in report["layers"].items():
        if not (c["added"] or c["removed"] or c["moved"]):
            continue
        out += ["", f"## {name}", ""]
        out += [f"- added `{i}`" for i in c["added"]]
        out += [f"- removed `{i}`" for i in c["removed"]]
        out += [f"- moved `{m['id']}` by {m['moved_m']:.1f} m" for m in c["moved"]]
    if report.get("kept_sections"):
        out += ["", "## Kept sections (outside the extract)", ""]
        out += [f"- `{sid}` kept as it was" for sid in report["kept_sections"]]
    if report.get("warnings"):
        out += ["", "## Warnings", ""]
        out += ["| what | where (lon, lat) | how much (m) |", "|---|---|---:|"]
        for w in report["warnings"]:
            lon, lat = w["where_lonlat"]
            out.append(f"| {w['what']} | {lon:.6f}, {lat:.6f} | {w['how_much_m']:.1f} |")
    if report.get("notes"):
        out += ["", "## Notes", ""]
        out += [f"- {n}" for n in report["notes"]]
    return "\n".join(out) + "\n"
