"""``meta-ads sandbox``: run the local Graph API in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from skill.sandbox import DEFAULT_TOKEN

HELP = """Run the local sandbox Graph API in the foreground (until Ctrl-C).

It answers the Marketing API calls the kit makes, on 127.0.0.1, for the token it prints.
Faults (latency, transient errors, dropped responses, null batch entries) are seeded, so
a run with the same --seed fails the same way.

examples:
  meta-ads sandbox --port 8990
  meta-ads sandbox --state workspace/.sandbox/state.json --fail-rate 0.1 --seed 7
  curl -H "Authorization: Bearer sandbox-token" http://127.0.0.1:8990/v26.0/me/adaccounts"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help=f"the access token it accepts (default {DEFAULT_TOKEN})")
    parser.add_argument("--state", metavar="FILE", help="load the account from FILE and save every change to it")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay per request and per batch operation")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of calls failing with a transient error")
    parser.add_argument("--drop-rate", type=float, default=0.0,
                        help="share of writes committed whose response is then dropped")
    parser.add_argument("--null-rate", type=float, default=0.0, help="share of batch operations answered null")
    parser.add_argument("--rate-budget", type=float, default=None, help="rate-limit score per ad account")
    parser.add_argument("--rate-window", type=float, default=None, metavar="SECONDS",
                        help="seconds for a full budget to drain")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault dice (default 0)")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")


def settings_from(args: argparse.Namespace) -> dict[str, object]:
    settings: dict[str, object] = {
        "latency_ms": args.latency_ms, "fail_rate": args.fail_rate, "drop_rate": args.drop_rate,
        "null_rate": args.null_rate, "verbose": args.verbose,
    }
    if args.rate_budget is not None:
        settings["rate_budget"] = args.rate_budget
    if args.rate_window is not None:
        settings["rate_window_s"] = args.rate_window
    return settings


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until ``stop`` is set, for tests). Exit 0, or 1 if it cannot start."""
    from skill.sandbox.app import Sandbox

    try:
        sandbox = Sandbox(token=args.token, port=args.port, state_path=args.state, seed=args.seed,
                          **settings_from(args)).start()
    except (OSError, ValueError) as exc:
        print(f"Error: the sandbox could not start: {exc}")
        return 1
    print(f"Sandbox Graph API on {sandbox.url}  (token: {args.token})", flush=True)
    print(f"  try: curl -H 'Authorization: Bearer {args.token}' {sandbox.url}/v26.0/me/adaccounts", flush=True)
    print("  use it: META_GRAPH_URL=" + sandbox.url + f" FACEBOOK_ACCESS_TOKEN={args.token} meta-ads ...", flush=True)
    print("Ctrl-C to stop.", flush=True)
    stop = stop or threading.Event()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    print("Sandbox stopped." + (f" State saved to {args.state}." if args.state else ""), flush=True)
    return 0
