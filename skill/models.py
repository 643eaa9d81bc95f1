"""Pydantic models for every file the kit reads or writes. Files are parsed here and nowhere else.

- ``BatchConfig`` / ``AdEntry``: ``campaigns/CAMPAIGN/ads/batch-upload.json``
- ``AssetFeedSpec``: the ``{stem}.json`` written by copy generation and sent to Meta
- ``UploadRecord``: the ``{stem}.upload.json`` written after an ad is created
- ``StackSettings``: the ``key: value`` settings in ``brand/stack.md``

User files are parsed with ``extra="allow"`` so an unknown key is *reported* (as a
warning naming the key) rather than silently dropped or rejected; see ``unknown_keys``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from skill import inputs
from skill.creative.config import entry_problem
from skill.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
MAX_FILE_BYTES = 5 * 1024 * 1024  # a batch config or spec is a few KB; anything huge is a mistake


def _checked(problem: str | None, value: Any) -> Any:
    if problem:
        raise ValueError(problem)
    return value


class UserFile(BaseModel):
    """Base for models of files people write: unknown keys are kept so they can be reported."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)  # built on first use


def unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    """Dotted paths of keys the model did not expect, at any depth."""
    found = [f"{prefix}{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                index = f"[{i}]" if isinstance(value, list) else ""
                found += unknown_keys(item, f"{prefix}{name}{index}.")
    return found


# ---------------------------------------------------------------- asset_feed_spec


class TextAsset(UserFile):
    text: str


class ImageAsset(UserFile):
    hash: str | None = None
    url: str | None = None


class CallToActionValue(UserFile):
    link: str | None = None
    link_caption: str | None = None


class CallToAction(UserFile):
    type: str
    value: CallToActionValue | None = None


class LinkUrl(UserFile):
    website_url: str
    display_url: str | None = None


class AssetFeedSpec(UserFile):
    """Meta's ``asset_feed_spec``: the copy variants Meta mixes and tests."""

    bodies: list[TextAsset] = Field(default_factory=list)
    titles: list[TextAsset] = Field(default_factory=list)
    descriptions: list[TextAsset] = Field(default_factory=list)
    images: list[ImageAsset] = Field(default_factory=list)
    call_to_actions: list[CallToAction] = Field(default_factory=list)
    call_to_action_types: list[str] = Field(default_factory=list)
    link_urls: list[LinkUrl] = Field(default_factory=list)
    ad_formats: list[str] = Field(default_factory=list)

    def cta_types(self) -> list[str]:
        """Every CTA type named by the spec, from either field, in order, once each."""
        seen: list[str] = []
        for t in [c.type for c in self.call_to_actions] + list(self.call_to_action_types):
            if t not in seen:
                seen.append(t)
        return seen


# ---------------------------------------------------------------- batch config


AdFormat = Literal["dynamic", "single_image", "placements"]


class PlacementImages(UserFile):
    """One ad, one image per placement group: 1:1 or 4:5 for Feed, 9:16 for Stories and Reels."""

    feed: str
    stories: str


class AdEntry(UserFile):
    """One ad: a name, images or a video, a copy spec; ``format``: see reference/formats.md."""

    name: str = Field(min_length=1)
    image_path: str | None = None
    image_paths: list[str] | None = None
    image_url: str | None = None
    placement_images: PlacementImages | None = None
    video_path: str | None = None  # an MP4/MOV instead of images
    thumbnail_path: str | None = None  # the video's thumbnail; else a frame of the video
    asset_feed_spec_path: str
    format: AdFormat | None = None
    variant: str | None = None
    audience: str | None = None
    adset: str | None = None  # launch configs: the name of the ad set (in ``adsets``) the ad goes into

    @model_validator(mode="after")
    def _one_kind_of_image(self) -> AdEntry:
        problem = entry_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def kind(self) -> str:
        return self.format or ("placements" if self.placement_images else "dynamic")

    @property
    def images(self) -> list[str]:
        """The image files named (placements: feed, then stories; an image_url or a video has none)."""
        if self.placement_images:
            return [self.placement_images.feed, self.placement_images.stories]
        if self.image_url or self.video_path:
            return []
        return list(self.image_paths) if self.image_paths else [self.image_path or ""]

    @property
    def stem(self) -> str:
        """The file stem for outputs: the spec's stem (``notes-app.json`` → ``notes-app``)."""
        return Path(self.asset_feed_spec_path).stem


class BatchConfig(UserFile):
    """``batch-upload.json``: which ads go into which ad set, and how."""

    campaign: str = Field(min_length=1)
    adset_id: str | None = None
    page_id: str | None = None
    destination_url: str | None = None
    ads: list[AdEntry] = Field(min_length=1)
    parallel: bool = False
    max_concurrent: int = Field(default=3, ge=1, le=20)
    date: str | None = None  # for {date} in ad names: keeps names stable across days
    audience: str | None = None  # for {audience} in ad names (an ad's own audience wins)
    # A launch config (see skill/launch/models.py): ``campaign`` is an object with its name, and the
    # ad sets to create are listed instead of ``adset_id``. Parsed in full by the launch package.
    campaign_spec: dict[str, Any] | None = None
    adsets: list[dict[str, Any]] | None = None

    @field_validator("adset_id", "page_id", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("adset_id", "page_id")
    @classmethod
    def _ids_are_digits(cls, v: str | None, info: Any) -> str | None:
        return v if v is None else _checked(inputs.id_problem(v, f"an {info.field_name.split('_')[0]} id"), v)

    @field_validator("campaign")
    @classmethod
    def _campaign_is_a_name(cls, v: str) -> str:
        return _checked(inputs.name_problem(v, "campaign"), v)

    @field_validator("destination_url")
    @classmethod
    def _destination_is_a_web_address(cls, v: str | None) -> str | None:
        return v if v is None else _checked(inputs.url_problem(v), v)

    @model_validator(mode="before")
    @classmethod
    def _campaign_object(cls, data: Any) -> Any:
        """``"campaign": {"name": "black-friday-2026", "objective": ...}`` → its name, the rest kept."""
        if isinstance(data, dict) and isinstance(data.get("campaign"), dict):
            spec = dict(data["campaign"])
            if not isinstance(spec.get("name"), str) or not spec["name"].strip():
                raise ValueError("campaign needs a name (the campaign's name on Meta and its folder name)")
            data = {**data, "campaign": spec["name"], "campaign_spec": spec}
        return data

    @property
    def is_launch(self) -> bool:
        """A config that creates its campaign and ad sets (rather than uploading into ``adset_id``)."""
        return self.campaign_spec is not None or self.adsets is not None


# ---------------------------------------------------------------- outputs


class UploadRecord(BaseModel):
    """``{stem}.upload.json``: what was created for one ad (the seed's fields, plus ids)."""

    model_config = ConfigDict(extra="allow")

    uploaded_at: str
    campaign: str
    ad_name: str
    image_hash: str | None = None
    image_hashes: list[str] | None = None
    creative_id: str
    ad_id: str
    adset_id: str
    status: str = "PAUSED"
    review_url: str


# ---------------------------------------------------------------- settings


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


# ---------------------------------------------------------------- parsing


def format_loc(loc: tuple[Any, ...]) -> str:
    """``("ads", 1, "name")`` → ``ads[1].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_json_file(path: Path) -> Any:
    """Read a JSON file; a missing file or bad JSON is a ConfigError naming line and column."""
    text = read_user_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=str(path)
        ) from None
    except RecursionError:
        raise ConfigError("nested too deeply to be a batch config or spec", file=str(path),
                          field="(top level)") from None


def read_user_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A text file someone wrote: UTF-8, not huge; anything else is a ConfigError naming where."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise ConfigError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read file ({exc.strerror or exc.__class__.__name__})", file=str(path)) from None
    if len(raw) > limit:
        raise ConfigError(f"file is over {limit // (1024 * 1024)} MB; is it the right file?", file=str(path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                          file=str(path), field=f"line {line}") from None


def parse_model(model: type[M], data: Any, *, file: str, ad_for: Any = None) -> M:
    """Validate ``data`` against ``model``; the first problem becomes a one-line ConfigError."""
    try:
        return model.model_validate(data)
    except RecursionError:
        raise ConfigError("nested too deeply", file=file, field="(top level)") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        ad = ad_for(loc) if ad_for else None
        msg = err.get("msg", "invalid").removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ConfigError(msg, file=file, field=format_loc(loc) or None, ad=ad) from None


def load_model(model: type[M], path: Path) -> M:
    return parse_model(model, read_json_file(path), file=str(path))


def load_batch_config(path: Path) -> BatchConfig:
    """Parse ``batch-upload.json``; errors name the ad when they are inside ``ads[i]``."""
    data = read_json_file(path)

    def ad_for(loc: tuple[Any, ...]) -> str | None:
        if len(loc) >= 2 and loc[0] == "ads" and isinstance(loc[1], int):
            try:
                name = data["ads"][loc[1]].get("name")
            except (KeyError, IndexError, TypeError, AttributeError):
                name = None
            return f"ad {name!r}" if name else f"ads[{loc[1]}]"
        return None

    if not isinstance(data, dict):
        raise ConfigError("expected a JSON object with campaign and ads", file=str(path))
    return parse_model(BatchConfig, data, file=str(path), ad_for=ad_for)
