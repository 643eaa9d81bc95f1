"""Pausing and activating ads, ad sets and campaigns. Pausing stops spend and needs no
confirmation; activating starts spend and happens only with an explicit yes. Each change is
written back to the ad's ``{stem}.upload.json``, its ``brand/assets.md`` row and the change log.
"""

from __future__ import annotations

import difflib
import shlex
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill import amounts
from skill.account import changelog, levels, targets
from skill.account.targets import TargetRef
from skill.amounts import Budget
from skill.errors import ConfigError, GraphError, InvalidParameter
from skill.events import Event, Reporter, silent
from skill.graph import BatchOp
from skill.models import UploadRecord
from skill.money import from_minor, show_minor
from skill.records import find_records, update_asset_status, write_record
from skill.settings import Settings

PAUSED, ACTIVE = "PAUSED", "ACTIVE"


class AdRef(BaseModel):
    """An ad the user named, resolved to its id (and its workspace record, when there is one)."""

    asked: str
    ad_id: str
    name: str
    record_path: str | None = None
    status: str | None = None  # the status before the change, when known (read, or the record's)
    campaign: str | None = None
    campaign_id: str | None = None


class AdChange(BaseModel):
    """One object's change (an ad unless ``kind`` says ad set or campaign)."""

    ad_id: str
    name: str
    kind: str = "ad"
    note: str | None = None  # "already active": nothing was sent for it
    status: str | None = None  # the status after the change (or now, for a preview)
    ok: bool = True
    error: str | None = None
    adset_id: str | None = None
    budget: Budget | None = None  # preview: an ad's ad set budget; an ad set's or campaign's daily total


class StatusResult(BaseModel):
    action: str  # "pause" | "activate" | "activate-preview"
    changed: int
    failed: int
    activated: int = 0  # ads that started spending: 0 unless activated with --yes
    daily_budget: Decimal | None = None  # preview only: what the ads' ad sets hold per day, together
    currency: str | None = None  # of daily_budget
    ads: list[AdChange]  # every object named, ads or not (see each one's kind)
    message: str

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def render_text(self) -> str:
        return self.message


# ---------------------------------------------------------------- naming ads


def resolve_ads(settings: Settings, names: list[str]) -> list[AdRef]:
    """Ids or workspace names → ads. An unknown name is an error naming close ones."""
    refs: list[AdRef] = []
    for asked in names:
        found = find_records(settings.workspace, asked)
        if len({r.campaign for _, r in found}) > 1 and not asked.isdigit():
            names = ", ".join(f"'{r.campaign} - {r.ad_name}'" for _, r in found)
            raise ConfigError(f"ad name {asked!r} is in several campaigns: say which, e.g. {names}", field="ads")
        if found:
            refs += [AdRef(asked=asked, ad_id=r.ad_id, name=r.ad_name, record_path=str(p), status=r.status,
                           campaign=r.campaign) for p, r in found]
        elif asked.isdigit() and len(asked) >= 6:
            refs.append(AdRef(asked=asked, ad_id=asked, name=asked))
        else:
            raise ConfigError(f"no ad {asked!r} in the workspace; {_suggest(settings, asked)}", field="ads",
                              hint="use an ad name from the campaigns' *.upload.json files, or a Meta ad id")
    unique = {r.ad_id: r for r in refs}
    return list(unique.values())


def _suggest(settings: Settings, asked: str) -> str:
    known = sorted({rec.ad_name for rec in _all_records(settings)})
    close = difflib.get_close_matches(asked, known, n=3, cutoff=0.5)
    if close:
        return f"did you mean {', '.join(close)}?"
    return f"known ads: {', '.join(known[:10])}" if known else "no uploaded ads yet; use a Meta ad id"


def _all_records(settings: Settings) -> list[UploadRecord]:
    from skill.records import read_record

    out = []
    for path in sorted((settings.workspace / "campaigns").glob("*/ads/*.upload.json")):
        try:
            out.append(read_record(path))
        except ConfigError:
            continue
    return out


# ---------------------------------------------------------------- changing status


