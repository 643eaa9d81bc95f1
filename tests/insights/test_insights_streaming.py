"""Insights at scale: rows are folded as pages arrive (never held), any page split gives the same
report as all rows at once, and a campaign's ads are resolved with one read of its batch config."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skill.insights.targets as targets
from factories import CAMPAIGN, EXAMPLE_WORKSPACE, ads_dir, copy_workspace, make_batch
from skill.graph import GraphClient
from skill.insights import fetch
from skill.insights.aggregate import Aggregate
from skill.insights.analysis import Thresholds
from skill.insights.fetch import Query, fetch_rows, fold_many
from skill.insights.metrics import parse_row
from skill.insights.report_data import Fetched, build_result
from skill.insights.reports import render_report, report_dir
from skill.insights.targets import Target, resolve_target
from skill.models import UploadRecord
from skill.records import write_record
from skill.sandbox import Sandbox
from skill.settings import load_settings
from support import SANDBOX_ADSET, SANDBOX_TOKEN, Graph

ADS = ["101", "102", "103"]
DAYS = ["2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18"]
AGES, GENDERS = ["18-24", "25-34", "35-44"], ["female", "male"]


@st.composite
def raw_rows(draw, daily: bool = False, split: bool = False) -> list[dict]:
    """Rows as Meta sends them: strings for numbers, action lists, optional day and breakdown."""
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        impressions = draw(st.integers(0, 5000))
        clicks = draw(st.integers(0, impressions // 10 + 1))
        purchases = draw(st.integers(0, 3))
        cents = draw(st.integers(0, 99_999))
        day = draw(st.sampled_from(DAYS)) if daily else DAYS[0]
        row = {"ad_id": draw(st.sampled_from(ADS)), "ad_name": draw(st.sampled_from(["", "a", "b"])),
               "impressions": str(impressions), "reach": str(impressions // 2), "clicks": str(clicks),
               "spend": f"{cents // 100}.{cents % 100:02d}",
               "actions": [{"action_type": "link_click", "value": str(clicks)}]
               + ([{"action_type": "purchase", "value": str(purchases)}] if purchases else []),
               "action_values": [{"action_type": "purchase", "value": f"{purchases * 39.5:.2f}"}] if purchases else [],
               "date_start": day, "date_stop": day if daily else DAYS[-1]}
        if split:
            row.update(age=draw(st.sampled_from(AGES)), gender=draw(st.sampled_from(GENDERS)))
        rows.append(row)
    return rows


def pages_of(rows: list[dict], cuts: list[int]):
    """The rows in pages cut at ``cuts``, yielded one by one (a generator, as pages arrive)."""
    edges = [0, *sorted({c % (len(rows) + 1) for c in cuts}), len(rows)]
    for a, b in zip(edges, edges[1:], strict=False):
        yield rows[a:b]


def rendered(got: Fetched, kind: str) -> tuple[str, str, str]:
    """The report's JSON, terminal text and markdown for what was fetched."""
    ws = load_settings(EXAMPLE_WORKSPACE, env={})
    target = Target(CAMPAIGN, list(ADS), ["900"], {"101": "hero-receipt"}, {"101": "AI That Reads Your Receipts"})
    result, lines = build_result(kind, target, "last_7d", got, Thresholds.from_stack(ws.stack), ws.stack)
    text = render_report(result, lines, report_dir(ws, CAMPAIGN), chart=None, date="2026-11-22", budgets={},
                         breakdowns=["age", "gender"])
    return result.model_dump_json(), result.render_text(), text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=raw_rows(), daily=raw_rows(daily=True), split=raw_rows(daily=True, split=True),
       cuts=st.lists(st.integers(0, 60), max_size=6), kind=st.sampled_from(["insights", "daily_check", "fatigue"]))
def test_a_report_folded_page_by_page_equals_the_report_of_all_rows_at_once(rows, daily, split, cuts, kind):
    at_once = Fetched(rows=[parse_row(r) for r in rows], daily=[parse_row(r) for r in daily],
                      split=[parse_row(r) for r in split])
    paged = Fetched(rows=Aggregate().feed(pages_of(rows, cuts)),
                    daily=Aggregate(series=True).feed(pages_of(daily, cuts)),
                    split=Aggregate().feed(pages_of(split, cuts)))
    assert rendered(paged, kind) == rendered(at_once, kind)
    assert paged.split.count == len(split) and paged.split.total == at_once.split.total
    assert sum((m.spend for m in paged.split.per_slice().values()), Decimal(0)) == at_once.split.total.spend


