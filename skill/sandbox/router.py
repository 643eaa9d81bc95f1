"""Which handler answers a request: by path shape, HTTP method and the kind of node addressed.

Paths are the segments after the version: ``me``, ``me/adaccounts``, ``debug_token``,
``act_{id}`` and its edges, ``{id}`` (any node) and its edges.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.sandbox import (
    endpoints_account,
    endpoints_ads,
    endpoints_async,
    endpoints_audiences,
    endpoints_campaigns,
    endpoints_creatives,
    endpoints_images,
    endpoints_insights,
    endpoints_pixels,
    endpoints_previews,
    endpoints_videos,
    objects,
    validate_only,
)
from skill.sandbox.errors import ApiError, not_exist, permission, unknown_path
from skill.sandbox.request import Request

if TYPE_CHECKING:
    from skill.sandbox.api import Api

ACCOUNT_RE = re.compile(r"^act_\d+$")

AccountHandler = Callable[["Api", Request, dict[str, Any]], dict[str, Any]]
NodeHandler = Callable[["Api", Request, str, dict[str, Any]], dict[str, Any]]

ACCOUNT_EDGES: dict[tuple[str, str], AccountHandler] = {
    ("GET", "adimages"): endpoints_images.lookup,
    ("POST", "adimages"): endpoints_images.upload,
    ("DELETE", "adimages"): endpoints_images.delete,
    ("GET", "adcreatives"): endpoints_creatives.list_creatives,
    ("POST", "adcreatives"): endpoints_creatives.create,
    ("GET", "ads"): endpoints_ads.account_ads,
    ("POST", "ads"): endpoints_ads.create,
    ("GET", "adsets"): endpoints_ads.account_adsets,
    ("GET", "campaigns"): endpoints_ads.account_campaigns,
    ("POST", "campaigns"): endpoints_campaigns.create_campaign,
    ("POST", "adsets"): endpoints_campaigns.create_adset,
    ("POST", "async_batch_requests"): endpoints_async.create,
    ("GET", "async_requests"): endpoints_async.account_sets,
    ("GET", "asyncadrequestsets"): endpoints_async.account_sets,
    ("POST", "advideos"): endpoints_videos.upload,
    ("GET", "advideos"): endpoints_videos.list_videos,
}

ACCOUNT_EDGES.update({  # audiences and pixels
    ("GET", "customaudiences"): endpoints_audiences.list_audiences,
    ("POST", "customaudiences"): endpoints_audiences.create,
    ("GET", "adspixels"): endpoints_pixels.account_pixels,
})

NODE_EDGES: dict[tuple[str, str, str], NodeHandler] = {
    ("GET", "adsets", "ads"): endpoints_ads.node_ads,
    ("GET", "campaigns", "ads"): endpoints_ads.node_ads,
    ("GET", "campaigns", "adsets"): endpoints_ads.node_adsets,
    ("GET", "report_runs", "insights"): endpoints_insights.run_insights,
    ("GET", "async_sets", "requests"): endpoints_async.set_requests,
    ("GET", "videos", "thumbnails"): endpoints_videos.thumbnails,
    ("GET", "creatives", "previews"): endpoints_previews.creative_previews,
    ("GET", "ads", "previews"): endpoints_previews.ad_previews,
}
for _c in ("ads", "adsets", "campaigns", "accounts"):
    NODE_EDGES[("GET", _c, "insights")] = endpoints_insights.sync
    NODE_EDGES[("POST", _c, "insights")] = endpoints_insights.start_run

NODE_EDGES.update({  # audiences and pixels
    ("POST", "audiences", "users"): endpoints_audiences.add_users,
    ("GET", "audiences", "sessions"): endpoints_audiences.sessions,
    ("GET", "pixels", "stats"): endpoints_pixels.pixel_stats,
    ("POST", "pixels", "events"): endpoints_pixels.send_events,
})

NODE_METHODS: dict[str, NodeHandler] = {
    "GET": objects.get_node, "POST": objects.update_node, "DELETE": objects.delete_node,
}


def dispatch(api: Api, req: Request) -> dict[str, Any]:
    path, method = req.path, req.method
    head = path[0]
    if head == "me":
        return _me(api, req)
    if head == "debug_token" and len(path) == 1:
        return endpoints_account.debug_token(api, req)
    if ACCOUNT_RE.match(head):
        return _account(api, req)
    found = api.state.find(head)
    if found is None:
        raise not_exist(head, method.lower())
    collection, obj = found
    if len(path) == 1:
        return NODE_METHODS[method](api, req, collection, obj) if method in NODE_METHODS else _bad(req)
    handler = NODE_EDGES.get((method, collection, path[1]))
    if handler is None or len(path) > 2:
        raise unknown_path(req.path_str())
    return handler(api, req, collection, obj)


def _me(api: Api, req: Request) -> dict[str, Any]:
    if req.path == ["me"] and req.method == "GET":
        return endpoints_account.me(api, req)
    if req.path == ["me", "adaccounts"] and req.method == "GET":
        return endpoints_account.me_adaccounts(api, req)
    raise unknown_path(req.path_str())


def _account(api: Api, req: Request) -> dict[str, Any]:
    account = api.state.account(req.path[0])
    if account is None:
        raise not_exist(req.path[0], req.method.lower())
    if req.is_write and account["account_status"] != 1:
        raise permission(f"Ad account {account['id']} is disabled (account_status {account['account_status']}); "
                         "it cannot create or change anything.")
    if len(req.path) == 1:
        if req.method != "GET":
            _bad(req)
        return endpoints_account.account_node(api, req, account)
    if len(req.path) == 2 and req.path[1] == "insights" and req.method in ("GET", "POST"):
        return NODE_EDGES[(req.method, "accounts", "insights")](api, req, "accounts", account)
    handler = ACCOUNT_EDGES.get((req.method, req.path[1])) if len(req.path) == 2 else None
    if handler is None:
        raise unknown_path(req.path_str())
    if validate_only.requested(req):
        return validate_only.run(api, req, account, handler)
    return handler(api, req, account)


def _bad(req: Request) -> dict[str, Any]:
    raise ApiError(f"Unsupported {req.method.lower()} request.", 100, 33, type="GraphMethodException")
