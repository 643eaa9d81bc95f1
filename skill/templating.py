"""Jinja rendering for reports and documents (templates in ``skill/templates``)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("skill", "templates"),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # the templates ship with the package: no stat of the file per render
    )
    return env


def render(template: str, **context: Any) -> str:
    text = environment().get_template(template).render(**context)
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"
