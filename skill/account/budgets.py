"""Changing budgets and bids of ad sets and CBO campaigns: preview first, a yes for any increase.

``budget`` resolves the target (name or id), reads it, plans the change (``budget_plan.py``),
checks the guardrails, and either shows the preview (an increase or a bid change without
``yes``) or posts it. A decrease needs no yes, like a pause. Every change is written to the
change log and the object's ``brand/assets.md`` row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from skill.account import changelog, targets
from skill.account.budget_plan import BudgetAsk, BudgetChange, add_warnings, check_guardrails, plan
from skill.account.targets import TargetRef
from skill.errors import ConfigError, GraphError
from skill.events import Event, Reporter, silent
from skill.money import from_minor, show_minor
from skill.settings import Settings

READ_FIELDS = "name,status,campaign_id,daily_budget,lifetime_budget,end_time,start_time,bid_strategy,bid_amount"
CAMPAIGN_FIELDS = "name,status,daily_budget,lifetime_budget,stop_time,start_time,bid_strategy"


class BudgetResult(BaseModel):
    """A budget preview (nothing changed) or what was changed."""

    action: str  # budget-preview | budget
    applied: bool
    changes: list[BudgetChange]
    daily_change: Decimal  # the change in daily spend across everything touched, major units (+10.0)
    currency: str
    needs_yes: bool
    message: str

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        return self.message


# ---------------------------------------------------------------- the command


def budget(settings: Settings, client: Any, target: str, ask: BudgetAsk, yes: bool, *, command: str,
           report: Reporter = silent, via: str = "library") -> BudgetResult:
    """Preview or apply one budget / bid change on an ad set or a CBO campaign."""
    if not any(v is not None for v in (ask.daily, ask.lifetime, ask.by, ask.bid_cap, ask.cost_cap)):
        raise ConfigError("say what to change: --daily, --lifetime with --end, --by, --bid-cap or --cost-cap",
                          field="budget")
    currency = account_currency(settings, client)
    ref = targets.resolve(settings, client, target, ("adset", "campaign"))
    change = plan_for(client, ref, ask, currency)
    if not change.params:
        return BudgetResult(action="budget", applied=False, changes=[change], **_change([change]),
                            needs_yes=False, message=f"{ref.kind_word} {ref.name} already has that budget: "
                                                     "nothing to change.")
    check_guardrails(settings, change)
    return run_changes(settings, client, [change], yes, command=command, report=report, via=via)


def plan_for(client: Any, ref: TargetRef, ask: BudgetAsk, currency: str) -> BudgetChange:
    """Read the object and plan the change; an ad set under a campaign budget points at its campaign."""
    obj = targets.read(client, ref, READ_FIELDS if ref.kind == "adset" else CAMPAIGN_FIELDS)
    obj["id"] = ref.id
    wants_budget = any(v is not None for v in (ask.daily, ask.lifetime, ask.by))
    campaign: dict[str, Any] = {"name": ref.name} if ref.kind == "campaign" else {}
    if ref.kind == "adset" and obj.get("campaign_id"):
        campaign = client.get(str(obj["campaign_id"]), {"fields": "name,daily_budget,lifetime_budget"})
        if _has_budget(campaign) and wants_budget:
            raise ConfigError(f"ad set {ref.name} spends its campaign's budget (Advantage campaign budget)",
                              field="target", hint=f"change the campaign's: meta-ads budget "
                                                   f"{campaign.get('name') or obj['campaign_id']!r} ...")
    if ref.kind == "campaign" and not _has_budget(obj) and wants_budget:
        names = [a.get("name") for a in client.paginate(f"{ref.id}/adsets", {"fields": "name", "limit": 100})]
        raise ConfigError(f"campaign {ref.name} has no campaign budget: its ad sets hold the budgets",
                          field="target", hint=f"name an ad set: {', '.join(map(str, names)) or 'none yet'}")
    change = plan(ref.kind, obj, ask, currency)
    change.campaign = campaign.get("name")
    change.campaign_id = ref.id if ref.kind == "campaign" else change.campaign_id
    change.ads = _count_ads(client, ref)
    add_warnings(change)
    return change


def _has_budget(obj: dict[str, Any]) -> bool:
    return any(str(obj.get(k) or "0") != "0" for k in ("daily_budget", "lifetime_budget"))


def _count_ads(client: Any, ref: TargetRef) -> int | None:
    try:
        return sum(1 for ad in client.paginate(f"{ref.id}/ads", {"fields": "id,status", "limit": 500})
                   if ad.get("status") == "ACTIVE")
    except GraphError:
        return None


def account_currency(settings: Settings, client: Any) -> str:
    if not settings.ad_account:
        return "USD"
    return str(client.get(settings.ad_account, {"fields": "currency"}).get("currency") or "USD")


# ---------------------------------------------------------------- preview or apply


def run_changes(settings: Settings, client: Any, changes: list[BudgetChange], yes: bool, *, command: str,
                report: Reporter = silent, via: str = "library", action: str = "budget") -> BudgetResult:
    """Apply ``changes`` when none raises spend or ``yes`` was given; otherwise only the preview."""
    needs_yes = any(c.raises_spend for c in changes)
    if needs_yes and not yes:
        return preview(changes, command, action)
    for change in changes:
        apply(settings, client, change, report, via)
    lines = ["Changed (logged in brand/changes.jsonl):"] + [f"  {line}" for c in changes for line in c.lines()]
    lines.append(f"Daily spend across everything changed: {_delta(changes)}.")
    return BudgetResult(action=action, applied=True, changes=changes, **_change(changes),
                        needs_yes=needs_yes, message="\n".join(lines))


def preview(changes: list[BudgetChange], command: str, action: str = "budget") -> BudgetResult:
    lines = ["Would change (nothing was changed):"]
    for change in changes:
        lines += [f"  {line}" for line in change.lines()]
    ads = sum(c.ads or 0 for c in changes)
    lines.append(f"Daily spend across everything it touches ({len(changes)} "
                 f"{'objects' if len(changes) != 1 else 'object'}, {ads} active ads): {_delta(changes)}.")
    lines.append(f"This can raise spend. To apply it, re-run with --yes: {command} --yes")
    return BudgetResult(action=f"{action}-preview", applied=False, changes=changes, **_change(changes),
                        needs_yes=True, message="\n".join(lines))


def apply(settings: Settings, client: Any, change: BudgetChange, report: Reporter, via: str) -> None:
    """Post the change (setting a value is safe to retry), log it, update assets.md."""
    client.post(change.id, dict(change.params), idempotent=True)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for side, budget in ((before, change.budget_before), (after, change.budget_after)):
        if change.budget_type and budget is not None:
            side[f"{budget.period}_budget"] = float(budget.amount)  # amounts in the account's major unit
    if change.bid_after:
        before.update(bid_strategy=change.bid_strategy_before, bid_amount=_amount(change.bid_amount_before))
        after.update(bid_strategy=change.bid_strategy_after, bid_amount=_amount(change.bid_amount_after))
    changelog.append(settings, via, action="budget" if change.budget_type else "bid", kind=change.kind,
                     id=change.id, name=change.name, campaign=change.campaign, campaign_id=change.campaign_id,
                     before=before, after=after, currency=change.currency,
                     note=f"{change.pct} on the {change.budget_type} budget" if change.pct else None)
    detail = f"(budget {change.after}{'/day' if change.budget_type == 'daily' else ' lifetime'})" \
        if change.budget_type else f"(bid {change.bid_after})"
    changelog.upsert_asset(settings.assets_md, change.kind, change.name, change.id, change.status or "—", detail)
    report(Event("budget", f"✓ {change.name} ({change.id}) updated", change.model_dump()))


def _amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _change(changes: list[BudgetChange]) -> dict[str, Any]:
    currency = changes[0].currency if changes else "USD"
    minor = sum(c.daily_after - c.daily_before for c in changes)
    return {"daily_change": from_minor(minor, currency) or Decimal(0), "currency": currency}


def _delta(changes: list[BudgetChange]) -> str:
    if not changes:
        return "no change"
    minor = sum(c.daily_after - c.daily_before for c in changes)
    sign = "+" if minor > 0 else ("-" if minor < 0 else "±")
    return f"{sign}{show_minor(abs(minor), changes[0].currency)}/day"
