"""A sandbox that records every request it receives (parameters as text, and the path), so a test
can prove what reached "Meta" and what never did (raw personal data, a second create)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.sandbox import Sandbox


class Recorder:
    """Wraps the sandbox's request handler: keeps every request's parameters as text."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.bodies: list[str] = []
        self.paths: list[str] = []
        inner = sandbox.api.handle

        def handle(req: Any, token: str | None) -> Any:
            self.bodies.append(json.dumps(req.params, ensure_ascii=False))
            self.paths.append(f"{req.method} {req.path_str()}")
            return inner(req, token)

        sandbox.api.handle = handle  # type: ignore[method-assign]

    def count(self, fragment: str) -> int:
        return sum(fragment in p for p in self.paths)


def files_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*")
                     if p.is_file() and p.suffix != ".csv" and ".png" not in p.suffixes + [p.suffix])
