"""The ad account is the source of truth: find what already exists before creating anything.

One mechanism for every kind of object the kit creates (ads, creatives, ad sets, campaigns,
audiences, videos): read the parent's edge once, paged, and keep the rows whose name is one the
kit would give. Objects in the trash (``DELETED``, ``ARCHIVED``) don't count as existing; they
are returned apart so the caller can say so. Local records are a cache in front of this.

    found = find_by_name(client, "act_1/campaigns", {"summer-sale-2026"})
    found.live["summer-sale-2026"]["id"]
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

GONE_STATUSES = frozenset({"DELETED", "ARCHIVED"})
DEFAULT_FIELDS = ("id", "name", "status", "effective_status")
PAGE_SIZE = 500
# Meta's edges leave deleted objects out unless every status is asked for (ads, ad sets, campaigns).
EVERY_STATUS = ("ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "IN_PROCESS", "WITH_ISSUES", "CAMPAIGN_PAUSED",
                "ADSET_PAUSED", "PENDING_REVIEW", "DISAPPROVED", "PREAPPROVED", "PENDING_BILLING_INFO")


class Pager(Protocol):
    def paginate(self, path: str, params: dict[str, Any] | None = None) -> Iterable[dict[str, Any]]: ...


@dataclass
class Existing:
    """What one read of a parent's edge found, by name."""

    live: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → row (the first one read)
    gone: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → row in DELETED / ARCHIVED
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # name → ids beyond the first

    def id_of(self, name: str) -> str | None:
        row = self.live.get(name)
        return str(row["id"]) if row else None


def status_of(row: dict[str, Any]) -> str:
    return str(row.get("effective_status") or row.get("status") or "")


def edge_params(fields: Iterable[str] = DEFAULT_FIELDS, include_gone: bool = True) -> dict[str, Any]:
    """The query ``find_by_name`` reads an edge with (ask for its first page inside a Graph batch
    with ``edge_query``, then pass that page as ``first_page``)."""
    cols = list(dict.fromkeys([*fields, "id", "name"]))
    params: dict[str, Any] = {"fields": ",".join(cols), "limit": PAGE_SIZE}
    if include_gone:
        params["effective_status"] = list(EVERY_STATUS)
    return params


def edge_query(edge: str, fields: Iterable[str] = DEFAULT_FIELDS, include_gone: bool = True) -> str:
    """``edge?fields=…&limit=…``: the first page's relative URL, for a batch operation."""
    params = {k: json.dumps(v, separators=(",", ":")) if isinstance(v, list) else v
              for k, v in edge_params(fields, include_gone).items()}
    return f"{edge}?{urlencode(params)}"


def find_by_name(
    client: Pager,
    edge: str,
    names: Iterable[str],
    fields: Iterable[str] = DEFAULT_FIELDS,
    *,
    include_gone: bool = True,
    first_page: dict[str, Any] | None = None,
) -> Existing:
    """Read ``edge`` (e.g. ``act_1/ads``, ``{adset_id}/ads``) once, paged, and sort rows by name.

    Only rows whose name is in ``names`` are kept, so memory follows the batch, not the account.
    ``include_gone`` asks Meta for deleted and archived objects too (the ``effective_status``
    parameter of ads, ad sets and campaigns; pass False for creatives, images, audiences), so a
    stale local record can be told apart from a never-created one. ``first_page``: the edge's first
    page, already read (e.g. in a Graph batch with other reads); only the next pages are fetched.
    """
    wanted = set(names)
    found = Existing()
    if not wanted:
        return found
    for row in _rows(client, edge, edge_params(fields, include_gone), first_page):
        if not isinstance(row, dict):
            continue
        name = row.get("name")
        if name not in wanted:
            continue
        if status_of(row) in GONE_STATUSES:
            found.gone.setdefault(name, row)
        elif name in found.live:
            found.duplicates.setdefault(name, []).append(str(row["id"]))
        else:
            found.live[name] = row
    return found


def _rows(client: Pager, edge: str, params: dict[str, Any], first_page: dict[str, Any] | None
          ) -> Iterable[dict[str, Any]]:
    if first_page is None:
        yield from client.paginate(edge, params)
        return
    yield from first_page.get("data") or []
    next_url = (first_page.get("paging") or {}).get("next")
    if next_url:
        yield from client.paginate(next_url)
