"""Exactly once under faults: a create whose answer is lost is adopted, not repeated; batches whose
answers are lost or fail transiently are sent again and counted once."""

from __future__ import annotations

from pathlib import Path

import pytest
from audience_helpers import write_customers
from recording import Recorder

from factories import copy_workspace
from skill.audiences.accounts import ensure_audience
from skill.audiences.jobs import create_customer_audience
from skill.graph import GraphClient
from skill.settings import load_settings
from support import SANDBOX_ACCOUNT, SANDBOX_TOKEN

PARAMS = {"name": "VIP buyers", "subtype": "CUSTOM", "customer_file_source": "USER_PROVIDED_ONLY"}


@pytest.fixture
def setup(tmp_path: Path, sandbox):
    ws = copy_workspace(tmp_path)
    settings = load_settings(ws, env={"META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
                                      "META_RETRY_BASE_S": "0.001"})
    return ws, settings, GraphClient.from_settings(settings, timeout=5), Recorder(sandbox)


def audiences_named(sandbox, name: str) -> int:
    return sum(a["name"] == name for a in sandbox.state_dump()["audiences"].values())


def test_a_create_whose_answer_was_lost_is_found_by_name_and_adopted(setup, sandbox):
    _, _, client, rec = setup
    sandbox.configure(drop_rate=1.0)
    audience_id, adopted = ensure_audience(client, SANDBOX_ACCOUNT, PARAMS)
    assert adopted and rec.count("POST act_123456789/customaudiences") == 1
    assert audiences_named(sandbox, "VIP buyers") == 1
    sandbox.configure(drop_rate=0.0)
    assert ensure_audience(client, SANDBOX_ACCOUNT, PARAMS) == (audience_id, True)


def test_an_upload_through_lost_answers_and_transient_errors_counts_everyone_once(setup, sandbox):
    ws, settings, client, rec = setup
    n = 30_000
    csv_path = write_customers(ws, n)
    sandbox.configure(seed=3, drop_rate=0.3, fail_rate=0.2)
    result = create_customer_audience(settings, client, "VIP buyers", csv_path)
    sandbox.configure(drop_rate=0.0, fail_rate=0.0)
    assert rec.count("/users") > 3  # some batches really were sent more than once
    assert result.upload.num_received == n and result.upload.sent_batches == 3
    session = next(iter(client.paginate(f"{result.audience_id}/sessions")))
    assert session["num_received"] == n and session["stage"] == "finished"
    assert audiences_named(sandbox, "VIP buyers") == 1
