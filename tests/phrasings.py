"""The phrasing set (``tests/data/phrasings.yaml``) and how a route is scored against it.

Shared by ``tests/test_router.py`` and ``bench/bench_router.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from skill.nl.mentions import Vocabulary
from skill.nl.router import Route

PHRASINGS = Path(__file__).resolve().parent / "data" / "phrasings.yaml"
# Never tuned against: written before the grammar changes it measures (see the file's header).
HELD_OUT = Path(__file__).resolve().parent / "data" / "phrasings_heldout.yaml"


@dataclass
class Phrasing:
    text: str
    tool: str | None
    args: dict[str, Any] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)
    source: str = "invented"

    def problem(self, route: Route) -> str | None:
        """None when the route is what the set expects; else what differs."""
        if route.tool != self.tool:
            return f"tool {route.tool!r}, expected {self.tool!r} ({route.reason or route.args})"
        if self.tool is None:
            missing = [w for w in self.reason if w.lower() not in (route.reason or "").lower()]
            return f"reason lacks {missing}: {route.reason}" if missing else None
        if route.args != self.args:
            return f"args {route.args}, expected {self.args}"
        return None


def load(path: Path = PHRASINGS) -> tuple[Vocabulary, list[Phrasing]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    ws = doc["workspace"]
    vocab = Vocabulary(
        campaigns=list(ws["campaigns"]),
        ads={k: list(v) for k, v in ws["ads"].items()},
        stems=dict(ws["stems"]),
        ad_ids={str(k): v for k, v in ws["ad_ids"].items()},
        today=ws["today"] if isinstance(ws["today"], date) else date.fromisoformat(ws["today"]),
    )
    items = [Phrasing(**{**p, "text": str(p["text"]), "args": p.get("args") or {}}) for p in doc["phrasings"]]
    return vocab, items
