"""Resolve what a user types (an id, a name, or ``lat,lon``) to one place.

Places are the atlas's stations, sites, bridges and parks. A park stands at its
representative point (always inside the polygon); a LineString bridge at its
midpoint. Names match case-insensitively in English or Chinese: an exact match
first, then a unique substring. Anything ambiguous or unknown raises
:class:`~putuo_geo.errors.PlaceNotFoundError` with suggestions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from putuo_geo import latlon, typedtext
from putuo_geo.errors import PlaceNotFoundError
from putuo_geo.layers import Atlas

#: The layers a place can come from, in the order ties are listed.
PLACE_LAYERS: tuple[str, ...] = ("stations", "sites", "bridges", "parks")


@dataclass(frozen=True)
class Place:
    """A resolved place, ready to become a measurement's endpoint."""

    label: str  # what the user typed
    id: str | None  # feature id (None for a typed lat,lon)
    name_en: str
    name_zh: str
    lonlat: tuple[float, float]  # WGS-84 degrees, lon first
    layer: str | None  # stations / sites / bridges / parks (None for lat,lon)


def place_index(atlas: Atlas, *, layers: tuple[str, ...] = PLACE_LAYERS) -> pd.DataFrame:
    """Every place of ``layers`` with its point, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``layer``, ``id``, ``name_en``, ``name_zh``, ``lon``, ``lat``
        (WGS-84 degrees), in layer order then feature order.
    """
    parts = []
    for name in layers:
        frame: gpd.GeoDataFrame = atlas.layer(name)
        geoms = frame.geometry.values
        points = shapely.point_on_surface(geoms)
        lines = shapely.get_type_id(geoms) == 1  # LineString: its midpoint
        if lines.any():
            points[lines] = shapely.line_interpolate_point(geoms[lines], 0.5, normalized=True)
        parts.append(
            pd.DataFrame(
                {
                    "layer": name,
                    "id": frame["id"].astype(str).to_numpy(),
                    "name_en": frame["name_en"].astype(str).to_numpy(),
                    "name_zh": frame["name_zh"].astype(str).to_numpy(),
                    "lon": shapely.get_x(points),
                    "lat": shapely.get_y(points),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["layer", "id", "name_en", "name_zh", "lon", "lat"])
    return pd.concat(parts, ignore_index=True)


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"lat,lon"`` (decimal degrees, WGS-84; spaces allowed) as ``(lon, lat)``, else None.

    Read by :func:`putuo_geo.latlon.read_pair` (the package's one pair parser).

    Raises
    ------
    PlaceNotFoundError
        When the text is two numbers but not a valid latitude and longitude, or a point
        outside Shanghai (measured in UTM 51N, it would give nonsense).
    """
    pair = latlon.read_pair(text)
    if pair is None:
        return None
    lat, lon = pair
    problem = latlon.point_problem((lon, lat))
    if problem is not None and problem.key == "coords.problem.out_of_range":
        hint = " (latitude comes first: lat,lon)" if -90 <= lon <= 90 else ""
        msg = f"{text!r} is not a valid lat,lon in degrees{hint}."
        raise PlaceNotFoundError(msg)
    if problem is not None:
        msg = f"{text.strip()!r}: {problem}"
        raise PlaceNotFoundError(msg)
    return lon, lat


def _place(row: pd.Series, label: str) -> Place:
    return Place(
        label=label,
        id=str(row["id"]),
        name_en=str(row["name_en"]),
        name_zh=str(row["name_zh"]),
        lonlat=(float(row["lon"]), float(row["lat"])),
        layer=str(row["layer"]),
    )


def _describe(rows: pd.DataFrame, limit: int = 8) -> str:
    shown = [f"{r.id} ({r.name_en} / {r.name_zh})" for r in rows.head(limit).itertuples()]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return "; ".join(shown) + more


def resolve_place(text: str, atlas: Atlas, *, layers: tuple[str, ...] = PLACE_LAYERS) -> Place:
    """Resolve an id, an English or Chinese name, or ``lat,lon`` to one place.

    Parameters
    ----------
    text
        A feature id (``station-03``), a name or part of one (``mengqing``, ``梦清园``),
        or ``"lat,lon"`` in WGS-84 decimal degrees (``"31.2386, 121.4216"``).
    atlas
        The loaded atlas.
    layers
        Which layers to search.

    Returns
    -------
    Place

    Raises
    ------
    PlaceNotFoundError
        When nothing or more than one place matches (the message lists suggestions).
    """
    label = typedtext.normalise(text).strip()  # as typed: ＣＨＡＮＧＦＥＮＧ, 长\u200b风
    if not label:
        msg = "Empty place: give an id, a name or lat,lon."
        raise PlaceNotFoundError(msg)
    lonlat = parse_latlon(label)
    if lonlat is not None:
        return Place(label=label, id=None, name_en=label, name_zh=label, lonlat=lonlat, layer=None)
    index = place_index(atlas, layers=layers)
    key = label.casefold()
    ids, en, zh = (
        index[column].fillna("").astype(str).map(typedtext.normalise).str.casefold()
        for column in ("id", "name_en", "name_zh")
    )
    for mask in (ids == key, (en == key) | (zh == key)):
        hits = index[mask.to_numpy()]
        if len(hits) == 1:
            return _place(hits.iloc[0], label)
        if len(hits) > 1:
            msg = f"{label!r} is ambiguous: it names {_describe(hits)}. Use an id."
            raise PlaceNotFoundError(msg)
    contains = (
        en.str.contains(key, regex=False)
        | zh.str.contains(key, regex=False)
        | ids.str.contains(key, regex=False)
    )
    hits = index[contains.to_numpy()]
    if len(hits) == 1:
        return _place(hits.iloc[0], label)
    if len(hits) > 1:
        msg = f"{label!r} matches {len(hits)} places: {_describe(hits)}. Be more specific."
        raise PlaceNotFoundError(msg)
    names = {**dict(zip(en, index["id"], strict=True)), **dict(zip(ids, index["id"], strict=True))}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.5)
    suggestion = (
        f" Did you mean: {', '.join(dict.fromkeys(names[c] for c in close))}?"
        if close
        else " Give an id, a name, or lat,lon."
    )
    msg = f"No station, site, bridge or park is called {label!r}.{suggestion}"
    raise PlaceNotFoundError(msg)
