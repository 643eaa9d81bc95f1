"""``meta-ads``: the command line. The only place that prints, reads stdin or picks exit codes.

Every tool in ``tools.py`` becomes a subcommand whose options come from its input model.
A few commands are the CLI's own: ``tools``, ``sandbox``, ``route``, ``ask``.
Exit codes: 0 done, 1 failed (validation, API, partial batch), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import types
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill import __version__
from skill.errors import KitError, UsageError

if TYPE_CHECKING:  # a command loads what it runs with (start-up: bench/bench_startup.py)
    from pydantic import BaseModel

    from skill.registry import Tool

EPILOG = """examples:
  meta-ads upload summer-sale-2026 --dry-run     validate and show every payload, call nothing
  meta-ads upload summer-sale-2026 --sandbox     upload to the local sandbox (no token needed)
  meta-ads upload summer-sale-2026               upload for real, every ad PAUSED
  meta-ads ask "How did the summer sale do last week?" --sandbox
  meta-ads tools                                 JSON schemas of every tool, for agents
"""

# Extra commands: name -> (help, add_arguments(parser), run(args) -> int). Filled below.
ExtraCommand = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
EXTRA_COMMANDS: dict[str, ExtraCommand] = {}


# ---------------------------------------------------------------- parser


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises UsageError (exit 2, one line) instead of printing and exiting."""

    def error(self, message: str) -> typing.NoReturn:
        raise UsageError(f"{self.prog}: {message}", hint=f"see `{self.prog} --help`")


def _add_common(parser: argparse.ArgumentParser, verbose: bool = True) -> None:
    """The options every command has (added when its parser is filled: a parser per command costs)."""
    parser.add_argument("--json", action="store_true", help="print one JSON document (for agents)")
    parser.add_argument("--workspace", metavar="DIR", help="workspace root (default $META_WORKSPACE or ./workspace)")
    parser.add_argument("--sandbox", action="store_true",
                        help="run against the local sandbox Graph API (no token needed; state in WORKSPACE/.sandbox/, or ~/.cache/meta-ads/sandbox/ without a workspace)")
    if verbose:  # `meta-ads sandbox` has its own --verbose (the server's request log)
        parser.add_argument("--verbose", action="store_true",
                            help="one line per Graph API request on stderr: method, path, status, time, usage, "
                                 "fbtrace_id (never the token); also META_ADS_DEBUG=http")


def _tool_epilog(tool: Tool) -> str:
    lines = ["examples:"] + [f"  {e}" for e in tool.examples]
    return "\n".join(lines)


