"""Async request sets in the sandbox: progress as they are polled, bad requests failing alone, cancel."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from skill.sandbox import Sandbox
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, Graph, creative_params, feed_spec, png_bytes

COUNTS = "total_count,initial_count,in_progress_count,success_count,error_count,canceled_count,is_completed"


def ad_item(name: str, creative: str, ad_name: str) -> dict[str, str]:
    body = (f"name={ad_name}&adset_id={SANDBOX_ADSET}&status=PAUSED"
            f"&creative=%7B%22creative_id%22%3A%22{creative}%22%7D")
    return {"name": name, "relative_url": f"{SANDBOX_ACCOUNT}/ads", "body": body}


def creative_item(name: str, image_hash: str, creative_name: str, text: str = "Snap a receipt") -> dict[str, str]:
    spec = feed_spec(image_hash, bodies=[{"text": text}])
    params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in
              creative_params(image_hash, name=creative_name, asset_feed_spec=spec).items()}
    return {"name": name, "relative_url": f"{SANDBOX_ACCOUNT}/adcreatives", "body": urlencode(params)}


def counts(graph: Graph, set_id: str) -> dict[str, Any]:
    row = graph.get(set_id, fields=COUNTS).json()
    return {k: row[k] for k in COUNTS.split(",")}


def make_set(graph: Graph, items: list[dict[str, str]], name: str = "big set") -> str:
    r = graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", name=name, adbatch=items)
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"id"}
    return r.json()["id"]


def test_a_set_moves_forward_as_it_is_polled(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(async_ops_per_poll=4)
    creative = graph.create_creative(graph.upload_image(png_bytes()))
    set_id = make_set(graph, [ad_item(f"a{i}", creative, f"async {i}") for i in range(10)])
    assert sandbox.state_dump()["ads"] == {}, "nothing runs before the set is read"
    first = counts(graph, set_id)
    assert first == {"total_count": 10, "initial_count": 2, "in_progress_count": 4, "success_count": 4,
                     "error_count": 0, "canceled_count": 0, "is_completed": False}
    assert counts(graph, set_id)["success_count"] == 8
    last = counts(graph, set_id)
    assert (last["success_count"], last["is_completed"], last["initial_count"]) == (10, True, 0)
    rows = graph.get(f"{set_id}/requests", fields="id,status,result,input,async_request_set").json()["data"]
    ads = sandbox.state_dump()["ads"]
    assert [r["result"]["id"] in ads for r in rows] == [True] * 10
    assert rows[0]["input"]["name"] == "a0" and rows[0]["async_request_set"]["id"] == set_id
    assert {a["status"] for a in ads.values()} == {"PAUSED"}
    assert sandbox.request_counts["async_polls"] >= 3


def test_bad_requests_fail_alone_with_metas_message(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(policy_words=["guaranteed"])
    image_hash = graph.upload_image(png_bytes())
    items = [creative_item("c0", image_hash, "fine"), ad_item("a0", "{result=c0:$.id}", "fine ad"),
             creative_item("c1", image_hash, "bad", "guaranteed wealth"), ad_item("a1", "{result=c1:$.id}", "bad ad"),
             {"name": "a2", "relative_url": f"{SANDBOX_ACCOUNT}/ads", "body": "name=missing-fields"}]
    set_id = make_set(graph, items)
    assert counts(graph, set_id)["is_completed"] is True
    rows = graph.get(f"{set_id}/requests", fields="status,result,input").json()["data"]
    status = {r["input"]["name"]: r["status"] for r in rows}
    assert status == {"c0": "SUCCESS", "a0": "SUCCESS", "c1": "ERROR", "a1": "ERROR", "a2": "ERROR"}
    by_name = {r["input"]["name"]: r["result"] for r in rows}
    assert by_name["c1"][0]["error_code"] == 100
    assert "Advertising Policies" in by_name["c1"][0]["error_user_msg"]
    assert "c1" in by_name["a1"][0]["error_message"] + str(by_name["a1"][0]["error_user_msg"])
    assert by_name["a2"][0]["error_code"] == 100
    errors = graph.get(f"{set_id}/requests", status="ERROR").json()["data"]
    assert len(errors) == 3
    sdk_style = graph.get(f"{set_id}/requests", statuses='["SUCCESS"]').json()["data"]
    assert len(sdk_style) == 2
    assert [a["name"] for a in sandbox.state_dump()["ads"].values()] == ["fine ad"]


def test_cancel_stops_what_is_not_processed(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(async_ops_per_poll=3)
    creative = graph.create_creative(graph.upload_image(png_bytes()))
    set_id = make_set(graph, [ad_item(f"a{i}", creative, f"c {i}") for i in range(10)])
    assert counts(graph, set_id)["in_progress_count"] == 3
    rows = graph.get(f"{set_id}/requests", fields="id,status").json()["data"]  # a read: 6 done, 3 in progress
    initial = [r["id"] for r in rows if r["status"] == "INITIAL"]
    done = [r["id"] for r in rows if r["status"] == "SUCCESS"]
    assert graph.delete(initial[0]).json() == {"success": True}
    refused = graph.delete(done[0])
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 100
    assert graph.delete(set_id).json() == {"success": True}
    after = counts(graph, set_id)
    assert after["is_completed"] is True
    assert (after["success_count"], after["canceled_count"]) == (9, 1)
    assert len(sandbox.state_dump()["ads"]) == 9


def test_the_account_lists_its_sets_and_a_set_can_be_renamed(sandbox: Sandbox, graph: Graph) -> None:
    creative = graph.create_creative(graph.upload_image(png_bytes()))
    first = make_set(graph, [ad_item("a", creative, "x")], name="one")
    second = make_set(graph, [ad_item("a", creative, "y")], name="two")
    graph.get(first)  # polled: complete
    running = graph.get(f"{SANDBOX_ACCOUNT}/asyncadrequestsets", is_completed="false").json()["data"]
    assert [s["id"] for s in running] == [second]
    assert graph.post(second, name="renamed", notification_mode="ON_COMPLETE").json() == {"success": True}
    bad = graph.post(second, notification_mode="SOMETIMES")
    assert bad.status_code == 400
    row = graph.get(second, fields="name,notification_mode").json()
    assert (row["name"], row["notification_mode"]) == ("renamed", "ON_COMPLETE")
    every = graph.get(f"{SANDBOX_ACCOUNT}/async_requests").json()["data"]
    assert [s["id"] for s in every] == [second, first]


def test_a_set_holds_at_most_1000_requests(graph: Graph) -> None:
    ok = [{"name": f"x{i}", "relative_url": "me", "method": "GET"} for i in range(1000)]
    assert graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", adbatch=ok).status_code == 200
    r = graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", adbatch=ok + ok[:1])
    assert r.status_code == 400 and r.json()["error"]["code"] == 100 and "1000" in r.json()["error"]["message"]
