"""asset_feed_spec files of a batch: each distinct content parsed and checked once, and kept as its
text (a few hundred bytes) rather than as a parsed model (several KB) for the rest of the run.

``parsed(text)`` turns the kept text back into the model; the last ``KEEP_PARSED`` distinct
contents stay parsed, so ads that share copy share one model and a batch's memory does not grow
with parsed copy.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

from skill.models import MAX_FILE_BYTES, AssetFeedSpec, parse_model, read_json_file, read_user_text
from skill.validate.copy_rules import validate_copy
from skill.validate.findings import Finding

KEEP_PARSED = 64
_PARSED: OrderedDict[str, AssetFeedSpec] = OrderedDict()
_LOCK = threading.Lock()  # the upload's worker threads ask for specs too


def parsed(text: str) -> AssetFeedSpec:
    """The model of a spec text that passed validation (so it parses)."""
    with _LOCK:
        spec = _PARSED.get(text)
        if spec is not None:
            _PARSED.move_to_end(text)
            return spec
    spec = AssetFeedSpec.model_validate(json.loads(text))
    remember(text, spec)
    return spec


def remember(text: str, spec: AssetFeedSpec) -> None:
    with _LOCK:
        _PARSED[text] = spec
        while len(_PARSED) > KEEP_PARSED:
            _PARSED.popitem(last=False)


class SpecFiles:
    """One batch's spec files. ``load`` raises ConfigError like ``load_model`` would; it returns the
    spec's kept text (shared by every ad with the same content; None if the file changed while it
    was read), its model, and its copy findings placed in this ad."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, list[Finding]]] = {}

    def load(self, path: Path, ad: str, name: str | None = None) -> tuple[str | None, AssetFeedSpec, list[Finding]]:
        """``name``: ``str(path)`` if known already."""
        text = read_text(path, name)
        seen = self._seen.get(text)
        if seen is not None:
            kept, found = seen
            spec = parsed(kept)
        else:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                data = read_json_file(path)  # its ConfigError says where, as loading it always did
                kept = None  # ... unless the file was fixed meanwhile: this ad keeps its model
            else:
                kept = text
            spec = parse_model(AssetFeedSpec, data, file=name or str(path))
            found = validate_copy(spec)
            if kept is not None:
                self._seen[kept] = (kept, found)
                remember(kept, spec)
        if not found:
            return kept, spec, []
        file = name or str(path)
        return kept, spec, [Finding(f.severity, f.message, ad, file, f.field) for f in found]



def read_text(path: Path, name: str | None = None) -> str:
    """``read_user_text(path)`` for a readable UTF-8 file under the size limit, read in 64 KB steps
    (``read_user_text`` asks for a buffer of the whole limit, ~50 µs a file); anything else is left
    to ``read_user_text``, whose ConfigError words it."""
    try:
        fd = os.open(name or path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES and (chunk := os.read(fd, 1 << 16)):
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
        if size <= MAX_FILE_BYTES:
            return b"".join(chunks).decode("utf-8")
    except (OSError, ValueError):  # not there, a folder, unreadable, not UTF-8
        pass
    return read_user_text(path)
