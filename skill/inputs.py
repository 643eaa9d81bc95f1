"""What the kit accepts from the files and options people (and agents) give it, checked in one place.

Pure functions, no I/O beyond ``Path.resolve``; each returns a problem to report (a short
sentence) or ``None``. ``skill/validate/``, ``models.py`` and ``settings.py`` turn the problems into
findings or ``ConfigError``\\s that name the file and the field.

- URLs: ``https://`` or ``http://`` with a host; nothing else reaches Meta (no ``javascript:``,
  no scheme-less ``example.com``).
- Text: no control characters (a line break and a tab are fine), no bidirectional overrides or
  invisible characters (U+202E, U+200B …), no lone surrogates. ZWJ stays: emoji need it.
- Ids: ``act_<digits>`` for an ad account, digits for ad sets and pages: an id is a path
  segment of every Graph call, so ``act_1/../../me`` must never get that far.
- Names from templates: only ``{campaign}``, ``{name}``, ``{date}``, ``{variant}``, ``{audience}``,
  ``{format}``; no attribute or index access.
- Paths: inside the workspace (after following symlinks), or inside a folder the user allowed.
"""

from __future__ import annotations

import functools
import os
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

URL_SCHEMES = ("https", "http")
MAX_URL_LENGTH = 2048
ACCOUNT_ID = re.compile(r"^act_[0-9]{1,30}$")
OBJECT_ID = re.compile(r"^[0-9]{1,30}$")
TEMPLATE_FIELDS = ("campaign", "name", "date", "variant", "audience", "format")  # ad names: creative/naming.py
ALLOWED_FORMAT_CHARS = {"\u200d"}  # zero-width joiner: part of emoji sequences
ALLOWED_CONTROLS = {"\n", "\t"}
_SPACE = re.compile(r"\s")  # what str.isspace() calls space, in C
_NAMED = {"\u202e": "U+202E right-to-left override", "\u200b": "U+200B zero-width space", "\x00": "NUL"}


def url_problem(value: object) -> str | None:
    """Why this is not a web address Meta can link to, or None."""
    if not isinstance(value, str) or not value.strip():
        return "is empty; use a full address such as https://example.com/page"
    if value != value.strip() or _SPACE.search(value):
        return f"{_show(value)} contains spaces; use a full address such as https://example.com/page"
    if len(value) > MAX_URL_LENGTH:
        return f"is {len(value)} characters long (max {MAX_URL_LENGTH})"
    bad = text_problem(value)
    if bad:
        return bad
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return f"{_show(value)} is not a valid web address"
    if parts.scheme.lower() not in URL_SCHEMES:
        scheme = f"'{parts.scheme}:' " if parts.scheme else "no scheme "
        return f"{_show(value)} has {scheme}; use https:// (or http://) followed by the site"
    if not host or "." not in host.strip("."):
        return f"{_show(value)} has no site name after {parts.scheme}://"
    return None


def text_problem(text: str) -> str | None:
    """Characters copy must not carry: controls, bidi overrides, invisible ones, lone surrogates."""
    if text.isprintable():  # no Cc, Cf, Cs, Co, Zl or Zp character at all: the usual case, in C
        return None
    for pos, char in enumerate(text):
        if char in ALLOWED_CONTROLS or char in ALLOWED_FORMAT_CHARS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co") or char in ("\u2028", "\u2029"):
            name = _NAMED.get(char) or f"U+{ord(char):04X} {unicodedata.name(char, 'control character').lower()}"
            return f"contains an invisible or control character ({name}) at position {pos + 1}; remove it"
    return None


def account_problem(value: str) -> str | None:
    if ACCOUNT_ID.match(value):
        return None
    return f"{_show(value)} is not an ad account id; use act_ followed by digits, e.g. act_123456789"


def id_problem(value: str, what: str) -> str | None:
    if OBJECT_ID.match(value):
        return None
    return f"{_show(value)} is not {what}; use the digits Ads Manager shows, e.g. 23847000000001"


def template_problem(template: str, fields: Iterable[str] = TEMPLATE_FIELDS) -> str | None:
    """A name template may use only ``{field}`` placeholders from ``fields``, nothing else."""
    return _template_problem(template, tuple(fields))


@functools.lru_cache(maxsize=64)  # every ad of a batch asks about the same template
def _template_problem(template: str, fields: tuple[str, ...]) -> str | None:
    allowed = set(fields)
    choices = ", ".join("{" + f + "}" for f in sorted(allowed))
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"{_show(template)} is not a valid template ({exc}); use {choices}"
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            return f"{_show(template)} uses {{{field}{'!' + conversion if conversion else ''}" \
                   f"{':' + spec if spec else ''}}}; only {choices} are allowed"
    return text_problem(template)


def render_template(template: str, **values: str) -> str:
    """Fill a template already checked with ``template_problem``: plain substitution, no lookups."""
    out = []
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            out.append(values[field])
    return "".join(out)


def outside_problem(path: Path, roots: Iterable[Path], resolve: Callable[[Path], Path] = Path.resolve) -> str | None:
    """Why ``path`` (symlinks followed) is not inside any of ``roots``, or None. ``resolve``: how to
    follow the symlinks (a batch passes one that resolves each folder once)."""
    try:
        real = resolve(path)
    except (OSError, RuntimeError):
        return f"{path} cannot be resolved (a symlink loop?)"
    for root in roots:
        try:
            if real.is_relative_to(_resolved(root)):
                return None
        except (OSError, RuntimeError):
            continue
    shown = f"{path} (→ {real})" if real != path.absolute() else str(path)
    return (f"{shown} is outside the workspace; move it into the workspace, or allow its folder "
            "with --allow-folder DIR")


def _resolved(root: Path) -> Path:
    """A root folder, symlinks followed: resolved once per process (the workspace does not move
    while a command runs), not once per file checked."""
    key = (str(root), "" if root.is_absolute() else os.getcwd())
    if key not in _ROOTS:
        _ROOTS[key] = root.resolve()
    return _ROOTS[key]


_ROOTS: dict[tuple[str, str], Path] = {}


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$")


def name_problem(value: str, what: str) -> str | None:
    """A campaign or ad name becomes part of a path: letters, digits, '.', '_', '-', spaces."""
    if SAFE_NAME.match(value) and ".." not in value:
        return None
    return (f"{what} name {_show(value)} is not allowed in a file name "
            "(letters, digits, '.', '_', '-', spaces; no '/' or '..')")


def _show(value: str, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…'"
