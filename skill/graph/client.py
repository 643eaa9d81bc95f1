"""GraphClient: the only code that speaks HTTP to Meta.

- The token travels in the ``Authorization`` header, never in a URL; every message is redacted.
- Every call has a timeout. Usage headers are read from every answer and every batch entry,
  and the next call waits when usage is high (pacing), before Meta says no.
- Retries follow ``retry.py``. Reads retry freely. A write whose answer was lost (timeout,
  dropped connection) is *not* retried: it may have happened, so it raises
  ``GraphConnectionError(may_have_succeeded=True)`` and the caller looks the object up by name.
  A write that got a definite retryable error (rate limit, code 1/2) is retried: Meta did not do it.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from skill.errors import GraphConnectionError, GraphError, redact
from skill.events import Event, Reporter, silent
from skill.graph.batch import BatchOp, BatchResult, chunks, entry_headers, parse_body
from skill.graph.errors import parse_error
from skill.graph.retry import DEFAULT_MAX_RETRIES, cap_for, retry_delay, retry_message, should_retry
from skill.graph.usage import Pacer, Usage

DEFAULT_TIMEOUT_S = 60.0
USER_AGENT = "meta-ads-kit"


@dataclass
class Stats:
    http_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    batch_calls: int = 0


class GraphClient:
    def __init__(
        self,
        base_url: str = "https://graph.facebook.com",
        token: str = "",
        api_version: str = "v26.0",
        *,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_base_s: float = 10.0,
        retry_cap_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        report: Reporter = silent,
        ad_account: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        self.ad_account = ad_account
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_base_s = retry_base_s
        self.retry_cap_s = cap_for(retry_base_s) if retry_cap_s is None else retry_cap_s
        self.sleep = sleep
        self.rand = rand
        self.report = report
        self.pacer = Pacer(retry_base_s)
        self.stats = Stats()
        self._token = token
        self._lock = threading.Lock()

    # ------------------------------------------------------------ public calls

    @property
    def usage(self) -> Usage:
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
        """A write. ``idempotent=True`` (e.g. setting a status) may be retried after a lost answer."""
        return self._request("POST", self.url(path), data=_form(data), files=files, idempotent=idempotent)

    def paginate(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every row of a list endpoint, following ``paging.next`` across pages."""
        page = self.get(path, params)
        while True:
            yield from page.get("data", []) if isinstance(page, dict) else []
            next_url = (page.get("paging") or {}).get("next") if isinstance(page, dict) else None
            if not next_url:
                return
            page = self._request("GET", self._same_host(next_url), idempotent=True)

    def batch(self, ops: list[BatchOp], files: dict[str, Any] | None = None) -> list[BatchResult | None]:
        """Run operations through the batch endpoint, ≤50 a call. ``None`` = not run by Meta.

        Null and retryable entries that stand alone are re-sent; those that reference another
        operation's result come back as they are (``None`` or an error) for the caller to handle.
        """
        results: list[BatchResult | None] = [None] * len(ops)
        for index_group in chunks(ops):
            self._batch_chunk(ops, index_group, files, results)
        return results

    def url(self, path: str) -> str:
        if path.startswith("http://") or path.startswith("https://"):
            return self._same_host(path)
        return f"{self.base_url}/{self.api_version}/{path.lstrip('/')}"

    # ------------------------------------------------------------ batch internals

    def _batch_chunk(self, ops: list[BatchOp], idx: list[int], files: dict[str, Any] | None,
                     results: list[BatchResult | None]) -> None:
        pending = idx
        for attempt in range(self.max_retries + 1):
            wire = [ops[i].to_wire() for i in pending]
            names = {ops[i].attached_files for i in pending if ops[i].attached_files}
            chunk_files = {k: v for k, v in (files or {}).items() if k in names} or None
            with self._lock:
                self.stats.batch_calls += 1
            answer = self._request("POST", f"{self.base_url}/{self.api_version}/",
                                   data={"batch": json.dumps(wire), "include_headers": "true"},
                                   files=chunk_files, idempotent=False)
            if not isinstance(answer, list) or len(answer) != len(pending):
                raise GraphError(f"batch answer has {len(answer) if isinstance(answer, list) else 0} "
                                 f"entries for {len(pending)} operations")
            retry_these, last_error = [], None
            for i, entry in zip(pending, answer, strict=True):
                results[i] = self._entry(entry)
                err = results[i].error if results[i] else None
                if (results[i] is None or (err and should_retry(err))) and not ops[i].needs_other_results:
                    retry_these.append(i)
                    last_error = err if err else last_error
            if not retry_these or attempt == self.max_retries:
                return
            self._wait(attempt, last_error)
            pending = retry_these

    def _entry(self, entry: Any) -> BatchResult | None:
        if entry is None:
            return None
        headers = entry_headers(entry)
        self.pacer.observe(headers)
        data = parse_body(entry.get("body"))
        status = entry.get("code")
        if isinstance(status, int) and status < 400 and not (isinstance(data, dict) and "error" in data):
            return BatchResult(True, status, data, None, headers)
        error = parse_error(status, data, headers, self._secrets)
        if getattr(error, "retry_after_s", None) is not None or error.code in (4, 17, 613, 80004):
            with self._lock:
                self.stats.rate_limited += 1
        return BatchResult(False, status, data, error, headers)

    # ------------------------------------------------------------ one HTTP exchange, with retries

    @property
    def _secrets(self) -> tuple[str, ...]:
        return (self._token,) if self._token else ()

    def _request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                 data: dict[str, Any] | None = None, files: dict[str, Any] | None = None,
                 idempotent: bool) -> Any:
        for attempt in range(self.max_retries + 1):
            self._pace()
            try:
                answer = self._send(method, url, params, data, files, idempotent)
            except GraphError as error:
                if not should_retry(error) or attempt == self.max_retries:
                    raise
                if isinstance(error, GraphConnectionError) and error.may_have_succeeded:
                    raise
                self._wait(attempt, error)
                continue
            if attempt:
                self.report(Event("retry_ok", "✓ Retry successful", {"attempts": attempt + 1}))
            return answer
        raise AssertionError("unreachable")

    def _send(self, method: str, url: str, params: dict[str, Any] | None, data: dict[str, Any] | None,
              files: dict[str, Any] | None, idempotent: bool) -> Any:
        with self._lock:
            self.stats.http_requests += 1
        headers = {"Authorization": f"Bearer {self._token}", "User-Agent": USER_AGENT}
        try:
            resp = self.session.request(method, url, params=_form(params), data=data, files=files,
                                        headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise GraphConnectionError(
                redact(f"no answer from {urlsplit(url).netloc} ({type(exc).__name__})", self._secrets),
                may_have_succeeded=(method != "GET" and not idempotent),
                hint="check the network; re-run the same command to resume, nothing done is lost",
            ) from None
        self.pacer.observe(resp.headers)
        try:
            payload = resp.json()
        except ValueError:
            payload = None
        if resp.ok and not (isinstance(payload, dict) and "error" in payload):
            return payload
        error = parse_error(resp.status_code, payload, resp.headers, self._secrets)
        if payload is None and resp.status_code >= 500 and method != "GET" and not idempotent:
            raise GraphConnectionError(error.message, may_have_succeeded=True, http_status=resp.status_code)
        if error.__class__.__name__ == "RateLimited":
            with self._lock:
                self.stats.rate_limited += 1
        raise error

    def _wait(self, attempt: int, error: BaseException | None) -> None:
        delay = retry_delay(attempt, error, base_s=self.retry_base_s, cap_s=self.retry_cap_s, rand=self.rand)
        self.report(Event("retry", retry_message(error, delay, attempt, self.max_retries),
                          {"attempt": attempt + 1, "delay_s": delay, "code": getattr(error, "code", None)}))
        with self._lock:
            self.stats.retries += 1
        self.sleep(delay)

    def _pace(self) -> None:
        delay = self.pacer.delay()
        if delay > 0:
            self.report(Event("pace", f"Approaching Meta's rate limit ({self.pacer.usage.max_pct:.0f}% used). "
                                      f"Slowing down {delay:.1f}s...", {"delay_s": delay}))
            self.sleep(delay)
            self.pacer.spent(delay)

    def _same_host(self, url: str) -> str:
        """Follow a paging URL only on our own host, and never with a token in it."""
        parts = urlsplit(url)
        base = urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise GraphError(f"refusing to follow a link to another host ({parts.netloc})")
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"])
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _form(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Form and query values: dicts and lists as JSON strings, as the Graph API expects."""
    if data is None:
        return None
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict | list):
            out[key] = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = value
    return out
