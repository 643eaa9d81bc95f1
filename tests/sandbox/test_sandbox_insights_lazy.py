"""Insights reports computed page by page: a page computes only its own ad-days, paging through
computes each once, report runs keep the question (not the rows) and answer as of their moment."""

from __future__ import annotations

import json
from pathlib import Path

from skill.sandbox import Sandbox
from skill.sandbox.endpoints_insights import report
from skill.sandbox.insights_report import CELLS
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, SANDBOX_TOKEN, Graph

BIG = {"level": "ad", "date_preset": "last_30d", "time_increment": 1, "breakdowns": "age,gender",
       "fields": "ad_id,ad_name,impressions,spend,actions"}
ADS = 4
DELIVERED_DAYS = 28  # an ad delivers from 28 days before it was created: 28 of last_30d's days


def computed(sb: Sandbox) -> int:
    return sb.request_counts.get(CELLS, 0)


def read_all(graph: Graph, path: str, **params) -> tuple[list[dict], int]:
    body = graph.get(path, **params).json()
    rows, pages = list(body["data"]), 1
    while "next" in body.get("paging", {}):
        body = graph.session.get(body["paging"]["next"]).json()
        rows += body["data"]
        pages += 1
    return rows, pages


def test_a_page_computes_its_own_ad_days_and_paging_through_computes_each_once(sandbox: Sandbox, graph: Graph):
    for i in range(ADS):
        graph.make_ad(name=f"ad {i}", seed=i + 1)
    first = graph.get(f"{SANDBOX_ADSET}/insights", limit=36, **BIG).json()
    assert len(first["data"]) == 36 and "next" in first["paging"]
    assert computed(sandbox) <= 3  # two ad-days of 18 rows, and one more to know a next page exists

    before = computed(sandbox)
    rows, pages = read_all(graph, f"{SANDBOX_ADSET}/insights", limit=100, **BIG)
    ad_days = ADS * DELIVERED_DAYS
    assert pages == -(-len(rows) // 100) > 10 and len(rows) == ad_days * 18
    # each once; a page may also redo the ad-day it resumes in, and peek at the next one
    assert ad_days <= computed(sandbox) - before <= ad_days + 2 * pages < 2 * ad_days
    everything = report(sandbox.api, {**BIG, "time_increment": "1"}, "adsets",
                        sandbox.api.state["adsets"][SANDBOX_ADSET])
    assert rows == everything  # pages in order, none lost or repeated


def test_paging_back_with_before_gives_the_page_before(graph: Graph):
    graph.make_ad()
    first = graph.get(f"{SANDBOX_ADSET}/insights", limit=20, **BIG).json()
    second = graph.session.get(first["paging"]["next"]).json()
    assert "previous" in second["paging"] and "previous" not in first["paging"]
    back = graph.session.get(second["paging"]["previous"]).json()
    assert back["data"] == first["data"] and back["data"] != second["data"]


def test_a_report_run_keeps_its_question_not_its_rows(tmp_path: Path):
    state = tmp_path / "state.json"
    with Sandbox(token=SANDBOX_TOKEN, state_path=state, report_polls=1) as sb:
        graph = Graph(sb)
        for i in range(ADS):
            graph.make_ad(name=f"ad {i}", seed=i + 1)
        size_before = state.stat().st_size
        run_id = graph.post(f"{SANDBOX_ACCOUNT}/insights", **BIG).json()["report_run_id"]
        assert graph.get(run_id).json()["async_status"] == "Job Completed"
        rows, _ = read_all(graph, f"{run_id}/insights", limit=500)
        assert len(rows) == ADS * DELIVERED_DAYS * 18
        assert rows == read_all(graph, f"{SANDBOX_ACCOUNT}/insights", limit=500, **BIG)[0]
    saved = json.loads(state.read_text())["report_runs"][run_id]
    assert "rows" not in saved and saved["question"]["params"]["breakdowns"] == "age,gender"
    assert state.stat().st_size - size_before < 2000  # the run, not its 2,016 rows


def test_a_report_run_answers_as_of_the_moment_it_started(sandbox: Sandbox, graph: Graph):
    sandbox.configure(report_polls=1)
    ad = graph.make_ad(name="ad 0", seed=1)
    question = {"level": "ad", "date_preset": "today", "fields": "ad_id,impressions"}
    run_id = graph.post(f"{SANDBOX_ACCOUNT}/insights", **question).json()["report_run_id"]
    graph.get(run_id)
    before = graph.get(f"{run_id}/insights").json()["data"]
    assert before == graph.get(f"{SANDBOX_ACCOUNT}/insights", **question).json()["data"]
    assert graph.post(ad, status="PAUSED").status_code == 200  # from now on, no delivery today
    later = graph.make_ad(name="ad 1", seed=2)
    live = graph.get(f"{SANDBOX_ACCOUNT}/insights", **question).json()["data"]
    assert later in {r["ad_id"] for r in live} and live[0] != before[0]
    assert graph.get(f"{run_id}/insights").json()["data"] == before  # the run still answers as it did
