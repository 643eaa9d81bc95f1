"""Launch: campaign → ad sets → images → creatives → ads, everything PAUSED, exactly once.

1. Pre-flight (reads only): the account's currency and minimum daily budget; custom audiences by
   name. Then every rule is checked on the exact bodies; any error stops before the first write.
2. The campaign and its ad sets (``ensure.py``): found in the account by name and adopted, or
   created in one Graph batch with references.
3. The ads, ad set by ad set, through the upload pipeline (``skill.upload``) with the ad set's id:
   its ledger, look-ups and batches make them exactly once too.

The ids go to ``{config-stem}.launch.json`` beside the config and to ``brand/assets.md``.
Interrupted anywhere, the same command finishes the rest.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill import amounts
from skill.amounts import Budget
from skill.audiences import resolve_audiences
from skill.errors import ConfigError, InvalidParameter, PermissionDenied
from skill.events import Event, Reporter, silent
from skill.launch.check import LaunchCheck, check_launch
from skill.launch.ensure import Structure, ensure
from skill.launch.record import (
    AdSetRecord,
    LaunchRecord,
    append_structure_row,
    read_launch_record,
    write_launch_record,
)
from skill.money import show_minor
from skill.records import now_iso
from skill.settings import Settings
from skill.upload.ledger import CampaignLock
from skill.upload.summary import AdResult
from skill.validate import BatchCheck

CAMPAIGN_URL = "https://www.facebook.com/adsmanager/manage/campaigns?act={account}&selected_campaign_ids={campaign}"


class AdSetResult(BaseModel):
    name: str
    id: str | None = None
    status: str  # created | found | failed
    budget: Budget | None = None
    ads: list[AdResult] = []


class LaunchSummary(BaseModel):
    """What ``launch`` returns: the campaign, each ad set with its ads, and where to review them."""

    campaign: str
    campaign_id: str | None = None
    campaign_status: str = "created"  # created | found
    currency: str
    adsets: list[AdSetResult]
    ads_created: int = 0
    ads_skipped: int = 0
    ads_failed: int = 0
    ok: bool
    record: str | None = None
    review_url: str | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def render_text(self) -> str:
        return ""  # every line went out as a progress event


@dataclasses.dataclass
class Account:
    currency: str
    min_daily: int | None


def preflight(client: Any, account: str) -> Account:
    """The account's currency and minimum daily budget (minor units), read before anything is sent."""
    try:
        node = client.get(account, {"fields": "currency,min_daily_budget,account_status"})
    except InvalidParameter:  # an API without min_daily_budget: the minimum stays unknown
        node = client.get(account, {"fields": "currency,account_status"})
    if str(node.get("account_status", 1)) not in ("1", "201"):  # 1 ACTIVE (201 ANY_ACTIVE)
        raise ConfigError(f"ad account {account} cannot create anything now (account_status "
                          f"{node.get('account_status')}); nothing was sent",
                          hint="check the account in Ads Manager (billing, review), or use another ad account")
    minimum = node.get("min_daily_budget")
    return Account(str(node.get("currency") or "USD"), int(minimum) if str(minimum or "").isdigit() else None)


def check_page(client: Any, check: LaunchCheck) -> None:
    """The page the ads run as exists for this token: else nothing is created (not even the campaign)."""
    page = check.batch.page_id or ""
    try:
        client.get(page, {"fields": "id,name"})
    except (InvalidParameter, PermissionDenied) as exc:
        raise ConfigError(f"page {page!r} does not exist or this token cannot reach it (Meta: "
                          f"{exc.user_msg or exc.message}); nothing was sent", file=str(check.batch.config_path),
                          field="page_id", hint="check the page id in Ads Manager (or page_id in brand/stack.md)") from None


def audience_names(check: LaunchCheck) -> set[str]:
    return {n for a in check.spec.adsets for n in a.targeting.custom_audiences + a.targeting.excluded_custom_audiences}


def checked(settings: Settings, campaign: str | None, config: str | Path | None, client: Any,
            report: Reporter) -> tuple[LaunchCheck, Account]:
    """The config checked against the account's own currency, minimum budget and audiences."""
    account = settings.require_ad_account()
    first = check_launch(settings, campaign, config)
    pre = preflight(client, account)
    if first.batch.page_id:
        check_page(client, first)
    audiences = resolve_audiences(client, account, sorted(audience_names(first)), field="targeting.custom_audiences")
    check = check_launch(settings, campaign, config, currency=pre.currency, min_daily=pre.min_daily,
                         audiences=audiences)
    shown = check.all_findings if not check.ok else check.batch.findings + check.findings  # ads' own warnings
    for finding in shown:                                                                  # come with their blocks
        label = "Error" if finding.severity == "error" else "Warning"
        report(Event(finding.severity, f"  {label}: {finding}", finding.to_dict()))
    return check, pre


def budget_text(body: dict[str, Any], currency: str) -> str | None:
    if body.get("daily_budget"):
        return f"{show_minor(body['daily_budget'], currency)}/day"
    if body.get("lifetime_budget"):
        return f"{show_minor(body['lifetime_budget'], currency)} lifetime"
    return None


def launch(settings: Settings, campaign: str | None, *, config: str | Path | None = None, client: Any,
           parallel: int | None = None, keep_going: bool = False, report: Reporter = silent) -> LaunchSummary:
    """Create the campaign, its ad sets and its ads, all PAUSED, each exactly once; re-run to resume."""
    check, pre = checked(settings, campaign, config, client, report)
    if not check.ok:
        raise ConfigError("the launch config has errors (above); nothing was sent", file=str(check.batch.config_path),
                          hint="fix them and run again; `meta-ads launch CAMPAIGN --dry-run` checks without sending")
    account = settings.require_ad_account()
    job = Launch(settings, check, pre, account, report)
    with CampaignLock(check.batch.config_path.parent, check.name):
        structure = ensure(client, account, check, job.on_found)
        job.write(structure)
    for name, ads in check.ads_by_adset.items():
        if not job.upload(client, name, ads, structure.adsets[name], parallel, keep_going) and not keep_going:
            break  # paused, as a batch pauses at a failed ad: fix it and re-run to finish the rest
    return job.finish(structure)


