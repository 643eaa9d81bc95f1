"""Writes ``mcp_tools.json``: the SDK's own answer to ``tools/list``, which ``mcp_boot`` sends
before the SDK has loaded (OpenClaw waits 1.5 s for the listing).

``python -m skill.mcp_listing`` starts ``meta-ads mcp`` without the early answers, asks it for
its tools as a client would and saves the result; tests/test_mcp_startup.py fails when the saved
file differs from what the server answers today.
"""

from __future__ import annotations

import json
import subprocess
import sys

from skill.mcp_handshake import LISTING

SDK_ONLY = "import sys; from skill.cli import main; sys.exit(main(['mcp']))"


def sdk_listing(version: str = "2025-06-18") -> dict:
    """The ``tools/list`` result of a server that has no early answers."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "listing", "version": "0"}}}
    messages = [init, {"jsonrpc": "2.0", "method": "notifications/initialized"},
                {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}]
    proc = subprocess.Popen([sys.executable, "-c", SDK_ONLY], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
    proc.stdin.flush()
    try:
        for line in proc.stdout:
            answer = json.loads(line)
            if answer.get("id") == 2:
                return answer["result"]
        raise RuntimeError("the server ended without listing its tools")
    finally:
        proc.stdin.close()
        proc.wait(timeout=120)


def main() -> int:
    listing = sdk_listing()
    LISTING.write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {LISTING} ({len(listing['tools'])} tools)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
