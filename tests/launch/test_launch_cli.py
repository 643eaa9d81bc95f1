"""``meta-ads launch`` end to end over real HTTP against the sandbox: the whole campaign from the
shipped example, a re-run that creates nothing, each rule refused before any call, the remote dry
run that creates nothing, and the activation preview of a launched campaign."""

from __future__ import annotations

import collections
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from factories import edit_json
from skill.sandbox import Sandbox
from support import run_cli

BF = "black-friday-2026"
AD_NAMES = {f"{BF} - doorbuster", f"{BF} - gift-guide", f"{BF} - annual-plan"}


def config(ws: Path) -> Path:
    return ws / "campaigns" / BF / "ads" / "batch-upload.json"


def objects(sandbox: Sandbox) -> dict[str, collections.Counter]:
    dump = sandbox.state_dump()
    return {kind: collections.Counter(o["name"] for o in dump[kind].values() if o.get("status") != "DELETED")
            for kind in ("campaigns", "adsets", "ads", "creatives")} | {"images": collections.Counter(dump["images"])}


def iso(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S+0000")


def test_full_launch_then_a_rerun_creates_nothing(ws, live, capsys):
    code, out, err = run_cli(ws, capsys, "launch", BF)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0].startswith("✓ Campaign created (ID: 23846100000000001) - PAUSED")
    assert "✓ Ad set created (ID: 23847100000000001) - PAUSED, $50.00/day [broad-us-ca]" in lines
    assert "✓ Ad set created (ID: 23847100000000002) - PAUSED, $30.00/day [eu-organisers]" in lines
    assert out.count("✓ Ad created (ID: ") == 3 and "Launch complete: campaign black-friday-2026, 2 ad set(s)" in out
    assert ("Review in Ads Manager: https://www.facebook.com/adsmanager/manage/campaigns?act=123456789"
            "&selected_campaign_ids=23846100000000001") in out
    dump = live.state_dump()
    campaign = dump["campaigns"]["23846100000000001"]
    assert (campaign["name"], campaign["status"], campaign["objective"]) == (BF, "PAUSED", "OUTCOME_SALES")
    adsets = {a["name"]: a for a in dump["adsets"].values() if a["campaign_id"] == campaign["id"]}
    eu = adsets[f"{BF} - eu-organisers"]
    assert (eu["status"], eu["daily_budget"], eu["bid_strategy"], eu["bid_amount"]) == ("PAUSED", "3000", "COST_CAP", 1200)
    assert eu["targeting"]["genders"] == [2] and eu["dsa_payor"] == "Snapbook Inc."
    assert adsets[f"{BF} - broad-us-ca"]["promoted_object"] == {"pixel_id": "1234567890123456", "custom_event_type": "PURCHASE"}
    ads = {a["name"]: a for a in dump["ads"].values()}
    assert {n for n in ads if n.startswith(BF)} == AD_NAMES and all(ads[n]["status"] == "PAUSED" for n in AD_NAMES)
    assert ads[f"{BF} - annual-plan"]["adset_id"] == eu["id"]
    record = json.loads(config(ws).with_name("batch-upload.launch.json").read_text())
    assert record["campaign_id"] == campaign["id"]
    assert {a["name"]: a["id"] for a in record["adsets"]} == {"broad-us-ca": "23847100000000001",
                                                              "eu-organisers": "23847100000000002"}
    rows = (ws / "brand" / "assets.md").read_text()
    assert "| black-friday-2026 | campaign |" in rows and rows.count("| ad set |") == 2 and rows.count("| ad |") == 3

    before = objects(live)
    code, out, err = run_cli(ws, capsys, "upload", BF)  # upload of a launch config launches: the same run
    assert code == 0, out + err
    assert "✓" not in out.replace("✓ Validation passed", "")
    assert out.count("found in the account (created earlier)") == 3 and out.count("⊙ Skipped") == 3
    assert objects(live) == before
    assert (ws / "brand" / "assets.md").read_text() == rows


