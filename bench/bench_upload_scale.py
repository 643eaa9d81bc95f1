"""The upload at 10, 100 and 500 ads beside the best ``facebook-business`` batch scripts and the floor.

Targets 1 and 6 of the scale issue, side by side in one run, each size on a fresh sandbox and
workspace per way:

- ``facebook-business``: the plain SDK scripts of ``bench_sdk.py`` (three phases of 50-operation
  batches: images, creatives, ads; no validation, no records, no look-ups), one batch at a time
  and with ``--parallel`` threads per phase (the best we could write with the SDK);
- the kit (``upload_batch``: validation, look-up in the account, ledgers, records), sequential
  and with ``--parallel``, in Graph batch calls at every size (``batches="sync"``: from 300 ads the
  kit would otherwise use async request sets, which ``bench_async.py`` measures).

The sandbox and the latency proxy run in a child process, so the figures are the client's own:
its wall time, its CPU time (all threads; the sandbox's is printed apart) and the fsyncs it made
(``os.fsync`` wrapped). The round-trip floor is what the work needs at the latency: one read of
the account (exactly once needs it; the SDK scripts skip it), the images in calls of 50, the
creatives and ads in calls of 50 operations (25 ads), each phase's calls ``--parallel`` at a time.

Run: python bench/bench_upload_scale.py [--sizes 10,100,200] [--full] [--latency-ms 100] [--parallel 5] [--runs 1]
(``--full`` adds 500 ads; the default sizes run in about two minutes on a loaded 2-core machine.)
The sandbox's rate budget is lifted: the SDK scripts have no pacing, and ``bench_rate.py`` measures the kit's.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_sdk import BATCH, sdk_way
from bench_upload import CAMPAIGN, TOKEN, graph_endpoint, make_workspace

IMAGES = 40


# ---------------------------------------------------------------- the server, in its own process


def _serve(conn, latency_ms: float) -> None:  # runs in the child
    with graph_endpoint("network", latency_ms) as (url, sb):
        sb.configure(rate_budget=1e9)  # no rate limit here (bench_rate.py measures pacing): the SDK scripts have none
        conn.send(url)
        while True:
            command = conn.recv()
            if command == "stop":
                break
            if command == "cpu":
                conn.send(time.process_time())
            elif command == "counts":
                dump = sb.state_dump()
                conn.send({k: len(dump[k]) for k in ("ads", "creatives", "images")})


class Server:
    def __init__(self, latency_ms: float) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, latency_ms), daemon=True)
        self.proc.start()
        self.url = self.conn.recv()

    def ask(self, command: str):
        self.conn.send(command)
        return self.conn.recv()

    def stop(self) -> None:
        self.conn.send("stop")
        self.proc.join(timeout=10)


# ---------------------------------------------------------------- the ways


Prepared = Callable[[], None]


def kit_way(parallel: int) -> Callable[[str, Path], Prepared]:
    """The kit, all of it timed: settings, validation, look-ups, ledgers, records."""

    def prepare(url: str, ws: Path) -> Prepared:
        def run() -> None:
            from skill.graph import GraphClient
            from skill.settings import load_settings
            from skill.upload.run import upload_batch

            settings = load_settings(ws).model_copy(update={"graph_url": url})
            client = GraphClient(url, TOKEN, retry_base_s=1.0, ad_account=settings.ad_account)
            summary = upload_batch(settings, CAMPAIGN, client=client, parallel=parallel, batches="sync")
            assert summary.ok, summary.stopped

        return run

    return prepare


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    wall: float
    cpu: float  # the client process, every thread
    server_cpu: float
    fsyncs: int


_fsyncs = 0
_real_fsync = os.fsync
_count_lock = threading.Lock()


def _counting_fsync(fd: int) -> None:
    global _fsyncs
    with _count_lock:
        _fsyncs += 1
    _real_fsync(fd)


def measure(way: Callable[[str, Path], Prepared], ads: int, latency_ms: float) -> Run:
    global _fsyncs
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp), ads, min(IMAGES, ads))
        server = Server(latency_ms)
        try:
            run = way(server.url, ws)
            server_before = server.ask("cpu")
            _fsyncs = 0
            os.fsync = _counting_fsync
            cpu, start = time.process_time(), time.perf_counter()
            try:
                run()
            finally:
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                os.fsync = _real_fsync
            counts = server.ask("counts")
            assert counts["ads"] == ads and counts["creatives"] == ads, f"every ad created once: {counts}"
            return Run(wall, cpu, server.ask("cpu") - server_before, _fsyncs)
        finally:
            server.stop()


def floor_s(ads: int, images: int, parallel: int, latency_ms: float) -> float:
    """Round trips the work needs × latency: the account read, then the images' calls, then the
    ads' calls (creative + ad: 25 ads a call), ``parallel`` calls at a time."""
    trips = 1 + math.ceil(math.ceil(images / BATCH) / parallel) + math.ceil(math.ceil(2 * ads / BATCH) / parallel)
    return trips * latency_ms / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,200", help="numbers of ads, comma-separated")
    parser.add_argument("--full", action="store_true", help="add 500 ads")
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--parallel", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1, help="runs per way and size (medians)")
    opts = parser.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")] + ([500] if opts.full else [])
    import skill.upload.run  # noqa: F401  (imported before timing: start-up is target 5's business)
    n = opts.parallel
    ways = {"facebook-business, 3 phases × 50 ops": sdk_way(1),
            f"facebook-business, 3 phases × 50 ops, {n} threads": sdk_way(n),
            "kit, sequential": kit_way(1), f"kit, --parallel {n}": kit_way(n)}
    table: dict[int, dict[str, Run]] = {}
    for ads in sizes:
        runs: dict[str, list[Run]] = {name: [] for name in ways}
        for _ in range(opts.runs):  # interleaved, so machine noise hits every way alike
            for name, way in ways.items():
                runs[name].append(measure(way, ads, opts.latency_ms))
        table[ads] = {name: Run(*(statistics.median(getattr(r, f) for r in rs)
                                  for f in ("wall", "cpu", "server_cpu", "fsyncs"))) for name, rs in runs.items()}
        report_size(ads, table[ads], opts)
    print_targets(table, opts)


