"""The tool registry mechanism: a tool is a typed function with a pydantic input model.

Tool schemas for Anthropic, ``meta-ads tools`` and the CLI's options are all derived
from the input models here; nothing is written by hand twice. The tools themselves
are defined in ``tools.py``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from skill.events import Reporter, silent
from skill.settings import Settings


def arg(
    default: Any = ...,
    description: str = "",
    *,
    positional: bool = False,
    flags: list[str] | None = None,
    metavar: str | None = None,
    comma_list: bool = False,
    **constraints: Any,
) -> Any:
    """A tool argument: a pydantic Field that also says how it looks on the command line.

    ``positional``: a positional CLI argument. ``flags``: the option strings (default
    ``--field-name``). ``comma_list``: ``--breakdown age,gender`` splits on commas. ``constraints``
    go to the Field (``ge=1, le=20``), so the CLI, MCP and agents all get the same refusal.
    """
    cli = {"positional": positional, "flags": flags, "metavar": metavar, "comma_list": comma_list}
    return Field(default, description=description, json_schema_extra={"cli": cli}, **constraints)


class ToolContext:
    """What a running tool may use: settings, a progress reporter, a Graph client on demand.

    ``via`` says which face asked (cli, ask, mcp): the change log records it.
    """

    via: str = "library"

    def __init__(self, settings: Settings, report: Reporter = silent, confirm: Callable[[str], bool] | None = None):
        self.settings = settings
        self.report = report
        self.confirm = confirm
        self._client: Any = None

    def client(self) -> Any:
        """The Graph client for this run (made once; token checked here, not earlier)."""
        if self._client is None:
            from skill.graph import GraphClient

            self._client = GraphClient.from_settings(self.settings, report=self.report)
        return self._client


@dataclass(frozen=True)
class Tool:
    name: str
    command: tuple[str, ...]
    args: type[BaseModel]
    func: Callable[[Any, ToolContext], BaseModel]
    examples: tuple[str, ...] = ()
    destructive: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or self.name)

    @property
    def summary(self) -> str:
        return self.description.splitlines()[0]

    def input_schema(self) -> dict[str, Any]:
        schema = self.args.model_json_schema()
        _strip_cli(schema)
        return schema

    def anthropic_schema(self) -> dict[str, Any]:
        """The tool as the Messages API takes it."""
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema()}

    def run(self, args: BaseModel | dict[str, Any], ctx: ToolContext) -> BaseModel:
        parsed = args if isinstance(args, self.args) else self.args.model_validate(args)
        return self.func(parsed, ctx)


def _strip_cli(node: Any) -> None:
    """CLI hints are ours, not part of the schema an agent sees."""
    if isinstance(node, dict):
        node.pop("cli", None)
        for value in node.values():
            _strip_cli(value)
    elif isinstance(node, list):
        for value in node:
            _strip_cli(value)


REGISTRY: dict[str, Tool] = {}


def tool(
    name: str,
    args: type[BaseModel],
    *,
    command: tuple[str, ...] | None = None,
    examples: tuple[str, ...] = (),
    destructive: bool = False,
) -> Callable[[Callable[[Any, ToolContext], BaseModel]], Callable[[Any, ToolContext], BaseModel]]:
    """Register ``func(args, ctx) -> result`` as a tool. Its docstring is its description."""

    def register(func: Callable[[Any, ToolContext], BaseModel]) -> Callable[[Any, ToolContext], BaseModel]:
        REGISTRY[name] = Tool(name, command or (name,), args, func, examples, destructive)
        return func

    return register
