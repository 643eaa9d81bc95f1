"""Fault injection: what can go wrong, how often, decided by one seeded RNG.

The same seed and the same sequence of requests give the same faults, so tests that
turn faults on stay deterministic.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, fields
from typing import Any

DEFAULT_SCOPES = ["ads_management", "ads_read", "pages_read_engagement", "business_management"]
TOKEN_LIFETIME_S = 60 * 86400  # user tokens live 60 days


@dataclass
class Config:
    """Every setting ``Sandbox.configure`` and ``POST /__sandbox/config`` accept."""

    latency_ms: float = 0.0
    fail_rate: float = 0.0
    null_rate: float = 0.0
    drop_rate: float = 0.0
    expire_token_after: int | None = None
    block_account: bool = False
    rate_budget: float | None = None
    rate_window_s: float | None = None
    tier: str = "standard_access"
    report_delay_s: float = 0.3
    report_polls: int | None = None  # if set, a report run completes after this many status reads (not time)
    token_expires_at: int = field(default_factory=lambda: int(time.time()) + TOKEN_LIFETIME_S)
    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    seed: int | None = None
    video_chunk_bytes: int = 4 * 1024 * 1024
    video_processing_polls: int = 2
    video_processing_error: str | None = None
    video_sessions_expired_before: float | None = None
    verbose: bool = False
    expired_hashes: list[str] = field(default_factory=list)  # image hashes creatives refuse until re-uploaded
    policy_words: list[str] = field(default_factory=list)  # creative text containing one is a policy rejection
    images_expire: bool = False  # every uploaded image hash expires at once (a hash that never sticks)
    user_limit_calls: int = 0  # the next N requests are refused with error 17 (user request limit)
    user_limit_minutes: int = 0  # ... and estimated_time_to_regain_access says this many minutes
    clock_days: float = 0.0  # move the sandbox's clock forward (insights' "today", change times)
    async_ops_per_poll: int = 250  # each read of an async request set processes this many more of its requests

    def public(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


RATES = ("fail_rate", "null_rate", "drop_rate")
TIERS = ("development_access", "standard_access")


def check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Validate a subset of settings; a wrong key or value raises ``ValueError`` naming it."""
    known = {f.name for f in fields(Config)}
    for key, value in settings.items():
        if key not in known:
            raise ValueError(f"unknown sandbox setting {key!r}; known: {', '.join(sorted(known))}")
        if key in RATES and value is not None and not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{key} must be between 0 and 1, got {value!r}")
        if key == "tier" and value not in TIERS:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}, got {value!r}")
        if key == "async_ops_per_poll" and int(value) < 1:
            raise ValueError(f"async_ops_per_poll must be at least 1, got {value!r}")
        if key == "report_polls" and value is not None and int(value) < 1:
            raise ValueError(f"report_polls must be at least 1, got {value!r}")
        if key in ("latency_ms", "rate_budget", "rate_window_s", "report_delay_s", "clock_days") and value is not None \
                and float(value) < 0:
            raise ValueError(f"{key} must not be negative, got {value!r}")
    return settings


class Faults:
    """The seeded dice, and a count of authenticated calls for token expiry."""

    def __init__(self, config: Config, seed: int = 0) -> None:
        self.config = config
        self.rng = random.Random(seed)
        self.token_calls = 0

    def reseed(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    def should_fail(self) -> int | None:
        """A transient failure's code (2 mostly, sometimes 1), or None."""
        if not self.roll(self.config.fail_rate):
            return None
        return 1 if self.rng.random() < 0.25 else 2

    def should_null(self) -> bool:
        return self.roll(self.config.null_rate)

    def should_drop(self) -> bool:
        return self.roll(self.config.drop_rate)

    def token_expired(self) -> bool:
        """Count one authenticated call; True once more than ``expire_token_after`` were made."""
        self.token_calls += 1
        limit = self.config.expire_token_after
        return limit is not None and self.token_calls > limit

    def latency(self) -> None:
        if self.config.latency_ms > 0:
            time.sleep(self.config.latency_ms / 1000.0)
