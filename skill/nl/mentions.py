"""What a request names: campaigns and ads of the workspace, ad ids, images, files.

``Vocabulary`` is read once from the workspace (campaign folders, their batch configs and
upload records); ``find_mentions`` picks the names out of a request and returns the text
with them blanked out, so a name like ``hero-split-test`` never reads as the word "test".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from skill.errors import ConfigError
from skill.launch.record import launch_records
from skill.models import load_batch_config
from skill.nl import grammar, names
from skill.nl.lazyre import lazy
from skill.records import campaign_records
from skill.settings import Settings

# Hyphenated words that are plain language, never a campaign or ad name.
PLAIN_HYPHENATED = set("""
dry-run day-by-day check-in re-run re-upload re-check follow-up e-mail sign-up shop-now learn-more
all-time year-to-date month-to-date week-to-date week-over-week day-over-day top-performing
best-performing under-performing worst-performing high-performing low-performing call-to-action
time-series a-b split-testing mid-month non-stop step-by-step up-to-date real-time one-by-one
ad-set ad-sets ad-level adset-level campaign-level so-called pay-per-click cost-per-result
""".split())
PLAIN_PREFIXES = {"re", "un", "pre", "non", "co", "e", "a", "self", "x", "per", "money", "cash", "over", "under"}
CAMPAIGN_WORD = lazy(r"^campaigns?$")
_SLUG = lazy(r"(?<![\w./-])([a-z0-9]+(?:[-_][a-z0-9]+)+)(?![\w/-]|\.\w)")


@dataclass
class Vocabulary:
    """The names a request can use: campaigns, ad names, ad ids; and what day it is."""

    campaigns: list[str] = field(default_factory=list)
    ads: dict[str, list[str]] = field(default_factory=dict)  # campaign -> ad names
    stems: dict[str, str] = field(default_factory=dict)  # spec stem -> ad name
    ad_ids: dict[str, str] = field(default_factory=dict)  # ad id -> ad name
    uploaded: dict[str, list[str]] = field(default_factory=dict)  # campaign -> names with an upload record
    launched: dict[str, str] = field(default_factory=dict)  # campaign folder -> its launched campaign's name
    launchable: set[str] = field(default_factory=set)  # campaign folders whose batch config creates a campaign
    today: date = field(default_factory=date.today)

    @classmethod
    def from_settings(cls, settings: Settings, today: date | None = None) -> Vocabulary:
        vocab = cls(campaigns=settings.campaigns(), today=today or date.today())
        for campaign in vocab.campaigns:
            names = vocab.ads.setdefault(campaign, [])
            ads_dir = settings.workspace / "campaigns" / campaign / "ads"
            for path in sorted(ads_dir.glob("*.json")) if ads_dir.is_dir() else []:
                if path.name.endswith(".upload.json") or not _looks_like_batch(path):
                    continue
                try:
                    config = load_batch_config(path)
                except ConfigError:
                    continue
                if config.is_launch:
                    vocab.launchable.add(campaign)
                for ad in config.ads:
                    _add(names, ad.name)
                    vocab.stems.setdefault(ad.stem.lower(), ad.name)
            try:
                records = campaign_records(ads_dir)
            except ConfigError:
                records = []
            for _, rec in records:
                _add(names, rec.ad_name)
                _add(vocab.uploaded.setdefault(campaign, []), rec.ad_name)
                vocab.ad_ids[rec.ad_id] = rec.ad_name
        for path, launch in launch_records(settings.workspace):
            vocab.launched.setdefault(path.parent.parent.name, launch.campaign)
        return vocab

    def all_ad_names(self) -> list[str]:
        return [name for names in self.ads.values() for name in names]

    def campaign_of(self, ad_name: str) -> str | None:
        return next((c for c, names in self.ads.items() if ad_name in names), None)


def _add(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _looks_like_batch(path: Path) -> bool:
    """Batch configs have an ``ads`` list; asset_feed_specs do not (cheap check, no parse)."""
    try:
        head = path.read_text(encoding="utf-8")[:4096]
    except OSError:
        return False
    return '"ads"' in head


@dataclass
class Mentions:
    """What a request names, and its text with those names blanked out."""

    text: str
    campaigns: list[str] = field(default_factory=list)
    campaign_ids: list[str] = field(default_factory=list)
    ads: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    near: dict[str, str] = field(default_factory=dict)  # as written -> the known name it is close to
    unknown_ads: list[str] = field(default_factory=list)  # unknown names said as an ad ("the pink banner ad")
    images: list[str] = field(default_factory=list)
    configs: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    model: str | None = None


def _name_pattern(name: str) -> re.Pattern[str]:
    """``summer-sale-2026`` also as ``Summer Sale 2026`` or ``summer_sale_2026``."""
    parts = [re.escape(p) for p in re.split(r"[-_\s]+", name.lower()) if p]
    return re.compile(r"(?<![\w-])" + r"[-_\s]*".join(parts) + r"(?![\w-])")


def _core_pattern(name: str) -> re.Pattern[str] | None:
    """The name without its trailing number parts (``summer-sale-2026`` → ``summer sale``)."""
    parts = [p for p in re.split(r"[-_\s]+", name.lower()) if p]
    while parts and parts[-1].isdigit():
        parts.pop()
    if len(parts) < 2 or len(parts) == len([p for p in re.split(r"[-_\s]+", name) if p]):
        return None
    # "black friday 2024" is not black-friday-2025: a core followed by another number is another name
    return re.compile(r"(?<![\w-])" + r"[-_\s]+".join(re.escape(p) for p in parts) + r"(?![\w-])(?![-_\s]*\d)")


def _first_word_pattern(name: str, campaigns: list[str]) -> re.Pattern[str] | None:
    """``the summer campaign``: the name's first word, when no other campaign starts with it."""
    first = re.split(r"[-_\s]+", name.lower())[0]
    if len(first) < 4 or sum(1 for c in campaigns if c.lower().startswith(first)) != 1:
        return None
    return re.compile(r"(?<![\w-])" + re.escape(first) + r"\s+campaign\b")


