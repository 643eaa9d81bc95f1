"""Helpers for the tests of acting on the account: a CBO campaign in a sandbox state, and reading state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.sandbox.state import State

CBO_CAMPAIGN = "23846000000009"
CBO_ADSET = "23847000000009"


def add_cbo(data: dict[str, Any]) -> dict[str, Any]:
    """A campaign with a $80.00/day campaign budget (CBO) and one ad set without a budget of its own."""
    created = data["created_time"]
    data["campaigns"][CBO_CAMPAIGN] = {
        "id": CBO_CAMPAIGN, "name": "spring-cbo", "objective": "OUTCOME_SALES", "status": "ACTIVE",
        "account_id": "123456789", "buying_type": "AUCTION", "special_ad_categories": [], "daily_budget": "8000",
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP", "created_time": created, "updated_time": created,
        "start_time": created}
    data["adsets"][CBO_ADSET] = {
        "id": CBO_ADSET, "name": "spring-cbo - all", "campaign_id": CBO_CAMPAIGN, "account_id": "123456789",
        "status": "ACTIVE", "daily_budget": "0", "lifetime_budget": "0", "billing_event": "IMPRESSIONS",
        "optimization_goal": "OFFSITE_CONVERSIONS", "targeting": {"geo_locations": {"countries": ["US"]}},
        "created_time": created, "updated_time": created, "start_time": created}
    return data


def write_state_with_cbo(workspace: Path) -> Path:
    """A fresh sandbox state for ``workspace`` (its --sandbox state file) that holds the CBO campaign."""
    path = workspace / ".sandbox" / "state.json"
    state = State.load(path)
    add_cbo(state.data)
    state.save(path)
    return path


def sandbox_state(workspace: Path) -> dict[str, Any]:
    return json.loads((workspace / ".sandbox" / "state.json").read_text())
