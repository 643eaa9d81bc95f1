"""Copy generation: one ad image in, a valid asset_feed_spec out, written by Claude.

For each image: downscale and base64 it, send it with the prompt rendered from
``prompts/copywriter_*.j2`` (system prompt + brand context, marked for prompt caching),
ask for JSON matching ``CopyDraft`` (structured output), build the spec and run it through
``validate.validate_copy``. Broken rules go back to the model, at most ``MAX_REPAIRS`` times;
copy that never becomes valid raises ``CopyError`` and nothing is written for that image.
Images run concurrently on a small thread pool; token usage is summed and reported.

Prompts and image encoding live in ``copy_prompt.py``, the SDK client and its errors in
``copy_client.py``; the files (specs, copy documents, the batch config) are planned and
written by ``copy_files.py``; ``generate_copy`` ties them together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic
from pydantic import BaseModel, ValidationError

from skill.copy.client import api_error, make_client, reply_text
from skill.copy.files import (
    CopyJob,
    check_batch_file,
    check_images,
    display_path,
    extend_batch,
    landing_page,
    plan_copy,
    resolve_image,
    write_copy,
)
from skill.copy.fresh import FRESH_SUFFIX, fresh_brief
from skill.copy.prompt import (
    CopyBrief,
    CopyDraft,
    brand_notes,
    media_blocks,
    repair_prompt,
    system_prompt,
    user_prompt,
)
from skill.creative.cta import ACCEPTED_CTA_TYPES
from skill.errors import CopyError, UsageError
from skill.events import Event, Reporter, silent
from skill.models import AssetFeedSpec
from skill.settings import Settings, check_name
from skill.upload.payloads import display_caption
from skill.validate import CTA_TYPES, MAX_BODIES, Finding, validate_copy
from skill.video.probe import VideoUnreadable

DEFAULT_COPY_MODEL = "claude-haiku-5-5"  # cheap, fast, sees images
QUALITY_COPY_MODEL = "claude-sonnet-5-5"  # the documented quality option (--model)
MAX_REPAIRS = 2  # times broken copy is sent back for a fix
MAX_WORKERS = 4  # images in flight at once
MAX_TOKENS = 2048
DEFAULT_VARIANTS = 3  # headlines, bodies and descriptions per image (--variants, copy_variants in stack.md)

OUTPUT_FORMAT: dict[str, Any] = {"type": "json_schema", "schema": anthropic.transform_schema(CopyDraft)}


class Usage(BaseModel):
    """Tokens billed, summed over every request of a run."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0

    def add(self, usage: Any) -> None:
        """Count one reply's ``usage`` (any of its fields may be missing or null)."""
        self.requests += 1
        for name in ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"):
            setattr(self, name, getattr(self, name) + int(getattr(usage, name, 0) or 0))

    def merge(self, other: Usage) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        return (
            f"Usage: {self.requests} request{'s' if self.requests != 1 else ''}, "
            f"{self.input_tokens:,} input tokens ({self.cache_read_input_tokens:,} read from cache, "
            f"{self.cache_creation_input_tokens:,} written to cache), {self.output_tokens:,} output tokens"
        )


@dataclass
class Drafted:
    """The outcome for one image: a valid spec, or the error that stopped it."""

    image: Path
    spec: AssetFeedSpec | None = None
    draft: CopyDraft | None = None
    attempts: int = 0
    warnings: list[Finding] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    error: CopyError | None = None


# ---------------------------------------------------------------- the API


def system_blocks(system: str) -> list[dict[str, Any]]:
    """The shared system prompt + brand context, one block, cached across images and runs."""
    return [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}]


# ---------------------------------------------------------------- one image


def build_spec(draft: CopyDraft, brief: CopyBrief) -> AssetFeedSpec:
    """The asset_feed_spec the upload consumes: the copy plus a CTA linking to the landing page."""
    cta = brief.cta or draft.call_to_action
    return AssetFeedSpec.model_validate({
        "bodies": [{"text": t.strip()} for t in draft.bodies],
        "titles": [{"text": t.strip()} for t in draft.titles],
        "descriptions": [{"text": t.strip()} for t in draft.descriptions],
        "call_to_actions": [{"type": cta, "value": {
            "link": brief.destination_url, "link_caption": display_caption(brief.destination_url)}}],
    })


