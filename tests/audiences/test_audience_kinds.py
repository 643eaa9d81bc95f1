"""Website audiences, lookalikes, the audience list, and names resolved to ids for ad sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audience_helpers import write_customers
from recording import Recorder

from skill.audiences import audience_targeting, resolve_audiences
from skill.errors import ConfigError
from skill.graph import GraphClient
from skill.sandbox.pixel_data import PIXEL_ID
from skill.settings import load_settings
from support import SANDBOX_ACCOUNT, SANDBOX_TOKEN, run_cli


@pytest.fixture
def ws(ws: Path, live) -> Path:
    return ws


run = run_cli


def client_for(ws: Path, sandbox) -> GraphClient:
    return GraphClient.from_settings(load_settings(ws, env={"META_GRAPH_URL": sandbox.url,
                                                            "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN}))


def test_lookalike_of_a_customer_list(ws, sandbox, capsys):
    rec = Recorder(sandbox)
    assert run(ws, capsys, "audience", "create", "VIP buyers", "--customers", write_customers(ws, 2000))[0] == 0
    code, out, err = run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "us", "--percent", "2")
    assert code == 0, err
    assert "Created lookalike audience 'VIP buyers - lookalike US 2%'" in out and "ready for use" in out
    creates = [json.loads(b) for b, p in zip(rec.bodies, rec.paths, strict=True)
               if p == "POST act_123456789/customaudiences"]
    assert json.loads(creates[-1]["lookalike_spec"]) == {"ratio": 0.02, "country": "US"}
    assert creates[-1]["origin_audience_id"] == json.loads(run(ws, capsys, "audiences", "--json")[1])[
        "audiences"][0]["id"]
    code, out, _ = run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "US", "--percent", "2")
    assert code == 0 and "Found existing lookalike audience" in out
    assert rec.count("POST act_123456789/customaudiences") == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--country", "US", "--percent", "15"], "--percent must be 1 to 10"),
    (["--country", "USA"], "not a 2-letter country code"),
])
def test_lookalike_input_is_checked_before_any_call(ws, sandbox, capsys, args, message):
    code, _, err = run(ws, capsys, "audience", "lookalike", "VIP buyers", *args)
    assert code == 1 and message in err and sandbox.request_count == 0


def test_lookalike_of_an_unknown_audience_says_so(ws, sandbox, capsys):
    code, _, err = run(ws, capsys, "audience", "lookalike", "Nobody", "--country", "US")
    assert code == 1 and "no audience named 'Nobody'" in err


def test_website_audience_from_a_pixel_rule(ws, sandbox, capsys):
    rec = Recorder(sandbox)
    code, out, err = run(ws, capsys, "audience", "website", "Cart visitors 14d", "--url-contains", "/cart",
                         "--event", "AddToCart", "--days", "14")
    assert code == 0, err
    assert "Created website audience 'Cart visitors 14d'" in out
    create = json.loads(rec.bodies[rec.paths.index("POST act_123456789/customaudiences")])
    body = json.loads(create["rule"])
    assert create["retention_days"] == "14"
    rule = body["inclusions"]["rules"][0]
    assert rule["event_sources"] == [{"id": PIXEL_ID, "type": "pixel"}] and rule["retention_seconds"] == 14 * 86400
    assert rule["filter"]["filters"] == [{"field": "url", "operator": "i_contains", "value": "/cart"},
                                         {"field": "event", "operator": "eq", "value": "AddToCart"}]
    code, out, _ = run(ws, capsys, "audiences")
    assert code == 0 and "Cart visitors 14d  (website, id " in out and "people; ready" in out


def test_website_audience_days_are_checked(ws, sandbox, capsys):
    code, _, err = run(ws, capsys, "audience", "website", "Old", "--days", "400")
    assert code == 1 and "--days must be 1 to 180" in err and sandbox.request_count == 0


def test_engagement_sources_are_not_emulated_and_the_sandbox_says_so(graph):
    rule = {"inclusions": {"operator": "or", "rules": [{"event_sources": [{"id": "123456789", "type": "page"}],
                                                        "retention_seconds": 86400}]}}
    r = graph.post(f"{SANDBOX_ACCOUNT}/customaudiences", name="Engaged", rule=rule)
    assert r.status_code == 400 and "pixel sources only" in r.json()["error"]["error_user_msg"]


def test_resolve_audiences_for_a_launch_config(ws, sandbox, capsys):
    assert run(ws, capsys, "audience", "create", "VIP buyers", "--customers", write_customers(ws, 300))[0] == 0
    assert run(ws, capsys, "audience", "website", "Purchasers 180d", "--event", "Purchase", "--days", "180")[0] == 0
    listed = {a["name"]: a["id"] for a in json.loads(run(ws, capsys, "audiences", "--json")[1])["audiences"]}
    client = client_for(ws, sandbox)
    ids = resolve_audiences(client, SANDBOX_ACCOUNT, ["VIP buyers", "Purchasers 180d", "VIP buyers"])
    assert ids == listed
    with pytest.raises(ConfigError) as info:
        resolve_audiences(client, SANDBOX_ACCOUNT, ["VIP buyers", "VIP buyer", "Lapsed"])
    assert "'VIP buyer' (did you mean 'VIP buyers'?)" in str(info.value) and "'Lapsed'" in str(info.value)
    assert resolve_audiences(client, SANDBOX_ACCOUNT, []) == {}


def test_audience_targeting_gives_include_and_exclude_fields(ws, sandbox, capsys):
    assert run(ws, capsys, "audience", "create", "VIP buyers", "--customers", write_customers(ws, 300))[0] == 0
    assert run(ws, capsys, "audience", "website", "Purchasers 180d", "--event", "Purchase", "--days", "180")[0] == 0
    ids = {a["name"]: a["id"] for a in json.loads(run(ws, capsys, "audiences", "--json")[1])["audiences"]}
    client = client_for(ws, sandbox)
    targeting = audience_targeting(client, SANDBOX_ACCOUNT, include=["VIP buyers"], exclude=["Purchasers 180d"])
    assert targeting == {"custom_audiences": [{"id": ids["VIP buyers"], "name": "VIP buyers"}],
                         "excluded_custom_audiences": [{"id": ids["Purchasers 180d"], "name": "Purchasers 180d"}]}
    assert audience_targeting(client, SANDBOX_ACCOUNT) == {}
    with pytest.raises(ConfigError, match="both included and excluded"):
        audience_targeting(client, SANDBOX_ACCOUNT, include=["VIP buyers"], exclude=["VIP buyers"])


def test_website_and_lookalike_dry_runs_send_nothing(ws, sandbox, capsys):
    code, out, _ = run(ws, capsys, "audience", "website", "Buyers 30d", "--event", "Purchase", "--dry-run", "--json")
    assert code == 0
    create = json.loads(out)["payload"]["create"]
    assert create["path"] == "act_123456789/customaudiences" and create["retention_days"] == 30
    assert create["rule"]["inclusions"]["rules"][0]["filter"]["filters"] == [
        {"field": "event", "operator": "eq", "value": "Purchase"}]
    code, out, _ = run(ws, capsys, "audience", "lookalike", "Buyers 30d", "--country", "GB", "--percent", "5",
                       "--dry-run", "--json")
    assert code == 0
    assert json.loads(out)["payload"]["create"]["lookalike_spec"] == {"ratio": 0.05, "country": "GB"}
    assert sandbox.request_count == 0


def test_custom_audience_terms_not_accepted_says_where_to_accept_them(ws, sandbox, capsys):
    sandbox.api.state["accounts"][SANDBOX_ACCOUNT]["custom_audience_tos"] = False
    code, _, err = run(ws, capsys, "audience", "create", "VIP buyers", "--customers", write_customers(ws, 5))
    assert code == 1 and "Graph error 200/1870090" in err and "Custom Audience Terms Not Accepted" in err
    assert "customaudiences/tos/?act=123456789" in err


def test_a_second_lookalike_of_the_same_source_country_and_size_is_refused_with_a_hint(ws, sandbox, capsys):
    assert run(ws, capsys, "audience", "create", "VIP buyers", "--customers", write_customers(ws, 2000))[0] == 0
    assert run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "US")[0] == 0
    code, _, err = run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "US", "--name", "Other name")
    assert code == 1 and "Graph error 2654" in err and "exists under another name" in err
    assert run(ws, capsys, "audience", "lookalike", "VIP buyers", "--country", "US", "--percent", "3")[0] == 0


def test_an_existing_audience_with_another_rule_is_adopted_as_it_is_and_the_difference_said(ws, sandbox, capsys):
    rec = Recorder(sandbox)
    assert run(ws, capsys, "audience", "website", "Cart visitors", "--url-contains", "/cart", "--days", "14")[0] == 0
    code, out, _ = run(ws, capsys, "audience", "website", "Cart visitors", "--url-contains", "/cart", "--days", "14")
    assert code == 0 and "Found existing website audience" in out and "Note:" not in out
    code, out, _ = run(ws, capsys, "audience", "website", "Cart visitors", "--url-contains", "/basket", "--days", "30")
    assert code == 0 and "Note: 'Cart visitors' already exists with a different rule and retention (14 days, " \
        "not 30): it was left as it is." in out
    assert rec.count("POST act_123456789/customaudiences") == 1


def test_names_with_invisible_characters_are_refused_before_any_call(ws, sandbox, capsys):
    code, _, err = run(ws, capsys, "audience", "website", "Cart\u202evisitors", "--url-contains", "/cart")
    assert code == 1 and "U+202E" in err and sandbox.request_count == 0
