"""The CLI's output contract: a reader that stops early (``| head``) is not an error; ``--json`` is
always one JSON document, usage errors included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from factories import CAMPAIGN, copy_workspace, make_batch
from skill.cli import main


def test_piping_into_head_is_not_an_error(tmp_path: Path):
    ws = copy_workspace(tmp_path)
    make_batch(ws, 120, 3)  # a dry run of 120 ads prints far more than a pipe holds
    env = {**os.environ, "HOME": str(tmp_path / "home"), "META_ADS_DEBUG": ""}
    proc = subprocess.Popen([sys.executable, "-m", "skill", "upload", CAMPAIGN, "--dry-run", "--workspace", str(ws)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert first.startswith(b"[DRY RUN] [1/120]")
    assert err == "", err


def test_json_is_one_document_for_usage_errors_too(tmp_path: Path, capsys):
    ws = copy_workspace(tmp_path)
    for argv in (["upload", "--json"], ["upload", CAMPAIGN, "--json", "--bogus"], ["nope", "--json"],
                 ["upload", CAMPAIGN, "--json", "--parallel", "0"]):
        code = main([*argv, "--workspace", str(ws)])
        out, err = capsys.readouterr()
        doc = json.loads(out)
        assert code == 2 and doc["ok"] is False and doc["error"] == "UsageError", (argv, out, err)
