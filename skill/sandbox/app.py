"""``Sandbox``: start, configure, inspect and stop the local Graph API in-process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from skill.sandbox import DEFAULT_TOKEN
from skill.sandbox.api import Api
from skill.sandbox.faults import Config
from skill.sandbox.server import SandboxServer
from skill.sandbox.state import State


class Sandbox:
    """A Graph API emulator on ``127.0.0.1``.

    >>> with Sandbox() as sb:                       # doctest: +SKIP
    ...     requests.get(f"{sb.url}/v26.0/me", headers={"Authorization": "Bearer sandbox-token"})

    ``state_path``: load the account from this JSON file on start (if it exists) and save it
    after every write, atomically. ``seed`` seeds the fault dice.
    """

    def __init__(self, token: str = DEFAULT_TOKEN, port: int = 0, state_path: str | Path | None = None,
                 seed: int = 0, **settings: Any) -> None:
        self.token = token
        self.port = port
        self.state_path = Path(state_path) if state_path is not None else None
        self.seed = seed
        self._settings = settings
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self.api = Api(token, State(), Config(), seed, self.state_path)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        self.api.state = State.load(self.state_path)
        if self._settings:
            self.api.configure(**self._settings)
        self._server = SandboxServer(self.port, self.api, self.state_dump)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="meta-ads-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self.api.lock:
            if self.state_path is not None:
                self.api.state.save(self.state_path)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ inspection and settings

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Faults and limits, any subset: latency_ms, fail_rate, null_rate, drop_rate, expire_token_after,
        block_account, rate_budget, rate_window_s, tier, report_delay_s, token_expires_at, scopes, seed,
        verbose. Returns the whole configuration."""
        return self.api.configure(**settings)

    def state_dump(self) -> dict[str, Any]:
        """A deep copy of every object, plus request counters under ``requests``."""
        with self.api.lock:
            dump = self.api.state.dump()
            dump["requests"] = dict(self.api.counts)
            dump["requests"].setdefault("total", 0)
        for run in dump.get("report_runs", {}).values():
            run.pop("rows", None)
        return dump

    @property
    def request_count(self) -> int:
        """HTTP requests served to clients (sandbox-only paths not counted)."""
        return self.api.counts["total"]

    def wait_for(self, count: int, kind: str = "total", timeout: float = 60.0) -> bool:
        """Block until the ``kind`` counter (total, POST, batch_ops …) reaches ``count``; False on timeout.
        Lets a test act on progress (kill a client after its Nth call) instead of after a delay."""
        with self.api.counted:
            return self.api.counted.wait_for(lambda: self.api.counts[kind] >= count, timeout=timeout)

    @property
    def request_counts(self) -> dict[str, int]:
        """Per kind: total, GET, POST, DELETE, batch, batch_ops, errors, transient, nulls, dropped."""
        with self.api.lock:
            return dict(self.api.counts)
