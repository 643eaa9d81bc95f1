"""The launch part of ``batch-upload.json``: the campaign to create and its ad sets.

    {"campaign": {"name": "black-friday-2026", "objective": "OUTCOME_SALES", "daily_budget": "100.00"},
     "adsets": [{"name": "broad-us", "targeting": {"countries": ["US"], "age_min": 25}}],
     "ads": [{"name": "hero", "adset": "broad-us", ...}]}

Money is written in the account's currency (``"50.00"``) and converted with ``skill.money``.
Types are checked here; Meta's rules (enums, budgets, schedule, ...) in ``rules.py``, so every
problem is reported at once with the field that has it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from skill.models import UserFile, parse_model

Amount = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int | float) else v)]


def _as_str(v: Any) -> Any:
    return str(v) if isinstance(v, int) else v


class Placements(UserFile):
    """Where ads show; absent means Advantage+ placements (Meta chooses)."""

    publisher_platforms: list[str] | None = None
    facebook_positions: list[str] | None = None
    instagram_positions: list[str] | None = None
    messenger_positions: list[str] | None = None
    audience_network_positions: list[str] | None = None
    device_platforms: list[str] | None = None


class Interest(UserFile):
    id: Annotated[str, BeforeValidator(_as_str)]
    name: str | None = None


class TargetingSpec(UserFile):
    """Who sees the ads. Countries default to ``countries`` in brand/stack.md."""

    countries: list[str] | None = None
    regions: list[dict[str, Any]] = Field(default_factory=list)   # [{"key": "4081"}]
    cities: list[dict[str, Any]] = Field(default_factory=list)    # [{"key": "777934", "radius": 10, ...}]
    excluded_countries: list[str] = Field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    genders: list[str | int] = Field(default_factory=list)        # "male" / "female" (or Meta's 1 / 2)
    placements: Placements | None = None
    interests: list[Interest] = Field(default_factory=list)       # by Meta's interest id
    custom_audiences: list[str] = Field(default_factory=list)     # by name, looked up in the account
    excluded_custom_audiences: list[str] = Field(default_factory=list)
    advantage_audience: bool | None = None                        # Advantage+ audience on / off

    @field_validator("interests", mode="before")
    @classmethod
    def _ids(cls, v: Any) -> Any:
        return [{"id": str(i)} if isinstance(i, int | str) else i for i in v] if isinstance(v, list) else v


class AdSetSpec(UserFile):
    """One ad set: budget (unless the campaign has one), schedule, goal, bid, pixel, targeting."""

    name: str = Field(min_length=1)
    daily_budget: Amount | None = None
    lifetime_budget: Amount | None = None
    start_time: str | None = None
    end_time: str | None = None
    optimization_goal: str | None = None   # default: optimization_goal in stack.md, else by objective
    billing_event: str = "IMPRESSIONS"
    bid_strategy: str | None = None        # default: the campaign's
    bid_amount: Amount | None = None       # the cap for LOWEST_COST_WITH_BID_CAP / COST_CAP
    cost_cap: Amount | None = None         # shorthand: bid_strategy COST_CAP with this bid_amount
    roas_floor: str | None = None          # LOWEST_COST_WITH_MIN_ROAS: e.g. "2.5"
    pixel_id: Annotated[str | None, BeforeValidator(_as_str)] = None   # default: pixel_id in stack.md
    conversion_event: str | None = None    # default: conversion_event in stack.md, else PURCHASE
    targeting: TargetingSpec = Field(default_factory=TargetingSpec)
    is_dynamic_creative: bool = False
    dsa_beneficiary: str | None = None     # EU targeting: who benefits; default: dsa_beneficiary in stack.md
    dsa_payor: str | None = None           # EU targeting: who pays; default: dsa_payor in stack.md
    status: str | None = None              # only PAUSED: everything is created PAUSED


class CampaignSpec(UserFile):
    """The campaign: objective, special ad categories, and a campaign budget (CBO) or none."""

    name: str = Field(min_length=1)
    objective: str = "OUTCOME_SALES"
    special_ad_categories: list[str] = Field(default_factory=list)
    buying_type: str = "AUCTION"
    daily_budget: Amount | None = None     # a campaign budget (Advantage+ campaign budget)
    lifetime_budget: Amount | None = None
    bid_strategy: str | None = None
    start_time: str | None = None
    stop_time: str | None = None
    status: str | None = None


class LaunchSpec(UserFile):
    campaign: CampaignSpec
    adsets: list[AdSetSpec] = Field(min_length=1)


def parse_launch(campaign: dict[str, Any] | None, adsets: list[dict[str, Any]] | None, *, name: str,
                 file: str) -> LaunchSpec:
    """The launch spec of a config; a type error is a ConfigError naming the field."""
    data = {"campaign": campaign or {"name": name}, "adsets": adsets or []}
    return parse_model(LaunchSpec, data, file=file)
