"""The house rules that keep the layout easy to see: no import circles, no module past ~400 lines,
every package says what it is for, and a built wheel ships its templates and prompts."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKILL = ROOT / "skill"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SKILL.rglob("*.py") if "prompts" not in p.parts}


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every skill module this file imports, at any depth (lazy imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_circle_outside_the_sandbox() -> None:
    modules = _modules()
    graph = {
        name: {m for m in _imports(path, set(modules)) if m != name and not m.startswith("skill.sandbox")}
        for name, path in modules.items() if not name.startswith("skill.sandbox")
    }
    # a package's __init__ is imported by its children implicitly; it must stay light
    assert _cycle(graph) is None, f"import circle: {' → '.join(_cycle(graph) or [])}"


def test_nothing_but_the_face_imports_the_sandbox() -> None:
    modules = _modules()
    users = sorted(name for name, path in modules.items()
                   if not name.startswith("skill.sandbox")
                   and any(m.startswith("skill.sandbox") for m in _imports(path, set(modules))))
    assert users == ["skill.cli", "skill.runner"]


@pytest.mark.parametrize("path", sorted(SKILL.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_size_and_docstring(path: Path) -> None:
    text = path.read_text()
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name} has {len(text.splitlines())} lines"
    if path.name == "__init__.py" and path.parent.name in {"templates", "prompts"}:
        return
    assert ast.get_docstring(ast.parse(text)), f"{path} has no docstring saying what it is for"


def test_a_built_wheel_ships_templates_and_prompts(tmp_path: Path) -> None:
    # built from a private copy: a build writes build/ and *.egg-info beside the sources, and two
    # test runs at once would otherwise build in the same folder
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__",
                                                             "tests", "workspace", "bench", ".sandbox"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(src)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for must in ("skill/mcp_tools.json", "skill/prompts/copywriter_system.j2", "skill/prompts/router_system.j2",
                 "skill/templates/insights.md.j2", "skill/nl/router.py", "skill/upload/run.py",
                 "skill/copy/writer.py", "skill/insights/fetch.py", "skill/account/status.py"):
        assert must in names, f"{must} is missing from the wheel"
