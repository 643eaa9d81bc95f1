"""Phrases that ask the kit to act: change a budget, pause the bleeders, scale the winners,
refresh the fatigued ads, show the change log.

Each returns the tool's arguments without ``yes``: the command previews first and the user's
own yes runs it (``router.finish`` drops any yes that reaches it).
"""

from __future__ import annotations

import re

from skill.nl.lazyre import lazy
from skill.nl.mentions import Mentions

QUESTION = lazy(r"\?|\b(should|which|what|any|anything|do i|do we|is it|are there|whether)\b")
BUDGET = lazy(r"\bbudgets?\b.*\b(to|by)\s+[$€£]?\d|\b(raise|increase|decrease|lower|reduce|cut|change|set|"
              r"double|halve|bump|boost|adjust|update|up)\b[^.?!]*\b(daily |lifetime )?(budgets?|bids?|"
              r"bid caps?|cost caps?)\b")
HISTORY = lazy(r"\b(change ?log|history|audit trail|what (did|have) (we|i|you) change\w*|what was changed|"
               r"who changed|recent changes|changes (did|have) (we|you) made|what changed)\b")
ACT_PAUSE = lazy(r"\b(pause|stop|kill|turn off|switch off|shut off|shut down|cut)\b (all |every )?(of )?"
                 r"(the |my |our |those |these |them )?(bleed\w*|losers?|money[- ]losing\w*|underperform\w*|"
                 r"worst|duds?)")
ACT_SCALE = lazy(r"\b(scale|raise|increase|boost|bump|double|grow|push)\b[^.?!]*\b(winn\w*|best|top)")
ACT_REFRESH = lazy(r"\b(refresh|replace|swap|rotate|renew)\b[^.?!]*\b(fatigu\w*|tired|stale|creatives?|"
                   r"worn|ads?)\b")
PERCENT = lazy(r"(\d+(?:\.\d+)?)\s*(%|percent|pct)")
AMOUNT = lazy(r"\bto\s+[$€£]?\s*(\d+(?:[.,]\d{1,2})?)\s*(dollars|usd|eur|euros|gbp|a day|/day|per day|daily)?")
LOWER = lazy(r"\b(decrease|lower|reduce|cut|drop|halve|trim|down)\b")
TARGET_PATTERNS = (
    lazy(r"\b(?:budget|bid(?: cap)?|cost cap)\s+(?:of|for|on)\s+(?:the\s+)?(?:ad ?set\s+|campaign\s+)?"
         r"(?P<t>.+?)\s+(?:to|by)\b", re.IGNORECASE),
    lazy(r"\b(?:raise|increase|decrease|lower|reduce|cut|change|set|double|halve|bump|boost|adjust|update)\s+"
         r"(?:the\s+)?(?:ad ?set\s+|campaign\s+)?(?P<t>.+?)(?:'s|s')?\s+(?:daily\s+|lifetime\s+)?"
         r"(?:budget|bid cap|cost cap|bid)\b", re.IGNORECASE),
)
NOT_TARGETS = {"the", "the daily", "my", "our", "its", "their", "it", "them", "this", "that", "daily", "lifetime"}
DEFAULT_SCALE = "20%"


def wants_budget(t: str) -> bool:
    return bool(BUDGET.search(t)) and not ACT_SCALE.search(t)


def wants_history(t: str) -> bool:
    return bool(HISTORY.search(t))


def action_args(tool: str, t: str) -> tuple[dict[str, object], list[str]]:
    """The acting option of a report the text asks to act on (an imperative, not a question)."""
    asks = bool(QUESTION.search(t))
    if tool == "bleeders" and ACT_PAUSE.search(t) and not asks:
        return {"pause": True}, []
    if tool == "winners" and ACT_SCALE.search(t) and not asks:
        pct = PERCENT.search(t)
        if pct:
            return {"scale": f"{pct.group(1)}%"}, []
        if re.search(r"\bdouble\b", t):
            return {"scale": "100%"}, []
        return {"scale": DEFAULT_SCALE}, [f"no percentage said: scaling by {DEFAULT_SCALE} (Meta's usual step)"]
    if tool == "fatigue" and ACT_REFRESH.search(t) and not asks:
        return {"refresh": True}, []
    return {}, []


def budget_args(raw: str, t: str, m: Mentions) -> tuple[dict[str, str] | None, str | None]:
    """``{"target", "daily" | "by" | "bid_cap"}`` from the user's own words, or the reason it can't."""
    target = _target(raw, m)
    if target is None:
        return None, ("I understood: change a budget or bid. I need: which ad set or campaign? Budgets and bids "
                      "are set per ad set, or on a campaign with a campaign budget: name it, e.g. "
                      "\"raise the budget of summer-sale-2026 - broad to 60\".")
    args: dict[str, str] = {"target": target}
    pct = PERCENT.search(t)
    amount = AMOUNT.search(t)
    if "bid cap" in t and amount:
        args["bid_cap"] = amount.group(1).replace(",", ".")
    elif "cost cap" in t and amount:
        args["cost_cap"] = amount.group(1).replace(",", ".")
    elif pct:
        args["by"] = f"{'-' if LOWER.search(t) else '+'}{pct.group(1)}%"
    elif re.search(r"\bdouble\b", t):
        args["by"] = "+100%"
    elif re.search(r"\bhalve\b", t):
        args["by"] = "-50%"
    elif amount:
        args["daily"] = amount.group(1).replace(",", ".")
    else:
        return None, f"I understood: change the budget of {target}. I need: to how much (\"to 60\") or by how much (\"by 20%\")?"
    return args, None


def _target(raw: str, m: Mentions) -> str | None:
    for pattern in TARGET_PATTERNS:
        found = pattern.search(raw)
        if found:
            target = found.group("t").strip().strip("\"'“”")
            if target.lower() not in NOT_TARGETS and not target.lower().startswith(("the daily", "my ", "our ")):
                return target
    if m.campaign_ids:
        return m.campaign_ids[0]
    return None
