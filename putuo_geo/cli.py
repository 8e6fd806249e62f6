"""The ``putuo-geo`` command: ``stats``, ``measure``, ``validate``, ``import-osm``, ``events``
and ``coverage``.

Exit codes: 0 success (``validate`` prints warnings and still exits 0); 1 a problem
with the data or the input (every problem listed, no traceback); 2 an unexpected error
(one message, no traceback): a bug, never bad input.
Every figure is computed in EPSG:32651; km, ha and km² only appear in the human
output.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from putuo_geo import (
    checks,
    config,
    events,
    latlon,
    layers,
    measures,
    osm_import,
    places,
    typedtext,
)
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


# ---------------------------------------------------------------- coverage (planner view)


def coverage_figures(
    atlas: layers.Atlas,
    *,
    minutes: float = 15.0,
    speed_kmh: float = 5.0,
    extra: str | Path | None = None,
) -> dict[str, Any]:
    """The planner figures (``putuo-geo coverage --json``), JSON-ready.

    Top level: the figures of :meth:`putuo_geo.coverage.Coverage.figures` for the
    stations plus any candidates from ``extra`` (a GeoJSON or CSV of points, WGS-84,
    read like an uploaded layer), and ``ranges``
    (:meth:`~putuo_geo.coverage.CoverageModel.sensitivity`). With ``extra``, also
    ``before`` (the stations alone) and ``candidates`` (what each changes).
    """
    from putuo_geo import coverage, uploads

    model = coverage.CoverageModel.from_atlas(atlas)
    stations = model.stations(atlas.stations)
    candidates: tuple[coverage.Site, ...] = ()
    if extra is not None:
        path = Path(extra)
        data = _read_extra(path, limit=uploads.MAX_UPLOAD_BYTES)
        layer = uploads.read_upload(data, file_name=path.name)
        candidates = model.candidates_from_frame(
            layer.frame, existing=stations, file_name=layer.file_name
        )
    what_if = model.compare(stations, candidates, speed_kmh=speed_kmh, minutes=minutes)
    result = what_if.after.figures()
    result["ranges"] = model.sensitivity(
        [*stations, *candidates], speed_kmh=speed_kmh, minutes=minutes
    )
    if extra is not None:
        result["before"] = what_if.before.figures()
        result["candidates"] = list(what_if.candidates)
    return result


def _read_extra(path: Path, *, limit: int) -> bytes:
    """The candidate stations file's bytes, after checking it is a regular file of at most
    ``limit`` bytes (a FIFO blocked forever; ``/dev/zero`` grew to 6.6 GB in 12 s).

    Checked with ``stat`` like the layers (:func:`putuo_geo.layers.file_problem`), and
    read no further than ``limit`` + 1 bytes in case the file grows meanwhile.
    """
    not_file = layers.file_problem(path, file=str(path), folder=path.parent)
    if not_file is not None:
        raise DataValidationError([not_file])
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        msg = f"{path}: cannot read the candidate stations file ({exc.strerror})."
        raise PutuoGeoError(msg) from None
    if len(data) > limit:
        msg = f"{path}: the candidate stations file is over {limit / 2**20:g} MB; not read."
        raise PutuoGeoError(msg)
    return data


def _chain(m: float | None) -> str:
    return "?" if m is None else _km(m)


def _print_coverage(c: dict[str, Any]) -> None:
    mins, ranges = c["minutes"], c["ranges"]
    print(
        f"Coverage at {c['speed_kmh']:g} km/h ({mins:g} min = {c['limit_m']:,.0f} m): "
        f"{c['stations']} stations, {c['candidates']} candidates; route {_km(c['route_length_m'])}"
    )
    cov = ranges["covered_share"]
    print(
        f"Within {mins:g} min of a station  {c['covered_share']:.1%}"
        f"  (range {cov['min']:.1%} to {cov['max']:.1%})"
    )
    print("Bands")
    for band, share in c["bands"].items():
        r = ranges["bands"][band]
        print(f"  {band:<16} {share:6.1%}  (range {r['min']:.1%} to {r['max']:.1%})")
    gap = c["longest_gap"]
    if gap["length_m"] > 0:
        print(
            f"Longest stretch over {mins:g} min  {_km(gap['length_m'])} on the {gap['bank']} "
            f"bank, chainage {_chain(gap['from_chainage_m'])} to {_chain(gap['to_chainage_m'])}"
        )
    else:
        print(f"Longest stretch over {mins:g} min  none")
    r = ranges["longest_gap_m"]
    print(f"  range {_km(r['min'])} to {_km(r['max'])}")
    far = c["max_walk"]
    if far["walk_m"] is not None:
        print(
            f"Farthest point  {far['walk_m']:,.0f} m ({far['minutes']:g} min), {far['bank']} "
            f"bank, chainage {_chain(far['chainage_m'])}"
        )
    print("Largest spacing per bank")
    for bank, big in c["largest_spacing"].items():
        if big is None:
            print(f"  {bank:<6} fewer than two stations")
            continue
        r = ranges["largest_spacing_m"][bank]
        print(
            f"  {bank:<6} {big['from_id']} -> {big['to_id']}  {_km(big['along_route_m'])}"
            f"  (range {_km(r['min'])} to {_km(r['max'])})"
        )
    if "before" in c:
        b = c["before"]
        print(
            f"Before the candidates: {b['covered_share']:.1%} within {mins:g} min, "
            f"longest stretch over it {_km(b['longest_gap']['length_m'])}"
        )
        for cand in c["candidates"]:
            closes = ", ".join(
                f"{_km(g['length_m'])} -> {_km(g['length_after_m'])} ({g['bank']} bank)"
                for g in cand["closes"]
            )
            print(
                f"  {cand['name_en']}: {cand['bank']} bank, chainage {_chain(cand['chainage_m'])}, "
                f"{cand['offset_m']:,.0f} m from the marked point; "
                f"closes {closes or 'no stretch over ' + format(mins, 'g') + ' min'}"
            )
    print(
        f"Note: {c['indicative_stations']} of {c['stations']} station positions are indicative; "
        f"ranges move each by its stated accuracy ({ranges['scenarios']} layouts)."
    )


def _coverage(args: argparse.Namespace) -> int:
    atlas = layers.load_atlas(args.data)
    result = coverage_figures(
        atlas, minutes=args.minutes, speed_kmh=args.speed_kmh, extra=args.extra
    )
    if args.json:
        _print_json(result)
    else:
        _print_coverage(result)
    return 0


#: What ``--minutes`` and ``--speed-kmh`` accept: a walk of half a minute to a day, at a
#: crawl to a cyclist's pace. ``1e308`` made every figure infinite (``Infinity`` is not
#: JSON) and ``1e-320`` a denormal that divided to infinity.
MINUTES_RANGE = (0.5, 24 * 60.0)
SPEED_RANGE_KMH = (0.5, 50.0)


def _within(low: float, high: float) -> Any:
    """An argparse type: a decimal number in ``[low, high]`` (typed full-width too)."""

    def number(text: str) -> float:
        try:
            value = float(typedtext.normalise(text))
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            msg = f"{text!r} is not a number from {low:g} to {high:g}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return number


def _print_json(result: Any) -> None:
    """``result`` as strict JSON (no ``NaN``/``Infinity``: a bug then, exit 2), in UTF-8
    where stdout takes it and as ``\\u`` escapes where it is ASCII only (``LANG=C``)."""
    text = json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(result, ensure_ascii=True, indent=2, allow_nan=False)
    print(text)


def _add_coverage_parser(sub: Any, data_help: str) -> None:
    p_cov = sub.add_parser(
        "coverage", help="how far the route is from the nearest station (planner figures)"
    )
    p_cov.add_argument(
        "--minutes",
        type=_within(*MINUTES_RANGE),
        default=15.0,
        help="covered within (default 15; 0.5 to 1440)",
    )
    p_cov.add_argument(
        "--speed-kmh",
        type=_within(*SPEED_RANGE_KMH),
        default=5.0,
        help="walking speed (default 5; 4 for older walkers; 0.5 to 50)",
    )
    p_cov.add_argument(
        "--extra", metavar="FILE", help="candidate stations: GeoJSON or CSV of points (WGS-84)"
    )
    p_cov.add_argument("--json", action="store_true", help="print JSON")
    p_cov.add_argument("--data", metavar="DIR", help=data_help)


# ---------------------------------------------------------------- end of coverage
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
    p_events = sub.add_parser("events", help="dated event editions, optionally within dates")
    p_events.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD")
    p_events.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD")
    p_events.add_argument("--json", action="store_true", help="print JSON")
    p_events.add_argument("--data", metavar="DIR", help=data_help)
    _add_coverage_parser(sub, data_help)
    return parser


def _events(args: argparse.Namespace) -> int:
    """``putuo-geo events``: editions overlapping [--from, --to], oldest first."""
    bounds: dict[str, Any] = {}
    for option, text in (("--from", args.date_from), ("--to", args.date_to)):
        if text is None:
            continue
        try:
            bounds[option] = events.parse_date(typedtext.normalise(text))  # ２０２４-０４-２１
        except ValueError as exc:
            msg = f"{option}: {exc}"
            raise PutuoGeoError(msg) from None
    try:
        chosen = events.filter_events(
            events.load_events(args.data),
            date_from=bounds.get("--from"),
            date_to=bounds.get("--to"),
        )
    except ValueError as exc:
        if isinstance(exc, PutuoGeoError):
            raise
        msg = f"--from/--to: {exc}"
        raise PutuoGeoError(msg) from None
    items = events.events_json(chosen)
    if args.json:
        _print_json(items)
        return 0
    for item in items:
        dates = events.format_date_range(item["start_date"], item["end_date"], "en")
        along = f", {_km(item['along_route_m'])} along the route" if "along_route_m" in item else ""
        print(f"{dates:<26} {item['kind']:<12} {item['name_en']} / {item['name_zh']}{along}")
    if not items:
        print("No event edition in that range.")
    return 0


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
    if args.command == "events":
        return _events(args)
    if args.command == "coverage":
        return _coverage(args)
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
            _print_json(result)
        else:
            _print_stats(result)
        return 0
    result = measure(atlas, args.from_place, args.to_place)
    if args.json:
        _print_json(result)
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
    for stream in (sys.stdout, sys.stderr):  # an ASCII-only terminal (LANG=C) is no bug
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
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
