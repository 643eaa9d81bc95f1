"""The upload's file writer: copy documents, records and ``assets.md`` rows go to disk on a few
threads beside the calls, so that files are written while calls are in flight.

Creating a file costs a millisecond or two on a busy disk, and an upload writes two per ad; on the
calls' threads that time added up between calls. Here a task runs as soon as a thread is free
(``later``); ``after`` runs a task once every task queued before it has finished (removing a
call's in-flight file only after the records it settles are written); ``drain`` waits for all
and raises the first error (a full disk) in the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class Writer:
    """A small pool of file-writing threads, started on first use."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = max(1, threads)
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()

    def later(self, task: Callable[[], None]) -> None:
        """Run ``task`` on a writer thread."""
        with self._lock:
            self._submit(task)

    def after(self, task: Callable[[], None]) -> None:
        """Run ``task`` once every task queued before it has finished."""
        with self._lock:
            earlier = list(self._pending)

            def when_done() -> None:
                for future in earlier:  # they started before this one (the pool runs tasks in order)
                    future.result()
                task()

            self._submit(when_done)

    def _submit(self, task: Callable[[], None]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="upload-files")
        self._pending = [f for f in self._pending if not f.done() or f.exception() is not None]
        self._pending.append(self._pool.submit(task))

    def drain(self) -> None:
        """Wait for every task queued so far (and those they queue); raise the first error."""
        while True:
            with self._lock:
                pending, self._pending = self._pending, []
            if not pending:
                return
            for future in pending:
                future.result()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            if self._pool is not None:
                self._pool.shutdown()
