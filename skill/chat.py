"""``meta-ads route`` and ``meta-ads ask``: a request in plain words → one tool.

``route`` prints the tool and arguments and runs nothing. ``ask`` routes and then runs the
tool exactly as its own command would (same output, same exit code), with two safeguards:

- activation: asked interactively when stdin is a terminal; otherwise nothing is activated
  (the activate tool runs without ``yes`` and only shows what would be activated). The
  ``--yes`` of ``ask`` never activates; that takes ``meta-ads activate AD --yes``.
- a real upload (not a dry run, not ``--sandbox``): asked interactively when stdin is a
  terminal; otherwise it needs ``--yes``. So is sending a customer list or server events.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from skill.errors import UsageError

if TYPE_CHECKING:  # the router loads its phrase tables, the runner its tools: only when a sentence is routed
    from pydantic import BaseModel

    from skill.nl.router import Route
    from skill.registry import Tool
    from skill.settings import Settings

ROUTE_HELP = """Show which tool a request in plain words maps to, and with what arguments; run nothing.

Prints {"tool": NAME, "args": {...}} with --json ({"tool": null, "reason": ...} when it cannot map
the request; exit 1). The grammar needs no API key; with ANTHROPIC_API_KEY set, phrasings it is
unsure of go to the model.

examples:
  meta-ads route "Dry run: batch upload summer-sale-2026 ads" --json
  meta-ads route "how did the summer sale do last week, by placement?"
  meta-ads route "generate copy for these" img1.jpg img2.jpg --json"""

ASK_HELP = """Do what a request in plain words asks: route it to one tool and run it.

Output and exit code are the tool's own. Activation is never done from here without an
interactive yes; a real upload asks first (or needs --yes when not at a terminal).

