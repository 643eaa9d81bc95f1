"""``meta-ads budget`` over real HTTP against the sandbox: previews change nothing, decreases apply,
increases need --yes, guardrails refuse naming the setting, and every change is logged."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from acting import CBO_ADSET, CBO_CAMPAIGN, sandbox_state, write_state_with_cbo
from skill.cli import main

ADSET, ADSET_NAME = "23847000000001", "summer-sale-2026 - broad"


@pytest.fixture
def ws(ws: Path, monkeypatch) -> Path:
    monkeypatch.setenv("USER", "marketer")
    write_state_with_cbo(ws)
    return ws


def cli(ws: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--workspace", str(ws), "--sandbox"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def budget_of(ws: Path, object_id: str) -> str:
    state = sandbox_state(ws)
    obj = state["adsets"].get(object_id) or state["campaigns"][object_id]
    return obj["daily_budget"]


def log(ws: Path) -> list[dict]:
    path = ws / "brand" / "changes.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def set_stack(ws: Path, **values: str) -> None:
    """Set keys of brand/stack.md (replacing the lines that set them, or adding them)."""
    stack = ws / "brand" / "stack.md"
    lines = [line for line in stack.read_text().splitlines() if line.split(":")[0] not in values]
    at = lines.index("brand_name: Snapbook") + 1
    lines[at:at] = [f'{k}: "{v}"' for k, v in values.items()]
    stack.write_text("\n".join(lines) + "\n")


def test_an_increase_without_yes_is_a_preview_and_changes_nothing(ws, capsys):
    before = (ws / ".sandbox" / "state.json").read_text()
    code, out, _ = cli(ws, capsys, "budget", ADSET_NAME, "--daily", "60")
    assert code == 0 and "Would change (nothing was changed)" in out
    assert f"ad set {ADSET_NAME} ({ADSET})" in out and "daily budget $50.00 → $60.00 (+20%)" in out
    assert "+$10.00/day" in out and f"meta-ads budget '{ADSET_NAME}' --daily 60 --yes" in out
    assert "learning phase" not in out  # 20% is not over ~20%
    assert (ws / ".sandbox" / "state.json").read_text() == before and log(ws) == []


def test_an_increase_with_yes_is_applied_and_logged(ws, capsys):
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--by", "+40%", "--yes")
    assert code == 0 and "$50.00 → $70.00 (+40%)" in out and "learning phase" in out
    assert budget_of(ws, ADSET) == "7000"
    [entry] = log(ws)
    assert entry["action"] == "budget" and entry["kind"] == "adset" and entry["id"] == ADSET
    assert entry["before"] == {"daily_budget": 50.0} and entry["after"] == {"daily_budget": 70.0}
    assert entry["via"] == "cli" and entry["user"] == "marketer" and entry["campaign"] == "summer-sale-2026"
    assert entry["at"].endswith("Z") and "T" in entry["at"]
    row = next(r for r in (ws / "brand" / "assets.md").read_text().splitlines() if f"adset: {ADSET}" in r)
    assert "(budget $70.00/day)" in row and row.endswith("| ACTIVE |")


def test_a_decrease_needs_no_yes(ws, capsys):
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--by", "-30%")
    assert code == 0 and "Changed" in out and "-$15.00/day" in out
    assert budget_of(ws, ADSET) == "3500" and log(ws)[0]["after"] == {"daily_budget": 35.0}


def test_json_preview_has_amounts_with_currency_and_period(ws, capsys):
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--daily", "55.50", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["action"] == "budget-preview" and doc["applied"] is False and doc["needs_yes"]
    change = doc["changes"][0]
    assert change["budget_before"] == {"amount": 50.0, "currency": "USD", "period": "daily"}
    assert change["budget_after"] == {"amount": 55.5, "currency": "USD", "period": "daily"}
    assert change["daily_spend_before"] == 50.0 and change["daily_spend_after"] == 55.5 and change["change_pct"] == 11
    assert doc["daily_change"] == 5.5 and doc["currency"] == "USD"
    assert not {"params", "before", "after", "pct"} & set(change), "no text money, no Meta minor units"
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--daily", "55.50", "--yes")
    assert code == 0 and "$50.00 → $55.50" in out and budget_of(ws, ADSET) == "5550"  # the text stays text


def test_guardrail_max_daily_budget_refuses_naming_the_setting(ws, capsys):
    set_stack(ws, max_daily_budget="100")
    code, _, err = cli(ws, capsys, "budget", ADSET, "--daily", "150", "--yes")
    assert code == 1 and "max_daily_budget" in err and "$100.00" in err
    assert budget_of(ws, ADSET) == "5000" and log(ws) == []


def test_guardrail_max_budget_increase_pct_refuses_naming_the_setting(ws, capsys):
    set_stack(ws, max_budget_increase_pct="25")
    code, _, err = cli(ws, capsys, "budget", ADSET, "--by", "+50%", "--yes")
    assert code == 1 and "max_budget_increase_pct" in err and "50%" in err
    assert budget_of(ws, ADSET) == "5000"
    assert cli(ws, capsys, "budget", ADSET, "--by", "+20%", "--yes")[0] == 0  # within it
    assert budget_of(ws, ADSET) == "6000"


def test_a_cbo_campaign_takes_the_budget_and_its_ad_set_points_there(ws, capsys):
    code, _, err = cli(ws, capsys, "budget", "spring-cbo - all", "--daily", "40")
    assert code == 1 and "campaign's budget" in err and "spring-cbo" in err
    code, out, _ = cli(ws, capsys, "budget", "spring-cbo", "--daily", "100", "--yes")
    assert code == 0 and "campaign spring-cbo" in out and budget_of(ws, CBO_CAMPAIGN) == "10000"
    assert sandbox_state(ws)["adsets"][CBO_ADSET]["daily_budget"] == "0"


def test_a_campaign_without_a_campaign_budget_names_its_ad_sets(ws, capsys):
    code, _, err = cli(ws, capsys, "budget", "summer-sale-2026", "--daily", "70")
    assert code == 1 and "no campaign budget" in err and ADSET_NAME in err


def test_lifetime_budget_needs_an_end_and_then_applies(ws, capsys):
    code, _, err = cli(ws, capsys, "budget", ADSET, "--lifetime", "900")
    assert code == 2 and "--end" in err
    end = (date.today() + timedelta(days=30)).isoformat()
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--lifetime", "900", "--end", end, "--yes")
    assert code == 0 and "budget $50.00/day → $900.00 lifetime" in out
    adset = sandbox_state(ws)["adsets"][ADSET]
    assert (adset["lifetime_budget"], adset["daily_budget"]) == ("90000", "0") and adset["end_time"].startswith(end)


def test_meta_refusal_is_one_clean_line(ws, capsys):
    code, _, err = cli(ws, capsys, "budget", ADSET, "--daily", "0.50")  # a decrease: sent, and Meta refuses
    assert code == 1 and "Budget Is Too Low" in err and "fbtrace_id" in err
    assert budget_of(ws, ADSET) == "5000" and log(ws) == []


def test_bid_cap_needs_yes_and_sets_the_strategy(ws, capsys):
    code, out, _ = cli(ws, capsys, "budget", ADSET, "--bid-cap", "2.50")
    assert code == 0 and "Would change" in out and "LOWEST_COST_WITH_BID_CAP $2.50" in out
    assert "bid_amount" not in sandbox_state(ws)["adsets"][ADSET]
    assert cli(ws, capsys, "budget", ADSET, "--cost-cap", "12", "--yes")[0] == 0
    adset = sandbox_state(ws)["adsets"][ADSET]
    assert (adset["bid_strategy"], adset["bid_amount"]) == ("COST_CAP", "1200")
    assert log(ws)[-1]["action"] == "bid"


def test_unknown_target_and_nothing_to_change_are_clean_errors(ws, capsys):
    code, _, err = cli(ws, capsys, "budget", "no-such-adset", "--daily", "60")
    assert code == 1 and "no-such-adset" in err
    code, _, err = cli(ws, capsys, "budget", ADSET)
    assert code == 1 and "--daily" in err


def test_history_prints_the_log_for_a_campaign(ws, capsys):
    cli(ws, capsys, "budget", ADSET, "--by", "-10%")
    cli(ws, capsys, "budget", "spring-cbo", "--by", "-10%")
    code, out, _ = cli(ws, capsys, "history", "summer-sale-2026")
    assert code == 0 and ADSET_NAME in out and "spring-cbo" not in out and "[cli, marketer]" in out
    doc = json.loads(cli(ws, capsys, "history", "--json")[1])
    assert [c["name"] for c in doc["changes"]] == [ADSET_NAME, "spring-cbo"]
