"""The Graph client's batch calls: up to 50 operations a call, entries re-sent as ``batch.py`` plans.

A mixin of :class:`skill.graph.client.GraphClient` (kept apart by task: the client file holds
single calls, retries and pacing). It uses the client's ``_request``, ``_wait``, pacer and counters.
"""

from __future__ import annotations

import json
from typing import Any

from skill.errors import GraphConnectionError, GraphError
from skill.events import Event
from skill.graph.batch import (
    NOT_RUN,
    BatchOp,
    BatchResult,
    chunks,
    entry_headers,
    last_usage_headers,
    parse_body,
    plan_resend,
)
from skill.graph.errors import parse_error
from skill.graph.retry import is_fatal
from skill.graph.usage import READ_WEIGHT, WRITE_WEIGHT
from skill.graph.wire import resend_cause


class BatchCalls:
    """``batch()`` and its internals, for the Graph client."""

    # provided by GraphClient
    _request: Any
    _wait: Any
    _count_error: Any
    _lock: Any
    stats: Any
    pacer: Any
    report: Any
    max_retries: int
    base_url: str
    api_version: str
    _secrets: tuple[str, ...]

    def batch(self, ops: list[BatchOp], files: dict[str, Any] | None = None) -> list[BatchResult]:
        """Run operations through the batch endpoint, ≤50 a call (dependent operations kept in
        one call). One result per operation, in order; ``result.not_run`` when Meta never ran it.

        Entries that certainly did not happen are re-sent (``batch.plan_resend``), after the
        usual wait, up to ``max_retries`` times. A bad token or a blocked account (190, 368) in
        any entry stops at once: later calls are not sent and their operations stay not run.
        A call that fails as a whole raises, as ``get``/``post`` do.
        """
        results: list[BatchResult] = [NOT_RUN] * len(ops)
        for index_group in chunks(ops):
            if self._run_chunk(ops, index_group, files, results):
                break
        return results

    def _run_chunk(self, ops: list[BatchOp], idx: list[int], files: dict[str, Any] | None,
                   results: list[BatchResult]) -> bool:
        """One call (and its re-sends). True when a fatal entry says to stop everything."""
        todo = [(i, ops[i]) for i in idx]
        for attempt in range(self.max_retries + 1):
            entries = self._send_batch([op for _, op in todo], files)
            for (i, _), entry in zip(todo, entries, strict=True):
                results[i] = self._entry(entry)
            self.pacer.observe(last_usage_headers([results[i] for i, _ in todo]), answer=False)
            if any(is_fatal(results[i].error) for i in idx):
                return True
            again = plan_resend(ops, idx, results)
            if attempt and not again:
                self.report(Event("retry_ok", "✓ Retry successful", {"attempts": attempt + 1}))
            if not again or attempt == self.max_retries:
                return False
            self._wait(attempt, resend_cause(again, results))
            todo = again
        return False

    def _send_batch(self, ops: list[BatchOp], files: dict[str, Any] | None) -> list[Any]:
        names = {n for op in ops for n in op.file_names}
        part = {k: v for k, v in (files or {}).items() if k in names} or None
        with self._lock:
            self.stats.batch_calls += 1
        weight = sum(READ_WEIGHT if op.is_read else WRITE_WEIGHT for op in ops)
        # As a multipart form (curl -F in Meta's batch docs): the JSON goes as it is, not URL-encoded again.
        form_parts = {"batch": (None, json.dumps([op.to_wire() for op in ops])), **(part or {})}
        answer = self._request("POST", f"{self.base_url}/{self.api_version}/", weight=weight,
                               data={"include_headers": "true"}, files=form_parts,
                               idempotent=all(op.is_read for op in ops))
        if not isinstance(answer, list) or len(answer) != len(ops):
            got = len(answer) if isinstance(answer, list) else 0
            raise GraphConnectionError(f"the batch answer has {got} entries for {len(ops)} operations",
                                       may_have_succeeded=not all(op.is_read for op in ops))
        return answer

    def _entry(self, entry: Any) -> BatchResult:
        if entry is None:
            return NOT_RUN
        if not isinstance(entry, dict):
            return BatchResult(False, None, entry, GraphError("unreadable batch entry"))
        headers = entry_headers(entry)
        data = parse_body(entry.get("body"))
        status = entry.get("code")
        if isinstance(status, int) and status < 400 and not (isinstance(data, dict) and "error" in data):
            return BatchResult(True, status, data, None, headers)
        error = parse_error(status if isinstance(status, int) else None, data, headers, self._secrets)
        self._count_error(error)
        return BatchResult(False, status if isinstance(status, int) else None, data, error, headers)
