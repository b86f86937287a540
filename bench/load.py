"""A room of N sessions against one app server, over Streamlit's own websocket protocol; prints, asserts nothing.

    .venv/bin/python -m bench.load [--store PATH] [--sessions 1,10,30] [--rounds 2] [--think 0] [--varied]
                                   [--page karte|vergleich|navigator] [--baselines] [--processes 1,2] [--timeout 300]

Each session behaves like a browser tab: it opens the Karte with a URL, then changes the year, the indicator, the
level and the Darstellung in a fixed sequence (``SEQUENCE``), each time sending the values of every widget the
last run showed (as the browser's widget state manager does), the URL the app wrote, and the hashes of the
messages it already holds (so the server may send a reference instead of a large element again, as it does for
a browser). An interaction's time runs from sending the rerun to the server's ``script_finished``: what a user
waits for before the new content is there (the browser's drawing comes on top; see bench/README.md).

Printed per number of sessions: p50, p95 and max per interaction, bytes received per interaction, errors, the
server's CPU seconds per script run (user + system of the server process over the run, divided by the runs) and
its resident memory before and after. The server is started here, on 127.0.0.1 only, and stopped at the end;
every session and every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
START = "indikator=sgb2_quote&jahr=2025&ebene=2"
# (what the user does, widget label, the option chosen, by its text or its position): a planner walking through
# the map in a meeting. Levels go by position (the coarsest below the city, then the finest), so that any
# city's levels do.
SEQUENCE = [
    ("year", "Jahr", "2024"),
    ("year", "Jahr", "2020"),
    ("indicator", "Indikator", "Kinderarmut (unter 15-Jährige im SGB-II-Bezug)"),
    ("level", "Ebene", 0),
    ("mode", "Darstellung", "Bewertung"),
    ("level", "Ebene", -1),
    ("mode", "Darstellung", "Wert"),
    ("indicator", "Indikator", "SGB-II-Quote"),
]
VERGLEICH = [
    ("year", "Jahr", "2024"),
    ("year", "Jahr", "2020"),
    ("topic", "Thema", "Bildung"),
    ("year", "Jahr", "2025"),
    ("topic", "Thema", "Existenzsicherung"),
]
"""The Vergleich of the first area (any city's), through years and topics."""
NAVIGATOR = [
    ("search", "Suche", "jugend"),
    ("search", "Suche", ""),
    ("category", "Kategorie", "Kita"),
    ("radius", "Umkreis", "1\u00a0km"),
    ("centre", "Mittelpunkt (Einrichtung)", 0),
    ("category", "Kategorie", "Familienzentrum"),
    ("radius", "Umkreis", "aus"),
]
"""A Träger looking for offers: a word, a category, everything within a kilometre of the first institution."""


@dataclass(frozen=True)
class Walk:
    """What a session does: the page (its URL path; empty for a single-page baseline), its first URL, its changes."""

    page: str
    start: str
    sequence: list


WALKS = {"karte": Walk("Karte", START, SEQUENCE), "vergleich": Walk("Vergleich", "", VERGLEICH),
         "navigator": Walk("Sozialnavigator", "", NAVIGATOR)}


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str]
    default: list[str] | bool | list[float] | None


