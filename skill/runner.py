"""Running one tool for the face (CLI and chat alike): settings, the sandbox, progress and the result.

The only code that prints a tool's progress and result; ``cli.py`` and ``chat.py`` both call it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, SecretStr

from skill.errors import KitError, UsageError, redact
from skill.events import Event
from skill.registry import Tool, ToolContext
from skill.settings import Settings

SANDBOX_TOKEN = "sandbox-token"
SANDBOX_ACCOUNT = "act_123456789"


class Printer:
    """Turns progress events into lines on stdout (text mode) or nothing (JSON mode)."""

    def __init__(self, json_mode: bool, secrets: tuple[str, ...] = ()) -> None:
        self.json_mode = json_mode
        self.secrets = secrets

    def __call__(self, event: Event) -> None:
        if event.kind == "http":  # --verbose request lines: stderr, so --json output stays one document
            print(redact(event.message, self.secrets), file=sys.stderr, flush=True)
            return
        if self.json_mode:
            return
        write_out(redact(event.message, self.secrets))


def write_out(text: str) -> None:
    """Print to stdout; a reader that went away (``| head``) silences the rest, the work goes on."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        silence_stdout()


def silence_stdout() -> None:
    """Point stdout at /dev/null: later prints (and the flush at exit) find no broken pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@contextmanager
def sandbox_settings(settings: Settings) -> Iterator[Settings]:
    """Start the sandbox in-process and point the settings at it; its state lives in the workspace."""
    from skill.sandbox import Sandbox

    state = settings.workspace / ".sandbox" / "state.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    with Sandbox(token=SANDBOX_TOKEN, state_path=state) as sb:
        yield settings.model_copy(update={
            "graph_url": sb.url, "token": SecretStr(SANDBOX_TOKEN), "token_source": "sandbox",
            "ad_account": settings.ad_account or SANDBOX_ACCOUNT, "sandbox": True,
        })


def confirm_on_tty(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in {"y", "yes"}
    except EOFError:
        return False


def run_with(tool: Tool, args: BaseModel, settings: Settings, json_mode: bool, via: str = "cli") -> int:
    secrets = (settings.token.get_secret_value(),) if settings.token else ()
    printer = Printer(json_mode, secrets)
    for warning in settings.stack_warnings:
        printer(Event("warning", f"  Warning: {warning}"))
    ctx = ToolContext(settings, printer, confirm_on_tty)
    ctx.via = via
    result = tool.run(args, ctx)
    if json_mode:
        write_out(redact(result.model_dump_json(indent=2), secrets))
    else:
        text = result.render_text() if hasattr(result, "render_text") else ""
        if text:
            write_out(redact(text, secrets))
    code = int(getattr(result, "exit_code", 0))
    line = result.error_line() if code and hasattr(result, "error_line") else None
    if line:  # the one line a failed run leaves on stderr: where, and what is wrong
        print(f"Error: {redact(line, secrets)}", file=sys.stderr)
    return code


def print_error(exc: KitError, json_mode: bool) -> None:
    """One JSON document on stdout (``--json``), else one line on stderr: where, what, what to do."""
    if json_mode:
        write_out(redact(json.dumps({"ok": False, **exc.to_dict()}, indent=2)))
        return
    label = "Usage error" if isinstance(exc, UsageError) else "Error"
    hint = f" → {exc.hint}" if exc.hint else ""
    print(one_line(f"{label}: {redact(str(exc))}{redact(hint)}"), file=sys.stderr)


def print_internal_error(exc: BaseException, json_mode: bool) -> None:
    """The last resort: never a traceback, never the token, still one JSON document with ``--json``."""
    message = redact(f"{type(exc).__name__}: {exc}")
    hint = "re-run with META_ADS_DEBUG=1 for a traceback, and report it"
    if json_mode:
        write_out(json.dumps({"ok": False, "error": "InternalError", "message": one_line(message), "hint": hint},
                             indent=2))
        return
    print(one_line(f"Internal error: {message} → {hint}"), file=sys.stderr)


def one_line(text: str) -> str:
    """Line breaks and other controls in an error (a server's message, a parser's) kept on one line."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in part) for part in text.splitlines())
    return " ".join(flat.split())
