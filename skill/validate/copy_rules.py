"""The copy rules for one asset_feed_spec: headline, body, description, CTA and count limits,
text without hidden characters, links that are web addresses."""

from __future__ import annotations

from typing import Any

from skill import inputs
from skill.creative.cta import NOT_IN_V26, PRODUCT_CTA_TYPES, cta_problem
from skill.models import AssetFeedSpec
from skill.validate.findings import Finding, error, warning
from skill.validate.keys import unknown_keys

# The product's CTA list (what copy generation picks from); any of Meta's v26 values is accepted
# too. Both lists live in skill/creative/cta.py.
CTA_TYPES: tuple[str, ...] = PRODUCT_CTA_TYPES
CTA_NOT_IN_CURRENT_API = NOT_IN_V26

HEADLINE_SOFT, HEADLINE_HARD = 40, 50
BODY_MIN, BODY_MAX = 50, 500
DESCRIPTION_MAX = 30
MAX_BODIES = MAX_TITLES = MAX_DESCRIPTIONS = MAX_CTAS = MAX_LINK_URLS = 5


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
        found.append(warning("No description (optional but recommended)", field="descriptions", **where))
    found += _check_count("descriptions", "description", len(spec.descriptions), 0, MAX_DESCRIPTIONS, where)
    for i, desc in enumerate(spec.descriptions):
        n = len(desc.text)
        if n > DESCRIPTION_MAX:
            found.append(error(f'Description "{desc.text}" exceeds {DESCRIPTION_MAX} chars ({n})',
                               field=f"descriptions[{i}].text", **where))
    found += _check_ctas(spec, where)
    found += _check_count("link_urls", "link URL", len(spec.link_urls), 0, MAX_LINK_URLS, where)
    found += [warning(f"Unknown key {k!r} (ignored)", field=k, **where) for k in unknown_keys(spec)]
    found += check_text_and_links(spec, where)
    return found


def check_text_and_links(spec: AssetFeedSpec, where: dict[str, Any]) -> list[Finding]:
    """Copy without control or bidi characters, and links that are real web addresses."""
    found: list[Finding] = []
    texts = [(kind, i, "text", t.text) for kind in ("titles", "bodies", "descriptions")
             for i, t in enumerate(getattr(spec, kind))]
    texts += [("call_to_actions", i, "value.link_caption", c.value.link_caption)
              for i, c in enumerate(spec.call_to_actions) if c.value and c.value.link_caption]
    texts += [("link_urls", i, "display_url", u.display_url) for i, u in enumerate(spec.link_urls) if u.display_url]
    for kind, i, part, text in texts:
        problem = inputs.text_problem(text)
        if problem:
            found.append(error(f"Text {problem}", field=f"{kind}[{i}].{part}", **where))
    links = [("link_urls", i, "website_url", u.website_url) for i, u in enumerate(spec.link_urls)]
    links += [("call_to_actions", i, "value.link", c.value.link)
              for i, c in enumerate(spec.call_to_actions) if c.value and c.value.link is not None]
    for kind, i, part, url in links:
        problem = inputs.url_problem(url)
        if problem:
            found.append(error(f"Link {problem}", field=f"{kind}[{i}].{part}", **where))
    return found


def _check_count(fld: str, what: str, n: int, lo: int, hi: int, where: dict[str, Any]) -> list[Finding]:
    if n < lo:
        return [error(f"At least {lo} {what} required, found {n}", field=fld, **where)]
    if n > hi:
        return [error(f"Too many {fld}: {n} (max {hi})", field=fld, **where)]
    return []


def _check_headline(text: str, i: int, where: dict[str, Any]) -> list[Finding]:
    n, fld = len(text), f"titles[{i}].text"
    if not text.strip():
        return [error("Headline is empty", field=fld, **where)]
    if n > HEADLINE_HARD:
        return [error(f'Headline "{text}" exceeds {HEADLINE_HARD} chars ({n})', field=fld, **where)]
    if n > HEADLINE_SOFT:
        return [warning(f'Headline "{text}" is {n} chars; over {HEADLINE_SOFT} may be truncated on mobile',
                        field=fld, **where)]
    return []


def _check_body(text: str, i: int, where: dict[str, Any]) -> list[Finding]:
    n, fld = len(text), f"bodies[{i}].text"
    if n < BODY_MIN:
        return [error(f"Body {i + 1} is {n} chars; minimum is {BODY_MIN}", field=fld, **where)]
    if n > BODY_MAX:
        return [error(f"Body {i + 1} is {n} chars; maximum is {BODY_MAX}", field=fld, **where)]
    return []


def _check_ctas(spec: AssetFeedSpec, where: dict[str, Any]) -> list[Finding]:
    types = spec.cta_types()
    if not types:
        return [error("No call to action; add one, e.g. LEARN_MORE", field="call_to_actions", **where)]
    found = []
    if len(types) > MAX_CTAS:
        found.append(error(f"Too many call to actions: {len(types)} (max {MAX_CTAS})",
                           field="call_to_actions", **where))
    for cta in types:
        problem = cta_problem(cta)
        if problem:
            found.append(Finding(problem[0], problem[1], field="call_to_actions", **where))
    return found
