"""Reading and updating any node by id: ads, ad sets, campaigns, creatives, images.

``GET /{id}?fields=…`` returns the requested fields (``id`` alone by default, as Meta does);
``POST /{id}`` changes ``status`` and/or ``name`` (and a few per-type fields: an ad's
``creative``, budgets and bids of ad sets and campaigns, checked in ``budget_updates.py``) and
answers ``{"success": true}``; ``DELETE /{id}`` marks it DELETED.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.sandbox import delivery
from skill.sandbox.budget_updates import UPDATE_KEYS, check_update
from skill.sandbox.errors import ApiError, invalid_param
from skill.sandbox.fields import apply_filtering, page, parse_fields, select
from skill.sandbox.request import Request, json_param, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

NODE_TYPE = {
    "ads": "Adgroup", "adsets": "AdCampaign", "campaigns": "AdCampaignGroup", "creatives": "AdCreative",
    "images": "AdImage", "accounts": "AdAccount", "report_runs": "AdReportRun", "pages": "Page",
    "async_sets": "AdAsyncRequestSet", "async_requests": "AdAsyncRequest",
    "videos": "AdVideo",
}
DEFAULT_FIELDS = {
    "images": "hash,name,width,height,url,id", "pages": "id,name", "accounts": "id,account_id",
    "report_runs": "id,account_id,async_status,async_percent_completion,date_start,date_stop,time_ref,"
                   "time_completed,is_running,emails,friendly_name,is_bookmarked,is_async_export",
}
# Fields Meta knows on these nodes even when unset (read back as absent, not as an unknown field).
OPTIONAL_FIELDS = {"adsets": ("daily_budget", "lifetime_budget", "bid_amount", "bid_strategy", "end_time"),
                   "campaigns": ("daily_budget", "lifetime_budget", "bid_strategy", "stop_time", "spend_cap")}
STATUS_UPDATES = {"ACTIVE", "PAUSED", "ARCHIVED", "DELETED"}
CREATIVE_STATUS = {"ACTIVE", "IN_PROCESS", "WITH_ISSUES", "DELETED"}
NODE_TYPE.update({"audiences": "CustomAudience", "pixels": "AdsPixel"})
DEFAULT_FIELDS.update({"audiences": "id", "pixels": "id"})
# collection → the view a client reads (computed fields, internals left out); set by endpoint modules
VIEWS: dict[str, Callable[[Api, dict[str, Any]], dict[str, Any]]] = {}
EDITABLE = {"ads": {"name", "status", "creative"}, "adsets": {"name", "status", "daily_budget"},
            "campaigns": {"name", "status"}, "creatives": {"name", "status"}}


# ---------------------------------------------------------------- views


def view(api: Api, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The object as a client may read it: stored fields plus the ones Meta computes."""
    out = dict(obj)
    for key in OPTIONAL_FIELDS.get(collection, ()):
        out.setdefault(key, None)
    if collection in ("ads", "adsets", "campaigns"):
        out["configured_status"] = obj.get("status")
        out["effective_status"] = effective_status(api, collection, obj)
    if collection == "ads":
        out["adset"] = {"id": obj["adset_id"]}
        out["campaign"] = {"id": obj["campaign_id"]}
    if collection == "adsets":
        out["campaign"] = {"id": obj["campaign_id"]}
        out.setdefault("promoted_object", None)  # a valid AdSet field even when unset (left out on read)
    if collection in VIEWS:
        out = VIEWS[collection](api, out)
    return out


def effective_status(api: Api, collection: str, obj: dict[str, Any]) -> str:
    status = obj.get("status", "ACTIVE")
    if status != "ACTIVE":
        return status
    if collection == "ads":
        adset = api.state["adsets"].get(obj["adset_id"], {})
        if adset.get("status", "ACTIVE") != "ACTIVE":
            return "ADSET_PAUSED"
    campaign_id = obj.get("campaign_id")
    if collection != "campaigns" and campaign_id:
        if api.state["campaigns"].get(campaign_id, {}).get("status", "ACTIVE") != "ACTIVE":
            return "CAMPAIGN_PAUSED"
    return "ACTIVE"


