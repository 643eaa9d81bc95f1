"""``POST /act_{id}/async_batch_requests`` (``adbatch``, at most 1000) and reading it back.

The sandbox runs the operations when the set is created (in order, ``{result=…}``
references allowed) and the set is complete at once. Read it with ``GET /{set_id}``
(``id, owner_id, name, is_completed`` by default; counts on request),
``GET /{set_id}/requests`` (``id, scope_object_id, status`` by default; ``result`` and
``input`` on request; ``status=SUCCESS,ERROR`` filters) and
``GET /act_{id}/async_requests`` or ``/act_{id}/asyncadrequestsets``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from skill.sandbox.batch import Outcome, Unresolved, dependencies, op_request, parse_ops
from skill.sandbox.errors import ApiError, dependency_failed
from skill.sandbox.fields import page, parse_fields, select
from skill.sandbox.request import Request, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

MAX_ASYNC_OPS = 1000
SET_FIELDS = ("id", "owner_id", "name", "is_completed", "total_count", "initial_count", "in_progress_count",
              "success_count", "error_count", "canceled_count", "notification_mode", "created_time")


def create(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    ops = parse_ops(req.params.get("adbatch"), MAX_ASYNC_OPS, "adbatch", method="POST")
    set_id = api.state.new_id("async_set")
    answers: dict[str, Any] = {}
    request_ids = []
    for op in ops:
        outcome = _run(api, op, req, answers)
        if op.name and outcome.ok:
            answers[op.name] = outcome.body
        request_ids.append(_store_request(api, set_id, account, op, outcome))
    stamp = now_iso(time.time())
    api.state.add("async_sets", {"id": set_id, "owner_id": account["account_id"], "account_id": account["account_id"],
                                 "name": str_param(req.params, "name") or f"async batch {set_id}",
                                 "requests": request_ids, "notification_mode": "OFF", "created_time": stamp})
    return {"id": set_id}


def _run(api: Api, op: Any, parent: Request, answers: dict[str, Any]) -> Outcome:
    for dep in dependencies(op):
        if dep not in answers:
            return api.error_outcome(dependency_failed(op.name or f"#{op.index}", dep))
    try:
        return api.run_op(op_request(op, parent, [], answers), batch_op=True, allow_null=False)
    except Unresolved as exc:
        return api.error_outcome(dependency_failed(op.name or f"#{op.index}", exc.name))
    except ApiError as exc:
        return api.error_outcome(exc)


def _store_request(api: Api, set_id: str, account: dict[str, Any], op: Any, outcome: Outcome) -> str:
    request_id = api.state.new_id("async_request")
    body = outcome.body if isinstance(outcome.body, dict) else {}
    if outcome.ok:
        result: Any = body
    else:
        error = body.get("error", {})
        result = [{"error_code": error.get("code"), "error_message": error.get("message"),
                   "error_user_title": error.get("error_user_title"), "error_user_msg": error.get("error_user_msg")}]
    params = dict(parse_qsl(op.body, keep_blank_values=True))
    api.state.add("async_requests", {
        "id": request_id, "async_request_set": {"id": set_id}, "account_id": account["account_id"],
        "scope_object_id": params.get("adset_id") or account["account_id"],
        "status": "SUCCESS" if outcome.ok else "ERROR", "result": result,
        "input": {"name": op.name, "relative_url": op.relative_url, "body": op.body},
    })
    return request_id


def set_view(api: Api, obj: dict[str, Any]) -> dict[str, Any]:
    statuses = [api.state["async_requests"][r]["status"] for r in obj["requests"]]
    view = {k: v for k, v in obj.items() if k != "requests"}
    view.update(is_completed=True, total_count=len(statuses), initial_count=0, in_progress_count=0,
                success_count=statuses.count("SUCCESS"), error_count=statuses.count("ERROR"), canceled_count=0)
    return view


def set_requests(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    rows = [api.state["async_requests"][r] for r in obj["requests"]]
    wanted_status = {s.strip().upper() for s in (str_param(req.params, "status") or "").split(",") if s.strip()}
    if wanted_status:
        rows = [r for r in rows if r["status"] in wanted_status]
    body = page(req, rows)
    wanted = parse_fields(str_param(req.params, "fields") or "id,scope_object_id,status")
    body["data"] = [select(r, wanted, "AdAsyncRequest") for r in body["data"]]
    return body


def account_sets(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    rows = [set_view(api, s) for s in api.state["async_sets"].values() if s["owner_id"] == account["account_id"]]
    rows.sort(key=lambda s: s["id"], reverse=True)
    body = page(req, rows)
    wanted = parse_fields(str_param(req.params, "fields") or "id,owner_id,name,is_completed")
    body["data"] = [select(r, wanted, "AdAsyncRequestSet") for r in body["data"]]
    return body
