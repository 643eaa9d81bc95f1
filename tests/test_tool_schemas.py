"""The rules every tool's schema keeps, as a model reads it (``meta-ads tools``, the router, MCP):
checked over the whole registry, so a tool added later is checked too."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from skill import mcp_face
from skill.cli import main
from skill.registry import SAFETY_LEVELS, Tool, arg
from skill.tools import all_tools

TOOLS = all_tools()
FIXED_VALUES = {"date_preset", "level", "breakdowns", "mode", "cta", "result"}  # fields whose values Meta fixes


def descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [d for v in node.values() for d in descriptions(v)]
    if isinstance(node, list):
        return [d for v in node for d in descriptions(v)]
    return []


def branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """A property's schema without the ``null`` of an optional field."""
    return [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_no_cli_flags_in_what_a_model_reads(tool: Tool):
    for schema in (tool.anthropic_schema(), {"d": mcp_face.description(tool), "s": mcp_face.input_schema(tool)}):
        text = json.dumps(schema)
        assert "--" not in text, f"{tool.name}: a CLI flag in {[d for d in descriptions(schema) if '--' in d]}"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_no_command_line_idioms_in_what_a_model_reads(tool: Tool):
    """An array is an array in the schema: "repeatable" and "comma-separated" are for --help only."""
    text = json.dumps({"d": mcp_face.description(tool), "s": mcp_face.input_schema(tool)}).lower()
    for idiom in ("repeatable", "comma-separated", "comma separated", "re-run with", "flag"):
        assert idiom not in text, f"{tool.name}: {idiom!r} in what a model reads"


def test_the_cli_still_says_how_lists_are_typed(capsys):
    with pytest.raises(SystemExit):
        main(["insights", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Meta campaign ids to report on (repeatable)" in out and "on their own) (comma-separated)" in out


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_arrays_are_arrays_and_fixed_values_are_enums(tool: Tool):
    schema = mcp_face.input_schema(tool)
    assert schema["type"] == "object"
    for name, field in tool.args.model_fields.items():
        if name == tool.confirm_field and tool.needs_confirmation:
            continue
        prop = schema["properties"][name]
        assert prop.get("description"), f"{tool.name}.{name} has no description"
        annotation = typing.get_origin(field.annotation) and field.annotation
        if "list[" in str(field.annotation):
            arrays = [b for b in branches(prop) if b.get("type") == "array"]
            assert arrays and arrays[0].get("items", {}).get("type"), f"{tool.name}.{name} is not an array of typed items"
        if name in FIXED_VALUES:
            inner = [b.get("items", b) for b in branches(prop)]
            assert all("enum" in b or "const" in b for b in inner), f"{tool.name}.{name}: no enum ({annotation})"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_every_tool_has_known_safety_and_matching_annotations(tool: Tool):
    assert tool.safety_level in SAFETY_LEVELS
    hints = mcp_face.annotations(tool)
    assert hints["read_only_hint"] is (tool.safety_level == "read")
    assert hints["destructive_hint"] is (tool.safety_level == "spend")
    props = mcp_face.input_schema(tool)["properties"]
    if tool.needs_confirmation:
        assert props["confirm"]["type"] == "boolean" and props["confirm"]["default"] is False
        assert "yes" not in props and "explicitly said yes" in props["confirm"]["description"]
        assert "confirm" in mcp_face.description(tool)
    else:
        assert "confirm" not in props


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_every_tool_declares_its_safety_instead_of_relying_on_the_default(tool: Tool):
    assert tool.safety in SAFETY_LEVELS, f"{tool.name}: @tool(..., safety=...) is missing (the default is spend)"
    assert tool.safety_level == tool.safety, f"{tool.name}: declared {tool.safety} but handled as {tool.safety_level}"


def test_the_jobs_declare_what_the_issue_says():
    """Each level is what the tool can do at most with its arguments."""
    safety = {t.name: t.safety_level for t in TOOLS}
    reads = ("validate", "insights", "daily_check", "auth_check", "audiences", "pixel_check", "preview", "history")
    assert {safety[n] for n in reads} == {"read"}
    assert safety["winners"] == safety["budget"] == "spend"  # scale / increase raise budgets: preview, then confirm
    assert safety["upload"] == safety["copy"] == safety["launch"] == "create_paused"
    assert safety["activate"] == "spend" and safety["pause"] == safety["bleeders"] == "write"  # bleeders pause at most
    assert safety["fatigue"] == safety["refresh"] == "write"  # new creatives; a v2 ad is PAUSED, a swap keeps status
    # audiences are no PAUSED objects and carry (hashed) people's data; events change what Meta counts
    assert {safety[n] for n in ("audience_create", "audience_website", "audience_lookalike", "capi_send")} == {"write"}


class _BudgetArgs(BaseModel):
    adset: str = arg(description="Ad set id")
    amount: float = arg(description="New daily budget")


def _undeclared() -> Tool:
    return Tool("raise_budget", ("raise-budget",), _BudgetArgs, lambda a, c: a)


def test_an_undeclared_tool_is_handled_as_spend_and_previewed():
    tool = _undeclared()
    assert tool.safety_level == "spend" and tool.needs_confirmation and tool.confirm_field is None
    assert Tool("x", ("x",), _BudgetArgs, lambda a, c: a, safety="shiny").safety_level == "spend"
    args, confirmed = mcp_face.parse_arguments(tool, {"adset": "1", "amount": 80})
    assert confirmed is False
    preview = mcp_face.confirmation_preview(tool, args)
    assert preview["needs_confirmation"] is True and preview["args"] == {"adset": "1", "amount": 80.0}
    assert mcp_face.parse_arguments(tool, {"adset": "1", "amount": 80, "confirm": True})[1] is True


def test_confirm_is_the_clis_yes_and_a_yes_alone_is_dropped():
    activate = next(t for t in TOOLS if t.name == "activate")
    args, confirmed = mcp_face.parse_arguments(activate, {"ads": ["a"], "yes": True})
    assert args.yes is False and confirmed is False  # type: ignore[attr-defined]
    args, confirmed = mcp_face.parse_arguments(activate, {"ads": ["a"], "confirm": True})
    assert args.yes is True and confirmed is True  # type: ignore[attr-defined]
    args, _ = mcp_face.parse_arguments(activate, {"ads": ["a"], "confirm": "yes"})
    assert args.yes is False  # type: ignore[attr-defined]  # only a real true confirms


def test_meta_ads_tools_shows_safety_and_no_cli_flags(capsys):
    assert main(["tools"]) == 0
    out = capsys.readouterr().out
    tools = json.loads(out)
    assert "--" not in out and {t["name"]: t["safety"] for t in tools}["activate"] == "spend"
