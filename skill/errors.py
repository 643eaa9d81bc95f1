"""Every error the kit raises, one root, split by where it failed.

    KitError
     ├── UsageError            a command was called wrongly (exit 2)
     ├── ConfigError           a workspace, settings or batch file is missing or malformed
     ├── ValidationFailed      ads broke the copy / image rules (carries the findings)
     ├── BatchLocked           another run holds the campaign's lock
     ├── CopyError             copy generation failed (LLM unreachable, never became valid)
     └── GraphError            the Graph API answered with an error, or not at all
          ├── GraphConnectionError   no answer (timeout, refused, dropped)
          ├── TransientError         codes 1, 2, HTTP 5xx, is_transient
          ├── RateLimited            4, 17, 32, 613, 80000-80014, 294/2446079
          │    └── WaitTooLong       Meta's wait is longer than max_wait: stopped, resumable
          ├── TokenInvalid           190
          ├── PermissionDenied       10, 200-299
          ├── InvalidParameter       100
          └── AccountBlocked         368

Library code raises these; only ``cli.py`` turns them into text and exit codes.
A message never contains the access token: ``redact`` is applied on the way in.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN_PATTERNS = [
    re.compile(r"(access_token=)[^&\s\"']+"),
    re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+"),
    re.compile(r"(input_token=)[^&\s\"']+"),
]


# Credentials in a URL's user part: ``https://user:pass@host`` → ``https://***@host``.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/@\s\"'<>]+@")
_SECRETS: set[str] = set()  # every secret this process knows (the token, URL credentials)


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every later ``redact`` call, wherever it comes from (and its URL-encoded form)."""
    if value and len(value) >= 4:
        from urllib.parse import quote

        _SECRETS.update({value, quote(value, safe=""), quote(value)})


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove tokens from ``text``: known secrets by value, token-shaped query args, URL credentials."""
    text = str(text)
    for secret in sorted({*secrets, *_SECRETS}, key=len, reverse=True):
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return _URL_USERINFO.sub(r"\1***@", text)


def redact_data(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """``redact`` every string inside a JSON-like value (dicts, lists), keys included."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {redact_data(k, secrets): redact_data(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v, secrets) for v in value]
    return value


class KitError(Exception):
    """Root of every error the kit raises. ``hint`` says what to do about it."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(redact(message))
        self.message = redact(message)
        self.hint = redact(hint) if hint else hint

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": type(self).__name__, "message": self.message}
        if self.hint:
            data["hint"] = self.hint
        return data


class UsageError(KitError):
    """The command was called wrongly."""

    exit_code = 2


class ConfigError(KitError):
    """A workspace, settings or batch file is missing or malformed.

    ``file`` and ``field`` say where, so the CLI can print ``file › field: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        ad: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.field = field
        self.ad = ad

    def __str__(self) -> str:
        where = " › ".join(p for p in (self.file, self.ad, self.field) if p)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data.update({k: v for k, v in (("file", self.file), ("field", self.field), ("ad", self.ad)) if v})
        return data


class ValidationFailed(KitError):
    """One or more ads broke the rules. ``findings`` holds every finding (see validate.py)."""

    def __init__(self, message: str, findings: list[Any]) -> None:
        super().__init__(message)
        self.findings = findings


class BatchLocked(KitError):
    """Another run is uploading the same campaign."""


class CopyError(KitError):
    """Copy generation failed: no key, the API refused, or the copy never became valid."""


class GraphError(KitError):
    """The Graph API answered with an error. Carries Meta's fields as they came."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        error_type: str | None = None,
        user_title: str | None = None,
        user_msg: str | None = None,
        fbtrace_id: str | None = None,
        is_transient: bool = False,
        http_status: int | None = None,
        error_data: Any = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.code = code
        self.subcode = subcode
        self.error_type = _masked(error_type)
        self.user_title = _masked(user_title)
        self.user_msg = _masked(user_msg)
        self.fbtrace_id = _masked(fbtrace_id)  # a server may echo anything, even here
        self.is_transient = is_transient
        self.http_status = http_status
        self.error_data = redact_data(error_data)

    def __str__(self) -> str:
        head = f"Graph error {self.code}" if self.code is not None else "Graph error"
        if self.subcode:
            head += f"/{self.subcode}"
        parts = [f"{head}: {self.message}"]
        if self.user_title or self.user_msg:
            parts.append(" - ".join(p for p in (self.user_title, self.user_msg) if p))
        if self.fbtrace_id:
            parts.append(f"fbtrace_id {self.fbtrace_id}")
        return " | ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data.update(
            {
                "code": self.code,
                "error_subcode": self.subcode,
                "error_user_title": self.user_title,
                "error_user_msg": self.user_msg,
                "fbtrace_id": self.fbtrace_id,
                "is_transient": self.is_transient,
            }
        )
        return data


def _masked(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class GraphConnectionError(GraphError):
    """No answer: timeout, connection refused, or a response dropped mid-way.

    ``may_have_succeeded`` is True for a write whose request may have reached Meta: the
    object may exist, so look it up by name before posting again.
    """

    def __init__(self, message: str, *, may_have_succeeded: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.may_have_succeeded = may_have_succeeded


class TransientError(GraphError):
    """Meta says try again: codes 1 and 2, HTTP 5xx, or ``is_transient``."""


class RateLimited(GraphError):
    """Over a rate limit. ``retry_after_s`` is Meta's estimate, when it gave one."""

    def __init__(self, message: str, *, retry_after_s: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after_s = retry_after_s


class WaitTooLong(RateLimited):
    """Meta asks for a longer wait than ``max_wait`` allows: the run stops, resumable, instead of sleeping."""


class TokenInvalid(GraphError):
    """Code 190: the token is expired, revoked or wrong."""


class PermissionDenied(GraphError):
    """Codes 10 and 200-299: the token lacks a scope or the object is not yours."""


class InvalidParameter(GraphError):
    """Code 100: a field is wrong or missing."""


class AccountBlocked(GraphError):
    """Code 368: the account is flagged. Stop all calls and review the account."""
