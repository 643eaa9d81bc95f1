"""The campaign and its ad sets on Meta, exactly once: ask the account, adopt, create what is missing.

Every round begins with one read per parent (``act_…/campaigns`` by name, ``{campaign}/adsets``
by name, ``skill.account.existing.find_by_name``); only what is not there is created, in one Graph
batch where the ad sets refer to the campaign with ``{result=campaign:$.id}``. A create whose
answer was lost (a dropped connection, a ``null`` entry, a kill) is simply looked up next round,
so a re-run never duplicates and never loses anything. Meta's refusal stops the launch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from skill.account.existing import find_by_name
from skill.errors import GraphError, TokenInvalid
from skill.graph import BatchOp, ref
from skill.launch.check import CAMPAIGN_PLACEHOLDER, LaunchCheck
from skill.upload.plan import is_definite

MAX_ROUNDS = 6
Found = Callable[[str, str, str, bool], None]  # (kind, name, id, created now)


@dataclass
class Structure:
    campaign_id: str | None = None
    adsets: dict[str, str] = field(default_factory=dict)   # config name → id
    created: set[str] = field(default_factory=set)          # "campaign", "adset:NAME" created by this run


def meta_names(check: LaunchCheck) -> dict[str, str]:
    """Config ad set name → its name on Meta."""
    return {name: body.get("name", name) for name, body in check.adset_bodies.items()}


def look_up(client: Any, account: str, check: LaunchCheck, found: Structure, on_found: Found) -> None:
    """Adopt what the account already holds (each object reported once)."""
    if found.campaign_id is None:
        campaign_id = find_by_name(client, f"{account}/campaigns", {check.name}).id_of(check.name)
        if campaign_id:
            found.campaign_id = campaign_id
            on_found("campaign", check.name, campaign_id, False)
    if found.campaign_id is None:
        return
    names = meta_names(check)
    wanted = {meta for name, meta in names.items() if name not in found.adsets}
    existing = find_by_name(client, f"{found.campaign_id}/adsets", wanted)
    for name, meta in names.items():
        adset_id = existing.id_of(meta)
        if adset_id and name not in found.adsets:
            found.adsets[name] = adset_id
            on_found("adset", name, adset_id, False)


def ensure(client: Any, account: str, check: LaunchCheck, on_found: Found) -> Structure:
    """The campaign and every ad set exist (found or created) when this returns, or it raises."""
    found = Structure()
    last: GraphError | None = None
    for _ in range(MAX_ROUNDS):
        look_up(client, account, check, found, on_found)
        missing = [n for n in check.adset_bodies if n not in found.adsets]
        if found.campaign_id and not missing:
            return found
        ops, names = _ops(account, check, found, missing)
        try:
            results = client.batch(ops)
        except TokenInvalid:
            raise
        except GraphError as exc:
            if is_definite(exc):
                raise
            last = exc
            continue  # no answer: whatever happened is found by the next look-up
        for name, result in zip(names, results, strict=True):
            if result.ok and isinstance(result.data, dict) and result.data.get("id"):
                _created(found, name, str(result.data["id"]), on_found)
            elif result.error is not None and is_definite(result.error) and not _dependency(result.error):
                result.error.hint = result.error.hint or _hint(name)
                raise result.error
            else:
                last = result.error or last
    raise last or GraphError("Meta gave no usable answer while creating the campaign and its ad sets",
                             hint="re-run the same command: what was created is found and kept")


def _ops(account: str, check: LaunchCheck, found: Structure, missing: list[str]) -> tuple[list[BatchOp], list[str]]:
    ops: list[BatchOp] = []
    names: list[str] = []
    campaign_ref = found.campaign_id
    if campaign_ref is None:
        ops.append(BatchOp("POST", f"{account}/campaigns", check.campaign_body, name="campaign",
                           omit_response_on_success=False))
        names.append("campaign")
        campaign_ref = ref("campaign")
    for i, name in enumerate(missing):
        body = {**check.adset_bodies[name], "campaign_id": campaign_ref}
        assert body["campaign_id"] != CAMPAIGN_PLACEHOLDER
        ops.append(BatchOp("POST", f"{account}/adsets", body, name=f"adset{i}", omit_response_on_success=False))
        names.append(f"adset:{name}")
    return ops, names


def _created(found: Structure, name: str, object_id: str, on_found: Found) -> None:
    found.created.add(name)
    if name == "campaign":
        found.campaign_id = object_id
        on_found("campaign", name, object_id, True)
    else:
        adset = name.removeprefix("adset:")
        found.adsets[adset] = object_id
        on_found("adset", adset, object_id, True)


def _dependency(error: GraphError) -> bool:
    return (error.user_title or "") == "Dependency Failed"


def _hint(name: str) -> str:
    what = "the campaign" if name == "campaign" else f"ad set {name.removeprefix('adset:')!r}"
    return f"Meta refused {what}: fix it in the config (`meta-ads launch CAMPAIGN --dry-run --remote` asks Meta " \
           "without creating anything), then re-run"