def check_reply(text: str, brief: CopyBrief, image: str) -> tuple[CopyDraft | None, AssetFeedSpec | None, list[Finding], list[str]]:
    """Parse and validate one reply: (draft, spec, findings, problems to send back)."""
    try:
        draft = CopyDraft.model_validate_json(text)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}" for e in exc.errors()[:6]]
        return None, None, [], ["The reply was not a JSON object matching the schema."] + problems
    draft, short = fit_counts(draft, brief.variants)
    spec = build_spec(draft, brief)
    findings = validate_copy(spec, ad=image)
    return draft, spec, findings, [f.message for f in findings if f.severity == "error"] + short


def fit_counts(draft: CopyDraft, wanted: int) -> tuple[CopyDraft, list[str]]:
    """Exactly ``wanted`` headlines, bodies and descriptions: extras are dropped, a shortfall goes back."""
    trimmed = draft.model_copy(update={k: getattr(draft, k)[:wanted] for k in ("titles", "bodies", "descriptions")})
    short = [f"Give exactly {wanted} {what} (you gave {len(getattr(draft, key))})"
             for key, what in (("titles", "headlines"), ("bodies", "primary texts"), ("descriptions", "descriptions"))
             if len(getattr(draft, key)) < wanted]
    return trimmed, short


def draft_copy(client: anthropic.Anthropic, brief: CopyBrief, image: Path, report: Reporter = silent) -> Drafted:
    """Ask for copy for one image, repairing it up to MAX_REPAIRS times. Never raises."""
    out = Drafted(image)
    try:
        messages: list[dict[str, Any]] = [{"role": "user", "content": [
            *media_blocks(image), {"type": "text", "text": user_prompt(brief, image.name)},
        ]}]
        for attempt in range(1 + MAX_REPAIRS):
            out.attempts = attempt + 1
            reply = _ask(client, brief, messages, out.usage)
            text = reply_text(reply)
            draft, spec, findings, problems = check_reply(text, brief, image.stem)
            if not problems:
                out.draft, out.spec = draft, spec
                out.warnings = [f for f in findings if f.severity == "warning"]
                return out
            if attempt == MAX_REPAIRS:
                raise CopyError(
                    f"copy still breaks {len(problems)} rule{'s' if len(problems) > 1 else ''} after "
                    f"{MAX_REPAIRS} fixes: {'; '.join(problems[:3])}",
                    hint="re-run (replies vary), or try --model " + QUALITY_COPY_MODEL,
                )
            report(Event("copy_repair", f"  {image.name}: {len(problems)} rule(s) broken, asking for a fix "
                                        f"({attempt + 1}/{MAX_REPAIRS}): {problems[0]}"))
            messages += [{"role": "assistant", "content": text or "{}"},
                         {"role": "user", "content": repair_prompt(problems)}]
    except CopyError as exc:
        out.error = exc
    except anthropic.AnthropicError as exc:
        out.error = api_error(exc, brief.model)
    except (OSError, VideoUnreadable) as exc:
        out.error = CopyError(f"cannot read the image ({exc.__class__.__name__}: {exc})")
    return out


def _ask(client: anthropic.Anthropic, brief: CopyBrief, messages: list[dict[str, Any]], usage: Usage) -> Any:
    reply = client.messages.create(
        model=brief.model,
        max_tokens=MAX_TOKENS,
        system=system_blocks(brief.system),  # type: ignore[arg-type]
        messages=messages,  # type: ignore[arg-type]
        output_config={"format": OUTPUT_FORMAT},  # type: ignore[typeddict-item]
    )
    usage.add(reply.usage)
    if reply.stop_reason == "refusal":
        raise CopyError("the model declined to write copy for this image",
                        hint="check the image against Meta's ad policies, or try another image")
    return reply


