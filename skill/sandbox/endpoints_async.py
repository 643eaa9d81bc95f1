"""Async request sets: ``POST /act_{id}/async_batch_requests`` (``adbatch``, at most 1000), read, cancel.

A set is stored with every request ``INITIAL`` and moves forward only as it is read, by a rule a
test can drive: each ``GET /{set}`` (and each first page of ``GET /{set}/requests``) finishes the
requests that were ``IN_PROGRESS``, then up to ``async_ops_per_poll`` more (in order), and marks
the next ones ``IN_PROGRESS``. Each request is charged to the account's rate score; when the score
is full the set waits (the rest stay as they are until a later poll), as Meta paces a set itself
rather than failing its requests. A request runs as the same operation outside a set would, so a
bad one fails alone: ``ERROR`` with ``result = [{error_code, error_message, error_user_title,
error_user_msg}]``; ``{result=NAME:$.id}`` refers to an earlier request of the same set (one whose
named request failed or was cancelled fails with "Dependency Failed").

``DELETE /{set}`` cancels what is not processed yet (``CANCELED``; requests in progress still
finish) and ``DELETE /{request}`` one request (error 100 once it is processed). ``POST /{set}``
renames it or sets ``notification_mode``. ``GET /act_{id}/async_requests`` (or
``/asyncadrequestsets``) lists the account's sets, ``is_completed=true|false`` filters;
``GET /{set}/requests`` filters with ``status=`` (or the SDK's ``statuses=``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from skill.sandbox.batch import Op, Outcome, Unresolved, dependencies, op_request, parse_ops
from skill.sandbox.errors import ApiError, dependency_failed, invalid_param
from skill.sandbox.fields import page, parse_fields, select
from skill.sandbox.request import Request, json_param, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

MAX_ASYNC_OPS = 1000
SET_FIELDS = ("id", "owner_id", "name", "is_completed", "total_count", "initial_count", "in_progress_count",
              "success_count", "error_count", "canceled_count", "notification_mode", "created_time")
STATUSES = ("INITIAL", "IN_PROGRESS", "SUCCESS", "ERROR", "CANCELED")
FINISHED = ("SUCCESS", "ERROR", "CANCELED")
NOTIFICATION_MODES = ("OFF", "ON_COMPLETE")
RATE_LIMIT_CODE = 80004  # the account's score is full (skill/sandbox/ratelimit.py)


def create(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    ops = parse_ops(req.params.get("adbatch"), MAX_ASYNC_OPS, "adbatch", method="POST")
    set_id = api.state.new_id("async_set")
    request_ids = [_store_request(api, set_id, account, op) for op in ops]
    names = {op.name: rid for op, rid in zip(ops, request_ids, strict=True) if op.name}
    api.state.add("async_sets", {"id": set_id, "owner_id": account["account_id"], "account_id": account["account_id"],
                                 "name": str_param(req.params, "name") or f"async batch {set_id}",
                                 "requests": request_ids, "names": names, "done": 0,
                                 "notification_mode": "OFF", "created_time": now_iso(time.time())})
    return {"id": set_id}


def _store_request(api: Api, set_id: str, account: dict[str, Any], op: Op) -> str:
    request_id = api.state.new_id("async_request")
    params = dict(parse_qsl(op.body, keep_blank_values=True))
    api.state.add("async_requests", {
        "id": request_id, "async_request_set": {"id": set_id}, "account_id": account["account_id"],
        "scope_object_id": params.get("adset_id") or account["account_id"], "status": "INITIAL",
        "input": {"name": op.name, "method": op.method, "relative_url": op.relative_url, "body": op.body},
    })
    return request_id


# ---------------------------------------------------------------- moving forward


def advance(api: Api, obj: dict[str, Any], req: Request) -> None:
    """One poll's worth of work: finish what was in progress and up to ``async_ops_per_poll`` more."""
    with api.counted:
        api.counts["async_polls"] += 1
        api.counted.notify_all()
    rows = api.state["async_requests"]
    ids = obj["requests"]
    step = max(1, int(api.config.async_ops_per_poll))
    start = obj.get("done", 0)
    end = min(len(ids), start + step)
    for at in range(start, end):
        row = rows[ids[at]]
        if row["status"] in ("INITIAL", "IN_PROGRESS") and not _process(api, obj, row, req):
            end = at  # the account's rate score is full: Meta paces the set, the rest waits
            break
    for rid in ids[end:end + step]:
        if rows[rid]["status"] == "INITIAL":
            rows[rid]["status"] = "IN_PROGRESS"
    obj["done"] = end
    api.state.dirty = True


def _process(api: Api, set_obj: dict[str, Any], row: dict[str, Any], parent: Request) -> bool:
    """Run one request; False (and left as it was) when the account's rate score has no room."""
    raw = row["input"]
    op = Op(index=0, method=raw["method"], relative_url=raw["relative_url"], body=raw["body"], name=raw["name"],
            depends_on=None, omit=None, attached_files=[])
    outcome = _run(api, set_obj, op, parent)
    body = outcome.body if isinstance(outcome.body, dict) else {}
    error = body.get("error", {})
    if not outcome.ok and error.get("code") == RATE_LIMIT_CODE:
        return False
    row["status"] = "SUCCESS" if outcome.ok else "ERROR"
    if outcome.ok:
        row["result"] = body
        return True
    row["result"] = [{"error_code": error.get("code"), "error_message": error.get("message"),
                      "error_user_title": error.get("error_user_title"), "error_user_msg": error.get("error_user_msg")}]
    return True