def _widget(element) -> Widget | None:
    """The widget an element is, with its options as the user reads them, or None for other elements."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind)
    if not getattr(proto, "id", "") or kind not in {"selectbox", "button_group", "multiselect", "slider", "checkbox",
                                                    "text_input"}:
        return None
    if kind == "text_input":
        return Widget(proto.id, kind, proto.label, [], [proto.default] if proto.HasField("default") else [""])
    if kind == "button_group":
        options = [option.content for option in proto.options]
    else:
        options = list(getattr(proto, "options", []))
    if kind == "selectbox":
        default = [options[proto.default]] if proto.HasField("default") and options else []
    elif kind in {"button_group", "multiselect"}:
        default = [options[i] for i in proto.default]
    elif kind == "slider":
        default = list(proto.default)
    else:
        default = bool(proto.default)
    return Widget(proto.id, kind, proto.label, options, default)


def _state(widget: Widget, value) -> WidgetState | None:
    state = WidgetState(id=widget.id)
    if widget.kind == "text_input":
        state.string_value = value[0]
    elif widget.kind == "selectbox":
        if not value:
            return None
        state.string_value = value[0]
    elif widget.kind in {"button_group", "multiselect"}:
        state.string_array_value.data.extend(value)
    elif widget.kind == "slider":
        state.double_array_value.data.extend(value)
    else:
        state.bool_value = bool(value)
    return state


@dataclass
class Session:
    """One browser tab: its socket, the URL it shows, the widgets of its last run and the values chosen."""

    port: int
    page: str
    query: str
    widgets: dict[str, Widget] = field(default_factory=dict)
    chosen: dict[str, list[str]] = field(default_factory=dict)
    held: dict[str, ForwardMsg] = field(default_factory=dict)
    socket: object = None

    async def connect(self) -> None:
        self.socket = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{self.port}", max_size=None, open_timeout=30)

    async def rerun(self, timeout: float) -> tuple[float, int]:
        """Send a rerun with the current URL and widget values; wait for the script to finish."""
        back = BackMsg()
        back.rerun_script.query_string = self.query
        back.rerun_script.page_name = self.page
        for label, widget in self.widgets.items():
            state = _state(widget, self.chosen.get(label, widget.default))
            if state is not None:
                back.rerun_script.widget_states.widgets.append(state)
        back.rerun_script.cached_message_hashes.extend(self.held)
        started = time.perf_counter()
        await self.socket.send(back.SerializeToString())
        received = 0
        widgets: dict[str, Widget] = {}
        async with asyncio.timeout(timeout):
            while True:
                data = await self.socket.recv()
                received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                if msg.WhichOneof("type") == "ref_hash":
                    msg = self.held[msg.ref_hash]
                elif msg.metadata.cacheable:
                    self.held[msg.hash] = msg
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    if msg.delta.new_element.WhichOneof("type") == "exception":
                        raise RuntimeError(f"the app raised an exception: {msg.delta.new_element.exception.message}")
                    widget = _widget(msg.delta.new_element)
                    if widget:
                        widgets[widget.label] = widget
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
                elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
                    raise RuntimeError("script compilation failed")
                elif kind == "script_finished":
                    break
        self.widgets = widgets
        return time.perf_counter() - started, received

    async def choose(self, label: str, option: str | int | random.Random, timeout: float) -> tuple[float, int]:
        """Choose ``option`` (its text, its position, or a random one drawn with the given generator)."""
        widget = self.widgets.get(label)
        if isinstance(option, random.Random) and widget is not None and widget.options:
            option = option.choice(widget.options)
        elif isinstance(option, int) and widget is not None and widget.options:
            option = widget.options[option]
        typed = widget is not None and widget.kind == "text_input" and isinstance(option, str)
        if widget is None or not typed and option not in widget.options:
            raise RuntimeError(f"no widget {label!r} with option {option!r} after the last run")
        self.chosen[label] = [option]
        return await self.rerun(timeout)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


@dataclass
class Outcome:
    first: list[float] = field(default_factory=list)
    first_bytes: list[int] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    bytes_by_action: dict[tuple[str, bool], list[int]] = field(default_factory=dict)  # (action, seen before)
    errors: list[str] = field(default_factory=list)
    runs: int = 0


BASELINES = ("naive", "simple")
"""bench/baselines/<name>_karte.py: the Karte with full GeoJSON on every rerun (pydeck), and with cached
simplified GeoJSON (plotly)."""
VARIED = {"year", "indicator"}
"""Changes a ``--varied`` session makes at random: its own years and indicators, so few views are shared."""


async def _one(port: int, rounds: int, think: float, rng: random.Random, timeout: float, outcome: Outcome,
               varied: bool = False, walk: Walk = WALKS["karte"]) -> None:
    session = Session(port, walk.page, walk.start)
    try:
        await session.connect()
        seconds, received = await session.rerun(timeout)
        outcome.first.append(seconds)
        outcome.first_bytes.append(received)
        outcome.runs += 1
        for round_ in range(rounds):
            for action, label, option in walk.sequence:
                if think:
                    await asyncio.sleep(rng.uniform(0, 2 * think))
                seconds, received = await session.choose(label, rng if varied and action in VARIED else option, timeout)
                outcome.by_action.setdefault(action, []).append(seconds)
                outcome.bytes_by_action.setdefault((action, round_ > 0), []).append(received)
                outcome.runs += 1
    except Exception as error:  # noqa: BLE001 - every failure is a result to print, not a crash of the bench
        outcome.errors.append(f"{type(error).__name__}: {error}")
    finally:
        await session.close()


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and its finished children, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait_healthy(port: int, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered on port {port} within {seconds:.0f} s; see {log}")


class Server:
    """``streamlit run`` of an app on 127.0.0.1, or with ``processes`` > 1 the repository's deployment
    (``deploy/serve.sh``: that many app processes behind HAProxy); in its own process group, stopped with it."""

    def __init__(self, app: Path, store: Path, port: int, log: Path, processes: int = 1):
        env = {**os.environ, "SOZIALDASH_DB": str(store), "SOZIALDASH_ADDRESS": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
        if processes > 1:
            command = ["bash", str(ROOT / "deploy" / "serve.sh"), str(processes), str(port)]
            self.app_ports = [port + i for i in range(1, processes + 1)]
        else:
            command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                       "--server.address", "127.0.0.1", "--server.headless", "true",
                       "--browser.gatherUsageStats", "false"]
            self.app_ports = [port]
        self.log = log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        try:
            _wait_healthy(port, 90, log)
        except RuntimeError:
            self.stop()
            raise

    def pids(self) -> list[int]:
        """The app processes (not the proxy): where the scripts run."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    command = (entry / "cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if b"streamlit" in b" ".join(command) and any(
                        f"{p}".encode() in command for p in self.app_ports):
                    found.append(int(entry.name))
        return found

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _room(port: int, sessions: int, rounds: int, think: float, seed: int, timeout: float,
                varied: bool = False, walk: Walk = WALKS["karte"]) -> Outcome:
    outcome = Outcome()
    rng = random.Random(seed)
    await asyncio.gather(*[_one(port, rounds, think, random.Random(rng.random()), timeout, outcome, varied, walk)
                           for _ in range(sessions)])
    return outcome


