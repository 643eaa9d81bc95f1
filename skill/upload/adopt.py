"""The ad account is the truth: before creating, read what the batch's ads already are on Meta.

One Graph batch carries the pre-flight's reads and the first page of the ad set's ads (deleted
ones included) and of the account's creatives; further pages are read only when there are more,
and the creatives only for ads still to create (images are looked up by hash elsewhere). The
rows are sorted by the names the kit gives. Each ad of the batch then falls in one case:

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

from skill.account.existing import Existing, edge_query, find_by_name
from skill.upload.graph_ops import MAX_BATCH_OPS, image_lookup_op, make_op
from skill.upload.images import HASHES_PER_LOOKUP, hashes_in
from skill.upload.preflight import Target, check, entry_data, preflight_ops, run_batch

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


def survey_ops(token: str | None, target: Target, image_md5s: Iterable[str]) -> tuple[list[Any], list[list[str]]]:
    """The survey's operations, and the hashes in chunks of 50 (one read each, as many as fit)."""
    ops = preflight_ops(token, target) + [
        make_op("GET", edge_query(f"{target.adset_id}/ads", AD_FIELDS, include_gone=True)),
        make_op("GET", edge_query(f"{target.account}/adcreatives", CREATIVE_FIELDS, include_gone=False)),
    ]
    md5s = sorted(set(image_md5s))
    chunks = [md5s[i:i + HASHES_PER_LOOKUP] for i in range(0, len(md5s), HASHES_PER_LOOKUP)]
    ops += [image_lookup_op(target.account, chunk) for chunk in chunks[:max(0, MAX_BATCH_OPS - len(ops))]]
    return ops, chunks


def survey(client: Any, token: str | None, target: Target, names: Iterable[str],
           image_md5s: Iterable[str] = (), results: list[Any] | None = None) -> Survey:
    """One Graph batch: the pre-flight's four reads, the first page of the ad set's ads and of the
    account's creatives, and which of the images the account holds (50 hashes a read, as many
    reads as fit). Refuses (``preflight.check``) before anything else; later pages are read
    only when there are more. Returns the ads by name, the creatives' first page for later, the
    hashes found and those still to look up (``Survey.images_unread``). ``results``: the answers
    to ``survey_ops`` for the same target and hashes, when the call was sent already (``early.py``)."""
    ops, chunks = survey_ops(token, target, image_md5s)
    room = len(ops) - 6
    if results is None:
        results = run_batch(client, ops)
    check(results, token, target)
    ads = find_by_name(client, f"{target.adset_id}/ads", names, AD_FIELDS, include_gone=True,
                       first_page=entry_data(results[4]))
    found = Survey(AccountView(ads=ads), results[5])
    for chunk, result in zip(chunks[:room], results[6:], strict=True):
        rows = getattr(result, "data", None) if getattr(result, "ok", False) else None
        if isinstance(rows, dict) and not (rows.get("paging") or {}).get("next"):
            found.images_known |= hashes_in(rows.get("data") or []) & set(chunk)
        else:  # no usable answer: read again the usual way (which retries, then stops the run)
            found.images_unread += chunk
    found.images_unread += [m for chunk in chunks[room:] for m in chunk]
    return found


@dataclass
class Survey:
    view: AccountView
    creatives_page: Any  # the batch entry of the creatives' first page (read only if needed)
    images_known: set[str] = field(default_factory=set)  # md5s the account holds
    images_unread: list[str] = field(default_factory=list)  # md5s not looked up in the survey's call

    def creatives(self, client: Any, account: str, names: Iterable[str]) -> Existing:
        """The account's creatives with these names, from the first page already read (then paged)."""
        self.view.creatives = find_by_name(client, f"{account}/adcreatives", names, CREATIVE_FIELDS,
                                           include_gone=False, first_page=entry_data(self.creatives_page))
        return self.view.creatives


def stale_line(header: str, ad_id: str | None, recreate: bool) -> str:
    what = f"ad ID {ad_id}" if ad_id else "the ad"
    if recreate:
        return f"{header} - ⚠ Deleted in the account ({what}): creating it again (--recreate-deleted)"
    return (f"{header} - ⚠ Deleted in the account ({what}); the local record is stale. "
            "Not recreated: re-run with --recreate-deleted to create it again")


def duplicate_warning(name: str, row: dict[str, Any], others: list[str]) -> str:
    return (f"  Warning: {len(others) + 1} ads named {name!r} in the ad set; kept ID {row['id']}, "
            f"the others ({', '.join(others)}) are left as they are: check Ads Manager")
