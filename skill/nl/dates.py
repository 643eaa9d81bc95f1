"""Dates in plain words → Meta date presets or a since/until range (pure functions, no I/O).

"last week" → ``last_7d``, "this month" → ``this_month``, "last 10 days", "since March 1",
"since monday", "on friday", "2026-03-01 to 2026-03-07" → ``since`` / ``until``.
"""

from __future__ import annotations

from datetime import date, timedelta

from skill.nl.lazyre import lazy

NUMBER = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty|ninety)"
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "fourteen": 14, "thirty": 30, "ninety": 90, "a": 1, "a couple of": 2,
}
ISO_DATE = lazy(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


def as_number(raw: str) -> int | None:
    raw = raw.strip().lower()
    return int(raw) if raw.isdigit() else WORD_NUMBERS.get(raw)


# Meta's date presets. Order matters: longer, more specific phrases first.
_PRESET_PHRASES: list[tuple[str, str]] = [
    (r"\b(today|so far today|this morning|right now)\b", "today"),
    (r"\b(yesterday|last night)\b", "yesterday"),
    (r"\b(this week|week to date|wtd|so far this week)\b", "this_week_mon_today"),
    (r"\b(last|past|previous|prior) (calendar )?week\b|\b(a|one) week\b|\bweekly\b", "last_7d"),
    (r"\b(last|past|previous) (two|2) weeks\b|\bfortnight\b", "last_14d"),
    (r"\b(last|past|previous) (four|4) weeks\b", "last_28d"),
    (r"\b(this month|month to date|mtd|so far this month)\b", "this_month"),
    (r"\b(last|previous|prior) (calendar )?month\b", "last_month"),
    (r"\bpast month\b", "last_30d"),
    (r"\b(last|past|previous) (three|3) months\b", "last_90d"),
    (r"\b(this quarter|quarter to date|qtd)\b", "this_quarter"),
    (r"\b(last|previous|prior) quarter\b", "last_quarter"),
    (r"\bpast quarter\b", "last_90d"),
    (r"\b(this year|year to date|ytd)\b", "this_year"),
    (r"\b(last|previous|prior) year\b", "last_year"),
    (r"\b(past|last) (few|couple( of)?) days\b", "last_3d"),
    (r"\b(all[- ]time|lifetime|ever|since (launch|the start|the beginning|we (started|launched)))\b", "maximum"),
]
_PRESETS = [(lazy(p), preset) for p, preset in _PRESET_PHRASES]
_LAST_N_DAYS = lazy(r"\b(?:last|past|previous|prior)\s+" + NUMBER + r"\s+days?\b")
_DAY_PRESETS = {3: "last_3d", 7: "last_7d", 14: "last_14d", 28: "last_28d", 30: "last_30d", 90: "last_90d"}

_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(_MONTHS)
_MONTH_DAY = lazy(r"\b(" + _MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                  r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_NAMES + r")\b")
_RANGE_WORDS = lazy(r"\b(from|since|between|after|starting)\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?"
_SINCE_WEEKDAY = lazy(r"\b(?:since|from|starting|starting from|after)\s+(?:last\s+|this\s+|this past\s+)?"
                      + _WEEKDAY + r"\b")
_ON_WEEKDAY = lazy(r"\b(?:on|last)\s+" + _WEEKDAY + r"\b")


def _weekday(prefix: str, today: date, strictly_before: bool) -> date:
    """The most recent such weekday (today counts unless ``strictly_before``)."""
    wanted = next(i for i, d in enumerate(WEEKDAYS) if d.startswith(prefix))
    back = (today.weekday() - wanted) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def weekday_range(text: str, today: date) -> dict[str, str]:
    """``since monday`` → Monday to today; ``on friday`` / ``last friday`` → that day."""
    if m := _SINCE_WEEKDAY.search(text):
        return {"since": _weekday(m.group(1), today, False).isoformat(), "until": today.isoformat()}
    if m := _ON_WEEKDAY.search(text):
        day = _weekday(m.group(1), today, True).isoformat()
        return {"since": day, "until": day}
    return {}


def find_dates(text: str, today: date) -> list[tuple[int, date]]:
    """Calendar dates written in the text (ISO, or a month name and a day), with their offsets."""
    found: list[tuple[int, date]] = []
    for m in ISO_DATE.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    for m in _MONTH_DAY.finditer(text):
        month = _MONTHS[m.group(1) or m.group(4)]
        day = int(m.group(2) or m.group(3))
        try:
            when = date(today.year, month, day)
        except ValueError:
            continue
        if when > today:
            when = when.replace(year=today.year - 1)
        found.append((m.start(), when))
    return sorted(found)


def date_range(text: str, today: date) -> dict[str, str]:
    """``{"date_preset": ...}`` or ``{"since": ..., "until": ...}`` for the dates the text names."""
    dates = find_dates(text, today)
    if len(dates) >= 2:
        first, second = sorted([dates[0][1], dates[1][1]])
        return {"since": first.isoformat(), "until": second.isoformat()}
    if len(dates) == 1:
        when = dates[0][1]
        if _RANGE_WORDS.search(text[: dates[0][0]]):
            return {"since": when.isoformat(), "until": today.isoformat()}
        return {"since": when.isoformat(), "until": when.isoformat()}
    if found := weekday_range(text, today):
        return found
    m = _LAST_N_DAYS.search(text)
    if m:
        n = as_number(m.group(1)) or 0
        if n in _DAY_PRESETS:
            return {"date_preset": _DAY_PRESETS[n]}
        if n > 0:
            return {"since": (today - timedelta(days=n)).isoformat(), "until": (today - timedelta(days=1)).isoformat()}
    for pattern, preset in _PRESETS:
        if pattern.search(text):
            return {"date_preset": preset}
    return {}
