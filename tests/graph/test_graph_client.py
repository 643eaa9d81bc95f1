"""The Graph client over real HTTP against the sandbox: retries, pacing, pagination, batch,
lost answers, and the token kept out of everything."""

from __future__ import annotations

import pytest

from skill.errors import (
    AccountBlocked,
    GraphConnectionError,
    InvalidParameter,
    RateLimited,
    TokenInvalid,
)
from skill.events import Collector
from skill.graph import BatchOp, GraphClient, ref
from support import SANDBOX_ACCOUNT, SANDBOX_ADSET, creative_params, png_bytes


def client_for(sandbox, token="sandbox-token", **kw) -> tuple[GraphClient, Collector, list[float]]:
    events, sleeps = Collector(), []
    kw.setdefault("retry_base_s", 0.01)
    client = GraphClient(sandbox.url, token, "v26.0", sleep=sleeps.append, report=events, timeout=5, **kw)
    return client, events, sleeps


def test_get_and_post(sandbox):
    client, _, _ = client_for(sandbox)
    assert client.get("me")["id"]
    answer = client.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("a.png", png_bytes())})
    assert len(answer["images"]["a.png"]["hash"]) == 32
    assert client.stats.http_requests == 2


def test_transient_errors_are_retried_and_announced(sandbox):
    sandbox.configure(fail_rate=0.5, seed=3)
    client, events, sleeps = client_for(sandbox, max_retries=8)
    for _ in range(10):
        assert client.get(SANDBOX_ACCOUNT)["id"] == SANDBOX_ACCOUNT
    assert client.stats.retries > 0 and len(sleeps) == client.stats.retries
    assert any(line.startswith("Transient error (code") and "before retry (attempt 1/8)" in line
               for line in events.lines)


def test_rate_limit_is_retried_with_the_product_message(sandbox):
    sandbox.configure(rate_budget=6, rate_window_s=1)
    events = Collector()
    client = GraphClient(sandbox.url, "sandbox-token", retry_base_s=0.1, retry_cap_s=0.3, report=events, max_retries=5,
                         timeout=5)
    client.pacer.base_s = 0  # measure the retry path, not the pacing
    for _ in range(8):
        client.get(SANDBOX_ACCOUNT)
    assert client.stats.rate_limited >= 1 and client.stats.retries >= 1
    assert any(line.startswith("Rate limited (error 80004). Waiting") for line in events.lines)
    assert "✓ Retry successful" in events.lines


def test_rate_limit_gives_up_after_max_retries(sandbox):
    sandbox.configure(rate_budget=1, rate_window_s=600)
    client, _, sleeps = client_for(sandbox, max_retries=2)
    client.pacer.base_s = 0
    with pytest.raises(RateLimited) as exc:
        for _ in range(5):
            client.get(SANDBOX_ACCOUNT)
    assert exc.value.code == 80004 and exc.value.hint and len(sleeps) == 2


def test_pacing_waits_before_the_limit(sandbox):
    sandbox.configure(rate_budget=20, rate_window_s=600)
    client, events, sleeps = client_for(sandbox)
    for _ in range(18):
        client.get(SANDBOX_ACCOUNT)
    assert client.usage.max_pct >= 75
    assert any(e.kind == "pace" for e in events.events), "slowed down before Meta said no"
    assert client.stats.rate_limited == 0


def test_invalid_parameter_is_not_retried(sandbox):
    client, _, sleeps = client_for(sandbox)
    with pytest.raises(InvalidParameter) as exc:
        client.post(f"{SANDBOX_ACCOUNT}/ads", {"name": "x", "adset_id": SANDBOX_ADSET,
                                               "creative": {"creative_id": "404"}, "status": "PAUSED"})
    assert exc.value.code == 100 and exc.value.fbtrace_id and sleeps == []


def test_bad_token_stops_and_is_never_shown(sandbox):
    client, _, sleeps = client_for(sandbox, token="EAAB-not-a-real-token-123")
    with pytest.raises(TokenInvalid) as exc:
        client.get("me")
    assert sleeps == [] and exc.value.code == 190
    assert "EAAB-not-a-real-token-123" not in str(exc.value) + repr(exc.value.to_dict())


def test_lost_write_is_not_reposted(sandbox):
    sandbox.configure(drop_rate=1.0)
    client, _, _ = client_for(sandbox)
    with pytest.raises(GraphConnectionError) as exc:
        client.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("a.png", png_bytes(seed=9))})
    assert exc.value.may_have_succeeded
    assert len(sandbox.state_dump()["images"]) == 1, "the write happened once, and only once"


def test_pagination_follows_next_without_the_token(sandbox, graph):
    for i in range(7):
        graph.make_ad(name=f"summer-sale-2026 - ad{i}", seed=i + 1)
    client, _, _ = client_for(sandbox)
    names = [row["name"] for row in client.paginate(f"{SANDBOX_ADSET}/ads", {"fields": "name", "limit": 3})]
    assert len(names) == 7 and len(set(names)) == 7
    assert client.stats.http_requests == 3


