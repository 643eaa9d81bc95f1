"""``meta-ads mcp``: every registry tool over MCP on stdio, with the official ``mcp`` SDK.

Imported only by the ``mcp`` command, through ``mcp_boot`` (which answers ``initialize`` while
this module, the SDK and the tool registry load). Only the SDK's low-level parts are imported
(``mcp_sdk.py``). Tools run in a worker thread; their progress events become MCP progress notifications; results are the ``--json``
documents (``skill/jsonout.py``); errors are tool errors (``isError``) with message and hint.
stdout is the JSON-RPC channel: nothing else may write to it.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, BinaryIO

import anyio
import anyio.to_thread
from anyio.from_thread import BlockingPortal

from skill import __version__
from skill.errors import KitError, redact
from skill.events import Event
from skill.jsonout import error_document, result_document
from skill.mcp_face import (
    annotations,
    confirmation_preview,
    description,
    input_schema,
    parse_arguments,
    title,
)
from skill.mcp_handshake import INSTRUCTIONS, NAME, TITLE
from skill.mcp_sdk import Server, ServerRequestContext, stdio_server, types
from skill.registry import Tool, ToolContext
from skill.runner import sandbox_overrides, sandbox_settings
from skill.settings import Settings, load_settings
from skill.tools import all_tools, get_tool


class Face:
    """What every call shares: the workspace flag and, with --sandbox, the sandbox's URL."""

    def __init__(self, workspace: str | None, sandbox_url: str | None = None) -> None:
        self.workspace = workspace
        self.sandbox_url = sandbox_url

    def settings(self) -> Settings:
        """Read afresh for each call, so edits to brand/stack.md count without a restart."""
        settings = load_settings(self.workspace)
        if self.sandbox_url:
            settings = settings.model_copy(update=sandbox_overrides(settings, self.sandbox_url))
        return settings


def mcp_tool(tool: Tool) -> types.Tool:
    return types.Tool(name=tool.name, title=title(tool), description=description(tool),
                      input_schema=input_schema(tool), annotations=types.ToolAnnotations(**annotations(tool)),
                      meta={"meta-ads/safety": tool.safety_level})


def _result(doc: dict[str, Any], secrets: tuple[str, ...], is_error: bool) -> types.CallToolResult:
    text = redact(json.dumps(doc, ensure_ascii=False), secrets)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                structured_content=json.loads(text), is_error=is_error)


def build_server(face: Face) -> Server:
    async def list_tools(ctx: ServerRequestContext, params: types.PaginatedRequestParams | None
                         ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[mcp_tool(t) for t in all_tools()])

    async def call_tool(ctx: ServerRequestContext, params: types.CallToolRequestParams) -> types.CallToolResult:
        secrets: tuple[str, ...] = ()
        try:
            tool = get_tool(params.name)
            if tool is None:
                names = ", ".join(t.name for t in all_tools())
                raise KitError(f"no tool {params.name!r}", hint=f"the tools: {names}")
            args, confirmed = parse_arguments(tool, params.arguments)
            if tool.needs_confirmation and not tool.confirm_field and not confirmed:
                return _result(confirmation_preview(tool, args), secrets, False)
            settings = face.settings()
            secrets = (settings.token.get_secret_value(),) if settings.token else ()
            result = await _run(ctx, tool, args, settings, secrets)
            doc = result_document(result)
            return _result(doc, secrets, not doc["ok"])
        except KitError as exc:
            return _result(error_document(exc), secrets, True)
        except Exception as exc:  # a tool error, never a protocol error with the message hidden
            if os.environ.get("META_ADS_DEBUG"):  # the traceback to stderr (the client's log), never stdout
                print(redact(traceback.format_exc(), secrets), file=sys.stderr, flush=True)
            doc = {"ok": False, "error": "InternalError", "message": f"{type(exc).__name__}: {exc}",
                   "hint": "start the server with META_ADS_DEBUG=1 for a traceback on stderr, and report it"}
            return _result(doc, secrets, True)

    return Server(NAME, version=__version__, title=TITLE, instructions=INSTRUCTIONS,
                  on_list_tools=list_tools, on_call_tool=call_tool)


async def _run(ctx: ServerRequestContext, tool: Tool, args: Any, settings: Settings,
               secrets: tuple[str, ...]) -> Any:
    """Run the (blocking) tool in a worker thread; each event becomes a progress notification."""
    count = 0

    async def progress(message: str) -> None:
        nonlocal count
        count += 1
        await ctx.session.report_progress(count, None, redact(message, secrets).strip())

    async with BlockingPortal() as portal:
        def report(event: Event) -> None:
            try:
                portal.call(progress, event.message)
            except Exception:  # a client gone away must not stop the job
                pass

        for warning in settings.stack_warnings:
            await progress(f"Warning: {warning}")
        context = ToolContext(settings, report, confirm=None)
        context.via = "mcp"  # the change log says which face asked
        try:
            return await anyio.to_thread.run_sync(tool.run, args, context)
        except Exception as exc:  # raised after the portal closes, or the task group wraps it
            failure = exc
    raise failure


@dataclass
class Wire:
    """stdin and stdout as ``mcp_boot`` took them: its first line already read (and perhaps answered)."""

    stdin: BinaryIO
    stdout: BinaryIO
    first: bytes
    answered: tuple[Any, dict[str, Any]] | None  # (id, result) of the initialize answered early


class _ReplayIn:
    """The first line again, then the rest of stdin (text, for the SDK's stdio transport)."""

    def __init__(self, wire: Wire) -> None:
        self.wire, self.pending = wire, wire.first

    def readline(self) -> str:
        line, self.pending = (self.pending, b"") if self.pending else (self.wire.stdin.readline(), b"")
        return line.decode("utf-8", errors="replace")


class _SkipAnswered:
    """stdout for the SDK, without its answer to the initialize already answered (compared to ours)."""

    def __init__(self, wire: Wire) -> None:
        self.wire, self.buffer = wire, ""
        self.skip = wire.answered

    def write(self, text: str) -> int:
        self.buffer += text
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            if not self._is_answered(line):
                self.wire.stdout.write(line.encode() + b"\n")
        return len(text)

    def flush(self) -> None:
        self.wire.stdout.flush()

    def _is_answered(self, line: str) -> bool:
        if self.skip is None:
            return False
        try:
            message = json.loads(line)
        except ValueError:
            return False
        if not isinstance(message, dict) or message.get("id") != self.skip[0] or "method" in message:
            return False
        if message.get("result") != self.skip[1]:
            print(f"meta-ads mcp: the early initialize answer differs from the SDK's: {line}", file=sys.stderr)
        self.skip = None
        return True


async def _serve(face: Face, wire: Wire | None = None) -> None:
    server = build_server(face)
    streams = (anyio.wrap_file(_ReplayIn(wire)), anyio.wrap_file(_SkipAnswered(wire))) if wire else (None, None)
    async with stdio_server(*streams) as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve(workspace: str | None, *, sandbox: bool = False, wire: Wire | None = None) -> int:
    """Serve until stdin closes. With ``sandbox``, one in-process sandbox for the whole session.
    ``wire``: stdin and stdout as ``mcp_boot`` claimed them; else the SDK claims the process's own."""
    with ExitStack() as stack:
        url = None
        if sandbox:
            url = stack.enter_context(sandbox_settings(load_settings(workspace))).graph_url
        print(f"meta-ads mcp: serving {len(all_tools())} tools on stdio"
              + (f" (sandbox at {url})" if url else ""), file=sys.stderr, flush=True)
        anyio.run(_serve, Face(workspace, url), wire)
    return 0
