"""Server events through the Conversions API: ``POST /{pixel}/events``, checked and hashed first.

``events.jsonl`` holds one event a line, as Meta documents server events (``event_name``,
``event_time``, ``event_id``, ``action_source``, ``event_source_url``, ``user_data``,
``custom_data``). Before anything is sent every line is checked (a bad line is reported by
number and nothing is sent): ``event_id`` is required (the pixel and the server send the
same id, so Meta counts the purchase once), ``event_time`` must be within the last 7 days
(Meta rejects the whole request otherwise), website events need ``event_source_url`` and
``user_data.client_user_agent``. ``user_data`` keys Meta wants hashed are normalised and
SHA-256 hashed here (values already hashed pass through); ``external_id`` is hashed the same
way as in customer lists. Events go in batches of 1,000, Meta's maximum. Sending again is
safe: Meta drops repeats of an ``event_name`` + ``event_id`` within 48 hours.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.audiences import normalize as norm
from skill.errors import ConfigError
from skill.events import Event, Reporter, silent

MAX_EVENTS = 1000
MAX_AGE_S = 7 * 86400
ACTION_SOURCES = ("email", "website", "app", "phone_call", "chat", "physical_store", "system_generated",
                  "business_messaging", "other")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
UNHASHED_IDS = frozenset({"client_ip_address", "fbc", "fbp", "madid", "anon_id", "subscription_id", "fb_login_id",
                          "lead_id", "ctwa_clid", "page_id"})
NOT_SHOWN = "(sent as it is; not shown)"


class CapiResult(BaseModel):
    pixel_id: str
    events: int
    batches: int
    events_received: int = 0
    messages: list[str] = []
    fbtrace_ids: list[str] = []
    test_event_code: str | None = None
    dry_run: bool = False
    sample: dict[str, Any] | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.dry_run or self.events_received == self.events else 1

    def render_text(self) -> str:
        where = f" as test events (code {self.test_event_code}: see Events Manager › Test events)" \
            if self.test_event_code else ""
        if self.dry_run:
            head = f"Dry run: {self.events} event(s) checked and hashed, {self.batches} batch(es) for pixel " \
                   f"{self.pixel_id}{where}; nothing sent. First event as it would be sent:"
            return head + "\n" + json.dumps(self.sample, indent=2)
        lines = [f"Sent {self.events} event(s) to pixel {self.pixel_id} in {self.batches} batch(es){where}: "
                 f"Meta accepted {self.events_received}."]
        lines += [f"  Meta says: {m}" for m in self.messages]
        if self.fbtrace_ids:
            lines.append(f"  fbtrace_id {', '.join(self.fbtrace_ids)}")
        return "\n".join(lines)


# ---------------------------------------------------------------- checking and hashing


def hash_user_data(user: dict[str, Any]) -> dict[str, Any]:
    """Meta's CAPI keys normalised and hashed; raises norm.BadValue naming the key (never the value)."""
    out = dict(user)
    raw_country = user.get("country")
    country = None
    if isinstance(raw_country, str) and raw_country and not SHA256.match(raw_country):
        country = _field("country", norm.country, raw_country)
    rules: dict[str, Any] = {"em": norm.email, "ph": lambda v: norm.phone(v, country), "fn": norm.name,
                             "ln": norm.name, "ge": norm.gender, "ct": norm.city, "st": norm.state,
                             "zp": lambda v: norm.zip_code(v, country), "country": norm.country,
                             "db": _birth_date, "external_id": norm.external_id}
    for key, rule in rules.items():
        value = user.get(key)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        hashed = [v if isinstance(v, str) and SHA256.match(v) else norm.sha256(_field(key, rule, str(v)))
                  for v in values]
        out[key] = hashed if isinstance(value, list) or key in ("em", "ph", "external_id") else hashed[0]
    return out


def _field(key: str, rule: Any, raw: str) -> str:
    try:
        return rule(raw)
    except norm.BadValue as exc:
        raise norm.BadValue(f"user_data.{key} {exc.reason}") from None


def _birth_date(raw: str) -> str:
    if re.fullmatch(r"\d{8}", raw.strip()):
        return raw.strip()
    year, month, day = norm.birth_date(raw)
    return f"{year}{month}{day}"


def _event_time(value: Any) -> int:
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return int(value)
    try:
        return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
    except ValueError:
        raise norm.BadValue("event_time is not Unix seconds or an ISO time") from None


