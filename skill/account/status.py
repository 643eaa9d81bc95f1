"""Pausing and activating ads. Pausing stops spend and needs no confirmation; activating starts
spend and happens only with an explicit yes. Each change is written back to the ad's
``{stem}.upload.json`` and its ``brand/assets.md`` row.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.errors import ConfigError, GraphError, InvalidParameter
from skill.events import Event, Reporter, silent
from skill.graph import BatchOp
from skill.models import UploadRecord
from skill.money import from_minor, show, show_minor
from skill.records import find_records, update_asset_status, write_record
from skill.settings import Settings

PAUSED, ACTIVE = "PAUSED", "ACTIVE"


class AdRef(BaseModel):
    """An ad the user named, resolved to its id (and its workspace record, when there is one)."""

    asked: str
    ad_id: str
    name: str
    record_path: str | None = None


class AdChange(BaseModel):
    ad_id: str
    name: str
    status: str | None = None  # the status after the change (or now, for a preview)
    ok: bool = True
    error: str | None = None
    adset_id: str | None = None
    daily_budget: Decimal | None = None  # the ad set's, in major units of ``currency``
    lifetime_budget: Decimal | None = None
    currency: str | None = None


class StatusResult(BaseModel):
    action: str  # "pause" | "activate" | "activate-preview"
    changed: int
    failed: int
    activated: int = 0  # ads that started spending: 0 unless activated with --yes
    daily_budget: Decimal | None = None  # preview only: the ads' ad sets per day, together (one currency)
    currency: str | None = None
    ads: list[AdChange]
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
            refs += [AdRef(asked=asked, ad_id=r.ad_id, name=r.ad_name, record_path=str(p)) for p, r in found]
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
               report: Reporter = silent) -> list[AdChange]:
    """One call for one ad, one batch call for several. Failures are per ad."""
    if len(refs) == 1:
        changes = [_post_one(client, refs[0], status)]
    else:
        results = client.batch([BatchOp("POST", ref.ad_id, {"status": status}) for ref in refs])
        changes = [_from_batch(ref, res, status) for ref, res in zip(refs, results, strict=True)]
    for ref, change in zip(refs, changes, strict=True):
        if change.ok:
            _record(settings, ref, status)
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


def _record(settings: Settings, ref: AdRef, status: str) -> None:
    if ref.record_path:
        from skill.records import read_record

        path = Path(ref.record_path)
        record = read_record(path)
        write_record(path, record.model_copy(update={"status": status}))
    update_asset_status(settings.assets_md, ref.ad_id, status)


# ---------------------------------------------------------------- the two commands


def pause(settings: Settings, client: Any, names: list[str], report: Reporter = silent) -> StatusResult:
    refs = resolve_ads(settings, names)
    changes = set_status(settings, client, refs, PAUSED, report)
    return _summary("pause", changes, "paused")


def activate(settings: Settings, client: Any, names: list[str], yes: bool, report: Reporter = silent) -> StatusResult:
    """Without ``yes``: say what would start spending, and how much budget is behind it. Change nothing."""
    refs = resolve_ads(settings, names)
    if yes:
        result = _summary("activate", set_status(settings, client, refs, ACTIVE, report), "activated")
        return result.model_copy(update={"activated": result.changed})
    return _preview(settings, client, refs)


def _preview(settings: Settings, client: Any, refs: list[AdRef]) -> StatusResult:
    adsets: dict[str, dict[str, Any]] = {}
    currencies: dict[str, str] = {}
    ads = [_preview_one(settings, client, ref, adsets, currencies) for ref in refs]
    lines = ["Would activate (nothing was changed):"]
    for ad in ads:
        if not ad.ok:
            lines.append(f"  ✗ {ad.name} ({ad.ad_id}): {ad.error}")
            continue
        budget = f", ad set {ad.adset_id} budget {_budget_words(ad)}" if _budget_words(ad) else ""
        lines.append(f"  {ad.name} ({ad.ad_id}): now {ad.status or 'unknown'}{budget}")
    total = _total_daily(adsets)
    if total:
        held = f"Their {len(adsets)} ad sets hold {total} together" if len(adsets) > 1 \
            else f"Their ad set holds {total}"
        lines.append(f"{held}: activated ads start spending from it.")
    lines.append("Nothing was changed. To activate, re-run with --yes: "
                 f"meta-ads activate {' '.join(r.asked for r in refs)} --yes")
    failed = sum(1 for ad in ads if not ad.ok)
    amount, currency = _total_amount(adsets)
    return StatusResult(action="activate-preview", changed=0, failed=failed, daily_budget=amount,
                        currency=currency, ads=ads, message="\n".join(lines))


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
    currency = adset.get("currency") or None
    return AdChange(ad_id=ref.ad_id, name=ref.name, status=ad.get("status"), adset_id=adset_id or None,
                    daily_budget=_amount(adset, "daily_budget"), lifetime_budget=_amount(adset, "lifetime_budget"),
                    currency=currency)


def _amount(adset: dict[str, Any], key: str) -> Decimal | None:
    """An ad set's budget in major units; None when it has none of this kind."""
    if not adset.get(key) or str(adset[key]) == "0":
        return None
    return from_minor(adset[key], adset.get("currency") or "")


def _budget_words(ad: AdChange) -> str | None:
    if ad.daily_budget is not None:
        return f"{show(ad.daily_budget, ad.currency or '')}/day"
    if ad.lifetime_budget is not None:
        return f"{show(ad.lifetime_budget, ad.currency or '')} lifetime"
    return None


def _adset(client: Any, adset_id: str) -> dict[str, Any]:
    try:
        return dict(client.get(adset_id, {"fields": "name,daily_budget,lifetime_budget"}))
    except InvalidParameter:  # an API (or an older sandbox) without lifetime_budget on this ad set
        return dict(client.get(adset_id, {"fields": "name,daily_budget"}))


def show_money(minor: Any, currency: str) -> str:
    """Meta's budgets are in the currency's minor unit (cents), as strings: "5000" USD → "$50.00"."""
    return show_minor(minor, currency)


def _daily_per_currency(adsets: dict[str, dict[str, Any]]) -> dict[str, Decimal]:
    """The daily budgets of the ad sets (minor units), added up per currency."""
    per_currency: dict[str, Decimal] = {}
    for adset in adsets.values():
        if adset.get("daily_budget") and str(adset["daily_budget"]) != "0":
            cur = adset.get("currency", "")
            per_currency[cur] = per_currency.get(cur, Decimal(0)) + Decimal(str(adset["daily_budget"]))
    return per_currency


def _total_daily(adsets: dict[str, dict[str, Any]]) -> str | None:
    per_currency = _daily_per_currency(adsets)
    if not per_currency:
        return None
    return " + ".join(f"{show_money(v, c)}/day" for c, v in per_currency.items())


def _total_amount(adsets: dict[str, dict[str, Any]]) -> tuple[Decimal | None, str | None]:
    """The ad sets' daily budgets together, in major units, when they share one currency."""
    per_currency = _daily_per_currency(adsets)
    if len(per_currency) != 1:
        return None, None
    currency, minor = next(iter(per_currency.items()))
    return from_minor(minor, currency), currency or None


def _summary(action: str, changes: list[AdChange], verb: str) -> StatusResult:
    ok = sum(1 for c in changes if c.ok)
    failed = len(changes) - ok
    message = f"{ok} ad{'s' if ok != 1 else ''} {verb}" + (f", {failed} failed (see above)" if failed else "")
    return StatusResult(action=action, changed=ok, failed=failed, ads=changes, message=message)
