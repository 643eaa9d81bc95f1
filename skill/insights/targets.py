"""Which objects a report is about, and how to ask Meta for exactly those.

A campaign name from the workspace becomes its ad ids (from ``*.upload.json``); ``--ad`` with a
campaign keeps those of its ads only. Meta ids work too: ad ids, campaign ids (``--campaign-id``)
and ad set ids (``--adset``). Every query is filtered to the ads or objects asked for, so an ad set
or campaign row never mixes in ads of another workspace campaign that share it (see
:func:`build_query`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.errors import ConfigError, UsageError
from skill.insights.fetch import Query
from skill.models import AssetFeedSpec, load_batch_config, load_model
from skill.records import campaign_records, find_records
from skill.settings import Settings, check_name


@dataclass
class Target:
    """The ads a report is about, and the names and headlines the workspace knows for them."""

    campaign: str | None
    ad_ids: list[str]
    adsets: list[str]
    names: dict[str, str] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # ad id → its (first) image file
    campaign_ids: list[str] = field(default_factory=list)  # Meta campaign ids asked for (--campaign-id)
    adset_ids: list[str] = field(default_factory=list)  # Meta ad set ids asked for (--adset)
    account: str | None = None  # act_…: several Meta ids asked in one filtered read of the account
    known: dict[str, str] = field(default_factory=dict)  # every uploaded ad's id → its workspace name
    adset_of: dict[str, str] = field(default_factory=dict)  # workspace ad id → its ad set id

    @property
    def empty(self) -> bool:
        return not (self.ad_ids or self.campaign_ids or self.adset_ids)

    @property
    def label(self) -> str | None:
        """What the report is about, for titles and file names."""
        if self.campaign:
            return self.campaign
        if self.campaign_ids:
            return "campaign-" + "-".join(self.campaign_ids[:2])
        if self.adset_ids:
            return "adset-" + "-".join(self.adset_ids[:2])
        return None


def resolve_target(settings: Settings, campaign: str | None, ads: list[str] | None,
                   campaign_ids: list[str] | None = None, adsets: list[str] | None = None) -> Target:
    """A workspace campaign and/or ad ids / names, or Meta campaign / ad set ids → what to report on."""
    campaign_ids, adsets = _ids(campaign_ids, "campaign-id"), _ids(adsets, "adset")
    if campaign and campaign.isdigit() and not settings.campaign_dir(campaign).is_dir():  # a Meta campaign id
        campaign_ids, campaign = list(dict.fromkeys([*campaign_ids, campaign])), None
    if not campaign and not ads and not campaign_ids and not adsets:
        known = settings.campaigns()
        if len(known) == 1:
            campaign = known[0]
        else:
            raise UsageError("name a campaign or pass --ad ID", hint=f"campaigns: {', '.join(known) or 'none yet'}")
    target = Target(campaign, [], [], campaign_ids=campaign_ids, adset_ids=adsets, account=settings.ad_account,
                    known=_known_names(settings) if campaign_ids or adsets else {})
    if campaign:
        _add_campaign(settings, campaign, target)
    if campaign and ads:
        _keep_only(settings, ads, target)
        return target
    images: dict[Path, dict[str, Path]] = {}
    for ad in ads or []:
        _add_ad(settings, ad, target, images)
    return target


def _known_names(settings: Settings) -> dict[str, str]:
    """Ad id → the name pause, activate and insights know it by, for ads reached by Meta ids."""
    known: dict[str, str] = {}
    for campaign in settings.campaigns():
        try:
            known.update({rec.ad_id: rec.ad_name for _, rec in campaign_records(settings.ads_dir(campaign))})
        except ConfigError:
            continue
    return known


def _ids(values: list[str] | None, flag: str) -> list[str]:
    for value in values or []:
        if not value.isdigit():
            raise UsageError(f"--{flag} {value!r} is not a Meta id (digits only)")
    return list(dict.fromkeys(values or []))


def _add_campaign(settings: Settings, campaign: str, target: Target) -> None:
    check_name(campaign, "campaign")
    folder = settings.campaign_dir(campaign)
    if not folder.is_dir():
        known = settings.campaigns()
        raise ConfigError(f"no campaign {campaign!r} in {settings.workspace / 'campaigns'}",
                          hint=f"campaigns: {', '.join(known) or 'none yet'}")
    images: dict[Path, dict[str, Path]] = {}  # one read of the batch config per folder, not one per ad
    adsets: set[str] = set()
    for path, rec in campaign_records(settings.ads_dir(campaign)):
        target.ad_ids.append(rec.ad_id)
        target.names[rec.ad_id] = rec.ad_name
        target.adset_of[rec.ad_id] = rec.adset_id
        if rec.adset_id not in adsets:
            adsets.add(rec.adset_id)
            target.adsets.append(rec.adset_id)
        _add_copy_facts(settings, path, rec.ad_id, target, images)


def _keep_only(settings: Settings, ads: list[str], target: Target) -> None:
    """``--ad`` with a campaign: that campaign's ads among those named, no other."""
    keep: list[str] = []
    for ad in ads:
        found = [i for i in target.ad_ids if ad in (i, target.names.get(i), f"{target.campaign} - {target.names[i]}")]
        if not found:
            known = ", ".join(target.names.values()) or "none uploaded yet"
            raise UsageError(f"{ad!r} is not an uploaded ad of campaign {target.campaign}", hint=f"its ads: {known}")
        keep += [i for i in found if i not in keep]
    target.ad_ids = keep
    target.names = {i: n for i, n in target.names.items() if i in keep}
    target.adsets = list(dict.fromkeys(target.adset_of[i] for i in keep))


