"""The ad account is the truth: before creating, read what the batch's ads already are on Meta.

One paged read of the ad set's ads (deleted ones included) by the names the kit gives, and,
only for ads still to create, one paged read of the account's creatives by name (images are
looked up by hash elsewhere). Each ad of the batch then falls in one case:

- ``live``: an ad with its name is in the ad set: it is done. With no local record it is
  *adopted* (``⊙ Found in the account (created earlier)``) and recorded; never created again.
- ``stale``: the local record or ledger says done, or the ad set holds it only as DELETED /
  ARCHIVED (deleted in Ads Manager): said so, and created again only with ``--recreate-deleted``.
- ``create``: nothing live: created, reusing a creative of the same name if the account has one.

Local records (``{stem}.upload.json``, the ledger) are a cache: they never stop the look-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from skill.account.existing import Existing, find_by_name

AD_FIELDS = ("id", "name", "status", "effective_status", "creative")
CREATIVE_FIELDS = ("id", "name", "status")


@dataclass
class AccountView:
    """What the account holds for this batch, by full ad name."""

    ads: Existing = field(default_factory=Existing)
    creatives: Existing = field(default_factory=Existing)

    def live_ad(self, name: str) -> dict[str, Any] | None:
        return self.ads.live.get(name)

    def gone_ad(self, name: str) -> dict[str, Any] | None:
        return self.ads.gone.get(name)

    def creative_id_of(self, row: dict[str, Any]) -> str | None:
        creative = row.get("creative")
        return str(creative["id"]) if isinstance(creative, dict) and creative.get("id") else None


def read_ads(client: Any, adset_id: str, names: Iterable[str]) -> Existing:
    """The ad set's ads with these names, live and gone: one read, paged."""
    return find_by_name(client, f"{adset_id}/ads", names, AD_FIELDS, include_gone=True)


def read_creatives(client: Any, account: str, names: Iterable[str]) -> Existing:
    """The account's creatives with these names: one read, paged (skipped when there are none)."""
    return find_by_name(client, f"{account}/adcreatives", names, CREATIVE_FIELDS, include_gone=False)


def stale_line(header: str, ad_id: str | None, recreate: bool) -> str:
    what = f"ad ID {ad_id}" if ad_id else "the ad"
    if recreate:
        return f"{header} - ⚠ Deleted in the account ({what}): creating it again (--recreate-deleted)"
    return (f"{header} - ⚠ Deleted in the account ({what}); the local record is stale. "
            "Not recreated: re-run with --recreate-deleted to create it again")


def duplicate_warning(name: str, row: dict[str, Any], others: list[str]) -> str:
    return (f"  Warning: {len(others) + 1} ads named {name!r} in the ad set; kept ID {row['id']}, "
            f"the others ({', '.join(others)}) are left as they are: check Ads Manager")
