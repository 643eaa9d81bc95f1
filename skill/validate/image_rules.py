"""The image rules: a JPG or PNG by content, under 30 MB, at least 600x600, a supported aspect
ratio, and pixel data that decodes. ``ImageChecks`` checks each distinct file of a batch once."""

from __future__ import annotations

from pathlib import Path

from skill.images import (
    ASPECT_RATIOS,
    MAX_BYTES,
    MIN_SIDE,
    SUPPORTED_FORMATS,
    ImageInfo,
    decode_problem,
    read_info,
)
from skill.validate.findings import Finding, error


def validate_image(path: Path, *, ad: str | None = None, field: str | None = None) -> tuple[list[Finding], ImageInfo | None]:
    """File exists, JPG/PNG by content, < 30 MB, ≥ 600x600, a supported aspect ratio."""
    where = {"ad": ad, "file": str(path), "field": field}
    try:
        info = read_info(path)
    except FileNotFoundError:
        return [error(f"Image not found: {path}", **where)], None
    except OSError as exc:
        return [error(f"Image unreadable: {exc.strerror or exc}", **where)], None
    if info.format is None:
        return [error("Format not supported: unreadable or corrupt image (use JPG or PNG)", **where)], info
    if info.format not in SUPPORTED_FORMATS:
        return [error(f"Format not supported: {info.format} (use JPG or PNG)", **where)], info
    found = []
    if info.size_bytes >= MAX_BYTES:
        found.append(error(f"Image too large: {info.size_bytes / 1024 / 1024:.1f} MB (max 30 MB)", **where))
    if info.width < MIN_SIDE or info.height < MIN_SIDE:
        found.append(error(f"Image too small: {info.width}x{info.height} (min {MIN_SIDE}x{MIN_SIDE})", **where))
    if info.aspect is None:
        ratios = ", ".join(ASPECT_RATIOS)
        found.append(error(f"Unsupported aspect ratio: {info.width}x{info.height} (use {ratios})", **where))
    if not found:
        problem = decode_problem(path)
        if problem:
            found.append(error(problem, **where))
    return found, info


class ImageChecks:
    """One batch's image checks: each distinct file is read and decoded once, whatever the number
    of ads naming it; each ad gets the findings with its own name and field."""

    def __init__(self) -> None:
        self._done: dict[Path, tuple[list[Finding], ImageInfo | None]] = {}

    def check(self, path: Path, ad: str, field: str) -> tuple[list[Finding], ImageInfo | None]:
        done = self._done.get(path)
        if done is None:
            done = self._done[path] = validate_image(path)
        found, info = done
        if not found:
            return [], info
        return [Finding(f.severity, f.message, ad, f.file, field) for f in found], info
