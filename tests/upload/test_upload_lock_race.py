"""The campaign lock under a race: processes released together on a stale lock never both hold it.

Each trial leaves a lock file behind a killed holder (kill -9: its pid is dead, its text stays),
starts several processes that each print "ready" and wait for a "go" file, then creates "go".
Every process tries the lock at once. A process that gets it creates ``inside`` with O_EXCL (a
second holder would find it there), then keeps the lock until every other process has reported
its own attempt: so all the others try while it holds. No sleeps: files signal every step.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

WORKERS = 4
TRIALS = 6

WORKER = r"""
import os, sys, pathlib, time
from skill.errors import BatchLocked
from skill.upload.lock import CampaignLock
root, me, n = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def wait(cond):
    while not cond():
        time.sleep(0.001)
print("ready", flush=True)
wait((root / "go").exists)
lock = CampaignLock(root / "ads", "summer")
try:
    lock.acquire()
except BatchLocked:
    (root / f"tried-{me}").touch()
    print("refused")
    sys.exit(0)
try:
    fd = os.open(root / "inside", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
except FileExistsError:
    print("TWO HOLDERS")
    sys.exit(3)
(root / f"tried-{me}").touch()
wait(lambda: len(list(root.glob("tried-*"))) == n)  # every other process has tried while we hold it
os.close(fd)
os.unlink(root / "inside")
lock.release()
print("held")
"""

HOLD_AND_DIE = r"""
import sys, pathlib
from skill.upload.lock import CampaignLock
CampaignLock(pathlib.Path(sys.argv[1]) / "ads", "summer").acquire()
print("held", flush=True)
sys.stdin.readline()
"""


def leave_stale_lock(root: Path) -> None:
    """A holder killed with -9 while it held the lock: its file and its words stay behind."""
    with subprocess.Popen([sys.executable, "-c", HOLD_AND_DIE, str(root)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "held"
        holder.kill()
        holder.wait()
    assert json.loads((root / "ads" / ".upload.lock").read_text())["pid"] == holder.pid


def test_processes_aligned_on_a_stale_lock_never_both_hold_it(tmp_path: Path):
    for trial in range(TRIALS):
        root = tmp_path / f"trial-{trial}"
        (root / "ads").mkdir(parents=True)
        leave_stale_lock(root)
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(i), str(WORKERS)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(WORKERS)]
        assert [p.stdout.readline().strip() for p in procs] == ["ready"] * WORKERS  # all at the start line
        (root / "go").touch()
        outcomes = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, out + err
            outcomes.append(out.strip())
        assert sorted(outcomes) == ["held"] + ["refused"] * (WORKERS - 1), outcomes
        assert not (root / "ads" / ".upload.lock").exists()
