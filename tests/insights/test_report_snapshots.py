"""One snapshot per report template, rendered from fixed rows (no HTTP, no clock).

Regenerate after an intended change: META_UPDATE_SNAPSHOTS=1 pytest tests/test_report_snapshots.py
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from factories import EXAMPLE_WORKSPACE
from skill.insights.analysis import Thresholds
from skill.insights.metrics import parse_row
from skill.insights.report_data import Fetched, build_result
from skill.insights.reports import render_report, report_dir
from skill.insights.targets import Target
from skill.settings import load_settings

SNAPSHOTS = Path(__file__).parent / "snapshots"
ADS = {"101": ("hero-receipt", 2.7, 0.012), "102": ("hero-notes-app", 0.5, 0.0), "103": ("hero-split-test", 1.4, 0.004)}
DAYS = [f"2026-11-{d:02d}" for d in range(15, 22)]


def raw_row(ad: str, day: str | None, i: int, breakdown: dict[str, str] | None = None) -> dict:
    name, ctr, conv = ADS[ad]
    if ad == "103" and day:  # a tiring creative: CTR falls day after day
        ctr = ctr * (1 - i / 10)
    impressions = 2000 + 150 * i
    clicks = int(impressions * ctr / 100)
    purchases = int(clicks * conv * 10)
    spend = f"{impressions * 0.011:.2f}"
    row = {"ad_id": ad, "ad_name": name, "adset_id": "900", "impressions": str(impressions),
           "reach": str(impressions // 4 if ad == "102" else impressions * 2 // 3), "clicks": str(clicks), "spend": spend,
           "actions": [{"action_type": "link_click", "value": str(clicks)}]
           + ([{"action_type": "purchase", "value": str(purchases)}] if purchases else []),
           "action_values": [{"action_type": "purchase", "value": f"{purchases * 39.5:.2f}"}] if purchases else [],
           "date_start": day or DAYS[0], "date_stop": day or DAYS[-1]}
    row.update(breakdown or {})
    return row


def fetched(kind: str) -> Fetched:
    rows = [parse_row(raw_row(ad, None, 7)) for ad in ADS]
    daily = [parse_row(raw_row(ad, day, i)) for ad in ADS for i, day in enumerate(DAYS)]
    split = [parse_row(raw_row(ad, None, j, {"age": age, "gender": g})) for ad in ADS
             for j, (age, g) in enumerate([("25-34", "female"), ("25-34", "male"), ("35-44", "female"),
                                           ("35-44", "male")])]
    budgets = {"900": {"name": "summer-sale-2026 - broad", "status": "ACTIVE", "daily": Decimal("50.00")}}
    statuses = {"101": "ACTIVE", "102": "DISAPPROVED", "103": "PAUSED"}
    return Fetched(rows=rows, daily=daily if kind in ("insights", "daily_check", "fatigue") else [],
                   split=split if kind == "insights" else [], currency="USD",
                   budgets=budgets if kind == "daily_check" else {},
                   statuses=statuses if kind in ("daily_check", "bleeders", "winners") else {})


@pytest.mark.parametrize("kind", ["insights", "daily_check", "bleeders", "winners", "fatigue"])
def test_report_snapshot(kind):
    settings = load_settings(EXAMPLE_WORKSPACE, env={})
    images = settings.campaign_dir("summer-sale-2026") / "images"
    target = Target("summer-sale-2026", list(ADS), ["900"], {k: v[0] for k, v in ADS.items()},
                    {"101": "AI That Reads Your Receipts"}, {"101": str(images / "receipt.png")})
    got = fetched(kind)
    result, lines = build_result(kind, target, "last_7d", got, Thresholds.from_stack(settings.stack), settings.stack)
    text = render_report(result, lines, report_dir(settings, "summer-sale-2026"),
                         chart=f"{kind}-last_7d-2026-11-22.png", date="2026-11-22", budgets=got.budgets,
                         breakdowns=["age", "gender"] if kind == "insights" else [])
    snapshot = SNAPSHOTS / f"{kind}.md"
    if os.environ.get("META_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text)
    assert text == snapshot.read_text(), f"{snapshot.name} changed; regenerate if intended"
