"""The files one batch names, looked up with a folder listing instead of system calls per file.

A batch of thousands of ads names a spec file per ad in one or two folders, and a few dozen
images. ``exists``, ``real`` and ``resolve`` give the answers of ``Path.exists``,
``Path.resolve`` and ``Settings.resolve``, listing each folder once and resolving each folder once;
``plainly_inside`` says a file is inside the workspace when its folder is and it is no symlink.
Whatever a listing cannot answer for certain (a symlink, a name that differs only in case or
Unicode form, a folder that cannot be listed, ``..``) is left to the system call itself.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from skill import inputs
from skill.settings import Settings

Listing = tuple[dict[str, bool], set[str]]  # name → is a symlink; every name folded (case, Unicode form)
ASK = True  # _kind: the listing cannot tell


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


class BatchFiles:
    """Look-ups for one batch's files; nothing is kept once the batch is checked."""

    def __init__(self, settings: Settings, base: Path) -> None:
        self.settings, self.base = settings, base
        self._listings: dict[str, Listing | None] = {}
        self._real: dict[str, Path] = {}
        self._inside: dict[str, bool] = {}
        self._folder_in: dict[str, bool] = {}
        self._resolved: dict[str, Path] = {}
        self._texts: dict[int, str] = {}  # id of a path in _resolved → its text, so the Path need not keep it

    def _listing(self, folder: str) -> Listing | None:
        if folder not in self._listings:
            try:
                with os.scandir(folder) as found:
                    names = {e.name: e.is_symlink() for e in found}
                self._listings[folder] = names, {_fold(n) for n in names}
            except OSError:
                self._listings[folder] = None
        return self._listings[folder]

    def _kind(self, path: str) -> bool | None:
        """False: there, and not a symlink; None: nothing there; True (ASK): the listing cannot tell."""
        folder, _, name = path.rpartition("/")
        if not name or name in (".", "..") or not path.startswith("/"):
            return ASK
        listing = self._listing(folder or "/")
        if listing is None:
            return ASK
        names, folded = listing
        link = names.get(name)
        if link is None:
            return ASK if _fold(name) in folded else None
        return link

    def text(self, path: Path) -> str:
        """``str(path)``, without making ``path`` keep its text (~120 bytes an ad) when it came from here."""
        return self._texts.get(id(path)) or str(path)

    def exists(self, path: Path) -> bool:
        kind = self._kind(self.text(path))
        return path.exists() if kind else kind is False

    def real(self, path: Path) -> Path:
        """``path.resolve()``: its folder resolved once, then its name, unless it is a symlink."""
        text = self.text(path)
        if ".." in path.parts or self._kind(text):
            return path.resolve()
        folder = text.rpartition("/")[0] or "/"
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = Path(folder).resolve()
        return real / path.name

    def plainly_inside(self, path: Path, roots: Iterable[Path]) -> bool:
        """True when ``path`` is no symlink in a folder inside one of ``roots`` (False: ask
        ``inputs.outside_problem``, which also words the problem)."""
        text = self.text(path)
        inside = self._inside.get(text)
        if inside is None:
            inside = self._inside[text] = ".." not in path.parts and not self._kind(text) and self._folder_inside(
                text.rpartition("/")[0] or "/", roots)
        return inside

    def _folder_inside(self, folder: str, roots: Iterable[Path]) -> bool:
        inside = self._folder_in.get(folder)
        if inside is None:
            inside = self._folder_in[folder] = inputs.outside_problem(Path(folder), roots, self.real) is None
        return inside

    def resolve(self, raw: str) -> Path:
        """``Settings.resolve(raw, base)``, once per distinct ``raw``."""
        path = self._resolved.get(raw)
        if path is None:
            path = self._resolved[raw] = self._resolve(raw)
        return path

    def _resolve(self, raw: str) -> Path:
        workspace = self.settings.workspace
        if raw and "/" not in raw and raw[0] != "~" and raw not in (".", ".."):  # a bare name, the usual case
            found = next((f for f in (workspace, self.base) if self._exists(f"{f}/{raw}")), workspace)
            path = found / raw  # a child of a kept folder shares its parts: a small object per ad
            self._texts[id(path)] = f"{found}/{raw}"
            return path
        path = Path(raw).expanduser()
        if path.is_absolute():
            return path
        parts, rel = path.parts, str(path)
        candidates = [f"{workspace}/{rel}", f"{self.base}/{rel}"]
        if len(parts) > 1 and parts[0] in {workspace.name, "workspace"}:
            candidates.insert(0, str(workspace.joinpath(*parts[1:])))
        found = next((c for c in candidates if self._exists(c)), None)
        return Path(found) if found is not None else workspace / path

    def _exists(self, path: str) -> bool:
        kind = self._kind(path)
        return os.path.exists(path) if kind else kind is False