def set_status(settings: Settings, client: Any, refs: list[AdRef], status: str,
               report: Reporter = silent, via: str = "library") -> list[AdChange]:
    """One call for one ad, one batch call for several. Failures are per ad."""
    if not refs:
        return []
    if len(refs) == 1:
        changes = [_post_one(client, refs[0], status)]
    else:
        results = client.batch([BatchOp("POST", ref.ad_id, {"status": status}) for ref in refs])
        changes = [_from_batch(ref, res, status) for ref, res in zip(refs, results, strict=True)]
    for ref, change in zip(refs, changes, strict=True):
        if change.ok:
            _record(settings, ref, status, via)
            report(Event("status", f"✓ {ref.name} ({ref.ad_id}) {status}", change.model_dump()))
        else:
            report(Event("status_failed", f"✗ {ref.name} ({ref.ad_id}): {change.error}", change.model_dump()))
    return changes


def _post_one(client: Any, ref: AdRef, status: str) -> AdChange:
    try:
        client.post(ref.ad_id, {"status": status}, idempotent=True)
    except GraphError as exc:
        return AdChange(ad_id=ref.ad_id, name=ref.name, ok=False, error=str(exc))
    return AdChange(ad_id=ref.ad_id, name=ref.name, status=status)


def _from_batch(ref: AdRef, res: Any, status: str) -> AdChange:
    if res is not None and res.ok:
        return AdChange(ad_id=ref.ad_id, name=ref.name, status=status)
    error = str(res.error) if res is not None and res.error else "not run by Meta; re-run the command"
    return AdChange(ad_id=ref.ad_id, name=ref.name, ok=False, error=error)


def _record(settings: Settings, ref: AdRef, status: str, via: str = "library") -> None:
    changelog.append(settings, via, action="activate" if status == ACTIVE else "pause", kind="ad", id=ref.ad_id,
                     name=ref.name, campaign=ref.campaign, campaign_id=ref.campaign_id,
                     before={"status": ref.status} if ref.status else {},
                     after={"status": status})
    if ref.record_path:
        from skill.records import read_record

        path = Path(ref.record_path)
        record = read_record(path)
        write_record(path, record.model_copy(update={"status": status}))
    update_asset_status(settings.assets_md, ref.ad_id, status)


# ---------------------------------------------------------------- naming anything


def resolve_targets(settings: Settings, client: Any, names: list[str]) -> tuple[list[AdRef], list[TargetRef]]:
    """Names and ids → ads (workspace records first) and ad sets / campaigns (from the account)."""
    ads: list[AdRef] = []
    others: list[TargetRef] = []
    for asked in names:
        if find_records(settings.workspace, asked):
            ads += resolve_ads(settings, [asked])
            continue
        ref = _lookup(settings, client, asked)
        if ref is None:  # an id Meta could not read: tried as an ad, its failure is reported per ad
            ads.append(AdRef(asked=asked, ad_id=asked, name=asked))
        elif ref.kind == "ad":
            ads.append(AdRef(asked=asked, ad_id=ref.id, name=ref.name, status=ref.status,
                             campaign_id=ref.campaign_id))
        else:
            others.append(ref)
    return list({a.ad_id: a for a in ads}.values()), list({o.id: o for o in others}.values())


def _lookup(settings: Settings, client: Any, asked: str) -> TargetRef | None:
    if targets.is_id(asked):
        try:
            return targets.by_id(client, asked, ("ad", "adset", "campaign"))
        except (GraphError, ConfigError):
            return None
    try:
        return targets.by_name(settings, client, asked, ("ad", "adset", "campaign"))
    except ConfigError as exc:
        if "several objects" in exc.message:
            raise
        raise ConfigError(f"no ad {asked!r} in the workspace, nor an ad, ad set or campaign of that name in the "
                          f"account; {_suggest(settings, asked)}", field="ads",
                          hint="use an ad name from the campaigns' *.upload.json files, an ad set or campaign "
                               "name from Ads Manager, or an id") from None


def _set_objects(settings: Settings, client: Any, refs: list[TargetRef], status: str, report: Reporter,
                 via: str) -> list[AdChange]:
    changes = []
    for ref in refs:
        error = levels.post_status(client, ref, status, report)
        changes.append(AdChange(ad_id=ref.id, name=ref.name, kind=ref.kind, status=None if error else status,
                                ok=error is None, error=error))
        if error is None:
            changelog.append(settings, via, action="activate" if status == ACTIVE else "pause", kind=ref.kind,
                             id=ref.id, name=ref.name, campaign=ref.name if ref.kind == "campaign" else None,
                             campaign_id=ref.campaign_id or (ref.id if ref.kind == "campaign" else None),
                             before={"status": ref.status} if ref.status else {}, after={"status": status})
            changelog.upsert_asset(settings.assets_md, ref.kind, ref.name, ref.id, status)
    return changes


