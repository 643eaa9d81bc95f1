"""The checks Meta makes on audience fields: customer-list payloads and sessions, website rules,
lookalike specs. Each failure is an :class:`ApiError` shaped as Meta sends it.

Payloads (``POST /{audience}/users``): ``{"schema": KEY | [KEYS], "data": [[...], ...]}``, at most
10,000 rows a request. Keys that Meta wants hashed must carry SHA-256 hex (64 lowercase hex
characters); anything else is refused with code 100 (a sandbox choice: Meta documents counting
such rows in ``num_invalid_entries``; refusing makes a kit that leaks raw data fail loudly).
Rows of the wrong length or with every key empty are counted as invalid entries, as Meta does.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from skill.sandbox.errors import ApiError, invalid_param, missing_param

MAX_ROWS = 10_000
SESSION_TIMEOUT_S = 90 * 60
CUSTOMER_FILE_SOURCES = ("USER_PROVIDED_ONLY", "PARTNER_PROVIDED_ONLY", "BOTH_USER_AND_PARTNER_PROVIDED")
HASHED_KEYS = frozenset("EMAIL PHONE GEN DOBY DOBM DOBD LN FN FI CT ST ZIP COUNTRY".split())
PLAIN_KEYS = frozenset({"MADID", "EXTERN_ID"})
SINGLE_SCHEMAS = {"EMAIL_SHA256": "EMAIL", "PHONE_SHA256": "PHONE"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
RULE_OPERATORS = frozenset("= != >= > <= < i_contains i_not_contains contains not_contains is_any is_not_any "
                           "i_is_any i_is_not_any i_starts_with starts_with regex_match eq neq gt gte lt lte".split())
MAX_RULES = 10
MAX_FILTERS = 100
MAX_RETENTION_S = 365 * 86400
SUB_NOT_HASHED = 1713101     # sandbox: a hashed key holds something that is not SHA-256 hex
SUB_TOO_MANY_ROWS = 1713102  # sandbox: more than 10,000 rows in one request
SUB_BAD_SESSION = 1713103    # sandbox: session fields missing or out of order
SUB_INVALID_RULE = 1713098   # Meta: "Invalid rule JSON format"
SUB_SESSION_TIMEOUT = 1870158  # Meta (replace sessions): session timed out after 90 minutes
SUB_SESSION_DONE = 1870159     # Meta (replace sessions): session already finished


def _schema(payload: dict[str, Any]) -> list[str]:
    raw = payload.get("schema")
    if isinstance(raw, str) and raw in SINGLE_SCHEMAS:
        return [SINGLE_SCHEMAS[raw]]
    keys = [raw] if isinstance(raw, str) else raw
    if not isinstance(keys, list) or not keys:
        raise missing_param("payload.schema")
    unknown = [k for k in keys if k not in HASHED_KEYS | PLAIN_KEYS]
    if unknown or len(set(keys)) != len(keys):
        raise invalid_param("Invalid Schema", f"payload.schema has unknown or repeated keys: {unknown or keys}.")
    return keys


def read_payload(payload: Any) -> tuple[list[str], list[list[str]], list[str]]:
    """``(schema, valid rows, invalid samples)``; raises on what Meta refuses outright."""
    if not isinstance(payload, dict):
        raise missing_param("payload")
    schema = _schema(payload)
    data = payload.get("data")
    if not isinstance(data, list) or not data:
        raise missing_param("payload.data")
    if len(data) > MAX_ROWS:
        raise invalid_param("Too Many Users", f"payload.data has {len(data)} rows; at most {MAX_ROWS:,} are "
                            "accepted in one request. Split the list into batches of one session.", SUB_TOO_MANY_ROWS)
    rows: list[list[str]] = []
    invalid: list[str] = []
    for i, row in enumerate(data):
        values = [row] if isinstance(row, str) else row
        if not isinstance(values, list) or len(values) != len(schema) or not any(values):
            invalid.append(f"row {i}: expected {len(schema)} values")
            continue
        for key, value in zip(schema, values, strict=True):
            if key in HASHED_KEYS and value and not (isinstance(value, str) and SHA256.match(value)):
                raise invalid_param("Data Not Hashed", f"payload.data[{i}] {key} is not SHA-256 hashed. Normalise "
                                    "and hash every value except MADID and EXTERN_ID before sending.", SUB_NOT_HASHED)
        rows.append([str(v) for v in values])
    return schema, rows, invalid


def row_key(row: list[str]) -> str:
    return hashlib.sha256("|".join(row).encode()).hexdigest()[:16]


def check_session(session: Any, audience: dict[str, Any], now: float) -> dict[str, Any]:
    if not isinstance(session, dict):
        raise missing_param("session")
    try:
        session_id, seq = int(session.get("session_id")), int(session.get("batch_seq"))
    except (TypeError, ValueError):
        raise invalid_param("Invalid Session", "session.session_id and session.batch_seq must be integers.",
                            SUB_BAD_SESSION) from None
    if session_id <= 0 or seq <= 0:
        raise invalid_param("Invalid Session", "session.session_id and session.batch_seq must be positive.",
                            SUB_BAD_SESSION)
    record = audience.get("sessions", {}).get(str(session_id))
    seen = {int(s) for s in record["batches"]} if record else set()
    if seq in seen:
        return session  # the same batch again: accepted, counted once
    if record and record["stage"] == "finished":
        raise ApiError("(#2650) This session has already finished.", 2650, SUB_SESSION_DONE, "Session Finished",
                       "The upload session received its last batch; start a new session_id to add more.")
    if record and now - record["start_time"] > SESSION_TIMEOUT_S:
        raise ApiError("(#2650) The session timed out.", 2650, SUB_SESSION_TIMEOUT, "Session Timed Out",
                       "More than 90 minutes passed since the first batch; start a new session_id.")
    expected = max(seen, default=0) + 1
    if seq != expected:
        raise invalid_param("Invalid Batch Sequence", f"session.batch_seq {seq} is out of order; the next batch of "
                            f"session {session_id} is {expected}.", SUB_BAD_SESSION)
    return session


def check_lookalike_spec(spec: Any) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise missing_param("lookalike_spec")
    ratio = spec.get("ratio")
    if spec.get("type") in ("similarity", "reach"):  # a type wins over a ratio sent with it (Meta ignores the ratio)
        ratio = 0.01 if spec["type"] == "similarity" else 0.05
    try:
        ratio = round(float(ratio), 4)
    except (TypeError, ValueError):
        raise invalid_param("Invalid Lookalike Spec", "lookalike_spec needs a ratio (0.01 to 0.20) or a type.",
                            SUB_INVALID_RULE) from None
    if not 0.01 <= ratio <= 0.20 or abs(ratio * 100 - round(ratio * 100)) > 1e-6:
        raise invalid_param("Invalid Lookalike Ratio", f"lookalike_spec.ratio {ratio} must be 0.01 to 0.20 in steps "
                            "of 0.01.", SUB_INVALID_RULE)
    start = spec.get("starting_ratio")
    if start is not None and not 0 <= float(start) < ratio:
        raise invalid_param("Invalid Lookalike Spec", "lookalike_spec.starting_ratio must be below ratio.",
                            SUB_INVALID_RULE)
    country = spec.get("country")
    if not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)) and not spec.get("location_spec"):
        raise invalid_param("Missing Lookalike Country", "lookalike_spec needs country (ISO 3166-1 alpha-2, e.g. "
                            "US) or location_spec.", SUB_INVALID_RULE)
    return {**spec, "ratio": ratio}


def _bad_rule(msg: str) -> ApiError:
    return invalid_param("Invalid rule JSON format", msg, SUB_INVALID_RULE)


def check_rule(rule: Any, pixel_ids: set[str]) -> int:
    """Check a website audience rule; return its longest ``retention_seconds``."""
    if not isinstance(rule, dict) or not isinstance(rule.get("inclusions"), dict):
        raise _bad_rule("rule must be an object with inclusions {operator, rules}.")
    groups = [rule["inclusions"]] + ([rule["exclusions"]] if isinstance(rule.get("exclusions"), dict) else [])
    rules = [r for g in groups for r in (g.get("rules") or [])]
    if not rule["inclusions"].get("rules"):
        raise _bad_rule("rule.inclusions.rules must list at least one rule.")
    if len(rules) > MAX_RULES:
        raise _bad_rule(f"A rule set may hold at most {MAX_RULES} rules (inclusions and exclusions).")
    for g in groups:
        if g.get("operator") not in ("and", "or"):
            raise _bad_rule("inclusions.operator and exclusions.operator must be 'and' or 'or'.")
    longest = 0
    for i, r in enumerate(rules):
        longest = max(longest, _check_one_rule(r, i, pixel_ids))
    return longest


def _check_one_rule(r: Any, i: int, pixel_ids: set[str]) -> int:
    if not isinstance(r, dict):
        raise _bad_rule(f"rules[{i}] must be an object.")
    sources = r.get("event_sources")
    if not isinstance(sources, list) or not sources:
        raise _bad_rule(f"rules[{i}].event_sources must list the pixel, e.g. [{{\"id\": \"PIXEL\", \"type\": "
                        "\"pixel\"}].")
    for src in sources:
        if not isinstance(src, dict) or src.get("type") != "pixel" or str(src.get("id")) not in pixel_ids:
            raise _bad_rule(f"rules[{i}].event_sources: {src!r} is not a pixel of this ad account (the sandbox "
                            "emulates pixel sources only).")
    try:
        retention = int(r.get("retention_seconds"))
    except (TypeError, ValueError):
        raise _bad_rule(f"rules[{i}].retention_seconds is required (1 to {MAX_RETENTION_S}).") from None
    if not 1 <= retention <= MAX_RETENTION_S:
        raise _bad_rule(f"rules[{i}].retention_seconds must be 1 to {MAX_RETENTION_S} (365 days).")
    if r.get("filter") is not None and _count_filters(r["filter"], i) > MAX_FILTERS:
        raise _bad_rule(f"rules[{i}] has more than {MAX_FILTERS} filters.")
    return retention


def _count_filters(node: Any, i: int) -> int:
    if not isinstance(node, dict):
        raise _bad_rule(f"rules[{i}].filter must be an object.")
    if "filters" in node:
        if node.get("operator") not in ("and", "or") or not isinstance(node["filters"], list):
            raise _bad_rule(f"rules[{i}].filter needs operator 'and'/'or' and a list of filters.")
        return sum(_count_filters(f, i) for f in node["filters"])
    if not node.get("field") or node.get("operator") not in RULE_OPERATORS or "value" not in node:
        raise _bad_rule(f"rules[{i}].filter: each filter needs field, a known operator and value.")
    if node["field"] == "event" and node["operator"] not in ("=", "eq"):
        raise _bad_rule(f"rules[{i}].filter: a filter on field 'event' must use the operator 'eq'.")
    return 1
