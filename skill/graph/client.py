"""GraphClient: the only code that speaks HTTP to Meta.

- The token travels in the ``Authorization: Bearer`` header, never in a URL (an
  ``access_token`` in a path or a ``paging.next`` link is stripped); every message is redacted.
- Every call has a timeout. Usage headers are read from every answer and every batch entry,
  and the next call waits while usage is high (pacing), before Meta says no.
- Retries follow ``retry.py``, and reads and writes differ:

  * a read (``GET``, or a write marked ``idempotent=True``) is retried on any retryable error,
    a lost answer included;
  * a write (``post(..., idempotent=False)``, the default) is retried only when Meta answered
    with an error body (rate limit, codes 1 / 2, HTTP 5xx with an error): Meta did not do it.
    When the answer is lost after the request went out (read timeout, dropped connection,
    a 5xx without a body) the write may have happened: it raises
    ``GraphConnectionError(may_have_succeeded=True)`` at once, and the caller looks the object
    up by name before posting again. A connection that was never made is retried.
  * batch entries: see ``batch.py`` (``plan_resend``); the batch calls live in ``batch_calls.py``.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from skill.errors import GraphConnectionError, GraphError, RateLimited, redact
from skill.events import Event, Reporter, silent
from skill.graph.batch_calls import BatchCalls
from skill.graph.errors import parse_error
from skill.graph.httplog import batch_size, http_line
from skill.graph.retry import (
    DEFAULT_BASE_S,
    DEFAULT_MAX_RETRIES,
    cap_for,
    describe,
    retry_delay,
    retry_message,
    should_retry,
    wait_too_long,
    waiting_line,
    write_not_done,
)
from skill.graph.usage import READ_WEIGHT, WRITE_WEIGHT, Pacer, Usage
from skill.graph.wire import LOOK_UP_HINT, form, reached_server, rewind, strip_token

DEFAULT_TIMEOUT_S = 60.0
USER_AGENT = "meta-ads-kit"
_VERSIONED = re.compile(r"^/?v\d+\.\d+(/|$)")


@dataclass
class Stats:
    """Counters for benchmarks: HTTP requests sent, retry waits, rate-limit errors seen."""

    http_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    batch_calls: int = 0


class GraphClient(BatchCalls):
    """Calls, retries, pacing, pagination and batches against one Graph API base URL."""

    def __init__(
        self,
        base_url: str = "https://graph.facebook.com",
        token: str = "",
        api_version: str = "v26.0",
        *,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_base_s: float = DEFAULT_BASE_S,
        retry_cap_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        report: Reporter = silent,
        ad_account: str | None = None,
        max_wait_s: float | None = None,
        http_log: Callable[[str], None] | None = None,
    ) -> None:
        """``retry_cap_s`` defaults to 30 × ``retry_base_s`` (300 s at the default 10 s base), or ``max_wait_s``.

        ``max_wait_s``: when Meta asks for a longer wait than this, raise ``WaitTooLong`` instead of
        sleeping (None: no limit). ``http_log``: called with one line per HTTP request (no secrets).
        """
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        self.ad_account = ad_account
        self.session = session or requests.Session()
        self._own_session = session is None
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_base_s = retry_base_s
        self.max_wait_s = max_wait_s
        default_cap = cap_for(retry_base_s) if max_wait_s is None else max_wait_s
        self.retry_cap_s = default_cap if retry_cap_s is None else retry_cap_s
        self.http_log = http_log
        self._local = threading.local()
        self.sleep = sleep
        self.rand = rand
        self.report = report
        self.pacer = Pacer(retry_base_s, clock)
        self.stats = Stats()
        self._token = token
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> GraphClient:
        """A client from ``skill.settings.Settings`` (URL, version, token, account, retry base)."""
        kwargs: dict[str, Any] = {
            "base_url": settings.graph_url,
            "token": settings.require_token(),
            "api_version": settings.api_version,
            "retry_base_s": settings.retry_base_s,
            "ad_account": settings.ad_account,
        }
        retry, stack_wait = settings.stack.retry, settings.stack.max_wait
        if retry is not None and retry.attempts is not None:
            kwargs["max_retries"] = retry.attempts
        max_wait = retry.max_wait if retry is not None and retry.max_wait is not None else stack_wait
        if max_wait is not None:
            kwargs["max_wait_s"] = float(max_wait)
        report = overrides.get("report")
        if getattr(settings, "http_log", False) and report is not None:
            kwargs["http_log"] = lambda line: report(Event("http", line))
        kwargs.update(overrides)
        return cls(**kwargs)

    @contextmanager
    def labelled(self, label: str | None) -> Iterator[None]:
        """Retry lines from calls made in this block (this thread) name what they hold up:
        ``[2/10] receipt - Rate limited (error 80004)``."""
        before = getattr(self._local, "label", None)
        self._local.label = label
        try:
            yield
        finally:
            self._local.label = before

    def __repr__(self) -> str:
        return f"GraphClient({self.base_url!r}, api_version={self.api_version!r})"

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session, if this client made it."""
        if self._own_session:
            self.session.close()

    # ------------------------------------------------------------ public calls

    @property
    def usage(self) -> Usage:
        """The latest usage snapshot (highest utilisation of any header, Meta's wait estimate)."""
        return self.pacer.usage

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._request("GET", self.url(path), params=params, idempotent=True)

    def post(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        *,
        idempotent: bool = False,
    ) -> Any:
        """A write, form-encoded (dict and list values as JSON). ``idempotent=True`` (setting a
        status, starting a report) lets it be retried after a lost answer too."""
        return self._request("POST", self.url(path), data=form(data), files=files, idempotent=idempotent)

    def delete(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """``DELETE`` a node (cancelling an async request set is one); safe to repeat."""
        return self._request("DELETE", self.url(path), params=params, idempotent=True)

    def paginate(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every row of a list endpoint, following ``paging.next`` across pages."""
        page = self.get(path, params)
        while isinstance(page, dict):
            yield from page.get("data") or []
            next_url = (page.get("paging") or {}).get("next")
            if not next_url:
                return
            page = self._request("GET", self._same_host(next_url), idempotent=True)

    def url(self, path: str) -> str:
        """The full URL for ``path`` (``act_1/ads``, ``/123``, ``v26.0/me`` or a full URL)."""
        if path.startswith(("http://", "https://")):
            return self._same_host(path)
        path = path.lstrip("/")
        prefix = "" if _VERSIONED.match(path) else f"{self.api_version}/"
        return strip_token(f"{self.base_url}/{prefix}{path}")

    # ------------------------------------------------------------ one HTTP exchange, with retries

    @property
    def _secrets(self) -> tuple[str, ...]:
        return (self._token,) if self._token else ()

    def _request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                 data: dict[str, Any] | None = None, files: dict[str, Any] | None = None,
                 idempotent: bool, weight: float | None = None) -> Any:
        weight = weight or (READ_WEIGHT if method == "GET" else WRITE_WEIGHT)
        for attempt in range(self.max_retries + 1):
            self._pace(weight)
            try:
                answer = self._send(method, url, params, data, files, weight)
            except GraphError as error:
                retry = should_retry(error) if (method == "GET" or idempotent) else write_not_done(error)
                if not retry or attempt == self.max_retries:
                    raise
                self._wait(attempt, error)
                continue
            if attempt:
                self.report(Event("retry_ok", "✓ Retry successful", {"attempts": attempt + 1}))
            return answer
        raise AssertionError("unreachable")

    def _send(self, method: str, url: str, params: dict[str, Any] | None, data: dict[str, Any] | None,
              files: dict[str, Any] | None, weight: float) -> Any:
        with self._lock:
            self.stats.http_requests += 1
        headers = {"Authorization": f"Bearer {self._token}", "User-Agent": USER_AGENT}
        rewind(files)
        started = time.monotonic()
        try:
            resp = self.session.request(method, url, params=form(params), data=data, files=files,
                                        headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            self.pacer.release(weight)
            self._log(method, url, None, started, None, None, data, files)
            raise self._no_answer(method, url, exc) from None
        if not self.pacer.observe(resp.headers, weight=weight).raw:
            self.pacer.release(weight)
        try:
            payload = resp.json()
        except ValueError:
            payload = None
        self._log(method, url, resp.status_code, started, resp.headers, payload, data, files)
        if resp.ok and not (isinstance(payload, dict) and "error" in payload):
            return payload
        error = parse_error(resp.status_code, payload, resp.headers, self._secrets)
        if payload is None and resp.status_code >= 500 and method != "GET":
            raise GraphConnectionError(f"{error.message} (the write may have happened)", may_have_succeeded=True,
                                       http_status=resp.status_code, hint=LOOK_UP_HINT)
        self._count_error(error)
        raise error

    def _no_answer(self, method: str, url: str, exc: requests.RequestException) -> GraphConnectionError:
        write = method != "GET"
        maybe = write and reached_server(exc)
        what = f"no answer from {urlsplit(url).netloc} ({type(exc).__name__})"
        if maybe:
            what += "; the write may have happened"
        return GraphConnectionError(
            redact(what, self._secrets), may_have_succeeded=maybe,
            hint=LOOK_UP_HINT if maybe else "check the network and the Graph URL (META_GRAPH_URL), then re-run; "
            "nothing done is lost",
        )

    def _log(self, method: str, url: str, status: int | None, started: float, headers: Any, payload: Any,
             data: dict[str, Any] | None, files: dict[str, Any] | None) -> None:
        if self.http_log is not None:
            line = http_line(method, url, status, time.monotonic() - started, headers, payload, batch_size(data, files))
            self.http_log(redact(line, self._secrets))

    def _count_error(self, error: GraphError) -> None:
        if isinstance(error, RateLimited):
            with self._lock:
                self.stats.rate_limited += 1

    def _wait(self, attempt: int, error: BaseException | None) -> None:
        stop = wait_too_long(error, self.max_wait_s)
        if stop is not None:
            raise stop
        delay = retry_delay(attempt, error, base_s=self.retry_base_s, cap_s=self.retry_cap_s, rand=self.rand,
                            fit_s=self.pacer.fit_s())
        data = {"attempt": attempt + 1, "max_retries": self.max_retries, "delay_s": delay,
                "code": getattr(error, "code", None)}
        label = getattr(self._local, "label", None)
        if label:
            self.report(Event("rate_limited", f"{label} - {describe(error)}", data))
            self.report(Event("retry", waiting_line(delay, attempt, self.max_retries, error), data))
        else:
            self.report(Event("retry", retry_message(error, delay, attempt, self.max_retries), data))
        with self._lock:
            self.stats.retries += 1
        self.sleep(delay)

    def _pace(self, weight: float) -> None:
        usage = self.pacer.usage
        if usage.blocked and self.max_wait_s is not None and usage.regain_s > self.max_wait_s:
            stop = wait_too_long(RateLimited("Meta is refusing calls for now", retry_after_s=usage.regain_s),
                                 self.max_wait_s)
            if stop is not None:
                raise stop
        delay, since = self.pacer.reserve(weight)
        if delay > 0:
            self.report(Event("pace", f"Approaching Meta's rate limit ({self.pacer.usage.max_pct:.0f}% used). "
                                      f"Slowing down {delay:.1f}s...", {"delay_s": delay}))
            self.sleep(delay)
            self.pacer.waited(delay, since)

    def _same_host(self, url: str) -> str:
        """Follow a paging URL only on our own host, and never with a token in it."""
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise GraphError(redact(f"refusing to follow a link to another host ({parts.netloc})", self._secrets))
        return strip_token(url)
