"""``make bench``: every measurement of issue 6 in one run, one table, and the side-by-side
with the floor and naive peer pages of issue 13 (:mod:`bench.side_by_side`); issue 23's
shared-server load test (:mod:`bench.shared`) adds its ratios to the table.

Prints the table and writes it to ``bench/results/latest.md`` (and the raw numbers to
``latest.json``). Times are medians over ``--runs`` runs; every ratio compares two
things measured in this same run (the machine is shared and noisy). The data is
``$PUTUO_GEO_DATA`` or ``geo/``.

    python -m bench.run [--runs 5] [--sessions 5] [--quick] [--phone-runs 3] [--no-peers]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import common, limit, page, queries, scale, shared, side_by_side
from bench import coverage as coverage_bench
from putuo_geo import config

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    measure: str
    ours: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def _kb(n_bytes: float) -> str:
    return f"{n_bytes / 1000:,.1f} KB"


def _count(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def rows_from(results: dict[str, Any]) -> list[Row]:
    """The table: one row per measurement, ratios within this run."""
    rows: list[Row] = []
    med = common.median
    p, bare = results.get("page"), results.get("limit")
    if p and bare:
        load, bare_load = med(p["load_s"]), med(bare["bare_load_s"])
        ratio = load / bare_load
        rows.append(
            Row(
                f"1. Page load -> map drawn ({p['features']} features)",
                _s(load),
                f"bare Leaflet {_s(bare_load)}",
                f"{ratio:.1f}x",
                "<= 1.5 s, <= 1.3x",
                _mark(load <= 1.5 and ratio <= 1.3),
            )
        )
    if p:
        filt = med(p["filter_s"])
        rows.append(
            Row(
                "2. Filter change -> map updated",
                _ms(filt),
                "",
                "",
                "<= 150 ms",
                _mark(filt <= 0.150),
            )
        )
        if p["measure_s"]:
            meas = med(p["measure_s"])
            rows.append(
                Row(
                    "2. Measure request -> result and path shown",
                    _ms(meas),
                    "",
                    "",
                    "<= 300 ms",
                    _mark(meas <= 0.300),
                )
            )
        if p.get("candidate_click_s"):
            cand = med(p["candidate_click_s"])
            meas = med(p["measure_s"]) if p["measure_s"] else None
            rows.append(
                Row(
                    "14. Candidate click -> new planner figures (browser)",
                    _ms(cand),
                    (f"measure request {_ms(meas)}; " if meas else "")
                    + "sent at once, without streamlit-folium's 250 ms debounce",
                    f"{cand / meas:.1f}x" if meas else "",
                    "<= 300 ms",
                    _mark(cand <= 0.300),
                )
            )
        size = p["map_payload_bytes"]
        rows.append(
            Row(
                "3. Map payload, default view (st_folium args)",
                _kb(size),
                f"gzip {_kb(p['map_payload_gzip_bytes'])}"
                + (f"; bare page {_kb(bare['bare_page_bytes'])}" if bare else ""),
                f"{size / bare['bare_page_bytes']:.1f}x" if bare else "",
                "<= 150 KB",
                _mark(size <= 150_000),
            )
        )
        rows.append(Row("4. Server time per rerun (script, AppTest)", _ms(p["rerun_s"])))
        per = p["rss_per_added_session_bytes"] / 1e6
        rows.append(
            Row(
                f"4. Server memory per added session ({results['sessions']} sessions)",
                f"{per:,.1f} MB",
                f"first session: {p['rss_one_session_bytes'] / 1e6:,.0f} MB RSS",
                "",
                "<= 20 MB",
                _mark(per <= 20),
            )
        )
    for row in results.get("scale", []):
        n = row["n"]
        label = _count(n)
        if "naive_build_s" in row:
            rows.append(
                Row(
                    f"5. {label} sites: build + render HTML",
                    f"{_s(row['ours_build_s'])} ({_kb(row['ours_html_bytes'])})",
                    f"naive {_s(row['naive_build_s'])} ({_kb(row['naive_html_bytes'])})",
                    f"{row['naive_build_s'] / row['ours_build_s']:.1f}x faster",
                )
            )
            speedup = row["naive_draw_s"] / row["ours_draw_s"]
            target, met = "", ""
            if n == 10_000:
                target = "<= 2.5 s, >= 3x"
                met = _mark(row["ours_draw_s"] <= 2.5 and speedup >= 3)
            rows.append(
                Row(
                    f"5. {label} sites: browser draw",
                    _s(row["ours_draw_s"]),
                    f"naive {_s(row['naive_draw_s'])}",
                    f"{speedup:.1f}x faster",
                    target,
                    met,
                )
            )
        else:
            usable = row["ours_draw_s"] <= 10 and row["ours_pan_s"] <= 0.5
            rows.append(
                Row(
                    f"5. {label} sites: build + render / draw / pan",
                    f"{_s(row['ours_build_s'])} / {_s(row['ours_draw_s'])} / "
                    f"{_ms(row['ours_pan_s'])} ({_kb(row['ours_html_bytes'])})",
                    "naive: skipped",
                    "",
                    "usable (draw <= 10 s, pan <= 500 ms)",
                    _mark(usable),
                )
            )
    q = results.get("queries")
    if q:
        n = _count(q["n"])
        for key, what in (
            ("chainage", f"{n} points: chainage (measures.chainage_m)"),
            ("walk", f"{n} pairs: walking (along_route_m_many vs measure())"),
        ):
            ours = med(q[f"{key}_s"])
            naive = q[f"{key}_naive_s"]
            rows.append(
                Row(
                    f"6. {what}",
                    _s(ours),
                    f"per-point shapely {_s(naive)} (from {q[f'{key}_naive_n']:,})",
                    f"{naive / ours:.0f}x faster",
                    "<= 0.5 s, >= 8x",
                    _mark(ours <= 0.5 and naive / ours >= 8),
                )
            )
        rows.append(
            Row("6. Network + batch index build (once per folder)", _ms(q["index_build_s"]))
        )
    rows += coverage_rows(results.get("coverage"))
    rows += shared_rows(results.get("shared"))
    return rows


def shared_rows(r: dict[str, Any] | None) -> list[Row]:
    """Issue 23: one visitor's run while others misbehave on the same server (bench.shared)."""
    if not r:
        return []
    rows = []
    for name, ratio in r["ratios"].items():
        contrast = name == "flood_without_nginx"
        rows.append(
            Row(
                f"23. Visitor's run: {shared.LABELS.get(name, name)}",
                _ms(common.median(r["loaded_s"][name])),
                f"idle {_ms(common.median(r['idle_s'][name]))}; {r['notes'].get(name, '')}",
                f"{ratio:.2f}x",
                "" if contrast else f"<= {shared.GOAL}x",
                "" if contrast else _mark(ratio <= shared.GOAL),
            )
        )
    return rows


