"""Meta's async request sets, as the upload uses them: create, poll, read results, cancel.

``POST /act_{id}/async_batch_requests`` takes ``name`` and ``adbatch`` (at most 1,000 requests of
``{name, relative_url, body}``; a request may refer to an earlier one of the same set with
``{result=NAME:$.id}``) and answers ``{"id": set_id}``. Meta then works through the set on its
own: ``GET /{set_id}?fields=…`` gives the counts (``initial_count``, ``in_progress_count``,
``success_count``, ``error_count``, ``canceled_count``, ``is_completed``); ``GET /{set_id}/requests``
gives each request's ``status`` and ``result`` (the object's id, or ``[{error_code,
error_message, …}]``) with its ``input``; ``DELETE /{set_id}`` cancels the requests not yet
processed. Sets are named ``meta-ads {campaign} {ad set} …`` so that a later run finds the ones an
interrupted run left (``GET /act_{id}/asyncadrequestsets``) and waits for them before it looks
the ads up by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from skill.errors import GraphError
from skill.graph.errors import parse_error
from skill.graph.wire import form

MAX_REQUESTS = 1000
STATUS_FIELDS = ("id,name,is_completed,total_count,initial_count,in_progress_count,success_count,"
                 "error_count,canceled_count")
RESULT_FIELDS = "id,status,result,input"
RESULTS_PAGE = 500
SET_PREFIX = "meta-ads"


@dataclass
class SetStatus:
    """One read of a set's counts."""

    id: str
    name: str = ""
    total: int = 0
    initial: int = 0
    in_progress: int = 0
    success: int = 0
    error: int = 0
    canceled: int = 0
    completed: bool = False

    @property
    def done(self) -> int:
        return self.success + self.error + self.canceled

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SetStatus:
        def n(key: str) -> int:
            return int(row.get(key) or 0)

        return cls(id=str(row["id"]), name=str(row.get("name") or ""), total=n("total_count"),
                   initial=n("initial_count"), in_progress=n("in_progress_count"), success=n("success_count"),
                   error=n("error_count"), canceled=n("canceled_count"), completed=bool(row.get("is_completed")))


def set_prefix(campaign: str, adset_id: str) -> str:
    """What every set of this campaign's ad set is named from."""
    return f"{SET_PREFIX} {campaign} {adset_id}"


def item(name: str, relative_url: str, body: dict[str, Any]) -> dict[str, str]:
    """One request of a set: the body form-encoded as a batch operation's is."""
    return {"name": name, "relative_url": relative_url, "body": urlencode(form(body) or {})}


def create_set(client: Any, account: str, name: str, items: list[dict[str, str]]) -> str:
    """Send a set; its id. An answer lost on the way: the set is looked up by its name."""
    if not 0 < len(items) <= MAX_REQUESTS:
        raise ValueError(f"an async request set holds 1 to {MAX_REQUESTS} requests, not {len(items)}")
    try:
        answer = client.post(f"{account}/async_batch_requests", {"name": name, "adbatch": items})
    except GraphError as exc:
        if exc.code is not None:
            raise  # Meta answered and refused: no set
        found = [s for s in open_sets(client, account, name, completed=None) if s.name == name]
        if not found:
            raise
        return found[0].id
    return str(answer["id"])


def poll(client: Any, set_id: str) -> SetStatus:
    return SetStatus.from_row(client.get(set_id, {"fields": STATUS_FIELDS}))


def results(client: Any, set_id: str) -> Iterator[dict[str, Any]]:
    """Every request of the set with its status, result and input, page by page."""
    yield from client.paginate(f"{set_id}/requests", {"fields": RESULT_FIELDS, "limit": RESULTS_PAGE})


def cancel(client: Any, set_id: str) -> None:
    """Cancel the set's requests not processed yet (those in progress still finish)."""
    client.delete(set_id)


def open_sets(client: Any, account: str, prefix: str, completed: bool | None = False) -> list[SetStatus]:
    """The account's sets named from ``prefix`` (still running, by default)."""
    params: dict[str, Any] = {"fields": STATUS_FIELDS, "limit": 100}
    if completed is not None:
        params["is_completed"] = "true" if completed else "false"
    rows = (SetStatus.from_row(r) for r in client.paginate(f"{account}/asyncadrequestsets", params))
    return [s for s in rows if s.name.startswith(prefix) and (completed is None or s.completed == completed)]


def item_error(result: Any) -> GraphError:
    """A failed request's ``result`` (``[{error_code, error_message, …}]``) as a typed error."""
    first = result[0] if isinstance(result, list) and result and isinstance(result[0], dict) else {}
    return parse_error(None, {"error": {
        "code": first.get("error_code"), "message": first.get("error_message") or "the request failed",
        "error_user_title": first.get("error_user_title"), "error_user_msg": first.get("error_user_msg"),
    }})


def result_id(result: Any) -> str | None:
    if isinstance(result, dict) and result.get("id"):
        return str(result["id"])
    return None