def _run(api: Api, set_obj: dict[str, Any], op: Op, parent: Request) -> Outcome:
    label = op.name or "request"
    answers: dict[str, Any] = {}
    for dep in dependencies(op):
        found = api.state["async_requests"].get(set_obj["names"].get(dep, ""))
        if found is None or found["status"] != "SUCCESS":
            return api.error_outcome(dependency_failed(label, dep))
        answers[dep] = found["result"]
    try:
        return api.run_op(op_request(op, parent, [], answers), batch_op=True, allow_null=False)
    except Unresolved as exc:
        return api.error_outcome(dependency_failed(label, exc.name))
    except ApiError as exc:
        return api.error_outcome(exc)


def cancel(api: Api, collection: str, obj: dict[str, Any], req: Request) -> dict[str, Any]:
    """``DELETE /{set}``: unprocessed requests are cancelled, those in progress finish.
    ``DELETE /{request}``: that request, if it is not processed yet."""
    rows = api.state["async_requests"]
    if collection == "async_requests":
        if obj["status"] != "INITIAL":
            raise ApiError("(#100) Only an async request that has not been processed yet can be canceled", 100,
                           None, "Request Already Processed", f"Async request {obj['id']} is {obj['status']}.")
        obj["status"] = "CANCELED"
        api.state.dirty = True
        return {"success": True}
    for rid in obj["requests"]:
        row = rows[rid]
        if row["status"] == "IN_PROGRESS" and _process(api, obj, row, req):
            continue
        if row["status"] in ("INITIAL", "IN_PROGRESS"):
            row["status"] = "CANCELED"
    obj["done"] = len(obj["requests"])
    api.state.dirty = True
    return {"success": True}


def update(api: Api, obj: dict[str, Any], req: Request) -> dict[str, Any]:
    """``POST /{set}``: ``name``, ``notification_mode`` (OFF, ON_COMPLETE), ``notification_uri``."""
    mode = str_param(req.params, "notification_mode")
    if mode is not None and mode not in NOTIFICATION_MODES:
        raise invalid_param("Invalid Notification Mode",
                            f"notification_mode must be one of {', '.join(NOTIFICATION_MODES)}.")
    for key in ("name", "notification_mode", "notification_uri"):
        if str_param(req.params, key) is not None:
            obj[key] = str_param(req.params, key)
    api.state.dirty = True
    return {"success": True}


# ---------------------------------------------------------------- reading


def set_view(api: Api, obj: dict[str, Any], req: Request | None = None) -> dict[str, Any]:
    """The set with its counts; ``req`` given (a poll): it moves forward first."""
    if req is not None:
        advance(api, obj, req)
    rows = api.state["async_requests"]
    statuses = [rows[r]["status"] for r in obj["requests"]]
    view = {k: v for k, v in obj.items() if k not in ("requests", "names", "done")}
    counts = {s: statuses.count(s) for s in STATUSES}
    view.update(is_completed=counts["INITIAL"] + counts["IN_PROGRESS"] == 0, total_count=len(statuses),
                initial_count=counts["INITIAL"], in_progress_count=counts["IN_PROGRESS"],
                success_count=counts["SUCCESS"], error_count=counts["ERROR"], canceled_count=counts["CANCELED"])
    return view


def set_requests(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    if not str_param(req.params, "after") and not str_param(req.params, "before"):
        advance(api, obj, req)
    rows = [api.state["async_requests"][r] for r in obj["requests"]]
    wanted_status = _statuses(req)
    if wanted_status:
        rows = [r for r in rows if r["status"] in wanted_status]
    body = page(req, rows)
    wanted = parse_fields(str_param(req.params, "fields") or "id,scope_object_id,status")
    body["data"] = [select(_request_view(r), wanted, "AdAsyncRequest") for r in body["data"]]
    return body


def _request_view(row: dict[str, Any]) -> dict[str, Any]:
    raw = row["input"]
    return {"result": None, **row, "input": {"name": raw["name"], "relative_url": raw["relative_url"], "body": raw["body"]}}


def _statuses(req: Request) -> set[str]:
    given = req.params.get("statuses") or req.params.get("status") or ""
    if isinstance(given, str) and given.startswith("["):
        given = json_param({"statuses": given}, "statuses")
    raw = given if isinstance(given, list) else str(given).split(",")
    wanted = {str(s).strip().upper() for s in raw if str(s).strip()}
    unknown = wanted - set(STATUSES)
    if unknown:
        raise invalid_param("Invalid Status", f"status must be any of {', '.join(STATUSES)}; got {sorted(unknown)[0]}.")
    return wanted


def account_sets(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    with api.counted:
        api.counts["async_set_lists"] += 1
    rows = [set_view(api, s) for s in api.state["async_sets"].values() if s["owner_id"] == account["account_id"]]
    completed = str_param(req.params, "is_completed")
    if completed is not None:
        want = completed.strip().lower() in ("1", "true")
        rows = [r for r in rows if r["is_completed"] == want]
    rows.sort(key=lambda s: int(s["id"]), reverse=True)
    body = page(req, rows)
    wanted = parse_fields(str_param(req.params, "fields") or "id,owner_id,name,is_completed")
    body["data"] = [select(r, wanted, "AdAsyncRequestSet") for r in body["data"]]
    return body
