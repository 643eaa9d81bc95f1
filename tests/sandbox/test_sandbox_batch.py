"""The batch endpoint (references, attached files, dependencies, limits) and async batch requests."""

from __future__ import annotations

import json
from urllib.parse import quote

from skill.sandbox import Sandbox
from skill.sandbox.batch import jsonpath, resolve
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, SANDBOX_PAGE, Graph, feed_spec, png_bytes

STORY = json.dumps({"page_id": SANDBOX_PAGE})


def creative_body(hash_ref: str, name: str = "c") -> str:
    feed = json.dumps(feed_spec(hash_ref))
    return f"name={name}&object_story_spec={STORY}&asset_feed_spec={feed}"


def ad_body(creative_ref: str, name: str) -> str:
    return f'name={name}&adset_id={SANDBOX_ADSET}&status=PAUSED&creative={{"creative_id":"{creative_ref}"}}'


def upload_ops(i: int, omit: bool | None = False) -> list[dict]:
    ops = [
        {"method": "POST", "name": f"img{i}", "relative_url": f"v26.0/{SANDBOX_ACCOUNT}/adimages",
         "attached_files": f"file{i}"},
        {"method": "POST", "name": f"cr{i}", "relative_url": f"{SANDBOX_ACCOUNT}/adcreatives",
         "body": creative_body(f"{{result=img{i}:$.images.*.hash}}", f"creative {i}")},
        {"method": "POST", "name": f"ad{i}", "relative_url": f"/v26.0/{SANDBOX_ACCOUNT}/ads",
         "body": ad_body(f"{{result=cr{i}:$.id}}", f"summer-sale-2026 - ad {i}")},
    ]
    if omit is not None:
        for op in ops:
            op["omit_response_on_success"] = omit
    return ops


def decoded(entries: list) -> list:
    return [None if e is None else json.loads(e["body"]) for e in entries]


def test_batch_upload_chain_with_references(sandbox: Sandbox, graph: Graph) -> None:
    files = {f"file{i}": (f"hero{i}.png", png_bytes(seed=i + 1)) for i in range(2)}
    r = graph.batch(upload_ops(0) + upload_ops(1), files=files)
    assert r.status_code == 200
    entries = r.json()
    assert len(entries) == 6 and all(e["code"] == 200 for e in entries)
    bodies = decoded(entries)
    image_hash = bodies[0]["images"]["hero0.png"]["hash"]
    state = sandbox.state_dump()
    creative = state["creatives"][bodies[1]["id"]]
    assert creative["asset_feed_spec"]["images"] == [{"hash": image_hash}]
    ad = state["ads"][bodies[2]["id"]]
    assert ad["creative"]["id"] == bodies[1]["id"] and ad["status"] == "PAUSED"
    headers = {h["name"]: h["value"] for h in entries[2]["headers"]}
    assert "x-business-use-case-usage" in headers and "x-ad-account-usage" in headers
    assert json.loads(headers["x-business-use-case-usage"])["123456789"][0]["type"] == "ads_management"


def test_referenced_responses_are_omitted_by_default(graph: Graph) -> None:
    files = {"file0": ("hero.png", png_bytes())}
    entries = graph.batch(upload_ops(0, omit=None), files=files).json()
    assert entries[0] is None and entries[1] is None  # referenced, so omitted as Meta does
    assert entries[2]["code"] == 200 and json.loads(entries[2]["body"])["id"]


def test_reads_in_a_batch_and_data_references(graph: Graph) -> None:
    for i in range(2):
        graph.make_ad(name=f"ad {i}", seed=i + 1)
    ops = [
        {"method": "GET", "name": "list", "relative_url": f"{SANDBOX_ADSET}/ads?fields=id", "omit_response_on_success":
         False},
        {"method": "GET", "relative_url": "v26.0/{result=list:$.data.0.id}?fields=name"},
        {"method": "GET", "relative_url": "{result=list:$.data[1].id}?fields=name,status"},
        {"method": "GET", "relative_url": "me"},
    ]
    bodies = decoded(graph.batch(ops).json())
    ids = [d["id"] for d in bodies[0]["data"]]
    assert bodies[1]["id"] == ids[0] and bodies[2]["id"] == ids[1] and bodies[2]["status"] == "PAUSED"
    assert bodies[3]["name"] == "Sandbox User"


def test_failed_dependency_fails_dependents(sandbox: Sandbox, graph: Graph) -> None:
    ops = upload_ops(0)
    ops[0]["attached_files"] = "file0"
    files = {"file0": ("bad.png", b"not an image")}
    entries = graph.batch(ops, files=files).json()
    assert entries[0]["code"] == 400 and json.loads(entries[0]["body"])["error"]["code"] == 100
    for entry in entries[1:]:
        error = json.loads(entry["body"])["error"]
        assert entry["code"] == 500 and error["code"] == 1
        assert error["error_user_title"] == "Dependency Failed"
    assert sandbox.state_dump()["ads"] == {} and sandbox.state_dump()["creatives"] == {}