def test_pages_are_summed_as_they_arrive_and_no_row_is_kept():
    rows = [{"ad_id": ADS[i % 3], "impressions": "10", "spend": "0.10", "date_start": DAYS[i % 4],
             "age": AGES[i % 3], "gender": GENDERS[i % 2]} for i in range(1000)]
    agg = Aggregate()
    seen = []

    def pages():
        for start in range(0, len(rows), 100):
            seen.append(agg.count)  # what was folded before this page was asked for
            yield rows[start:start + 100]

    agg.feed(pages())
    assert seen == list(range(0, 1000, 100))  # each page summed before the next was read
    assert agg.count == 1000 and agg.total.spend == Decimal("100.00") and agg.total.impressions == 10_000
    assert len(agg.slices) == 6 and len(agg.days) == 4 and len(agg.objects) == 3 and agg.series is None


def test_the_kit_folds_a_many_page_report_from_the_sandbox_as_it_reads(monkeypatch):
    monkeypatch.setattr(fetch, "PAGE_SIZE", 40)
    with Sandbox(token=SANDBOX_TOKEN, rate_budget=10**9) as sb:
        graph = Graph(sb)
        ads = [graph.make_ad(name=f"ad {i}", seed=i + 1) for i in range(3)]
        client = GraphClient(sb.url, SANDBOX_TOKEN, retry_base_s=0.01)
        query = Query(objects=[SANDBOX_ADSET], only_ads=set(ads[:2]), date_preset="last_14d", daily=True,
                      breakdowns=["age", "gender"])
        before = sb.request_count
        folded = Aggregate(series=True)
        assert fold_many(client, [query], [folded], mode="sync") == ["sync"]
        pages = sb.request_count - before
        rows, _ = fetch_rows(client, query, mode="sync")
    # each ad-day has 18 age × gender rows (every cell has impressions); the third ad's are read, not kept
    assert folded.count == len(rows) == 2 * 14 * 18 and pages == -(-3 * 14 * 18 // 40)
    held = Aggregate.of(rows, series=True)
    assert folded.per_slice() == held.per_slice() and folded.per_day() == held.per_day()
    assert list(folded.per_object()) == list(held.per_object())
    assert [r.sums for r in folded.days_of(ads[0])] == [r.sums for r in held.days_of(ads[0])]


@pytest.fixture
def many_ads(tmp_path: Path) -> Path:
    """A workspace whose campaign has 30 uploaded ads (records, specs and the batch config)."""
    ws = copy_workspace(tmp_path)
    for old in ads_dir(ws).glob("*.json"):
        if old.name != "batch-upload.json":
            old.unlink()
    make_batch(ws, 30, 3)
    for i in range(30):
        write_record(ads_dir(ws) / f"ad-{i:03d}.upload.json", UploadRecord(
            uploaded_at="2026-11-22T08:00:00Z", campaign=CAMPAIGN, ad_name=f"hero-ad-{i:03d}", creative_id="1",
            ad_id=str(9000 + i), adset_id=SANDBOX_ADSET if i % 2 else "23847000000009",
            review_url="https://example.com/review"))
    return ws


def test_resolving_a_campaign_reads_its_batch_config_once(many_ads, monkeypatch):
    reads = []

    def counted(path):
        reads.append(path)
        return real(path)

    real = targets.load_batch_config
    monkeypatch.setattr(targets, "load_batch_config", counted)
    settings_ = load_settings(many_ads, env={})
    target = resolve_target(settings_, CAMPAIGN, None)
    assert len(reads) == 1 and len(target.ad_ids) == 30 and len(target.images) == 30
    assert target.images["9007"].endswith("gen-1.png") and target.adsets == ["23847000000009", SANDBOX_ADSET]

    reads.clear()
    some = resolve_target(settings_, CAMPAIGN, ["hero-ad-003", "9004"])
    assert len(reads) == 1 and some.ad_ids == ["9003", "9004"] and some.adsets == [SANDBOX_ADSET, "23847000000009"]
    assert json.loads(json.dumps(some.names)) == {"9003": "hero-ad-003", "9004": "hero-ad-004"}
