"""The exactly-once memory on its own: ledger files and the campaign lock."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from skill.errors import BatchLocked
from skill.upload.ledger import CampaignLock, Ledger


def test_ledger_round_trip_keeps_intents_and_results(tmp_path: Path):
    ledger = Ledger(tmp_path)
    entry = ledger.load("receipt", "summer - receipt", "act_1", "99")
    assert not entry.done and not entry.unclear
    ledger.intend(entry, images=["abc"], creative=True, ad=True)
    again = ledger.load("receipt", "summer - receipt", "act_1", "99")
    assert again.unclear and again.image_intents.keys() == {"abc"}
    assert again.creative.unclear and again.ad.unclear
    ledger.record_image(again, "abc", "abc")
    again.creative.id = "111"
    ledger.clear_intents(again, ad=True)
    ledger.save(again)
    third = ledger.load("receipt", "summer - receipt", "act_1", "99")
    assert third.images == {"abc": "abc"} and third.creative.id == "111"
    assert not third.unclear and not third.done
    assert [p.name for p in (tmp_path / ".ledger").iterdir()] == ["receipt.json"], "no temp files left behind"


def test_a_calls_intents_live_in_one_in_flight_file_that_a_later_run_merges(tmp_path: Path):
    ledger = Ledger(tmp_path)
    a = ledger.load("receipt", "summer - receipt", "act_1", "99")
    b = ledger.load("notes", "summer - notes", "act_1", "99")
    b.creative.id = "111"
    path = ledger.intend_call("0", [(a, ["abc"], True, True), (b, [], False, True)])
    assert a.unclear and b.ad.unclear and not b.creative.unclear
    assert [p.name for p in (tmp_path / ".ledger").iterdir()] == [path.name], "one file for the call, none per ad"
    # the run is killed here: a later run sees the intents, for the same ad name, account and ad set only
    later = Ledger(tmp_path)
    assert later.has_inflight()
    again = later.load("receipt", "summer - receipt", "act_1", "99")
    assert again.image_intents.keys() == {"abc"} and again.creative.unclear and again.ad.unclear
    notes = later.load("notes", "summer - notes", "act_1", "99")
    assert notes.ad.unclear and notes.creative.intent_at is None
    assert not later.load("receipt", "summer - receipt", "act_2", "99").unclear
    later.settled_inflight()
    assert not path.exists() and not Ledger(tmp_path).has_inflight()


def test_a_ledger_for_another_account_or_name_is_not_trusted(tmp_path: Path):
    ledger = Ledger(tmp_path)
    entry = ledger.load("receipt", "summer - receipt", "act_1", "99")
    entry.ad.id = "5"
    ledger.save(entry)
    assert ledger.load("receipt", "summer - receipt", "act_1", "99").done
    assert not ledger.load("receipt", "summer - receipt", "act_2", "99").done
    assert not ledger.load("receipt", "summer - other", "act_1", "99").done
    (tmp_path / ".ledger" / "receipt.json").write_text("{not json")
    assert not ledger.load("receipt", "summer - receipt", "act_1", "99").done


def test_lock_blocks_a_second_run_and_is_released(tmp_path: Path):
    with CampaignLock(tmp_path, "summer"):
        info = json.loads((tmp_path / ".upload.lock").read_text())
        assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
        with pytest.raises(BatchLocked, match="already being uploaded") as err:
            CampaignLock(tmp_path, "summer").acquire()
        assert ".upload.lock" in (err.value.hint or "")
    assert not (tmp_path / ".upload.lock").exists()
    with CampaignLock(tmp_path, "summer"):
        pass


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(proc.stdout)
    lock = tmp_path / ".upload.lock"
    lock.write_text(json.dumps({"pid": dead_pid, "host": socket.gethostname(), "started_at": "x"}))
    with CampaignLock(tmp_path, "summer"):
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert not lock.exists()


@pytest.mark.parametrize("content", ["", "{not json", "\x00\x00", json.dumps({"pid": 1, "host": "other-host"})])
def test_an_empty_corrupt_or_foreign_lock_file_blocks_nothing(tmp_path: Path, content: str):
    lock = tmp_path / ".upload.lock"
    lock.write_text(content)
    with CampaignLock(tmp_path, "summer"):
        assert json.loads(lock.read_text())["pid"] == os.getpid()


HOLD = """
import sys, pathlib
from skill.upload.lock import CampaignLock
with CampaignLock(pathlib.Path(sys.argv[1]), "summer"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_lock_held_by_a_live_process_is_respected_and_freed_when_it_is_killed(tmp_path: Path):
    with subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout.readline().strip() == "held"
            with pytest.raises(BatchLocked, match=str(holder.pid)):
                CampaignLock(tmp_path, "summer").acquire()
            (tmp_path / ".upload.lock").write_text("")  # what the file says changes nothing
            with pytest.raises(BatchLocked, match="already being uploaded"):
                CampaignLock(tmp_path, "summer").acquire()
        finally:
            holder.kill()  # kill -9: the kernel drops its lock
            holder.wait()
    with CampaignLock(tmp_path, "summer"):
        assert json.loads((tmp_path / ".upload.lock").read_text())["pid"] == os.getpid()
