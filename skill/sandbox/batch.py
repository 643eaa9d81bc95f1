"""The Graph batch endpoint: ``POST /`` with ``batch=[…]`` (at most 50 operations).

Each operation: ``method``, ``relative_url`` (with or without ``vNN.0/``), ``body`` (a
urlencoded string), ``name``, ``depends_on``, ``omit_response_on_success``,
``attached_files`` (comma-separated names of the request's multipart file parts).

``{result=NAME:$.path}`` in a relative_url or body is replaced by the values the JSONPath
selects in operation NAME's answer (several values joined by commas), e.g. ``$.id``,
``$.images.*.hash``, ``$.data.*.id``; such a reference also makes the operation depend on NAME.

The answer is an array, one entry per operation, in order: ``{"code", "headers":
[{"name", "value"}], "body": "<JSON string>"}``, or ``null`` when the operation was not
run (a fault) or when it succeeded and its response is omitted. As Meta does, the response
of an operation that others depend on is omitted unless it sets
``omit_response_on_success: false``. An operation whose dependency did not succeed is not
run; its entry is error code 1 (``error_user_title`` "Dependency Failed", HTTP 500).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from skill.sandbox.errors import ApiError, dependency_failed, invalid_param
from skill.sandbox.request import Request, Upload, split_path, strip_token

if TYPE_CHECKING:
    from skill.sandbox.api import Api

MAX_OPS = 50
REF_RE = re.compile(r"\{result=([^:{}]+):(\$[^{}]*)\}")


@dataclass
class Op:
    index: int
    method: str
    relative_url: str
    body: str
    name: str | None
    depends_on: str | None
    omit: bool | None
    attached_files: list[str]


@dataclass
class Outcome:
    """What happened to one operation. ``code`` None: not run (a ``null`` entry)."""

    code: int | None
    body: Any = None
    headers: dict[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.code is not None and self.code < 400


# ---------------------------------------------------------------- parsing


def parse_ops(raw: Any, limit: int = MAX_OPS, what: str = "batch", method: str = "GET") -> list[Op]:
    """Validated operations; ``method`` is the default (GET in a batch, POST in an adbatch)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise invalid_param(f"Invalid {what}", f"{what} must be a JSON array of operations.") from None
    if not isinstance(raw, list) or not raw:
        raise invalid_param(f"Invalid {what}", f"{what} must be a non-empty JSON array of operations.")
    if len(raw) > limit:
        raise ApiError(f"(#100) Too many requests in batch message. Maximum batch size is {limit}", 100, None,
                       "Batch Too Large", f"A {what} holds at most {limit} operations; this one has {len(raw)}.")
    return [_op(i, item, what, method) for i, item in enumerate(raw)]


def _op(index: int, item: Any, what: str, method: str) -> Op:
    if not isinstance(item, dict) or not isinstance(item.get("relative_url"), str):
        raise invalid_param(f"Invalid {what}", f"{what}[{index}] needs a relative_url.")
    body = item.get("body") or ""
    if isinstance(body, dict):
        body = "&".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in body.items())
    files = item.get("attached_files") or ""
    omit = item.get("omit_response_on_success")
    return Op(index=index, method=str(item.get("method") or method).upper(), relative_url=str(item["relative_url"]),
              body=str(body), name=item.get("name"), depends_on=item.get("depends_on"),
              omit=None if omit is None else str(omit).lower() not in ("false", "0"),
              attached_files=[f.strip() for f in str(files).split(",") if f.strip()])


def referenced_names(ops: list[Op]) -> set[str]:
    names = set()
    for op in ops:
        names.update(dependencies(op))
    return names


# ---------------------------------------------------------------- JSONPath references


def jsonpath(doc: Any, path: str) -> list[Any]:
    """The small JSONPath Meta's batch references use: ``$.a.b``, ``$.a.*.b``, ``$.data[0].id``, ``$.data.0.id``."""
    nodes = [doc]
    for part in [p for p in re.split(r"\.|(?=\[)", path.removeprefix("$")) if p]:
        nxt: list[Any] = []
        for node in nodes:
            if part in ("*", "[*]"):
                nxt.extend(node.values() if isinstance(node, dict) else node if isinstance(node, list) else [])
            elif part.strip("[]").isdigit() and isinstance(node, list):
                if int(part.strip("[]")) < len(node):
                    nxt.append(node[int(part.strip("[]"))])
            elif isinstance(node, dict) and part in node:
                nxt.append(node[part])
        nodes = nxt
    return nodes


