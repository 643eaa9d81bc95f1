"""Start-up of ``meta-ads mcp --sandbox``: time to the ``initialize`` answer and to ``tools/list``.

OpenClaw gives an MCP server 5 s to answer ``initialize``. Each run spawns the server as a
fresh process (the installed ``meta-ads`` script, as a client would), writes the JSON-RPC lines
a client writes and times the answers; ``python -c "import pydantic"`` and ``python -c "import
mcp"`` run alternately beside it, so machine load hits all alike. Prints medians, the load
average, the core count and the target table.
Run: python bench/bench_mcp_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "bench", "version": "0"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
GOALS = {"initialize": 1.5, "tools/list": 3.0}  # seconds, on an idle machine


def server_command() -> list[str]:
    script = Path(sys.executable).parent / "meta-ads"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "skill"]
    return [*base, "mcp", "--sandbox"]


# The same server started through the full CLI: the SDK answers initialize itself, after every import.
SDK_ANSWERS = [sys.executable, "-c", "import sys; from skill.cli import main; sys.exit(main(['mcp', '--sandbox']))"]


def _send(proc: subprocess.Popen, message: dict) -> None:
    assert proc.stdin is not None
    proc.stdin.write((json.dumps(message) + "\n").encode())
    proc.stdin.flush()


def _answer(proc: subprocess.Popen, request_id: int) -> dict:
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the server closed stdout before answering request {request_id}")
        message = json.loads(line)
        if message.get("id") == request_id:
            return message


def one_server_run(env: dict[str, str], cwd: str, cmd: list[str] | None = None) -> tuple[float, float, int]:
    """Seconds from spawn to the initialize answer and to the tools/list answer, and the tool count."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd or server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    try:
        _send(proc, INITIALIZE)  # a client writes at once; the pipe holds it until the server reads
        init = _answer(proc, 1)
        t_init = time.perf_counter() - start
        assert "result" in init, init
        _send(proc, INITIALIZED)
        _send(proc, LIST)
        tools = _answer(proc, 2)["result"]["tools"]
        t_list = time.perf_counter() - start
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=60)
    return t_init, t_list, len(tools)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    opts = parser.parse_args()
    names = ("initialize", "tools/list", "initialize, SDK answers", "import pydantic", "import mcp")
    times: dict[str, list[float]] = {k: [] for k in names}
    count = 0
    with tempfile.TemporaryDirectory() as tmp:  # no workspace here: the sandbox state goes to a temp cache
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache"), "HOME": str(Path(tmp) / "home")}
        for var in ("FACEBOOK_ACCESS_TOKEN", "META_WORKSPACE", "META_GRAPH_URL", "META_AD_ACCOUNT"):
            env.pop(var, None)
        one_server_run(env, tmp)  # warm the disk cache and the sandbox state once, untimed
        for _ in range(opts.runs):
            t_init, t_list, count = one_server_run(env, tmp)
            times["initialize"].append(t_init)
            times["tools/list"].append(t_list)
            times["initialize, SDK answers"].append(one_server_run(env, tmp, SDK_ANSWERS)[0])
            times["import pydantic"].append(timed([sys.executable, "-c", "import pydantic"]))
            times["import mcp"].append(timed([sys.executable, "-c", "import mcp"]))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"meta-ads mcp --sandbox start-up, median of {opts.runs} runs ({count} tools), "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, value in med.items():
        print(f"  {name:<24} {value:6.2f} s   (min {min(times[name]):.2f}, max {max(times[name]):.2f})")
    print(f"\ncores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for name, goal in GOALS.items():
        met = "yes" if med[name] <= goal else "no"
        print(f"| 16. mcp {name} answered | {med[name]:.2f} s | ≤ {goal:.1f} s idle | {met} |")
    ratio = med["initialize"] / med["import mcp"]
    print(f"| 16. mcp initialize vs `import mcp` | {ratio:.2f}× | < 1× | {'yes' if ratio < 1 else 'no'} |")


if __name__ == "__main__":
    main()
