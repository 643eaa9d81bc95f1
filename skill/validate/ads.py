"""Each ad of a batch checked: its files inside the workspace, its copy, its images, its format,
its video. What many ads share (a folder, an image, the same copy) is resolved, read, decoded and
checked once per batch (``BatchFiles``, ``ImageChecks``, ``SpecFiles``)."""

from __future__ import annotations

from pathlib import Path

from skill import inputs
from skill.creative.checks import format_findings
from skill.creative.sources import ad_image_paths
from skill.errors import ConfigError
from skill.images import ImageInfo
from skill.models import AdEntry, AssetFeedSpec, BatchConfig
from skill.settings import Settings
from skill.validate.checks import AdCheck
from skill.validate.files import BatchFiles
from skill.validate.findings import Finding, error, warning
from skill.validate.image_rules import ImageChecks
from skill.validate.keys import unknown_keys
from skill.validate.specs import SpecFiles

MAX_IMAGES = 10


class AdChecker:
    """The checks of one batch's ads, with what they share."""

    def __init__(self, settings: Settings, cfg: BatchConfig, config_path: Path) -> None:
        self.settings, self.cfg, self.config_path = settings, cfg, config_path
        self.config, self.base = str(config_path), config_path.parent
        self.roots = [settings.workspace, *settings.allowed_folders]
        self.files = BatchFiles(settings, self.base)
        self.outside: dict[Path, str | None] = {}
        self.lists: dict[tuple[str, ...], list[Path]] = {}
        self.infos: dict[tuple[ImageInfo, ...], list[ImageInfo]] = {}
        self.images = ImageChecks()
        self.specs = SpecFiles()

    def check_all(self) -> list[AdCheck]:
        return [self.check(i, entry) for i, entry in enumerate(self.cfg.ads)]

    def outside_problem(self, path: Path) -> str | None:
        if self.files.plainly_inside(path, self.roots):
            return None
        if path not in self.outside:
            self.outside[path] = inputs.outside_problem(path, self.roots, self.files.real)
        return self.outside[path]

    def check(self, i: int, entry: AdEntry) -> AdCheck:
        spec_path = self.files.resolve(entry.asset_feed_spec_path)
        if entry.image_url:
            image_paths, fetch_error = ad_image_paths(self.settings, entry, self.base, self.cfg.campaign)
        else:
            image_paths, fetch_error = self._image_paths(tuple(entry.images)), None
        check = AdCheck(i, entry, spec_path, image_paths)
        ad, found = entry.name, []
        if fetch_error:
            found.append(error(fetch_error, ad=ad, file=self.config, field=f"ads[{i}].image_url"))
        outside = self._outside(check)
        if outside:
            check.findings = found + outside
            return check  # nothing outside the workspace is read, not even to check it
        found += [warning(f"Unknown key {k!r} (ignored)", ad=ad, file=self.config, field=f"ads[{i}].{k}")
                  for k in unknown_keys(entry)]
        spec = self._spec(check, found)
        if len(image_paths) > MAX_IMAGES:
            found.append(error(f"Too many images: {len(image_paths)} (max {MAX_IMAGES})", ad=ad,
                               file=self.config, field=f"ads[{i}].image_paths"))
        found += self._images(check)
        found += [Finding(sev, msg, ad, self.config, f"ads[{i}].{fld}")
                  for sev, msg, fld in format_findings(entry, spec, check.images, self.settings.stack, self.cfg)]
        check.findings = found
        if entry.video_path:
            self._check_video(check)
        return check

    @staticmethod
    def _image_field(check: AdCheck, j: int) -> str:
        return f"ads[{check.index}].image_paths[{j}]" if check.entry.image_paths else f"ads[{check.index}].image_path"

    def _outside(self, check: AdCheck) -> list[Finding]:
        """Files a batch names must be inside the workspace (symlinks followed) or an allowed folder."""
        named = [(f"ads[{check.index}].asset_feed_spec_path", check.spec_path)]
        named += [(self._image_field(check, j), p) for j, p in enumerate(check.image_paths)]
        return [error(problem, ad=check.entry.name, file=self.config, field=fld)
                for fld, path in named if (problem := self.outside_problem(path))]

    def _images(self, check: AdCheck) -> list[Finding]:
        """Each image's findings (checked once a batch), and the ad's image facts."""
        found, infos = [], []
        for j, img in enumerate(check.image_paths):
            problems, info = self.images.check(img, check.entry.name, self._image_field(check, j))
            found += problems
            if info:
                infos.append(info)
        check.images = self.infos.setdefault(tuple(infos), infos)  # as image_paths: one list per distinct set
        return found

    def _image_paths(self, raw: tuple[str, ...]) -> list[Path]:
        """The files an ad names, as one list shared by every ad naming the same ones."""
        paths = self.lists.get(raw)
        if paths is None:
            paths = self.lists[raw] = [self.files.resolve(p) for p in raw]
        return paths

    def _spec(self, check: AdCheck, found: list[Finding]) -> AssetFeedSpec | None:
        i, ad, path = check.index, check.entry.name, check.spec_path
        if not self.files.exists(path):
            found.append(error(f"asset_feed_spec not found: {path}", ad=ad, file=self.config,
                               field=f"ads[{i}].asset_feed_spec_path"))
            return None
        try:
            text, spec, copy = self.specs.load(path, ad, self.files.text(path))
        except ConfigError as exc:
            found.append(error(exc.message, ad=ad, file=str(path), field=exc.field))
            return None
        if text is not None:
            check.keep_text(text)
        else:
            check.spec = spec
        found += copy
        return spec

    def _check_video(self, check: AdCheck) -> None:
        """A video ad: the video's rules (skill/video/rules.py) and, if named, its thumbnail image.
        Like images, files outside the workspace (or an allowed folder) are refused, not read."""
        from skill.video.rules import check_video

        i, entry = check.index, check.entry
        check.video_path = self.settings.resolve(entry.video_path or "", self.base)
        check.thumbnail_path = self.settings.resolve(entry.thumbnail_path, self.base) if entry.thumbnail_path else None
        named = [(f"ads[{i}].video_path", check.video_path), (f"ads[{i}].thumbnail_path", check.thumbnail_path)]
        outside = [error(problem, ad=entry.name, file=self.config, field=fld)
                   for fld, path in named if path and (problem := self.outside_problem(path))]
        if outside:
            check.findings = check.findings + outside
            return
        rules, check.video = check_video(check.video_path)
        found = [Finding(r.severity, r.message, entry.name, str(check.video_path), f"ads[{i}].video_path") for r in rules]
        if check.thumbnail_path is not None:
            found += self.images.check(check.thumbnail_path, entry.name, f"ads[{i}].thumbnail_path")[0]
        check.findings = check.findings + found
