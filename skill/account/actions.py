"""One-yes actions from the reports: pause the bleeders, scale the winners, refresh the fatigued.

The report's list becomes a preview of the exact actions (which ads, which ad sets, budgets
before and after). Nothing happens without ``yes``, even pausing (which lowers spend): the
user asked for a report and confirms the list it produced. With ``yes`` the actions run through
the same code as ``pause`` and ``budget`` (so the change log and guardrails apply).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.account import budgets, refresh, status
from skill.account.budget_plan import BudgetAsk, BudgetChange, check_guardrails
from skill.account.budgets import BudgetResult
from skill.account.status import StatusResult
from skill.account.targets import TargetRef
from skill.errors import GraphError, KitError
from skill.events import Reporter, silent
from skill.insights.report_data import ReportResult
from skill.models import load_batch_config
from skill.records import find_records
from skill.settings import Settings


class ActionResult(BaseModel):
    """The report, then what was (or would be) done about it."""

    kind: str  # pause | scale | refresh
    applied: bool
    report: ReportResult
    lines: list[str]
    status: StatusResult | None = None
    budgets: BudgetResult | None = None
    details: list[Any] = []

    @property
    def exit_code(self) -> int:
        return self.status.exit_code if self.status else 0

    def render_text(self) -> str:
        return "\n".join([self.report.render_text(), "", *self.lines])


def _why(reason: str, name: str) -> str:
    """"pause hero-x: CPA 40.00 vs target 25.00" → "CPA 40.00 vs target 25.00"."""
    return reason.split(f"{name}: ", 1)[-1]


def _names(result: ReportResult) -> dict[str, str]:
    return {a.id: a.name for a in result.ads}


# ---------------------------------------------------------------- bleeders --pause


def pause_bleeders(settings: Settings, client: Any, result: ReportResult, yes: bool, *, command: str,
                   report: Reporter = silent, via: str = "library") -> ActionResult:
    names = _names(result)
    reasons = dict(zip(result.flagged, result.findings, strict=False))  # both in the check's order
    todo = [ad for ad in result.flagged if reasons.get(ad, "").startswith("pause")
            and result.statuses.get(ad) != "PAUSED"]
    kept = [f"  not paused, {reasons[ad]}" for ad in result.flagged if reasons.get(ad, "").startswith("review")]
    if not todo:
        return ActionResult(kind="pause", applied=False, report=result, lines=kept + ["No bleeder to pause."])
    if not yes:
        lines = [f"Would pause {len(todo)} ad{'s' if len(todo) != 1 else ''} (nothing was changed):"]
        lines += [f"  {names.get(ad, ad)} ({ad}): {_why(reasons.get(ad, 'flagged'), names.get(ad, ad))}"
                  for ad in todo] + kept
        lines += ["Pausing stops their spend; ad set budgets stay as they are (the other ads spend them).",
                  f"To pause them, re-run with --yes: {command} --yes"]
        return ActionResult(kind="pause", applied=False, report=result, lines=lines)
    done = status.pause(settings, client, todo, report, via=via)
    return ActionResult(kind="pause", applied=True, report=result, lines=kept + [done.message], status=done)


# ---------------------------------------------------------------- winners --scale


def scale_winners(settings: Settings, client: Any, result: ReportResult, pct: str, yes: bool, *, command: str,
                  report: Reporter = silent, via: str = "library") -> ActionResult:
    by = pct if pct.strip().startswith(("+", "-")) else f"+{pct.strip()}"
    names = _names(result)
    owners, notes = _budget_owners(client, result.flagged, names)
    if not owners:
        lines = notes + ["No winner's budget to scale."]
        return ActionResult(kind="scale", applied=False, report=result, lines=lines)
    currency = budgets.account_currency(settings, client)
    changes: list[BudgetChange] = []
    for ref, ads in owners.values():
        change = budgets.plan_for(client, ref, BudgetAsk(by=by), currency)
        change.for_ads = ads
        check_guardrails(settings, change)
        changes.append(change)
    done = budgets.run_changes(settings, client, changes, yes, command=command, report=report, via=via,
                               action="scale")
    return ActionResult(kind="scale", applied=done.applied, report=result, lines=notes + [done.message],
                        budgets=done)


def _budget_owners(client: Any, ad_ids: list[str], names: dict[str, str],
                   ) -> tuple[dict[str, tuple[TargetRef, list[str]]], list[str]]:
    """Winner ads → the ad set (or CBO campaign) whose budget they spend; notes for those left out."""
    owners: dict[str, tuple[TargetRef, list[str]]] = {}
    notes: list[str] = []
    campaigns: dict[str, dict[str, Any]] = {}
    for ad_id in ad_ids:
        name = names.get(ad_id, ad_id)
        try:
            ad = client.get(ad_id, {"fields": "name,effective_status,adset_id,campaign_id"})
        except GraphError as exc:
            notes.append(f"  {name} ({ad_id}): not scaled, could not read it: {exc}")
            continue
        if ad.get("effective_status") != "ACTIVE":
            notes.append(f"  {name} ({ad_id}) is {ad.get('effective_status')}: not scaled "
                         f"(`meta-ads activate {name}` first, if you mean to spend on it)")
            continue
        ref = _owner(client, ad, campaigns)
        owners.setdefault(ref.id, (ref, []))[1].append(name)
    return owners, notes


def _owner(client: Any, ad: dict[str, Any], campaigns: dict[str, dict[str, Any]]) -> TargetRef:
    campaign_id = str(ad.get("campaign_id") or "")
    if campaign_id and campaign_id not in campaigns:
        campaigns[campaign_id] = client.get(campaign_id, {"fields": "name,daily_budget,lifetime_budget"})
    campaign = campaigns.get(campaign_id, {})
    if any(str(campaign.get(k) or "0") != "0" for k in ("daily_budget", "lifetime_budget")):
        return TargetRef(asked=campaign_id, kind="campaign", id=campaign_id, name=str(campaign.get("name")))
    adset_id = str(ad["adset_id"])
    return TargetRef(asked=adset_id, kind="adset", id=adset_id, name=adset_id)


# ---------------------------------------------------------------- fatigue --refresh


def fresh_spec(record_path: Path) -> Path:
    """Where ``copy --fresh-angle`` writes an ad's new copy: ``{stem}-fresh.json`` beside its spec."""
    return record_path.with_name(record_path.name.removesuffix(".upload.json") + "-fresh.json")


