"""``meta-ads route`` and ``meta-ads ask``: a request in plain words → one tool.

``route`` prints the tool and arguments and runs nothing. ``ask`` routes and then runs the
tool exactly as its own command would (same output, same exit code). The registry's safety
level of the tool decides what needs the user's yes (see ``_safeguard``):

- ``read``: runs.
- ``spend`` (activate, budget, winners): runs as the tool's preview; at a terminal the user is
  asked, and only that yes acts. The ``--yes`` of ``ask`` never starts or raises spend.
- ``write`` and ``create_paused`` (pause, bleeders, audiences, events, upload, launch, ...): a
  yes at the terminal or ``--yes``; none is needed for a dry run or in ``--sandbox``.
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

Output and exit code are the tool's own. What only reads runs; what changes the account (a
pause, an upload, an audience) asks first, or needs --yes when not at a terminal (not needed
with --sandbox or a dry run); what can start or raise spend (activate, a budget increase,
scaling winners) shows its preview, and acts only on a yes typed at the terminal.

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


# What a yes is asked for, per tool that changes the account without a preview of its own.
SENDS_DATA = {"audience_create": "send the customer list (hashed) to", "capi_send": "send server events to the pixel of"}
# The argument that turns a report into an action (without it the tool only reports).
ACTS_WITH = {"bleeders": "pause", "winners": "scale", "fatigue": "refresh"}


def _safeguard(tool: Tool, args: BaseModel, settings: Settings, ns: argparse.Namespace) -> BaseModel | None:
    """The registry's safety level decides: ``read`` runs; ``write``, ``create_paused`` and ``spend``
    need the user's yes. Returns the args to run, or None when the user said no."""
    level = tool.safety_level
    if level == "read":
        return args
    if tool.confirm_field:  # the tool previews on its own: a preview unless the user says yes here
        return _own_preview(tool, args, level, ns)
    if getattr(args, "dry_run", False) or ns.sandbox or (ns.yes and level != "spend"):
        return args  # nothing real happens, or the user's --yes (which never covers spend)
    if tool.name in SENDS_DATA:
        return _data_yes(tool, args, settings)
    if tool.name in ("upload", "launch"):
        return _upload_yes(args, settings)
    return _asked(tool, args, f"Run `{_line(tool, args)}`? It {VERBS[level]}.", "Nothing was done.")


VERBS = {"write": "changes the ad account", "create_paused": "creates objects in the ad account (PAUSED)",
         "spend": "can start or raise spend"}


def _line(tool: Tool, args: BaseModel, **extra: object) -> str:
    from skill.nl.router import command_line

    return command_line(tool.name, {**args.model_dump(exclude_defaults=True), **extra})


def _own_preview(tool: Tool, args: BaseModel, level: str, ns: argparse.Namespace) -> BaseModel | None:
    """Tools with their own yes (activate, budget, bleeders, winners, fatigue) run as previews; at a
    terminal the user may say yes here. `ask --yes` covers a write (pausing bleeders), never spend."""
    field = tool.confirm_field or "yes"
    preview = args.model_copy(update={field: False})
    switch = ACTS_WITH.get(tool.name)
    if switch and not getattr(args, switch, None):
        return preview  # only a report: there is nothing to say yes to
    if level != "spend" and ns.yes:
        return args.model_copy(update={field: True})
    if not sys.stdin.isatty():
        if tool.name == "activate":  # the hint is a command that can be pasted as it is
            _say(f"Activation needs the user's explicit yes; nothing will be activated. "
                 f"To activate: {_line(tool, args, yes=True)}")
        return preview
    if tool.name == "activate":
        question = f"Activate {', '.join(getattr(args, 'ads', []) or [])}? They start delivering and spending."
        return _asked(tool, args.model_copy(update={field: True}), question, "Nothing activated.")
    question = f"Run `{_line(tool, args, yes=True)}`? It {VERBS[level]}."
    return _asked(tool, args.model_copy(update={field: True}), question, "Nothing was done.")


def _asked(tool: Tool, args: BaseModel, question: str, declined: str) -> BaseModel | None:
    if not sys.stdin.isatty():
        raise UsageError(f"`ask` needs a yes to run {tool.name}: {question.split('?')[0].removeprefix('Run ')}",
                         hint=f"run `meta-ads {' '.join(tool.command)}` yourself"
                              + ("" if tool.safety_level == "spend" else ", or add --yes"))
    if not _yes(question):
        _say(declined)
        return None
    return args


def _upload_yes(args: BaseModel, settings: Settings) -> BaseModel | None:
    campaign = getattr(args, "campaign", "")
    where = settings.ad_account or "the ad account"
    if not sys.stdin.isatty():
        raise UsageError(f"a real upload of {campaign} to {where} from `ask` needs a yes",
                         hint=f"add --yes, or run `meta-ads upload {campaign}`; try it first with "
                              f"`meta-ads upload {campaign} --dry-run` or --sandbox")
    if not _yes(f"Upload the ads of {campaign} to {where}? They are created PAUSED."):
        _say("Nothing uploaded.")
        return None
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