def report_size(ads: int, runs: dict[str, Run], opts: argparse.Namespace) -> None:
    images = min(IMAGES, ads)
    seq, par = floor_s(ads, images, 1, opts.latency_ms), floor_s(ads, images, opts.parallel, opts.latency_ms)
    best_sdk = min(r.wall for name, r in runs.items() if name.startswith("facebook"))
    print(f"\n{ads} ads, {images} images, {opts.latency_ms:.0f} ms per round trip; "
          f"round-trip floor {seq:.1f}s sequential, {par:.1f}s at {opts.parallel} calls at once; median of {opts.runs}")
    print(f"  {'way':<46} {'wall':>7} {'vs best SDK':>11} {'vs floor':>8} {'client CPU/ad':>13} "
          f"{'server CPU':>10} {'fsyncs/ad':>9}")
    for name, r in runs.items():
        floor = seq if ("sequential" in name or ("threads" not in name and "facebook" in name)) else par
        print(f"  {name:<46} {r.wall:>6.2f}s {best_sdk / r.wall:>10.2f}× {r.wall / floor:>7.1f}× "
              f"{r.cpu / ads * 1000:>10.2f} ms {r.server_cpu:>9.2f}s {r.fsyncs / ads:>9.2f}")


def print_targets(table: dict[int, dict[str, Run]], opts: argparse.Namespace) -> None:
    n = opts.parallel
    par_name = f"kit, --parallel {n}"
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for ads, runs in table.items():
        best_name, best = min(((k, v) for k, v in runs.items() if k.startswith("facebook")), key=lambda kv: kv[1].wall)
        kit = runs[par_name]
        ratio = best.wall / kit.wall
        how = f"{n} threads" if "threads" in best_name else "one batch at a time"
        print(f"| 1. upload {ads} ads vs best SDK script | kit --parallel {n} {kit.wall:.2f}s, SDK ({how}) "
              f"{best.wall:.2f}s: {ratio:.2f}× | ≥ 1.00× | {'yes' if ratio >= 1 else 'no'} |")
        floor = floor_s(ads, min(IMAGES, ads), n, opts.latency_ms)
        print(f"| 1. upload {ads} ads vs round-trip floor | {kit.wall:.2f}s = {kit.wall / floor:.1f}× "
              f"the floor {floor:.1f}s | ≤ 2× | {'yes' if kit.wall <= 2 * floor else 'no'} |")
        calls = math.ceil(ads / 25)  # the ads' batch calls; per call: its in-flight file and the assets.md rows
        print(f"| 6. fsyncs per ad, {ads} ads | {kit.fsyncs / ads:.2f} ({kit.fsyncs} for {ads} ads in {calls} calls) "
              f"| one per file per batch of ads (≤ 2 a call + 1) | {'yes' if kit.fsyncs <= 2 * calls + 1 else 'no'} |")
    big = sorted(a for a in table if a >= IMAGES)  # the same 40 images: the difference is ads alone
    if len(big) >= 2:
        lo, hi = big[0], big[-1]
        for name in ("kit, sequential", par_name):
            ms = (table[hi][name].cpu - table[lo][name].cpu) / (hi - lo) * 1000
            print(f"| 1. own CPU per added ad, {lo}→{hi} ads, {name.removeprefix('kit, ')} | {ms:.2f} ms "
                  f"| ≤ ~1 ms | {'yes' if ms <= 1.2 else 'no'} |")
        wall_lo, wall_hi = table[lo][par_name].wall, table[hi][par_name].wall
        growth = (wall_hi / hi) / (wall_lo / lo)
        print(f"| 1. linear in ads: wall per ad at {hi} / at {lo}, --parallel {n} | {growth:.2f} | ≤ 1 "
              f"| {'yes' if growth <= 1.1 else 'no'} |")


if __name__ == "__main__":
    main()
