"""Ad names from a template: the one function every name goes through.

The template (``ad_name_template`` in brand/stack.md, default ``{campaign} - {name}``) may use
exactly the fields of ``inputs.TEMPLATE_FIELDS``, and nothing else (no attribute or index
access, no conversion or format spec): the check and the plain substitution are
``inputs.template_problem`` and ``inputs.render_template``; this module supplies the values:

    {campaign} {name} {date} {variant} {audience} {format}

A name is what the account is searched by before anything is created, so it must not change
between runs of the same batch: ``{date}`` is the batch config's ``date`` (set it), else today.
"""

from __future__ import annotations

from string import Formatter

from skill import inputs
from skill.errors import ConfigError

NAME_FIELDS: tuple[str, ...] = inputs.TEMPLATE_FIELDS
DEFAULT_TEMPLATE = "{campaign} - {name}"
STACK_FILE = "brand/stack.md"


def template_fields(template: str) -> list[str]:
    """The fields a template uses; a ConfigError for anything but a plain known field."""
    problem = inputs.template_problem(template, NAME_FIELDS)
    if problem:
        raise ConfigError(problem, file=STACK_FILE, field="ad_name_template")
    return [field for _, field, _, _ in Formatter().parse(template) if field is not None]


def render_name(template: str | None, **values: str | None) -> str:
    """The ad name for ``values``; a field the template uses must have a value."""
    template = template or DEFAULT_TEMPLATE
    used = template_fields(template)
    missing = [f for f in used if not values.get(f)]
    if missing:
        raise ConfigError(
            f"ad_name_template {template!r} uses {{{missing[0]}}}, but the ad has no {missing[0]}",
            file=STACK_FILE, field="ad_name_template",
            hint=f"set {missing[0]!r} on the ad (or the batch config), or drop it from the template")
    return inputs.render_template(template, **{f: str(values.get(f) or "") for f in NAME_FIELDS})