examples:
  meta-ads ask "Dry run: batch upload summer-sale-2026 ads"
  meta-ads ask "How did the summer sale do last week?" --sandbox
  meta-ads ask "generate copy for these" img1.jpg img2.jpg
  meta-ads ask "Any bleeders I should pause?" --json"""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="the request, in quotes")
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="image paths (for copy generation)")
    parser.add_argument("--no-model", action="store_true", help="use the grammar only; never ask the model")


def add_route_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)


def add_ask_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--yes", action="store_true",
                        help="confirm a real upload without asking (never activates ads)")


def split_extras(text: str, extras: list[str]) -> tuple[str, list[str]]:
    """Extra words after the text are images when they look like images, else more text."""
    from skill.nl.grammar import IMAGE_EXTENSIONS

    images, words = [], []
    for item in extras:
        is_image = item.lower().rsplit(".", 1)[-1] in IMAGE_EXTENSIONS or Path(item).is_file()
        (images if is_image else words).append(item)
    return " ".join([text, *words]).strip(), images


def _route(ns: argparse.Namespace) -> tuple[Settings, Route, str | None]:
    """The route, and why its call cannot run in this workspace (None when it can)."""
    from skill.nl.mentions import Vocabulary
    from skill.nl.router import route, runnable
    from skill.settings import load_settings

    settings = load_settings(ns.workspace)
    if getattr(ns, "verbose", False):
        settings = settings.model_copy(update={"http_log": True})
    text, images = split_extras(ns.text, ns.images)
    if not text:
        raise UsageError("say what to do, e.g. meta-ads ask \"dry run summer-sale-2026\"")
    vocab = Vocabulary.from_settings(settings)
    found = route(text, vocab, images, use_model=not ns.no_model)
    return settings, found, runnable(found, vocab)


def run_route(ns: argparse.Namespace) -> int:
    from skill.nl.router import command_line

    _, found, blocked = _route(ns)
    if ns.json:
        doc = {"ok": found.tool is not None and not blocked, **found.public()}
        if found.tool is not None and blocked:
            doc.update(runnable=False, reason=blocked)
        print(json.dumps(doc, indent=2))
    elif found.tool is None:
        print(found.reason)
    else:
        print(f"{found.tool} {json.dumps(found.args)}")
        print(f"  = {command_line(found.tool, found.args)}")
        for note in found.notes:
            print(f"  note: {note}")
        if blocked:
            print(f"  cannot run: {blocked}")
    return 0 if found.tool and not blocked else 1


# ---------------------------------------------------------------- ask


def run_ask(ns: argparse.Namespace) -> int:
    from skill.nl.router import command_line
    from skill.runner import run_with, sandbox_settings
    from skill.tools import get_tool

    settings, found, blocked = _route(ns)
    if found.tool is not None and blocked:
        raise UsageError(blocked)
    if found.tool is None:
        reason, _, can = (found.reason or "I couldn't map that to a job.").partition(" I can: ")
        raise UsageError(reason, hint=f"I can: {can}" if can else None)
    tool = get_tool(found.tool)
    if tool is None:
        raise UsageError(f"{found.tool} is not available in this installation", hint="see `meta-ads --help`")
    args = _parse(tool, found)
    if found.source == "model" or sys.stderr.isatty():
        _say(f"→ {command_line(found.tool, found.args)}" + ("  (chosen by the model)" if found.source == "model" else ""))
    args = _safeguard(tool, args, settings, ns)
    if args is None:
        return 1
    if ns.sandbox:
        with sandbox_settings(settings) as sb_settings:
            return run_with(tool, args, sb_settings, ns.json, via="ask")
    return run_with(tool, args, settings, ns.json, via="ask")


def _parse(tool: Tool, found: Route) -> BaseModel:
    from pydantic import ValidationError

    from skill.models import format_loc

    try:
        return tool.args.model_validate(found.args)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise UsageError(f"{tool.name}: {format_loc(tuple(err['loc']))}: {err['msg']}",
                         hint=f"run the command directly: meta-ads {' '.join(tool.command)} --help") from None


# Tools that send people's (hashed) data or real events to Meta: `ask` asks first, like an upload.
SENDS_DATA = {"audience_create": "send the customer list (hashed) to", "capi_send": "send server events to the pixel of"}
PREVIEW_FIRST = frozenset({"budget", "bleeders", "winners", "fatigue"})


def _safeguard(tool: Tool, args: BaseModel, settings: Settings, ns: argparse.Namespace) -> BaseModel | None:
    """Activation and real uploads need a yes; returns the args to run, or None when declined."""
    from skill.nl.router import command_line

    if tool.name in PREVIEW_FIRST:  # ask runs them as previews; the printed command with --yes acts
        return args.model_copy(update={"yes": False})
    if tool.destructive or tool.name == "activate":
        names = list(getattr(args, "ads", []) or [])
        ads = ", ".join(names)
        if not sys.stdin.isatty():  # the hint is a command that can be pasted as it is
            _say(f"Activation needs the user's explicit yes; nothing will be activated. "
                 f"To activate: {command_line('activate', {'ads': names, 'yes': True})}")
            return args.model_copy(update={"yes": False}) if "yes" in type(args).model_fields else args
        if not _yes(f"Activate {ads}? They start delivering and spending."):
            _say("Nothing activated.")
            return None
        return args.model_copy(update={"yes": True})
    if tool.name in ("upload", "launch") and not getattr(args, "dry_run", False) and not ns.sandbox and not ns.yes:
        campaign = getattr(args, "campaign", "")
        where = settings.ad_account or "the ad account"
        if not sys.stdin.isatty():
            raise UsageError(f"a real upload of {campaign} to {where} from `ask` needs a yes",
                             hint=f"add --yes, or run `meta-ads upload {campaign}`; try it first with "
                                  f"`meta-ads upload {campaign} --dry-run` or --sandbox")
        if not _yes(f"Upload the ads of {campaign} to {where}? They are created PAUSED."):
            _say("Nothing uploaded.")
            return None
    if tool.name in SENDS_DATA and not getattr(args, "dry_run", False) and not ns.sandbox and not ns.yes:
        return _data_yes(tool, args, settings)
    return args


def _data_yes(tool: Tool, args: BaseModel, settings: Settings) -> BaseModel | None:
    what = f"{SENDS_DATA[tool.name]} {settings.ad_account or 'the ad account'}"
    command = f"meta-ads {' '.join(tool.command)}"
    if not sys.stdin.isatty():
        raise UsageError(f"`ask` needs a yes to {what}",
                         hint=f"add --yes, or run `{command}` yourself; try it first with --dry-run or --sandbox")
    if not _yes(f"{what[0].upper()}{what[1:]}?"):
        _say("Nothing sent.")
        return None
    return args


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _yes(question: str) -> bool:
    """Ask on the terminal (the question on stderr, so --json output stays one document)."""
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        return sys.stdin.readline().strip().lower() in {"y", "yes"}
    except (EOFError, OSError):
        return False
