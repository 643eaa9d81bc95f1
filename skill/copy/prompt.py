"""What copy generation sends: the structured-output model, the prompts, the brand context, the image.

Prompts are Jinja templates in ``prompts/`` (the ``skill.prompts`` package); the copy rules
they state come from ``validate.py``, so the prompt and the check cannot drift apart.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from PIL import Image, ImageOps
from pydantic import BaseModel, ConfigDict, Field

from skill.settings import Settings
from skill.validate import (
    BODY_MAX,
    BODY_MIN,
    CTA_NOT_IN_CURRENT_API,
    CTA_TYPES,
    DESCRIPTION_MAX,
    HEADLINE_HARD,
    HEADLINE_SOFT,
    MAX_BODIES,
)
from skill.video.stills import is_video, video_blocks

MAX_IMAGE_SIDE = 1568  # the API scales down anything larger anyway
MAX_IMAGE_PIXELS = 1_150_000  # ~1,600 image tokens: the API's own cap
MAX_IMAGE_BYTES = 3_500_000  # well under the per-image limit once base64-encoded
MAX_NOTES_CHARS = 20_000  # brand notes beyond this are cut (and a warning says so)
SKIPPED_BRAND_FILES = {"stack.md", "assets.md"}  # settings and the upload log, not brand notes

# The model picks among the CTAs Meta's current API lists; --cta may still force any of CTA_TYPES.
MODEL_CTA_TYPES = tuple(c for c in CTA_TYPES if c not in CTA_NOT_IN_CURRENT_API)
CtaType = Literal[MODEL_CTA_TYPES]  # type: ignore[valid-type]


class CopyDraft(BaseModel):
    """What the model writes for one image (the JSON schema of its structured output)."""

    model_config = ConfigDict(extra="forbid")

    image_summary: str = Field(description="One sentence: what the image shows and how the copy uses it")
    titles: list[str] = Field(description=f"Headlines, each at most {HEADLINE_SOFT} characters")
    bodies: list[str] = Field(description=f"Primary texts, each {BODY_MIN} to {BODY_MAX} characters")
    descriptions: list[str] = Field(description=f"Descriptions, each at most {DESCRIPTION_MAX} characters")
    call_to_action: CtaType = Field(description="The call to action button")


@dataclass(frozen=True)
class CopyBrief:
    """What every image of a run shares: the model, the prompt inputs, the landing page."""

    model: str
    system: str
    campaign: str
    destination_url: str
    product: str | None = None
    variants: int = 3
    cta: str | None = None


@dataclass(frozen=True)
class BrandNote:
    name: str
    text: str


def brand_notes(settings: Settings) -> tuple[list[BrandNote], list[str]]:
    """Every ``brand/*.md`` except stack.md and assets.md, and warnings about what was cut."""
    notes, warnings, budget = [], [], MAX_NOTES_CHARS
    folder = settings.brand_dir
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.name in SKIPPED_BRAND_FILES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if len(text) > budget:
            warnings.append(f"{path}: brand notes cut to {MAX_NOTES_CHARS:,} characters in all")
            text = text[:budget]
        if text:
            notes.append(BrandNote(path.name, text))
            budget -= len(text)
    return notes, warnings


def system_prompt(settings: Settings, destination_url: str | None, notes: list[BrandNote]) -> str:
    """The shared system prompt: the rules, then the brand context (stack.md + brand notes)."""
    return render_prompt(
        "copywriter_system.j2",
        brand_name=settings.stack.brand_name,
        destination_url=destination_url,
        notes=notes,
    )


# ---------------------------------------------------------------- prompts


@cache
def prompt_environment() -> Environment:
    """Jinja over the ``skill.prompts`` package (``prompts/`` in the source tree)."""
    return Environment(
        loader=PackageLoader("skill.prompts", "."),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


RULES = {
    "headline_soft": HEADLINE_SOFT,
    "headline_hard": HEADLINE_HARD,
    "body_min": BODY_MIN,
    "body_max": BODY_MAX,
    "description_max": DESCRIPTION_MAX,
    "max_variants": MAX_BODIES,
    "cta_types": MODEL_CTA_TYPES,
}


def render_prompt(name: str, **context: Any) -> str:
    return prompt_environment().get_template(name).render(**RULES, **context).strip() + "\n"


def user_prompt(brief: CopyBrief, image_name: str) -> str:
    return render_prompt(
        "copywriter_user.j2",
        image_name=image_name,
        campaign=brief.campaign,
        product=brief.product,
        variants=brief.variants,
        descriptions=brief.variants,
        cta=brief.cta,
    )


def repair_prompt(problems: list[str]) -> str:
    return render_prompt("copywriter_repair.j2", problems=problems)


# ---------------------------------------------------------------- images


def media_blocks(path: Path) -> list[dict[str, Any]]:
    """One image, or for a video a few frames and its duration (skill/video/stills.py)."""
    if is_video(path):
        return video_blocks(path)
    media_type, data = encode_image(path)
    return [{"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}]


def encode_image(path: Path) -> tuple[str, str]:
    """The image as (media_type, base64 data): upright, RGB, ≤ 1568 px a side, ≤ 1.15 MP, JPEG."""
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        else:
            img = img.convert("RGB")
        scale = min(1.0, MAX_IMAGE_SIDE / max(img.size), (MAX_IMAGE_PIXELS / (img.width * img.height)) ** 0.5)
        if scale < 1.0:
            size = (max(1, int(img.width * scale)), max(1, int(img.height * scale)))
            img = img.resize(size, Image.Resampling.LANCZOS)
        for quality in (85, 70, 55, 40):
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=quality, optimize=True)
            if buf.tell() <= MAX_IMAGE_BYTES:
                break
    return "image/jpeg", base64.b64encode(buf.getvalue()).decode("ascii")


