"""The MCP handshake as this server answers it, in the standard library alone.

``mcp_boot`` answers ``initialize`` with it before the SDK is imported; ``mcp_server`` gives the
SDK's server the same name, title and instructions, so both answers are the same (a test
compares them with the SDK's own).
"""

from __future__ import annotations

import json
from typing import Any

from skill import __version__

NAME, TITLE = "meta-ads-kit", "Meta Ads Kit"
# The SDK's mcp_types.version: the handshake versions, and the one offered for any other.
HANDSHAKE_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
CAPABILITIES = {"tools": {"listChanged": False}}
INSTRUCTIONS = """Meta Ads Kit: images in, PAUSED Meta ads out, and reports on how they did.
Ads are always created PAUSED. Tools that can start or raise spend (annotated destructive) return a
preview first; show it to the user and call again with confirm=true only after their explicit yes.
Run validate, or upload with dry_run=true, before a real upload. Results are JSON documents with
"ok"; errors come back as tool errors with a message and a hint saying what to do."""


def initialize_result(params: Any) -> dict[str, Any] | None:
    """The ``initialize`` result for these params, or None when they are not well formed (the
    SDK then answers, with its own error)."""
    if not isinstance(params, dict):
        return None
    asked, info = params.get("protocolVersion"), params.get("clientInfo")
    if not isinstance(asked, str) or not isinstance(params.get("capabilities"), dict) or not isinstance(info, dict) \
            or not isinstance(info.get("name"), str) or not isinstance(info.get("version"), str):
        return None
    version = asked if asked in HANDSHAKE_VERSIONS else HANDSHAKE_VERSIONS[-1]
    return {"capabilities": CAPABILITIES, "instructions": INSTRUCTIONS, "protocolVersion": version,
            "serverInfo": {"name": NAME, "title": TITLE, "version": __version__}}


def early_answer(line: bytes) -> tuple[Any, dict[str, Any]] | None:
    """(request id, result) when ``line`` is an ``initialize`` request this module can answer."""
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("method") != "initialize" or message.get("jsonrpc") != "2.0":
        return None
    request_id = message.get("id")
    if not isinstance(request_id, str | int) or isinstance(request_id, bool):
        return None
    result = initialize_result(message.get("params"))
    return (request_id, result) if result is not None else None
