"""An insights report computed lazily, page by page, and paged by cursors that say where to resume.

A report's rows come in the order of their key (object, time bucket, breakdown values). Rows are
computed one (object, time bucket) cell at a time, from the deterministic delivery numbers, and
a page stops as soon as it is full: a ``next`` cursor names the last row's key, and the next page
starts computing at that key's cell. So reading a report of any size computes each ad-day about
once, and neither the rows nor the report are ever held whole (a 300,000-row report pages in the
memory of one page). Report runs keep only the question and the moment it was asked (see
``endpoints_insights.start_run``) and are regenerated the same way when read.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from skill.sandbox import delivery
from skill.sandbox import insights_data as data
from skill.sandbox.errors import invalid_param
from skill.sandbox.fields import DEFAULT_LIMIT, MAX_LIMIT, page_url
from skill.sandbox.request import Request, int_param, str_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

ID_FIELDS = frozenset({"account_id", "account_name", "campaign_id", "campaign_name", "adset_id", "adset_name",
                       "ad_id", "ad_name", "objective", "account_currency", "date_start", "date_stop"})
Key = tuple[str, int, tuple[str, ...]]  # owner, time bucket index, breakdown values
CELLS = "insights_days"  # counter of ad-days computed (request_counts), for tests and benchmarks


@dataclass
class Plan:
    """A checked insights question: what to sum, over which ads and days, into which rows."""

    fields: list[str]
    level: str
    breakdowns: list[str]
    ads: list[dict[str, Any]]
    starts: dict[str, date]  # ad id → its first day of delivery
    spans: list[tuple[date, date]]  # the time buckets
    last: date  # today, as the report sees it
    as_of: float | None = None  # a report run: status and budget changes after this moment are ignored
    owners: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # row owner → its ads

    def __post_init__(self) -> None:
        for ad in self.ads:
            self.owners.setdefault(owner_of(ad, self.level), []).append(ad)


def owner_of(ad: dict[str, Any], level: str) -> str:
    return {"ad": ad["id"], "adset": ad["adset_id"], "campaign": ad["campaign_id"], "account": ad["account_id"]}[level]


def rows_after(api: Api, plan: Plan, after: Key | None = None) -> Iterator[tuple[Key, dict[str, Any]]]:
    """Every row (with its key) whose key comes after ``after``, in key order, computed as taken."""
    for owner in sorted(plan.owners):
        if after is not None and owner < after[0]:
            continue
        for index in range(len(plan.spans)):
            if after is not None and (owner, index) < after[:2]:
                continue
            names = _names(api, plan.level, owner)
            for combo, counts in sorted(_cell(api, plan, owner, index).items()):
                key = (owner, index, combo)
                if counts["impressions"] > 0 and (after is None or key > after):
                    yield key, _row(plan, key, counts, names)


def _cell(api: Api, plan: Plan, owner: str, index: int) -> dict[tuple[str, ...], dict[str, int]]:
    """One owner's counts over one time bucket, per breakdown combination."""
    totals: dict[tuple[str, ...], dict[str, int]] = {}
    start, end = plan.spans[index]
    for ad in plan.owners[owner]:
        first = plan.starts[ad["id"]]
        day = max(start, first)
        while day <= min(end, plan.last):
            api.counts[CELLS] += 1
            counts = delivery.scale(data.day_counts(ad["id"], day, (day - first).days),
                                    delivery.factor(api, ad, day, as_of=plan.as_of))
            for combo, part in data.split(counts, ad["id"], day, plan.breakdowns).items():
                data.add(totals.setdefault(combo, {}), part)
            day += timedelta(days=1)
    return totals


def _row(plan: Plan, key: Key, counts: dict[str, int], names: dict[str, Any]) -> dict[str, Any]:
    _, index, combo = key
    metrics = data.metrics(counts)
    row: dict[str, Any] = {}
    for name in plan.fields:
        value = names.get(name) if name in ID_FIELDS else metrics.get(name)
        if value not in (None, []):
            row[name] = value
    row["date_start"], row["date_stop"] = plan.spans[index][0].isoformat(), plan.spans[index][1].isoformat()
    row.update(zip(plan.breakdowns, combo, strict=True))
    return row


def _names(api: Api, level: str, owner: str) -> dict[str, Any]:
    """The id and name columns a row at ``level`` can carry."""
    state = api.state
    names: dict[str, Any] = {}
    ad = state["ads"].get(owner) if level == "ad" else None
    adset = state["adsets"].get(ad["adset_id"] if ad else owner) if level in ("ad", "adset") else None
    campaign_id = (adset or {}).get("campaign_id") or (owner if level == "campaign" else None)
    campaign = state["campaigns"].get(campaign_id) if campaign_id else None
    account_id = owner if level == "account" else (ad or adset or campaign or {}).get("account_id")
    account = state.account(str(account_id)) or {}
    for prefix, obj in (("ad", ad), ("adset", adset), ("campaign", campaign)):
        if obj:
            names[f"{prefix}_id"], names[f"{prefix}_name"] = obj["id"], obj["name"]
    if campaign:
        names["objective"] = campaign.get("objective")
    names.update(account_id=account.get("account_id"), account_name=account.get("name"),
                 account_currency=account.get("currency"))
    return names


# ---------------------------------------------------------------- paging by key


def cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps([key[0], key[1], list(key[2])]).encode()).decode().rstrip("=")


def uncursor(text: str) -> Key:
    try:
        owner, index, combo = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        return str(owner), int(index), tuple(str(c) for c in combo)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise invalid_param("Invalid Cursor", "The paging cursor is not valid.") from None


def page(api: Api, req: Request, plan: Plan) -> dict[str, Any]:
    """One page of the report: ``limit`` rows after the ``after`` cursor (or before ``before``),
    computed now; ``next`` only when another row follows."""
    limit = max(1, min(MAX_LIMIT, int_param(req.params, "limit", DEFAULT_LIMIT)))
    after, before = str_param(req.params, "after"), str_param(req.params, "before")
    rows = rows_after(api, plan, uncursor(after) if after else None)
    if before:
        chunk = _last_before(rows, uncursor(before), limit)
        more = True
    else:
        chunk = [item for _, item in zip(range(limit), rows, strict=False)]
        more = next(rows, None) is not None
    body: dict[str, Any] = {"data": [row for _, row in chunk]}
    if not chunk:
        return body
    body["paging"] = {"cursors": {"before": cursor(chunk[0][0]), "after": cursor(chunk[-1][0])}}
    if more:
        body["paging"]["next"] = page_url(req, after=cursor(chunk[-1][0]))
    if after or (before and _first_key(api, plan) != chunk[0][0]):
        body["paging"]["previous"] = page_url(req, before=cursor(chunk[0][0]))
    return body


def _first_key(api: Api, plan: Plan) -> Key | None:
    first = next(rows_after(api, plan), None)
    return first[0] if first else None


def _last_before(rows: Iterator[tuple[Key, dict[str, Any]]], key: Key, limit: int) -> list[tuple[Key, Any]]:
    kept: deque[tuple[Key, Any]] = deque(maxlen=limit)
    for item in rows:
        if item[0] >= key:
            break
        kept.append(item)
    return list(kept)
