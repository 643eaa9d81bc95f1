"""Plain words about audiences, the pixel and server events route to those tools (grammar only)."""

from __future__ import annotations

import pytest

from skill.nl.mentions import Vocabulary
from skill.nl.router import command_line, route

VOCAB = Vocabulary(campaigns=["summer-sale-2026"], ads={"summer-sale-2026": ["hero-receipt"]})


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("create an audience from customers.csv", "audience_create", {"name": "customers", "customers": "customers.csv"}),
    ('Create an audience called "VIP buyers" from audiences/customers.csv', "audience_create",
     {"name": "VIP buyers", "customers": "audiences/customers.csv"}),
    ("dry run: make a custom audience from customers.csv", "audience_create",
     {"name": "customers", "customers": "customers.csv", "dry_run": True}),
    ("check my pixel", "pixel_check", {}),
    ("is the pixel firing", "pixel_check", {}),
    ("Is the pixel firing?", "pixel_check", {}),
    ("are purchases being counted?", "pixel_check", {}),
    ("list audiences", "audiences", {}),
    ("show me my audiences", "audiences", {}),
    ("which audiences do I have?", "audiences", {}),
    ("make a 1% lookalike of 'VIP buyers' in the US", "audience_lookalike",
     {"source": "VIP buyers", "country": "US", "percent": 1}),
    ("build a 3 percent lookalike of VIP buyers in the UK", "audience_lookalike",
     {"source": "VIP buyers", "country": "GB", "percent": 3}),
    ("create a website audience of people who visited /cart in the last 14 days", "audience_website",
     {"name": "Visitors /cart 14d", "url_contains": "/cart", "days": 14}),
    ("send events/purchases.jsonl to the conversions api with test code TEST123", "capi_send",
     {"file": "events/purchases.jsonl", "test_event_code": "TEST123"}),
])
def test_routes(text, tool, args):
    found = route(text, VOCAB, use_model=False, env={})
    assert (found.tool, found.args) == (tool, args), found.reason


@pytest.mark.parametrize(("text", "needs"), [
    ("create a lookalike", "Which audience"),
    ("make a 2% lookalike of 'VIP buyers'", "In which country"),
    ("send server events to capi", "Which events file"),
    ("create a new audience", "From a customer list"),
])
def test_missing_pieces_are_asked_for(text, needs):
    found = route(text, VOCAB, use_model=False, env={})
    assert found.tool is None and needs in found.reason


def test_other_jobs_still_route_as_before():
    assert route("has the audience seen the summer sale creatives too many times?", VOCAB, use_model=False,
                 env={}).tool == "fatigue"
    assert route("How did the summer sale do last week?", VOCAB, use_model=False, env={}).tool == "insights"


def test_the_command_line_of_a_route_runs_the_same_tool():
    found = route('Create an audience called "VIP buyers" from audiences/customers.csv', VOCAB, use_model=False,
                  env={})
    assert command_line(found.tool, found.args) == \
        "meta-ads audience create 'VIP buyers' --customers audiences/customers.csv"


def test_ask_wants_a_yes_before_sending_a_customer_list(tmp_path, sandbox, monkeypatch, capsys):
    from factories import copy_workspace
    from skill.cli import main
    from support import SANDBOX_TOKEN

    ws = copy_workspace(tmp_path)
    (ws / "customers.csv").write_text("email\nmary@example.com\n")
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115 (not a terminal)
    code = main(["ask", "create an audience from customers.csv", "--workspace", str(ws), "--no-model"])
    _, err = capsys.readouterr()
    assert code == 2 and "needs a yes to send the customer list (hashed) to act_123456789" in err
    assert sandbox.request_count == 0
    code = main(["ask", "create an audience from customers.csv", "--workspace", str(ws), "--no-model", "--yes"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Created customer list audience 'customers'" in out
