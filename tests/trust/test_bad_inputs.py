"""Every broken input of the corpus gets one clean refusal: no call, nothing written, no traceback.

Each case of ``corpus.py`` runs through ``validate``, ``upload --dry-run``, ``upload`` and
``upload --json`` against a sandbox (the CLI pointed at it with env vars, as at Meta) and must:
exit 1 or 2; leave exactly one line on stderr naming the file and the field (text mode) or one
JSON document on stdout with ``ok: false`` (``--json``); never show a traceback; make zero API
calls (the sandbox's request count); leave the workspace byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from corpus import CAMPAIGN, CASES, Case
from factories import copy_workspace
from skill.cli import main
from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN

COMMANDS = {
    "validate": ("validate",),
    "dry-run": ("upload", "--dry-run"),
    "upload": ("upload",),
    "upload-json": ("upload", "--json"),
}


def snapshot(root: Path) -> dict[str, str]:
    """Every file and link under ``root`` with a digest of its bytes (or its target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            out[key] = "-> " + str(path.readlink())
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[key] = "dir"
    return out


@pytest.fixture
def env(tmp_path: Path, sandbox: Sandbox, monkeypatch) -> Sandbox:
    for var in ("META_AD_ACCOUNT", "META_WORKSPACE", "SOCIAL_CLI_HOME", "META_ADS_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("META_RETRY_BASE_S", "0.01")
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    monkeypatch.chdir(tmp_path)
    return sandbox


PARAMS = [pytest.param(case, command, id=f"{case.name}-{command}") for case in CASES for command in case.commands]


@pytest.mark.parametrize("case,command", PARAMS)
def test_a_broken_input_is_one_clean_refusal(case: Case, command: str, env: Sandbox, tmp_path: Path, capsys,
                                             monkeypatch):
    ws = copy_workspace(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    case.make(ws, outside)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    before, calls = snapshot(tmp_path), env.request_count

    code = main([*COMMANDS[command][:1], CAMPAIGN, *COMMANDS[command][1:], *case.args, "--workspace", str(ws)])
    out, err = capsys.readouterr()

    assert "Traceback" not in out + err and "Internal error" not in out + err, out + err
    assert code in (1, 2), f"exit {code}\n{out}\n{err}"
    if command == "upload-json":
        doc = json.loads(out)  # one JSON document, nothing else on stdout
        assert isinstance(doc, dict) and doc.get("ok") is False, out
    else:
        lines = err.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
        for word in case.expect:
            assert word in lines[0], f"{word!r} not named in: {lines[0]}"
    assert env.request_count == calls, "no call reaches the Graph API"
    assert snapshot(tmp_path) == before, "the workspace is unchanged"


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)