def test_launch_with_json_and_records_deleted_adopts_from_the_account(ws, live, capsys):
    assert run_cli(ws, capsys, "launch", BF)[0] == 0
    config(ws).with_name("batch-upload.launch.json").unlink()
    code, out, _ = run_cli(ws, capsys, "launch", BF, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["campaign_status"] == "found" and doc["ok"] is True
    assert [(a["name"], a["status"]) for a in doc["adsets"]] == [("broad-us-ca", "found"), ("eu-organisers", "found")]
    assert len(objects(live)["campaigns"]) == 3 and objects(live)["campaigns"][BF] == 1


def daily(d: dict) -> None:
    d["adsets"][0]["daily_budget"] = "0.50"


RULES: list[tuple[str, Any, str]] = [
    ("lifetime budget without end", lambda d: d["adsets"][0].update(daily_budget=None, lifetime_budget="300.00"),
     "adsets[0].end_time: a lifetime budget needs end_time"),
    ("end before start", lambda d: d["adsets"][0].update(start_time=iso(5), end_time=iso(4)),
     "adsets[0].end_time: end_time"),
    ("age below 18", lambda d: d["adsets"][0]["targeting"].update(age_min=16), "adsets[0].targeting.age_min: ages 16–65"),
    ("age above 65", lambda d: d["adsets"][0]["targeting"].update(age_max=70), "adsets[0].targeting.age_max: ages 25–70"),
    ("bid strategy without a bid", lambda d: d["adsets"][1].pop("cost_cap"),
     "adsets[1].bid_amount: the bid strategy COST_CAP needs a bid"),
    ("campaign budget and ad set budget", lambda d: d["campaign"].update(daily_budget="100.00"),
     "adsets[0].daily_budget: the campaign has a campaign budget (CBO)"),
    ("objective and goal", lambda d: d["adsets"][0].update(optimization_goal="LANDING_PAGE_VIEWS"),
     "the campaign's objective OUTCOME_SALES does not take the optimization goal LANDING_PAGE_VIEWS"),
    ("EU without beneficiary", lambda d: d["adsets"][1].pop("dsa_beneficiary"),
     "adsets[1].dsa_beneficiary: ads reaching the EU (DE, FR) must name who benefits"),
    ("dynamic creative with two ads", lambda d: d["adsets"][0].update(is_dynamic_creative=True),
     "adsets[0].is_dynamic_creative: a Dynamic Creative ad set takes one ad; 2 ads name 'broad-us-ca'"),
    ("legacy objective", lambda d: d["campaign"].update(objective="CONVERSIONS"), "CONVERSIONS is a legacy objective"),
    ("unknown ad set", lambda d: d["ads"][0].update(adset="nope"), "names ad set 'nope', which is not in adsets"),
    ("no budget anywhere", lambda d: d["adsets"][0].update(daily_budget=None), "adsets[0].daily_budget: needs daily_budget"),
    ("not money", lambda d: d["adsets"][0].update(daily_budget="fifty"), "'fifty' is not an amount of money"),
    ("not paused", lambda d: d["adsets"][0].update(status="ACTIVE"), "everything is created PAUSED"),
]


@pytest.mark.parametrize(("label", "edit", "message"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_is_refused_before_any_call(ws, live, capsys, label, edit, message):
    edit_json(config(ws), edit)
    code, out, _ = run_cli(ws, capsys, "validate", BF)
    assert code == 1 and message in out, out
    code, out, err = run_cli(ws, capsys, "launch", BF, "--dry-run")
    assert code == 1 and message in out and "[DRY RUN] Failed" in out
    before = live.request_count
    code, out, err = run_cli(ws, capsys, "launch", BF)
    assert code == 1 and message in out and "nothing was sent" in err
    assert live.request_counts.get("POST", 0) == 0 and live.request_count - before <= 2  # the pre-flight reads


def test_the_account_minimum_is_read_in_the_preflight(ws, live, capsys):
    live.api.state["accounts"]["act_123456789"]["min_daily_budget"] = 4000  # $40.00 a day on this account
    code, out, err = run_cli(ws, capsys, "launch", BF)
    assert code == 1 and "adsets[1].daily_budget: $30.00/day is below this ad account's minimum of $40.00/day" in out
    assert live.request_counts.get("POST", 0) == 0 and "broad-us-ca" not in out.split("Error")[-1]
    code, out, _ = run_cli(ws, capsys, "launch", BF, "--dry-run")
    assert code == 0, out  # offline: the minimum is not known, so not checked


def test_dry_run_remote_asks_meta_and_creates_nothing(ws, live, capsys):
    before = objects(live)
    code, out, err = run_cli(ws, capsys, "launch", BF, "--dry-run", "--remote", "--json")
    assert code == 0, out + err
    verdicts = [(o["kind"], o["name"], o["remote"]) for o in json.loads(out)["objects"]]
    assert verdicts[:3] == [("campaign", BF, "accepted"), ("adset", "broad-us-ca", "not_checked"),
                            ("adset", "eu-organisers", "not_checked")]
    assert {v for k, _, v in verdicts if k == "ad"} == {"not_checked"}
    assert objects(live) == before
    run_cli(ws, capsys, "launch", BF)
    edit_json(config(ws), lambda d: d["adsets"].append({"name": "retarget", "daily_budget": "20.00",
                                                         "targeting": {"countries": ["US"]}}))
    before = objects(live)
    code, out, _ = run_cli(ws, capsys, "upload", BF, "--dry-run", "--remote")
    assert code == 0, out
    assert "⊙ campaign black-friday-2026: exists" in out and "✓ adset retarget: Meta accepts it" in out
    assert "✓ creative doorbuster: Meta accepts it" in out  # its image is in the account now
    assert "Meta accepted all 4 checked object(s)" in out and objects(live) == before
    live.configure(scopes=["ads_read"])  # what only Meta knows: this token may not create anything
    code, out, _ = run_cli(ws, capsys, "launch", BF, "--dry-run", "--remote")
    assert code == 1 and "✗ adset retarget: Meta refuses it - Permission Denied" in out
    assert "Meta refused" in out.splitlines()[-1] and objects(live) == before


def statuses(sandbox: Sandbox) -> set[str]:
    return {o["status"] for kind in ("campaigns", "adsets", "ads") for o in sandbox.state_dump()[kind].values()
            if o["name"].startswith(BF)}


def test_activation_preview_for_a_campaign_then_yes(ws, live, capsys):
    assert run_cli(ws, capsys, "launch", BF)[0] == 0
    code, out, _ = run_cli(ws, capsys, "activate", BF)
    assert code == 0
    for name in ("broad-us-ca", "eu-organisers", "doorbuster", "gift-guide", "annual-plan"):
        assert name in out, f"{name} is not in the preview:\n{out}"
    assert "$50.00/day" in out and "$30.00/day" in out and "$80.00/day" in out  # and their total
    assert "--yes" in out and statuses(live) == {"PAUSED"}  # a preview changes nothing
    code, out, _ = run_cli(ws, capsys, "activate", BF, "--yes")
    assert code == 0 and statuses(live) == {"ACTIVE"}
    rows = [r for r in (ws / "brand" / "assets.md").read_text().splitlines() if r.startswith("| black-friday-2026")]
    assert len(rows) == 6 and all(r.endswith("| ACTIVE |") for r in rows)
    log = [json.loads(line) for line in (ws / "brand" / "changes.jsonl").read_text().splitlines()]
    assert [(e["action"], e["kind"], e["via"]) for e in log][:2] == [("activate", "campaign", "cli"),
                                                                    ("activate", "adset", "cli")]
    assert len(log) == 6 and {e["campaign_id"] for e in log} == {log[0]["id"]}


def test_activation_preview_for_one_ad_set(ws, live, capsys):
    assert run_cli(ws, capsys, "launch", BF)[0] == 0
    code, out, _ = run_cli(ws, capsys, "activate", "black-friday-2026 - eu-organisers")  # its name on Meta
    assert code == 0 and "eu-organisers" in out and "annual-plan" in out and "$30.00/day" in out
    assert "broad-us-ca" not in out and "doorbuster" not in out and statuses(live) == {"PAUSED"}


def test_the_readme_first_command_still_uploads_the_summer_sale(ws, live, capsys):
    code, out, _ = run_cli(ws, capsys, "upload", "summer-sale-2026")
    assert code == 0 and "Batch complete: 3 ads created, all PAUSED" in out


def test_an_unknown_page_is_refused_before_anything_is_created(ws, live, capsys):
    edit_json(config(ws), lambda d: d.update(page_id="999"))
    code, out, err = run_cli(ws, capsys, "launch", BF)
    assert code == 1 and "page_id: page '999' does not exist" in err and "nothing was sent" in err
    assert live.request_counts.get("POST", 0) == 0 and "✓" not in out


def test_a_refused_ad_pauses_the_launch_and_a_rerun_finishes_it(ws, live, capsys):
    # Meta refuses the first ad's creative (a CTA it does not take): the launch pauses before the next ad set
    spec = ws / "campaigns" / BF / "ads" / "doorbuster.json"
    edit_json(spec, lambda d: d["call_to_actions"][0].update(type="SEE_MENU"))
    code, out, _ = run_cli(ws, capsys, "launch", BF)
    assert code == 1 and "✓ Campaign created" in out and out.count("✓ Ad set created") == 2
    assert "Invalid Call-To-Action Type" in out
    assert "Ad set eu-organisers" not in out and "Launch stopped: 3 ad(s) not created" in out
    assert not {n for n in objects(live)["ads"] if n.startswith(BF)}
    edit_json(spec, lambda d: d["call_to_actions"][0].update(type="SHOP_NOW"))
    code, out, _ = run_cli(ws, capsys, "launch", BF)
    assert code == 0 and out.count("found in the account (created earlier)") == 3
    assert out.count("✓ Ad created") + out.count("✓ Complete") == 3, out  # a resumed ad prints one line
    ads = {n: c for n, c in objects(live)["ads"].items() if n.startswith(BF)}
    assert len(ads) == 3 and set(ads.values()) == {1} and objects(live)["campaigns"][BF] == 1


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_lost_answers_and_transient_failures_never_duplicate(ws, live, capsys, seed):
    live.configure(drop_rate=0.3, null_rate=0.2, fail_rate=0.15, seed=seed)
    for _ in range(6):
        code, out, err = run_cli(ws, capsys, "launch", BF)
        assert "Traceback" not in out + err
        if code == 0:
            break
    assert code == 0, out + err
    faults = live.request_counts
    assert faults.get("dropped", 0) + faults.get("nulls", 0) + faults.get("transient", 0) >= 2, faults
    live.configure(drop_rate=0, null_rate=0, fail_rate=0)
    found = objects(live)
    assert found["campaigns"][BF] == 1
    assert {n: c for n, c in found["adsets"].items() if n.startswith(BF)} == {
        f"{BF} - broad-us-ca": 1, f"{BF} - eu-organisers": 1}
    assert {n: c for n, c in found["ads"].items() if n.startswith(BF)} == dict.fromkeys(AD_NAMES, 1)
    assert {n: c for n, c in found["creatives"].items() if n.startswith(BF)} == dict.fromkeys(AD_NAMES, 1)


def test_a_campaign_budget_counts_once_in_the_preview(ws, live, capsys):
    def cbo(d: dict) -> None:
        d["campaign"]["daily_budget"] = "100.00"
        for adset in d["adsets"]:
            adset.pop("daily_budget")
            adset.pop("bid_strategy", None), adset.pop("cost_cap", None)

    edit_json(config(ws), cbo)
    code, out, _ = run_cli(ws, capsys, "launch", BF)
    assert code == 0 and "✓ Campaign created (ID: 23846100000000001) - PAUSED, $100.00/day" in out
    assert live.state_dump()["campaigns"]["23846100000000001"]["daily_budget"] == "10000"
    code, out, _ = run_cli(ws, capsys, "activate", BF)
    assert code == 0 and "$100.00/day" in out and "$200.00" not in out and statuses(live) == {"PAUSED"}


def test_a_disabled_account_is_refused_in_the_preflight(ws, live, capsys, monkeypatch):
    monkeypatch.setenv("META_AD_ACCOUNT", "act_987654321")
    code, out, err = run_cli(ws, capsys, "launch", BF)
    assert code == 1 and "account_status 2" in err and "nothing was sent" in err
    assert live.request_counts.get("POST", 0) == 0
