"""What a launch would create: the dry run, and with ``remote`` Meta's own verdict on each body.

``--dry-run``: the config checked (no network) and every body shown: the campaign, each ad set,
then each ad's image, creative and ad. ``--dry-run --remote``: the account read (currency, minimum
budget, audiences, what exists by name), then each create sent with
``execution_options=["validate_only"]``: Meta runs its checks and creates nothing. Meta checks an
ad set against its campaign and a creative against its images, so an object whose parent does
not exist yet is reported as ``not_checked`` with the reason.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.account.existing import find_by_name
from skill.errors import GraphError
from skill.events import Event, Reporter, silent
from skill.images import md5_hex
from skill.launch.check import LaunchCheck, check_launch
from skill.launch.ensure import meta_names
from skill.launch.run import checked
from skill.settings import Settings
from skill.upload.dryrun import PLACEHOLDER_ACCOUNT, plan_ad
from skill.upload.graph_ops import lookup_known_images
from skill.upload.text import error_text

VALIDATE_ONLY = ["validate_only"]
EDGE_KIND = {"adimages": "image", "adcreatives": "creative", "ads": "ad", "advideos": "video"}


class PlannedObject(BaseModel):
    kind: str  # campaign | adset | image | creative | ad
    name: str
    path: str
    body: dict[str, Any]
    remote: str | None = None  # accepted | refused | exists | not_checked (with --remote)
    detail: str | None = None


class LaunchPlan(BaseModel):
    """What ``launch --dry-run`` returns: every object, its body, and (remote) Meta's answer."""

    campaign: str
    config: str
    dry_run: bool = True
    remote: bool = False
    ok: bool
    currency: str
    objects: list[PlannedObject]
    findings: list[dict[str, Any]]

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def render_text(self) -> str:
        return ""


def plan_objects(settings: Settings, check: LaunchCheck, account: str) -> list[PlannedObject]:
    objects = [PlannedObject(kind="campaign", name=check.name, path=f"/{account}/campaigns", body=check.campaign_body)]
    for name, body in check.adset_bodies.items():
        objects.append(PlannedObject(kind="adset", name=name, path=f"/{account}/adsets", body=body))
    for name, ads in check.ads_by_adset.items():
        batch = dataclasses.replace(check.batch, adset_id=f"<id of ad set {name!r}>")
        for ad in ads:
            for call in plan_ad(settings, batch, ad, account):
                kind = EDGE_KIND[call.path.rsplit("/", 1)[-1]]
                objects.append(PlannedObject(kind=kind, name=ad.name, path=call.path, body=call.body))
    return objects


def validate_launch(settings: Settings, campaign: str | None, config: str | Path | None = None, *,
                    report: Reporter = silent) -> LaunchPlan:
    """``meta-ads validate`` for a launch config: the ads' rules and Meta's campaign and ad set rules."""
    check = check_launch(settings, campaign, config)
    _report_findings(check, report)
    objects = plan_objects(settings, check, settings.ad_account or PLACEHOLDER_ACCOUNT)
    line = (f"Validation passed - campaign {check.name}, {len(check.adset_bodies)} ad set(s), "
            f"{len(check.batch.ads)} ad(s) ready to launch" if check.ok else
            "Validation failed - the launch config has errors (above)")
    report(Event("done", line, {"ok": check.ok}))
    return LaunchPlan(campaign=check.name, config=str(check.batch.config_path), dry_run=False, ok=check.ok,
                      currency=check.ctx.currency, objects=objects, findings=[f.to_dict() for f in check.all_findings])


def _report_findings(check: LaunchCheck, report: Reporter) -> None:
    """The config's own findings, then one block per ad (``[1/3] doorbuster``, ✓ or ✗, its findings)."""
    for f in check.batch.findings + check.findings:
        report(_finding(f))
    total = len(check.batch.ads)
    for ad in check.batch.ads:
        report(Event("ad_start", f"[{ad.index + 1}/{total}] {ad.entry.stem}", {"ad": ad.name}))
        report(Event("validated", "✓ Validation passed") if ad.ok else Event("invalid", "✗ Validation failed"))
        for f in ad.findings:
            report(_finding(f))


def _finding(f: Any) -> Event:
    return Event(f.severity, f"  {'Error' if f.severity == 'error' else 'Warning'}: {f}", f.to_dict())