# ---------------------------------------------------------------- the two commands


def pause(settings: Settings, client: Any, names: list[str], report: Reporter = silent,
          via: str = "library") -> StatusResult:
    ads, others = resolve_targets(settings, client, names)
    changes = set_status(settings, client, ads, PAUSED, report, via)
    changes += _set_objects(settings, client, others, PAUSED, report, via)
    return _summary("pause", changes, "paused")


def activate(settings: Settings, client: Any, names: list[str], yes: bool, report: Reporter = silent,
             via: str = "library") -> StatusResult:
    """Without ``yes``: say what would start spending, and how much budget is behind it. Change nothing."""
    ads, others = resolve_targets(settings, client, names)
    if not yes:
        return _preview(settings, client, ads, others)
    now = levels.current_statuses(client, [a.ad_id for a in ads] + [o.id for o in others])
    done = [AdChange(ad_id=i, name=n, kind=k, status=ACTIVE, note="already active")
            for i, n, k in [(a.ad_id, a.name, "ad") for a in ads] + [(o.id, o.name, o.kind) for o in others]
            if now.get(i) == ACTIVE]
    ads = [a.model_copy(update={"status": now.get(a.ad_id) or a.status}) for a in ads if now.get(a.ad_id) != ACTIVE]
    others = [o.model_copy(update={"status": now.get(o.id) or o.status}) for o in others if now.get(o.id) != ACTIVE]
    changes = set_status(settings, client, ads, ACTIVE, report, via) + _set_objects(
        settings, client, others, ACTIVE, report, via)
    result = _summary("activate", done + changes, "activated")
    return result.model_copy(update={"activated": result.changed})


def _preview(settings: Settings, client: Any, refs: list[AdRef], others: list[TargetRef] | None = None,
             ) -> StatusResult:
    adsets: dict[str, dict[str, Any]] = {}
    currencies: dict[str, str] = {}
    ads = [_preview_one(settings, client, ref, adsets, currencies) for ref in refs]
    lines = ["Would activate (nothing was changed):"]
    for ad in ads:
        if not ad.ok:
            lines.append(f"  ✗ {ad.name} ({ad.ad_id}): {ad.error}")
            continue
        budget = f", ad set {ad.adset_id} budget {ad.budget.text()}" if ad.budget else ""
        already = " (already active)" if ad.status == ACTIVE else ""
        lines.append(f"  {ad.name} ({ad.ad_id}): now {ad.status or 'unknown'}{already}{budget}")
    per_currency = _total_daily(adsets)
    total = _total_text(per_currency)
    if total:
        held = f"Their {len(adsets)} ad sets hold {total} together" if len(adsets) > 1 \
            else f"Their ad set holds {total}"
        lines.append(f"{held}: activated ads start spending from it.")
    objects, held = _preview_objects(settings, client, others or [], lines)
    per_currency = per_currency or held
    asked = [r.asked for r in refs] + [o.asked for o in others or []]
    lines.append("Nothing was changed. To activate, re-run with --yes: "
                 f"meta-ads activate {' '.join(shlex.quote(a) for a in asked)} --yes")
    failed = sum(1 for ad in ads + objects if not ad.ok)
    one = next(iter(per_currency.items())) if len(per_currency) == 1 else None  # several: see each one's
    return StatusResult(action="activate-preview", changed=0, failed=failed, ads=ads + objects,
                        daily_budget=from_minor(one[1], one[0]) if one else None, currency=one[0] if one else None,
                        message="\n".join(lines))


