"""The campaign lock: one upload of a campaign at a time, across processes (``ads/.upload.lock``).

Kept free of heavy imports so that taking the lock is the first thing a run can do.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.errors import BatchLocked

LOCK_NAME = ".upload.lock"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CampaignLock:
    """``ads/.upload.lock``: one upload of a campaign at a time, across processes.

    An OS lock (``fcntl.flock``) on the file: the kernel releases it when its holder exits or is
    killed, so there is no stale lock to detect and no takeover to race. What the file says
    (pid, host, start time) is only for the message a refused run prints; an empty or corrupt
    file blocks nothing. Taking the lock checks that the file it locked is still the one at the
    path (a releasing holder unlinks it), so two runs can never hold two different files.
    """

    def __init__(self, ads_dir: Path, campaign: str) -> None:
        self.path = ads_dir / LOCK_NAME
        self.campaign = campaign
        self.held = False
        self._fd: int | None = None

    def holder(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(20):  # only a release racing with us makes a round fail
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._locked_error(self.holder() or {}) from None
            if self._same_file(fd):
                self._fd, self.held = fd, True
                self._write_holder(fd)
                return
            os.close(fd)  # the holder released and unlinked it meanwhile: lock the new file
        raise self._locked_error(self.holder() or {})

    def _same_file(self, fd: int) -> bool:
        try:
            mine, now = os.fstat(fd), os.stat(self.path)
        except FileNotFoundError:
            return False
        return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)

    @staticmethod
    def _write_holder(fd: int) -> None:
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started_at": now_iso()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode("utf-8"), 0)

    def _locked_error(self, info: dict[str, Any]) -> BatchLocked:
        who = f"process {info.get('pid', '?')} on {info.get('host', '?')}, since {info.get('started_at', '?')}"
        return BatchLocked(
            f"campaign {self.campaign!r} is already being uploaded ({who})",
            hint=f"wait for that run to finish (the lock {self.path} is released when it exits)",
        )

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # unlink while holding it: the next run makes a new file
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self.held = False

    def __enter__(self) -> CampaignLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
