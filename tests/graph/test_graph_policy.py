"""Pure functions of the Graph client: retry policy, delays, error mapping, usage, encoding.
No sleeping, no network."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from skill.errors import (
    AccountBlocked,
    GraphConnectionError,
    GraphError,
    InvalidParameter,
    PermissionDenied,
    RateLimited,
    TokenInvalid,
    TransientError,
)
from skill.graph import BatchOp, BatchResult, ref
from skill.graph.batch import (
    NOT_RUN,
    chunks,
    encode_body,
    jsonpath,
    plan_resend,
    resolve_op,
    resolve_text,
)
from skill.graph.errors import parse_error
from skill.graph.retry import (
    entry_not_done,
    is_fatal,
    retry_delay,
    retry_message,
    should_retry,
    write_not_done,
)
from skill.graph.usage import Pacer, fit_delay, pace_delay, parse_usage


def meta_error(code, subcode=None, status=400, **extra):
    body = {"error": {"message": "m", "type": "OAuthException", "code": code, "fbtrace_id": "AbC123", **extra}}
    if subcode is not None:
        body["error"]["error_subcode"] = subcode
    return parse_error(status, body)


@pytest.mark.parametrize("code", [1, 2, 4, 17, 32, 341, 613, 80000, 80004, 80014])
def test_retryable_codes(code):
    assert should_retry(meta_error(code, status=500 if code in (1, 2) else 400))


@pytest.mark.parametrize("code", [10, 100, 190, 200, 250, 299, 294, 368, 2635])
def test_never_retried_codes(code):
    assert not should_retry(meta_error(code))


def test_special_cases():
    assert not should_retry(meta_error(1, 99)), "code 1 subcode 99 is an unknown error, not transient"
    assert should_retry(meta_error(294, 2446079)), "294/2446079 is the ad-account rate limit"
    assert should_retry(meta_error(9999, is_transient=True))
    assert should_retry(parse_error(502, None)), "HTTP 5xx without a body"
    assert should_retry(None), "a null batch entry was not run"
    assert should_retry(GraphConnectionError("timeout"))


@pytest.mark.parametrize("code,sub,cls", [
    (190, 463, TokenInvalid), (100, 1487195, InvalidParameter), (200, None, PermissionDenied),
    (10, None, PermissionDenied), (368, 1390008, AccountBlocked), (80004, 2446079, RateLimited),
    (17, None, RateLimited), (613, None, RateLimited), (294, 2446079, RateLimited), (2, None, TransientError),
    (1, 99, GraphError),
])
def test_error_classes(code, sub, cls):
    err = meta_error(code, sub)
    assert type(err) is cls and err.code == code and err.subcode == sub and err.fbtrace_id == "AbC123"


def test_error_fields_and_error_data_as_a_json_string():
    err = meta_error(100, 1487195, error_user_title="Invalid Call-To-Action Type",
                     error_user_msg="The call-to-action type 'click here' is not valid",
                     error_data=json.dumps({"blame_field_specs": [["call_to_action_types"]]}))
    assert err.user_title == "Invalid Call-To-Action Type"
    assert err.error_data == {"blame_field_specs": [["call_to_action_types"]]}
    text = str(err)
    assert "Invalid Call-To-Action Type" in text and "fbtrace_id AbC123" in text and err.hint


def test_rate_limit_estimate_from_error_or_headers():
    assert meta_error(80004, 2446079, estimated_time_to_regain_access=2).retry_after_s == 120
    headers = {"X-Business-Use-Case-Usage": json.dumps(
        {"123": [{"type": "ads_management", "call_count": 100, "total_cputime": 20, "total_time": 30,
                  "estimated_time_to_regain_access": 3}]})}
    err = parse_error(400, {"error": {"message": "x", "code": 17}}, headers)
    assert err.retry_after_s == 180


def test_token_is_redacted_from_messages():
    body = {"error": {"message": "bad access_token=EAAsecret123 given", "code": 190,
                      "error_user_msg": "token EAAsecret123 expired"}}
    err = parse_error(400, body, secrets=("EAAsecret123",))
    assert "EAAsecret123" not in str(err) and "EAAsecret123" not in json.dumps(err.to_dict())


def test_backoff_doubles_jitters_and_caps():
    mid = [retry_delay(a, None, base_s=10, rand=lambda: 0.5) for a in range(4)]
    assert mid == [10, 20, 40, 80]
    assert retry_delay(0, None, base_s=10, rand=lambda: 0.0) == pytest.approx(8)
    assert retry_delay(0, None, base_s=10, rand=lambda: 1.0) == pytest.approx(12)
    assert retry_delay(10, None, base_s=10, rand=lambda: 0.5) == 300, "capped at 30 × base"


def test_metas_estimate_is_an_upper_bound_not_a_sleep():
    err = RateLimited("x", code=80004, retry_after_s=120)
    assert retry_delay(0, err, base_s=10, rand=lambda: 0.5) == 10, "backoff, not two minutes"
    assert retry_delay(4, err, base_s=10, rand=lambda: 0.5) == 120, "160 s of backoff cut to the estimate"
    assert retry_delay(0, err, base_s=0.01, rand=lambda: 0.5) == pytest.approx(0.01)


def test_after_a_rate_limit_the_pacers_fit_time_is_the_wait():
    err = RateLimited("x", code=80004, retry_after_s=120)
    assert retry_delay(3, err, base_s=10, rand=lambda: 0.5, fit_s=4.5) == 4.5
    assert retry_delay(0, err, base_s=10, fit_s=0.0) == pytest.approx(0.05), "never re-sent at once"
    assert retry_delay(0, err, base_s=10, fit_s=500) == 120, "still bounded by Meta's estimate"
    transient = meta_error(2, status=500)
    assert retry_delay(0, transient, base_s=10, rand=lambda: 0.5, fit_s=1) == 10, "only rate limits use it"


def test_fit_delay_is_the_time_for_the_overshoot_to_drain():
    assert fit_delay(50, drain=1.0, cost=20) == 0
    assert fit_delay(85, drain=2.0, cost=15) == 5
    assert fit_delay(100, drain=0.5, cost=5, target=80) == 50


def test_calls_in_flight_hold_their_share_of_the_headroom():
    pacer = Pacer(10, clock=lambda: 0.0)
    for pct in (30, 50):  # learns: cost 20 %, drain 1 %/s
        pacer.admit()
        pacer.observe({"x-ad-account-usage": json.dumps({"acc_id_util_pct": pct, "reset_time_duration": pct})})
    assert pacer.delay() == 0
    pacer.admit()  # one call sent, not answered yet: 50 + 20 in flight + 20 next = 90
    assert pacer.delay() == 0
    pacer.admit()  # a second one: 50 + 40 + 20 − 90 = 20 % to drain at 1 %/s
    assert pacer.delay() == pytest.approx(20)
    pacer.release()
    assert pacer.delay() == 0


def test_retry_message_matches_the_product():
    err = meta_error(80004, 2446079)
    assert retry_message(err, 10, 0, 3) == "Rate limited (error 80004). Waiting 10s before retry (attempt 1/3)..."
    assert retry_message(meta_error(2, status=500), 2, 1, 3).startswith("Transient error (code 2). Waiting 2s")


def test_usage_parsing_all_headers():
    headers = {
        "x-business-use-case-usage": json.dumps({"123": [{"type": "ads_management", "call_count": 40,
                                                          "total_cputime": 10, "total_time": 12,
                                                          "estimated_time_to_regain_access": 0}]}),
        "x-ad-account-usage": json.dumps({"acc_id_util_pct": 55.5, "reset_time_duration": 30,
                                          "ads_api_access_tier": "standard_access"}),
        "x-app-usage": json.dumps({"call_count": 5, "total_cputime": 1, "total_time": 2}),
        "x-fb-ads-insights-throttle": json.dumps({"app_id_util_pct": 77, "acc_id_util_pct": 3}),
    }
    usage = parse_usage(headers)
    assert usage.max_pct == 77 and usage.tier == "standard_access" and usage.regain_s == 0
    assert parse_usage({"x-app-usage": "not json"}).max_pct == 0


def test_pacing_slows_before_the_limit():
    def at(pct, regain=0.0):
        return pace_delay(parse_usage({"x-ad-account-usage": json.dumps(
            {"acc_id_util_pct": pct, "reset_time_duration": regain})}), base_s=10)

    assert at(50) == 0 and at(74) == 0
    assert 0 < at(80) < at(90) < at(99)
    assert at(100) == 30 and at(96, regain=100) == 100
    pacer = Pacer(10)
    pacer.observe({"x-ad-account-usage": json.dumps({"acc_id_util_pct": 90})})
    assert pacer.delay() > 0


def test_batch_body_keeps_references_and_encodes_json():
    body = encode_body({"name": "a b", "creative": {"creative_id": ref("cr0")},
                        "asset_feed_spec": {"images": [{"hash": ref("img0", "$.images.*.hash")}]}})
    assert "{result=cr0:$.id}" in body and "{result=img0:$.images.*.hash}" in body
    decoded = parse_qs(body)
    assert decoded["name"] == ["a b"]
    assert json.loads(decoded["creative"][0]) == {"creative_id": "{result=cr0:$.id}"}


def test_batch_op_wire_form_and_dependencies():
    op = BatchOp("post", "/act_1/ads", {"status": "PAUSED"}, name="ad0", omit_response_on_success=False)
    assert op.to_wire() == {"method": "POST", "relative_url": "act_1/ads", "body": "status=PAUSED",
                            "name": "ad0", "omit_response_on_success": False}
    assert not op.needs_other_results
    assert BatchOp("POST", "act_1/ads", {"creative": {"creative_id": ref("c")}}).needs_other_results


def test_write_and_entry_policies():
    lost = GraphConnectionError("lost", may_have_succeeded=True)
    assert not write_not_done(lost) and write_not_done(GraphConnectionError("refused"))
    assert write_not_done(meta_error(2, status=500)) and write_not_done(meta_error(80004))
    assert not write_not_done(meta_error(100))
    assert entry_not_done(meta_error(80004)) and entry_not_done(meta_error(294, 2446079))
    assert not entry_not_done(meta_error(2, status=500)), "a batch write with code 2 may have happened"
    assert is_fatal(meta_error(190)) and is_fatal(meta_error(368)) and not is_fatal(meta_error(100))


def test_http_429_and_bodyless_5xx():
    assert type(parse_error(429, None)) is RateLimited and should_retry(parse_error(429, None))
    assert type(parse_error(503, "<html>")) is TransientError


def test_pacer_counts_time_already_gone():
    now = [0.0]
    pacer = Pacer(10, clock=lambda: now[0])
    pacer.observe({"x-ad-account-usage": json.dumps({"acc_id_util_pct": 100})})
    assert pacer.delay() == 30
    pacer.waited(30)  # an injected sleep: the clock stands still
    assert pacer.delay() == 0 and pacer.paced_s == 30
    pacer.observe({"x-ad-account-usage": json.dumps({"acc_id_util_pct": 100})})
    now[0] = 20.0  # time went by (a real sleep, or slow work) since that answer
    assert pacer.delay() == 10
    pacer.observe({"content-type": "text/plain"})
    assert pacer.usage.max_pct == 100, "an answer without usage headers changes nothing"


def test_regain_estimate_means_blocked_now():
    usage = parse_usage({"x-business-use-case-usage": json.dumps(
        {"9": [{"type": "ads_management", "call_count": 40, "estimated_time_to_regain_access": 3}]})})
    assert usage.blocked and usage.regain_s == 180
    assert pace_delay(usage, base_s=10) == 180 and pace_delay(usage, base_s=1) == 30, "capped at 30 × base"


def test_calls_never_cut_an_operation_from_its_dependency():
    ops = [BatchOp("GET", f"{i}") for i in range(48)]
    ops += [BatchOp("POST", "act_1/adimages", name="img"), BatchOp("POST", "act_1/adcreatives", name="cr",
            body={"hash": ref("img", "$.images.*.hash")}), BatchOp("POST", "act_1/ads", {"c": ref("cr")})]
    assert [len(c) for c in chunks(ops)] == [48, 3]
    assert [len(c) for c in chunks([BatchOp("GET", "x")] * 120)] == [50, 50, 20]
    with pytest.raises(ValueError):
        chunks([BatchOp("POST", "a", name="a")] + [BatchOp("POST", "b", {"x": ref("a")})] * 60)


def test_jsonpath_and_references():
    answer = {"images": {"a.png": {"hash": "h1"}, "b.png": {"hash": "h2"}}, "data": [{"id": 7}], "id": "9"}
    assert jsonpath(answer, "$.images.*.hash") == ["h1", "h2"]
    assert jsonpath(answer, "$.data[0].id") == [7] and jsonpath(answer, "$.data.0.id") == [7]
    assert resolve_text("?ids={result=x:$.images.*.hash}&c={result=y:$.id}", {"x": answer}) == \
        "?ids=h1,h2&c={result=y:$.id}"
    assert resolve_text("{result=x:$.nothing}", {"x": answer}) is None
    op = BatchOp("POST", "{result=x:$.id}/ads", {"spec": {"images": [{"hash": ref("x", "$.images.*.hash")}]}},
                 depends_on="x")
    done = resolve_op(op, {"x": answer})
    assert done.relative_url == "9/ads" and done.body == {"spec": {"images": [{"hash": "h1,h2"}]}}
    assert done.depends_on is None and not done.needs_other_results
    assert resolve_op(op, {"x": None}) is None, "an omitted answer cannot fill a reference"


def test_plan_resend():
    img = BatchOp("POST", "act_1/adimages", name="img", omit_response_on_success=False)
    cr = BatchOp("POST", "act_1/adcreatives", {"h": ref("img", "$.images.*.hash")}, name="cr",
                 omit_response_on_success=False)
    ad = BatchOp("POST", "act_1/ads", {"c": ref("cr")})
    ops = [img, cr, ad]
    done = BatchResult(True, 200, {"images": {"a": {"hash": "h1"}}})
    failed = BatchResult(False, 500, None, parse_error(500, {"error": {"code": 1, "message": "dependency"}}))
    plan = plan_resend(ops, [0, 1, 2], [done, NOT_RUN, failed])
    assert [i for i, _ in plan] == [1, 2] and plan[0][1].body == {"h": "h1"} and plan[1][1] is ad
    # a referenced creative whose answer may be omitted: a null may mean it ran, so it stays
    omitted = [img, BatchOp("POST", "act_1/adcreatives", {"h": ref("img", "$.images.*.hash")}, name="cr"), ad]
    assert plan_resend(omitted, [0, 1, 2], [done, NOT_RUN, failed]) == []
    # the image was refused for good: neither dependent is re-sent
    refused = BatchResult(False, 400, None, parse_error(400, {"error": {"code": 100, "message": "bad"}}))
    assert plan_resend(ops, [0, 1, 2], [refused, failed, failed]) == []
    # all three not run (image answer not omitted): all go again, unchanged
    assert [op for _, op in plan_resend(ops, [0, 1, 2], [NOT_RUN, NOT_RUN, NOT_RUN])] == ops
