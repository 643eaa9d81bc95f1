"""What the user named: an ad, an ad set or a campaign, by id or by name, resolved to one object.

Ad names are looked up in the workspace's records first (``hero-receipt``); any name is then
looked up in the account (``find_by_name`` on the account's campaigns, ad sets and ads: the
account is the truth). An id is read from Meta, and its kind told by the fields it has.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from skill.account.existing import find_by_name
from skill.errors import ConfigError, GraphError, InvalidParameter
from skill.records import find_records
from skill.settings import Settings

Kind = Literal["ad", "adset", "campaign"]
KIND_WORDS = {"ad": "ad", "adset": "ad set", "campaign": "campaign"}
EDGES: tuple[tuple[Kind, str], ...] = (("campaign", "campaigns"), ("adset", "adsets"), ("ad", "ads"))
ID_FIELDS: dict[Kind, str] = {"ad": "name,status,adset_id,campaign_id,account_id",
                              "adset": "name,status,campaign_id,account_id", "campaign": "name,status,account_id"}


class TargetRef(BaseModel):
    """One object the user named, and where it sits."""

    asked: str
    kind: Kind
    id: str
    name: str
    status: str | None = None
    adset_id: str | None = None
    campaign_id: str | None = None
    record_path: str | None = None  # the ad's upload.json, when the workspace has one

    @property
    def kind_word(self) -> str:
        return KIND_WORDS[self.kind]


def is_id(text: str) -> bool:
    return text.isdigit() and len(text) >= 6


def resolve(settings: Settings, client: Any, asked: str, kinds: tuple[Kind, ...] = ("ad", "adset", "campaign"),
            ) -> TargetRef:
    """One object by id or name; an unknown or ambiguous name is a ConfigError saying what to do."""
    if "ad" in kinds:
        found = _from_records(settings, asked)
        if found is not None:
            return found
    if is_id(asked):
        return by_id(client, asked, kinds)
    return by_name(settings, client, asked, kinds)


def _from_records(settings: Settings, asked: str) -> TargetRef | None:
    found = find_records(settings.workspace, asked)
    if not found:
        return None
    if len({r.ad_id for _, r in found}) > 1:
        names = ", ".join(f"'{r.campaign} - {r.ad_name}'" for _, r in found)
        raise ConfigError(f"ad name {asked!r} is in several campaigns: say which, e.g. {names}", field="target")
    path, rec = found[0]
    return TargetRef(asked=asked, kind="ad", id=rec.ad_id, name=rec.ad_name, status=rec.status,
                     adset_id=rec.adset_id, record_path=str(path))


def by_id(client: Any, object_id: str, kinds: tuple[Kind, ...]) -> TargetRef:
    """Read the id as each kind in turn (most specific first); Meta refuses fields a node does not have."""
    for kind in ("ad", "adset", "campaign"):
        if kind not in kinds:
            continue
        try:
            row = client.get(object_id, {"fields": ID_FIELDS[kind]})  # type: ignore[index]
        except InvalidParameter as exc:
            if "nonexisting field" in str(exc) or "Tried accessing" in str(exc):
                continue
            raise
        return _ref(object_id, kind, row)  # type: ignore[arg-type]
    wanted = " or ".join(KIND_WORDS[k] for k in kinds)
    raise ConfigError(f"{object_id} is not an {wanted}" if wanted.startswith("a") else f"{object_id} is not a {wanted}",
                      field="target", hint=f"name an {wanted} by its id or name")


def by_name(settings: Settings, client: Any, name: str, kinds: tuple[Kind, ...]) -> TargetRef:
    """The account's campaigns, ad sets and ads named ``name`` (one read of each edge)."""
    if not settings.ad_account:
        raise ConfigError(f"no ad account to look {name!r} up in", field="ad_account",
                          hint="set ad_account in brand/stack.md or META_AD_ACCOUNT, or use the object's id")
    hits: list[TargetRef] = []
    for kind, edge in EDGES:
        if kind not in kinds:
            continue
        fields = ("id", "name", "status", *(f for f in ("adset_id", "campaign_id") if f in ID_FIELDS[kind]))
        row = find_by_name(client, f"{settings.ad_account}/{edge}", {name}, fields).live.get(name)
        if row:
            hits.append(_ref(name, kind, row))
    if len(hits) > 1:
        listed = ", ".join(f"{h.kind_word} {h.id}" for h in hits)
        raise ConfigError(f"{name!r} names several objects ({listed}): use the id", field="target")
    if not hits:
        wanted = ", ".join(KIND_WORDS[k] for k in kinds)
        raise ConfigError(f"no {wanted} named {name!r} in {settings.ad_account} or the workspace", field="target",
                          hint="use the exact name from Ads Manager, or the object's id")
    return hits[0]


def _ref(asked: str, kind: Kind, row: dict[str, Any]) -> TargetRef:
    return TargetRef(asked=asked, kind=kind, id=str(row.get("id") or asked), name=str(row.get("name") or asked),
                     status=row.get("status"), adset_id=row.get("adset_id"), campaign_id=row.get("campaign_id"))


def read(client: Any, ref: TargetRef, fields: str) -> dict[str, Any]:
    """The object's current fields; a failure names the object."""
    try:
        return dict(client.get(ref.id, {"fields": fields}))
    except GraphError as exc:
        raise ConfigError(f"could not read {ref.kind_word} {ref.name} ({ref.id}): {exc}", field="target") from None
