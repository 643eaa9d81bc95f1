"""The registry's tools as an MCP client sees them: schemas, annotations, descriptions, arguments.

Pure and cheap (no ``mcp`` import): ``mcp_server.py`` serves what is built here, and the tests
check it without starting a server. Each tool is defined once, in ``skill/tools/``; its
``safety`` (see ``registry.py``) decides the annotations and whether a ``confirm`` argument
stands in for the CLI's ``--yes``.
"""

from __future__ import annotations

import argparse
import copy
from typing import TYPE_CHECKING, Any

from skill.errors import UsageError
from skill.mcp_handshake import INSTRUCTIONS  # noqa: F401 (the server's instructions, defined once)

if TYPE_CHECKING:  # `meta-ads --help` shows this module's HELP without loading pydantic
    from pydantic import BaseModel

    from skill.registry import Tool

CONFIRM = "confirm"
CONFIRM_HELP = ("Set true only after the user has seen the preview (a call without confirm) and "
                "explicitly said yes to it in this conversation. Never set it on your own.")

# safety → MCP tool annotations (hints; see the MCP spec's ToolAnnotations)
ANNOTATIONS: dict[str, dict[str, bool]] = {
    "read": {"read_only_hint": True, "destructive_hint": False, "idempotent_hint": True, "open_world_hint": True},
    "create_paused": {"read_only_hint": False, "destructive_hint": False, "idempotent_hint": True,
                      "open_world_hint": True},
    "write": {"read_only_hint": False, "destructive_hint": False, "idempotent_hint": True, "open_world_hint": True},
    "spend": {"read_only_hint": False, "destructive_hint": True, "idempotent_hint": False, "open_world_hint": True},
}

SAFETY_NOTES = {
    "read": "Read-only: changes nothing in the ad account.",
    "create_paused": "Creates objects in the ad account, always PAUSED (nothing spends), exactly once: "
                     "a repeated call adopts what exists.",
    "write": "Changes the ad account but never raises spend.",
    "spend": "Can start or raise spend. Call it without confirm first: nothing changes, and the result is "
             "a preview to show the user. Call it again with confirm=true only after the user's explicit yes.",
}

HELP = """Serve every tool over MCP (stdio), for OpenClaw's mcp.servers, Claude and any MCP client.

Reads JSON-RPC on stdin and writes it on stdout; nothing else is printed there. Tools are the
same as the commands (names like `meta-ads tools`), results the same JSON documents as --json.
Anything that can raise spend answers with a preview unless called with confirm=true.
With --sandbox every tool works against the local sandbox (no token needed).

examples:
  meta-ads mcp
  meta-ads mcp --sandbox
  meta-ads mcp --workspace ~/ads/workspace"""


def title(tool: Tool) -> str:
    return " ".join(tool.command).replace("-", " ").capitalize()


def annotations(tool: Tool) -> dict[str, Any]:
    return {"title": title(tool), **ANNOTATIONS[tool.safety_level]}


def description(tool: Tool) -> str:
    return f"{tool.description}\n\n{SAFETY_NOTES[tool.safety_level]}"


def input_schema(tool: Tool) -> dict[str, Any]:
    """The tool's input schema; for spend tools the CLI's ``yes`` becomes ``confirm``."""
    schema = copy.deepcopy(tool.input_schema())
    if not tool.needs_confirmation:
        return schema
    props = schema.setdefault("properties", {})
    if tool.confirm_field:
        props.pop(tool.confirm_field, None)
        schema["required"] = [r for r in schema.get("required", []) if r != tool.confirm_field]
        if not schema["required"]:
            schema.pop("required")
    props[CONFIRM] = {"type": "boolean", "default": False, "title": "Confirm", "description": CONFIRM_HELP}
    return schema


def parse_arguments(tool: Tool, arguments: dict[str, Any] | None) -> tuple[BaseModel, bool]:
    """MCP arguments → the tool's input model, and whether the user's yes was given.

    Unknown arguments are refused (a misspelt one would otherwise be silently dropped). A ``yes``
    sent to a spend tool is dropped: only ``confirm`` carries the yes over MCP.
    """
    from pydantic import ValidationError

    data = dict(arguments or {})
    confirmed = False
    if tool.needs_confirmation:
        confirmed = data.pop(CONFIRM, False) is True
        if tool.confirm_field:
            data.pop(tool.confirm_field, None)
            data[tool.confirm_field] = confirmed
    unknown = sorted(set(data) - set(tool.args.model_fields))
    if unknown:
        known = ", ".join(sorted(input_schema(tool).get("properties", {}))) or "none"
        raise UsageError(f"{tool.name}: unknown argument {unknown[0]!r}", hint=f"its arguments: {known}")
    try:
        return tool.args.model_validate(data), confirmed
    except ValidationError as exc:
        from skill.models import format_loc

        err = exc.errors(include_url=False)[0]
        raise UsageError(f"{tool.name}: {format_loc(tuple(err['loc']))}: {err['msg']}",
                         hint="see the tool's input schema") from None


def confirmation_preview(tool: Tool, args: BaseModel) -> dict[str, Any]:
    """What a spend tool without its own preview returns when called without confirm: nothing runs."""
    shown = {k: v for k, v in args.model_dump(mode="json").items() if v is not None}
    return {"ok": True, "needs_confirmation": True, "tool": tool.name, "args": shown,
            "message": f"Nothing was done. {tool.name} can start or raise spend: show the user what it would "
                       f"do with these arguments, and call it again with confirm=true only after their yes."}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``meta-ads mcp`` takes only the common options (--workspace, --sandbox)."""
