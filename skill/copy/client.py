"""The Anthropic client for copy generation, and its errors as one-line ``CopyError``s.

The SDK does the retrying (429, 529, 5xx, timeouts, with backoff and ``retry-after``);
nothing here re-implements it. ``ANTHROPIC_BASE_URL`` is read by the SDK itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import anthropic

from skill.errors import CopyError

DEFAULT_MAX_RETRIES = 2  # the SDK's own retries
DEFAULT_TIMEOUT_S = 120.0
NO_KEY_HINT = (
    "export ANTHROPIC_API_KEY=sk-ant-… (create one at https://console.anthropic.com/settings/keys); "
    "ANTHROPIC_AUTH_TOKEN works too"
)


def make_client(env: Mapping[str, str] | None = None) -> anthropic.Anthropic:
    """An SDK client from the environment. No key: CopyError saying how to set one.

    ``ANTHROPIC_BASE_URL`` is read by the SDK itself; ``META_COPY_MAX_RETRIES`` and
    ``META_COPY_TIMEOUT_S`` tune the SDK's own retries and timeout.
    """
    env = os.environ if env is None else env
    key = env.get("ANTHROPIC_API_KEY") or None
    token = None if key else (env.get("ANTHROPIC_AUTH_TOKEN") or None)
    if not key and not token:
        raise CopyError("ANTHROPIC_API_KEY is not set; copy generation needs it to call Claude", hint=NO_KEY_HINT)
    try:
        retries = int(env.get("META_COPY_MAX_RETRIES") or DEFAULT_MAX_RETRIES)
        timeout = float(env.get("META_COPY_TIMEOUT_S") or DEFAULT_TIMEOUT_S)
    except ValueError:
        raise CopyError("META_COPY_MAX_RETRIES and META_COPY_TIMEOUT_S must be numbers") from None
    return anthropic.Anthropic(
        api_key=key, auth_token=token, base_url=env.get("ANTHROPIC_BASE_URL") or None,
        max_retries=max(0, retries), timeout=timeout,
    )


def api_error(exc: anthropic.AnthropicError, model: str) -> CopyError:
    """An SDK error as one line saying what happened and what to do."""
    if isinstance(exc, anthropic.APITimeoutError):
        return CopyError("the Anthropic API timed out (after the SDK's retries)",
                         hint="re-run; raise META_COPY_TIMEOUT_S if it keeps happening")
    if isinstance(exc, anthropic.APIConnectionError):
        return CopyError("cannot reach the Anthropic API (connection failed after the SDK's retries)",
                         hint="check the network, or ANTHROPIC_BASE_URL if you set it")
    if isinstance(exc, anthropic.APIStatusError):
        status, detail = exc.status_code, exc.api_message or exc.type or "no details"
        hints = {
            401: "check ANTHROPIC_API_KEY: it was refused",
            403: "this key may not use the model; try another key or --model",
            404: f"model {model!r} not found; set copy_model in brand/stack.md or pass --model",
            413: "the request was too large; use smaller images",
            429: "rate limited even after the SDK's retries; wait a minute and re-run with fewer images",
            529: "the API is overloaded; re-run in a few minutes",
        }
        hint = hints.get(status, "re-run later" if status >= 500 else "check the request and re-run")
        return CopyError(f"Anthropic API error {status} ({exc.type or 'error'}): {detail}", hint=hint)
    return CopyError(f"Anthropic API error: {exc}")


def reply_text(message: Any) -> str:
    """The text of a reply, from its text blocks (never ``content[0]``)."""
    return "".join(block.text for block in message.content if getattr(block, "type", None) == "text")
