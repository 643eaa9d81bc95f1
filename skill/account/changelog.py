"""The workspace's change log: one JSON line per action the kit took on the account.

``workspace/brand/changes.jsonl``: who asked (the face: cli, ask or mcp, and ``$USER``), when
(ISO 8601, UTC), what (budget, status, refresh), on which object, before and after. Every
budget, status and refresh action appends here and keeps ``brand/assets.md`` in step;
``meta-ads history CAMPAIGN`` reads it back.
"""

from __future__ import annotations

import getpass
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.fileio import append_line, write_text_atomic
from skill.money import show
from skill.records import ASSETS_HEADER
from skill.settings import Settings

MONEY_KEYS = frozenset({"daily_budget", "lifetime_budget", "bid_amount"})
KIND_WORDS = {"ad": "ad", "adset": "ad set", "campaign": "campaign", "creative": "creative"}


class Change(BaseModel):
    """One line of the change log."""

    at: str
    via: str  # cli | ask | mcp | library
    user: str
    action: str  # budget | bid | pause | activate | refresh
    kind: str  # ad | adset | campaign
    id: str
    name: str
    campaign: str | None = None  # the campaign's name (or id) the object sits in
    campaign_id: str | None = None
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    currency: str | None = None  # of the amounts in before/after (budgets, bids: numbers in major units)
    note: str | None = None

    def shown(self, key: str, value: Any) -> str:
        """A value as people read it: amounts with the currency ("$50.00"); older lines hold text already."""
        if self.currency and key in MONEY_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
            return show(Decimal(str(value)), self.currency)
        return "—" if value is None else str(value)

    def line(self) -> str:
        what = ", ".join(f"{k} {self.shown(k, self.before.get(k))} → {self.shown(k, v)}" for k, v in self.after.items())
        extra = f" ({self.note})" if self.note else ""
        return f"{self.at}  {self.action:<8} {KIND_WORDS.get(self.kind, self.kind)} {self.name} ({self.id}): " \
               f"{what}{extra}  [{self.via}, {self.user}]"


def log_path(settings: Settings) -> Path:
    return settings.brand_dir / "changes.jsonl"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a container
        return "unknown"


def append(settings: Settings, via: str, **fields: Any) -> Change:
    """Write one change (``at``, ``via``, ``user`` filled in) and return it."""
    change = Change(at=now_iso(), via=via, user=who(), **fields)
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    append_line(path, change.model_dump_json(exclude_none=True))
    return change


def read(settings: Settings, campaign: str | None = None) -> list[Change]:
    """Every logged change, oldest first; only ``campaign``'s (by name or id) when given."""
    path = log_path(settings)
    if not path.exists():
        return []
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            change = Change.model_validate(json.loads(raw))
        except ValueError:  # a torn or hand-edited line: skip it, keep the rest
            continue
        if campaign is None or campaign in (change.campaign, change.campaign_id) or \
                (change.kind == "campaign" and campaign in (change.id, change.name)):
            out.append(change)
    return out


# ---------------------------------------------------------------- brand/assets.md


def upsert_asset(assets_md: Path, kind: str, name: str, object_id: str, status: str, detail: str = "") -> None:
    """The row for an ad set or campaign (``adset: ID``), added once and then kept current."""
    key = f"{kind}: {object_id}"
    ids = f"{key} {detail}".strip()
    row = f"| {name} | {KIND_WORDS.get(kind, kind)} | {now_iso()[:10]} | {ids} | {status} |"
    if not assets_md.exists():
        write_text_atomic(assets_md, "# Assets\n\n" + ASSETS_HEADER)
    lines = assets_md.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(rf"^\|[^|]*\|[^|]*\|[^|]*\| {re.escape(key)}\b")
    for i, line in enumerate(lines):
        if pattern.match(line):
            lines[i] = row
            write_text_atomic(assets_md, "\n".join(lines) + "\n")
            return
    append_line(assets_md, row)
