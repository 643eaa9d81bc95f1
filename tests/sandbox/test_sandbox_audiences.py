"""The sandbox's audiences and pixels over HTTP: Meta's checks, sessions, sizes, stats and server events."""

from __future__ import annotations

import hashlib
import time

import pytest

from skill.sandbox.pixel_data import PIXEL_ID
from support import SANDBOX_ACCOUNT


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def customer_list(graph, name: str = "VIP buyers") -> str:
    r = graph.post(f"{SANDBOX_ACCOUNT}/customaudiences", name=name, subtype="CUSTOM",
                   customer_file_source="USER_PROVIDED_ONLY")
    assert r.status_code == 200, r.text
    return r.json()["id"]


def add(graph, audience: str, rows: list, seq: int = 1, session_id: int = 7, last: bool = False, schema=None):
    return graph.post(f"{audience}/users", payload={"schema": schema or ["EMAIL"], "data": rows},
                      session={"session_id": session_id, "batch_seq": seq, "last_batch_flag": last})


def emails(n: int, start: int = 0) -> list[list[str]]:
    return [[h(f"person{i}@example.com")] for i in range(start, start + n)]


def error(r) -> dict:
    assert r.status_code == 400, r.text
    return r.json()["error"]


def test_unhashed_emails_are_refused_and_nothing_is_added(graph):
    audience = customer_list(graph)
    err = error(add(graph, audience, [[h("a@example.com")], ["mary@example.com"]]))
    assert err["code"] == 100 and err["error_user_title"] == "Data Not Hashed"
    assert "mary@example.com" not in err["error_user_msg"]
    body = graph.get(audience, fields="approximate_count_upper_bound").json()
    assert body["approximate_count_upper_bound"] == 0


def test_more_than_ten_thousand_rows_in_one_request_is_refused(graph):
    audience = customer_list(graph)
    err = error(add(graph, audience, emails(10_001)))
    assert err["code"] == 100 and "10,000" in err["error_user_msg"]


def test_a_session_adds_batches_in_order_and_counts_a_resent_batch_once(graph):
    audience = customer_list(graph)
    assert add(graph, audience, emails(300), seq=1).json()["num_received"] == 300
    again = add(graph, audience, emails(300), seq=1).json()  # the answer was lost; the same batch again
    assert again["num_received"] == 300
    assert error(add(graph, audience, emails(10, 300), seq=3))["error_user_title"] == "Invalid Batch Sequence"
    done = add(graph, audience, emails(200, 300), seq=2, last=True).json()
    assert done == {"audience_id": audience, "session_id": 7, "num_received": 500, "num_invalid_entries": 0,
                    "invalid_entry_samples": []}
    assert error(add(graph, audience, emails(5, 900), seq=3))["code"] == 2650  # the session is finished
    session = graph.get(f"{audience}/sessions").json()["data"][0]
    assert session["stage"] == "finished" and session["num_received"] == 500 and 0 < session["num_matched"] < 500


def test_rows_of_the_wrong_length_are_invalid_entries_not_errors(graph):
    audience = customer_list(graph)
    body = add(graph, audience, [[h("a@x.com"), h("1555")], [h("b@x.com"), ""], ["", h("1666")], ["only-one"]],
               schema=["EMAIL", "PHONE"]).json()
    assert body["num_received"] == 4 and body["num_invalid_entries"] == 1
    assert body["invalid_entry_samples"] == ["row 3: expected 2 values"]


def test_audience_reads_report_size_ranges_and_status(graph):
    audience = customer_list(graph)
    add(graph, audience, emails(3000), last=True)
    body = graph.get(audience, fields="name,subtype,approximate_count_lower_bound,approximate_count_upper_bound,"
                     "delivery_status,operation_status").json()
    assert body["subtype"] == "CUSTOM" and 1000 < body["approximate_count_lower_bound"]
    assert body["approximate_count_lower_bound"] < body["approximate_count_upper_bound"] < 3000
    assert body["delivery_status"]["code"] == 200 and body["operation_status"]["code"] == 200
    listed = graph.get(f"{SANDBOX_ACCOUNT}/customaudiences", fields="id,name").json()["data"]
    assert listed == [{"id": audience, "name": "VIP buyers"}]


def test_lookalike_checks_seed_ratio_and_country(graph):
    small = customer_list(graph, "tiny")
    add(graph, small, emails(20), last=True)
    big = customer_list(graph, "big")
    add(graph, big, emails(3000), last=True)
    post = lambda origin, spec: graph.post(f"{SANDBOX_ACCOUNT}/customaudiences", name="lal",  # noqa: E731
                                           subtype="LOOKALIKE", origin_audience_id=origin, lookalike_spec=spec)
    assert error(post(small, {"ratio": 0.01, "country": "US"}))["error_user_title"] == "Seed Audience Too Small"
    assert error(post(big, {"ratio": 0.25, "country": "US"}))["error_user_title"] == "Invalid Lookalike Ratio"
    assert error(post(big, {"ratio": 0.01}))["error_user_title"] == "Missing Lookalike Country"
    r = post(big, {"ratio": 0.15, "country": "US"})  # Meta allows up to 20%
    assert r.status_code == 200
    body = graph.get(r.json()["id"], fields="subtype,lookalike_spec,approximate_count_upper_bound").json()
    assert body["subtype"] == "LOOKALIKE" and body["lookalike_spec"]["ratio"] == 0.15
    assert body["approximate_count_upper_bound"] > 30_000_000