def _preview_objects(settings: Settings, client: Any, others: list[TargetRef], lines: list[str],
                     ) -> tuple[list[AdChange], dict[str, Decimal]]:
    """Each ad set or campaign, and everything under it that would start spending; the daily total."""
    if not others:
        return [], {}
    currency = _account_currency(settings, client)
    changes, total = [], 0
    for ref in others:
        try:
            now = client.get(ref.id, {"fields": "status"}).get("status")
            started, daily = levels.would_start(client, ref, currency)
        except GraphError as exc:
            changes.append(AdChange(ad_id=ref.id, name=ref.name, kind=ref.kind, ok=False, error=str(exc)))
            lines.append(f"  ✗ {ref.kind_word} {ref.name} ({ref.id}): {exc}")
            continue
        already = " (already active)" if now == ACTIVE else ""
        lines.append(f"  {ref.kind_word} {ref.name} ({ref.id}): now {now}{already}; would start:")
        lines.extend(started)
        total += daily
        changes.append(AdChange(ad_id=ref.id, name=ref.name, kind=ref.kind, status=now,
                                budget=amounts.from_meta(daily, currency, "daily")))
    text = levels.total_text(total, currency)
    if text:
        lines.append(f"Total daily budget that would start spending: {text}.")
    return changes, {currency: Decimal(total)} if total else {}


def _account_currency(settings: Settings, client: Any) -> str:
    if not settings.ad_account:
        return "USD"
    try:
        return str(client.get(settings.ad_account, {"fields": "currency"}).get("currency") or "USD")
    except GraphError:
        return "USD"


def _preview_one(settings: Settings, client: Any, ref: AdRef, adsets: dict[str, dict[str, Any]],
                 currencies: dict[str, str]) -> AdChange:
    """The ad's status now, and its ad set's budget in the account's currency (each read once)."""
    try:
        ad = client.get(ref.ad_id, {"fields": "name,status,adset_id,account_id"})
        adset_id = str(ad.get("adset_id") or "")
        if adset_id and adset_id not in adsets:
            adsets[adset_id] = _adset(client, adset_id)
        account = f"act_{ad['account_id']}" if ad.get("account_id") else settings.ad_account
        if account and account not in currencies:
            currencies[account] = str(client.get(account, {"fields": "currency"}).get("currency") or "")
    except GraphError as exc:
        return AdChange(ad_id=ref.ad_id, name=ref.name, ok=False, error=str(exc))
    adset = adsets.get(adset_id, {})
    if adset:
        adset["currency"] = currencies.get(account or "", "")
    return AdChange(ad_id=ref.ad_id, name=ref.name, status=ad.get("status"), adset_id=adset_id or None,
                    budget=amounts.of_object(adset, adset.get("currency", "")) if adset else None)


def _adset(client: Any, adset_id: str) -> dict[str, Any]:
    try:
        return dict(client.get(adset_id, {"fields": "name,daily_budget,lifetime_budget"}))
    except InvalidParameter:  # an API (or an older sandbox) without lifetime_budget on this ad set
        return dict(client.get(adset_id, {"fields": "name,daily_budget"}))


def show_money(minor: Any, currency: str) -> str:
    """Meta's budgets are in the currency's minor unit (cents), as strings: "5000" USD → "$50.00"."""
    return show_minor(minor, currency)


def _total_daily(adsets: dict[str, dict[str, Any]]) -> dict[str, Decimal]:
    """The daily budgets of the ad sets (minor units), added up per currency."""
    per_currency: dict[str, Decimal] = {}
    for adset in adsets.values():
        if adset.get("daily_budget") and str(adset["daily_budget"]) != "0":
            cur = adset.get("currency", "")
            per_currency[cur] = per_currency.get(cur, Decimal(0)) + Decimal(str(adset["daily_budget"]))
    return per_currency


def _total_text(per_currency: dict[str, Decimal]) -> str | None:
    return " + ".join(f"{show_money(v, c)}/day" for c, v in per_currency.items()) or None


def _summary(action: str, changes: list[AdChange], verb: str) -> StatusResult:
    """"2 ads paused", "1 ad set activated, 1 campaign already active", ", 1 failed (see above)"."""
    done = [c for c in changes if c.ok and not c.note]
    failed = sum(1 for c in changes if not c.ok)
    counts = Counter(c.kind for c in done)
    parts = [_count(n, kind) for kind, n in counts.items()] or ["0 ads"]
    message = f"{', '.join(parts)} {verb}"
    for c in changes:
        if c.note:
            message += f"; {targets.KIND_WORDS.get(c.kind, c.kind)} {c.name} was {c.note}"
    message += f", {failed} failed (see above)" if failed else ""
    return StatusResult(action=action, changed=len(done), failed=failed, ads=changes, message=message)


def _count(n: int, kind: str) -> str:
    word = targets.KIND_WORDS.get(kind, kind)
    return f"{n} {word}{'s' if n != 1 else ''}"