def check_event(event: Any, now: float) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise norm.BadValue("is not a JSON object")
    for key in ("event_name", "event_id", "action_source"):
        if not event.get(key):
            hint = " (the same id the pixel sends, so Meta counts it once)" if key == "event_id" else ""
            raise norm.BadValue(f"{key} is required{hint}")
    if event["action_source"] not in ACTION_SOURCES:
        raise norm.BadValue(f"action_source must be one of {', '.join(ACTION_SOURCES)}")
    when = _event_time(event.get("event_time", now))
    if when < now - MAX_AGE_S:
        raise norm.BadValue("event_time is more than 7 days old: Meta would reject the whole batch")
    if when > now + 60:
        raise norm.BadValue("event_time is in the future")
    user = event.get("user_data")
    if not isinstance(user, dict) or not user:
        raise norm.BadValue("user_data is required (hashed email or phone, IP, user agent, fbp/fbc …)")
    if event["action_source"] == "website":
        if not event.get("event_source_url"):
            raise norm.BadValue("event_source_url is required for website events")
        if not user.get("client_user_agent"):
            raise norm.BadValue("user_data.client_user_agent is required for website events")
    return {**event, "event_time": when, "event_id": str(event["event_id"]), "user_data": hash_user_data(user)}


def load_events(path: Path, display: str, now: float | None = None) -> list[dict[str, Any]]:
    """Every event of a JSONL file, checked and hashed; the first bad line is a ConfigError."""
    now = time.time() if now is None else now
    events = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the events file ({type(exc).__name__})", file=display) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(check_event(json.loads(line), now))
        except ValueError as exc:  # norm.BadValue and JSON errors alike
            reason = exc.reason if isinstance(exc, norm.BadValue) else "is not valid JSON"
            raise ConfigError(f"line {number}: {reason}", file=display,
                              hint="fix that line; nothing was sent") from None
    if not events:
        raise ConfigError("no events in the file", file=display)
    return events


def _masked(event: dict[str, Any]) -> dict[str, Any]:
    """An event for display: identifiers Meta takes unhashed (IP, cookies, ids) are not shown."""
    user = {k: (NOT_SHOWN if k in UNHASHED_IDS else v) for k, v in event["user_data"].items()}
    return {**event, "user_data": user}


# ---------------------------------------------------------------- sending


def send_events(client: Any, pixel_id: str, events: list[dict[str, Any]], *, test_event_code: str | None = None,
                report: Reporter = silent) -> CapiResult:
    """Send checked, hashed events in batches of 1,000 and report what Meta accepted."""
    batches = [events[i:i + MAX_EVENTS] for i in range(0, len(events), MAX_EVENTS)]
    result = CapiResult(pixel_id=pixel_id, events=len(events), batches=len(batches), test_event_code=test_event_code)
    for n, batch in enumerate(batches, start=1):
        params: dict[str, Any] = {"test_event_code": test_event_code} if test_event_code else {}
        data = json.dumps(batch, separators=(",", ":")).encode()  # multipart: large batches encode fast
        answer = client.post(f"{pixel_id}/events", params, files={"data": (None, data, "application/json")},
                             idempotent=True)  # repeats are deduplicated by event_id
        result.events_received += int(answer.get("events_received") or 0)
        result.messages += [str(m) for m in answer.get("messages") or []]
        if answer.get("fbtrace_id"):
            result.fbtrace_ids.append(str(answer["fbtrace_id"]))
        report(Event("capi.batch", f"  Batch {n}/{len(batches)}: {len(batch)} event(s) sent, Meta received "
                     f"{answer.get('events_received', 0)}", {"batch": n, "sent": len(batch)}))
    return result


def send_file(settings: Any, client: Any, file: str, *, pixel: str | None = None, test_event_code: str | None = None,
              dry_run: bool = False, report: Reporter = silent) -> CapiResult:
    """``meta-ads capi send``: a JSONL file inside the workspace → checked, hashed, sent (or shown)."""
    from skill.audiences.customers import inside_workspace, shown_path

    path = inside_workspace(settings, file)
    events = load_events(path, shown_path(settings, path))
    report(Event("capi.checked", f"  {len(events)} event(s) checked; user data hashed on this machine"))
    batches = -(-len(events) // MAX_EVENTS)
    if dry_run:
        return CapiResult(pixel_id=pixel or "{pixel_id}", events=len(events), batches=batches,
                          test_event_code=test_event_code, dry_run=True, sample=_masked(events[0]))
    if pixel is None:
        from skill.tracking.pixel import default_pixel

        pixel = str(default_pixel(client, settings.require_ad_account())["id"])
    return send_events(client, pixel, events, test_event_code=test_event_code, report=report)
