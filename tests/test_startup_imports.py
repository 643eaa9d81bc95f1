"""Everyday commands load only what they use (issue 18, target 5; the time is in bench/bench_startup.py).

Each command runs in a fresh interpreter that writes the modules it ended with; the test fails
when a command pulls in something it has no use for (the HTTP stack for --help, the sandbox
server without --sandbox, every tool to run one, PyYAML for a flat stack.md). Run through the
``meta-ads`` entry point, no command scans the installed packages for pydantic plugins (unless
the user set PYDANTIC_DISABLE_PLUGINS). Nothing here is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factories import CAMPAIGN, copy_workspace

PROBE = """
import json, sys
out, face, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
if face == "entry":  # the meta-ads command itself (skill.startup runs first)
    from skill.mcp_boot import entry as main
else:  # the CLI as the tests call it: pydantic's own plugin loader, so a model build shows
    from skill.cli import main
try:
    code = main(argv)
except SystemExit as exc:  # --help
    code = exc.code
with open(out, "w") as f:
    stub = getattr(sys.modules.get("pydantic.plugin._loader"), "__spec__", 1) is None  # skill/startup.py puts it
    json.dump({"code": code, "modules": sorted(m for m in sys.modules if not (stub and m == "pydantic.plugin._loader"))}, f)
"""

NEVER = ("http.server", "socketserver", "skill.sandbox.app", "skill.sandbox.router", "requests", "urllib3",
         "skill.graph.client", "anthropic", "av", "jinja2", "mcp", "skill.mcp_server")
TOOL_MODULES = ("skill.tools.copy", "skill.tools.insights", "skill.tools.account", "skill.tools.preview",
                "skill.tools.launch", "skill.tools.audiences", "skill.tools.tracking", "skill.tools.act")
NO_MODEL_BUILT = ("pydantic.plugin._loader",)  # loaded when pydantic first builds a model's validator
FLAT_STACK = ("yaml",)  # stack.md's settings block as shipped is flat: read without PyYAML (skill/flatyaml.py)
PLUGIN_SCAN = ("importlib.metadata", "email", "zipfile", "csv")  # pydantic's plugin look-up, skipped by the command
COMMANDS = {  # name: (argv before --workspace, modules it must not load beyond NEVER)
    "help": (["--help"], ("pydantic", "yaml", "PIL", "skill.tools", "skill.models", "skill.settings",
                          "skill.registry")),
    "upload-help": (["upload", "--help"], ("yaml", "PIL", "skill.models", "skill.settings", "skill.upload.dryrun",
                                           *NO_MODEL_BUILT, *TOOL_MODULES)),
    "route": (["route", f"dry run {CAMPAIGN}", "--no-model"], ("PIL", "skill.validate", "skill.upload.dryrun",
                                                               *FLAT_STACK, *TOOL_MODULES)),
    "validate": (["validate", CAMPAIGN], ("skill.nl.router", "skill.launch.models", "skill.launch.rules",
                                          *FLAT_STACK, *TOOL_MODULES)),
    "dry-run": (["upload", CAMPAIGN, "--dry-run"], ("skill.nl.router", "skill.upload.run", "skill.launch.models",
                                                    "skill.launch.rules", *FLAT_STACK, *TOOL_MODULES)),
}


def loaded(ws: Path, tmp_path: Path, argv: list[str], face: str = "cli", **extra_env: str) -> tuple[int, set[str]]:
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("META_", "FACEBOOK_", "ANTHROPIC_"))}
    env["HOME"] = str(tmp_path / "home")
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    env.update(extra_env)
    done = subprocess.run([sys.executable, "-c", PROBE, str(out), face, *argv, "--workspace", str(ws)],
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    result = json.loads(out.read_text())
    return result["code"], set(result["modules"])


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_loads_only_what_it_uses(name, tmp_path):
    argv, forbidden = COMMANDS[name]
    ws = copy_workspace(tmp_path)
    code, modules = loaded(ws, tmp_path, argv)
    assert code == 0, f"meta-ads {' '.join(argv)} exited {code}"
    extra = sorted(m for m in modules for f in (*NEVER, *forbidden) if m == f or m.startswith(f + "."))
    assert not extra, f"meta-ads {' '.join(argv)} loaded {extra}"


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_skips_pydantics_plugin_scan(name, tmp_path):
    """``meta-ads`` sets PYDANTIC_DISABLE_PLUGINS (unless the user did): no entry-point scan."""
    argv, forbidden = COMMANDS[name]
    ws = copy_workspace(tmp_path)
    code, modules = loaded(ws, tmp_path, argv, face="entry")
    assert code == 0, f"meta-ads {' '.join(argv)} exited {code}"
    extra = sorted(m for m in modules for f in (*NEVER, *forbidden, *PLUGIN_SCAN) if m == f or m.startswith(f + "."))
    assert not extra, f"meta-ads {' '.join(argv)} loaded {extra}"


def test_the_probe_sees_what_a_command_uses(tmp_path):
    """The check can fail: a command that does use a module shows it in the list."""
    ws = copy_workspace(tmp_path)
    _, modules = loaded(ws, tmp_path, ["validate", CAMPAIGN])
    assert {"skill.validate", "skill.tools.upload", "PIL", "pydantic", "importlib.metadata"} <= modules
    stack = ws / "brand" / "stack.md"  # a nested setting is not flat: PyYAML reads it
    stack.write_text(stack.read_text().replace("refresh_mode: swap", "refresh_mode: swap\nasync_batches:\n  poll_s: 2"))
    _, modules = loaded(ws, tmp_path, ["validate", CAMPAIGN], face="entry")
    assert "yaml" in modules and "importlib.metadata" not in modules
    # a user's own pydantic plugin setting wins: pydantic's loader then looks at the entry points
    _, modules = loaded(ws, tmp_path, ["validate", CAMPAIGN], face="entry", PYDANTIC_DISABLE_PLUGINS="some_plugin")
    assert "importlib.metadata" in modules


def test_the_stand_in_loader_answers_what_it_lacks_with_pydantics_own():
    """A newer pydantic asking its loader for another name gets the real module, not an ImportError."""
    code = """
import sys
from skill.startup import skip_pydantic_plugins
skip_pydantic_plugins()
from pydantic import BaseModel
class M(BaseModel):
    x: int
assert M(x=1).x == 1 and "importlib.metadata" not in sys.modules
from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP, get_plugins
assert PYDANTIC_ENTRY_POINT_GROUP == "pydantic" and list(get_plugins()) == []
print("importlib.metadata" in sys.modules)
"""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"  # the real loader was loaded for the name the stand-in lacks


def test_file_models_have_no_builtin_default_factory():
    """``default_factory=list`` makes pydantic read ``list``'s signature from text (``tokenize``) at
    the first build; the models every command builds use plain ``[]`` defaults (copied per instance)."""
    from pydantic import BaseModel

    from skill import models, settings, stack_settings, userfiles

    found = [f"{cls.__name__}.{name}" for module in (models, settings, stack_settings, userfiles)
             for cls in vars(module).values()
             if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
             for name, info in cls.model_fields.items() if info.default_factory in (list, dict, set)]
    assert not found, f"use a plain default instead of default_factory: {found}"
