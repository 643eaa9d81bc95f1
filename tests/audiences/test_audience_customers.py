"""``meta-ads audience create NAME --customers FILE`` end to end over HTTP against the sandbox:
hashing, privacy (no raw value in any request, output or file), bad rows, dry run, exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audience_helpers import raw_values, write_customers
from recording import Recorder, files_text

from skill.sandbox import Sandbox
from support import SANDBOX_TOKEN, run_cli

N = 12_345  # two batches: 10,000 + 2,345


@pytest.fixture
def live(ws: Path, sandbox: Sandbox, monkeypatch) -> Recorder:
    monkeypatch.setenv("META_GRAPH_URL", sandbox.url)
    monkeypatch.setenv("FACEBOOK_ACCESS_TOKEN", SANDBOX_TOKEN)
    return Recorder(sandbox)


def test_customer_list_end_to_end_never_lets_raw_data_out(ws, live, sandbox, capsys):
    csv_path = write_customers(ws, N)
    code, out, err = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)
    assert code == 0, out + err
    assert "Batch 1/2: 10,000 of 12,345 rows sent" in out and "Batch 2/2: 12,345 of 12,345 rows sent" in out
    assert "Meta received 12,345, invalid 0, matched " in out and "people; This audience is ready for use." in out
    assert live.count("POST act_123456789/customaudiences") == 1 and live.count("/users") == 2
    users = [json.loads(b) for b, p in zip(live.bodies, live.paths, strict=True) if p.endswith("/users")]
    payload = json.loads(users[0]["payload"])
    assert payload["schema"] == ["EMAIL", "PHONE", "FN", "LN", "CT", "ZIP", "COUNTRY", "DOBY", "DOBM", "DOBD", "GEN"]
    assert len(payload["data"]) == 10_000 and all(len(v) == 64 for v in payload["data"][0])
    sessions = [json.loads(u["session"]) for u in users]
    assert [s["batch_seq"] for s in sessions] == [1, 2] and [s["last_batch_flag"] for s in sessions] == [False, True]
    assert sessions[0]["session_id"] == sessions[1]["session_id"] and sessions[0]["estimated_num_total"] == N
    code, jout, _ = run_cli(ws, capsys, "audiences", "--json")
    assert code == 0 and json.loads(jout)["audiences"][0]["name"] == "VIP buyers"
    everything = "\n".join(live.bodies) + out + err + jout + files_text(ws) + files_text(Path(ws).parent / "home")
    for raw in raw_values(N)[::97]:  # a sample of every kind of raw value, from all over the list
        assert raw not in everything
    assert "example.com" not in everything.lower()


def test_second_run_adopts_the_audience_and_sends_nothing_again(ws, live, capsys):
    csv_path = write_customers(ws, 300)
    assert run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)[0] == 0
    code, out, _ = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)
    assert code == 0 and "Using existing audience 'VIP buyers'" in out and "already uploaded" in out
    assert live.count("POST act_123456789/customaudiences") == 1 and live.count("/users") == 1


def test_audience_found_by_name_in_the_account_even_without_local_records(ws, live, capsys):
    csv_path = write_customers(ws, 300)
    assert run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)[0] == 0
    for f in (ws / ".audiences").iterdir():
        f.unlink()
    code, out, _ = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)
    assert code == 0 and "Using existing audience" in out
    assert live.count("POST act_123456789/customaudiences") == 1


def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_sent(ws, live, capsys):
    csv_path = write_customers(ws, 50, bad={6: (0, "not-an-email"), 9: (7, "12/04/1985")})
    code, out, err = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path)
    assert code == 1 and out == ""
    assert err.startswith("Error: audiences/customers.csv: row 8, column 'email': not an email address")
    assert "--skip-bad-rows" in err and "not-an-email" not in err
    assert live.paths == []


def test_skip_bad_rows_says_how_many_and_uploads_the_rest(ws, live, capsys):
    csv_path = write_customers(ws, 50, bad={6: (0, "not-an-email"), 9: (7, "12/04/1985")})
    code, out, _ = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path, "--skip-bad-rows")
    assert code == 0, out
    assert "50 rows read, 48 hashed on this machine, 2 bad row(s) skipped" in out
    assert "skipped row 8, column 'email'" in out and "skipped row 11, column 'dob'" in out
    assert "Meta received 48" in out


def test_dry_run_hashes_and_shows_the_plan_without_a_single_request(ws, live, capsys):
    csv_path = write_customers(ws, 120)
    code, out, _ = run_cli(ws, capsys, "audience", "create", "VIP buyers", "--customers", csv_path, "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["dry_run"] and data["payload"]["users"] == {
        "path": "{audience_id}/users", "rows": 120, "batches": 1, "rows_per_batch": 10_000,
        "schema": ["EMAIL", "PHONE", "FN", "LN", "CT", "ZIP", "COUNTRY", "DOBY", "DOBM", "DOBD", "GEN"]}
    assert live.paths == [] and "example.com" not in out.lower()


@pytest.mark.parametrize(("content", "message"), [
    ("email,favourite_colour\na@b.co,red\n", "column 'favourite_colour' is not a customer field"),
    ("city,zip\nParis,75001\n", "no email, phone, external_id or name column"),
    ("", "the customer list is empty"),
])
def test_unusable_files_are_one_clean_line(ws, live, capsys, content, message):
    (ws / "bad.csv").write_text(content)
    code, _, err = run_cli(ws, capsys, "audience", "create", "X", "--customers", "bad.csv")
    assert code == 1 and message in err and live.paths == []


def test_a_file_outside_the_workspace_is_refused_unless_its_folder_is_allowed(ws, live, capsys, tmp_path):
    (tmp_path / "crm").mkdir()
    (tmp_path / "crm" / "outside.csv").write_text("email\na@b.co\n")
    outside = str(tmp_path / "crm" / "outside.csv")
    code, _, err = run_cli(ws, capsys, "audience", "create", "X", "--customers", outside)
    assert code == 1 and "outside the workspace" in err and "--allow-folder" in err and live.paths == []
    code, out, err = run_cli(ws, capsys, "audience", "create", "X", "--customers", outside, "--allow-folder",
                         str(tmp_path / "crm"), "--dry-run")
    assert code == 0, err
    assert "1 rows read, 1 hashed on this machine" in out


def test_tab_separated_list_and_a_default_country_for_phones(ws, live, capsys):
    (ws / "audiences").mkdir(exist_ok=True)
    (ws / "audiences" / "shop.tsv").write_text("E-mail\tMobile\tState\nmary@example.com\t(555) 987-6543\tNew York\n"
                                               "\t555 111 2222\t\n")
    code, out, err = run_cli(ws, capsys, "audience", "create", "Shop", "--customers", "audiences/shop.tsv",
                         "--country", "us", "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out)["payload"]["users"]["schema"] == ["EMAIL", "PHONE", "ST", "COUNTRY"]
    code, _, err = run_cli(ws, capsys, "audience", "create", "Shop", "--customers", "audiences/shop.tsv", "--dry-run")
    assert code == 1 and "row 2, column 'Mobile': no country code" in err
    code, out, _ = run_cli(ws, capsys, "audience", "create", "Shop", "--customers", "audiences/shop.tsv", "--country", "US")
    assert code == 0 and "Meta received 2, invalid 0" in out
    body = json.loads(next(b for b, p in zip(live.bodies, live.paths, strict=True) if p.endswith("/users")))
    phone = "1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e"  # Meta's vector for 15559876543
    first = json.loads(body["payload"])["data"][0]
    assert first[1] == phone and first[3] == "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621"


def test_an_empty_account_lists_no_audiences(ws, live, capsys):
    code, out, _ = run_cli(ws, capsys, "audiences")
    assert code == 0 and out.strip() == "No custom audiences in act_123456789 yet."