def dry_run(settings: Settings, campaign: str | None, config: str | Path | None = None, *, remote: bool = False,
            client: Any = None, report: Reporter = silent) -> LaunchPlan:
    """Check a launch config and show every body; with ``remote``, Meta validates each (nothing created)."""
    if remote:
        check, pre = checked(settings, campaign, config, client, silent)
        currency = pre.currency
    else:
        check = check_launch(settings, campaign, config)
        currency = check.ctx.currency
    _report_findings(check, report)
    account = settings.ad_account or PLACEHOLDER_ACCOUNT
    objects = plan_objects(settings, check, account)
    for obj in objects:
        report(Event("payload", f"[DRY RUN] {obj.kind} {obj.name}: would POST to {obj.path}:\n"
                     f"{json.dumps(obj.body, indent=2, ensure_ascii=False)}", obj.model_dump()))
    ok = check.ok
    if remote and ok:
        ok = Remote(settings, client, check, account, report).run(objects)
    plan = LaunchPlan(campaign=check.name, config=str(check.batch.config_path), remote=remote, ok=ok,
                      currency=currency, objects=objects, findings=[f.to_dict() for f in check.all_findings])
    counts = {k: sum(1 for o in objects if o.kind == k) for k in ("campaign", "adset", "creative", "ad")}
    what = f"1 campaign, {counts['adset']} ad set(s), {counts['ad']} ad(s)"
    if not check.ok:
        line = "[DRY RUN] Failed - the launch config has errors (above); nothing would be sent"
    elif remote:
        tally = {v: sum(1 for o in objects if o.remote == v) for v in ("accepted", "refused", "exists", "not_checked")}
        rest = f" ({tally['exists']} exist already, {tally['not_checked']} not checked: see above)"
        line = (f"[DRY RUN] Meta accepted all {tally['accepted']} checked object(s) of {what}{rest}; nothing was "
                "created" if ok else f"[DRY RUN] Meta refused {tally['refused']} object(s) (above); nothing was created")
    else:
        line = f"[DRY RUN] Complete - would create {what}, all PAUSED; nothing sent"
    report(Event("done", line, {"ok": ok}))
    return plan


class Remote:
    """Each create sent with validate_only, where its parent exists; nothing is created."""

    def __init__(self, settings: Settings, client: Any, check: LaunchCheck, account: str, report: Reporter):
        self.settings, self.client, self.check, self.account, self.report = settings, client, check, account, report

    def run(self, objects: list[PlannedObject]) -> bool:
        campaign_id = find_by_name(self.client, f"{self.account}/campaigns", {self.check.name}).id_of(self.check.name)
        adsets = self._existing_adsets(campaign_id)
        known = set(lookup_known_images(self.client, self.account,
                                        sorted({md5_hex(p) for a in self.check.batch.ads for p in a.image_paths})))
        for obj in objects:
            self._one(obj, campaign_id, adsets, known)
        return not any(o.remote == "refused" for o in objects)

    def _existing_adsets(self, campaign_id: str | None) -> dict[str, str]:
        if not campaign_id:
            return {}
        names = meta_names(self.check)
        found = find_by_name(self.client, f"{campaign_id}/adsets", set(names.values()))
        return {n: i for n, meta in names.items() if (i := found.id_of(meta))}

    def _one(self, obj: PlannedObject, campaign_id: str | None, adsets: dict[str, str], known: set[str]) -> None:
        if obj.kind == "campaign" and campaign_id:
            return self._mark(obj, "exists", f"already in the account (ID: {campaign_id}); a launch adopts it")
        if obj.kind == "adset":
            if obj.name in adsets:
                return self._mark(obj, "exists", f"already in the account (ID: {adsets[obj.name]}); a launch adopts it")
            if not campaign_id:
                return self._mark(obj, "not_checked", "Meta checks an ad set against its campaign, which does not "
                                  "exist yet")
            obj.body = {**obj.body, "campaign_id": campaign_id}
        if obj.kind == "image":
            return self._mark(obj, "not_checked", "images are uploaded by the launch (an upload has no validate_only)")
        if obj.kind == "creative":
            ad = next(a for a in self.check.batch.ads if a.name == obj.name)
            hashes = [md5_hex(p) for p in ad.image_paths]
            if not set(hashes) <= known:
                return self._mark(obj, "not_checked", "its images are not in the ad account yet")
        if obj.kind == "ad":
            return self._mark(obj, "not_checked", "Meta checks an ad against its ad set and creative, created by "
                              "the launch")
        self._validate(obj)

    def _validate(self, obj: PlannedObject) -> None:
        body = {**obj.body, "execution_options": VALIDATE_ONLY}
        try:
            answer = self.client.post(obj.path.lstrip("/"), body, idempotent=True)
        except GraphError as exc:
            return self._mark(obj, "refused", error_text(exc))
        accepted = isinstance(answer, dict) and answer.get("success") is True
        self._mark(obj, "accepted" if accepted else "refused", None if accepted else f"unexpected answer {answer!r}")

    def _mark(self, obj: PlannedObject, verdict: str, detail: str | None) -> None:
        obj.remote, obj.detail = verdict, detail
        mark = {"accepted": "✓", "refused": "✗", "exists": "⊙", "not_checked": "·"}[verdict]
        text = {"accepted": "Meta accepts it", "refused": "Meta refuses it", "exists": "exists",
                "not_checked": "not checked by Meta"}[verdict]
        self.report(Event("remote", f"{mark} {obj.kind} {obj.name}: {text}" + (f" - {detail}" if detail else ""),
                          obj.model_dump(include={"kind", "name", "remote", "detail"})))
