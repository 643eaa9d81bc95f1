"""A finding: severity, message, and where (ad, file, field). Errors stop an ad; warnings inform."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    message: str
    ad: str | None = None
    file: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = " › ".join(p for p in (self.file, self.field) if p)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def error(message: str, **where: Any) -> Finding:
    return Finding("error", message, **where)


def warning(message: str, **where: Any) -> Finding:
    return Finding("warning", message, **where)


def placed(found: list[Finding], ad: str | None, file: str | None) -> list[Finding]:
    """Findings worked out once for a shared file (``ad`` and ``file`` unset), placed in one ad."""
    return [replace(f, ad=ad, file=file) for f in found]