def coverage_rows(c: dict[str, Any] | None) -> list[Row]:
    """Issue 14: the planner's coverage against per-sample measurement (same run)."""
    if not c:
        return []
    med = common.median
    ours = med(c["ours_s"])
    what = f"{c['stations']} stations + {c['candidates']} candidates"
    return [
        Row(
            f"14. Coverage, {what} (exact per edge)",
            _ms(ours),
            f"measure() per {c['step_m']:g} m sample x station {_s(c['naive_s'])} "
            f"(from {c['naive_n']} of {c['samples']:,}); all pairs at once "
            f"(along_route_m_many) {_ms(c['batch_s'])}",
            f"{c['naive_s'] / ours:,.0f}x / {c['batch_s'] / ours:,.0f}x faster",
            "<= 100 ms",
            _mark(ours <= 0.100),
        ),
        Row("14. Candidate click: figures before/after + each candidate", _ms(med(c["compare_s"]))),
        Row("14. Band pieces for the map (GeoDataFrame, WGS-84)", _ms(med(c["bands_frame_s"]))),
        Row("14. Ranges: indicative stations moved by their accuracy", _ms(c["sensitivity_s"])),
    ]


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    head = "| Measure | Ours | Reference (same run) | Ratio | Target | Met |\n"
    head += "|---|---|---|---|---|---|\n"
    body = "".join(
        f"| {r.measure} | {r.ours} | {r.reference} | {r.ratio} | {r.target} | {r.met} |\n"
        for r in rows
    )
    foot = (
        f"\n{meta['date']} · data `{meta['data_dir']}` · commit {meta['commit']} · "
        f"{meta['cpus']} CPUs · medians of {meta['runs']} runs · headless Chromium, offline\n"
    )
    for key, error in meta.get("errors", {}).items():
        foot += f"\n- {key} failed: {error}\n"
    return head + body + foot


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=common.ROOT,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--sessions", type=int, default=5, help="sessions added for memory")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for latest.md/.json")
    parser.add_argument("--phone-runs", type=int, default=3, help="throttled phone loads")
    parser.add_argument(
        "--no-peers", action="store_true", help="skip the side-by-side (floor, naive, ours)"
    )
    args = parser.parse_args(argv)
    sizes = (1_000, 2_000) if args.quick else (1_000, 10_000, 100_000)
    n_queries = 5_000 if args.quick else 100_000
    results: dict[str, Any] = {"sessions": args.sessions, "errors": {}}

    def attempt(key: str, fn: Callable[[], Any]) -> None:
        # One failing part must not lose the others: record it and go on.
        try:
            results[key] = fn()
        except Exception as exc:  # reported under the table
            results["errors"][key] = f"{type(exc).__name__}: {exc}".splitlines()[0]

    attempt(
        "queries",
        lambda: queries.run(n=n_queries, naive_n=10_000, measure_n=500, runs=args.runs),
    )
    attempt(
        "coverage",
        lambda: coverage_bench.run(naive_n=10 if args.quick else 40, runs=args.runs),
    )
    # Issue 23, before the browser starts: loopback clients only, about 2 minutes.
    attempt("shared", lambda: shared.run(runs=max(args.runs, 6), log_dir=args.out))
    with common.chromium() as browser:
        attempt("limit", lambda: limit.run(browser, runs=args.runs))
        attempt(
            "page",
            lambda: page.run(browser, runs=args.runs, sessions=args.sessions, log_dir=args.out),
        )
        attempt("scale", lambda: scale.run(browser, sizes=sizes, runs=args.runs))
        if not args.no_peers:
            attempt(
                "side_by_side",
                lambda: side_by_side.run(
                    browser, runs=args.runs, phone_runs=args.phone_runs, log_dir=args.out
                ),
            )
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "data_dir": str(config.data_dir()),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": args.runs,
        "errors": results["errors"],
    }
    rows = rows_from(results)
    table = markdown(rows, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    if results.get("side_by_side"):
        peers = side_by_side.table(results["side_by_side"], {**meta, "phone_runs": args.phone_runs})
        table += "\n## Beside the peers (issue 13)\n\n" + peers
        (args.out / "side_by_side.md").write_text(peers, encoding="utf-8")
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    (args.out / "latest.json").write_text(
        json.dumps({"meta": meta, "rows": [asdict(r) for r in rows], "raw": results}, indent=2),
        encoding="utf-8",
    )
    print(table)


if __name__ == "__main__":
    main()
