"""The bad-data corpus: copies of the real ``geo/`` with one defect each.

Each :class:`Case` breaks a fresh copy of the project's data folder in one way
(``write(folder)``) and says what the validator must answer: how many problems, and
for each the file, the feature and words naming the problem. Generated from the real
layers (not committed), so the corpus follows the data when it changes; the huge
file is a sparse file (its size is real, its disk use is not).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
import shapely.ops
from shapely.geometry import mapping, shape

from putuo_geo import config, datum, layers

Doc = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One defect: how to make it and what every expected problem must contain."""

    name: str
    write: Callable[[Path], None]
    #: Patterns of substrings (file, feature, what is wrong): every problem matches
    #: one pattern and every pattern matches a problem.
    expected: tuple[tuple[str, ...], ...]
    #: Inclusive range of the number of problems (default: exactly one per pattern).
    count: tuple[int, int] | None = None

    def count_range(self) -> tuple[int, int]:
        return self.count or (len(self.expected), len(self.expected))


def _doc(folder: Path, layer: str) -> Doc:
    doc: Doc = json.loads((folder / f"{layer}.geojson").read_text(encoding="utf-8"))
    return doc


def _save(folder: Path, layer: str, doc: Doc) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    (folder / f"{layer}.geojson").write_text(text, encoding="utf-8")


def _feature(doc: Doc, fid: str) -> Doc:
    feature: Doc = next(f for f in doc["features"] if f["properties"]["id"] == fid)
    return feature


def _edit(layer: str, fn: Callable[[Doc], None]) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        doc = _doc(folder, layer)
        fn(doc)
        _save(folder, layer, doc)

    return write


def _set_geometry(fid: str, geometry: Doc | None) -> Callable[[Doc], None]:
    def fn(doc: Doc) -> None:
        _feature(doc, fid)["geometry"] = geometry

    return fn


def _metric_edit(fid: str, fn: Callable[[shapely.Geometry], shapely.Geometry]):
    """Edit one feature's geometry in EPSG:32651 metres."""
    import geopandas as gpd

    def edit(doc: Doc) -> None:
        feature = _feature(doc, fid)
        series = gpd.GeoSeries([shape(feature["geometry"])], crs=config.WEB_CRS)
        metric = series.to_crs(config.METRIC_CRS).iloc[0]
        back = gpd.GeoSeries([fn(metric)], crs=config.METRIC_CRS).to_crs(config.WEB_CRS)
        feature["geometry"] = mapping(shapely.set_precision(back.iloc[0], 1e-6))

    return edit


def _swap(doc: Doc) -> None:
    geom = doc["features"][2]["geometry"]
    geom["coordinates"] = geom["coordinates"][::-1]


def _to_gcj02(doc: Doc) -> None:
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        moved = datum.convert_geometry(geom, src="wgs84", dst="gcj02")
        feature["geometry"] = mapping(shapely.set_precision(moved, 1e-6))


def _bowtie(doc: Doc) -> None:
    feature = doc["features"][0]
    x, y = shape(feature["geometry"]).centroid.coords[0]
    d = 0.001
    feature["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[x - d, y - d], [x + d, y + d], [x + d, y - d], [x - d, y + d], [x - d, y - d]]
        ],
    }


