"""Ads, and the ad sets and campaigns above them.

``POST /act_{id}/ads`` needs ``name``, an existing ``adset_id``, ``creative``
(``{"creative_id": …}``, a JSON string in a form) and ``status`` ACTIVE or PAUSED.
Listings (``/act_{id}/ads``, ``/{adset_id}/ads``, ``/{campaign_id}/ads``, ``…/adsets``,
``…/campaigns``) take ``fields``, ``filtering``, ``effective_status``, ``limit`` and cursors.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from skill.sandbox.endpoints_campaigns import check_dynamic_creative
from skill.sandbox.errors import (
    SUB_ADSET_NOT_FOUND,
    SUB_CREATIVE_NOT_FOUND,
    ApiError,
    invalid_param,
    missing_param,
)
from skill.sandbox.objects import listing
from skill.sandbox.request import Request, json_param, require, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

CREATE_STATUSES = ("ACTIVE", "PAUSED")


def create(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    name = str(require(req.params, "name")).strip()
    if not name:
        raise missing_param("name")
    adset = find_adset(api, str(require(req.params, "adset_id")), account)
    check_dynamic_creative(api, adset)
    creative_id = creative_ref(api, req.params, account["account_id"])
    status = str_param(req.params, "status") or "ACTIVE"
    if status not in CREATE_STATUSES:
        raise ApiError("(#100) Param status must be one of {ACTIVE, PAUSED}", 100, None, "Invalid Status",
                       f"Status {status!r} is not valid for a new ad; use ACTIVE or PAUSED.")
    ad_id = api.state.new_id("ad")
    stamp = now_iso(time.time())
    api.state.add("ads", {
        "id": ad_id, "name": name, "status": status, "adset_id": adset["id"],
        "campaign_id": adset["campaign_id"], "account_id": account["account_id"],
        "creative": {"id": creative_id}, "created_time": stamp, "updated_time": stamp,
    })
    return {"id": ad_id}


def find_adset(api: Api, adset_id: str, account: dict[str, Any]) -> dict[str, Any]:
    adset = api.state["adsets"].get(adset_id)
    if adset is None or adset["account_id"] != account["account_id"]:
        raise invalid_param("Ad Set Does Not Exist", f"adset_id {adset_id} is not an ad set in ad account "
                            f"{account['id']}. Check adset_id.", SUB_ADSET_NOT_FOUND)
    return adset


def creative_ref(api: Api, params: dict[str, Any], account_id: str) -> str:
    """The creative id from ``creative={"creative_id": …}`` (must exist in the same account)."""
    creative = json_param(params, "creative")
    if creative is None:
        raise missing_param("creative")
    creative_id = str(creative.get("creative_id") or creative.get("id") or "") if isinstance(creative, dict) else ""
    if not creative_id:
        raise invalid_param("Invalid Creative", 'creative must be {"creative_id": "<id>"}.', SUB_CREATIVE_NOT_FOUND)
    found = api.state["creatives"].get(creative_id)
    if found is None or found["account_id"] != account_id or found.get("status") == "DELETED":
        raise invalid_param("Creative Does Not Exist", f"creative_id {creative_id} is not a creative in this ad "
                            "account. Create the creative first.", SUB_CREATIVE_NOT_FOUND)
    return creative_id


# ---------------------------------------------------------------- listings


def account_ads(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    return listing(api, req, "ads", _owned(api, "ads", "account_id", account["account_id"]))


def account_adsets(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    return listing(api, req, "adsets", _owned(api, "adsets", "account_id", account["account_id"]))


def account_campaigns(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    return listing(api, req, "campaigns", _owned(api, "campaigns", "account_id", account["account_id"]))


def node_ads(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    """``/{adset_id}/ads`` or ``/{campaign_id}/ads``."""
    key = "adset_id" if collection == "adsets" else "campaign_id"
    return listing(api, req, "ads", _owned(api, "ads", key, obj["id"]))


def node_adsets(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    return listing(api, req, "adsets", _owned(api, "adsets", "campaign_id", obj["id"]))


def _owned(api: Api, collection: str, key: str, value: str) -> list[dict[str, Any]]:
    return [o for o in api.state[collection].values() if o.get(key) == value]
