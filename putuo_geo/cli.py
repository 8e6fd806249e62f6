"""The ``putuo-geo`` command: ``stats``, ``measure``, ``validate`` and ``import-osm``.

Exit codes: 0 success (``validate`` prints warnings and still exits 0); 1 a problem
with the data or the input (every problem listed, no traceback); 2 an unexpected error
(one message, no traceback): a bug, never bad input.
Every figure is computed in EPSG:32651; km, ha and km² only appear in the human
output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from putuo_geo import checks, config, latlon, layers, measures, osm_import, places
from putuo_geo.errors import DataValidationError, PutuoGeoError
from putuo_geo.network import Endpoint, RouteNetwork


def stats(atlas: layers.Atlas) -> dict[str, Any]:
    """The belt's figures: route and creek length (m), station counts, park and zone areas (m²)."""
    status = atlas.stations["status"]
    return {
        "route_length_m": float(measures.length_m(atlas.route).sum()),
        "creek_length_m": float(measures.length_m(atlas.creek).sum()),
        "stations": {
            "total": len(atlas.stations),
            "confirmed": int((status == "confirmed").sum()),
            "indicative": int((status == "indicative").sum()),
        },
        "parks": _areas(atlas.parks),
        "zones": _areas(atlas.zones),
    }


def _areas(frame: Any) -> list[dict[str, Any]]:
    areas = measures.area_m2(frame)
    return [
        {"id": str(fid), "name_en": str(name), "area_m2": float(area)}
        for fid, name, area in zip(frame["id"], frame["name_en"], areas, strict=True)
    ]


def _endpoint_json(end: Endpoint) -> dict[str, Any]:
    return {
        "label": end.label,
        "id": end.id,
        "name_en": end.name_en,
        "name_zh": end.name_zh,
        "lat": end.lonlat[1],
        "lon": end.lonlat[0],
        "offset_m": round(end.offset_m, 3),
        "chainage_m": None if end.chainage_m is None else round(end.chainage_m, 3),
    }


def measure(atlas: layers.Atlas, from_text: str, to_text: str) -> dict[str, Any]:
    """Measure between two places given as id, name or ``lat,lon``; JSON-ready."""
    a = places.resolve_place(from_text, atlas)
    b = places.resolve_place(to_text, atlas)
    result = RouteNetwork.from_atlas(atlas).measure(a, b)
    return {
        "from": _endpoint_json(result.start),
        "to": _endpoint_json(result.end),
        "along_route_m": round(result.along_route_m, 3),
        "straight_m": round(result.straight_m, 3),
        "path": {
            "type": "LineString",
            "coordinates": [[round(x, 6), round(y, 6)] for x, y in result.path.coords],
        },
        "bridges": list(result.bridges),
    }


def _km(m: float) -> str:
    return f"{m / 1000:.2f} km"


def _print_stats(s: dict[str, Any]) -> None:
    st = s["stations"]
    print(f"Route length   {_km(s['route_length_m'])}")
    print(f"Creek length   {_km(s['creek_length_m'])}")
    print(
        f"Stations       {st['total']} ({st['confirmed']} confirmed, {st['indicative']} indicative)"
    )
    print("Parks")
    for p in s["parks"]:
        print(f"  {p['name_en']:<40} {p['area_m2'] / 10_000:8.2f} ha")
    print("Zones")
    for z in s["zones"]:
        print(f"  {z['name_en']:<40} {z['area_m2'] / 1e6:8.2f} km²")