def expander(api: Api):
    """Resolve ``creative{…}``, ``adset{…}``, ``campaign{…}`` to the referenced object."""
    collections = {"creative": "creatives", "adset": "adsets", "campaign": "campaigns"}

    def expand(name: str, obj: dict[str, Any]) -> dict[str, Any] | None:
        ref = obj.get(name)
        collection = collections.get(name)
        if not collection or not isinstance(ref, dict):
            return None
        target = api.state[collection].get(str(ref.get("id")))
        return view(api, collection, target) if target else None

    return expand


def render(api: Api, req: Request, collection: str, obj: dict[str, Any], default: str = "id") -> dict[str, Any]:
    wanted = parse_fields(str_param(req.params, "fields") or DEFAULT_FIELDS.get(collection, default))
    return select(view(api, collection, obj), wanted, NODE_TYPE.get(collection, "Node"), expander(api))


def listing(api: Api, req: Request, collection: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """An edge: filter (``filtering``, ``effective_status``), drop deleted, select fields, page."""
    views = [view(api, collection, r) for r in rows]
    statuses = json_param(req.params, "effective_status")
    if statuses:
        views = [v for v in views if v.get("effective_status", v.get("status")) in statuses]
    elif collection in ("ads", "adsets", "campaigns", "creatives"):
        views = [v for v in views if v.get("status") != "DELETED"]
    views = apply_filtering(views, req.params)
    views.sort(key=lambda v: v.get("created_time", ""), reverse=True)
    body = page(req, views)
    wanted = parse_fields(str_param(req.params, "fields") or DEFAULT_FIELDS.get(collection, "id"))
    body["data"] = [select(v, wanted, NODE_TYPE.get(collection, "Node"), expander(api)) for v in body["data"]]
    return body


# ---------------------------------------------------------------- node handlers


def get_node(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    if collection == "report_runs":
        from skill.sandbox.endpoints_insights import report_run_view

        obj = report_run_view(api, obj, polled=True)
    if collection == "videos":
        from skill.sandbox.endpoints_videos import video_view

        obj = video_view(api, obj, advance="status" in (str_param(req.params, "fields") or ""))
    if collection == "async_sets":
        from skill.sandbox.endpoints_async import set_view

        return select(set_view(api, obj, req), parse_fields(str_param(req.params, "fields") or
                                                       "id,owner_id,name,is_completed"), "AdAsyncRequestSet")
    return render(api, req, collection, obj, default="id")


def update_node(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    if collection == "async_sets":
        from skill.sandbox.endpoints_async import update

        return update(api, obj, req)
    editable = EDITABLE.get(collection)
    if editable is None:
        raise ApiError(f"(#3) Application does not have the capability to make this API call ({collection})", 3)
    changes = {k: v for k, v in req.params.items() if k in editable}
    if collection in ("adsets", "campaigns") and UPDATE_KEYS & req.params.keys():
        changes.update(check_update(api, collection, obj, req.params))
    if "status" in changes:
        allowed = CREATIVE_STATUS if collection == "creatives" else STATUS_UPDATES
        if changes["status"] not in allowed:
            raise ApiError(f"(#100) Param status must be one of {{{', '.join(sorted(allowed))}}}", 100, None,
                           "Invalid Status", f"Status {changes['status']!r} is not one of {', '.join(sorted(allowed))}.")
    if "name" in changes and not str(changes["name"]).strip():
        raise invalid_param("Invalid Name", "The name must not be empty.")
    if "creative" in changes:
        from skill.sandbox.endpoints_ads import creative_ref

        changes["creative"] = {"id": creative_ref(api, req.params, obj["account_id"])}
    before = dict(obj)
    obj.update(changes)
    obj["updated_time"] = now_iso(time.time())
    delivery.record(api, collection, obj, before)
    api.state.dirty = True
    return {"success": True}


def delete_node(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    if collection in ("async_sets", "async_requests"):
        from skill.sandbox.endpoints_async import cancel

        return cancel(api, collection, obj, req)
    if collection not in EDITABLE:
        raise ApiError(f"(#3) Application does not have the capability to make this API call ({collection})", 3)
    obj["status"] = "DELETED"
    obj["updated_time"] = now_iso(time.time())
    api.state.dirty = True
    return {"success": True}