class Launch:
    """One run: progress lines, the record and the per-ad-set results."""

    def __init__(self, settings: Settings, check: LaunchCheck, pre: Account, account: str, report: Reporter):
        self.settings, self.check, self.pre, self.account, self.report = settings, check, pre, account, report
        self.results: dict[str, AdSetResult] = {n: AdSetResult(name=n, status="created", budget=amounts.of_object(
            b, pre.currency)) for n, b in check.adset_bodies.items()}
        self.campaign_status = "created"

    def on_found(self, kind: str, name: str, object_id: str, created: bool) -> None:
        if kind == "campaign":
            self.campaign_status = "created" if created else "found"
            budget = budget_text(self.check.campaign_body, self.pre.currency)
            text = f"✓ Campaign created (ID: {object_id}) - PAUSED" + (f", {budget}" if budget else "") if created \
                else f"⊙ Campaign {name}: found in the account (created earlier) (ID: {object_id})"
        else:
            result = self.results[name]
            result.id, result.status = object_id, "created" if created else "found"
            text = f"✓ Ad set created (ID: {object_id}) - PAUSED" + (f", {result.budget.text()}" if result.budget else "") \
                + f" [{name}]" if created else f"⊙ Ad set {name}: found in the account (created earlier) (ID: {object_id})"
        self.report(Event(kind, text, {"kind": kind, "name": name, "id": object_id, "created": created}))

    def write(self, structure: Structure) -> None:
        """The record and the assets.md rows, as soon as the campaign and ad sets exist."""
        assert structure.campaign_id is not None
        earlier = read_launch_record(self.check.record_path())
        record = LaunchRecord(
            launched_at=earlier.launched_at if earlier and earlier.campaign_id == structure.campaign_id else now_iso(), campaign=self.check.name, campaign_id=structure.campaign_id,
            account=self.account, review_url=self.review_url(structure.campaign_id),
            adsets=[AdSetRecord(name=n, meta_name=b.get("name", n), id=structure.adsets[n],
                                budget=amounts.text(self.results[n].budget)) for n, b in self.check.adset_bodies.items()])
        write_launch_record(self.check.record_path(), record)
        assets = self.settings.assets_md
        append_structure_row(assets, self.check.name, "campaign", structure.campaign_id)
        for adset in record.adsets:
            append_structure_row(assets, f"{self.check.name} {adset.name}", "ad set", adset.id)

    def upload(self, client: Any, name: str, ads: list[Any], adset_id: str, parallel: int | None,
               keep_going: bool) -> bool:
        """Upload one ad set's ads; False when some of them were not created."""
        if not ads:
            return True
        from skill.upload.run import upload_batch

        self.report(Event("adset_ads", f"Ad set {name}: {len(ads)} ad{'s' if len(ads) != 1 else ''}",
                          {"adset": name, "adset_id": adset_id}))
        batch = sub_batch(self.check.batch, adset_id, ads)
        summary = upload_batch(self.settings, self.check.name, client=client, parallel=parallel,
                               keep_going=keep_going, report=_without_closing(self.report), batch=batch)
        self.results[name].ads = summary.ads
        return summary.ok

    def review_url(self, campaign_id: str) -> str:
        return CAMPAIGN_URL.format(account=self.account.removeprefix("act_"), campaign=campaign_id)

    def finish(self, structure: Structure) -> LaunchSummary:
        ads = [a for r in self.results.values() for a in r.ads]
        count = {s: sum(1 for a in ads if a.status == s) for s in ("created", "skipped", "failed", "not_run")}
        missing = len(self.check.batch.ads) - count["created"] - count["skipped"]
        ok = missing == 0
        url = self.review_url(structure.campaign_id or "")
        summary = LaunchSummary(
            campaign=self.check.name, campaign_id=structure.campaign_id, campaign_status=self.campaign_status,
            currency=self.pre.currency, adsets=list(self.results.values()), ads_created=count["created"],
            ads_skipped=count["skipped"], ads_failed=missing, ok=ok,
            record=str(self.check.record_path()), review_url=url)
        new = sum(1 for r in self.results.values() if r.status == "created") + (self.campaign_status == "created") \
            + count["created"]
        line = (f"Launch complete: campaign {self.check.name}, {len(self.results)} ad set(s), {len(ads)} ad(s), "
                f"all PAUSED" + (f"; {new} object(s) new this run" if new else "; nothing new: all found")) if ok else (
                f"Launch stopped: {summary.ads_failed} ad(s) not created; fix the error above and re-run to finish")
        self.report(Event("done", line, {"ok": ok}))
        self.report(Event("done", f"Review in Ads Manager: {url}", {"review_url": url}))
        return summary


def sub_batch(batch: BatchCheck, adset_id: str, ads: list[Any]) -> BatchCheck:
    """The ads of one ad set as a batch of their own, numbered from 1, uploading into ``adset_id``."""
    return dataclasses.replace(batch, adset_id=adset_id, findings=[],
                               ads=[dataclasses.replace(ad, index=i) for i, ad in enumerate(ads)])


def _without_closing(report: Reporter) -> Reporter:
    """The upload's own closing lines ("Batch complete", its review link) give way to the launch's."""
    def forward(event: Event) -> None:
        if event.kind != "done":
            report(event)
    return forward