def _add_copy_facts(settings: Settings, record_path: Path, ad_id: str, target: Target,
                    images: dict[Path, dict[str, Path]]) -> None:
    """The first headline of the ad's spec and its image, for the best / worst ads in a report
    (``images``: each folder's batch-config images, read once and kept for the folder's other ads)."""
    spec_path = record_path.with_name(record_path.name.replace(".upload.json", ".json"))
    try:
        spec = load_model(AssetFeedSpec, spec_path)
    except ConfigError:
        return
    if spec.titles:
        target.headlines[ad_id] = spec.titles[0].text
    if record_path.parent not in images:
        images[record_path.parent] = _batch_images(settings, record_path.parent)
    image = images[record_path.parent].get(spec_path.stem)
    if image is not None:
        target.images[ad_id] = str(image)


def _batch_images(settings: Settings, ads_dir: Path) -> dict[str, Path]:
    """Spec stem → the first image of its ad, from the folder's batch-upload.json (if readable)."""
    try:
        config = load_batch_config(ads_dir / "batch-upload.json")
    except ConfigError:
        return {}
    return {ad.stem: settings.resolve(ad.images[0], ads_dir) for ad in reversed(config.ads)}


def _add_ad(settings: Settings, ad: str, target: Target, images: dict[Path, dict[str, Path]]) -> None:
    found = find_records(settings.workspace, ad)
    if found:
        for path, rec in found:
            if rec.ad_id not in target.ad_ids:
                target.ad_ids.append(rec.ad_id)
                target.names[rec.ad_id] = rec.ad_name
                target.adset_of[rec.ad_id] = rec.adset_id
                if rec.adset_id not in target.adsets:
                    target.adsets.append(rec.adset_id)
                _add_copy_facts(settings, path, rec.ad_id, target, images)
        return
    if not ad.isdigit():
        raise ConfigError(f"no ad named {ad!r} in the workspace", hint="use an ad id, or an ad name from *.upload.json")
    target.ad_ids.append(ad)


def _rule(field_name: str, ids: list[str]) -> dict[str, Any]:
    return {"field": field_name, "operator": "IN", "value": list(ids)}


def build_query(target: Target, **kw: Any) -> Query:
    """Exactly the objects asked for, at any level, in one HTTP request where Meta allows.

    Workspace ads are read through their ad sets, filtered to them (``ad.id``), so an ad set or
    campaign row never mixes in other ads; several ad sets' reads go in one batch call (records
    don't say which account an ad was uploaded to, so the ad sets are asked, not the account).
    Several Meta campaign or ad set ids are one read of the ad account filtered to them.
    """
    if target.ad_ids:
        rules = [_rule("ad.id", target.ad_ids)] + ([_rule("adset.id", target.adset_ids)] if target.adset_ids else [])
        known = target.adsets and all(a in target.names for a in target.ad_ids)
        objects = target.adsets if known else target.ad_ids
        return Query(objects=list(objects), filtering=rules, only_ads=set(target.ad_ids), **kw)
    field_name, ids = ("adset.id", target.adset_ids) if target.adset_ids else ("campaign.id", target.campaign_ids)
    rules = [_rule(field_name, ids)] + ([_rule("campaign.id", target.campaign_ids)]
                                        if target.adset_ids and target.campaign_ids else [])
    if target.account and len(ids) > 1:
        return Query(objects=[target.account], filtering=rules, **kw)
    return Query(objects=list(ids), filtering=rules if len(rules) > 1 else [], **kw)
