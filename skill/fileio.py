"""Writing files so that a crash never leaves half of one: temp file, fsync, rename.

A temp file is ``.NAME.PID.XXXX.tmp`` beside its target. A process killed between writing
and renaming leaves it behind; ``clean_stale_temps`` removes those whose writer (by pid, on this
host) is gone, and the upload calls it on every folder it writes before it starts.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step; readers see the old file or the new one.

    ``durable=False`` skips the fsync: still never torn after a killed process (the rename is
    atomic and the page cache survives it), but after a power loss the file may be the old one.
    For files that are a cache of what the ad account holds (looked up again on the next run).

    The temp file's name is fixed per process and thread (``.NAME.PID.THREAD.tmp``, opened with
    O_EXCL): no random name and no chmod after the fact, which made ``mkstemp`` cost ~40 % more
    CPU a file, and an upload writes two files an ad."""
    try:
        mode, existed = path.stat().st_mode & 0o777, True
    except FileNotFoundError:
        mode, existed = 0o666, False  # the umask applies, as for any new file
    tmp = path.parent / f".{path.name}.{os.getpid()}.{threading.get_ident()}{TEMP_SUFFIX}"
    fd = _create(tmp, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            if existed:
                os.fchmod(fh.fileno(), mode)  # keep the file's own permissions
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create(tmp: Path, mode: int) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(tmp, flags, mode)
    except FileNotFoundError:
        tmp.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # left by a killed process that had our pid
        tmp.unlink()
    return os.open(tmp, flags, mode)


TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files left in ``folder`` by writers that died (kill -9 mid-write). Returns them."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match and not pid_alive(int(match.group(1))) and entry.is_file():
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    except OSError:
        return False
    return True


def write_text_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), durable=durable)


def write_json_atomic(path: Path, data: Any, *, durable: bool = True) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", durable=durable)


def append_line(path: Path, line: str) -> None:
    """Append one line and fsync (an append of a short line is all-or-nothing in practice)."""
    append_lines(path, [line])


def append_lines(path: Path, lines: list[str]) -> None:
    """Append these lines in one write and one fsync (a group of rows: one durable step)."""
    if not lines:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(line.rstrip("\n") + "\n" for line in lines))
        fh.flush()
        os.fsync(fh.fileno())
