"""The model fallback: when the grammar is unsure, Claude picks a tool over the registry's schemas.

One Messages API call with tool use: the tools are ``Tool.anthropic_schema()`` for every
registered tool (never hand-written), the system prompt is ``prompts/router_system.j2``;
both carry ``cache_control`` so repeated routing reads them from the prompt cache. The
workspace's names go in the user turn, so the cached prefix stays the same across requests.

The model's choice is checked like a user's: the tool must exist, the campaign must be in
the workspace, the arguments must fit the tool's model, and activation never carries a yes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from typing import Any

import anthropic
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError

from skill.errors import KitError
from skill.models import format_loc
from skill.nl.mentions import Vocabulary
from skill.tools import all_tools, get_tool

DEFAULT_ROUTER_MODEL = "claude-haiku-5-5"
MAX_LISTED_ADS = 60
PRESETS = ["today", "yesterday", "this_month", "last_month", "this_quarter", "last_quarter", "this_year",
           "last_year", "this_week_mon_today", "last_week_mon_sun", "last_3d", "last_7d", "last_14d", "last_28d",
           "last_30d", "last_90d", "maximum"]


class RouterModelError(KitError):
    """The model could not be asked, or its answer could not be used."""


def available(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN"))


def router_model(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("META_ROUTER_MODEL") or DEFAULT_ROUTER_MODEL


@cache
def system_prompt() -> str:
    environment = Environment(loader=PackageLoader("skill.prompts", "."), undefined=StrictUndefined,
                              autoescape=False, keep_trailing_newline=True)
    return environment.get_template("router_system.j2").render(presets=PRESETS).strip()


def tool_schemas() -> list[dict[str, Any]]:
    """Every registered tool in the Messages API's format; the last one ends the cached prefix."""
    tools = [dict(t.anthropic_schema()) for t in sorted(all_tools(), key=lambda t: t.name)]
    if tools:
        tools[-1]["cache_control"] = {"type": "ephemeral"}
    return tools


def user_turn(text: str, vocab: Vocabulary, images: list[str]) -> str:
    ads = [f"{name} ({campaign})" for campaign, names in vocab.ads.items() for name in names][:MAX_LISTED_ADS]
    ids = [f"{ad_id} = {name}" for ad_id, name in vocab.ad_ids.items()][:MAX_LISTED_ADS]
    lines = [
        f"Today: {vocab.today.isoformat()}",
        "Campaigns in the workspace: " + (", ".join(vocab.campaigns) or "none"),
        "Ads in the workspace: " + (", ".join(ads) or "none"),
        "Uploaded ad ids: " + (", ".join(ids) or "none"),
        "Attached images: " + (", ".join(images) or "none"),
        "",
        "Request: " + text,
    ]
    return "\n".join(lines)


def make_client(env: Mapping[str, str] | None = None) -> anthropic.Anthropic:
    env = os.environ if env is None else env
    key = env.get("ANTHROPIC_API_KEY") or None
    return anthropic.Anthropic(
        api_key=key, auth_token=None if key else env.get("ANTHROPIC_AUTH_TOKEN"),
        base_url=env.get("ANTHROPIC_BASE_URL") or None, max_retries=2, timeout=30.0,
    )


def ask_model(text: str, vocab: Vocabulary, images: list[str], *, client: anthropic.Anthropic | None = None,
              env: Mapping[str, str] | None = None) -> tuple[str | None, dict[str, Any], str]:
    """One routing call: (tool name or None, its input, the model's text)."""
    client = client or make_client(env)
    model = router_model(env)
    try:
        reply = client.messages.create(
            model=model,
            max_tokens=512,
            system=[{"type": "text", "text": system_prompt(), "cache_control": {"type": "ephemeral"}}],
            tools=tool_schemas(),  # type: ignore[arg-type]
            tool_choice={"type": "auto", "disable_parallel_tool_use": True},
            messages=[{"role": "user", "content": user_turn(text, vocab, images)}],
        )
    except anthropic.AnthropicError as exc:
        raise RouterModelError(f"the model could not be asked ({_describe(exc)})") from None
    said = " ".join(b.text for b in reply.content if getattr(b, "type", None) == "text").strip()
    calls = [b for b in reply.content if getattr(b, "type", None) == "tool_use"]
    if not calls:
        return None, {}, said
    return calls[0].name, dict(calls[0].input or {}), said


def _describe(exc: anthropic.AnthropicError) -> str:
    if isinstance(exc, anthropic.APIStatusError):
        return f"HTTP {exc.status_code}: {exc.type or 'error'}"
    if isinstance(exc, anthropic.APITimeoutError):
        return "timed out"
    if isinstance(exc, anthropic.APIConnectionError):
        return "connection failed"
    return type(exc).__name__


def _check_ads(ads: Any, vocab: Vocabulary) -> None:
    """Every ad the model names must be one the workspace has (a name or an uploaded id) or a Meta id."""
    if not isinstance(ads, list):
        return
    from skill.nl.names import suggest

    known = set(vocab.all_ad_names()) | set(vocab.ad_ids)
    for ad in ads:
        text = str(ad)
        if text in known or (text.isdigit() and len(text) >= 6):
            continue
        close = suggest(text, vocab.all_ad_names())
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise RouterModelError(f"No ad called {text!r} in the workspace.{hint}")


def check_choice(name: str, args: dict[str, Any], vocab: Vocabulary, images: list[str]) -> dict[str, Any]:
    """The model's arguments, checked like a user's; RouterModelError says what is wrong."""
    tool = get_tool(name)
    if tool is None:
        raise RouterModelError(f"the model chose {name!r}, which is not a tool of this kit")
    if name == "copy":
        args["images"] = images
    campaign = args.get("campaign")
    if isinstance(campaign, str) and campaign not in vocab.campaigns and not campaign.isdigit() and name != "copy":
        from skill.nl.grammar import close_names

        close = close_names(campaign, vocab.campaigns)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise RouterModelError(f"There is no campaign named {campaign!r} in the workspace.{hint}")
    _check_ads(args.get("ads"), vocab)
    try:
        tool.args.model_validate(args)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RouterModelError(f"the model's {name} call does not fit: {format_loc(tuple(err['loc']))}: {err['msg']}") from None
    return json.loads(json.dumps(args, default=str))
