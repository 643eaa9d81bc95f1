"""``/{ad|adset|campaign|act}/insights``: sync (paged) and async report runs.

Delivery rule: an ad delivers every day from 28 days before it was created up to today
(see ``docs/sandbox.md``), whatever its status, so an ad uploaded a minute ago already
has ``last_7d`` data, until a status or budget change says otherwise (``delivery.py``:
a paused ad stops spending from that moment). Days are in the account's time zone (UTC).
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.sandbox import delivery, insights_report
from skill.sandbox import insights_data as data
from skill.sandbox.errors import ApiError, invalid_param
from skill.sandbox.fields import page
from skill.sandbox.insights_report import ID_FIELDS, Plan, rows_after
from skill.sandbox.request import Request, json_param, str_param
from skill.sandbox.state import ID_PREFIX

if TYPE_CHECKING:
    from skill.sandbox.api import Api

HISTORY_DAYS = 28
LEVELS = ("ad", "adset", "campaign", "account")
LEVEL_OF = {"ads": "ad", "adsets": "adset", "campaigns": "campaign", "accounts": "account"}
DEFAULT_FIELDS = "impressions,spend"


def today(api: Api | None = None) -> date:
    """The sandbox's today (its clock may be moved forward: ``clock_days``)."""
    return delivery.today(api) if api is not None else datetime.now(UTC).date()


