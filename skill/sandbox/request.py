"""One Graph request as the endpoints see it, whether it came over HTTP or inside a batch.

Parameters arrive as a query string, a form (urlencoded or multipart) or a JSON body;
they are merged into one ``params`` dict. Values from forms are strings (JSON objects
inside are JSON strings, as Meta expects them); values from JSON bodies keep their
types. :func:`json_param` reads either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from skill.sandbox.errors import ApiError, invalid_param, missing_param

VERSION_RE = re.compile(r"^v\d+\.\d+$")
DEFAULT_VERSION = "v26.0"
TOKEN_PARAMS = ("access_token",)


@dataclass
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    data: bytes


@dataclass
class Request:
    method: str
    path: list[str]                  # segments after the version, e.g. ["act_1", "ads"]
    params: dict[str, Any]
    files: list[Upload] = field(default_factory=list)
    version: str = DEFAULT_VERSION
    base_url: str = ""               # "http://127.0.0.1:PORT", for paging.next

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def path_str(self) -> str:
        return "/".join(self.path)


def split_path(raw: str) -> tuple[str, list[str]]:
    """``/v26.0/act_1/ads`` → ``("v26.0", ["act_1", "ads"])``; no version → the default."""
    parts = [p for p in raw.split("/") if p]
    version = DEFAULT_VERSION
    if parts and VERSION_RE.match(parts[0]):
        version = parts.pop(0)
    return version, parts


def parse_form(text: str) -> dict[str, Any]:
    return dict(parse_qsl(text, keep_blank_values=True))


def parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], list[Upload]]:
    """Parameters and files from a request body of any of the three kinds Meta accepts."""
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}, []
    if ctype == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if not match:
            raise invalid_param("Malformed Request", "The multipart body has no boundary.")
        return parse_multipart(body, match.group(1).encode())
    if ctype == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise invalid_param("Malformed JSON", "The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise invalid_param("Malformed JSON", "The JSON body must be an object.")
        return data, []
    return parse_form(body.decode("utf-8", errors="replace")), []


def parse_multipart(body: bytes, boundary: bytes) -> tuple[dict[str, Any], list[Upload]]:
    """A small multipart/form-data reader: text parts become params, file parts uploads."""
    params: dict[str, Any] = {}
    files: list[Upload] = []
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", errors="replace")
        name = _disposition(headers, "name")
        filename = _disposition(headers, "filename")
        if name is None:
            continue
        if filename is not None:
            files.append(Upload(name, filename or None, data))
        else:
            params[name] = data.decode("utf-8", errors="replace")
    return params, files


def _disposition(headers: str, key: str) -> str | None:
    match = re.search(rf'(?i)content-disposition:[^\r\n]*?;\s*{key}="([^"]*)"', headers)
    if match:
        return match.group(1)
    match = re.search(rf'(?i)content-disposition:[^\r\n]*?;\s*{key}=([^;\s]+)', headers)
    return match.group(1) if match else None


# ---------------------------------------------------------------- parameter readers


def json_param(params: dict[str, Any], name: str, default: Any = None) -> Any:
    """A parameter that holds JSON: a string from a form, or the value itself from a JSON body."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise invalid_param(f"Invalid {name}", f"The parameter {name} must be valid JSON.") from None


def str_param(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, dict | list) else str(value)


def int_param(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_param(f"Invalid {name}", f"The parameter {name} must be an integer.") from None


def require(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise missing_param(name)
    return value


def strip_token(params: dict[str, Any]) -> str | None:
    """Remove the access token from the parameters (so nothing downstream can echo it)."""
    token = None
    for key in TOKEN_PARAMS:
        value = params.pop(key, None)
        if value:
            token = str(value)
    return token


def check_object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError("Invalid parameter", 100, None, f"Invalid {name}", f"The parameter {name} must be an object.")
    return value
