"""Whether a route can run here: names the workspace lacks, ads not uploaded yet.

Used by the router on the user's words (``unknown_names``) and by ``route`` / ``ask`` on any
route, the model's too (``cannot_run``): nothing runs on a guessed name.
"""

from __future__ import annotations

from typing import Any

from skill.nl import names
from skill.nl.mentions import Mentions, Vocabulary

REPORTS = {"insights", "daily_check", "bleeders", "winners", "fatigue"}


def unknown_names(m: Mentions, vocab: Vocabulary, tool: str) -> str | None:
    """A name the workspace doesn't have: never run on a guess; say the close names or the list."""
    unknown = [n for n in m.unknown if not (tool == "copy" and not m.campaigns and not _close(n, m, vocab))]
    if not unknown:
        return None
    name = unknown[0]
    close = _close(name, m, vocab)
    is_ad = (bool(close) and all(c not in vocab.campaigns for c in close)) or name in m.unknown_ads
    text = f"No {'ad' if is_ad else 'campaign'} called {name!r} in the workspace"
    if close:
        text += ". Did you mean " + " or ".join(close) + "?"
        return text if is_ad else text + " Campaigns: " + ", ".join(vocab.campaigns) + "."
    if is_ad or tool in ("pause", "activate") or (tool in REPORTS and vocab.all_ad_names() and not vocab.campaigns):
        return text + "; ads: " + ", ".join(vocab.all_ad_names()[:12]) + "."
    listed = ", ".join(vocab.campaigns) if vocab.campaigns else "none yet (workspace/campaigns/ is empty)"
    return text + f"; campaigns: {listed}."


def _close(name: str, m: Mentions, vocab: Vocabulary) -> list[str]:
    if name in m.near:
        return [m.near[name]]
    return names.suggest(name, vocab.campaigns + vocab.all_ad_names())


def cannot_run(tool: str | None, args: dict[str, Any], reason: str | None, vocab: Vocabulary) -> str | None:
    """Why a tool call cannot run in this workspace (None when it can).

    The grammar reads names from the batch configs too; pause, activate and reports need the ads
    to be uploaded (a record with their id) or given as Meta ids, and a campaign folder to exist.
    """
    if tool is None:
        return reason
    campaign = args.get("campaign")
    if isinstance(campaign, str) and campaign not in vocab.campaigns and tool != "copy":
        listed = ", ".join(vocab.campaigns) or "none yet"
        return f"No campaign called {campaign!r} in the workspace; campaigns: {listed}."
    uploaded = set(vocab.ad_ids.values()) | set(vocab.ad_ids)
    uploaded |= {f"{c} - {n}" for c, ads in vocab.ads.items() for n in ads if n in uploaded}
    if tool in ("pause", "activate"):
        uploaded |= set(vocab.launched.values())  # a launched campaign is paused or activated whole
    if tool in REPORTS | {"pause", "activate"}:
        missing = [a for a in args.get("ads") or [] if a not in uploaded and not str(a).isdigit()]
        if missing:
            where = vocab.campaign_of(missing[0])
            upload = f" Upload first (ads are created PAUSED): meta-ads upload {where}" if where else ""
            return f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not uploaded yet, so there is " \
                   f"nothing to {(tool or '').replace('_', ' ')}.{upload}"
    return None