def preset_range(preset: str, first_day: date, t: date | None = None) -> tuple[date, date]:
    """Meta's date presets (``last_7d`` = the 7 days ending yesterday)."""
    t = t or today()
    y = t - timedelta(days=1)
    simple = {"today": (t, t), "yesterday": (y, y), "maximum": (first_day, t), "data_maximum": (first_day, t),
              "this_month": (t.replace(day=1), t), "this_year": (t.replace(month=1, day=1), t),
              "this_week_mon_today": (t - timedelta(days=t.weekday()), t),
              "this_week_sun_today": (t - timedelta(days=(t.weekday() + 1) % 7), t)}
    if preset in simple:
        return simple[preset]
    if preset.startswith("last_") and preset.endswith("d") and preset[5:-1].isdigit():
        return y - timedelta(days=int(preset[5:-1]) - 1), y
    if preset == "last_month":
        end = t.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "last_year":
        return date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)
    if preset in ("this_quarter", "last_quarter"):
        q_start = date(t.year, 3 * ((t.month - 1) // 3) + 1, 1)
        if preset == "this_quarter":
            return q_start, t
        end = q_start - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if preset in ("last_week_mon_sun", "last_week_sun_sat"):
        shift = t.weekday() if preset == "last_week_mon_sun" else (t.weekday() + 1) % 7
        start = t - timedelta(days=shift + 7)
        return start, start + timedelta(days=6)
    raise invalid_param("Invalid date_preset", f"date_preset {preset!r} is not valid; use e.g. last_7d, "
                        "last_30d, yesterday, this_month or maximum.")


def date_range(params: dict[str, Any], first_day: date, t: date | None = None) -> tuple[date, date]:
    span = json_param(params, "time_range")
    if span is not None:
        try:
            since, until = date.fromisoformat(span["since"]), date.fromisoformat(span["until"])
        except (TypeError, KeyError, ValueError):
            raise invalid_param("Invalid time_range",
                                'time_range must be {"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}.') from None
        if since > until:
            raise invalid_param("Invalid time_range", "time_range.since must not be after time_range.until.")
        return since, until
    return preset_range(str_param(params, "date_preset") or "last_30d", first_day, t)


def time_buckets(since: date, until: date, increment: str | None) -> list[tuple[date, date]]:
    if not increment or increment == "all_days":
        return [(since, until)]
    if increment == "monthly":
        out, start = [], since
        while start <= until:
            end = min(until, start.replace(day=calendar.monthrange(start.year, start.month)[1]))
            out.append((start, end))
            start = end + timedelta(days=1)
        return out
    if not increment.isdigit() or not 1 <= int(increment) <= 90:
        raise invalid_param("Invalid time_increment", "time_increment must be 1–90, monthly or all_days.")
    step = int(increment)
    return [(d, min(until, d + timedelta(days=step - 1)))
            for d in (since + timedelta(days=i) for i in range(0, (until - since).days + 1, step))]


# ---------------------------------------------------------------- the report


def prepare(api: Api, params: dict[str, Any], collection: str, obj: dict[str, Any],
            as_of: tuple[float, int] | None = None) -> Plan:
    """The checked question for ``obj``'s insights report (errors as Meta sends them); its rows
    are computed when a page is read (``insights_report``). ``as_of``: a report run's moment, on
    the sandbox's clock, and how many ads had been made (the day it was, the ads that existed,
    status and budget changes up to then)."""
    fields = [f.strip() for f in (str_param(params, "fields") or DEFAULT_FIELDS).split(",") if f.strip()]
    unknown = [f for f in fields if f not in data.METRIC_FIELDS and f not in ID_FIELDS]
    if unknown:
        raise ApiError(f"(#100) {unknown[0]} is not valid for fields param. please check "
                       "https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values",
                       100)
    level = str_param(params, "level") or LEVEL_OF[collection]
    if level not in LEVELS:
        raise invalid_param("Invalid level", f"level must be one of {', '.join(LEVELS)}.")
    breakdowns = [b.strip() for b in (_list_param(params, "breakdowns")) if b.strip()]
    for b in breakdowns:
        if b not in data.BREAKDOWN_VALUES:
            raise invalid_param("Invalid breakdowns", f"breakdown {b!r} is not supported; use one of "
                                f"{', '.join(data.BREAKDOWN_VALUES)}.")
    if len(breakdowns) > 1 and any(b in data.ALONE for b in breakdowns):
        raise ApiError(f"(#100) Current combination of data breakdown columns ({', '.join(sorted(breakdowns))}) "
                       "is invalid", 100)
    if "hourly_stats_aggregated_by_advertiser_time_zone" in breakdowns:
        fields = [f for f in fields if f not in ("reach", "frequency")]
    ads = filtered(ads_under(api, collection, obj), params)
    if as_of is not None:
        ads = [ad for ad in ads if _ad_number(ad["id"]) <= as_of[1]]
    starts = {ad["id"]: ad_start(ad) for ad in ads}
    t = today(api) if as_of is None else datetime.fromtimestamp(as_of[0], UTC).date()
    since, until = date_range(params, min(starts.values(), default=t), t)
    spans = time_buckets(since, until, str_param(params, "time_increment"))
    return Plan(fields, level, breakdowns, ads, starts, spans, t, as_of[0] if as_of else None)


def _ad_number(ad_id: str) -> int:
    """The ad counter an ad id was made from (ids are prefix + counter, see ``State.new_id``)."""
    prefix = ID_PREFIX["ad"]
    return int(ad_id[len(prefix):]) if ad_id.startswith(prefix) and ad_id[len(prefix):].isdigit() else 0


def report(api: Api, params: dict[str, Any], collection: str, obj: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of the insights report for ``obj``, at once (small reports and checks; the
    endpoints page lazily)."""
    return [row for _, row in rows_after(api, prepare(api, params, collection, obj))]


def _list_param(params: dict[str, Any], name: str) -> list[str]:
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value)
    if text.startswith("["):
        parsed = json_param(params, name, [])
        return [str(v) for v in parsed]
    return text.split(",")


FILTER_FIELDS = {"ad.id": "id", "adset.id": "adset_id", "campaign.id": "campaign_id"}
FILTER_OPERATORS = ("IN", "NOT_IN", "EQUAL", "NOT_EQUAL")


def filtered(ads: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """``filtering=[{"field": "ad.id", "operator": "IN", "value": [...]}]``: keep the ads every rule allows."""
    rules = json_param(params, "filtering")
    if rules is None:
        return ads
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise invalid_param("Invalid filtering", 'filtering must be a JSON list of {"field", "operator", "value"}.')
    for rule in rules:
        field, op, value = rule.get("field"), str(rule.get("operator", "")).upper(), rule.get("value")
        if field not in FILTER_FIELDS:
            raise ApiError(f"(#100) Filtering field {field!r} is invalid. Use one of: "
                           f"{', '.join(FILTER_FIELDS)}", 100)
        if op not in FILTER_OPERATORS:
            raise invalid_param("Invalid filtering", f"operator {op!r} is not valid for {field}; use one of "
                                f"{', '.join(FILTER_OPERATORS)}.")
        wanted = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        key = FILTER_FIELDS[field]
        keep = op in ("IN", "EQUAL")
        ads = [ad for ad in ads if (str(ad.get(key)) in wanted) == keep]
    return ads


def ads_under(api: Api, collection: str, obj: dict[str, Any]) -> list[dict[str, Any]]:
    if collection == "ads":
        return [obj]
    key = {"adsets": "adset_id", "campaigns": "campaign_id", "accounts": "account_id"}[collection]
    value = obj["account_id"] if collection == "accounts" else obj["id"]
    return [ad for ad in api.state["ads"].values() if ad.get(key) == value]


def ad_start(ad: dict[str, Any]) -> date:
    return date.fromisoformat(ad["created_time"][:10]) - timedelta(days=HISTORY_DAYS)


# ---------------------------------------------------------------- endpoints


def sync(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    return insights_report.page(api, req, prepare(api, req.params, collection, obj))


QUESTION_SKIP = ("access_token", "after", "before", "limit")


def start_run(api: Api, req: Request, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
    """``POST …/insights`` → ``{"report_run_id"}``. The run keeps the question and its moment,
    not the rows: reading its insights regenerates them as they were then, page by page."""
    as_of = (delivery.now(api), int(api.state.data["counters"].get("ad", 0)))
    prepare(api, req.params, collection, obj, as_of=as_of)  # a bad question fails now, as on Meta
    since, until = date_range(req.params, today(api), today(api))
    run_id = api.state.new_id("report_run")
    api.state.add("report_runs", {
        "id": run_id, "account_id": obj["account_id"] if "account_id" in obj else obj["id"],
        "started_at": time.time(), "time_ref": int(time.time()), "date_start": since.isoformat(),
        "date_stop": until.isoformat(), "emails": [], "friendly_name": f"Sandbox report {run_id}",
        "is_bookmarked": False, "is_async_export": False,
        "question": {"collection": collection, "object": obj["id"], "as_of": list(as_of),
                     "params": {k: v for k, v in req.params.items() if k not in QUESTION_SKIP}},
    })
    return {"report_run_id": run_id}


def report_run_view(api: Api, run: dict[str, Any], polled: bool = False) -> dict[str, Any]:
    """Progress as a function of time: Not Started → Running (percent) → Completed. With the
    ``report_polls`` setting, as a function of status reads instead (``polled``): tests see every
    stage whatever the machine's load."""
    delay = api.config.report_delay_s
    polls = api.config.report_polls
    if polls:
        run["polls"] = run.get("polls", 0) + (1 if polled else 0)
        done = run["polls"] >= polls
        pct = 100 if done else int(100 * run["polls"] / polls)
    else:
        elapsed = time.time() - run["started_at"]
        done = elapsed >= delay
        pct = 100 if done else int(100 * elapsed / delay) if delay else 100
    status = "Job Completed" if done else ("Job Not Started" if pct < 10 else "Job Running")
    view = {k: v for k, v in run.items() if k not in ("rows", "started_at", "polls", "question")}
    view.update(async_status=status, async_percent_completion=pct, is_running=not done)
    view["time_completed"] = int(run["started_at"] + delay) if done else None
    return view


def run_insights(api: Api, req: Request, collection: str, run: dict[str, Any]) -> dict[str, Any]:
    if report_run_view(api, run)["async_status"] != "Job Completed":
        raise invalid_param("Report Not Ready", f"Report run {run['id']} is not complete yet. Poll GET /{run['id']} "
                            "until async_status is Job Completed.")
    if "rows" in run:  # a run saved by an earlier sandbox, with its rows
        return page(req, run["rows"])
    question = run["question"]
    obj = api.state[question["collection"]].get(question["object"])
    if obj is None:
        raise invalid_param("Report Not Available", f"The object of report run {run['id']} no longer exists.")
    plan = prepare(api, question["params"], question["collection"], obj, as_of=tuple(question["as_of"]))
    return insights_report.page(api, req, plan)