def _blank(text: str, spans: list[tuple[int, int]], mark: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + f" {mark} " + text[end:]
    return text


def _take(text: str, pattern: re.Pattern[str], mark: str) -> tuple[str, int]:
    """Blank every match of ``pattern``; return the text and the first match's offset (-1: none)."""
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    return (_blank(text, spans, mark), spans[0][0]) if spans else (text, -1)


def find_mentions(raw: str, vocab: Vocabulary) -> Mentions:
    """Pick out images, files, quoted text, campaigns, ad names, ad ids and unknown names."""
    images, text = grammar.image_paths(raw)
    found = Mentions(text="", images=images, quoted=grammar.quoted(text))
    found.configs = [m.group(1) for m in grammar.JSON_PATH.finditer(text)]
    text = grammar.JSON_PATH.sub(" xfilex ", text)
    for q in found.quoted:
        text = text.replace(q, " ")
    low = text.lower().replace("\u2019", "'")
    model = grammar.MODEL_ID.search(low)
    if model:
        found.model = model.group(0)
        low = low.replace(model.group(0), " ")
    low = _campaigns(low, vocab, found)
    low = _ads(low, vocab, found)
    low = _ids(low, vocab, found)
    low = _unknown(low, found, vocab)
    for path in found.configs:  # a spec path names its campaign: campaigns/<c>/ads/<file>
        m = re.search(r"campaigns/([^/]+)/", path)
        if m and m.group(1) in vocab.campaigns and m.group(1) not in found.campaigns:
            found.campaigns.append(m.group(1))
    found.text = low
    return found


def _campaigns(low: str, vocab: Vocabulary, found: Mentions) -> str:
    hits: list[tuple[int, str]] = []
    for name in sorted(vocab.campaigns, key=len, reverse=True):
        low, at = _take(low, _name_pattern(name), "xcampx")
        if at < 0 and (core := _core_pattern(name)) is not None:
            low, at = _take(low, core, "xcampx")
        if at < 0 and (first := _first_word_pattern(name, vocab.campaigns)) is not None:
            low, at = _take(low, first, "xcampx campaign")
        if at >= 0:
            hits.append((at, name))
    found.campaigns = [name for _, name in sorted(hits)]
    return low


def _ads(low: str, vocab: Vocabulary, found: Mentions) -> str:
    hits: list[tuple[int, str]] = []
    for name in sorted(vocab.all_ad_names(), key=len, reverse=True):
        low, at = _take(low, _name_pattern(name), "xadx")
        if at >= 0:
            hits.append((at, name))
    for stem, name in vocab.stems.items():  # "the receipt ad", "notes-app", "the split test ad"
        parts = [re.escape(p) for p in re.split(r"[-_\s]+", stem) if p]
        words = r"(?<![\w-])" + r"[-_\s]+".join(parts) + r"(?=\s+(?:ad|ads|creative|creatives)\b)"
        pattern = re.compile(words + (r"|(?<![\w-])" + re.escape(stem) + r"(?![\w-])" if "-" in stem else ""))
        low, at = _take(low, pattern, "xadx")
        if at >= 0 and name not in [n for _, n in hits]:
            hits.append((at, name))
    found.ads = [name for _, name in sorted(hits)]
    return low


def _ids(low: str, vocab: Vocabulary, found: Mentions) -> str:
    spans = []
    for at, digits in grammar.ad_ids(low):
        before = low[max(0, at - 14):at]
        if re.search(r"campaign\s*(id)?\s*[:#]?\s*$", before):
            found.campaign_ids.append(digits)
        else:
            found.ads.append(digits)
        spans.append((at, at + len(digits)))
    return _blank(low, spans, "xidx")


def _unknown(low: str, found: Mentions, vocab: Vocabulary | None = None) -> str:
    """Names that look like a campaign or ad but are not in the workspace."""
    spans = []
    for m in _SLUG.finditer(low):
        slug = m.group(1)
        if (slug in PLAIN_HYPHENATED or slug.split("-")[0] in PLAIN_PREFIXES or grammar.ISO_DATE.fullmatch(slug)
                or grammar.CTA_SLUG.fullmatch(slug)):
            continue
        found.unknown.append(slug)
        spans.append((m.start(), m.end()))
    low = _blank(low, spans, "xunkx")
    known = (vocab.campaigns + vocab.all_ad_names()) if vocab else []
    spans = []
    for start, end, written, name in names.near_misses(low, known):
        found.unknown.append(written)
        found.near[written] = name
        spans.append((start, end))
    low = _blank(low, spans, "xunkx")
    spans = []
    for start, end, phrase in names.unknown_names(low):
        found.unknown.append(phrase)
        spans.append((start, end))
    low = _blank(low, spans, "xunkx")
    spans = []
    for start, end, phrase in names.unknown_ads(low):
        found.unknown.append(phrase)
        found.unknown_ads.append(phrase)
        spans.append((start, end))
    return _blank(low, spans, "xunkx")
