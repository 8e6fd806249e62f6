"""Every fact the map shows, as a table in the page's language (the map is not the only way in).

Each function returns a plain ``pandas.DataFrame`` whose column headers and enumerated
values come from :mod:`putuo_geo.i18n`, ready for ``st.dataframe``: stations, sites,
bridges, parks and zones with their areas, and the bridges a measurement crosses.
Numbers stay numbers (rounded for display: km to 2 decimals, ha and km² to 2,
coordinates to 6); lengths and areas are measured in EPSG:32651 by
:mod:`putuo_geo.overview`.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from putuo_geo import i18n, overview
from putuo_geo.i18n import Lang, tr
from putuo_geo.layers import Atlas
from putuo_geo.network import Measurement


def _names(frame: pd.DataFrame, lang: Lang) -> dict[str, list[str]]:
    """The name in ``lang`` and the other language's name, as two header -> column items."""
    first, other = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return {
        tr("col.name", lang): [i18n.plain(v) for v in frame[first]],
        tr("col.other_name", lang): [i18n.plain(v) for v in frame[other]],
    }


def _values(series: pd.Series, field: str, lang: Lang) -> list[str]:
    return [i18n.value(field, v, lang) for v in series]


def _lonlat(frame: gpd.GeoDataFrame, lang: Lang) -> dict[str, pd.Series]:
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    return {
        tr("col.lat", lang): pd.Series(shapely.get_y(points), index=frame.index).round(6),
        tr("col.lon", lang): pd.Series(shapely.get_x(points), index=frame.index).round(6),
    }


def _accuracy(series: pd.Series) -> pd.Series:
    return series.astype(float).round().astype("Int64")


def sites(frame: gpd.GeoDataFrame, lang: Lang) -> pd.DataFrame:
    """Sites (sorted by category, then English name): names, category, status, position."""
    order = overview.site_table(frame)["id"]
    rows = frame.set_index("id").loc[order].reset_index()
    rows = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    table = {
        **_names(rows, lang),
        tr("col.category", lang): [i18n.category(c, lang) for c in rows["category"]],
        tr("col.status", lang): _values(rows["status"], "status", lang),
        tr("col.accuracy_m", lang): _accuracy(rows["accuracy_m"]),
        **_lonlat(rows, lang),
        tr("col.source", lang): rows["source"],
    }
    return pd.DataFrame(table)


def stations(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """Stations in route order: number, names, chainage (km), bank, status, position."""
    order = overview.station_table(atlas)["id"]
    rows = atlas.stations.set_index("id").loc[order].reset_index()
    rows = gpd.GeoDataFrame(rows, geometry="geometry", crs=atlas.stations.crs)
    return pd.DataFrame(
        {
            tr("col.number", lang): rows["number"].astype(int),
            **_names(rows, lang),
            tr("col.chainage_km", lang): (rows["chainage_m"].astype(float) / 1000).round(2),
            tr("col.bank", lang): _values(rows["bank"], "bank", lang),
            tr("col.status", lang): _values(rows["status"], "status", lang),
            tr("col.accuracy_m", lang): _accuracy(rows["accuracy_m"]),
            **_lonlat(rows, lang),
        }
    )


def bridges(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """Bridges by creek chainage: names, what they carry, walkable, joins, opened, status."""
    rows = atlas.bridges.sort_values("chainage_m").reset_index(drop=True)
    opened = pd.to_numeric(rows["opened"], errors="coerce").round().astype("Int64")
    return pd.DataFrame(
        {
            **_names(rows, lang),
            tr("col.chainage_km", lang): (rows["chainage_m"].astype(float) / 1000).round(2),
            tr("col.crossing", lang): _values(rows["crossing"], "crossing", lang),
            tr("col.walkable", lang): [
                i18n.value("walkable", bool(v), lang) for v in rows["walkable"]
            ],
            tr("col.joins", lang): rows["joins"],
            tr("col.opened", lang): opened,
            tr("col.status", lang): _values(rows["status"], "status", lang),
            tr("col.accuracy_m", lang): _accuracy(rows["accuracy_m"]),
        }
    )


def _areas(
    frame: gpd.GeoDataFrame, areas_m2: pd.Series, lang: Lang, *, unit: str, per_m2: float
) -> pd.DataFrame:
    published = pd.to_numeric(frame.get("area_published_m2"), errors="coerce")
    return pd.DataFrame(
        {
            **_names(frame, lang),
            tr(f"col.area_{unit}", lang): (areas_m2.to_numpy() / per_m2).round(2),
            tr(f"col.published_area_{unit}", lang): (published.to_numpy() / per_m2).round(2),
            tr("col.status", lang): _values(frame["status"], "status", lang),
        }
    )


def parks(atlas: Atlas, figures: overview.Figures, lang: Lang) -> pd.DataFrame:
    """Parks with their measured area (ha, EPSG:32651) and the published one."""
    return _areas(atlas.parks, figures.park_areas_m2, lang, unit="ha", per_m2=10_000)


def zones(atlas: Atlas, figures: overview.Figures, lang: Lang) -> pd.DataFrame:
    """Zones with their measured area (km², EPSG:32651) and the published one."""
    return _areas(atlas.zones, figures.zone_areas_m2, lang, unit="km2", per_m2=1_000_000)


def crossed_bridges(measurement: Measurement, atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """The bridges a measured path crosses, in the order crossed."""
    by_id = atlas.bridges.set_index("id")
    known = [b for b in measurement.bridges if b in by_id.index]
    rows = by_id.loc[known].reset_index()
    return pd.DataFrame(
        {
            tr("col.order", lang): list(range(1, len(rows) + 1)),
            **_names(rows, lang),
            tr("col.chainage_km", lang): (rows["chainage_m"].astype(float) / 1000).round(2),
        }
    )