def _image_of(settings: Settings, record_path: Path, campaign: str) -> str:
    """The image the batch config gives the ad (for the copy command to suggest), else IMAGE."""
    stem = record_path.name.removesuffix(".upload.json")
    try:
        config = load_batch_config(settings.batch_config_path(campaign))
    except KitError:
        return "IMAGE"
    entry = next((e for e in config.ads if e.stem == stem), None)
    return entry.images[0] if entry else "IMAGE"


def refresh_fatigued(settings: Settings, client: Any, result: ReportResult, mode: str | None, yes: bool, *,
                     command: str, report: Reporter = silent, via: str = "library") -> ActionResult:
    chosen = refresh.pick_mode(settings, mode)
    names = _names(result)
    ready, lines = [], []
    for ad_id in result.flagged:
        found = find_records(settings.workspace, ad_id)
        name = names.get(ad_id, ad_id)
        spec = fresh_spec(found[0][0]) if found else None
        if spec is None or not spec.exists():
            image = (f"{_image_of(settings, found[0][0], found[0][1].campaign)} --campaign {found[0][1].campaign}"
                     if found else "IMAGE --campaign CAMPAIGN")
            lines.append(f"  {name} ({ad_id}): no fresh copy yet: write it with "
                         f"`meta-ads copy {image} --fresh-angle \"...\"` (it writes {spec.name if spec else '...'})")
            continue
        ready.append((ad_id, name, spec))
    if not yes or not ready:
        head = [f"Would refresh {len(ready)} ad{'s' if len(ready) != 1 else ''} ({chosen}; nothing was changed):"
                if ready else "No fatigued ad has fresh copy yet (nothing was changed):"]
        head += [f"  {name} ({ad_id}): new creative from {spec.name}" for ad_id, name, spec in ready]
        tail = [f"To refresh them, re-run with --yes: {command} --yes"] if ready else []
        return ActionResult(kind="refresh", applied=False, report=result, lines=head + lines + tail)
    done = [refresh.refresh(settings, client, ad_id, str(spec), mode=chosen, report=report, via=via)
            for ad_id, _, spec in ready]
    return ActionResult(kind="refresh", applied=True, report=result, lines=[d.message for d in done] + lines,
                        details=done)