def draft_all(client: anthropic.Anthropic, brief: CopyBrief, images: list[Path],
              report: Reporter = silent,
              on_done: Callable[[int, Drafted], None] | None = None) -> list[Drafted]:
    """Every image, at most MAX_WORKERS at once; ``on_done(index, drafted)`` as each finishes."""
    results: list[Drafted | None] = [None] * len(images)

    def one(index: int) -> None:
        drafted = draft_copy(client, brief, images[index], report)
        results[index] = drafted
        if on_done:
            on_done(index, drafted)

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_WORKERS, len(images)))) as pool:
        for future in [pool.submit(one, i) for i in range(len(images))]:
            future.result()
    return [r for r in results if r is not None]


# ---------------------------------------------------------------- a run


class CopiedAd(BaseModel):
    image: str
    spec_path: str
    doc_path: str
    attempts: int
    warnings: list[str] = []


class CopyFailure(BaseModel):
    image: str
    error: str
    hint: str | None = None


class CopyResult(BaseModel):
    """What a copy run wrote, what failed, and what it cost."""

    campaign: str
    model: str
    ads: list[CopiedAd] = []
    failed: list[CopyFailure] = []
    batch_config: str | None = None
    batch_added: list[str] = []
    usage: Usage = Usage()

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def render_text(self) -> str:
        lines = [f"Copy written for {len(self.ads)} of {len(self.ads) + len(self.failed)} images."]
        lines += [f"  ✗ {f.image}: {f.error}" + (f" ({f.hint})" if f.hint else "") for f in self.failed]
        if self.batch_config:
            lines.append(f"Next: meta-ads upload {self.campaign} --dry-run")
        elif self.ads:
            lines.append(f"Next: review the .md files, then add --write-batch (or edit "
                         f"campaigns/{self.campaign}/ads/batch-upload.json) and run "
                         f"meta-ads upload {self.campaign} --dry-run")
        return "\n".join(lines)


def generate_copy(
    settings: Settings,
    images: list[str],
    campaign: str,
    *,
    product: str | None = None,
    variants: int | None = None,
    cta: str | None = None,
    model: str | None = None,
    force: bool = False,
    write_batch: bool = False,
    fresh_angle: str | None = None,
    report: Reporter = silent,
    client: anthropic.Anthropic | None = None,
    env: Mapping[str, str] | None = None,
) -> CopyResult:
    """Write ``{stem}.json`` + ``{stem}.md`` for each image into the campaign's ads folder.

    Everything checkable offline is checked before the first request (images, names,
    existing files, the batch config, the landing page, the API key).
    """
    check_name(campaign, "campaign")
    variants = variants or settings.stack.copy_variants or DEFAULT_VARIANTS
    cta = _check_options(variants, cta)
    paths = [resolve_image(settings, raw) for raw in images]
    if not paths:
        raise UsageError("name at least one image", hint="meta-ads copy img1.jpg --campaign CAMPAIGN")
    check_images(paths)
    jobs = plan_copy(settings, campaign, paths, force=force, suffix=FRESH_SUFFIX if fresh_angle else "")
    if fresh_angle:
        product = fresh_brief(product, fresh_angle, [settings.ads_dir(campaign) / f"{p.stem}.json" for p in paths])
    if write_batch:
        check_batch_file(settings, campaign)
    destination = landing_page(settings, campaign)
    client = client or make_client(env)
    notes, note_warnings = brand_notes(settings)
    for warning in note_warnings:
        report(Event("warning", f"  Warning: {warning}"))
    brief = CopyBrief(model=model or settings.stack.copy_model or DEFAULT_COPY_MODEL,
                      system=system_prompt(settings, destination, notes), campaign=campaign,
                      destination_url=destination, product=product, variants=variants, cta=cta)
    sources = ", ".join(n.name for n in notes) or "no brand notes"
    report(Event("copy_start", f"Writing copy for {len(jobs)} image{'s' if len(jobs) != 1 else ''} "
                               f"with {brief.model} (brand: stack.md, {sources})"))
    result = CopyResult(campaign=campaign, model=brief.model)
    lock = threading.Lock()

    def on_done(index: int, drafted: Drafted) -> None:
        job, tag = jobs[index], f"[{index + 1}/{len(jobs)}] {jobs[index].image.name}"
        err = drafted.error
        if err is None and drafted.spec is not None:
            try:
                write_copy(settings, campaign, job, drafted.spec, _doc_notes(drafted, brief.model))
            except OSError as exc:
                err = CopyError(f"cannot write {exc.filename or job.spec_path}: {exc.strerror or exc}")
        if err is not None or drafted.spec is None:
            err = err or CopyError("no copy came back")
            with lock:
                result.failed.append(CopyFailure(image=job.image.name, error=err.message, hint=err.hint))
            report(Event("copy_failed", f"{tag}: ✗ {err.message}"))
            return
        with lock:
            result.ads.append(CopiedAd(
                image=str(job.in_workspace), spec_path=str(job.spec_path), doc_path=str(job.doc_path),
                attempts=drafted.attempts, warnings=[str(w) for w in drafted.warnings]))
        spec = drafted.spec
        report(Event("copy_written", f"{tag}: ✓ {display_path(settings, job.spec_path)} + .md "
                                     f"({_n(len(spec.titles), 'headline')}, {_n(len(spec.bodies), 'body', 'bodies')}, "
                                     f"{_n(len(spec.descriptions), 'description')}; "
                                     f"{_n(drafted.attempts, 'request')})"))
        for warning in drafted.warnings:
            report(Event("warning", f"  Warning: {warning.message}"))

    for drafted in draft_all(client, brief, [j.image for j in jobs], report, on_done):
        result.usage.merge(drafted.usage)
    if result.usage.requests:
        report(Event("copy_usage", result.usage.line(), result.usage.model_dump()))
    order = {j.image.name: i for i, j in enumerate(jobs)}
    spec_order = {str(j.spec_path): i for i, j in enumerate(jobs)}
    result.ads.sort(key=lambda a: spec_order.get(a.spec_path, 0))
    result.failed.sort(key=lambda f: order.get(f.image, 0))
    if not result.ads:
        first = result.failed[0]
        more = f" (and {len(result.failed) - 1} more image(s) failed)" if len(result.failed) > 1 else ""
        raise CopyError(f"{first.image}: {first.error}{more}; nothing was written", hint=first.hint)
    if write_batch:
        done = {a.spec_path for a in result.ads}
        _write_batch(settings, campaign, [j for j in jobs if str(j.spec_path) in done], result, report)
    return result


