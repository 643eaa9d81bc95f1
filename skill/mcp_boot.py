"""``meta-ads mcp`` starts here: ``initialize`` is answered before anything heavy is imported.

An MCP client waits a few seconds for the answer to ``initialize`` (OpenClaw: 5 s), and importing
the ``mcp`` SDK and the tool registry takes seconds on a loaded machine. So this module imports
only the standard library: it takes the process's stdin and stdout for the JSON-RPC wire (fd 0
then reads /dev/null and fd 1 goes to stderr, so no stray output reaches the wire), starts the
heavy imports in a thread, reads the client's first line and, when it is a well-formed
``initialize``, answers it at once with what the SDK would answer (same protocol-version
negotiation, capabilities, server info and instructions). Then it hands the wire to the SDK's
server (``mcp_server.serve``), replaying that first line; the SDK's own answer to it is dropped
(and compared with ours: a difference is reported on stderr).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any, BinaryIO

from skill.mcp_handshake import early_answer, request_of


def parse(argv: list[str]) -> tuple[str | None, bool] | None:
    """``[--workspace DIR] [--sandbox]`` → (workspace, sandbox); anything else → None (the full CLI
    then handles it, with its help and usage errors)."""
    workspace, sandbox, rest = None, False, list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--sandbox":
            sandbox = True
        elif arg == "--workspace" and rest:
            workspace = rest.pop(0)
        elif arg.startswith("--workspace="):
            workspace = arg.split("=", 1)[1]
        else:
            return None
    return workspace, sandbox


def claim_stdio() -> tuple[BinaryIO, BinaryIO]:
    """The wire, on private descriptors; fd 0 then reads /dev/null, fd 1 writes to stderr."""
    wire_in = os.fdopen(os.dup(0), "rb")
    wire_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return wire_in, wire_out


class Preparation(threading.Thread):
    """Imports the SDK and the server (with the tool registry) while the main thread answers."""

    def __init__(self) -> None:
        super().__init__(name="meta-ads-mcp-imports", daemon=True)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            import skill.mcp_server  # noqa: F401 (the SDK, the tool registry)
        except BaseException as exc:  # noqa: BLE001 (raised again in the main thread)
            self.error = exc


def main(argv: list[str]) -> int | None:
    """Serve MCP on stdio; None when ``argv`` is not a plain ``mcp`` call (the CLI takes it)."""
    opts = parse(argv)
    if opts is None:
        return None
    wire_in, wire_out = claim_stdio()
    preparation = Preparation()
    preparation.start()
    lines, answered = read_early(wire_in, wire_out)
    preparation.join()
    if preparation.error is not None:  # one line on stderr (the client's log), never a traceback
        error = preparation.error
        print(f"meta-ads mcp: cannot start: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
    from skill.mcp_server import Wire, serve

    wire = Wire(wire_in, wire_out, lines, answered)
    return serve(opts[0], sandbox=opts[1], wire=wire)


def read_early(wire_in: BinaryIO, wire_out: BinaryIO) -> tuple[list[bytes], dict[Any, dict[str, Any]]]:
    """Answer ``initialize`` and ``tools/list`` while the SDK loads; stop at the first line that
    needs the SDK (a tool call, anything unknown, end of input). Every line read is kept: the
    SDK's server reads them all again and its answers to the ones answered here are dropped."""
    lines: list[bytes] = []
    answered: dict[Any, dict[str, Any]] = {}
    while True:
        line = wire_in.readline()
        lines.append(line)
        if not line:
            return lines, answered
        early = early_answer(line, first=len(lines) == 1)
        if early is not None and early[0] not in answered:
            request_id, result = early
            answered[request_id] = result
            answer = {"jsonrpc": "2.0", "id": request_id, "result": result}
            wire_out.write(json.dumps(answer, separators=(",", ":")).encode() + b"\n")
            wire_out.flush()
            continue
        message = request_of(line)
        if message is None or "id" in message or "method" not in message:
            return lines, answered  # not a notification (those need no answer): the SDK's to answer


def entry(argv: list[str] | None = None) -> int:
    """The ``meta-ads`` command: ``mcp`` starts here, everything else in ``skill.cli``."""
    from skill.startup import skip_pydantic_plugins

    skip_pydantic_plugins()  # before pydantic loads (the kit uses no pydantic plugin)
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["mcp"]:
        code = main(args[1:])
        if code is not None:
            return code
    from skill.cli import main as cli_main

    return cli_main(argv)
