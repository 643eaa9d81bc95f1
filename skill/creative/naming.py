"""Ad names from a template: the one function every name goes through.

The template (``ad_name_template`` in brand/stack.md, default ``{campaign} - {name}``) may use
exactly these fields, and nothing else (no attribute or index access, no format specs):

    {campaign} {name} {date} {variant} {audience} {format}

A name is what the account is searched by before anything is created, so it must not change
between runs of the same batch: ``{date}`` is the batch config's ``date`` (set it), else today.
"""

from __future__ import annotations

from string import Formatter

from skill.errors import ConfigError

NAME_FIELDS: tuple[str, ...] = ("campaign", "name", "date", "variant", "audience", "format")
DEFAULT_TEMPLATE = "{campaign} - {name}"
STACK_FILE = "brand/stack.md"


def template_fields(template: str) -> list[str]:
    """The fields a template uses; a ConfigError for anything but a plain known field."""
    try:
        parts = list(Formatter().parse(template))
    except ValueError as exc:
        raise _bad(template, f"is not a valid template ({exc})") from None
    used: list[str] = []
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in NAME_FIELDS or spec or conversion:
            raise _bad(template, f"may only use {', '.join('{' + f + '}' for f in NAME_FIELDS)}; "
                                 f"found {{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}")
        used.append(field)
    return used


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
    return template.format_map({f: str(values.get(f) or "") for f in NAME_FIELDS})


def _bad(template: str, what: str) -> ConfigError:
    return ConfigError(f"ad_name_template {template!r} {what}", file=STACK_FILE, field="ad_name_template")
