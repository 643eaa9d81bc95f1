"""Custom audiences: ``act_{id}/customaudiences`` (create, list) and ``/{audience}/users`` sessions.

Three kinds are created: a customer list (``subtype=CUSTOM`` + ``customer_file_source``), a
website audience (a pixel ``rule``, no subtype) and a lookalike (``subtype=LOOKALIKE``,
``origin_audience_id`` and ``lookalike_spec`` with ``ratio`` 0.01–0.20 and a ``country``).
Checks and codes follow Meta's audience guides (v25); where Meta's exact code is not
documented the sandbox picks one and ``docs/sandbox.md`` says so. Rule and session checks
live in ``audience_checks.py``.

Sizes: a customer list "matches" a stable two thirds of the distinct rows it receives (the
sandbox has no users to match against); a website audience is sized from its pixel's
traffic; a lookalike is ``ratio`` × the country's reachable people. Reads report
``approximate_count_lower_bound`` / ``_upper_bound`` (±10%), ``delivery_status`` and
``operation_status`` (``{code, description}``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from skill.sandbox import objects
from skill.sandbox.audience_checks import (
    CUSTOMER_FILE_SOURCES,
    check_lookalike_spec,
    check_rule,
    check_session,
    read_payload,
    row_key,
)
from skill.sandbox.errors import ApiError, invalid_param, missing_param
from skill.sandbox.fields import page
from skill.sandbox.request import Request, json_param, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

SUB_SEED_TOO_SMALL = 1713007     # sandbox: lookalike seed under 100 matched people
SUB_SEED_NOT_FOUND = 1713008     # sandbox: origin_audience_id not an audience of this account
SUB_TOS = 1870090                # Meta: "Custom Audience Terms Not Accepted"
MIN_SEED = 100
MIN_DELIVERABLE = 100
COUNTRY_PEOPLE = {"US": 230_000_000, "GB": 50_000_000, "CA": 30_000_000, "AU": 20_000_000, "DE": 60_000_000,
                  "FR": 50_000_000, "ES": 35_000_000, "IT": 40_000_000, "BR": 150_000_000, "IN": 400_000_000}
DEFAULT_PEOPLE = 10_000_000
INTERNAL = ("members", "sessions", "account_id")
OPTIONAL = ("rule", "retention_days", "lookalike_spec", "origin_audience_id", "customer_file_source", "pixel_id")


def audience_view(api: Api, obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in INTERNAL}
    size = audience_size(api, obj)
    out["approximate_count_lower_bound"] = int(size * 0.9)
    out["approximate_count_upper_bound"] = int(size * 1.1)
    if size >= MIN_DELIVERABLE:
        out["delivery_status"] = {"code": 200, "description": "This audience is ready for use."}
    else:
        out["delivery_status"] = {"code": 300, "description": "This audience is too small to deliver ads "
                                  f"(fewer than {MIN_DELIVERABLE} people)."}
    out["operation_status"] = {"code": 200, "description": "Normal"}
    out["account_id"] = obj["account_id"]
    for name in OPTIONAL:  # valid fields of every audience, left out when unset
        out.setdefault(name, None)
    return out


objects.VIEWS["audiences"] = audience_view


def audience_size(api: Api, obj: dict[str, Any]) -> int:
    subtype = obj.get("subtype")
    if subtype == "CUSTOM":
        return len(obj.get("members", []))
    if subtype == "LOOKALIKE":
        spec = obj.get("lookalike_spec") or {}
        people = COUNTRY_PEOPLE.get(str(spec.get("country", "")).upper(), DEFAULT_PEOPLE)
        return int(people * float(spec.get("ratio", 0.01)))
    if subtype == "WEBSITE":
        return 5000 * max(1, int(obj.get("retention_days", 30)))
    return 0


# ---------------------------------------------------------------- account edge


def list_audiences(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    rows = [a for a in api.state["audiences"].values() if a["account_id"] == account["account_id"]]
    return objects.listing(api, req, "audiences", rows)


def create(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    name = str_param(req.params, "name")
    if not name or not name.strip():
        raise missing_param("name")
    if account.get("custom_audience_tos") is False:
        raise ApiError("(#200) Custom Audience Terms Not Accepted", 200, SUB_TOS, "Custom Audience Terms Not Accepted",
                       "You need to accept the Custom Audience Terms before creating audiences in this ad account.")
    subtype = str_param(req.params, "subtype")
    base = {"name": name, "account_id": account["account_id"], "description": str_param(req.params, "description")
            or "", "time_created": int(time.time()), "time_updated": int(time.time())}
    if subtype == "LOOKALIKE":
        fields = _lookalike(api, req, account)
    elif subtype == "CUSTOM":
        fields = _customer_list(req)
    elif subtype is None and req.params.get("rule") is not None:
        fields = _website(api, req, account)
    else:
        raise invalid_param("Invalid Subtype", "subtype must be CUSTOM (customer list, with customer_file_source) "
                            "or LOOKALIKE; a website audience has no subtype and a rule.")
    audience = {"id": api.state.new_id("audience"), **base, **fields}
    api.state.add("audiences", audience)
    return {"id": audience["id"]}


def _customer_list(req: Request) -> dict[str, Any]:
    source = str_param(req.params, "customer_file_source")
    if source is None:
        raise missing_param("customer_file_source")
    if source not in CUSTOMER_FILE_SOURCES:
        raise invalid_param("Invalid Customer File Source", f"customer_file_source must be one of "
                            f"{', '.join(CUSTOMER_FILE_SOURCES)}.")
    return {"subtype": "CUSTOM", "customer_file_source": source, "members": [], "sessions": {},
            "data_source": {"type": "FILE_IMPORTED", "sub_type": "HASHES"}}


def _website(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    rule = json_param(req.params, "rule")
    pixel_ids = {p["id"] for p in api.state["pixels"].values() if p["account_id"] == account["account_id"]}
    longest = check_rule(rule, pixel_ids)
    retention = req.params.get("retention_days")
    days = int(retention) if retention not in (None, "") else max(1, longest // 86400)
    if not 1 <= days <= 180:
        raise invalid_param("Invalid Retention", "retention_days must be between 1 and 180.")
    return {"subtype": "WEBSITE", "rule": rule, "retention_days": days, "prefill": True,
            "data_source": {"type": "EVENT_BASED", "sub_type": "WEB_PIXEL_HITS"}}


def _lookalike(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    origin_id = str_param(req.params, "origin_audience_id")
    if not origin_id:
        raise missing_param("origin_audience_id")
    origin = api.state["audiences"].get(origin_id)
    if origin is None or origin["account_id"] != account["account_id"]:
        raise invalid_param("Seed Audience Not Found", f"origin_audience_id {origin_id} is not a custom audience of "
                            f"ad account {account['id']}.", SUB_SEED_NOT_FOUND)
    if audience_size(api, origin) < MIN_SEED:
        raise invalid_param("Seed Audience Too Small", f"The source audience {origin['name']!r} has fewer than "
                            f"{MIN_SEED} people; a lookalike needs at least {MIN_SEED}.", SUB_SEED_TOO_SMALL)
    spec = check_lookalike_spec(json_param(req.params, "lookalike_spec"))
    for other in api.state["audiences"].values():
        same = other.get("lookalike_spec") or {}
        if other.get("origin_audience_id") == origin_id and same.get("ratio") == spec["ratio"] \
                and same.get("country") == spec.get("country") and other["account_id"] == account["account_id"]:
            raise ApiError("(#2654) Can't create a duplicate lookalike: You've already created a Lookalike Audience "
                           "with the same source, country and size. Please try using a different source or different "
                           "specifications.", 2654, None, "Duplicate Lookalike",
                           f"Lookalike {other['name']!r} already has this source, country and size.")
    spec = {**spec, "origin": [{"id": origin_id, "name": origin["name"], "type": "custom_audience"}],
            "type": "custom_ratio"}
    return {"subtype": "LOOKALIKE", "origin_audience_id": origin_id, "lookalike_spec": spec,
            "data_source": {"type": "LOOKALIKE", "sub_type": "LOOKALIKE"}}


# ---------------------------------------------------------------- users and sessions


def add_users(api: Api, req: Request, collection: str, audience: dict[str, Any]) -> dict[str, Any]:
    if audience.get("subtype") != "CUSTOM":
        raise ApiError("(#2650) Failed to update the custom audience: users can only be added to a customer "
                       "list audience (subtype CUSTOM).", 2650)
    _schema, rows, invalid = read_payload(json_param(req.params, "payload"))
    session = check_session(json_param(req.params, "session"), audience, time.time())
    seq = int(session["batch_seq"])
    record = audience["sessions"].setdefault(str(session["session_id"]), {
        "session_id": int(session["session_id"]), "batches": {}, "num_received": 0, "num_invalid_entries": 0,
        "num_matched": 0, "start_time": int(time.time()), "end_time": None, "stage": "uploading",
        "estimated_num_total": session.get("estimated_num_total")})
    if str(seq) not in record["batches"]:  # a batch sent again (after a lost answer) counts once
        members = set(audience["members"])
        matched = [key for key in (row_key(r) for r in rows) if int(key[:2], 16) < 171]
        new = [k for k in matched if k not in members]
        audience["members"].extend(dict.fromkeys(new))
        record["batches"][str(seq)] = len(rows) + len(invalid)
        record["num_received"] += len(rows) + len(invalid)
        record["num_invalid_entries"] += len(invalid)
        record["num_matched"] += len(matched)
    if session.get("last_batch_flag"):
        record["stage"], record["end_time"] = "finished", int(time.time())
    audience["time_updated"] = int(time.time())
    api.state.dirty = True
    return {"audience_id": audience["id"], "session_id": record["session_id"], "num_received": record["num_received"],
            "num_invalid_entries": record["num_invalid_entries"], "invalid_entry_samples": invalid[:100]}


def sessions(api: Api, req: Request, collection: str, audience: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for rec in sorted(audience.get("sessions", {}).values(), key=lambda r: -r["start_time"]):
        rows.append({"session_id": rec["session_id"], "num_received": rec["num_received"],
                     "num_matched": rec["num_matched"], "num_invalid_entries": rec["num_invalid_entries"],
                     "progress": 100 if rec["stage"] == "finished" else 50, "stage": rec["stage"],
                     "start_time": now_iso(rec["start_time"]),
                     "end_time": now_iso(rec["end_time"]) if rec["end_time"] else None})
    return page(req, rows)
