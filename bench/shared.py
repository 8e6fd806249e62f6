"""One visitor's cost while others misbehave on the same server (issue 23 §1).

One Streamlit process (``bench/upload_app.py``: the page as it is) behind the nginx
recipe (``scripts/nginx-sticky.conf``), all on loopback. Clients speak Streamlit's own
websocket protocol (``BackMsg``/``ForwardMsg``, what the browser sends), without a
browser, so the only load on the machine is the server's. Each client connects from its
own loopback address (127.0.0.x), as distinct visitors do: the proxy's per-address limits
apply to each.

The visitor (127.0.0.2) reruns the page again and again and times each run (request sent
-> ``script_finished``), first idle, then while, one class at a time,

- **cache clears**: another socket sends ``clear_cache`` every 100 ms;
- **flood**: another address opens 30 sessions at once, a wave a second, each running
  the page once (the proxy admits what its limits allow; the rest get 429);
- **the largest upload**: a session holding the largest accepted upload (5,000 sites,
  500-character names) with its planner on, rerunning once a second (a busy person), and
  then back to back (a client script).

The visitor's runs alternate, idle and loaded (``runs`` of each; the load is switched off,
and waited for, before each idle run); each ratio is the median over the pairs of the
loaded run over the idle run just before it: the machine is shared, and pairing keeps
its drift out of the ratio. Goal: every ratio <= 1.5. The machine's load average before
and after is reported with them.
Without nginx the flood row is measured straight against Streamlit and labelled so.

    python -m bench.shared [--runs 8]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from bench.common import ARTIFACTS, NGINX, median, nginx_in_front, rss_bytes, streamlit_server

SCRIPT = Path(__file__).resolve().parent / "upload_app.py"
#: Loopback source addresses: the visitor and each class of misbehaviour.
VISITOR, CLEARER, FLOODER, HOLDER = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"
GOAL = 1.5


class Session:
    """One Streamlit session over its websocket (what a browser tab holds)."""

    def __init__(self, url: str, *, source: str, query: str = "", timeout_s: float = 120) -> None:
        parts = urlsplit(url)
        sock = socket.create_connection(
            (parts.hostname, parts.port), timeout=timeout_s, source_address=(source, 0)
        )
        self.ws: ClientConnection = connect(
            f"ws://{parts.netloc}/_stcore/stream",
            sock=sock,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=timeout_s,
            legacy=True,  # a plain connection object, closed by close()
            ping_interval=None,  # a slow server is what is measured, not a dead one
        )
        self.query = query
        self.timeout_s = timeout_s
        self.received_bytes: list[int] = []  # per completed run

    def rerun(self) -> float:
        """Run the page once (as a browser's rerun request); seconds to ``script_finished``."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        got = 0
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        while True:
            data = self.ws.recv(timeout=self.timeout_s)
            got += len(data)
            fm = ForwardMsg.FromString(data)  # type: ignore[arg-type]
            if fm.WhichOneof("type") != "script_finished":
                continue
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            self.received_bytes.append(got)
            return time.perf_counter() - start

    def clear_cache(self) -> None:
        """What Streamlit's menu sends (any socket may): clear the process's caches."""
        msg = BackMsg()
        msg.clear_cache = True
        self.ws.send(msg.SerializeToString())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


class Load:
    """A misbehaving client in a thread, switched on and off between the visitor's runs.

    ``step()`` is called again and again while on; ``busy`` counts work in flight (a
    flood's sessions still running), so ``off()`` returns once the server is quiet.
    """

    def __init__(self, step: Callable[[Load], None], *, setup: Callable[[], None] = lambda: None):
        self.step, self.setup = step, setup
        self.active, self.stop = threading.Event(), threading.Event()
        self.busy = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.is_set():
            if self.active.wait(0.05):
                self.step(self)

    def add_busy(self, n: int) -> None:
        with self.lock:
            self.busy += n

    def on(self) -> None:
        self.active.set()

    def off(self, *, timeout_s: float = 60) -> None:
        self.active.clear()
        deadline = time.monotonic() + timeout_s
        while self.busy > 0 and time.monotonic() < deadline:
            time.sleep(0.05)  # poll: the flood's last sessions finish their runs

    def __enter__(self) -> Load:
        self.setup()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.off()
        self.stop.set()
        self.thread.join(60)


def paired(visitor: Session, load: Load, runs: int, *, settle_s: float) -> dict[str, list[float]]:
    """The visitor's runs, alternately with the load off (idle) and on (loaded).

    Alternating keeps the shared machine's drift out of the ratio: each loaded run has an
    idle run next to it, after an untimed run that redoes whatever the load left undone
    (caches a ``clear_cache`` emptied: else the idle run would pay for the load too).
    The load runs ``settle_s`` plus a growing fraction of a second before each loaded
    run, so the loaded runs sample every phase of a load that comes once a second (a
    flood's waves, a holder's runs), not always the same moment.
    """
    visitor.rerun()  # the first run after a change settles
    idle, loaded = [], []
    for k in range(runs):
        load.off()
        visitor.rerun()  # not timed: what the load left behind (e.g. emptied caches) is redone
        idle.append(visitor.rerun())
        load.on()
        time.sleep(settle_s + k / runs)
        loaded.append(visitor.rerun())
    load.off()
    return {"idle": idle, "loaded": loaded}


def clearer(url: str, counts: dict[str, int]) -> Load:
    """Another socket sending ``clear_cache`` every 100 ms (after running the page once)."""
    session: list[Session] = []

    def setup() -> None:
        session.append(Session(url, source=CLEARER))
        session[0].rerun()

    def step(load: Load) -> None:
        session[0].clear_cache()
        counts["clears"] = counts.get("clears", 0) + 1
        load.stop.wait(0.1)

    return Load(step, setup=setup)


def flooder(url: str, counts: dict[str, int], *, once: bool = False) -> Load:
    """Another address opening 30 sessions at once, a wave a second, each running the page.

    ``once``: one wave each time the load is switched on (without the proxy, a wave a
    second is more than the server can finish, and the queue only grows).
    """

    def one(load: Load) -> None:
        try:
            try:
                s = Session(url, source=FLOODER, timeout_s=60)
            except (InvalidStatus, WebSocketException, OSError):
                counts["refused"] = counts.get("refused", 0) + 1
                return
            counts["admitted"] = counts.get("admitted", 0) + 1
            try:
                s.rerun()
            except (WebSocketException, OSError, TimeoutError):
                counts["failed"] = counts.get("failed", 0) + 1
            finally:
                s.close()
        finally:
            load.add_busy(-1)

    def step(load: Load) -> None:
        load.add_busy(30)
        for _ in range(30):
            threading.Thread(target=one, args=(load,), daemon=True).start()
        load.stop.wait(1.0)
        while once and load.active.is_set() and not load.stop.is_set():
            time.sleep(0.05)  # poll: the next wave waits for the next switch on

    return Load(step)


def holder(url: str, stats: dict[str, Any], *, pause_s: float) -> Load:
    """A session holding the largest upload with its planner on, rerunning every ``pause_s``."""
    session: list[Session] = []
    runs: list[float] = []

    def setup() -> None:
        session.append(Session(url, source=HOLDER, query="bench_upload=1&bench_planner=1"))
        stats["holder_parse_s"] = session[0].rerun()  # the upload parsed: once per file
        session[0].received_bytes.clear()

    def step(load: Load) -> None:
        load.add_busy(1)
        try:
            runs.append(session[0].rerun())
        finally:
            load.add_busy(-1)
        stats["holder_run_s"] = median(runs)
        stats["holder_bytes_per_run"] = median([float(b) for b in session[0].received_bytes])
        load.stop.wait(pause_s)

    return Load(step, setup=setup)


def run(*, runs: int = 8, log_dir: Path = ARTIFACTS) -> dict[str, Any]:
    """Every class once: the visitor's run times (s), idle and loaded, alternating."""
    results: dict[str, Any] = {"runs": runs, "idle_s": {}, "loaded_s": {}, "notes": {}}
    results["loadavg_before"] = os.getloadavg()  # the machine is shared: say how busy
    have_nginx = Path(NGINX).exists()
    with (
        streamlit_server(log_dir / "streamlit_shared.log", script=SCRIPT) as (direct, proc),
        tempfile.TemporaryDirectory() as run_dir,
        (
            nginx_in_front([direct], Path(run_dir))
            if have_nginx
            else contextlib.nullcontext(direct)
        ) as url,
    ):
        results["through_nginx"] = have_nginx
        visitor = Session(url, source=VISITOR)
        planner = Session(url, source=VISITOR, query="bench_planner=1")

        def scenario(name: str, load: Load, who: Session, *, settle_s: float = 1.0) -> None:
            with load:
                got = paired(who, load, runs, settle_s=settle_s)
            results["idle_s"][name], results["loaded_s"][name] = got["idle"], got["loaded"]

        counts: dict[str, int] = {}
        scenario("cache_clears", clearer(url, counts), visitor)
        scenario("cache_clears_planner", clearer(url, counts), planner)
        results["notes"]["cache_clears"] = f"{counts.get('clears', 0)} clear_cache messages"

        flood: dict[str, int] = {}
        scenario("flood", flooder(url, flood), visitor, settle_s=2.0)  # a steady flood
        results["notes"]["flood"] = (
            f"{flood.get('admitted', 0)} sessions admitted, {flood.get('refused', 0)} refused"
        )

        rss_before = rss_bytes(proc.pid)
        held: dict[str, Any] = {}
        scenario("upload_1s", holder(url, held, pause_s=1.0), visitor)
        results["holder_rss_added_mb"] = (rss_bytes(proc.pid) - rss_before) / 1e6
        results["notes"]["upload_1s"] = (
            f"holder's run {held.get('holder_run_s', float('nan')) * 1000:,.0f} ms, "
            f"{held.get('holder_bytes_per_run', float('nan')) / 1e3:,.0f} kB a run; "
            f"its upload parsed once in {held.get('holder_parse_s', float('nan')):.1f} s"
        )
        held = {}
        scenario("upload_back_to_back", holder(url, held, pause_s=0.0), visitor)
        results["notes"]["upload_back_to_back"] = (
            f"holder's run {held.get('holder_run_s', float('nan')) * 1000:,.0f} ms"
        )
        results["visitor_bytes_per_run"] = median([float(b) for b in visitor.received_bytes])
        visitor.close()
        planner.close()

        if have_nginx:  # what the recipe's limits buy: the same flood, straight at Streamlit
            visitor = Session(direct, source=VISITOR)
            direct_flood: dict[str, int] = {}
            flood_once = flooder(direct, direct_flood, once=True)
            scenario("flood_without_nginx", flood_once, visitor, settle_s=0.0)
            results["notes"]["flood_without_nginx"] = (
                f"{direct_flood.get('admitted', 0)} sessions admitted"
            )
            visitor.close()
    results["ratios"] = ratios(results)
    results["loadavg_after"] = os.getloadavg()
    return results


def ratios(results: dict[str, Any]) -> dict[str, float]:
    """Per class, the median over the pairs of (loaded run / the idle run just before it).

    >>> ratios({"idle_s": {"x": [0.25, 0.5, 0.25]}, "loaded_s": {"x": [0.25, 0.75, 0.5]}})
    {'x': 1.5}
    """
    return {
        name: median([b / a for a, b in zip(results["idle_s"][name], loaded, strict=True)])
        for name, loaded in results["loaded_s"].items()
    }


LABELS = {
    "cache_clears": "clear_cache every 100 ms from another socket",
    "cache_clears_planner": "clear_cache every 100 ms (visitor in the planner view)",
    "flood": "30 sessions opened at once, a wave a second, through nginx",
    "upload_1s": "a session holding the largest upload (planner on), a run a second",
    "upload_back_to_back": "the same session rerunning back to back",
    "flood_without_nginx": "30 sessions at once straight at Streamlit (no proxy; contrast)",
}


def table(results: dict[str, Any]) -> str:
    """The load test as a Markdown table (one row per class)."""
    lines = [
        "| Load on the same server | Visitor's run (median) | Idle (alternating) | Ratio | Goal "
        "| Met | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, ratio in results["ratios"].items():
        loaded, idle = median(results["loaded_s"][name]), median(results["idle_s"][name])
        contrast = name == "flood_without_nginx"
        goal = "" if contrast else f"<= {GOAL}"
        met = "" if contrast else ("yes" if ratio <= GOAL else "**no**")
        lines.append(
            f"| {LABELS.get(name, name)} | {loaded * 1000:,.0f} ms | {idle * 1000:,.0f} ms "
            f"| {ratio:.2f}x | {goal} | {met} | {results['notes'].get(name, '')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="visitor runs per scenario")
    args = parser.parse_args(argv)
    results = run(runs=args.runs)
    print(table(results))
    print(json.dumps({k: v for k, v in results.items() if not k.endswith("_s")}, indent=2))


if __name__ == "__main__":
    main()
