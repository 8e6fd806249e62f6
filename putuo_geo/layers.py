"""Load the atlas layers from a data folder and validate them against ``datapackage.json``.

PLACEHOLDER (skeleton): loads without validation. The library work replaces the
internals; the public names and signatures below are the contract other modules use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from putuo_geo import config


@dataclass(frozen=True)
class Atlas:
    """Every layer of the belt: GeoDataFrames in EPSG:4326, index 0..n-1, with an ``id`` column."""

    data_dir: Path
    boundary: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    creek: gpd.GeoDataFrame
    route: gpd.GeoDataFrame
    bridges: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """The layer called ``name`` (one of ``config.LAYER_NAMES``)."""
        frame: gpd.GeoDataFrame = getattr(self, name)
        return frame


def load_layer(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Read one layer file ``<data_dir>/<name>.geojson`` into EPSG:4326."""
    path = config.data_dir(data_dir) / f"{name}.geojson"
    return gpd.read_file(path, engine="pyogrio")


def load_atlas(data_dir: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate every layer; raise ``DataValidationError`` listing every problem."""
    folder = config.data_dir(data_dir)
    frames = {name: load_layer(name, data_dir=folder) for name in config.LAYER_NAMES}
    return Atlas(data_dir=folder, **frames)
