"""Docs that cannot drift: every command is in SKILL.md and has help with an example;
SKILL.md's frontmatter is what OpenClaw and Anthropic's skill validator accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from skill.cli import EXTRA_COMMANDS, main
from skill.tools import all_tools

REPO = Path(__file__).resolve().parent.parent
SKILL_MD = (REPO / "SKILL.md").read_text(encoding="utf-8")
FRONTMATTER, BODY = re.match(r"^---\n(.*?)\n---\n(.*)$", SKILL_MD, re.DOTALL).groups()
META = yaml.safe_load(FRONTMATTER)

COMMANDS = [" ".join(t.command) for t in all_tools()] + list(EXTRA_COMMANDS)


def help_text(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*command.split(), "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_skill_md(command):
    assert f"meta-ads {command}" in BODY, f"SKILL.md does not show `meta-ads {command}`"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    text = help_text(command, capsys)
    assert f"usage: meta-ads {command}" in text
    examples = text.split("examples:", 1)
    assert len(examples) == 2, f"`meta-ads {command} --help` has no examples section"
    assert re.search(rf"^\s+meta-ads {re.escape(command)}\b", examples[1], re.MULTILINE), \
        f"`meta-ads {command} --help` shows no example of itself"


@pytest.mark.parametrize("tool", all_tools(), ids=lambda t: t.name)
def test_every_tool_documents_itself(tool, capsys):
    assert tool.func.__doc__ and tool.summary != tool.name, f"{tool.name} needs a docstring"
    assert tool.examples, f"{tool.name} has no examples"
    text = help_text(" ".join(tool.command), capsys)
    for example in tool.examples:
        assert example in text, f"example {example!r} is not in `--help`"
    for name, field in tool.args.model_fields.items():
        assert field.description, f"{tool.name}.{name} has no description (it is the option's help)"


def test_frontmatter_keeps_to_the_allowed_keys():
    assert set(META) == {"name", "description", "metadata"}
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", META["name"]) and META["name"] == "meta-ads-kit"
    description = META["description"]
    assert isinstance(description, str) and 50 < len(description) < 1024
    assert "<" not in description and ">" not in description


def test_frontmatter_declares_what_openclaw_needs():
    """Visible once the CLI is installed (a token is not required to see it); the token's variable
    stays the primary one, so OpenClaw's API-key setting fills it."""
    openclaw = META["metadata"]["openclaw"]
    assert openclaw["requires"]["bins"] == ["meta-ads"]
    assert "env" not in openclaw["requires"]
    assert set(openclaw["requires"]) <= {"bins", "anyBins", "env", "config"}
    assert openclaw["primaryEnv"] == "FACEBOOK_ACCESS_TOKEN"
    assert openclaw["emoji"] and "homepage" not in openclaw


def test_frontmatter_is_block_yaml_with_a_plain_name_line():
    """Strict YAML parsers (skills-ref) refuse flow style; OpenClaw's tooling reads `name:` as a line."""
    assert re.search(r"^name: meta-ads-kit$", FRONTMATTER, re.MULTILINE)
    for line in FRONTMATTER.splitlines():
        value = line.split(":", 1)[1].strip() if ":" in line else ""
        assert not value.startswith(("{", "[")), f"flow style in the frontmatter: {line}"


def test_skill_md_says_what_needs_a_token_and_how_to_install():
    assert "pipx install {baseDir}" in BODY and "FACEBOOK_ACCESS_TOKEN" in BODY
    assert "--workspace" in BODY and "~/.cache/meta-ads/sandbox/" in BODY and "Token" in BODY


def test_skill_md_is_short_and_its_references_exist():
    assert len(SKILL_MD.splitlines()) <= 150
    for ref in sorted(set(re.findall(r"`(reference/[a-z-]+\.md)`", BODY))):
        assert (REPO / ref).is_file(), f"SKILL.md points to {ref}, which does not exist"


def test_skill_md_commands_are_real_commands():
    first_words = {c.split()[0] for c in COMMANDS}
    for used in re.findall(r"`meta-ads ([a-z-]+)", BODY):
        assert used in first_words, f"SKILL.md shows `meta-ads {used}`, which is not a command"


def test_skill_md_says_the_safety_rules():
    assert "always created PAUSED" in BODY
    assert "explicit yes" in BODY and "--sandbox" in BODY and "--json" in BODY