class Unresolved(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def resolve(text: str, answers: dict[str, Any]) -> str:
    """Replace every ``{result=NAME:$.path}``; a missing answer raises :class:`Unresolved`."""

    def sub(match: re.Match[str]) -> str:
        name, path = match.group(1), match.group(2)
        if name not in answers:
            raise Unresolved(name)
        values = jsonpath(answers[name], path)
        if not values:
            raise Unresolved(name)
        return ",".join(v if isinstance(v, str) else json.dumps(v) for v in values)

    return REF_RE.sub(sub, text)


# ---------------------------------------------------------------- running


def op_request(op: Op, parent: Request, files: list[Upload], answers: dict[str, Any]) -> Request:
    """The operation as a request of its own (references resolved, token stripped)."""
    url = urlsplit(resolve(op.relative_url, answers))
    version, path = split_path(url.path)
    params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
    body = resolve(op.body, answers)
    params.update({k: resolve(v, answers) for k, v in parse_qsl(body, keep_blank_values=True)})
    strip_token(params)
    wanted = [f for f in files if f.field in op.attached_files]
    missing = set(op.attached_files) - {f.field for f in wanted}
    if missing:
        raise invalid_param("Missing Attached File", f"attached_files names {sorted(missing)[0]!r}, which is not "
                            "a file part of this request.")
    return Request(op.method, path, params, wanted, version, parent.base_url)


def dependencies(op: Op) -> list[str]:
    """Names this operation waits for: ``depends_on`` and every ``{result=NAME:…}`` (even URL-encoded)."""
    text = " ".join((op.relative_url, op.body, unquote_plus(op.body)))
    deps = list(dict.fromkeys(m.group(1) for m in REF_RE.finditer(text)))
    if op.depends_on:
        deps.insert(0, op.depends_on)
    return deps


def run_batch(api: Api, parent: Request, raw: Any) -> list[Outcome]:
    """Run every operation in order; one that depends on a failed or skipped one is not run."""
    ops = parse_ops(raw)
    outcomes: list[Outcome] = []
    answers: dict[str, Any] = {}
    status: dict[str, bool] = {}
    for op in ops:
        outcome = _run_one(api, op, parent, answers, status)
        if op.name:
            status[op.name] = outcome.ok
            if outcome.ok:
                answers[op.name] = outcome.body
        outcomes.append(outcome)
    referenced = referenced_names(ops)
    for op, outcome in zip(ops, outcomes, strict=True):
        omit = op.omit if op.omit is not None else bool(op.name and op.name in referenced)
        if omit and outcome.ok:
            outcomes[op.index] = Outcome(None)
    return outcomes


def _run_one(api: Api, op: Op, parent: Request, answers: dict[str, Any], status: dict[str, bool]) -> Outcome:
    label = op.name or f"#{op.index}"
    for dep in dependencies(op):
        if not status.get(dep, False):
            return api.error_outcome(dependency_failed(label, dep))
    try:
        req = op_request(op, parent, parent.files, answers)
    except Unresolved as exc:
        return api.error_outcome(dependency_failed(label, exc.name))
    except ApiError as exc:
        return api.error_outcome(exc)
    if not req.path:
        return api.error_outcome(invalid_param("Nested Batch", "A batch operation cannot be another batch."))
    return api.run_op(req, batch_op=True)


def entry(outcome: Outcome, include_headers: bool = True) -> dict[str, Any] | None:
    if outcome.code is None:
        return None
    out: dict[str, Any] = {"code": outcome.code}
    if include_headers:
        headers = {"Content-Type": "text/javascript; charset=UTF-8", **(outcome.headers or {})}
        out["headers"] = [{"name": k, "value": v} for k, v in headers.items()]
    out["body"] = json.dumps(outcome.body)
    return out
