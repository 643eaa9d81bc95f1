"""Status above the ad: pausing and activating ad sets and campaigns, what an activation would
start, and the current status of anything named (to say "already active").

``status.py`` owns the commands; this module holds the per-object steps so both stay small.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from skill.account.targets import TargetRef
from skill.errors import GraphError
from skill.events import Event, Reporter, silent
from skill.graph import BatchOp
from skill.money import show_minor

BUDGET_FIELDS = "name,status,daily_budget,lifetime_budget"


def current_statuses(client: Any, ids: list[str]) -> dict[str, str]:
    """id → configured status now, in one call (a batch of reads); unreadable ids are left out."""
    if not ids:
        return {}
    if len(ids) == 1:
        try:
            return {ids[0]: str(client.get(ids[0], {"fields": "status"}).get("status") or "")}
        except GraphError:
            return {}
    results = client.batch([BatchOp("GET", f"{i}?fields=status") for i in ids])
    return {i: str((r.data or {}).get("status") or "") for i, r in zip(ids, results, strict=True)
            if r is not None and r.ok and isinstance(r.data, dict)}


def post_status(client: Any, ref: TargetRef, status: str, report: Reporter = silent) -> str | None:
    """Set one ad set's or campaign's status; the error text when Meta refused."""
    try:
        client.post(ref.id, {"status": status}, idempotent=True)
    except GraphError as exc:
        report(Event("status_failed", f"✗ {ref.kind_word} {ref.name} ({ref.id}): {exc}"))
        return str(exc)
    report(Event("status", f"✓ {ref.kind_word} {ref.name} ({ref.id}) {status}"))
    return None


# ---------------------------------------------------------------- what an activation starts


def daily_of(obj: dict[str, Any]) -> int:
    """The object's daily budget in minor units (0 when it has none, or a lifetime budget)."""
    return int(str(obj.get("daily_budget") or 0) or 0)


def budget_text(obj: dict[str, Any], currency: str) -> str | None:
    if daily_of(obj):
        return f"{show_minor(obj['daily_budget'], currency)}/day"
    if str(obj.get("lifetime_budget") or "0") != "0":
        return f"{show_minor(obj['lifetime_budget'], currency)} lifetime"
    return None


def would_start(client: Any, ref: TargetRef, currency: str) -> tuple[list[str], int]:
    """Lines naming what activating ``ref`` starts (ad sets, ads), and the daily budget behind it."""
    if ref.kind == "adset":
        return _adset_starts(client, ref.id, currency, campaign_budget=None)
    campaign = client.get(ref.id, {"fields": BUDGET_FIELDS})
    cbo = daily_of(campaign) or None
    lines = [f"    campaign budget {budget_text(campaign, currency)}"] if budget_text(campaign, currency) else []
    total = cbo or 0
    for adset in client.paginate(f"{ref.id}/adsets", {"fields": f"id,{BUDGET_FIELDS}", "limit": 500}):
        if adset.get("status") != "ACTIVE":
            lines.append(f"    ad set {adset.get('name')} ({adset['id']}): {adset.get('status')}, stays off")
            continue
        sub, daily = _adset_starts(client, str(adset["id"]), currency, campaign_budget=cbo, row=adset)
        lines += sub
        total += 0 if cbo else daily
    return lines, total


def _adset_starts(client: Any, adset_id: str, currency: str, *, campaign_budget: int | None,
                  row: dict[str, Any] | None = None) -> tuple[list[str], int]:
    adset = row or client.get(adset_id, {"fields": BUDGET_FIELDS})
    budget = budget_text(adset, currency) or ("the campaign budget" if campaign_budget else "no budget")
    lines = [f"    ad set {adset.get('name')} ({adset_id}): {budget}"]
    for ad in client.paginate(f"{adset_id}/ads", {"fields": "id,name,status", "limit": 500}):
        state = "starts" if ad.get("status") == "ACTIVE" else f"{ad.get('status')}, stays off"
        lines.append(f"      ad {ad.get('name')} ({ad['id']}): {state}")
    return lines, daily_of(adset)


def total_text(minor: int, currency: str) -> str | None:
    return f"{show_minor(Decimal(minor), currency)}/day" if minor else None