def _print_measure(m: dict[str, Any]) -> None:
    for key in ("from", "to"):
        e = m[key]
        name = e["name_en"] if e["id"] is None else f"{e['name_en']} / {e['name_zh']} ({e['id']})"
        chain = "" if e["chainage_m"] is None else f", chainage {_km(e['chainage_m'])}"
        print(f"{key.capitalize():<5} {name}: joins the route {e['offset_m']:.0f} m away{chain}")
    print(f"Along the route  {_km(m['along_route_m'])}")
    print(f"Straight line    {_km(m['straight_m'])}")
    print(f"Bridges crossed  {', '.join(m['bridges']) or 'none'}")


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but a usage error exits 1 (bad input), not 2 (kept for bugs)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="putuo-geo",
        description="Figures and measurements for Putuo's Half Marathon Suzhou Creek belt.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    data_help = f"data folder (default: ${config.DATA_DIR_ENV}, else the project's geo/)"
    p_stats = sub.add_parser("stats", help="route and creek length, stations, park and zone areas")
    p_stats.add_argument("--json", action="store_true", help="print JSON")
    p_stats.add_argument("--data", metavar="DIR", help=data_help)
    p_measure = sub.add_parser("measure", help="distance along the route between two places")
    p_measure.add_argument("from_place", metavar="FROM", help="id, name, or 'lat,lon'")
    p_measure.add_argument("to_place", metavar="TO", help="id, name, or 'lat,lon'")
    p_measure.add_argument("--json", action="store_true", help="print JSON")
    p_measure.add_argument("--data", metavar="DIR", help=data_help)
    p_validate = sub.add_parser("validate", help="check a data folder against datapackage.json")
    p_validate.add_argument("data", nargs="?", metavar="DATA_DIR", help=data_help)
    p_osm = sub.add_parser(
        "import-osm", help="rebuild the atlas from an OpenStreetMap extract (.osm / .osm.pbf)"
    )
    p_osm.add_argument("extract", metavar="EXTRACT", help="OpenStreetMap extract covering Putuo")
    p_osm.add_argument("--data", metavar="DIR", help=f"folder to start from; {data_help}")
    where = p_osm.add_mutually_exclusive_group()
    where.add_argument(
        "--out", metavar="DIR", help="new folder to write (default: <data folder>-osm)"
    )
    where.add_argument("--in-place", action="store_true", help="overwrite the data folder itself")
    return parser


def _same_place(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop is not the data folder
        return False


def _import_osm(args: argparse.Namespace) -> int:

    folder = config.data_dir(args.data)
    if args.in_place:
        out = folder
    else:
        out = Path(args.out) if args.out else folder.with_name(f"{folder.name}-osm")
        report_file = out / f"{osm_import.REPORT_NAME}.json"
        if (out.is_symlink() or out.exists()) and not out.is_dir():
            msg = f"--out {out} exists and is not a folder; choose a new folder name."
            raise PutuoGeoError(msg)
        if _same_place(out, folder):
            msg = f"{out} is the data folder itself; pass --in-place to overwrite it."
            raise PutuoGeoError(msg)
        if out.exists() and any(out.iterdir()) and not report_file.is_file():
            msg = f"{out} exists and is not an earlier import-osm output; choose a new --out."
            raise PutuoGeoError(msg)
    extract = Path(args.extract)
    if extract.is_symlink() or extract.exists():  # a folder, a FIFO (would block), a loop
        not_file = layers.file_problem(extract, file=str(extract), folder=extract.parent)
        if not_file is not None:
            raise PutuoGeoError(not_file)
    report = osm_import.import_osm(extract, data_dir=folder, out_dir=out)
    print(osm_import.report_markdown(report), end="")
    print(f"Wrote {out} (review {osm_import.REPORT_NAME}.md before committing).")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "import-osm":
        return _import_osm(args)
    if args.command == "validate":
        folder = config.data_dir(args.data)
        problems = layers.validate_dir(folder)
        if problems:
            print(f"{folder}: {len(problems)} problem{'s' if len(problems) != 1 else ''}:")
            for p in problems:
                print(f"  - {p}")
            return 1
        atlas = layers.load_atlas(folder)
        counts = ", ".join(f"{len(atlas.layer(n))} {n}" for n in config.LAYER_NAMES)
        print(f"{folder}: valid ({counts}).")
        warnings = checks.warnings(atlas)
        if warnings:  # "should" rules (osmnx's tier): reported, not fatal
            print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}:")
            for w in warnings:
                print(f"  - {w}")
        return 0
    atlas = layers.load_atlas(args.data)
    if args.command == "stats":
        result = stats(atlas)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            _print_stats(result)
        return 0
    result = measure(atlas, args.from_place, args.to_place)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_measure(result)
    return 0


def _protect_negative_pairs(argv: Sequence[str]) -> list[str]:
    """``-31.2,121.4`` as an argument, not an option.

    argparse takes any word starting with ``-`` that is not a plain negative number as
    an option, so ``measure -31.2,121.4 st-01`` failed with "the following arguments are
    required: TO". A leading space makes it a positional argument; the place parser
    strips it. Only words that read as two numbers are touched.
    """
    return [f" {a}" if a.startswith("-") and latlon.read_pair(a) is not None else a for a in argv]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 bad data or input, 2 unexpected)."""
    words = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(_protect_negative_pairs(words))
    try:
        return _run(args)
    except DataValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except PutuoGeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the promise: never a traceback
        print(f"unexpected error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
