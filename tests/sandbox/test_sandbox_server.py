"""The sandbox as a server: lifecycle, auth, versions, identity endpoints, state, settings, CLI."""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from skill.sandbox import Sandbox, main
from support import SANDBOX_ACCOUNT, SANDBOX_TOKEN, Graph, ctrl_c_reaches_child

ERROR_KEYS = {"message", "type", "code", "fbtrace_id", "is_transient"}


def assert_error(r: requests.Response, code: int, status: int = 400, subcode: int | None = None) -> dict:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert ERROR_KEYS <= error.keys()
    assert error["code"] == code
    if subcode is not None:
        assert error["error_subcode"] == subcode
    return error


def test_start_stop_and_url() -> None:
    sb = Sandbox().start()
    try:
        assert sb.url.startswith("http://127.0.0.1:") and sb.port > 0
        assert requests.get(f"{sb.url}/v26.0/me", params={"access_token": "sandbox-token"}).status_code == 200
    finally:
        sb.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{sb.url}/v26.0/me", timeout=2)


@pytest.mark.parametrize("how", ["bearer", "oauth", "query", "form"])
def test_token_accepted_every_way(sandbox: Sandbox, how: str) -> None:
    url = f"{sandbox.url}/v26.0/me"
    if how == "bearer":
        r = requests.get(url, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})
    elif how == "oauth":
        r = requests.get(url, headers={"Authorization": f"OAuth {SANDBOX_TOKEN}"})
    elif how == "query":
        r = requests.get(url, params={"access_token": SANDBOX_TOKEN})
    else:
        r = requests.post(f"{sandbox.url}/v26.0/{SANDBOX_ACCOUNT}/ads", data={"access_token": SANDBOX_TOKEN})
        assert_error(r, 100)  # authenticated, then a missing parameter
        return
    assert r.status_code == 200 and r.json()["id"]


def test_missing_and_unknown_tokens_are_190_and_never_echoed(sandbox: Sandbox) -> None:
    r = requests.get(f"{sandbox.url}/v26.0/me")
    assert_error(r, 190)
    r = requests.get(f"{sandbox.url}/v26.0/me", params={"access_token": "EAAB-secret-wrong-token"})
    error = assert_error(r, 190)
    assert error["type"] == "OAuthException"
    assert "EAAB-secret-wrong-token" not in r.text and "EAAB-secret-wrong-token" not in str(r.headers)


def test_token_never_in_any_response(sandbox: Sandbox, graph: Graph) -> None:
    for _ in range(3):
        graph.make_ad(name=f"ad {_}", seed=_ + 1)
    texts = [graph.get(f"{SANDBOX_ACCOUNT}/ads", limit=1, fields="id,name").text,
             requests.get(f"{sandbox.url}/v26.0/{SANDBOX_ACCOUNT}/ads",
                          params={"access_token": SANDBOX_TOKEN, "limit": 1}).text,
             graph.get("debug_token", input_token=SANDBOX_TOKEN).text,
             requests.get(f"{sandbox.url}/__sandbox/state").text]
    for text in texts:
        assert SANDBOX_TOKEN not in text


@pytest.mark.parametrize("prefix", ["/v26.0", "/v25.0", "/v19.0", ""])
def test_any_version_prefix(sandbox: Sandbox, prefix: str) -> None:
    r = requests.get(f"{sandbox.url}{prefix}/me", params={"access_token": SANDBOX_TOKEN})
    assert r.status_code == 200


def test_me_and_adaccounts(graph: Graph) -> None:
    me = graph.get("me").json()
    assert set(me) == {"id", "name"}
    accounts = graph.get("me/adaccounts", fields="id,name,account_status,currency").json()["data"]
    by_id = {a["id"]: a for a in accounts}
    assert by_id[SANDBOX_ACCOUNT] == {"id": SANDBOX_ACCOUNT, "name": "Sandbox Ad Account", "account_status": 1,
                                      "currency": "USD"}
    assert any(a["account_status"] == 2 for a in accounts)
    account = graph.get(SANDBOX_ACCOUNT, fields="name,currency,timezone_name,account_status").json()
    assert account["id"] == SANDBOX_ACCOUNT and account["currency"] == "USD" and account["timezone_name"]


def test_debug_token_shape(graph: Graph) -> None:
    data = graph.get("debug_token", input_token=SANDBOX_TOKEN).json()["data"]
    assert data["is_valid"] is True and data["type"] == "USER"
    assert {"app_id", "expires_at", "scopes", "user_id"} <= data.keys()
    assert data["expires_at"] > time.time() + 50 * 86400
    assert {"ads_management", "ads_read", "pages_read_engagement", "business_management"} <= set(data["scopes"])
    bad = graph.get("debug_token", input_token="not-the-token").json()["data"]
    assert bad["is_valid"] is False and bad["error"]["code"] == 190
    assert_error(graph.get("debug_token"), 100)


def test_debug_token_expiry_and_scopes_are_settable(sandbox: Sandbox, graph: Graph) -> None:
    soon = int(time.time()) + 3 * 86400
    sandbox.configure(token_expires_at=soon, scopes=["ads_read"])
    data = graph.get("debug_token", input_token=SANDBOX_TOKEN).json()["data"]
    assert data["expires_at"] == soon and data["scopes"] == ["ads_read"]
    error = assert_error(graph.post(f"{SANDBOX_ACCOUNT}/ads", name="x"), 200)
    assert "ads_management" in error["message"]


