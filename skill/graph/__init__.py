"""The Graph API client: the only code that speaks HTTP to Meta.

``client.py`` (calls, retries, pacing, pagination, batch), ``batch.py`` (operations and
references), ``errors.py`` (Meta's error JSON → typed errors), ``retry.py`` (pure policy),
``usage.py`` (rate-limit headers and pacing).
"""

from skill.graph.batch import MAX_OPS_PER_CALL, BatchOp, BatchResult, ref
from skill.graph.client import GraphClient, Stats

__all__ = ["MAX_OPS_PER_CALL", "BatchOp", "BatchResult", "GraphClient", "Stats", "ref"]
