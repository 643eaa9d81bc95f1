"""What validation hands to the upload: ``AdCheck`` per ad and ``BatchCheck`` per batch.

An ``AdCheck`` is kept for every ad of a run, so it is small: slots, its copy kept as the spec
file's text (``spec`` parses it again on demand, shared between ads with the same copy), and no
findings list unless it has findings. ``image_paths`` and ``images`` are one list for all the ads
of a batch that name the same images: read them, never change them in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from skill.images import ImageInfo
from skill.models import AdEntry, AssetFeedSpec, BatchConfig
from skill.validate.findings import Finding
from skill.validate.specs import parsed
from skill.video.probe import VideoInfo


@dataclass(slots=True)
class AdCheck:
    """Everything validation learned about one ad of a batch."""

    index: int
    entry: AdEntry
    spec_path: Path
    image_paths: list[Path]  # shared by the ads naming the same images: never changed in place
    images: list[ImageInfo] = field(default_factory=list)  # the same
    video_path: Path | None = None  # a video ad: the MP4/MOV, its facts and its thumbnail file
    video: VideoInfo | None = None
    thumbnail_path: Path | None = None
    _spec: AssetFeedSpec | None = None  # the copy as a model, or as its file's text: see ``spec``
    _text: str | None = None
    _findings: list[Finding] | None = None  # None: no findings

    @property
    def spec(self) -> AssetFeedSpec | None:
        """The ad's parsed copy, or None when it did not load (or was let go: ``spec = None``)."""
        if self._spec is not None:
            return self._spec
        return parsed(self._text) if self._text is not None else None

    @spec.setter
    def spec(self, value: AssetFeedSpec | None) -> None:
        self._spec, self._text = value, None

    def keep_text(self, text: str) -> None:
        """Keep the copy as the text it was parsed from (validated already), not as a model."""
        self._spec, self._text = None, text

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = []  # asked for to be added to: a list of its own from now on
        return self._findings

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._findings = value or None

    def findings_or_none(self) -> list[Finding] | None:
        return self._findings

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self._findings or () if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self._findings or () if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self._findings or ())

    @property
    def combinations(self) -> int:
        spec = self.spec
        if not spec:
            return 0
        return (len(self.image_paths) or int(self.video_path is not None)) * max(len(spec.titles), 1) * max(len(spec.bodies), 1)


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
        return self.findings + [f for a in self.ads for f in a.findings_or_none() or ()]
