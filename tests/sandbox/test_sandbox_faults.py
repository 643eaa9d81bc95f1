"""Every fault the sandbox injects, and the rate limit, over real HTTP. Seeded, so deterministic."""

from __future__ import annotations

import json
import time

import pytest
import requests

from skill.sandbox import Sandbox
from skill.sandbox.ratelimit import RateLimiter
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, Graph, png_bytes


def test_latency_per_request_and_per_batch_op(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(latency_ms=60)
    start = time.perf_counter()
    graph.get("me")
    assert time.perf_counter() - start >= 0.06
    start = time.perf_counter()
    graph.batch([{"method": "GET", "relative_url": "me"}] * 3)
    assert time.perf_counter() - start >= 0.24  # the request, then each of 3 operations


def test_fail_rate_gives_transient_500s(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(fail_rate=1.0, seed=1)
    codes = set()
    for _ in range(12):
        r = graph.get("23847000000001")
        assert r.status_code == 500
        error = r.json()["error"]
        codes.add(error["code"])
        if error["code"] == 2:
            assert error["is_transient"] is True
        assert "x-business-use-case-usage" in r.headers
    assert codes == {1, 2}
    assert sandbox.request_counts["transient"] == 12


def test_failed_writes_change_nothing(sandbox: Sandbox, graph: Graph) -> None:
    image = png_bytes()
    sandbox.configure(fail_rate=1.0)
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("a.png", image)})
    assert r.status_code == 500
    assert sandbox.state_dump()["images"] == {}


