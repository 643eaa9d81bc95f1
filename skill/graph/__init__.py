"""The Graph API client: the only code that speaks HTTP to Meta.

``client.py`` (calls, retries, pacing, pagination, batch), ``batch.py`` (operations,
references, what to re-send), ``errors.py`` (Meta's error JSON → typed errors), ``retry.py``
(pure policy), ``usage.py`` (rate-limit headers and pacing).

    from skill.graph import GraphClient, BatchOp, ref
    client = GraphClient(base_url, token, "v26.0")
    client.get("act_123/ads", {"fields": "name,status"})
    client.batch([BatchOp("POST", "act_123/adcreatives", body, name="cr", omit_response_on_success=False),
                  BatchOp("POST", "act_123/ads", {"creative": {"creative_id": ref("cr")}, ...})])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skill.graph.batch import MAX_OPS_PER_CALL, BatchOp, BatchResult, ref
from skill.graph.usage import Usage

if TYPE_CHECKING:
    from skill.graph.client import GraphClient, Stats

LAZY = ("GraphClient", "Stats")  # the client pulls in requests: loaded on first use, not by BatchOp's users


def __getattr__(name: str) -> Any:
    if name in LAZY:
        from skill.graph import client

        return getattr(client, name)
    raise AttributeError(f"module 'skill.graph' has no attribute {name!r}")


__all__ = ["MAX_OPS_PER_CALL", "BatchOp", "BatchResult", "GraphClient", "Stats", "Usage", "ref"]
