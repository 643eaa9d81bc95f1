"""The tool registry mechanism: a tool is a typed function with a pydantic input model.

Tool schemas for Anthropic, ``meta-ads tools`` and the CLI's options are all derived
from the input models here; nothing is written by hand twice. The tools themselves
are defined in ``skill/tools/``.

Every tool says how safe it is (``safety``), in one place, for every face: ``read`` (changes
nothing in the account), ``create_paused`` (creates objects, always PAUSED, exactly once),
``write`` (changes that never raise spend, e.g. pause) and ``spend`` (can start or raise spend:
preview first, then an explicit yes). A tool that does not say is treated as ``spend``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from skill.events import Reporter, silent

if TYPE_CHECKING:  # settings (yaml, the file models) load when a tool runs, not to list tools
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


class Args(BaseModel):
    """Base of every tool's input model: built on first validation, so listing a command's options
    (``--help``, the CLI's parser) costs no schema building."""

    model_config = ConfigDict(defer_build=True)


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


Safety = Literal["read", "create_paused", "write", "spend"]
SAFETY_LEVELS: tuple[str, ...] = ("read", "create_paused", "write", "spend")
CONFIRM_FIELD = "yes"  # the argument that carries the user's yes: --yes on the CLI, confirm over MCP


@dataclass(frozen=True)
class Tool:
    name: str
    command: tuple[str, ...]
    args: type[BaseModel]
    func: Callable[[Any, ToolContext], BaseModel]
    examples: tuple[str, ...] = ()
    destructive: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    safety: str | None = None

    @property
    def safety_level(self) -> str:
        """The declared safety; anything undeclared or unknown counts as ``spend`` (needs a yes)."""
        if self.safety in SAFETY_LEVELS and not (self.destructive and self.safety != "spend"):
            return self.safety
        return "spend"

    @property
    def needs_confirmation(self) -> bool:
        return self.safety_level == "spend"

    @property
    def confirm_field(self) -> str | None:
        """The input field that says "the user said yes", when the tool has one."""
        return CONFIRM_FIELD if CONFIRM_FIELD in self.args.model_fields else None

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
    safety: Safety | None = None,
) -> Callable[[Callable[[Any, ToolContext], BaseModel]], Callable[[Any, ToolContext], BaseModel]]:
    """Register ``func(args, ctx) -> result`` as a tool. Its docstring is its description.

    ``safety``: ``read``, ``create_paused``, ``write`` or ``spend`` (see the module docstring);
    leave it out and the tool is handled as ``spend``: previewed, and run only after a yes.
    """

    def register(func: Callable[[Any, ToolContext], BaseModel]) -> Callable[[Any, ToolContext], BaseModel]:
        REGISTRY[name] = Tool(name, command or (name,), args, func, examples, destructive, safety=safety)
        return func

    return register
