"""The account's audiences by name: look up before creating (exactly once), create, list.

The ad account is the source of truth: :func:`ensure_audience` reads
``act_…/customaudiences`` once (paged) through ``account/existing.py`` and adopts an audience
of the same name and kind; only when there is none does it create one. A create whose answer
was lost may have happened, so it looks again before giving up.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from skill.account.existing import find_by_name
from skill.errors import ConfigError, GraphConnectionError, GraphError

LIST_FIELDS = ("id", "name", "subtype", "approximate_count_lower_bound", "approximate_count_upper_bound",
               "delivery_status", "operation_status", "time_updated")
TOS_SUBCODE = 1870090  # Meta: Custom Audience Terms Not Accepted
DUPLICATE_LOOKALIKE = 2654  # Meta: a lookalike of the same source, country and size exists
TOS_URL = "https://business.facebook.com/ads/manage/customaudiences/tos/?act={act}"
KINDS = {"CUSTOM": "customer list", "WEBSITE": "website", "LOOKALIKE": "lookalike", "ENGAGEMENT": "engagement"}


class AudienceRow(BaseModel):
    id: str
    name: str
    kind: str
    size_low: int | None = None
    size_high: int | None = None
    delivery: str | None = None
    delivery_code: int | None = None
    operation: str | None = None

    @classmethod
    def from_graph(cls, row: dict[str, Any]) -> AudienceRow:
        delivery = row.get("delivery_status") or {}
        operation = row.get("operation_status") or {}
        return cls(id=str(row["id"]), name=str(row.get("name", "")),
                   kind=KINDS.get(str(row.get("subtype")), str(row.get("subtype") or "custom").lower()),
                   size_low=row.get("approximate_count_lower_bound"),
                   size_high=row.get("approximate_count_upper_bound"),
                   delivery=delivery.get("description"), delivery_code=delivery.get("code"),
                   operation=operation.get("description"))

    def size_text(self) -> str:
        if self.size_low is None or self.size_high is None or self.size_high <= 0:
            return "size not known yet"
        return f"{self.size_low:,}–{self.size_high:,} people"

    def line(self) -> str:
        status = "ready" if self.delivery_code == 200 else (self.delivery or "status not known yet")
        return f"  {self.name}  ({self.kind}, id {self.id}): {self.size_text()}; {status}"


class AudienceList(BaseModel):
    account: str
    audiences: list[AudienceRow]

    def render_text(self) -> str:
        if not self.audiences:
            return f"No custom audiences in {self.account} yet."
        lines = [f"{len(self.audiences)} audience(s) in {self.account}:"]
        return "\n".join(lines + [a.line() for a in self.audiences])


def edge(account: str) -> str:
    return f"{account}/customaudiences"


def list_audiences(client: Any, account: str) -> AudienceList:
    rows = client.paginate(edge(account), {"fields": ",".join(LIST_FIELDS), "limit": 500})
    return AudienceList(account=account, audiences=[AudienceRow.from_graph(r) for r in rows])


def find_audience(client: Any, account: str, name: str) -> dict[str, Any] | None:
    found = find_by_name(client, edge(account), {name}, ("id", "name", "subtype"), include_gone=False)
    return found.live.get(name)


def ensure_audience(client: Any, account: str, params: dict[str, Any]) -> tuple[str, bool]:
    """The id of the audience named ``params["name"]``, created only if the account has none.

    Returns ``(id, adopted)``. An audience of that name but another kind is an error: the
    kit never reuses a name for something else.
    """
    name = params["name"]
    kind = params.get("subtype") or "WEBSITE"
    row = find_audience(client, account, name)
    if row is None:
        try:
            return str(client.post(edge(account), params)["id"]), False
        except GraphConnectionError as exc:
            if not exc.may_have_succeeded:
                raise
            row = find_audience(client, account, name)
            if row is None:
                raise
        except GraphError as exc:
            if exc.subcode == TOS_SUBCODE:
                exc.hint = f"accept the terms once, in Ads Manager: {TOS_URL.format(act=account.removeprefix('act_'))}"
            elif exc.code == DUPLICATE_LOOKALIKE:
                exc.hint = "that lookalike exists under another name (see `meta-ads audiences`): use it, or change " \
                           "the country or --percent"
            raise
    if str(row.get("subtype") or "WEBSITE") != kind:
        raise ConfigError(f"audience {name!r} already exists in {account} as a "
                          f"{KINDS.get(str(row.get('subtype')), 'different')} audience (id {row['id']})",
                          field="name", hint="choose another name for the new audience")
    return str(row["id"]), True
