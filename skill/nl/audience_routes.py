"""Requests about audiences and tracking: which of those tools, with which arguments.

Tried before the other intents (``router.route_grammar``), so "create an audience from
customers.csv" is a job, not a refusal. Reads the normalized text for the job and the raw
text for names and paths (their case is kept). Returns ``(tool, args, reason)``: no tool
with a reason when the job is clear but something it needs is missing; ``None`` when the
request is not about audiences or tracking at all.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from skill.nl.intents import DRY
from skill.nl.lazyre import lazy

Found = tuple[str | None, dict[str, Any], str | None]

PIXEL = lazy(r"\bpixel\b.*\b(check\w*|fir(e|es|ed|ing)|work\w*|health\w*|status|ok|okay|broken|track\w*|"
             r"count\w*|alive|dead|silent|verify|test)\b|\b(check|test|verify|inspect|audit)\w* (the |my |our )?"
             r"(meta |facebook )?pixel\b|\b(sales|purchases|conversions|leads|events) (being |getting )?"
             r"(tracked|counted|recorded)\b|\bis (the )?tracking (working|broken|ok)\b")
LIST = lazy(r"\b(list|show|see|view|display)\b( me)?( all| my| the| our)* (custom |saved )?audiences\b|"
            r"\b(what|which) (custom )?audiences\b|^\s*(my )?audiences\s*\??\s*$")
CSV = lazy(r"([\w./~-]+\.(?:csv|tsv))\b", re.IGNORECASE)
JSONL = lazy(r"([\w./~-]+\.jsonl)\b", re.IGNORECASE)
AUDIENCE_WORD = lazy(r"\b(audiences?|customer list|custom audience)\b")
CREATE = lazy(r"\b(create|make|build|upload|add|turn|set up|import)\b")
LOOKALIKE = lazy(r"\blook-?alikes?\b|\blal\b")
WEBSITE = lazy(r"\b(website|site|web) (visitors?|audience|traffic)\b|\bwho visited\b|\bvisitors? (of|to)\b")
CAPI = lazy(r"\b(capi|conversions? api|server[- ]side events?|server events?)\b")
NAMED = lazy(r"\b(?:called|named)\s+[\"'“]?([^\"'”]+?)[\"'”]?(?=\s+(?:from|with|in|of|using)\b|[.?!]?$)",
             re.IGNORECASE)
QUOTED = lazy(r"[\"“']([^\"”']{2,80})[\"”']")
PERCENT = lazy(r"\b(\d{1,2})\s*(%|percent|pct)")
DAYS = lazy(r"\b(?:last|past|within|in the last)\s+(\d{1,3})\s+days?\b")
TEST_CODE = lazy(r"\btest[ _-]?(?:event[ _-]?)?code\s*[:=]?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)
COUNTRIES = {"us": "US", "usa": "US", "united states": "US", "america": "US", "uk": "GB", "gb": "GB",
             "united kingdom": "GB", "britain": "GB", "canada": "CA", "ca": "CA", "australia": "AU", "au": "AU",
             "germany": "DE", "de": "DE", "france": "FR", "fr": "FR", "spain": "ES", "es": "ES", "italy": "IT",
             "brazil": "BR", "india": "IN", "mexico": "MX", "netherlands": "NL", "ireland": "IE"}
COUNTRY = lazy(r"\b(?:in|for|across|from)\s+(?:the\s+)?(" + "|".join(sorted(COUNTRIES, key=len, reverse=True))
               + r")\b")
URL_PART = lazy(r"\b(?:visited|viewed|went to|url contain\w*|urls? with|pages? (?:with|containing))\s+"
                r"(?:a |the |any )?(?:url |page |pages )?(?:containing |with )?[\"'“]?([\w/.#?=&-]+)[\"'”]?",
                re.IGNORECASE)
EVENT = lazy(r"\b(?:fired|triggered|did)\s+(?:a |an |the )?([A-Z][A-Za-z]+)\b")
HOW_TO = ("Which audience? From a customer list (\"create an audience called 'VIP buyers' from customers.csv\"), "
          "website visitors (\"a website audience of people who visited /cart in the last 14 days\") or a lookalike "
          "(\"a 1% lookalike of 'VIP buyers' in the US\").")
EVENT_WORDS = {"bought": "Purchase", "purchased": "Purchase", "buyers": "Purchase", "purchasers": "Purchase",
               "added to cart": "AddToCart", "started checkout": "InitiateCheckout", "signed up": "CompleteRegistration"}


def route_tracking(raw: str, t: str) -> Found | None:
    """The audience or tracking job ``t`` asks for, or None when it asks for something else."""
    dry = bool(DRY.search(t))
    if CAPI.search(t) or (JSONL.search(raw) and re.search(r"\b(send|post|upload)\b", t)):
        return _capi(raw, dry)
    if PIXEL.search(t):
        return "pixel_check", {}, None
    if LIST.search(t):
        return "audiences", {}, None
    if LOOKALIKE.search(t) and (CREATE.search(t) or QUOTED.search(raw) or " of " in t):
        return _lookalike(raw, t, dry)
    if CREATE.search(t) and (AUDIENCE_WORD.search(t) or CSV.search(raw)) and CSV.search(raw):
        return _customers(raw, dry)
    if AUDIENCE_WORD.search(t) and CREATE.search(t) and WEBSITE.search(t):
        return _website(raw, t, dry)
    if CREATE.search(t) and re.search(r"\b(an|a|new|the|my) (new )?(custom )?audience\b", t):
        return None, {}, HOW_TO
    return None


def _name(raw: str) -> str | None:
    match = NAMED.search(raw) or QUOTED.search(raw)
    return match.group(1).strip() if match else None


def _customers(raw: str, dry: bool) -> Found:
    path = CSV.search(raw).group(1)  # type: ignore[union-attr]
    args: dict[str, Any] = {"name": _name(raw) or PurePath(path).stem.replace("_", " ").replace("-", " "),
                            "customers": path}
    if dry:
        args["dry_run"] = True
    return "audience_create", args, None


def _lookalike(raw: str, t: str, dry: bool) -> Found:
    source = None
    quoted = QUOTED.search(raw)
    if quoted:
        source = quoted.group(1).strip()
    else:
        match = re.search(r"\b(?:of|from|like)\s+(?:my\s+|the\s+|our\s+)?(.+?)(?=\s+(?:in|for|across|at)\s|\s*[,.?!]|"
                          r"\s+\d|$)", raw, re.IGNORECASE)
        source = match.group(1).strip() if match else None
    country = COUNTRY.search(t)
    if not source or source.lower().endswith("audience") and len(source.split()) == 1:
        return None, {}, "Which audience should the lookalike be built from? e.g. \"a 1% lookalike of 'VIP buyers' " \
                         "in the US\""
    if not country:
        return None, {}, "In which country? e.g. \"a 1% lookalike of 'VIP buyers' in the US\""
    args: dict[str, Any] = {"source": source, "country": COUNTRIES[country.group(1)]}
    percent = PERCENT.search(t)
    if percent:
        args["percent"] = int(percent.group(1))
    if dry:
        args["dry_run"] = True
    return "audience_lookalike", args, None


def _website(raw: str, t: str, dry: bool) -> Found:
    args: dict[str, Any] = {}
    url = URL_PART.search(raw)
    if url:
        args["url_contains"] = url.group(1)
    event = EVENT.search(raw)
    if event:
        args["event"] = event.group(1)
    else:
        for words, name in EVENT_WORDS.items():
            if words in t:
                args["event"] = name
                break
    days = DAYS.search(t)
    if days:
        args["days"] = int(days.group(1))
    label = args.get("event") or ("Visitors " + args["url_contains"] if "url_contains" in args else "Website visitors")
    args = {"name": _name(raw) or f"{label} {args.get('days', 30)}d", **args}
    if dry:
        args["dry_run"] = True
    return "audience_website", args, None


def _capi(raw: str, dry: bool) -> Found:
    path = JSONL.search(raw)
    if not path:
        return None, {}, "Which events file? Server events go in a JSONL file, e.g. \"send events/purchases.jsonl " \
                         "to the Conversions API\""
    args: dict[str, Any] = {"file": path.group(1)}
    code = TEST_CODE.search(raw)
    if code:
        args["test_event_code"] = code.group(1)
    if dry:
        args["dry_run"] = True
    return "capi_send", args, None
