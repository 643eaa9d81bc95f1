"""A launch config, read and checked: the batch's ads (``skill.validate``), the campaign and ad set
bodies (``payloads.py``) and Meta's rules on them (``rules.py``). No network here: the caller passes
the account's currency, minimum budget and audience ids when it has read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.errors import ConfigError
from skill.launch.detect import is_launch_config  # noqa: F401  (re-exported: its home was here)
from skill.launch.models import LaunchSpec, parse_launch
from skill.launch.payloads import Context, adset_payload, campaign_payload
from skill.launch.rules import Rules
from skill.settings import Settings
from skill.validate import AdCheck, BatchCheck, Finding, validate_batch

CAMPAIGN_PLACEHOLDER = "<campaign id>"


@dataclass
class LaunchCheck:
    batch: BatchCheck
    spec: LaunchSpec
    ctx: Context
    campaign_body: dict[str, Any]
    adset_bodies: dict[str, dict[str, Any]]            # ad set name (as in the config) → body
    ads_by_adset: dict[str, list[AdCheck]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.batch.config.campaign

    @property
    def all_findings(self) -> list[Finding]:
        return self.batch.findings + self.findings + [f for a in self.batch.ads for f in a.findings]

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.all_findings)

    def record_path(self) -> Path:
        """``ads/batch-upload.json`` → ``ads/batch-upload.launch.json``: the ids the launch created."""
        path = self.batch.config_path
        return path.with_name(f"{path.stem}.launch.json")


def check_launch(settings: Settings, campaign: str | None, config: str | Path | None = None, *,
                 currency: str | None = None, min_daily: int | None = None,
                 audiences: dict[str, str] | None = None) -> LaunchCheck:
    batch = validate_batch(settings, campaign, config)
    cfg, file = batch.config, str(batch.config_path)
    if not cfg.is_launch:
        raise ConfigError("this config uploads into an existing ad set (adset_id); it does not launch a campaign",
                          file=file, hint="use `meta-ads upload`, or describe the campaign and adsets (see "
                          "reference/launch.md)")
    spec = parse_launch(cfg.campaign_spec, cfg.adsets, name=cfg.campaign, file=file)
    ctx = Context(settings.stack, (currency or settings.stack.currency or "USD").upper(), dict(audiences or {}))
    rules = Rules(file, ctx.currency, min_daily)
    if cfg.adset_id:
        rules.findings.append(Finding("warning", "adset_id is ignored: this config creates its ad sets (adsets)",
                                      file=file, field="adset_id"))
    campaign_body = _body(rules, "campaign", lambda: campaign_payload(spec.campaign, ctx))
    rules.campaign(campaign_body, spec.campaign.status)
    bodies: dict[str, dict[str, Any]] = {}
    for i, adset in enumerate(spec.adsets):
        where = f"adsets[{i}]"
        if adset.name in bodies:
            rules.error(where, "name", f"two ad sets are named {adset.name!r}")
        body = _body(rules, where, lambda a=adset: adset_payload(a, spec.campaign, CAMPAIGN_PLACEHOLDER, ctx))
        bodies[adset.name] = body
        rules.adset(where, body, campaign_body, adset.status)
    check = LaunchCheck(batch, spec, ctx, campaign_body, bodies, findings=rules.findings)
    _assign_ads(check, rules)
    return check


def _body(rules: Rules, where: str, build: Any) -> dict[str, Any]:
    try:
        return build()
    except ConfigError as exc:  # an amount that is not money
        name = exc.message.split(":", 1)[0]
        rules.error(where, name, exc.message)
        return {}


def _assign_ads(check: LaunchCheck, rules: Rules) -> None:
    """Each ad goes into the ad set it names (or the only one); Dynamic Creative ad sets take one ad."""
    names = list(check.adset_bodies)
    check.ads_by_adset = {n: [] for n in names}
    for ad in check.batch.ads:
        target = ad.entry.adset or (names[0] if len(names) == 1 else None)
        if target not in check.ads_by_adset:
            message = (f"ad {ad.name!r} names ad set {target!r}, which is not in adsets ({', '.join(names)})"
                       if target else f"ad {ad.name!r} must say which ad set it goes into: adset: one of "
                       f"{', '.join(names)}")
            rules.error(f"ads[{ad.index}]", "adset", message)
            continue
        check.ads_by_adset[target].append(ad)
    for i, adset in enumerate(check.spec.adsets):
        count = len(check.ads_by_adset.get(adset.name, []))
        if adset.is_dynamic_creative and count > 1:
            rules.error(f"adsets[{i}]", "is_dynamic_creative", f"a Dynamic Creative ad set takes one ad; "
                        f"{count} ads name {adset.name!r}")
        if count == 0:
            rules.warning(f"adsets[{i}]", "name", f"no ad goes into ad set {adset.name!r}; it will be created empty")