@pytest.mark.parametrize(("rule", "why"), [
    ({"inclusions": {"operator": "or", "rules": []}}, "at least one rule"),
    ({"inclusions": {"operator": "or", "rules": [{"event_sources": [{"id": "999", "type": "pixel"}],
                                                 "retention_seconds": 86400}]}}, "not a pixel of this ad account"),
    ({"inclusions": {"operator": "or", "rules": [{"event_sources": [{"id": PIXEL_ID, "type": "pixel"}],
                                                 "retention_seconds": 400 * 86400}]}}, "365 days"),
    ({"inclusions": {"operator": "or", "rules": [{"event_sources": [{"id": PIXEL_ID, "type": "pixel"}],
                                                 "retention_seconds": 86400, "filter": {"operator": "and", "filters": [
                                                     {"field": "event", "operator": "i_contains",
                                                      "value": "Purchase"}]}}]}}, "must use the operator 'eq'"),
])
def test_website_rules_are_checked(graph, rule, why):
    err = error(graph.post(f"{SANDBOX_ACCOUNT}/customaudiences", name="web", rule=rule))
    assert err["error_subcode"] == 1713098 and why in err["error_user_msg"]


def test_pixel_stats_show_purchase_silent_for_three_days(graph):
    now = int(time.time())
    pixel = graph.get(PIXEL_ID, fields="id,name,last_fired_time").json()
    assert pixel["name"] == "Snapbook Pixel" and pixel["last_fired_time"]
    hours = []
    r = graph.get(f"{PIXEL_ID}/stats", aggregation="event", start_time=now - 7 * 86400, end_time=now, limit=500)
    hours = r.json()["data"]
    assert 160 <= len(hours) <= 169 and all(hr["aggregation"] == "event" for hr in hours)
    last_purchase = max(hr["start_time"] for hr in hours if any(d["value"] == "Purchase" for d in hr["data"]))
    last_pageview = max(hr["start_time"] for hr in hours if any(d["value"] == "PageView" for d in hr["data"]))
    assert last_purchase < time.strftime("%Y-%m-%dT%H", time.gmtime(now - 3 * 86400 + 3600))
    assert last_pageview >= time.strftime("%Y-%m-%dT%H", time.gmtime(now - 3600))


def server_event(event_id: str, **over) -> dict:
    event = {"event_name": "Purchase", "event_time": int(time.time()), "event_id": event_id,
             "action_source": "website", "event_source_url": "https://yoursite.com/thanks",
             "user_data": {"em": [h("mary@example.com")], "client_user_agent": "Mozilla/5.0"}}
    event.update(over)
    return event


def purchases_last_hour(graph) -> int:
    now = int(time.time())
    hours = graph.get(f"{PIXEL_ID}/stats", aggregation="event", start_time=now - 3600, end_time=now + 1).json()["data"]
    return sum(d["count"] for hr in hours for d in hr["data"] if d["value"] == "Purchase")


def test_server_events_are_deduplicated_by_event_name_and_id(graph):
    r = graph.post(f"{PIXEL_ID}/events", data=[server_event("o-1"), server_event("o-2"), server_event("o-1")])
    assert r.status_code == 200 and r.json()["events_received"] == 3 and r.json()["fbtrace_id"]
    assert purchases_last_hour(graph) == 2
    graph.post(f"{PIXEL_ID}/events", data=[server_event("o-2")])
    assert purchases_last_hour(graph) == 2
    graph.post(f"{PIXEL_ID}/events", data=[server_event("o-3")], test_event_code="TEST123")
    assert purchases_last_hour(graph) == 2  # test events never reach the stats


@pytest.mark.parametrize(("event", "title"), [
    (server_event("x", event_time=int(time.time()) - 8 * 86400), "Event Time Too Old"),
    (server_event("x", action_source="web"), "Invalid Action Source"),
    (server_event("x", event_source_url=None), "Missing Event Field"),
    (server_event("x", user_data={"em": ["mary@example.com"], "client_user_agent": "UA"}), "User Data Not Hashed"),
    ({k: v for k, v in server_event("x").items() if k != "event_name"}, "Missing Event Field"),
])
def test_one_bad_server_event_rejects_the_whole_request(graph, event, title):
    err = error(graph.post(f"{PIXEL_ID}/events", data=[server_event("ok-1"), event]))
    assert err["code"] == 100 and err["error_user_title"] == title
    assert purchases_last_hour(graph) == 0


def test_more_than_a_thousand_server_events_are_refused(graph):
    err = error(graph.post(f"{PIXEL_ID}/events", data=[server_event(f"e{i}") for i in range(1001)]))
    assert err["error_user_title"] == "Too Many Events"


def test_a_state_saved_before_pixels_existed_gets_the_seeded_pixel(tmp_path):
    import json

    from skill.sandbox.state import State, seed_data

    old = seed_data()
    old.pop("pixels")
    for adset in old["adsets"].values():
        adset.pop("promoted_object", None)
    path = tmp_path / "state.json"
    path.write_text(json.dumps(old))
    state = State.load(path)
    assert PIXEL_ID in state["pixels"]
    assert state["adsets"]["23847000000001"]["promoted_object"]["custom_event_type"] == "PURCHASE"


def test_the_sandbox_bookkeeping_is_not_readable_as_fields(graph):
    audience = customer_list(graph)
    add(graph, audience, emails(10), last=True)
    for node, field in ((audience, "members"), (audience, "sessions"), (PIXEL_ID, "profile"), (PIXEL_ID, "received")):
        err = error(graph.get(node, fields=f"id,{field}"))
        assert err["code"] == 100 and f"nonexisting field ({field})" in err["message"]
    body = graph.get(audience, fields="id,rule,lookalike_spec,customer_file_source").json()
    assert body == {"id": audience, "customer_file_source": "USER_PROVIDED_ONLY"}  # unset fields are left out
