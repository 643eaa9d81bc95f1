"""``execution_options=["validate_only"]`` on a create: every check runs, nothing is created.

Meta answers ``{"success": true}`` when the call passes and the usual error when it does not.
The sandbox runs the real endpoint against the state and then puts the state back as it was
(objects, counters), so the checks are exactly the create's own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import invalid_param
from skill.sandbox.request import Request, json_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

CREATE_EDGES = frozenset({"campaigns", "adsets", "adcreatives", "ads"})
OPTIONS = ("validate_only", "include_recommendations")


def requested(req: Request) -> bool:
    """A POST to a create edge whose ``execution_options`` names ``validate_only``."""
    if req.method != "POST" or len(req.path) != 2 or req.path[1] not in CREATE_EDGES:
        return False
    options = json_param(req.params, "execution_options")
    if options is None:
        return False
    if not isinstance(options, list) or any(o not in OPTIONS for o in options):
        raise invalid_param("Invalid execution_options", "execution_options must be a list of: "
                            + ", ".join(OPTIONS) + ".")
    return "validate_only" in options


def run(api: Api, req: Request, account: dict[str, Any],
        handler: Callable[[Api, Request, dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    saved, dirty = copy.deepcopy(api.state.data), api.state.dirty
    try:
        handler(api, req, account)
    finally:
        api.state.data, api.state.dirty = saved, dirty
    return {"success": True}