def test_unknown_object_and_path(graph: Graph) -> None:
    error = assert_error(graph.get("99999999999"), 100, subcode=33)
    assert "does not exist" in error["message"]
    assert_error(graph.get("act_555/ads"), 100, subcode=33)
    assert_error(graph.get(f"{SANDBOX_ACCOUNT}/nonsense"), 2500)
    assert_error(graph.get("23847000000001", fields="id,bogus"), 100)


def test_disabled_account_refuses_writes(graph: Graph) -> None:
    assert graph.get("act_987654321/ads").status_code == 200
    assert_error(graph.post("act_987654321/ads", name="x"), 200)


def test_state_endpoint_and_dump(sandbox: Sandbox, graph: Graph) -> None:
    ad_id = graph.make_ad()
    dump = requests.get(f"{sandbox.url}/__sandbox/state").json()
    assert ad_id in dump["ads"] and dump["ads"][ad_id]["status"] == "PAUSED"
    assert dump["requests"]["total"] == sandbox.request_count == 3
    copy = sandbox.state_dump()
    copy["ads"].clear()
    assert ad_id in sandbox.state_dump()["ads"]  # a deep copy
    assert sandbox.request_counts["POST"] == 3


def test_config_endpoint(sandbox: Sandbox) -> None:
    r = requests.post(f"{sandbox.url}/__sandbox/config", json={"latency_ms": 5, "seed": 3})
    assert r.status_code == 200 and r.json()["config"]["latency_ms"] == 5
    assert sandbox.api.config.latency_ms == 5
    r = requests.post(f"{sandbox.url}/__sandbox/config", json={"nonsense": 1})
    assert r.status_code == 400 and "nonsense" in r.json()["error"]["message"]
    with pytest.raises(ValueError, match="fail_rate"):
        sandbox.configure(fail_rate=2)


def test_seeded_ids_are_deterministic(graph: Graph) -> None:
    assert graph.make_ad() == "23847111000000001"
    seeded = graph.get("23847000000001", fields="name,daily_budget,status,campaign_id").json()
    assert seeded == {"id": "23847000000001", "name": "summer-sale-2026 - broad", "daily_budget": "5000",
                      "status": "ACTIVE", "campaign_id": "23846000000001"}
    campaign = graph.get("23846000000001", fields="name,objective,status").json()
    assert campaign == {"id": "23846000000001", "name": "summer-sale-2026", "objective": "OUTCOME_SALES",
                        "status": "ACTIVE"}


def test_state_persists_across_processes(tmp_path) -> None:
    path = tmp_path / ".sandbox" / "state.json"
    with Sandbox(state_path=path) as sb:
        ad_id = Graph(sb).make_ad()
        saved = json.loads(path.read_text())  # saved after the write, before stop
        assert ad_id in saved["ads"]
    assert not list(path.parent.glob(".state-*"))  # no temp files left behind
    with Sandbox(state_path=path) as sb:
        graph = Graph(sb)
        assert graph.get(ad_id, fields="status").json()["status"] == "PAUSED"
        assert graph.make_ad(name="second", seed=9) == "23847111000000002"  # counters carry on


def test_corrupt_state_file_starts_fresh(tmp_path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json")
    with Sandbox(state_path=path) as sb:
        assert Graph(sb).get("23847000000001").status_code == 200


def test_quiet_by_default(sandbox: Sandbox, graph: Graph, capfd) -> None:
    graph.get("me")
    graph.get("nothing-here")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_cli_runs_in_foreground_and_stops(tmp_path, capsys) -> None:
    parser = argparse.ArgumentParser()
    main.add_arguments(parser)
    args = parser.parse_args(["--state", str(tmp_path / "s.json"), "--fail-rate", "0", "--seed", "4",
                              "--rate-budget", "100"])
    stop = threading.Event()
    result: list[int] = []
    stop.set()  # asked to stop at once: it still starts, says where it is, and stops cleanly
    thread = threading.Thread(target=lambda: result.append(main.run(args, stop)))
    thread.start()
    thread.join(30)
    out = capsys.readouterr().out
    assert result == [0]
    assert "Sandbox Graph API on http://127.0.0.1:" in out and "sandbox-token" in out
    assert (tmp_path / "s.json").exists()


def test_cli_reports_a_port_in_use(sandbox: Sandbox, capsys) -> None:
    parser = argparse.ArgumentParser()
    main.add_arguments(parser)
    assert main.run(parser.parse_args(["--port", str(sandbox.port)])) == 1
    assert "could not start" in capsys.readouterr().out


def test_meta_ads_sandbox_command_serves_until_ctrl_c(tmp_path) -> None:
    state = tmp_path / "state.json"
    proc = subprocess.Popen([sys.executable, "-m", "skill", "sandbox", "--state", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ctrl_c_reaches_child)
    try:
        first = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        r = requests.get(f"{url}/v26.0/me/adaccounts", headers={"Authorization": "Bearer sandbox-token"})
        assert r.status_code == 200 and r.json()["data"][0]["id"] == SANDBOX_ACCOUNT
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "Sandbox stopped" in out and state.exists()
