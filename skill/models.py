"""Pydantic models for every file the kit reads or writes. Files are parsed here and nowhere else.

- ``BatchConfig`` / ``AdEntry``: ``campaigns/CAMPAIGN/ads/batch-upload.json``
- ``AssetFeedSpec``: the ``{stem}.json`` written by copy generation and sent to Meta
- ``UploadRecord``: the ``{stem}.upload.json`` written after an ad is created
- ``StackSettings``: the ``key: value`` settings in ``brand/stack.md`` (``stack_settings.py``)

User files are parsed with ``extra="allow"`` so an unknown key is *reported* (as a
warning naming the key) rather than silently dropped or rejected; see ``unknown_keys``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from skill import inputs
from skill.creative.config import entry_problem
from skill.errors import ConfigError
from skill.stack_settings import RetrySettings, StackSettings
from skill.userfiles import (
    MAX_FILE_BYTES,
    UserFile,
    format_loc,
    load_model,
    parse_model,
    read_json_file,
    read_user_text,
    unknown_keys,
)
from skill.userfiles import checked as _checked

__all__ = ["MAX_FILE_BYTES", "AdEntry", "AssetFeedSpec", "BatchConfig", "RetrySettings", "StackSettings",
           "UploadRecord", "UserFile", "format_loc", "load_batch_config", "load_model", "parse_model",
           "read_json_file", "read_user_text", "unknown_keys"]


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
    """Meta's ``asset_feed_spec``: the copy variants Meta mixes and tests.

    Empty lists are plain defaults (pydantic copies them per instance): a ``default_factory=list``
    makes pydantic read ``list``'s signature from its text, which loads ``tokenize`` at start-up."""

    bodies: list[TextAsset] = []
    titles: list[TextAsset] = []
    descriptions: list[TextAsset] = []
    images: list[ImageAsset] = []
    call_to_actions: list[CallToAction] = []
    call_to_action_types: list[str] = []
    link_urls: list[LinkUrl] = []
    ad_formats: list[str] = []

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

    model_config = ConfigDict(extra="allow", defer_build=True)  # built when a record is read or written

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