def _kb(values: list[int]) -> str:
    return f"{statistics.median(values) / 1024:,.0f} KB" if values else "—"


def _seconds(values: list[float]) -> str:
    if not values:
        return "—"
    return (f"p50 {statistics.median(values):6.3f} s  p95 {_quantile(values, 0.95):6.3f} s  "
            f"max {max(values):6.3f} s  (n={len(values)})")


def measure(app: Path, store: Path, counts: list[int], rounds: int, think: float, seed: int, timeout: float,
            label: str, varied: bool = False, walk: Walk = WALKS["karte"], processes: int = 1) -> None:
    port = _free_port()
    log = Path(tempfile.gettempdir()) / f"sozialdash-load-{port}.log"
    server = Server(app, store, port, log, processes)
    pids = server.pids()

    def cpu() -> float:
        return sum(_cpu_seconds(pid) for pid in pids)

    def rss() -> float:
        return sum(_rss_mb(pid) for pid in pids)

    try:
        where = f"{processes} processes behind HAProxy (deploy/serve.sh)" if processes > 1 else "one process"
        print(f"\n=== {label}: {app.relative_to(ROOT)} on {store.name}, {where}, port {port} ===", flush=True)
        for _ in range(processes):  # warm every process's caches once, like a rehearsal
            asyncio.run(_room(port, processes, 1, 0, seed, timeout, walk=walk))
        print(f"  server RSS after a warm-up session: {rss():.0f} MB")
        for count in counts:
            cpu_before = cpu()
            started = time.perf_counter()
            outcome = asyncio.run(_room(port, count, rounds, think, seed + count, timeout, varied, walk))
            wall = time.perf_counter() - started
            used = cpu() - cpu_before
            print(f"  {count} session{'s' if count > 1 else ''} ({rounds} rounds of {len(walk.sequence)} changes, "
                  f"{'each its own years and indicators, ' if varied else ''}"
                  f"think {think:g} s): {outcome.runs} script runs in {wall:.1f} s, "
                  f"server CPU {used / max(outcome.runs, 1) * 1000:.0f} ms per run, "
                  f"RSS {rss():.0f} MB, errors {len(outcome.errors)}")
            print(f"    first view          {_seconds(outcome.first)}  bytes {_kb(outcome.first_bytes)}")
            every = [s for values in outcome.by_action.values() for s in values]
            print(f"    any change          {_seconds(every)}")
            for action, values in outcome.by_action.items():
                new = outcome.bytes_by_action.get((action, False), [])
                again = outcome.bytes_by_action.get((action, True), [])
                print(f"    {action:<19} {_seconds(values)}  bytes: new view {_kb(new)}, seen before {_kb(again)}")
            for error in sorted(set(outcome.errors))[:5]:
                print(f"    error: {error}")
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="a built store (default: build the demo)")
    parser.add_argument("--sessions", default="1,10,30", help="comma-separated session counts (default 1,10,30)")
    parser.add_argument("--rounds", type=int, default=2, help="times each session walks the sequence (default 2)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause between a session's changes in seconds (uniform 0..2×; default 0)")
    parser.add_argument("--page", choices=sorted(WALKS), default="karte",
                        help="the page the sessions walk (default karte; the baselines are Karten)")
    parser.add_argument("--baselines", action="store_true",
                        help="also measure the two baselines in bench/baselines/ (naive and simple Karte)")
    parser.add_argument("--varied", action="store_true",
                        help="each session picks its own years and indicators at random (few shared views)")
    parser.add_argument("--processes", default="1",
                        help="comma-separated app process counts; above 1 through deploy/serve.sh (HAProxy)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--timeout", type=float, default=300.0, help="bound per script run in seconds")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.sessions.split(",") if c.strip()]
    if any(c < 1 or c > 100 for c in counts):
        parser.error("session counts must lie between 1 and 100")
    store = args.store
    if store is None:
        from sozialdash.build import build_demo

        store = Path(tempfile.mkdtemp(prefix="sozialdash-load-")) / "demo.duckdb"
        build_demo(store)
    apps = [(f"sozialdash {args.page}", ROOT / "app.py", WALKS[args.page])]
    if args.baselines:
        apps += [(name, ROOT / "bench" / "baselines" / f"{name}_karte.py", Walk("", "", SEQUENCE))
                 for name in BASELINES]
    for processes in [int(p) for p in args.processes.split(",") if p.strip()]:
        for label, app, walk in apps if processes == 1 else apps[:1]:
            measure(app, store.resolve(), counts, args.rounds, args.think, args.seed, args.timeout, label,
                    args.varied, walk, processes)


if __name__ == "__main__":
    main()