def _check_options(variants: int, cta: str | None) -> str | None:
    if not 1 <= variants <= MAX_BODIES:
        raise UsageError(f"--variants must be 1 to {MAX_BODIES} (Meta takes at most {MAX_BODIES}), got {variants}")
    if cta is None:
        return None
    cta = cta.strip().upper()
    if cta not in ACCEPTED_CTA_TYPES:  # the model picks among the product's list; --cta may name any v26 type
        raise UsageError(f"--cta {cta!r} is not a call to action", hint=f"use one of {', '.join(CTA_TYPES)}, "
                         "or any of Meta's v26 types (reference/formats.md)")
    return cta


def _write_batch(settings: Settings, campaign: str, jobs: list[CopyJob], result: CopyResult,
                 report: Reporter) -> None:
    update = extend_batch(settings, campaign, jobs)
    result.batch_config, result.batch_added = str(update.path), update.added
    verb = "created" if update.created else "extended"
    report(Event("batch_written", f"✓ {display_path(settings, update.path)} {verb}: "
                                  f"{len(update.added)} ad(s) added" +
                                  (f", {len(update.skipped)} already there" if update.skipped else "")))
    if update.copied:
        report(Event("images_copied", f"  {len(update.copied)} image(s) from outside the workspace copied into it: "
                                      f"{', '.join(update.copied)}"))
    if update.adset and update.added:
        report(Event("batch_adset", f"  The new ads go to {update.adset}"))
    if update.created and update.launch:
        report(Event("warning", f"  New campaign: {update.path.name} describes it for `meta-ads launch {campaign}`; "
                                "set adsets[0].daily_budget (and targeting) first, then dry-run it"))
    if update.missing:
        report(Event("warning", f"  Warning: {', '.join(update.missing)} not set; add them to "
                                f"{update.path.name} or brand/stack.md before uploading"))


def _doc_notes(drafted: Drafted, model: str) -> str:
    summary = drafted.draft.image_summary.strip() if drafted.draft else ""
    made = f"Written by {model} in {_n(drafted.attempts, 'request')}; checked against the copy rules."
    return f"{summary}\n\n{made}" if summary else made


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
