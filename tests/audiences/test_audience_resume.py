"""An interrupted customer-list upload resumes where Meta's acknowledgements stopped: same session,
next batch, nothing counted twice, and no personal data in the progress file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audience_helpers import raw_values, write_customers
from recording import Recorder

from factories import copy_workspace
from skill.audiences.jobs import create_customer_audience
from skill.audiences.upload import session_path
from skill.events import Collector, Event
from skill.graph import GraphClient
from skill.settings import load_settings
from support import SANDBOX_TOKEN

N = 25_001  # three batches of Meta's maximum (10,000) and one row


class Interrupted(Exception):
    pass


def stop_after(batches: int, into: Collector):
    def report(event: Event) -> None:
        into(event)
        if event.kind == "audience.batch" and event.data["batch"] == batches:
            raise Interrupted

    return report


@pytest.fixture
def setup(tmp_path: Path, sandbox):
    ws = copy_workspace(tmp_path)
    settings = load_settings(ws, env={"META_GRAPH_URL": sandbox.url, "FACEBOOK_ACCESS_TOKEN": SANDBOX_TOKEN,
                                      "META_RETRY_BASE_S": "0.01"})
    return ws, settings, GraphClient.from_settings(settings), Recorder(sandbox)


def sessions(client: GraphClient, audience_id: str) -> list[dict]:
    return list(client.paginate(f"{audience_id}/sessions"))


def test_interrupted_upload_resumes_after_the_last_acknowledged_batch(setup):
    ws, settings, client, rec = setup
    csv_path = write_customers(ws, N)
    first = Collector()
    with pytest.raises(Interrupted):
        create_customer_audience(settings, client, "VIP buyers", csv_path, report=stop_after(2, first))
    state = json.loads(session_path(ws, "VIP buyers").read_text())
    assert state["batches_done"] == 2 and state["batches"] == 3 and not state["finished"]
    assert not any(raw in session_path(ws, "VIP buyers").read_text() for raw in raw_values(N)[::501])

    second = Collector()
    result = create_customer_audience(settings, client, "VIP buyers", csv_path, report=second)
    assert f"  Resuming VIP buyers at batch 3/3 (session {state['session_id']})" in second.lines
    assert [e.data["batch"] for e in second.events if e.kind == "audience.batch"] == [3]
    assert result.adopted and result.upload.sent_batches == 1 and result.upload.num_received == N
    seqs = [json.loads(json.loads(b)["session"])["batch_seq"] for b, p in zip(rec.bodies, rec.paths, strict=True)
            if p.endswith("/users")]
    assert seqs == [1, 2, 3]
    assert rec.count("POST act_123456789/customaudiences") == 1
    [session] = sessions(client, result.audience_id)
    assert session["stage"] == "finished" and session["num_received"] == N


def test_a_batch_meta_got_but_the_kit_never_recorded_is_sent_again_and_counted_once(setup):
    ws, settings, client, rec = setup
    csv_path = write_customers(ws, N)
    with pytest.raises(Interrupted):
        create_customer_audience(settings, client, "VIP buyers", csv_path, report=stop_after(2, Collector()))
    path = session_path(ws, "VIP buyers")
    state = json.loads(path.read_text())
    state["batches_done"] = 1  # as if the kit died after Meta took batch 2 but before writing it down
    path.write_text(json.dumps(state))
    result = create_customer_audience(settings, client, "VIP buyers", csv_path)
    seqs = [json.loads(json.loads(b)["session"])["batch_seq"] for b, p in zip(rec.bodies, rec.paths, strict=True)
            if p.endswith("/users")]
    assert seqs == [1, 2, 2, 3]
    assert result.upload.num_received == N
    assert sessions(client, result.audience_id)[0]["num_received"] == N


def test_a_changed_list_starts_a_new_session(setup):
    ws, settings, client, _ = setup
    csv_path = write_customers(ws, 500)
    first = create_customer_audience(settings, client, "VIP buyers", csv_path)
    csv_path = write_customers(ws, 700)
    second = create_customer_audience(settings, client, "VIP buyers", csv_path)
    assert second.adopted and second.upload.session_id != first.upload.session_id
    assert second.upload.sent_batches == 1 and second.upload.resumed_from is None
    assert len(sessions(client, first.audience_id)) == 2