def test_batch_chain_with_references(sandbox):
    client, _, _ = client_for(sandbox)
    params = creative_params("placeholder")
    params["asset_feed_spec"]["images"] = [{"hash": ref("img", "$.images.*.hash")}]
    ops = [
        BatchOp("POST", f"{SANDBOX_ACCOUNT}/adimages", None, name="img", attached_files="f0",
                omit_response_on_success=False),
        BatchOp("POST", f"{SANDBOX_ACCOUNT}/adcreatives", params, name="cr", omit_response_on_success=False),
        BatchOp("POST", f"{SANDBOX_ACCOUNT}/ads", {"name": "summer-sale-2026 - chained", "adset_id": SANDBOX_ADSET,
                                                  "creative": {"creative_id": ref("cr")}, "status": "PAUSED"}),
    ]
    results = client.batch(ops, files={"f0": ("hero.png", png_bytes(seed=4))})
    assert all(r is not None and r.ok for r in results), [r and r.data for r in results]
    ad_id = results[2].data["id"]
    assert client.get(ad_id, {"fields": "status,name"})["status"] == "PAUSED"
    assert client.stats.batch_calls == 1


def test_null_entries_that_stand_alone_are_resent(sandbox, graph):
    ad_ids = [graph.make_ad(name=f"summer-sale-2026 - n{i}", seed=i + 1) for i in range(6)]
    sandbox.configure(null_rate=0.4, seed=3)
    client, _, _ = client_for(sandbox, max_retries=6)
    results = client.batch([BatchOp("GET", f"{ad}?fields=status") for ad in ad_ids])
    assert all(r is not None and r.ok and r.data["status"] == "PAUSED" for r in results)
    assert client.stats.batch_calls > 1, "some entries came back null and were re-sent"


def test_batch_over_50_is_split(sandbox, graph):
    ad = graph.make_ad()
    client, _, _ = client_for(sandbox)
    results = client.batch([BatchOp("GET", f"{ad}?fields=id") for _ in range(120)])
    assert len(results) == 120 and all(r and r.ok for r in results)
    assert client.stats.batch_calls == 3


def chain_ops(n: int) -> tuple[list[BatchOp], dict]:
    ops, files = [], {}
    for i in range(n):
        params = creative_params("placeholder", name=f"summer-sale-2026 - c{i}")
        params["asset_feed_spec"]["images"] = [{"hash": ref(f"img{i}", "$.images.*.hash")}]
        ops += [
            BatchOp("POST", f"{SANDBOX_ACCOUNT}/adimages", None, name=f"img{i}", attached_files=f"f{i}",
                    omit_response_on_success=False),
            BatchOp("POST", f"{SANDBOX_ACCOUNT}/adcreatives", params, name=f"cr{i}", omit_response_on_success=False),
            BatchOp("POST", f"{SANDBOX_ACCOUNT}/ads", {"name": f"summer-sale-2026 - ad{i}", "adset_id": SANDBOX_ADSET,
                                                      "creative": {"creative_id": ref(f"cr{i}")}, "status": "PAUSED"}),
        ]
        files[f"f{i}"] = (f"hero{i}.png", png_bytes(seed=i + 20))
    return ops, files


def test_chains_under_null_entries_end_exactly_once(sandbox):
    """Not-run entries are re-sent with the answers already known filled in: every ad, image and
    creative exists once, however the nulls fell."""
    sandbox.configure(null_rate=0.3, seed=11)
    client, _, _ = client_for(sandbox, max_retries=10)
    ops, files = chain_ops(5)
    results = client.batch(ops, files=files)
    assert all(r.ok for r in results), [(r.status, r.error) for r in results if not r.ok]
    assert client.stats.batch_calls > 1, "some entries came back null and were re-sent"
    state = sandbox.state_dump()
    assert len([a for a in state["ads"].values() if a["name"].startswith("summer-sale-2026 - ad")]) == 5
    assert len([c for c in state["creatives"].values() if c["name"].startswith("summer-sale-2026 - c")]) == 5


def test_a_token_expiring_mid_batch_stops_it(sandbox, graph):
    ad = graph.make_ad()
    sandbox.configure(expire_token_after=1)
    client, _, sleeps = client_for(sandbox)
    client.get("me")
    with pytest.raises(TokenInvalid) as exc:
        client.batch([BatchOp("GET", f"{ad}?fields=status") for _ in range(60)])
    assert "social auth login" in exc.value.hint and sleeps == []


def test_a_blocked_account_stops_with_the_review_link(sandbox):
    sandbox.configure(block_account=True)
    client, _, sleeps = client_for(sandbox)
    with pytest.raises(AccountBlocked) as exc:
        client.post(f"{SANDBOX_ACCOUNT}/ads", {"name": "x", "adset_id": SANDBOX_ADSET, "status": "PAUSED"})
    assert "account_quality" in exc.value.hint and sleeps == []
