"""The product's rules for copy and images, and Meta's asset_feed_spec limits.

Every finding carries severity, ad, file, field and message. Errors stop an ad from
being sent; warnings inform. Nothing here touches the network.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from skill import inputs
from skill.creative.checks import format_findings, stack_findings
from skill.creative.cta import NOT_IN_V26, PRODUCT_CTA_TYPES, cta_problem
from skill.creative.sources import ad_image_paths
from skill.errors import ConfigError
from skill.images import (
    ASPECT_RATIOS,
    MAX_BYTES,
    MIN_SIDE,
    SUPPORTED_FORMATS,
    ImageInfo,
    decode_problem,
    read_info,
)
from skill.models import (
    AdEntry,
    AssetFeedSpec,
    BatchConfig,
    load_batch_config,
    load_model,
    unknown_keys,
)
from skill.settings import Settings, check_name
from skill.video.probe import VideoInfo
from skill.video.rules import check_video

# The product's CTA list (what copy generation picks from); any of Meta's v26 values is accepted
# too. Both lists live in skill/creative/cta.py.
CTA_TYPES: tuple[str, ...] = PRODUCT_CTA_TYPES
CTA_NOT_IN_CURRENT_API = NOT_IN_V26

HEADLINE_SOFT, HEADLINE_HARD = 40, 50
BODY_MIN, BODY_MAX = 50, 500
DESCRIPTION_MAX = 30
MAX_BODIES = MAX_TITLES = MAX_DESCRIPTIONS = MAX_CTAS = MAX_LINK_URLS = 5
MAX_IMAGES = 10

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    ad: str | None = None
    file: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = " › ".join(p for p in (self.file, self.field) if p)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _error(message: str, **where: Any) -> Finding:
    return Finding("error", message, **where)


def _warning(message: str, **where: Any) -> Finding:
    return Finding("warning", message, **where)


# ---------------------------------------------------------------- copy


def validate_copy(spec: AssetFeedSpec, *, ad: str | None = None, file: str | None = None) -> list[Finding]:
    """Headline, body, description, CTA and count rules for one asset_feed_spec."""
    where = {"ad": ad, "file": file}
    found: list[Finding] = []
    found += _check_count("titles", "headline", len(spec.titles), 1, MAX_TITLES, where)
    found += _check_count("bodies", "body", len(spec.bodies), 1, MAX_BODIES, where)
    for i, title in enumerate(spec.titles):
        found += _check_headline(title.text, i, where)
    for i, body in enumerate(spec.bodies):
        found += _check_body(body.text, i, where)
    if not spec.descriptions:
        found.append(_warning("No description (optional but recommended)", field="descriptions", **where))
    found += _check_count("descriptions", "description", len(spec.descriptions), 0, MAX_DESCRIPTIONS, where)
    for i, desc in enumerate(spec.descriptions):
        n = len(desc.text)
        if n > DESCRIPTION_MAX:
            found.append(_error(f'Description "{desc.text}" exceeds {DESCRIPTION_MAX} chars ({n})',
                                field=f"descriptions[{i}].text", **where))
    found += _check_ctas(spec, where)
    found += _check_count("link_urls", "link URL", len(spec.link_urls), 0, MAX_LINK_URLS, where)
    found += [_warning(f"Unknown key {k!r} (ignored)", field=k, **where) for k in unknown_keys(spec)]
    found += check_text_and_links(spec, where)
    return found


def check_text_and_links(spec: AssetFeedSpec, where: dict[str, Any]) -> list[Finding]:
    """Copy without control or bidi characters, and links that are real web addresses."""
    found: list[Finding] = []
    texts = [(f"{kind}[{i}].text", t.text) for kind in ("titles", "bodies", "descriptions")
             for i, t in enumerate(getattr(spec, kind))]
    texts += [(f"call_to_actions[{i}].value.link_caption", c.value.link_caption)
              for i, c in enumerate(spec.call_to_actions) if c.value and c.value.link_caption]
    texts += [(f"link_urls[{i}].display_url", u.display_url) for i, u in enumerate(spec.link_urls) if u.display_url]
    for fld, text in texts:
        problem = inputs.text_problem(text)
        if problem:
            found.append(_error(f"Text {problem}", field=fld, **where))
    links = [(f"link_urls[{i}].website_url", u.website_url) for i, u in enumerate(spec.link_urls)]
    links += [(f"call_to_actions[{i}].value.link", c.value.link)
              for i, c in enumerate(spec.call_to_actions) if c.value and c.value.link is not None]
    for fld, url in links:
        problem = inputs.url_problem(url)
        if problem:
            found.append(_error(f"Link {problem}", field=fld, **where))
    return found


def _check_count(fld: str, what: str, n: int, lo: int, hi: int, where: dict[str, Any]) -> list[Finding]:
    if n < lo:
        return [_error(f"At least {lo} {what} required, found {n}", field=fld, **where)]
    if n > hi:
        return [_error(f"Too many {fld}: {n} (max {hi})", field=fld, **where)]
    return []


def _check_headline(text: str, i: int, where: dict[str, Any]) -> list[Finding]:
    n, fld = len(text), f"titles[{i}].text"
    if not text.strip():
        return [_error("Headline is empty", field=fld, **where)]
    if n > HEADLINE_HARD:
        return [_error(f'Headline "{text}" exceeds {HEADLINE_HARD} chars ({n})', field=fld, **where)]
    if n > HEADLINE_SOFT:
        return [_warning(f'Headline "{text}" is {n} chars; over {HEADLINE_SOFT} may be truncated on mobile',
                         field=fld, **where)]
    return []


def _check_body(text: str, i: int, where: dict[str, Any]) -> list[Finding]:
    n, fld = len(text), f"bodies[{i}].text"
    if n < BODY_MIN:
        return [_error(f"Body {i + 1} is {n} chars; minimum is {BODY_MIN}", field=fld, **where)]
    if n > BODY_MAX:
        return [_error(f"Body {i + 1} is {n} chars; maximum is {BODY_MAX}", field=fld, **where)]
    return []


def _check_ctas(spec: AssetFeedSpec, where: dict[str, Any]) -> list[Finding]:
    types = spec.cta_types()
    if not types:
        return [_error("No call to action; add one, e.g. LEARN_MORE", field="call_to_actions", **where)]
    found = []
    if len(types) > MAX_CTAS:
        found.append(_error(f"Too many call to actions: {len(types)} (max {MAX_CTAS})",
                            field="call_to_actions", **where))
    for cta in types:
        problem = cta_problem(cta)
        if problem:
            found.append(Finding(problem[0], problem[1], field="call_to_actions", **where))
    return found


# ---------------------------------------------------------------- images


def validate_image(path: Path, *, ad: str | None = None, field: str | None = None) -> tuple[list[Finding], ImageInfo | None]:
    """File exists, JPG/PNG by content, < 30 MB, ≥ 600x600, a supported aspect ratio."""
    where = {"ad": ad, "file": str(path), "field": field}
    try:
        info = read_info(path)
    except FileNotFoundError:
        return [_error(f"Image not found: {path}", **where)], None
    except OSError as exc:
        return [_error(f"Image unreadable: {exc.strerror or exc}", **where)], None
    if info.format is None:
        return [_error("Format not supported: unreadable or corrupt image (use JPG or PNG)", **where)], info
    if info.format not in SUPPORTED_FORMATS:
        return [_error(f"Format not supported: {info.format} (use JPG or PNG)", **where)], info
    found = []
    if info.size_bytes >= MAX_BYTES:
        found.append(_error(f"Image too large: {info.size_bytes / 1024 / 1024:.1f} MB (max 30 MB)", **where))
    if info.width < MIN_SIDE or info.height < MIN_SIDE:
        found.append(_error(f"Image too small: {info.width}x{info.height} (min {MIN_SIDE}x{MIN_SIDE})", **where))
    if info.aspect is None:
        ratios = ", ".join(ASPECT_RATIOS)
        found.append(_error(f"Unsupported aspect ratio: {info.width}x{info.height} (use {ratios})", **where))
    if not found:
        problem = decode_problem(path)
        if problem:
            found.append(_error(problem, **where))
    return found, info


# ---------------------------------------------------------------- batch


@dataclass
class AdCheck:
    """Everything validation learned about one ad of a batch."""

    index: int
    entry: AdEntry
    spec_path: Path
    image_paths: list[Path]
    spec: AssetFeedSpec | None = None
    images: list[ImageInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    video_path: Path | None = None  # a video ad: the MP4/MOV, its facts and its thumbnail file
    video: VideoInfo | None = None
    thumbnail_path: Path | None = None

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def combinations(self) -> int:
        if not self.spec:
            return 0
        return (len(self.image_paths) or int(self.video_path is not None)) * max(len(self.spec.titles), 1) * max(len(self.spec.bodies), 1)


@dataclass
class BatchCheck:
    """A validated batch: the config, resolved ids, and one AdCheck per ad."""

    config: BatchConfig
    config_path: Path
    adset_id: str | None
    page_id: str | None
    destination_url: str | None
    ads: list[AdCheck]
    findings: list[Finding] = field(default_factory=list)  # batch-level

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings) and all(a.ok for a in self.ads)

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + [f for a in self.ads for f in a.findings]


def resolve_config_path(settings: Settings, campaign: str, config: str | Path | None = None) -> Path:
    if config:
        return Path(config).expanduser().absolute()
    path = settings.batch_config_path(campaign)
    if not path.exists():
        known = settings.campaigns()
        hint = f"campaigns in {settings.workspace}: {', '.join(known)}" if known else (
            f"create {path} (see README), or pass --workspace / --config")
        raise ConfigError("batch config not found", file=str(path), hint=hint)
    return path


def validate_batch(settings: Settings, campaign: str | None = None, config: str | Path | None = None) -> BatchCheck:
    """Parse and check a whole batch. Raises ConfigError when the config itself is unusable."""
    if campaign:
        check_name(campaign, "campaign")
    path = resolve_config_path(settings, campaign or "", config) if (campaign or config) else None
    if path is None:
        raise ConfigError("name a campaign or pass --config FILE")
    cfg = load_batch_config(path)
    where = {"file": str(path)}
    findings = [_warning(f"Unknown key {k!r} (ignored)", field=k, **where) for k in unknown_keys(cfg)]
    if campaign and cfg.campaign != campaign:
        findings.append(_warning(f"config says campaign {cfg.campaign!r}; using it for ad names", field="campaign", **where))
    adset_id = cfg.adset_id or settings.stack.default_adset_id
    page_id = cfg.page_id or settings.stack.page_id
    if not adset_id and not cfg.is_launch:  # a launch config creates its ad sets (skill/launch/rules.py)
        findings.append(_error("adset_id missing (set it here or default_adset_id in brand/stack.md)", field="adset_id", **where))
    if not page_id:
        findings.append(_error("page_id missing (set it here or page_id in brand/stack.md)", field="page_id", **where))
    findings += _check_names(cfg, path)
    findings += [Finding(sev, msg, file=str(settings.brand_dir / "stack.md"), field=fld)
                 for sev, msg, fld in stack_findings(settings.stack, cfg)]
    ads = [_check_ad(settings, cfg, i, entry, path) for i, entry in enumerate(cfg.ads)]
    destination = cfg.destination_url or settings.stack.destination_url
    if not destination:
        links = [c.value.link for a in ads if a.spec for c in a.spec.call_to_actions if c.value and c.value.link]
        destination = links[0] if links else None
    if not destination:
        findings.append(_error("destination_url missing (the landing page every ad links to)",
                               field="destination_url", **where))
    return BatchCheck(cfg, path, adset_id, page_id, destination, ads, findings)


def _check_names(cfg: BatchConfig, path: Path) -> list[Finding]:
    found, seen = [], set()
    for i, entry in enumerate(cfg.ads):
        fld = f"ads[{i}].name"
        try:
            check_name(entry.name, "ad")
            check_name(entry.stem, "asset_feed_spec file")
        except ConfigError as exc:
            found.append(_error(exc.message, ad=entry.name, file=str(path), field=fld))
        if entry.name in seen:
            found.append(_error(f"Duplicate ad name {entry.name!r} in this batch", ad=entry.name, file=str(path), field=fld))
        seen.add(entry.name)
    stems = [e.stem for e in cfg.ads]
    for stem in sorted({s for s in stems if stems.count(s) > 1}):
        found.append(_error(f"Several ads share the spec file {stem}.json; outputs would collide",
                            file=str(path), field="ads[].asset_feed_spec_path"))
    return found


def _check_ad(settings: Settings, cfg: BatchConfig, i: int, entry: AdEntry, config_path: Path) -> AdCheck:
    base = config_path.parent
    spec_path = settings.resolve(entry.asset_feed_spec_path, base)
    image_paths, fetch_error = ad_image_paths(settings, entry, base, cfg.campaign)
    check = AdCheck(i, entry, spec_path, image_paths)
    ad = entry.name
    if fetch_error:
        check.findings.append(_error(fetch_error, ad=ad, file=str(config_path), field=f"ads[{i}].image_url"))
    outside = _outside_findings(settings, entry, i, spec_path, image_paths, str(config_path))
    if outside:
        check.findings += outside
        return check  # nothing outside the workspace is read, not even to check it
    check.findings += [_warning(f"Unknown key {k!r} (ignored)", ad=ad, file=str(config_path), field=f"ads[{i}].{k}")
                       for k in unknown_keys(entry)]
    if not spec_path.exists():
        check.findings.append(_error(f"asset_feed_spec not found: {spec_path}", ad=ad, file=str(config_path),
                                     field=f"ads[{i}].asset_feed_spec_path"))
    else:
        try:
            check.spec = load_model(AssetFeedSpec, spec_path)
        except ConfigError as exc:
            check.findings.append(_error(exc.message, ad=ad, file=str(spec_path), field=exc.field))
        else:
            check.findings += validate_copy(check.spec, ad=ad, file=str(spec_path))
    if len(image_paths) > MAX_IMAGES:
        check.findings.append(_error(f"Too many images: {len(image_paths)} (max {MAX_IMAGES})", ad=ad,
                                     file=str(config_path), field=f"ads[{i}].image_paths"))
    for j, img in enumerate(image_paths):
        fld = f"ads[{i}].image_paths[{j}]" if entry.image_paths else f"ads[{i}].image_path"
        found, info = validate_image(img, ad=ad, field=fld)
        check.findings += found
        if info:
            check.images.append(info)
    check.findings += [Finding(sev, msg, ad=ad, file=str(config_path), field=f"ads[{i}].{fld}")
                       for sev, msg, fld in format_findings(entry, check.spec, check.images, settings.stack, cfg)]
    if entry.video_path:
        _check_video_ad(settings, check, base, config_path)
    return check


def _check_video_ad(settings: Settings, check: AdCheck, base: Path, config_path: Path) -> None:
    """A video ad: the video's rules (skill/video/rules.py) and, if named, its thumbnail image.
    Like images, files outside the workspace (or an allowed folder) are refused, not read."""
    i, entry = check.index, check.entry
    check.video_path = settings.resolve(entry.video_path or "", base)
    check.thumbnail_path = settings.resolve(entry.thumbnail_path, base) if entry.thumbnail_path else None
    named = [(f"ads[{i}].video_path", check.video_path), (f"ads[{i}].thumbnail_path", check.thumbnail_path)]
    outside = [_error(problem, ad=entry.name, file=str(config_path), field=fld)
               for fld, path in named if path and (problem := settings.outside_problem(path))]
    check.findings += outside
    if outside:
        return
    rules, check.video = check_video(check.video_path)
    check.findings += [Finding(r.severity, r.message, ad=entry.name, file=str(check.video_path),
                               field=f"ads[{i}].video_path") for r in rules]
    if check.thumbnail_path is not None:
        found, _ = validate_image(check.thumbnail_path, ad=entry.name, field=f"ads[{i}].thumbnail_path")
        check.findings += found


def _outside_findings(settings: Settings, entry: AdEntry, i: int, spec_path: Path, image_paths: list[Path],
                      config: str) -> list[Finding]:
    """Files a batch names must be inside the workspace (symlinks followed) or an allowed folder."""
    named = [(f"ads[{i}].asset_feed_spec_path", spec_path)]
    named += [(f"ads[{i}].image_paths[{j}]" if entry.image_paths else f"ads[{i}].image_path", p)
              for j, p in enumerate(image_paths)]
    found = []
    for fld, path in named:
        problem = settings.outside_problem(path)
        if problem:
            found.append(_error(problem, ad=entry.name, file=config, field=fld))
    return found
