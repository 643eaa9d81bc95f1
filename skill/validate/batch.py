"""A whole batch checked: the config, its names, the stack settings, and every ad (``ads.py``)."""

from __future__ import annotations

from pathlib import Path

from skill.creative.checks import stack_findings
from skill.errors import ConfigError
from skill.models import BatchConfig, load_batch_config
from skill.settings import Settings, check_name
from skill.validate.ads import AdChecker
from skill.validate.checks import BatchCheck
from skill.validate.findings import Finding, error, warning
from skill.validate.keys import unknown_keys


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


def validate_batch(settings: Settings, campaign: str | None = None, config: str | Path | None = None, *,
                   parsed: tuple[Path, BatchConfig] | None = None) -> BatchCheck:
    """Parse and check a whole batch. Raises ConfigError when the config itself is unusable.
    ``parsed``: the config file already parsed (path, model), used if it is this batch's file."""
    if campaign:
        check_name(campaign, "campaign")
    path = resolve_config_path(settings, campaign or "", config) if (campaign or config) else None
    if path is None:
        raise ConfigError("name a campaign or pass --config FILE")
    cfg = parsed[1] if parsed is not None and parsed[0] == path else load_batch_config(path)
    where = {"file": str(path)}
    findings = [warning(f"Unknown key {k!r} (ignored)", field=k, **where) for k in unknown_keys(cfg)]
    if campaign and cfg.campaign != campaign:
        findings.append(warning(f"config says campaign {cfg.campaign!r}; using it for ad names", field="campaign", **where))
    adset_id = cfg.adset_id or settings.stack.default_adset_id
    page_id = cfg.page_id or settings.stack.page_id
    if not adset_id and not cfg.is_launch:  # a launch config creates its ad sets (skill/launch/rules.py)
        findings.append(error("adset_id missing (set it here or default_adset_id in brand/stack.md)", field="adset_id", **where))
    if not page_id:
        findings.append(error("page_id missing (set it here or page_id in brand/stack.md)", field="page_id", **where))
    findings += _check_names(cfg, path)
    findings += [Finding(sev, msg, file=str(settings.brand_dir / "stack.md"), field=fld)
                 for sev, msg, fld in stack_findings(settings.stack, cfg)]
    ads = AdChecker(settings, cfg, path).check_all()
    destination = cfg.destination_url or settings.stack.destination_url
    if not destination:
        links = (c.value.link for a in ads if (spec := a.spec) for c in spec.call_to_actions if c.value and c.value.link)
        destination = next(links, None)
    if not destination:
        findings.append(error("destination_url missing (the landing page every ad links to)",
                              field="destination_url", **where))
    return BatchCheck(cfg, path, adset_id, page_id, destination, ads, findings)


def _check_names(cfg: BatchConfig, path: Path) -> list[Finding]:
    found, seen, stems = [], set(), {}
    for i, entry in enumerate(cfg.ads):
        fld, stem = f"ads[{i}].name", entry.stem
        try:
            check_name(entry.name, "ad")
            check_name(stem, "asset_feed_spec file")
        except ConfigError as exc:
            found.append(error(exc.message, ad=entry.name, file=str(path), field=fld))
        if entry.name in seen:
            found.append(error(f"Duplicate ad name {entry.name!r} in this batch", ad=entry.name, file=str(path), field=fld))
        seen.add(entry.name)
        stems[stem] = stems.get(stem, 0) + 1
    for stem in sorted(s for s, n in stems.items() if n > 1):
        found.append(error(f"Several ads share the spec file {stem}.json; outputs would collide",
                           file=str(path), field="ads[].asset_feed_spec_path"))
    return found
