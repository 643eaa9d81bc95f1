"""The ``key: value`` settings of ``brand/stack.md`` (``StackSettings``), every key optional;
``settings.py`` reads the file and applies the environment over it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator

from skill import inputs
from skill.userfiles import UserFile
from skill.userfiles import checked as _checked


class RetrySettings(UserFile):
    """``retry:`` in stack.md: attempts after the first, the first wait (doubling), the longest wait."""

    attempts: int | None = Field(default=None, ge=0, le=10)
    base: float | None = Field(default=None, ge=0)
    max_wait: float | None = Field(default=None, ge=0)


class StackSettings(UserFile):
    """The ``key: value`` settings in ``brand/stack.md``. Every key is optional."""

    ad_account: str | None = None
    default_adset_id: str | None = None
    page_id: str | None = None
    destination_url: str | None = None
    api_version: str | None = None
    target_cpa: Decimal | None = None
    target_roas: Decimal | None = None
    max_frequency: Decimal | None = None
    min_ctr: Decimal | None = None
    max_cpc: Decimal | None = None
    result_action: str | None = None  # what reports count as a result (purchase, lead, add_to_cart, ...)
    ad_name_template: str | None = None
    copy_model: str | None = None
    brand_name: str | None = None
    copy_variants: int | None = Field(default=None, ge=1, le=5)
    advantage_creative: bool | str | dict[str, Any] | None = None
    retry: RetrySettings | None = None
    max_wait: float | None = Field(default=None, ge=0)  # seconds; same as retry.max_wait
    # Launch defaults (skill/launch): a small config stays small.
    currency: str | None = None
    countries: list[str] | None = None
    pixel_id: str | None = None
    optimization_goal: str | None = None
    conversion_event: str | None = None
    dsa_beneficiary: str | None = None
    dsa_payor: str | None = None
    # Acting on the account: guardrails for budget changes, and how a creative refresh is done
    max_daily_budget: Decimal | None = None  # account currency, major units: no budget change goes above it
    max_budget_increase_pct: Decimal | None = None  # no single change raises a budget by more than this
    refresh_mode: str | None = None  # swap | new-ad (default swap)

    @field_validator("ad_account", "default_adset_id", "page_id", "pixel_id", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("ad_account")
    @classmethod
    def _account_id(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.strip()
        return _checked(inputs.account_problem(v if v.startswith("act_") else f"act_{v}"), v)

    @field_validator("default_adset_id", "page_id")
    @classmethod
    def _ids_are_digits(cls, v: str | None, info: Any) -> str | None:
        what = "an ad set id" if info.field_name == "default_adset_id" else "a page id"
        return v if v is None else _checked(inputs.id_problem(v, what), v)

    @field_validator("ad_name_template")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        return v if v is None else _checked(inputs.template_problem(v), v)

    @field_validator("destination_url")
    @classmethod
    def _destination(cls, v: str | None) -> str | None:
        return v if v is None else _checked(inputs.url_problem(v), v)

    @field_validator("countries", mode="before")
    @classmethod
    def _countries_list(cls, v: Any) -> Any:
        return [c.strip() for c in v.split(",") if c.strip()] if isinstance(v, str) else v

    @field_validator("api_version", mode="before")
    @classmethod
    def _version_as_string(cls, v: Any) -> Any:
        if isinstance(v, int | float):
            v = f"v{v:.1f}"
        return v