class LazyParser(ArgumentParser):
    """A command's parser: its options (and a tool's module and input model) load on first use.

    ``meta-ads --help`` lists every command from ``skill/command_index.py`` without importing a tool
    or adding any command's options; parsing a command's arguments or printing its help fills its
    parser first.
    """

    fill: Callable[[argparse.ArgumentParser], None] | None = None

    def _filled(self) -> None:
        fill, self.fill = self.fill, None
        if fill is not None:
            fill(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._filled()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._filled()
        return super().format_help()

    def format_usage(self) -> str:
        self._filled()
        return super().format_usage()


def _tool_filler(module: str, name: str) -> Callable[[argparse.ArgumentParser], None]:
    def fill(sub: argparse.ArgumentParser) -> None:
        from skill import registry
        from skill.tools import load_module

        _add_common(sub)
        load_module(module)
        tool = registry.REGISTRY[name]
        sub.description, sub.epilog = tool.description, _tool_epilog(tool)
        add_model_arguments(sub, tool.args)
        sub.set_defaults(_tool=tool)

    return fill


def build_parser(only: str | None = None) -> ArgumentParser:
    """The whole command line; with ``only`` (a command's first word), that command alone: every
    subcommand's parser costs at start-up, and a command's parsing and help never see the others."""
    from skill.command_index import INDEX

    parser = ArgumentParser(
        prog="meta-ads",
        description="Meta Ads Kit: images in, paused Meta ads out, and reports on how they did.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"meta-ads {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=LazyParser)
    groups: dict[str, Any] = {}
    for command, module, name, summary in INDEX:
        if only is not None and command[0] != only:
            continue
        target = subs
        if len(command) == 2:
            group = command[0]
            if group not in groups:
                gp = subs.add_parser(group, help=f"{group} {command[1]}: {summary}")
                groups[group] = gp.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=LazyParser)
                gp.set_defaults(_group_parser=gp)
            target = groups[group]
        sub = target.add_parser(command[-1], help=summary, formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.fill = _tool_filler(module, name)
    for name, (help_text, add_arguments, run) in EXTRA_COMMANDS.items():
        if only is not None and name != only:
            continue
        sub = subs.add_parser(name, help=help_text.splitlines()[0], description=help_text,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.fill = _extra_filler(add_arguments, verbose=name != "sandbox")
        sub.set_defaults(_run=run)
    return parser


def _extra_filler(add_arguments: Callable[[argparse.ArgumentParser], None],
                  verbose: bool) -> Callable[[argparse.ArgumentParser], None]:
    def fill(sub: argparse.ArgumentParser) -> None:
        _add_common(sub, verbose)
        add_arguments(sub)

    return fill


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``str | None`` → (str, True)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def add_model_arguments(parser: argparse.ArgumentParser, model: type[BaseModel]) -> None:
    """One argparse argument per model field, following the field's ``arg(...)`` hints."""
    for name, info in model.model_fields.items():
        cli = ((info.json_schema_extra or {}) if isinstance(info.json_schema_extra, dict) else {}).get("cli", {})
        annotation, _ = _unwrap(info.annotation)
        is_list = typing.get_origin(annotation) is list
        choices = list(typing.get_args(annotation)) if typing.get_origin(annotation) is typing.Literal else None
        # how a list is typed on the command line: said here, not in the description a model reads
        note = " (comma-separated)" if cli.get("comma_list") else \
            " (repeatable)" if is_list and not cli.get("positional") else ""
        kwargs: dict[str, Any] = {"help": ((info.description or "") + note).replace("%", "%%") or None}
        if cli.get("metavar"):
            kwargs["metavar"] = cli["metavar"]
        if cli.get("positional"):
            if is_list:
                kwargs["nargs"] = "+" if info.is_required() else "*"
            elif not info.is_required():
                kwargs["nargs"] = "?"
            parser.add_argument(name, **kwargs)
            continue
        flags = cli.get("flags") or ["--" + name.replace("_", "-")]
        kwargs["dest"] = name
        if annotation is bool:
            parser.add_argument(*flags, action="store_true", default=None, **kwargs)
        elif is_list:
            parser.add_argument(*flags, action="extend", nargs="+", default=None, **kwargs)
        else:
            if choices:
                kwargs["choices"] = choices
            parser.add_argument(*flags, default=None, **kwargs)


def namespace_to_args(ns: argparse.Namespace, model: type[BaseModel]) -> BaseModel:
    """Parsed options → the tool's input model; a bad value is a usage error (exit 2)."""
    from pydantic import ValidationError

    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = getattr(ns, name, None)
        if value is None:
            continue
        cli = ((info.json_schema_extra or {}) if isinstance(info.json_schema_extra, dict) else {}).get("cli", {})
        if cli.get("comma_list") and isinstance(value, list):
            value = [part.strip() for item in value for part in item.split(",") if part.strip()]
        data[name] = value
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        from skill.models import format_loc

        err = exc.errors()[0]
        raise UsageError(f"{format_loc(tuple(err['loc']))}: {err['msg']}") from None


# ---------------------------------------------------------------- running


def run_tool(tool: Tool, ns: argparse.Namespace) -> int:
    from skill.runner import run_with, sandbox_settings
    from skill.settings import load_settings

    args = namespace_to_args(ns, tool.args)
    settings = load_settings(ns.workspace)
    if getattr(ns, "verbose", False):
        settings = settings.model_copy(update={"http_log": True})
    if ns.sandbox:
        with sandbox_settings(settings) as sb_settings:
            return run_with(tool, args, sb_settings, ns.json)
    return run_with(tool, args, settings, ns.json)


def _command_words() -> set[str]:
    from skill.command_index import INDEX

    return {row[0][0] for row in INDEX} | set(EXTRA_COMMANDS)


SIGNED_OPTIONS = ("--by", "--scale")  # take values like -30%, which argparse would read as an option


def _join_signed(argv: list[str]) -> list[str]:
    """``--by -30%`` → ``--by=-30%``."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in SIGNED_OPTIONS and arg[:1] == "-" and arg[1:2].isdigit():
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = _join_signed(sys.argv[1:] if argv is None else argv)
    json_mode = "--json" in argv
    try:
        parser = build_parser(argv[0] if argv and argv[0] in _command_words() else None)
        if not argv:
            parser.print_help()
            return 2
        ns = parser.parse_args(argv)
        if getattr(ns, "_tool", None):
            return run_tool(ns._tool, ns)
        if getattr(ns, "_run", None):
            return ns._run(ns)
        if getattr(ns, "_group_parser", None):
            ns._group_parser.print_help()
            return 2
        parser.print_help()
        return 2
    except KitError as exc:
        from skill.runner import print_error

        print_error(exc, json_mode)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        from skill.runner import silence_stdout

        silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("Interrupted. Re-run the same command to resume; nothing done is lost.", file=sys.stderr)
        return 130
    except (Exception, RecursionError) as exc:  # last resort: never a traceback for the user
        if os.environ.get("META_ADS_DEBUG", "").lower() not in ("", "http"):  # "http" only logs requests
            raise
        from skill.runner import print_internal_error

        print_internal_error(exc, json_mode)
        return 1


# ---------------------------------------------------------------- the CLI's own commands


def _tools_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--anthropic", action="store_true", help="print in the Messages API's tools format")


def _tools_run(ns: argparse.Namespace) -> int:
    from skill.tools import all_tools

    tools = all_tools()
    if ns.anthropic:
        print(json.dumps([t.anthropic_schema() for t in tools], indent=2))
    else:
        print(json.dumps([{"name": t.name, "command": " ".join(t.command), "description": t.description,
                           "safety": t.safety_level, "input_schema": t.input_schema()} for t in tools], indent=2))
    return 0


EXTRA_COMMANDS["tools"] = (
    "Print the JSON schema of every tool (for agents).\n\nexamples:\n  meta-ads tools\n  meta-ads tools --anthropic",
    _tools_add,
    _tools_run,
)


def _register_chat_commands() -> None:
    from skill import chat

    EXTRA_COMMANDS["route"] = (chat.ROUTE_HELP, chat.add_route_arguments, chat.run_route)
    EXTRA_COMMANDS["ask"] = (chat.ASK_HELP, chat.add_ask_arguments, chat.run_ask)


_register_chat_commands()


def _register_sandbox_command() -> None:
    from skill.sandbox import main as sandbox_main

    EXTRA_COMMANDS["sandbox"] = (sandbox_main.HELP, sandbox_main.add_arguments, sandbox_main.run)


_register_sandbox_command()


def _register_mcp_command() -> None:
    from skill import mcp_face  # light: the mcp SDK itself is imported only when the command runs

    def run(ns: argparse.Namespace) -> int:
        from skill.mcp_server import serve

        return serve(ns.workspace, sandbox=bool(ns.sandbox))

    EXTRA_COMMANDS["mcp"] = (mcp_face.HELP, mcp_face.add_arguments, run)


_register_mcp_command()


if __name__ == "__main__":
    raise SystemExit(main())
