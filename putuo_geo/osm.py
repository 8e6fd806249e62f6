"""Read an OpenStreetMap extract and pick out what the atlas needs (tags -> features).

The extract (``.osm`` XML or ``.osm.pbf``) is read by GDAL's OSM driver through
pyogrio; ``osmconf.ini`` next to this module (passed as the driver's
``CONFIG_FILE`` open option, so no process-wide GDAL setting changes) exposes
the tags used here as columns: ``name``, ``name:en``, ``name:zh`` (GDAL names
the columns ``name_en`` and ``name_zh``), ``highway``, ``railway``,
``waterway``, ``bridge``, ``foot``, ``leisure``, ``natural``, ``water`` ...

Everything returned is in EPSG:32651 (metres) with an ``osm_ref`` column in
OpenStreetMap's own ``node/123`` / ``way/123`` / ``relation/123`` form.
This module knows OSM tagging; the geometry of the rebuild lives in
:mod:`putuo_geo.osm_import`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from putuo_geo import config, crs
from putuo_geo.errors import ExtractError

#: Attribution every feature taken from OpenStreetMap carries in ``source``.
OSM_SOURCE = "OpenStreetMap contributors (ODbL)"
#: The GDAL OSM driver configuration shipped with the package.
OSM_CONFIG_FILE = Path(__file__).with_name("osmconf.ini")
#: Names Suzhou Creek goes by in OSM (compared after :func:`normalise_name`).
CREEK_NAMES: tuple[str, ...] = ("苏州河", "Suzhou Creek", "Suzhou River", "吴淞江", "Wusong River")
#: Tag columns every frame has (None where the extract has no such tag).
TAG_COLUMNS: tuple[str, ...] = (
    "name",
    "name_en",
    "name_zh",
    "highway",
    "railway",
    "waterway",
    "bridge",
    "foot",
    "leisure",
    "natural",
    "water",
)
#: ``highway`` values of paths for people on foot, used for bank paths.
FOOT_HIGHWAYS = frozenset({"footway", "path", "pedestrian", "cycleway", "steps", "bridleway"})
#: ``highway`` values walkers may not use.
NO_WALK_HIGHWAYS = frozenset({"motorway", "motorway_link"})
#: ``railway`` values that are metro lines.
METRO_RAILWAYS = frozenset({"subway", "light_rail", "monorail"})


@dataclass(frozen=True)
class Extract:
    """The parts of an OSM extract the atlas uses, metric (EPSG:32651)."""

    path: Path
    points: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame

    def extent_m(self) -> shapely.Geometry:
        """The box around every feature read (metres); empty when nothing was read."""
        frames = [f for f in (self.points, self.lines, self.areas) if len(f)]
        if not frames:
            return shapely.Polygon()
        boxes = [shapely.box(*f.total_bounds) for f in frames]
        return shapely.box(*shapely.union_all(boxes).bounds)


def _read_layer(path: Path, layer: str, bbox_lonlat: tuple[float, ...] | None) -> gpd.GeoDataFrame:
    try:
        frame = pyogrio.read_dataframe(
            path,
            layer=layer,
            bbox=bbox_lonlat,
            CONFIG_FILE=str(OSM_CONFIG_FILE),
        )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"{path}: cannot be read as an OpenStreetMap extract ({exc})."
        raise ExtractError(msg) from exc
    for column in TAG_COLUMNS:
        if column not in frame:
            frame[column] = None
    if layer == "multipolygons":
        relation = frame["osm_id"].notna()
        frame["osm_ref"] = ("relation/" + frame["osm_id"].astype(str)).where(
            relation, "way/" + frame["osm_way_id"].astype(str)
        )
    else:
        kind = "node" if layer == "points" else "way"
        frame["osm_ref"] = kind + "/" + frame["osm_id"].astype(str)
    if frame.crs is None:
        frame = frame.set_crs(config.WEB_CRS)
    kept = frame[frame.geometry.notna()]
    metric = gpd.GeoDataFrame(kept, geometry=crs.to_metric(kept, name=layer), crs=config.METRIC_CRS)
    return metric.reset_index(drop=True)


def read_extract(
    path: str | os.PathLike[str], *, bbox_lonlat: tuple[float, float, float, float] | None = None
) -> Extract:
    """Read the points, lines and areas (multipolygons) of an OSM extract.

    Parameters
    ----------
    path
        A ``.osm`` (XML) or ``.osm.pbf`` file.
    bbox_lonlat
        Keep only features intersecting this ``(west, south, east, north)``
        box, WGS-84 degrees (faster on a whole-city extract).

    Raises
    ------
    ExtractError
        When the file is missing or GDAL cannot read it as OSM data.
    """
    file = Path(path)
    if not file.is_file():
        msg = f"{file}: the extract does not exist."
        raise ExtractError(msg)
    return Extract(
        path=file,
        points=_read_layer(file, "points", bbox_lonlat),
        lines=_read_layer(file, "lines", bbox_lonlat),
        areas=_read_layer(file, "multipolygons", bbox_lonlat),
    )


# ----------------------------------------------------------------------- names


def normalise_name(text: Any) -> str:
    """A name reduced for matching: case-folded, without spaces or punctuation.

    ``"Mengqing Garden"``, ``"mengqing  garden"`` and ``"Mengqing-Garden"`` all
    give ``"mengqinggarden"``; Chinese characters are kept as they are.
    """
    if not isinstance(text, str):
        return ""
    return re.sub(r"[\W_]+", "", text.casefold())


def names_of(row: Any) -> set[str]:
    """The normalised ``name``, ``name:en`` and ``name:zh`` of one feature (non-empty ones)."""
    found = {normalise_name(row.get(k)) for k in ("name", "name_en", "name_zh")}
    return {n for n in found if n}


def display_names(row: Any) -> tuple[str | None, str | None]:
    """``(name_en, name_zh)`` of a feature: ``name:en`` / ``name:zh``, else ``name``
    (filed as Chinese when it contains CJK characters, else as English)."""
    name = row.get("name") if isinstance(row.get("name"), str) else None
    en = row.get("name_en") if isinstance(row.get("name_en"), str) else None
    zh = row.get("name_zh") if isinstance(row.get("name_zh"), str) else None
    if name and re.search(r"[\u4e00-\u9fff]", name):
        zh = zh or name
    elif name:
        en = en or name
    return en, zh


def _is_creek(row: Any) -> bool:
    wanted = {normalise_name(n) for n in CREEK_NAMES}
    return any(any(w in n for w in wanted) for n in names_of(row))


# --------------------------------------------------------------------- selection


def creek_lines(extract: Extract) -> gpd.GeoDataFrame:
    """``waterway=river`` (or ``canal``) ways named as Suzhou Creek."""
    lines = extract.lines
    mask = lines["waterway"].isin(["river", "canal"]) & lines.apply(_is_creek, axis=1)
    return lines[mask].reset_index(drop=True)


def creek_areas(extract: Extract) -> gpd.GeoDataFrame:
    """Water areas named as Suzhou Creek.

    Tagged ``natural=water``, ``water=river`` or (older tagging) ``waterway=riverbank``.
    """
    areas = extract.areas
    water = (
        (areas["natural"] == "water")
        | (areas["water"] == "river")
        | (areas["waterway"] == "riverbank")
    )
    mask = water & areas.apply(_is_creek, axis=1)
    return areas[mask].reset_index(drop=True)


def foot_paths(extract: Extract) -> gpd.GeoDataFrame:
    """Ways people walk on (``highway`` footway, path, pedestrian ...), bridges excluded."""
    lines = extract.lines
    on_bridge = lines["bridge"].notna() & (lines["bridge"] != "no")
    mask = lines["highway"].isin(sorted(FOOT_HIGHWAYS)) & ~on_bridge
    return lines[mask].reset_index(drop=True)


def bridge_ways(extract: Extract) -> gpd.GeoDataFrame:
    """Ways tagged ``bridge`` (any value but ``no``) that carry a highway or a railway,
    with ``crossing`` (road / pedestrian / rail / metro) and ``walkable`` columns."""
    lines = extract.lines
    mask = (
        lines["bridge"].notna()
        & (lines["bridge"] != "no")
        & (lines["highway"].notna() | lines["railway"].notna())
    )
    ways = lines[mask].reset_index(drop=True)
    kinds = [crossing_kind(row) for _, row in ways.iterrows()]
    ways["crossing"] = [k[0] for k in kinds]
    ways["walkable"] = [k[1] for k in kinds]
    return ways


def crossing_kind(row: Any) -> tuple[str, bool]:
    """``(crossing, walkable)`` of a bridge way from its ``railway``/``highway``/``foot`` tags.

    Metro and rail bridges and motorways are not walkable; ``foot=no`` closes
    any other bridge to walkers.
    """
    railway = row.get("railway")
    highway = row.get("highway")
    if isinstance(railway, str) and railway:
        return ("metro" if railway in METRO_RAILWAYS else "rail"), False
    walkable = highway not in NO_WALK_HIGHWAYS and row.get("foot") != "no"
    return ("pedestrian" if highway in FOOT_HIGHWAYS else "road"), bool(walkable)


def parks(extract: Extract) -> gpd.GeoDataFrame:
    """``leisure=park`` areas."""
    areas = extract.areas
    return areas[areas["leisure"] == "park"].reset_index(drop=True)


def named_features(extract: Extract) -> gpd.GeoDataFrame:
    """Every named point and area (candidates for matching existing sites by name)."""
    frames = [
        f[f.apply(lambda r: bool(names_of(r)), axis=1)]
        for f in (extract.points, extract.areas)
        if len(f)
    ]
    if not frames:
        return extract.points.iloc[0:0]
    merged = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=config.METRIC_CRS)


def most_common(values: list[str | None]) -> str | None:
    """The most frequent non-empty value (first seen wins a tie), or None."""
    kept = [v for v in values if v]
    return Counter(kept).most_common(1)[0][0] if kept else None
