"""Fetching insights: which objects to ask about, sync or async, and every row across pages.

Which objects a report is about is ``targets.py``'s job; here a :class:`Query` is asked: one
request for the account filtered to the ads (``filtering`` on ``ad.id``), or one per object
(several first pages in one batch call). Small requests are synchronous and paged; large ones
(many ads, daily rows, breakdowns) run as async report jobs, polled with progress shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from skill.errors import GraphError, UsageError
from skill.events import Event, Reporter, silent
from skill.graph import BatchOp
from skill.graph.batch import encode_body
from skill.insights.aggregate import Aggregate
from skill.insights.metrics import Row, parse_row, row_who

DATE_PRESETS = (
    "today", "yesterday", "last_3d", "last_7d", "last_14d", "last_28d", "last_30d", "last_90d",
    "this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year",
    "this_week_mon_today", "this_week_sun_today", "last_week_mon_sun", "last_week_sun_sat", "maximum",
    "data_maximum",
)  # fmt: skip
HOURLY = "hourly_stats_aggregated_by_advertiser_time_zone"
BREAKDOWNS = ("age", "gender", "country", "region", "publisher_platform", "platform_position",
              "device_platform", "impression_device", HOURLY, "dma", "product_id")
ALONE = (HOURLY, "dma", "product_id")  # Meta serves these only on their own
BREAKDOWN_SIZES = {"age": 7, "gender": 3, "country": 20, "region": 50, "publisher_platform": 4,
                   "platform_position": 10, "device_platform": 2, "impression_device": 6, HOURLY: 24,
                   "dma": 210, "product_id": 50}
BREAKDOWN_WORDS = {"hourly": HOURLY, "hour": HOURLY}  # short names the CLI accepts
PRESET_DAYS = {"today": 1, "yesterday": 1, "last_3d": 3, "last_7d": 7, "last_14d": 14, "last_28d": 28,
               "last_30d": 30, "last_90d": 90, "this_month": 31, "last_month": 31, "this_quarter": 92,
               "last_quarter": 92, "this_year": 366, "last_year": 366, "this_week_mon_today": 7,
               "this_week_sun_today": 7, "last_week_mon_sun": 7, "last_week_sun_sat": 7, "maximum": 120,
               "data_maximum": 120}
FIELDS = ("ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,account_currency,impressions,reach,"
          "frequency,clicks,ctr,cpc,cpm,spend,actions,cost_per_action_type,action_values")
ASYNC_ROW_THRESHOLD = 2000  # estimated rows above which a report job beats paging synchronously
PAGE_SIZE = 500
POLL_START_S, POLL_MAX_S, POLL_TIMEOUT_S = 0.2, 5.0, 900.0

Mode = Literal["auto", "sync", "async"]
Level = Literal["ad", "adset", "campaign"]


@dataclass
class Query:
    """What to ask Meta: objects, period, level, breakdowns, daily rows."""

    objects: list[str]
    level: Level = "ad"
    date_preset: str | None = "last_7d"
    since: str | None = None
    until: str | None = None
    breakdowns: list[str] = field(default_factory=list)
    daily: bool = False
    only_ads: set[str] | None = None  # keep rows of these ads only (objects are their ad sets)
    filtering: list[dict[str, Any]] = field(default_factory=list)  # Meta's filtering rules (ad.id IN ...)

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"fields": FIELDS, "level": self.level, "limit": PAGE_SIZE}
        if self.filtering:
            params["filtering"] = self.filtering
        if self.since or self.until:
            params["time_range"] = {"since": self.since, "until": self.until}
        else:
            params["date_preset"] = self.date_preset or "last_7d"
        if self.breakdowns:
            params["breakdowns"] = ",".join(self.breakdowns)
        if self.daily:
            params["time_increment"] = 1
        return params

    @property
    def period_label(self) -> str:
        if self.since or self.until:
            return f"{self.since}_{self.until}"
        return self.date_preset or "last_7d"

    def estimated_rows(self, ads: int) -> int:
        days = _days(self) if self.daily else 1
        size = 1
        for b in self.breakdowns:
            size *= BREAKDOWN_SIZES.get(b, 5)
        return max(ads, 1) * days * size


def _days(q: Query) -> int:
    if q.since and q.until:
        try:
            return (date.fromisoformat(q.until) - date.fromisoformat(q.since)).days + 1
        except ValueError:
            return 30
    return PRESET_DAYS.get(q.date_preset or "last_7d", 30)


def check_period(date_preset: str | None, since: str | None, until: str | None) -> None:
    if (since is None) != (until is None):
        raise UsageError("--since and --until go together (YYYY-MM-DD each)")
    for label, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"--{label} {value!r} is not a date (YYYY-MM-DD)") from None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    if not since and date_preset and date_preset not in DATE_PRESETS:
        raise UsageError(f"unknown date preset {date_preset!r}; use one of: {', '.join(DATE_PRESETS)}")


def check_breakdowns(breakdowns: list[str]) -> list[str]:
    """The breakdowns as Meta names them (``hourly`` → Meta's long name); a usage error for others."""
    breakdowns = [BREAKDOWN_WORDS.get(b, b) for b in breakdowns]
    unknown = [b for b in breakdowns if b not in BREAKDOWNS]
    if unknown:
        raise UsageError(f"unknown breakdown {unknown[0]!r}; use any of: hourly, {', '.join(BREAKDOWNS)}")
    alone = [b for b in breakdowns if b in ALONE]
    if alone and len(breakdowns) > 1:
        raise UsageError(f"Meta reports {'hourly' if alone[0] == HOURLY else alone[0]} only on its own: "
                         "ask for it without other breakdowns")
    return breakdowns


# ---------------------------------------------------------------- fetching


def fetch_rows(client: Any, query: Query, *, mode: Mode = "auto", report: Reporter = silent,
               sleep: Callable[[float], None] = time.sleep) -> tuple[list[Row], str]:
    """Every row for the query, and the mode used ("sync" or "async")."""
    return fetch_many(client, [query], mode=mode, report=report, sleep=sleep)[0]


def fetch_many(client: Any, queries: list[Query], *, mode: Mode = "auto", report: Reporter = silent,
               sleep: Callable[[float], None] = time.sleep) -> list[tuple[list[Row], str]]:
    """Every row of each query, parsed and held, and the mode each used ("sync" or "async").

    Reports fold rows as they arrive instead (:func:`fold_many`); this is for callers that want
    the rows themselves.
    """
    return [([parse_row(item, query.level) for item in rows], used)
            for query, rows, used in stream_many(client, queries, mode=mode, report=report, sleep=sleep)]


def fold_many(client: Any, queries: list[Query], into: list[Aggregate], *, mode: Mode = "auto",
              report: Reporter = silent, sleep: Callable[[float], None] = time.sleep) -> list[str]:
    """Each query's rows folded into its aggregate page by page as they are read (no row is kept);
    the mode each used."""
    modes = []
    for (query, rows, used), agg in zip(stream_many(client, queries, mode=mode, report=report, sleep=sleep),
                                        into, strict=True):
        for item in rows:
            agg.add_raw(item, query.level)
        modes.append(used)
    return modes


def stream_many(client: Any, queries: list[Query], *, mode: Mode = "auto", report: Reporter = silent,
                sleep: Callable[[float], None] = time.sleep) -> Iterator[tuple[Query, Iterator[dict[str, Any]], str]]:
    """Each query, its raw rows as a lazy iterator (a page is read when the one before is used
    up), and the mode it uses. Read each query's rows before asking for the next query.

    The async report jobs of all queries (one per object) are started first, so Meta runs them
    side by side; then each is polled to completion and its rows read page by page.
    """
    plans = []
    for query in queries:
        use_async = mode == "async" or (
            mode == "auto" and query.estimated_rows(len(query.only_ads or query.objects)) > ASYNC_ROW_THRESHOLD)
        params = query.params()
        runs = [_start_run(client, obj, params, report) for obj in query.objects] if use_async else []
        plans.append((query, params, runs))
    total_runs = sum(len(runs) for _, _, runs in plans)
    done = 0
    for query, params, runs in plans:
        if runs:
            sources = [_finished_rows(client, run, done + i, total_runs, report, sleep)
                       for i, run in enumerate(runs, 1)]
            done += len(runs)
        else:
            sources = _sync_sources(client, query.objects, params)
        yield query, _kept(query, sources), "async" if runs else "sync"


def _sync_sources(client: Any, objects: list[str], params: dict[str, Any]) -> list[Any]:
    return read_many(client, [f"{obj}/insights" for obj in objects], params)


def read_many(client: Any, edges: list[str], params: dict[str, Any]) -> list[Any]:
    """One paged read per edge; several edges' first pages come in one batch call."""
    if len(edges) == 1:
        return [client.paginate(edges[0], params)]
    ops = [BatchOp("GET", f"{edge}?{encode_body(params)}") for edge in edges]
    sources = []
    for edge, res in zip(edges, client.batch(ops), strict=True):
        if not res.ok:
            raise res.error or GraphError(f"Meta did not answer the read of {edge}", hint="re-run the report")
        sources.append(_rest(client, res.data))
    return sources


def _rest(client: Any, page: Any) -> Any:
    """The rows of a first page read in a batch, then its next pages."""
    if not isinstance(page, dict):
        return
    yield from page.get("data") or []
    next_url = (page.get("paging") or {}).get("next")
    if next_url:
        yield from client.paginate(next_url)


def _kept(query: Query, sources: list[Any]) -> Iterator[dict[str, Any]]:
    """The raw rows of every source in turn, of the ads asked for only (``only_ads``)."""
    for raw in sources:
        for item in raw:
            if query.only_ads is None or query.level != "ad" or row_who(item, "ad")[0] in query.only_ads:
                yield item


def _start_run(client: Any, obj: str, params: dict[str, Any], report: Reporter) -> str:
    # Starting a second job for the same question is harmless, so a lost answer may be retried.
    run = client.post(f"{obj}/insights", params, idempotent=True)
    run_id = str(run.get("report_run_id") or run.get("id") or "")
    if not run_id:
        raise GraphError(f"no report_run_id in Meta's answer for {obj}/insights")
    report(Event("async_start", f"Report job {run_id} started for {obj} (large request: running it "
                                "asynchronously)", {"report_run_id": run_id, "object": obj}))
    return run_id


def _finished_rows(client: Any, run_id: str, n: int, of: int, report: Reporter,
                   sleep: Callable[[float], None]) -> Any:
    """Poll one report job until Meta says it is done (progress as events), then page its rows.

    Waits grow from 0.2 s to 5 s between polls; after 15 minutes the job is given up on.
    """
    deadline, delay, last = time.monotonic() + POLL_TIMEOUT_S, POLL_START_S, -1
    label = f"Report job {run_id}" + (f" ({n}/{of})" if of > 1 else "")
    while True:
        status = client.get(run_id, {"fields": "async_status,async_percent_completion"})
        pct = int(status.get("async_percent_completion") or 0)
        state = str(status.get("async_status") or "")
        if pct != last:
            report(Event("async_progress", f"  {label}: {state or 'Job Running'}, {pct}%",
                         {"report_run_id": run_id, "percent": pct, "status": state}))
            last = pct
        if state == "Job Completed":
            break
        if state in ("Job Failed", "Job Skipped"):
            raise GraphError(f"Meta's report job {run_id} ended with {state!r}",
                             hint="re-run, or ask for a shorter period or fewer breakdowns")
        if time.monotonic() > deadline:
            raise GraphError(f"report job {run_id} still running after {POLL_TIMEOUT_S:.0f}s",
                             hint="re-run later, or use --mode sync for a small request")
        sleep(delay)
        delay = min(delay * 1.5, POLL_MAX_S)
    return client.paginate(f"{run_id}/insights", {"limit": PAGE_SIZE})
