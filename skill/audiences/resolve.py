"""Audience names → ids, for ad sets that include or exclude audiences by name.

    ids = resolve_audiences(client, "act_123", ["VIP buyers", "VIP buyers - lookalike US 1%"])
    targeting["custom_audiences"] = [{"id": ids["VIP buyers"]}]

One paged read of ``act_…/customaudiences`` (``account/existing.py``); every name must exist,
or a ConfigError lists the missing ones with the closest names the account has.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from skill.account.existing import find_by_name
from skill.errors import ConfigError


def resolve_audiences(client: Any, account: str, names: Iterable[str], field: str = "audiences") -> dict[str, str]:
    """``{name: id}`` for every name; a ConfigError naming each one the account does not have."""
    wanted = list(dict.fromkeys(n for n in names if n))
    if not wanted:
        return {}
    found = find_by_name(client, f"{account}/customaudiences", wanted, ("id", "name"), include_gone=False)
    missing = [n for n in wanted if n not in found.live]
    if missing:
        known = _all_names(client, account)
        parts = []
        for name in missing:
            close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
            parts.append(f"{name!r}" + (f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""))
        raise ConfigError(f"no audience named {', '.join(parts)} in {account}", field=field,
                          hint="create it first (meta-ads audience create / website / lookalike), or check "
                          "the names with `meta-ads audiences`")
    return {n: str(found.live[n]["id"]) for n in wanted}


def _all_names(client: Any, account: str) -> list[str]:
    return [str(r.get("name")) for r in client.paginate(f"{account}/customaudiences",
                                                          {"fields": "id,name", "limit": 500})]


def audience_targeting(client: Any, account: str, include: Iterable[str] = (),
                       exclude: Iterable[str] = ()) -> dict[str, list[dict[str, str]]]:
    """The ``targeting`` fields for audiences named in an ad set: one read for both lists.

    ``{"custom_audiences": [{"id", "name"}], "excluded_custom_audiences": [{"id", "name"}]}``
    (keys only for non-empty lists). A name in both lists is an error.
    """
    include, exclude = list(dict.fromkeys(include)), list(dict.fromkeys(exclude))
    both = sorted(set(include) & set(exclude))
    if both:
        raise ConfigError(f"audience {', '.join(map(repr, both))} is both included and excluded", field="audiences")
    ids = resolve_audiences(client, account, include + exclude)
    out: dict[str, list[dict[str, str]]] = {}
    if include:
        out["custom_audiences"] = [{"id": ids[n], "name": n} for n in include]
    if exclude:
        out["excluded_custom_audiences"] = [{"id": ids[n], "name": n} for n in exclude]
    return out
