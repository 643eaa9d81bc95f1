"""Atomic writes leave nothing visible behind a crash: temps of dead writers are cleaned on the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from skill.fileio import clean_stale_temps, write_text_atomic

CRASH = r"""
import os, sys, pathlib
import skill.fileio as f
real = os.replace
def die(src, dst):  # killed after the temp file is written, before the rename
    print(src, flush=True)
    os.kill(os.getpid(), 9)
f.os.replace = die
f.write_text_atomic(pathlib.Path(sys.argv[1]), "new")
"""


def test_a_kill_between_write_and_rename_leaves_a_temp_the_next_run_removes(tmp_path: Path):
    target = tmp_path / "receipt.upload.json"
    target.write_text("old")
    proc = subprocess.run([sys.executable, "-c", CRASH, str(target)], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    temp = Path(proc.stdout.strip())
    assert temp.exists() and temp.parent == tmp_path and temp.name.startswith(".receipt.upload.json.")
    assert target.read_text() == "old", "the target is the old file or the new one, never half"
    mine = tmp_path / f".assets.md.{os.getpid()}.abc123.tmp"  # a live writer's temp is left alone
    mine.write_text("being written")
    assert clean_stale_temps(tmp_path) == [temp]
    assert not temp.exists() and mine.exists() and target.read_text() == "old"
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