def test_depends_on_without_reference(graph: Graph) -> None:
    ops = [
        {"method": "POST", "name": "first", "relative_url": f"{SANDBOX_ACCOUNT}/ads", "body": "name=x"},
        {"method": "GET", "relative_url": "me", "depends_on": "first"},
        {"method": "GET", "relative_url": "me"},
    ]
    entries = graph.batch(ops).json()
    assert entries[0]["code"] == 400
    assert json.loads(entries[1]["body"])["error"]["error_user_title"] == "Dependency Failed"
    assert entries[2]["code"] == 200


def test_batch_limits_and_bad_input(graph: Graph) -> None:
    ops = [{"method": "GET", "relative_url": "me"}] * 51
    r = graph.batch(ops)
    assert r.status_code == 400 and r.json()["error"]["code"] == 100 and "50" in r.json()["error"]["message"]
    assert graph.batch([{"method": "GET", "relative_url": "me"}] * 50).status_code == 200
    r = graph.session.post(graph.sandbox.url, data={"batch": "[not json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == 100
    r = graph.session.post(graph.sandbox.url + "/v26.0/", data={"batch": json.dumps([{"relative_url": "me"}])})
    assert r.status_code == 200 and r.json()[0]["code"] == 200
    missing_file = [{"method": "POST", "relative_url": f"{SANDBOX_ACCOUNT}/adimages", "attached_files": "nope"}]
    assert graph.batch(missing_file).json()[0]["code"] == 400
    assert graph.session.post(graph.sandbox.url).status_code == 400


def test_include_headers_false(graph: Graph) -> None:
    entries = graph.batch([{"method": "GET", "relative_url": "me"}], include_headers="false").json()
    assert set(entries[0]) == {"code", "body"}


def test_batch_body_encoded_references(graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    ops = [{"method": "GET", "name": "c", "relative_url": f"{creative_id}?fields=id"},
           {"method": "POST", "relative_url": f"{SANDBOX_ACCOUNT}/ads",
            "body": quote(ad_body("{result=c:$.id}", "encoded"), safe="=&")}]
    bodies = decoded(graph.batch(ops).json())
    assert bodies[0] is None and bodies[1]["id"].isdigit()


def test_jsonpath_and_resolve() -> None:
    doc = {"images": {"a.png": {"hash": "h1"}}, "data": [{"id": "1"}, {"id": "2"}], "id": "9"}
    assert jsonpath(doc, "$.images.*.hash") == ["h1"]
    assert jsonpath(doc, "$.data.*.id") == ["1", "2"]
    assert jsonpath(doc, "$.data[1].id") == ["2"]
    assert resolve("ids={result=x:$.data.*.id}&id={result=x:$.id}", {"x": doc}) == "ids=1,2&id=9"


# ---------------------------------------------------------------- async batch requests


def test_async_batch_requests(sandbox: Sandbox, graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    adbatch = [{"name": f"ad{i}", "relative_url": f"{SANDBOX_ACCOUNT}/ads",
                "body": ad_body(creative_id, f"async ad {i}")} for i in range(3)]
    adbatch.append({"name": "bad", "relative_url": f"{SANDBOX_ACCOUNT}/ads", "body": "name=missing-fields"})
    r = graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", name="launch", adbatch=adbatch)
    set_id = r.json()["id"]
    assert set(r.json()) == {"id"}
    overview = graph.get(set_id).json()
    assert overview == {"id": set_id, "owner_id": "123456789", "name": "launch", "is_completed": True}
    counts = graph.get(set_id, fields="total_count,success_count,error_count").json()
    assert (counts["total_count"], counts["success_count"], counts["error_count"]) == (4, 3, 1)
    reqs = graph.get(f"{set_id}/requests", fields="id,scope_object_id,status,result,input").json()["data"]
    assert [q["status"] for q in reqs] == ["SUCCESS"] * 3 + ["ERROR"]
    assert reqs[0]["scope_object_id"] == SANDBOX_ADSET
    assert reqs[0]["result"]["id"] in sandbox.state_dump()["ads"]
    assert reqs[3]["result"][0]["error_code"] == 100
    errors = graph.get(f"{set_id}/requests", status="ERROR").json()["data"]
    assert len(errors) == 1 and set(errors[0]) == {"id", "scope_object_id", "status"}
    listed = graph.get(f"{SANDBOX_ACCOUNT}/async_requests").json()["data"]
    assert [s["id"] for s in listed] == [set_id]
    assert graph.get(f"{SANDBOX_ACCOUNT}/asyncadrequestsets").json()["data"][0]["is_completed"] is True


def test_async_batch_references_and_limit(graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    adbatch = [{"name": "c", "relative_url": f"{creative_id}?fields=id", "method": "GET"},
               {"name": "a", "relative_url": f"{SANDBOX_ACCOUNT}/ads", "body": ad_body("{result=c:$.id}", "ref")}]
    set_id = graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", adbatch=adbatch).json()["id"]
    statuses = [q["status"] for q in graph.get(f"{set_id}/requests").json()["data"]]
    assert statuses == ["SUCCESS", "SUCCESS"]
    too_many = [{"name": f"x{i}", "relative_url": "me", "method": "GET"} for i in range(1001)]
    r = graph.post(f"{SANDBOX_ACCOUNT}/async_batch_requests", adbatch=too_many)
    assert r.status_code == 400 and "1000" in r.json()["error"]["message"]
