"""Activating a campaign or an ad set: first everything that would start spending, then, on a yes, all of it.

A campaign (or ad set) the kit launched is named by its workspace name (``black-friday-2026``,
``black-friday-2026 broad-us-ca``) or its id, found in the ``*.launch.json`` records. The preview
reads the account (one read per parent): the campaign, its ad sets with their budgets and their
ads, and adds the daily budgets up in the account's currency; a campaign budget counts once.
With ``yes`` the campaign, its ad sets and their ads are set ACTIVE in one batch call, and the
records and ``brand/assets.md`` rows follow. Usable on its own by any status command.
"""

from __future__ import annotations

import re
import shlex
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from skill import amounts
from skill.account import changelog
from skill.amounts import Budget
from skill.errors import InvalidParameter
from skill.events import Event, Reporter, silent
from skill.fileio import write_text_atomic
from skill.graph import BatchOp
from skill.launch.record import launch_records, write_launch_record
from skill.money import from_minor, show
from skill.records import find_records, update_asset_status, write_record
from skill.settings import Settings

SPENDS = ("ACTIVE", "PAUSED", "CAMPAIGN_PAUSED", "ADSET_PAUSED", "IN_PROCESS", "WITH_ISSUES", "PENDING_REVIEW",
          "PREAPPROVED")
BUDGET_FIELDS = "id,name,status,daily_budget,lifetime_budget"


class Target(BaseModel):
    kind: str  # campaign | adset
    id: str
    name: str


class SpendObject(BaseModel):
    kind: str
    id: str
    name: str
    status: str | None = None
    budget: Budget | None = None  # its own budget (ad sets and campaigns)
    ok: bool = True
    error: str | None = None


class SpendPreview(BaseModel):
    """What ``activate CAMPAIGN`` (or an ad set) returns: what starts spending, and how much a day."""

    action: str  # activate-preview | activate
    target: Target
    objects: list[SpendObject]
    daily_budget: Decimal | None = None  # the daily budgets that would start, together (major units)
    lifetime_budget: Decimal | None = None
    currency: str = "USD"
    activated: int = 0
    failed: int = 0
    campaign_status: str | None = None  # an ad set's campaign, when it is not being activated with it
    message: str

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def render_text(self) -> str:
        return self.message

    def daily_text(self) -> str | None:
        return f"{show(self.daily_budget, self.currency)}/day" if self.daily_budget else None


def find_target(settings: Settings, asked: str) -> Target | None:
    """A launched campaign or ad set by workspace name or id, from the launch records; else None."""
    for _, record in launch_records(settings.workspace):
        if asked in (record.campaign, record.campaign_id):
            return Target(kind="campaign", id=record.campaign_id, name=record.campaign)
        for adset in record.adsets:
            if asked in (adset.id, adset.meta_name, f"{record.campaign} {adset.name}"):
                return Target(kind="adset", id=adset.id, name=adset.meta_name)
    return None


def read_tree(client: Any, target: Target) -> tuple[dict[str, Any] | None, list[dict[str, Any]], dict[str, list]]:
    """The campaign (for a campaign), its ad sets, and each ad set's ads."""
    campaign = None
    if target.kind == "campaign":
        campaign = _node(client, target.id)
        adsets = list(client.paginate(f"{target.id}/adsets", {"fields": BUDGET_FIELDS, "limit": 500}))
    else:
        adsets = [dict(client.get(target.id, {"fields": BUDGET_FIELDS + ",campaign{status}"}))]
    ads = {a["id"]: list(client.paginate(f"{a['id']}/ads", {"fields": "id,name,status", "limit": 500}))
           for a in adsets}
    return campaign, adsets, ads


def _node(client: Any, object_id: str) -> dict[str, Any]:
    try:
        return dict(client.get(object_id, {"fields": BUDGET_FIELDS}))
    except InvalidParameter:  # a campaign made elsewhere may not carry budget fields
        return dict(client.get(object_id, {"fields": "id,name,status"}))


def preview(settings: Settings, client: Any, target: Target) -> SpendPreview:
    currency = str(client.get(settings.require_ad_account(), {"fields": "currency"}).get("currency") or "USD")
    campaign, adsets, ads = read_tree(client, target)
    objects: list[SpendObject] = []
    daily, lifetime = Decimal(0), Decimal(0)
    holders = [campaign] if campaign and _has_budget(campaign) else adsets
    for holder in holders:
        daily += Decimal(str(holder.get("daily_budget") or 0))
        lifetime += Decimal(str(holder.get("lifetime_budget") or 0))
    if campaign:
        objects.append(_object("campaign", campaign, currency))
    for adset in adsets:
        objects.append(_object("adset", adset, currency))
        objects += [_object("ad", ad, currency) for ad in ads[adset["id"]] if ad.get("status") in SPENDS]
    parent = adsets[0].get("campaign") if target.kind == "adset" and adsets else None
    return SpendPreview(action="activate-preview", target=target, objects=objects,
                        campaign_status=parent.get("status") if isinstance(parent, dict) else None,
                        daily_budget=from_minor(daily, currency) if daily else None,
                        lifetime_budget=from_minor(lifetime, currency) if lifetime else None,
                        currency=currency, message="")


