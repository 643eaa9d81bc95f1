"""`meta-ads mcp` through the mcp SDK's own client over stdio, against a sandbox on loopback.

One server process serves one conversation (list tools, validate, upload with progress, errors,
activate without and with confirm); each test checks one part of what came back, and what the
sandbox saw.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from factories import CAMPAIGN, copy_workspace
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN


class Talk:
    """What one conversation with the server returned."""

    def __init__(self) -> None:
        self.tools: dict[str, Any] = {}
        self.calls: dict[str, Any] = {}
        self.progress: dict[str, list[tuple[float, str | None]]] = {}
        self.states: dict[str, dict[str, Any]] = {}
        self.workspace = Path()


async def converse(params: StdioServerParameters, sandbox: Sandbox, talk: Talk) -> None:
    async def call(key: str, name: str, arguments: dict[str, Any]) -> None:
        seen: list[tuple[float, str | None]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append((progress, message))

        talk.calls[key] = await session.call_tool(name, arguments, progress_callback=on_progress)
        talk.progress[key] = seen
        talk.states[key] = sandbox.state_dump()

    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        talk.tools = {t.name: t for t in (await session.list_tools()).tools}
        await call("validate", "validate", {"campaign": CAMPAIGN})
        await call("missing", "validate", {"campaign": "no-such-campaign"})
        await call("misspelt", "insights", {"campaign": CAMPAIGN, "preset": "last_7d"})
        await call("upload", "upload", {"campaign": CAMPAIGN})
        await call("preview", "activate", {"ads": ["hero-receipt"], "yes": True})
        await call("activate", "activate", {"ads": ["hero-receipt"], "confirm": True})
        scale = {"campaign": CAMPAIGN, "scale": "20%"}
        await call("scale-preview", "winners", {**scale, "yes": True})  # a spend tool: yes alone is dropped
        await call("scale", "winners", {**scale, "confirm": True})
        await call("insights", "insights", {"campaign": CAMPAIGN, "breakdowns": ["age"]})


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Talk]:
    tmp = tmp_path_factory.mktemp("mcp")
    ws = copy_workspace(tmp)
    env = {**os.environ, "META_GRAPH_URL": "", "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN, "META_RETRY_BASE_S": "0.01",
           "HOME": str(tmp / "home"), "META_ADS_DEBUG": ""}
    env.pop("META_AD_ACCOUNT", None)
    result = Talk()
    result.workspace = ws
    with Sandbox(token=SANDBOX_TOKEN, report_delay_s=0.2) as sandbox:
        env["META_GRAPH_URL"] = sandbox.url
        params = StdioServerParameters(command=sys.executable, args=["-m", "skill", "mcp", "--workspace", str(ws)],
                                       env=env, cwd=str(tmp))
        anyio.run(converse, params, sandbox, result)
    yield result


def doc(result: Any) -> dict[str, Any]:
    """The JSON document of a call: the text content, which equals the structured content."""
    data = json.loads(result.content[0].text)
    assert data == result.structured_content
    return data


def test_every_registry_tool_is_listed_with_its_annotations(talk):
    from skill.tools import all_tools

    assert set(talk.tools) == {t.name for t in all_tools()}
    validate, upload, activate = talk.tools["validate"], talk.tools["upload"], talk.tools["activate"]
    assert validate.annotations.read_only_hint is True and validate.annotations.destructive_hint is False
    assert upload.annotations.read_only_hint is False and upload.annotations.destructive_hint is False
    assert upload.annotations.idempotent_hint is True and "PAUSED" in upload.description
    assert activate.annotations.destructive_hint is True and activate.annotations.read_only_hint is False
    assert "confirm" in activate.input_schema["properties"] and "yes" not in activate.input_schema["properties"]
    assert talk.tools["insights"].input_schema["properties"]["breakdowns"]["anyOf"][0]["items"]["enum"]


def test_validate_returns_the_json_document(talk):
    result = talk.calls["validate"]
    data = doc(result)
    assert result.is_error is False and data["ok"] is True and data["validated"] == 3
    assert [p[1] for p in talk.progress["validate"]][0].startswith("[1/3]")


def test_upload_creates_paused_ads_in_the_sandbox_with_progress(talk):
    result = talk.calls["upload"]
    data = doc(result)
    assert result.is_error is False and data["ok"] is True and data["created"] == 3
    ads = talk.states["upload"]["ads"]
    assert len(ads) == 3 and {a["status"] for a in ads.values()} == {"PAUSED"}
    messages = [m for _, m in talk.progress["upload"]]
    assert sum("Ad created" in (m or "") for m in messages) == 3 and any("Batch complete" in (m or "") for m in messages)
    numbers = [p for p, _ in talk.progress["upload"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_errors_are_tool_errors_with_message_and_hint(talk):
    missing = talk.calls["missing"]
    data = doc(missing)
    assert missing.is_error is True and data["ok"] is False and data["error"] == "ConfigError"
    assert "not found" in data["message"] and "summer-sale-2026" in data["hint"]
    misspelt = doc(talk.calls["misspelt"])
    assert talk.calls["misspelt"].is_error and "unknown argument 'preset'" in misspelt["message"]
    assert "date_preset" in misspelt["hint"]


def test_spending_needs_confirm_and_yes_is_not_enough(talk):
    preview = doc(talk.calls["preview"])
    assert preview["action"] == "activate-preview" and preview["activated"] == 0
    assert preview["ok"] is True and preview["daily_budget"]
    assert {a["status"] for a in talk.states["preview"]["ads"].values()} == {"PAUSED"}
    done = doc(talk.calls["activate"])
    assert done["ok"] is True and done["activated"] == 1
    assert sorted(a["status"] for a in talk.states["activate"]["ads"].values()) == ["ACTIVE", "PAUSED", "PAUSED"]


def test_insights_numbers_are_numbers_and_the_token_never_shows(talk):
    data = doc(talk.calls["insights"])
    assert data["ok"] is True and isinstance(data["totals"]["spend"], int | float)
    assert data["breakdown"] and isinstance(data["totals"]["impressions"], int)
    for result in talk.calls.values():
        assert SANDBOX_TOKEN not in result.content[0].text


def test_mcp_sdk_is_not_imported_by_other_commands(tmp_path: Path):
    import subprocess

    code = "import sys; from skill.cli import build_parser; build_parser(); print('mcp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_sandbox_server_in_a_folder_without_workspace_leaves_no_stray_state(tmp_path: Path):
    """`meta-ads mcp --sandbox` where there is no workspace: tools work, the folder stays empty."""
    empty, cache = tmp_path / "empty", tmp_path / "cache"
    empty.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(tmp_path / "home")}
    for key in ("FACEBOOK_ACCESS_TOKEN", "META_GRAPH_URL", "META_WORKSPACE", "META_AD_ACCOUNT"):
        env.pop(key, None)
    params = StdioServerParameters(command=sys.executable, args=["-m", "skill", "mcp", "--sandbox"],
                                   env=env, cwd=str(empty))
    got: dict[str, Any] = {}

    async def check() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            got["auth"] = await session.call_tool("auth_check", {})

    anyio.run(check)
    data = doc(got["auth"])
    assert data["ok"] is True and data["valid"] is True and data["token_source"] == "sandbox"
    assert list(empty.iterdir()) == []
    assert list(cache.glob("meta-ads/sandbox/*/state.json"))


ADSET = "23847000000001"


def test_winners_is_a_spend_tool_over_mcp_preview_first_then_confirm(talk):
    winners = talk.tools["winners"]
    assert winners.annotations.destructive_hint is True and winners.meta["meta-ads/safety"] == "spend"
    assert "confirm" in winners.input_schema["properties"] and "yes" not in winners.input_schema["properties"]
    assert talk.tools["audiences"].annotations.read_only_hint is True
    assert talk.tools["bleeders"].annotations.destructive_hint is False
    preview = doc(talk.calls["scale-preview"])
    assert preview["ok"] is True and preview["kind"] == "scale" and preview["applied"] is False
    assert preview["budgets"]["action"] == "scale-preview" and preview["budgets"]["needs_yes"] is True
    assert talk.states["scale-preview"]["adsets"][ADSET]["daily_budget"] == "5000"
    done = doc(talk.calls["scale"])
    assert done["ok"] is True and done["applied"] is True
    assert talk.states["scale"]["adsets"][ADSET]["daily_budget"] == "6000"


def test_the_change_log_says_the_changes_came_through_mcp(talk):
    log = [json.loads(line) for line in (talk.workspace / "brand" / "changes.jsonl").read_text().splitlines()]
    assert [(e["action"], e["name"]) for e in log] == [("activate", "hero-receipt"),
                                                     ("budget", "summer-sale-2026 - broad")]
    assert {e["via"] for e in log} == {"mcp"}
