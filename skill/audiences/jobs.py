"""The audience jobs: a customer list, a website audience, a lookalike; each exactly once.

Each job validates everything locally first, then (unless ``dry_run``) looks the name up in
the account, creates the audience only if it is not there, and reports its size and status.
The customer list is hashed before anything else happens; raw values never leave
``customers.read_customers``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

from skill import inputs
from skill.audiences.accounts import AudienceRow, ensure_audience, find_audience
from skill.audiences.customers import BadRow, inside_workspace, read_customers, shown_path
from skill.audiences.upload import MAX_ROWS, UploadOutcome, session_path, upload_rows
from skill.errors import ConfigError
from skill.events import Event, Reporter, silent
from skill.settings import Settings

MIN_PERCENT, MAX_PERCENT = 1, 10  # the product's lookalike range (Meta allows up to 20%)
MAX_DAYS = 180
READ_FIELDS = "id,name,subtype,approximate_count_lower_bound,approximate_count_upper_bound,delivery_status," \
              "operation_status"


class AudienceResult(BaseModel):
    name: str
    kind: str
    dry_run: bool = False
    audience_id: str | None = None
    adopted: bool = False
    payload: dict[str, Any] = {}
    rows_read: int | None = None
    rows_uploaded: int | None = None
    skipped_rows: int = 0
    skipped: list[BadRow] = []
    upload: UploadOutcome | None = None
    audience: AudienceRow | None = None
    notes: list[str] = []

    def render_text(self) -> str:
        verb = "Would create" if self.dry_run else ("Found existing" if self.adopted else "Created")
        lines = [f"{verb} {self.kind} audience {self.name!r}" + (f" (id {self.audience_id})" if self.audience_id
                                                                 else "")]
        if self.rows_read is not None:
            lines.append(f"  {self.rows_read:,} rows read, {self.rows_uploaded:,} hashed on this machine"
                         + (f", {self.skipped_rows} bad row(s) skipped" if self.skipped_rows else ""))
            lines += [f"    skipped {b.text()}" for b in self.skipped[:20]]
        if self.dry_run:
            lines.append("  Dry run: nothing was sent. What would be sent (no personal data in it):")
            lines += ["    " + line for line in _show(self.payload).splitlines()]
        if self.upload is not None:
            u = self.upload
            lines.append(f"  Session {u.session_id}: {u.sent_batches} of {u.batches} batch(es) sent now; "
                         f"Meta received {u.num_received:,}, invalid {u.num_invalid_entries:,}"
                         + (f", matched {u.num_matched:,}" if u.num_matched is not None else "")
                         + (f" (match rate {u.num_matched / u.num_received:.0%})" if u.num_matched is not None
                            and u.num_received else ""))
        if self.audience is not None:
            lines.append(f"  Size: {self.audience.size_text()}; {self.audience.delivery or 'status not known yet'}")
        lines += [f"  Note: {n}" for n in self.notes]
        return "\n".join(lines)


def _show(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _read(client: Any, audience_id: str) -> AudienceRow:
    return AudienceRow.from_graph(client.get(audience_id, {"fields": READ_FIELDS}))


def check_audience_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise ConfigError("an audience needs a name of 1 to 200 characters", field="name")
    problem = inputs.text_problem(name)
    if problem:
        raise ConfigError(f"the audience name {problem}", field="name")
    return name


# ---------------------------------------------------------------- customer list


def create_customer_audience(settings: Settings, client: Any, name: str, customers: str, *,
                             default_country: str | None = None, skip_bad_rows: bool = False,
                             dry_run: bool = False, report: Reporter = silent) -> AudienceResult:
    name = check_audience_name(name)
    path = inside_workspace(settings, customers)
    display = shown_path(settings, path)
    hashed = read_customers(path, display, default_country=default_country, skip_bad_rows=skip_bad_rows)
    report(Event("audience.hashed", f"  {hashed.count:,} customers normalised and hashed on this machine"
                 + (f"; {len(hashed.bad)} bad row(s) skipped" if hashed.bad else "")))
    params = {"name": name, "subtype": "CUSTOM", "customer_file_source": "USER_PROVIDED_ONLY",
              "description": f"Customer list from {path.name}"}
    result = AudienceResult(name=name, kind="customer list", dry_run=dry_run, rows_read=hashed.read,
                            rows_uploaded=hashed.count, skipped_rows=len(hashed.bad), skipped=hashed.bad)
    if dry_run:
        batches = -(-hashed.count // MAX_ROWS)
        result.payload = {"create": {"path": f"{settings.ad_account or 'act_…'}/customaudiences", **params},
                          "users": {"path": "{audience_id}/users", "schema": hashed.schema_keys,
                                    "rows": hashed.count, "batches": batches, "rows_per_batch": MAX_ROWS}}
        return result
    account = settings.require_ad_account()
    result.audience_id, result.adopted = ensure_audience(client, account, params)
    report(Event("audience.ready", f"  {'Using existing' if result.adopted else 'Created'} audience {name!r} "
                 f"(id {result.audience_id})"))
    result.upload = upload_rows(client, result.audience_id, name, hashed,
                                session_path(settings.workspace, name), report)
    result.audience = _read(client, result.audience_id)
    return result


# ---------------------------------------------------------------- website and lookalike


def website_rule(pixel_id: str, days: int, url_contains: str | None, event: str | None) -> dict[str, Any]:
    filters = []
    if url_contains:
        filters.append({"field": "url", "operator": "i_contains", "value": url_contains})
    if event:
        filters.append({"field": "event", "operator": "eq", "value": event})
    if not filters:  # every visitor
        filters.append({"field": "url", "operator": "i_contains", "value": ""})
    rule = {"event_sources": [{"id": pixel_id, "type": "pixel"}], "retention_seconds": days * 86400,
            "filter": {"operator": "and", "filters": filters}}
    return {"inclusions": {"operator": "or", "rules": [rule]}}


def create_website_audience(settings: Settings, client: Any, name: str, *, pixel: str | None = None,
                            url_contains: str | None = None, event: str | None = None, days: int = 30,
                            dry_run: bool = False, report: Reporter = silent) -> AudienceResult:
    name = check_audience_name(name)
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"--days must be 1 to {MAX_DAYS} (Meta keeps website visitors up to 180 days)",
                          field="days")
    if url_contains is not None and (problem := inputs.text_problem(url_contains)):
        raise ConfigError(f"--url-contains {problem}", field="url_contains")
    if event is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,49}", event):
        raise ConfigError(f"{event!r} is not a pixel event name (e.g. Purchase, AddToCart)", field="event")
    if pixel is None and not dry_run:
        from skill.tracking.pixel import default_pixel

        pixel = default_pixel(client, settings.require_ad_account())["id"]
    params = {"name": name, "rule": website_rule(pixel or "{pixel_id}", days, url_contains, event),
              "retention_days": days, "prefill": True,
              "description": _describe(url_contains, event, days)}
    return _create(settings, client, params, "website", dry_run, report)


def _describe(url_contains: str | None, event: str | None, days: int) -> str:
    what = " and ".join(p for p in ((f"visited a URL containing {url_contains!r}" if url_contains else ""),
                                    (f"fired {event}" if event else "")) if p) or "visited the website"
    return f"People who {what} in the last {days} days"


def create_lookalike(settings: Settings, client: Any, source: str, *, country: str, percent: int = 1,
                     name: str | None = None, dry_run: bool = False, report: Reporter = silent) -> AudienceResult:
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ConfigError(f"{country!r} is not a 2-letter country code (e.g. US)", field="country")
    if not MIN_PERCENT <= percent <= MAX_PERCENT:
        raise ConfigError(f"--percent must be {MIN_PERCENT} to {MAX_PERCENT}: 1 is the closest match to the "
                          "source, 10 the broadest", field="percent")
    name = check_audience_name(name or f"{source} - lookalike {country} {percent}%")
    origin_id = "{origin_audience_id}"
    if not dry_run:
        row = find_audience(client, settings.require_ad_account(), source)
        if row is None:
            raise ConfigError(f"no audience named {source!r} to build the lookalike from", field="source",
                              hint="see `meta-ads audiences` for the names")
        origin_id = str(row["id"])
    params = {"name": name, "subtype": "LOOKALIKE", "origin_audience_id": origin_id,
              "lookalike_spec": {"ratio": percent / 100, "country": country}}
    return _create(settings, client, params, "lookalike", dry_run, report)


def _create(settings: Settings, client: Any, params: dict[str, Any], kind: str, dry_run: bool,
            report: Reporter) -> AudienceResult:
    result = AudienceResult(name=params["name"], kind=kind, dry_run=dry_run)
    if dry_run:
        result.payload = {"create": {"path": f"{settings.ad_account or 'act_…'}/customaudiences", **params}}
        return result
    result.audience_id, result.adopted = ensure_audience(client, settings.require_ad_account(), params)
    report(Event("audience.ready", f"  {'Using existing' if result.adopted else 'Created'} {kind} audience "
                 f"{params['name']!r} (id {result.audience_id})"))
    result.audience = _read(client, result.audience_id)
    if result.adopted:
        result.notes = _differences(client, result.audience_id, params)
    return result


def _as_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _differences(client: Any, audience_id: str, params: dict[str, Any]) -> list[str]:
    """What the audience found by name does differently from what was asked (it is left as it is)."""
    have = client.get(audience_id, {"fields": "rule,retention_days,lookalike_spec,origin_audience_id"})
    asked: list[str] = []
    if "rule" in params and _as_json(have.get("rule")) != params["rule"]:
        asked.append("rule")
    if "retention_days" in params and have.get("retention_days") not in (None, params["retention_days"]):
        asked.append(f"retention ({have.get('retention_days')} days, not {params['retention_days']})")
    spec, want = _as_json(have.get("lookalike_spec")) or {}, params.get("lookalike_spec") or {}
    if want and (spec.get("ratio") != want["ratio"] or spec.get("country") != want["country"]
                 or str(have.get("origin_audience_id")) != str(params["origin_audience_id"])):
        asked.append("lookalike source, country or size")
    if not asked:
        return []
    return [f"{params['name']!r} already exists with a different {' and '.join(asked)}: it was left as it is. "
            "Give the new audience another name, or change the existing one in Ads Manager."]
