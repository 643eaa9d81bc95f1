"""Report periods as dates: Meta's date presets made concrete, and the period before one.

``--compare previous`` reads the same number of days just before the period asked for (last_7d →
the 7 days before those). Dates are in the ad account's time zone as Meta counts them; the kit
uses the calendar day it runs on.
"""

from __future__ import annotations

from datetime import date, timedelta

from skill.errors import UsageError

NO_PREVIOUS = ("maximum", "data_maximum")


def preset_dates(preset: str, today: date) -> tuple[date, date]:
    """The first and last day of a Meta date preset (``last_7d`` = the 7 days ending yesterday)."""
    y = today - timedelta(days=1)
    simple = {"today": (today, today), "yesterday": (y, y), "this_month": (today.replace(day=1), today),
              "this_year": (today.replace(month=1, day=1), today),
              "this_week_mon_today": (today - timedelta(days=today.weekday()), today),
              "this_week_sun_today": (today - timedelta(days=(today.weekday() + 1) % 7), today)}
    if preset in simple:
        return simple[preset]
    if preset.startswith("last_") and preset.endswith("d") and preset[5:-1].isdigit():
        return y - timedelta(days=int(preset[5:-1]) - 1), y
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset in ("this_quarter", "last_quarter"):
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if preset == "this_quarter":
            return start, today
        end = start - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if preset in ("last_week_mon_sun", "last_week_sun_sat"):
        shift = today.weekday() if preset == "last_week_mon_sun" else (today.weekday() + 1) % 7
        start = today - timedelta(days=shift + 7)
        return start, start + timedelta(days=6)
    raise UsageError(f"--compare previous needs a period with dates; {preset!r} has none",
                     hint="use a preset such as last_7d or --since/--until")


def previous(since: str | None, until: str | None, preset: str | None, today: date) -> tuple[str, str]:
    """The period of the same length just before the one asked for, as ISO dates."""
    if since and until:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    else:
        if (preset or "") in NO_PREVIOUS:
            raise UsageError(f"--compare previous: {preset} has no period before it",
                             hint="use a preset such as last_30d, or --since/--until")
        first, last = preset_dates(preset or "last_7d", today)
    days = (last - first).days + 1
    return (first - timedelta(days=days)).isoformat(), (first - timedelta(days=1)).isoformat()