def _has_budget(node: dict[str, Any]) -> bool:
    return any(str(node.get(k) or "0") != "0" for k in ("daily_budget", "lifetime_budget"))


def _object(kind: str, node: dict[str, Any], currency: str) -> SpendObject:
    return SpendObject(kind=kind, id=str(node["id"]), name=str(node.get("name") or node["id"]),
                       status=node.get("status"), budget=amounts.of_object(node, currency) if kind != "ad" else None)


def preview_text(result: SpendPreview, asked: str) -> str:
    label = {"campaign": "Campaign", "adset": "Ad set", "ad": "Ad"}
    lines = [f"Would activate {result.target.kind.replace('adset', 'ad set')} {result.target.name} "
             "(nothing was changed). These would start spending:"]
    for obj in result.objects:
        indent = {"campaign": "  ", "adset": "    " if result.target.kind == "campaign" else "  "}.get(
            obj.kind, "      " if result.target.kind == "campaign" else "    ")
        budget = f", {obj.budget.text()}" if obj.budget else ""
        lines.append(f"{indent}{label[obj.kind]} {obj.name} ({obj.id}): now {obj.status}{budget}")
    if result.campaign_status not in (None, "ACTIVE") and result.target.kind == "adset":
        lines.append(f"  (its campaign is {result.campaign_status}: nothing spends until the campaign is active too)")
    total = result.daily_text() or "no daily budget"
    lifetime = show(result.lifetime_budget, result.currency) if result.lifetime_budget else None
    lines.append(f"Total daily budget: {total}" + (f"; lifetime budgets: {lifetime}" if lifetime else ""))
    lines.append(f"To activate, re-run with --yes: meta-ads activate {shlex.quote(asked)} --yes")
    return "\n".join(lines)


def activate(settings: Settings, client: Any, target: Target, asked: str, yes: bool,
             report: Reporter = silent, via: str = "library") -> SpendPreview:
    """Without ``yes``: the preview. With it: everything in the preview set ACTIVE (one batch call)."""
    result = preview(settings, client, target)
    if not yes:
        return result.model_copy(update={"message": preview_text(result, asked)})
    results = client.batch([BatchOp("POST", obj.id, {"status": "ACTIVE"}) for obj in result.objects])
    for obj, res in zip(result.objects, results, strict=True):
        if res is not None and res.ok:
            obj.status = "ACTIVE"
            report(Event("status", f"✓ {obj.kind.replace('adset', 'ad set')} {obj.name} ({obj.id}) ACTIVE",
                         obj.model_dump()))
        else:
            obj.ok, obj.error = False, str(res.error) if res is not None and res.error else "not run; re-run"
            report(Event("status_failed", f"✗ {obj.name} ({obj.id}): {obj.error}", obj.model_dump()))
    done = [o for o in result.objects if o.ok]
    _write_back(settings, done)
    campaign_id = target.id if target.kind == "campaign" else None
    for obj in done:  # the change log says who asked, as for every status change
        changelog.append(settings, via, action="activate", kind=obj.kind, id=obj.id, name=obj.name,
                         campaign=target.name if target.kind == "campaign" else None, campaign_id=campaign_id,
                         after={"status": "ACTIVE"})
    failed = len(result.objects) - len(done)
    message = f"{len(done)} object(s) activated ({result.daily_text() or 'no daily budget'})" + (
        f", {failed} failed (see above)" if failed else "")
    return result.model_copy(update={"action": "activate", "activated": len(done), "failed": failed,
                                     "message": message})


def _write_back(settings: Settings, done: list[SpendObject]) -> None:
    """The launch records and assets.md rows (and the ads' upload records) say ACTIVE."""
    ids = {o.id for o in done}
    for path, record in launch_records(settings.workspace):
        changed = record.campaign_id in ids or any(a.id in ids for a in record.adsets)
        if not changed:
            continue
        if record.campaign_id in ids:
            record.status = "ACTIVE"
        for adset in record.adsets:
            adset.status = "ACTIVE" if adset.id in ids else adset.status
        write_launch_record(path, record)
    _set_rows(settings, {o.id for o in done if o.kind != "ad"})
    for ad in (o for o in done if o.kind == "ad"):
        for path, rec in find_records(settings.workspace, ad.id):
            write_record(path, rec.model_copy(update={"status": "ACTIVE"}))
        update_asset_status(settings.assets_md, ad.id, "ACTIVE")


def _set_rows(settings: Settings, ids: set[str]) -> None:
    path = settings.assets_md
    if not ids or not path.exists():
        return
    pattern = re.compile(r"^(\|.*\b(?:campaign|adset): (\d+) \|)\s*[A-Z_]+\s*\|\s*$")
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        match = pattern.match(line)
        if match and match.group(2) in ids:
            lines[i] = f"{match.group(1)} ACTIVE |"
    write_text_atomic(path, "\n".join(lines) + "\n")

