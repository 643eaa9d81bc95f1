"""The upload's file writer: records go to disk beside the calls, and a call's in-flight file goes
only after the records it settles (a kill in between must leave the intents, never lose them)."""

from __future__ import annotations

import threading

import pytest

from skill.upload.writer import Writer


def test_a_task_queued_with_after_waits_for_every_earlier_task():
    records_may_finish, other_ran = threading.Event(), threading.Event()
    ran: list[str] = []
    writer = Writer(threads=3)
    writer.later(lambda: (records_may_finish.wait(), ran.append("records")))
    writer.after(lambda: ran.append("remove in-flight file"))
    writer.later(lambda: (ran.append("other"), other_ran.set()))
    assert other_ran.wait(timeout=60), "a free thread runs the next task meanwhile"
    assert ran == ["other"], "the removal waits for the records queued before it"
    records_may_finish.set()
    writer.close()
    assert ran == ["other", "records", "remove in-flight file"]


def test_an_error_in_a_write_reaches_the_caller():
    writer = Writer(threads=2)

    def full_disk() -> None:
        raise OSError(28, "No space left on device")

    writer.later(full_disk)
    with pytest.raises(OSError, match="No space left"):
        writer.drain()
    writer.close()
