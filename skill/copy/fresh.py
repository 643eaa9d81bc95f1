"""A fresh angle for an ad that is tiring: the brief that asks for new copy, unlike the old.

``copy IMAGE --fresh-angle "lead with the time saved"`` writes ``{stem}-fresh.json`` beside the
ad's current ``{stem}.json``, which ``refresh`` and ``fatigue --refresh`` then use.
"""

from __future__ import annotations

from pathlib import Path

from skill.errors import ConfigError
from skill.models import AssetFeedSpec, load_model

FRESH_SUFFIX = "-fresh"
MAX_OLD_LINES = 8


def old_lines(spec_paths: list[Path]) -> list[str]:
    """The headlines and bodies the ads show now (what the new copy must not repeat)."""
    lines: list[str] = []
    for path in spec_paths:
        if not path.exists():
            continue
        try:
            spec = load_model(AssetFeedSpec, path)
        except ConfigError:
            continue
        lines += [t.text for t in spec.titles] + [b.text for b in spec.bodies]
    return lines[:MAX_OLD_LINES]


def fresh_brief(product: str | None, angle: str, spec_paths: list[Path]) -> str:
    """The product brief, plus the fresh-angle instruction and the lines to move away from."""
    parts = [product.strip()] if product and product.strip() else []
    parts.append(f"Fresh angle: the current ad is tired (falling CTR, high frequency). Write new copy from this "
                 f"angle: {angle.strip()}. Keep the offer and the facts; change the hook, the headline and the "
                 "opening line.")
    old = old_lines(spec_paths)
    if old:
        parts.append("Do not reuse or lightly reword these current lines: " + " | ".join(old))
    return "\n".join(parts)
