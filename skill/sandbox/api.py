"""The request pipeline, shared by plain HTTP calls and batch operations.

For one HTTP request: latency → token (190, expiry 190/463) → blocked account (368) →
then, per operation (the request itself, or each batch operation): null (batch only) →
transient failure (500, code 2 or 1) → scope → rate limit (80004) → the endpoint.
A write that succeeded may then lose its response (the connection is closed) when
``drop_rate`` says so: the change is committed and saved first.

One lock guards the state; latency sleeps happen outside it.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.sandbox import batch, router
from skill.sandbox.batch import Outcome
from skill.sandbox.errors import (
    ApiError,
    bad_token,
    blocked,
    expired_token,
    missing_token,
    permission,
    rate_limited,
    transient,
    user_limited,
)
from skill.sandbox.faults import Config, Faults, check_settings
from skill.sandbox.ratelimit import RateLimiter, cost
from skill.sandbox.request import Request
from skill.sandbox.state import State, digits

FREE_PATHS = ("me", "debug_token")


@dataclass
class Result:
    """What the HTTP layer sends (or, with ``drop``, does not send)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


class Api:
    def __init__(self, token: str, state: State, config: Config, seed: int, state_path: Path | None) -> None:
        self.token = token
        self.state = state
        self.config = config
        self.faults = Faults(config, seed)
        self.limiter = RateLimiter()
        self.lock = threading.RLock()
        self.counted = threading.Condition(self.lock)  # notified whenever a counter grows (tests wait on it)
        self.counts: Counter[str] = Counter()
        self.state_path = state_path

    # ------------------------------------------------------------ settings

    def configure(self, **settings: Any) -> dict[str, Any]:
        check_settings(settings)
        with self.lock:
            for key, value in settings.items():
                setattr(self.config, key, value)
            if settings.get("seed") is not None:
                self.faults.reseed(int(settings["seed"]))
            if "expire_token_after" in settings:
                self.faults.token_calls = 0
            if {"rate_budget", "rate_window_s", "tier"} & settings.keys():
                self.limiter.budget_override = self.config.rate_budget
                self.limiter.window_override = self.config.rate_window_s
                self.limiter.tier = self.config.tier
                self.limiter.reset()
            return self.config.public()

    # ------------------------------------------------------------ one HTTP request

    def handle(self, req: Request, token: str | None) -> Result:
        self.faults.latency()
        with self.lock:
            self.counts["total"] += 1
            self.counts[req.method] += 1
            self.counted.notify_all()
            try:
                self._admit(token)
            except ApiError as exc:
                return self._finish(self.error_outcome(exc, req))
            is_batch = not req.path and req.method == "POST"
            if self.config.user_limit_calls > 0:
                self.config.user_limit_calls -= 1
                return self._finish(self._user_limited(req))
        if is_batch:
            return self._batch(req)
        if not req.path:
            return self._finish(self.error_outcome(ApiError("(#100) Missing batch parameter", 100), req))
        outcome = self.run_op(req)
        with self.lock:
            return self._finish(outcome, drop=outcome.ok and req.is_write and self.faults.should_drop())

    def _user_limited(self, req: Request) -> Outcome:
        """Error 17, with Meta's wait estimate in every ``x-business-use-case-usage`` entry."""
        outcome = self.error_outcome(user_limited(), req)
        buc = json.loads(outcome.headers.get("x-business-use-case-usage", "{}"))
        for entries in buc.values():
            for entry in entries:
                entry["estimated_time_to_regain_access"] = self.config.user_limit_minutes
        outcome.headers["x-business-use-case-usage"] = json.dumps(buc, separators=(",", ":"))
        return outcome

    def _admit(self, token: str | None) -> None:
        if not token:
            raise missing_token()
        if token != self.token:
            raise bad_token()
        if self.faults.token_expired():
            raise expired_token()
        if self.config.block_account:
            raise blocked()

    def _finish(self, outcome: Outcome, drop: bool = False) -> Result:
        if outcome.code is not None and outcome.code >= 400:
            self.counts["errors"] += 1
        if drop:
            self.counts["dropped"] += 1
        self.persist()
        return Result(outcome.code or 200, outcome.body, outcome.headers or {}, drop)

    def _batch(self, req: Request) -> Result:
        with self.lock:
            self.counts["batch"] += 1
        try:
            outcomes = batch.run_batch(self, req, req.params.get("batch"))
        except ApiError as exc:
            with self.lock:
                return self._finish(self.error_outcome(exc, req))
        include = str(req.params.get("include_headers", "true")).lower() != "false"
        entries = [batch.entry(o, include) for o in outcomes]
        with self.lock:
            wrote = any(o.ok for o in outcomes) and any(op.get("method", "GET").upper() != "GET"
                                                        for op in _ops(req))
            return self._finish(Outcome(200, entries, self.usage_headers(None)),
                                drop=wrote and self.faults.should_drop())

    # ------------------------------------------------------------ one operation

    def run_op(self, req: Request, *, batch_op: bool = False, allow_null: bool = True) -> Outcome:
        """Run one operation (a request, or one batch entry) through faults, limits and the router."""
        if batch_op:
            self.faults.latency()
        with self.lock:
            if batch_op:
                self.counts["batch_ops"] += 1
                self.counted.notify_all()
                if allow_null and self.faults.should_null():
                    self.counts["nulls"] += 1
                    return Outcome(None)
            code = self.faults.should_fail()
            if code is not None:
                self.counts["transient"] += 1
                return self.error_outcome(transient(code), req)
            account = self.account_of(req)
            try:
                self._check_scope(req)
                minutes = self.limiter.charge(account, cost(req.method))
                if minutes is not None:
                    raise rate_limited(minutes)
                body = router.dispatch(self, req)
            except ApiError as exc:
                return self.error_outcome(exc, req)
            return Outcome(200, body, self.usage_headers(req))

    def error_outcome(self, exc: ApiError, req: Request | None = None) -> Outcome:
        return Outcome(exc.http_status, exc.body(), self.usage_headers(req))

    def _check_scope(self, req: Request) -> None:
        if req.path[0] in FREE_PATHS:
            return
        scopes = set(self.config.scopes)
        if req.is_write and "ads_management" not in scopes:
            raise permission("Requires ads_management permission to manage the object")
        if not scopes & {"ads_read", "ads_management"}:
            raise permission("Requires ads_read permission to read the object")

    # ------------------------------------------------------------ usage

    def account_of(self, req: Request | None) -> str | None:
        """The ad account (digits) a request is about, if any."""
        if req is None or not req.path:
            return None
        head = req.path[0]
        if router.ACCOUNT_RE.match(head):
            return digits(head)
        found = self.state.find(head)
        if found is None:
            return None
        obj = found[1]
        return str(obj.get("account_id") or obj.get("owner_id") or "") or None

    def usage_headers(self, req: Request | None) -> dict[str, str]:
        account = self.account_of(req)
        accounts = [account] if account else sorted(digits(a) for a in self.state["accounts"])
        if not account and "123456789" in accounts:
            accounts.remove("123456789")
            accounts.insert(0, "123456789")
        insights = bool(req and req.path and req.path[-1] == "insights")
        return self.limiter.headers(accounts, insights=insights)

    # ------------------------------------------------------------ persistence

    def persist(self) -> None:
        if not self.state.dirty:
            return
        if self.state_path is not None:
            self.state.save(self.state_path)
        self.state.dirty = False


def _ops(req: Request) -> list[dict[str, Any]]:
    raw = req.params.get("batch")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [op for op in raw if isinstance(op, dict)] if isinstance(raw, list) else []
