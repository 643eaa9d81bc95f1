"""Who the token is: ``/me``, ``/me/adaccounts``, ``/debug_token``, ``GET /act_{id}``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import missing_param
from skill.sandbox.fields import page, parse_fields, select
from skill.sandbox.objects import render
from skill.sandbox.request import Request, str_param
from skill.sandbox.state import APP_ID, USER_ID

if TYPE_CHECKING:
    from skill.sandbox.api import Api

USER = {"id": USER_ID, "name": "Sandbox User", "first_name": "Sandbox", "last_name": "User"}


def me(api: Api, req: Request) -> dict[str, Any]:
    return select(USER, parse_fields(str_param(req.params, "fields") or "id,name"), "User")


def me_adaccounts(api: Api, req: Request) -> dict[str, Any]:
    accounts = sorted(api.state["accounts"].values(), key=lambda a: a["id"])
    body = page(req, accounts)
    wanted = parse_fields(str_param(req.params, "fields") or "id,account_id")
    body["data"] = [select(a, wanted, "AdAccount") for a in body["data"]]
    return body


def account_node(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    return render(api, req, "accounts", account, default="id,account_id")


def debug_token(api: Api, req: Request) -> dict[str, Any]:
    """Meta's shape: ``{"data": {app_id, type, application, expires_at, is_valid, scopes, user_id, …}}``."""
    input_token = str_param(req.params, "input_token")
    if not input_token:
        raise missing_param("input_token")
    if input_token != api.token:
        return {"data": {"error": {"code": 190, "message": "Invalid OAuth access token - Cannot parse access token"},
                         "is_valid": False, "scopes": []}}
    config = api.config
    expired = api.faults.token_calls > (config.expire_token_after or float("inf"))
    expires_at = int(time.time()) - 60 if expired else config.token_expires_at
    data: dict[str, Any] = {
        "app_id": APP_ID, "type": "USER", "application": "Meta Ads Kit Sandbox",
        "data_access_expires_at": expires_at + 30 * 86400, "expires_at": expires_at,
        "is_valid": not expired and expires_at > time.time(), "issued_at": expires_at - 60 * 86400,
        "scopes": list(config.scopes),
        "granular_scopes": [{"scope": s} for s in config.scopes],
        "user_id": USER_ID,
    }
    if not data["is_valid"]:
        data["error"] = {"code": 190, "subcode": 463, "message": "Error validating access token: "
                         "Session has expired."}
    return {"data": data}