def _not_json(folder: Path) -> None:
    text = (folder / "stations.geojson").read_text(encoding="utf-8")
    (folder / "stations.geojson").write_text(text[: len(text) // 2], encoding="utf-8")


def _huge(folder: Path) -> None:
    path = folder / "sites.geojson"
    text = path.read_text(encoding="utf-8")
    with path.open("wb") as f:
        f.write(text[:-3].encode("utf-8"))  # a plausible start, then a sparse tail
        f.truncate(layers.MAX_LAYER_BYTES + 1024 * 1024)


def _gbk(folder: Path) -> None:
    path = folder / "sites.geojson"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def _deep_nesting(folder: Path) -> None:
    # json's C parser raises RecursionError (was exit 2 / the generic error screen).
    (folder / "bridges.geojson").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _huge_integer(folder: Path) -> None:
    # Python refuses to convert a 5,000-digit integer (ValueError, was exit 2).
    path = folder / "parks.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"features"', '"n": ' + "9" * 5000 + ', "features"', 1))


def _late_nul(folder: Path) -> None:
    # A NUL after the first 4 kB used to pass the encoding check.
    path = folder / "sites.geojson"
    path.write_bytes(path.read_bytes().rstrip() + b" " * 5000 + b"\x00")


def _layer_is_folder(folder: Path) -> None:
    (folder / "zones.geojson").unlink()
    (folder / "zones.geojson").mkdir()


def _layer_is_fifo(folder: Path) -> None:
    # Reading it would block forever; it is named, never opened.
    (folder / "zones.geojson").unlink()
    os.mkfifo(folder / "zones.geojson")


def _utf16(folder: Path) -> None:
    path = folder / "stations.geojson"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _route_gap(doc: Doc) -> None:
    # Cut the last 80 m off the left bank's border piece: it no longer meets the loop piece.
    _metric_edit(
        "route-left-border-changning",
        lambda g: shapely.ops.substring(g, 0, g.length - 80),
    )(doc)


def _duplicate_id(doc: Doc) -> None:
    doc["features"][3]["properties"]["id"] = doc["features"][2]["properties"]["id"]


def _missing_names(doc: Doc) -> None:
    del doc["features"][4]["properties"]["name_en"]
    doc["features"][5]["properties"]["name_zh"] = "  "


def _ids(folder: Path, layer: str) -> list[str]:
    return [f["properties"]["id"] for f in _doc(folder, layer)["features"]]


def cases() -> list[Case]:
    """Every case in the corpus, read against the real ``geo/``."""
    geo = config.PACKAGE_DATA_DIR
    stations, sites = _ids(geo, "stations"), _ids(geo, "sites")
    parks = _ids(geo, "parks")
    n_stations = len(stations)
    return [
        Case("not_json", _not_json, (("stations.geojson", "not valid JSON"),)),
        Case(
            "wrong_geometry_type",
            _edit(
                "stations",
                _set_geometry(
                    stations[2],
                    {"type": "LineString", "coordinates": [[121.40, 31.24], [121.41, 31.24]]},
                ),
            ),
            (("stations.geojson", stations[2], "is a LineString, expected Point"),),
        ),
        Case(
            "null_geometry",
            _edit("stations", _set_geometry(stations[3], None)),
            (("stations.geojson", stations[3], "no geometry (null)"),),
        ),
        Case(
            "empty_geometry",
            _edit("parks", _set_geometry(parks[1], {"type": "Polygon", "coordinates": []})),
            (("parks.geojson", parks[1], "empty Polygon"),),
        ),
        Case(
            "self_intersecting_polygon",
            _edit("parks", _bowtie),
            (("parks.geojson", parks[0], "invalid geometry", "Self-intersection"),),
        ),
        Case(
            "latlon_swapped",
            _edit("sites", _swap),
            (("sites.geojson", sites[2], "lat and lon swapped"),),
        ),
        Case(
            "gcj02_stations",
            _edit("stations", _to_gcj02),
            (
                ("stations.geojson", "feature 'st-", "from the route", "GCJ-02", "convert"),
                ("stations.geojson", "features sit consistently off", "GCJ-02", "convert"),
            ),
            # Where the route runs along the shift a few stations stay within 50 m.
            count=(n_stations // 2 + 1, n_stations + 1),
        ),
        Case(
            "duplicate_ids",
            _edit("sites", _duplicate_id),
            (("sites.geojson", sites[2], "repeats 'id'"),),
        ),
        Case(
            "missing_names",
            _edit("stations", _missing_names),
            (
                ("stations.geojson", stations[4], "missing the required field 'name_en'"),
                ("stations.geojson", stations[5], "empty 'name_zh'"),
            ),
        ),
        Case(
            "unknown_category",
            _edit("sites", lambda d: d["features"][1]["properties"].update(category="nightclub")),
            (("sites.geojson", sites[1], "'category' = 'nightclub', not one of"),),
        ),
        Case(
            "station_far_from_route",
            _edit(
                "stations",
                _metric_edit(stations[6], lambda g: shapely.affinity.translate(g, 0, 300)),
            ),
            (("stations.geojson", stations[6], "m from the route (at most 50 m)."),),
        ),
        Case(
            "route_gap",
            _edit("route", _route_gap),
            (
                (
                    "route.geojson",
                    "route-left-border-changning",
                    "route-left-border-caojiadu",
                    "gap",
                ),
            ),
        ),
        Case(
            "outside_putuo",
            _edit(
                "sites",
                _set_geometry(sites[0], {"type": "Point", "coordinates": [121.4737, 31.2304]}),
            ),
            (("sites.geojson", sites[0], "outside Putuo District"),),
        ),
        Case(
            "huge_file",
            _huge,
            (("sites.geojson", "MB, over the 20 MB limit", "not read"),),
        ),
        Case(
            "gbk_encoding",
            _gbk,
            (("sites.geojson", "not UTF-8", "GBK/GB18030", "re-save it as UTF-8"),),
        ),
        Case(
            "utf16_encoding",
            _utf16,
            (("stations.geojson", "UTF-16", "re-save it as UTF-8"),),
        ),
        Case("deep_nesting", _deep_nesting, (("bridges.geojson", "nested too deeply"),)),
        Case("huge_integer", _huge_integer, (("parks.geojson", "number too long"),)),
        Case("late_nul", _late_nul, (("sites.geojson", "NUL byte", "re-save it as UTF-8"),)),
        Case(
            "layer_is_folder", _layer_is_folder, (("zones.geojson", "is a folder", "not a file"),)
        ),
        Case(
            "layer_is_fifo",
            _layer_is_fifo,
            (("zones.geojson", "named pipe (FIFO)", "not a file"),),
        ),
    ]


def make_case(case: Case, folder: Path) -> Path:
    """Copy the real ``geo/`` layers (and datapackage.json) to ``folder`` and break it."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in config.PACKAGE_DATA_DIR.glob("*json"):
        shutil.copyfile(path, folder / path.name)
    case.write(folder)
    return folder
