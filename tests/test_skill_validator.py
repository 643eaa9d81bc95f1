"""The Agent Skills reference validator (`skills-ref`, the `agentskills` CLI) accepts SKILL.md.

It wants the folder named like the skill, so the repository is linked under that name.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def skill_name() -> str:
    """The `name:` line as OpenClaw's tooling reads it: a plain top-level line."""
    return re.search(r"^name: *(\S+)$", (REPO / "SKILL.md").read_text(encoding="utf-8"), re.MULTILINE).group(1)


def test_agentskills_validate_accepts_the_repository(tmp_path: Path):
    linked = tmp_path / skill_name()
    linked.symlink_to(REPO, target_is_directory=True)
    cli = Path(sys.executable).parent / "agentskills"
    done = subprocess.run([str(cli), "validate", str(linked)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Valid skill: {linked}" in done.stdout


def test_the_validator_reads_the_metadata_the_kit_declares(tmp_path: Path):
    from skills_ref.parser import read_properties

    linked = tmp_path / skill_name()
    linked.symlink_to(REPO, target_is_directory=True)
    props = read_properties(linked)
    assert props.name == "meta-ads-kit" and "PAUSED" in props.description
    assert "openclaw" in props.metadata and "meta-ads" in props.metadata["openclaw"]


def test_the_validator_would_catch_a_flow_style_metadata_line(tmp_path: Path):
    """The check is real: the old one-line JSON metadata fails it."""
    from skills_ref.validator import validate

    folder = tmp_path / "meta-ads-kit"
    folder.mkdir()
    text = (REPO / "SKILL.md").read_text(encoding="utf-8")
    flow = re.sub(r"^metadata:\n(?:  .*\n)+", 'metadata: {"openclaw": {"requires": {"bins": ["meta-ads"]}}}\n',
                  text, count=1, flags=re.MULTILINE)
    assert flow != text
    (folder / "SKILL.md").write_text(flow, encoding="utf-8")
    assert any("flow" in e or "YAML" in e for e in validate(folder))
