"""The files copy generation writes: ``{stem}.json`` + ``{stem}.md`` per image, and the batch config.

Everything that could stop a run (bad images, colliding or existing outputs, an unreadable
batch config, no landing page) is checked by ``plan_copy`` before a single request is sent.
Files are written atomically; existing ones only with ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.copy.doc import copy_doc_path, render_copy_doc
from skill.errors import ConfigError, ValidationFailed
from skill.fileio import write_bytes_atomic, write_json_atomic, write_text_atomic
from skill.models import AssetFeedSpec, load_batch_config, read_json_file
from skill.settings import Settings, check_name
from skill.validate import Finding, validate_image
from skill.video.rules import check_video
from skill.video.stills import is_video

RESERVED_STEMS = {"batch-upload"}


@dataclass(frozen=True)
class CopyJob:
    """One image and the two files its copy goes to. ``stored``: where the image lives in the
    workspace (an image from outside is copied into the campaign's images/ when its copy is written)."""

    image: Path
    spec_path: Path
    stored: Path | None = None

    @property
    def in_workspace(self) -> Path:
        return self.stored or self.image

    @property
    def stem(self) -> str:
        return self.spec_path.stem

    @property
    def doc_path(self) -> Path:
        return copy_doc_path(self.spec_path)


NEW_ADSET = "main"


@dataclass
class BatchUpdate:
    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # settings the upload will still need
    adset: str | None = None  # which ad set the new ads go to, in words
    launch: bool = False  # the config creates its campaign and ad sets (meta-ads launch)
    copied: list[str] = field(default_factory=list)  # images brought into the campaign's images/ folder


def resolve_image(settings: Settings, raw: str) -> Path:
    """An image argument: absolute; else relative to the current directory; else to the workspace."""
    path = Path(raw).expanduser()
    if path.is_absolute():
        return path
    here = path.absolute()
    if here.exists():
        return here
    in_workspace = settings.resolve(raw)
    return in_workspace if in_workspace.exists() else here


def check_images(paths: list[Path]) -> None:
    """Every image must be usable in an ad (found, JPG/PNG, size, ratio) before copy is paid for."""
    errors = [f for path in paths for f in _media_findings(path) if f.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        first = errors[0]
        text = first.message if first.file and first.file in first.message else str(first)
        raise ValidationFailed(f"{text}{more}; no copy was generated", errors)


def _media_findings(path: Path) -> list[Finding]:
    """An image's findings, or a video's (its rules: skill/video/rules.py)."""
    if not is_video(path):
        return validate_image(path)[0]
    return [Finding(r.severity, r.message, file=str(path)) for r in check_video(path)[0]]


def plan_copy(settings: Settings, campaign: str, images: list[Path], *, force: bool, suffix: str = "",
              ) -> list[CopyJob]:
    """One job per image; outputs must not collide, and must not exist unless ``force``.

    ``suffix`` names the outputs ``{stem}{suffix}.json`` (``-fresh`` for a fresh angle)."""
    ads_dir = settings.ads_dir(campaign)
    jobs: list[CopyJob] = []
    for image in images:
        stem = image.stem
        try:
            check_name(stem, "image file")
        except ConfigError:
            raise ConfigError(f"image name {stem!r} cannot name an ad (use letters, digits, '.', '_', '-')",
                              file=str(image), hint="rename the image file") from None
        if stem in RESERVED_STEMS or stem.endswith(".upload"):
            raise ConfigError(f"image name {stem!r} would overwrite a kit file", file=str(image),
                              hint="rename the image file")
        clash = next((j for j in jobs if j.stem == stem), None)
        if clash:
            raise ConfigError(f"{clash.image.name} and {image.name} would both write {stem}.json",
                              file=str(image), hint="rename one of them")
        jobs.append(CopyJob(image, ads_dir / f"{stem}{suffix}.json", _storage(settings, campaign, image)))
    if not force:
        existing = [p for j in jobs for p in (j.spec_path, j.doc_path) if p.exists()]
        if existing:
            raise ConfigError("already exists; copy is not overwritten", file=str(existing[0]),
                              hint="pass --force to overwrite it, or rename the image")
    return jobs


def _storage(settings: Settings, campaign: str, image: Path) -> Path | None:
    """Where an image from outside the workspace will be kept: ``campaigns/CAMPAIGN/images/NAME``
    (a workspace stays self-contained and shareable through git). None when it is inside already."""
    if image.resolve().is_relative_to(settings.workspace.resolve()):
        return None
    folder = settings.campaign_dir(campaign) / ("videos" if is_video(image) else "images")
    data = image.read_bytes()
    dest, n = folder / image.name, 1
    while dest.exists() and dest.read_bytes() != data:  # another image of that name: keep both
        n += 1
        dest = folder / f"{image.stem}-{n}{image.suffix}"
    return dest


def keep_image(job: CopyJob) -> None:
    """Copy an outside image into the campaign's images/ (atomically; once)."""
    if job.stored is not None and not job.stored.exists():
        write_bytes_atomic(job.stored, job.image.read_bytes())


def landing_page(settings: Settings, campaign: str) -> str:
    """The destination every CTA links to: stack.md's destination_url, else the batch config's."""
    if settings.stack.destination_url:
        return settings.stack.destination_url
    path = settings.batch_config_path(campaign)
    data = read_json_file(path) if path.exists() else None
    url = data.get("destination_url") if isinstance(data, dict) else None
    if isinstance(url, str) and url:
        return url
    raise ConfigError("no landing page: the call to action needs a destination_url",
                      file=str(settings.brand_dir / "stack.md"), field="destination_url",
                      hint="add `destination_url: https://…` to brand/stack.md")


def check_batch_file(settings: Settings, campaign: str) -> None:
    """An existing batch config must parse before anything is generated to add to it."""
    path = settings.batch_config_path(campaign)
    if path.exists():
        load_batch_config(path)


# ---------------------------------------------------------------- writing


def display_path(settings: Settings, path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default the workspace) when inside it, else absolute."""
    base = base or settings.workspace
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def write_copy(settings: Settings, campaign: str, job: CopyJob, spec: AssetFeedSpec, notes: str) -> None:
    """``{stem}.json`` (what the upload sends) and ``{stem}.md`` (what people review), atomically;
    an image from outside the workspace is copied into the campaign's images/ first."""
    keep_image(job)
    write_json_atomic(job.spec_path, spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    doc = render_copy_doc(
        spec,
        title=job.stem,
        campaign=campaign,
        image=display_path(settings, job.in_workspace, settings.campaign_dir(campaign)),
        notes=notes,
    )
    write_text_atomic(job.doc_path, doc)


def extend_batch(settings: Settings, campaign: str, jobs: list[CopyJob]) -> BatchUpdate:
    """Create or extend ``batch-upload.json``: one ad per image, none added twice."""
    path = settings.batch_config_path(campaign)
    created = not path.exists()
    data: dict[str, Any] = _new_batch(settings, campaign) if created else read_json_file(path)
    ads: list[dict[str, Any]] = data.setdefault("ads", [])
    launch_adset = _launch_adset(data)
    prefix = _path_prefix(settings, ads)
    names = {ad.get("name") for ad in ads if isinstance(ad, dict)}
    specs = {Path(str(ad.get("asset_feed_spec_path", ""))).stem for ad in ads if isinstance(ad, dict)}
    update = BatchUpdate(path, created)
    for job in jobs:
        if job.stem in names or job.stem in specs:
            update.skipped.append(job.stem)
            continue
        image = _inside_workspace(settings, campaign, job.in_workspace, update)
        if job.stored is not None:
            update.copied.append(display_path(settings, job.stored))
        ads.append({
            "name": job.stem,
            "video_path" if is_video(job.image) else "image_path": _styled(prefix, display_path(settings, image)),
            "asset_feed_spec_path": _styled(prefix, display_path(settings, job.spec_path)),
        } | ({"adset": launch_adset} if launch_adset else {}))
        names.add(job.stem)
        update.added.append(job.stem)
    if update.added or created:
        write_json_atomic(path, data)
    adset_id = data.get("adset_id") or settings.stack.default_adset_id
    update.missing = [k for k, v in (("adset_id", adset_id or launch_adset),
                                     ("page_id", data.get("page_id") or settings.stack.page_id)) if not v]
    if launch_adset:
        update.launch = True
        update.adset = f"the new ad set {launch_adset!r} of the campaign this config launches"
    elif adset_id:
        update.adset = f"ad set {adset_id}" + ("" if data.get("adset_id") else " (default_adset_id in brand/stack.md)")
    return update


def _inside_workspace(settings: Settings, campaign: str, image: Path, update: BatchUpdate) -> Path:
    """An image from outside the workspace is copied into the campaign's ``images/`` folder, so the
    batch names only workspace files (upload refuses others) and travels with the workspace."""
    if settings.outside_problem(image) is None:
        return image
    folder = settings.campaign_dir(campaign) / "images"
    data = image.read_bytes()
    target = folder / image.name
    n = 1
    while target.exists() and target.read_bytes() != data:
        n += 1
        target = folder / f"{image.stem}-{n}{image.suffix}"
    if not target.exists():
        write_bytes_atomic(target, data)
    update.copied.append(display_path(settings, target))
    return target


def _new_batch(settings: Settings, campaign: str) -> dict[str, Any]:
    """A new campaign starts a launch config (reference/launch.md): the campaign and one ad set to create,
    its budget left for the user to set, rather than borrowing another campaign's ad set."""
    stack = settings.stack
    fields = {"page_id": stack.page_id, "destination_url": stack.destination_url}
    return ({"campaign": {"name": campaign, "objective": "OUTCOME_SALES", "special_ad_categories": []}}
            | {k: v for k, v in fields.items() if v}
            | {"adsets": [{"name": NEW_ADSET, "daily_budget": None}], "ads": []})


def _launch_adset(data: dict[str, Any]) -> str | None:
    """In a launch config, the ad set new ads go to: the first one listed."""
    adsets = data.get("adsets")
    if not isinstance(adsets, list) or not adsets or not isinstance(adsets[0], dict):
        return None
    return str(adsets[0].get("name") or "") or None


def _styled(prefix: str, path: str) -> str:
    return path if Path(path).is_absolute() else prefix + path


def _path_prefix(settings: Settings, ads: list[Any]) -> str:
    """Follow the file's own style: ``workspace/campaigns/…`` if its entries are written that way."""
    lead = f"{settings.workspace.name}/"
    paths = [str(ad.get("asset_feed_spec_path", "")) for ad in ads if isinstance(ad, dict)]
    return lead if paths and all(p.startswith(lead) for p in paths) else ""