def test_fail_rate_is_seeded(sandbox: Sandbox, graph: Graph) -> None:
    def run() -> list[int]:
        sandbox.configure(fail_rate=0.5, seed=42)
        return [graph.get("me").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert 200 in first and 500 in first


def test_fail_rate_inside_a_batch(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(fail_rate=0.5, seed=3)
    entries = graph.batch([{"method": "GET", "relative_url": "me"}] * 20).json()
    codes = {e["code"] for e in entries}
    assert codes == {200, 500}


def test_null_rate_skips_batch_operations(sandbox: Sandbox, graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    sandbox.configure(null_rate=0.5, seed=5)
    ops = [{"method": "POST", "relative_url": f"{SANDBOX_ACCOUNT}/ads",
            "body": f'name=ad-{i}&adset_id={SANDBOX_ADSET}&status=PAUSED&creative={{"creative_id":"{creative_id}"}}'}
           for i in range(10)]
    entries = graph.batch(ops).json()
    ran = [e for e in entries if e is not None]
    assert 0 < len(ran) < 10
    names = {a["name"] for a in sandbox.state_dump()["ads"].values()}
    assert names == {f"ad-{i}" for i, e in enumerate(entries) if e is not None}  # null = not run
    assert graph.get("me").status_code == 200  # plain requests are never null


def test_drop_rate_commits_then_closes_the_connection(sandbox: Sandbox, graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    sandbox.configure(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        graph.post(f"{SANDBOX_ACCOUNT}/ads", name="lost-response", adset_id=SANDBOX_ADSET,
                   creative={"creative_id": creative_id}, status="PAUSED")
    ads = sandbox.state_dump()["ads"]
    assert [a["name"] for a in ads.values()] == ["lost-response"]  # the write happened
    assert graph.get("me").status_code == 200  # reads are answered
    sandbox.configure(drop_rate=0.0)
    found = graph.get(f"{SANDBOX_ACCOUNT}/ads", fields="name",
                      filtering=[{"field": "name", "operator": "EQUAL", "value": "lost-response"}]).json()
    assert len(found["data"]) == 1
    assert sandbox.request_counts["dropped"] == 1


def test_drop_rate_on_a_batch(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(drop_rate=1.0)
    files = {"f": ("a.png", png_bytes())}
    with pytest.raises(requests.ConnectionError):
        graph.batch([{"method": "POST", "relative_url": f"{SANDBOX_ACCOUNT}/adimages", "attached_files": "f"}],
                    files=files)
    assert len(sandbox.state_dump()["images"]) == 1
    assert graph.batch([{"method": "GET", "relative_url": "me"}]).status_code == 200


def test_drop_persists_before_closing(tmp_path) -> None:
    path = tmp_path / "state.json"
    with Sandbox(state_path=path, drop_rate=1.0) as sb:
        with pytest.raises(requests.ConnectionError):
            Graph(sb).post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("a.png", png_bytes())})
        assert len(json.loads(path.read_text())["images"]) == 1


def test_token_expires_after_n_calls(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(expire_token_after=3)
    assert [graph.get("me").status_code for _ in range(3)] == [200, 200, 200]
    r = graph.get("me")
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == 190 and error["error_subcode"] == 463
    sandbox.configure(expire_token_after=None)
    assert graph.get("me").status_code == 200


def test_block_account_gives_368(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(block_account=True)
    r = graph.post(f"{SANDBOX_ACCOUNT}/ads", name="x")
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == 368 and error["error_user_title"]
    sandbox.configure(block_account=False)
    assert graph.get("me").status_code == 200


# ---------------------------------------------------------------- rate limits


def usage(r: requests.Response) -> tuple[dict, dict]:
    buc = json.loads(r.headers["x-business-use-case-usage"])
    return buc["123456789"][0], json.loads(r.headers["x-ad-account-usage"])


def test_usage_headers_on_every_response(graph: Graph) -> None:
    r = graph.get("23847000000001")
    buc, account = usage(r)
    assert set(buc) == {"type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access",
                        "ads_api_access_tier"}
    assert buc["type"] == "ads_management" and buc["ads_api_access_tier"] == "standard_access"
    assert set(account) == {"acc_id_util_pct", "reset_time_duration", "ads_api_access_tier"}
    assert set(json.loads(r.headers["x-app-usage"])) == {"call_count", "total_cputime", "total_time"}
    assert "x-business-use-case-usage" in graph.get("nothing").headers  # errors too


def test_reads_cost_1_writes_cost_3(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(rate_budget=100, rate_window_s=600)
    graph.get(SANDBOX_ACCOUNT)
    _, account = usage(graph.get(SANDBOX_ACCOUNT))
    assert account["acc_id_util_pct"] == pytest.approx(2.0, abs=0.05)
    _, account = usage(graph.post("23847000000001", name="summer-sale-2026 - broad"))
    assert account["acc_id_util_pct"] == pytest.approx(5.0, abs=0.05)
    r = graph.batch([{"method": "GET", "relative_url": SANDBOX_ACCOUNT},
                     {"method": "POST", "relative_url": "23847000000001", "body": "name=n"}])
    last = {h["name"]: h["value"] for h in r.json()[1]["headers"]}
    assert json.loads(last["x-ad-account-usage"])["acc_id_util_pct"] == pytest.approx(9.0, abs=0.05)


def test_over_budget_is_80004_then_regained(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(rate_budget=10, rate_window_s=5.0, tier="development_access")  # drains 2 points/s
    now = [1000.0]
    sandbox.api.limiter.clock = lambda: now[0]  # the scores' clock stands still unless the test moves it
    statuses = [graph.get(SANDBOX_ACCOUNT).status_code for _ in range(10)]
    assert statuses == [200] * 10
    r = graph.post("23847000000001", name="summer-sale-2026 - broad")  # a write costs 3: over budget
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == 80004 and error["error_subcode"] == 2446079
    assert "too many calls to this ad-account" in error["message"] and error["is_transient"] is True
    buc, account = usage(r)
    assert buc["call_count"] >= 90 and buc["estimated_time_to_regain_access"] >= 1
    assert buc["ads_api_access_tier"] == "development_access"
    assert 0 < account["reset_time_duration"] <= 5
    now[0] += 0.6  # time goes by: 1.2 points drained
    assert graph.get(SANDBOX_ACCOUNT).status_code == 200  # the score drained enough for a read


def test_rate_limit_inside_a_batch(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(rate_budget=5, rate_window_s=600)
    entries = graph.batch([{"method": "GET", "relative_url": SANDBOX_ACCOUNT}] * 7).json()
    codes = [e["code"] for e in entries]
    assert codes == [200] * 5 + [400] * 2
    assert json.loads(entries[-1]["body"])["error"]["code"] == 80004


def test_limits_are_per_account(sandbox: Sandbox, graph: Graph) -> None:
    sandbox.configure(rate_budget=3, rate_window_s=600)
    assert [graph.get(SANDBOX_ACCOUNT).status_code for _ in range(4)] == [200, 200, 200, 400]
    assert graph.get("act_987654321").status_code == 200
    assert graph.get("me").status_code == 200  # not an ad-account call


def test_limiter_drains_linearly() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limiter.budget_override, limiter.window_override = 60.0, 60.0
    assert limiter.charge("1", 30) is None
    now[0] = 15.0
    assert limiter.score("1") == pytest.approx(15.0)
    assert limiter.charge("1", 50) == 1  # 5 points over at 1 point/s: under a minute, so 1 minute
    assert limiter.charge("1", 45) is None
