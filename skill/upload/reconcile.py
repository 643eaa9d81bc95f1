"""Settle unclear writes by looking them up on Meta, so nothing is ever created twice.

An ad's ledger may hold intents without results: the request was sent and no answer came
back (a dropped connection, a ``null`` batch entry, a transient error, a kill -9 between
sending and recording). Before any of those writes is tried again, one batch of reads asks:

- ``GET act_…/adimages?hashes=[…]``: which of the images are in the account;
- ``GET act_…/adcreatives?filtering=[name EQUAL …]``: the creative, by its name;
- ``GET {adset_id}/ads?filtering=[name EQUAL …]``: the ad, by its name, in its ad set.

Found: adopted (its id goes to the ledger). Not found: the write did not happen, the intent is
cleared and the step will be sent again. No usable answer: still unclear; asked again later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from skill.upload.graph_ops import Entry, image_lookup_op, make_op
from skill.upload.images import HASHES_PER_LOOKUP, hashes_in

if TYPE_CHECKING:
    from skill.upload.work import AdWork, RunContext

Call = Callable[[list[Any], list["AdWork"]], "list[Entry | None] | None"]


def by_name(path: str, name: str, fields: str) -> str:
    filtering = json.dumps([{"field": "name", "operator": "EQUAL", "value": name}])
    return f"{path}?{urlencode({'filtering': filtering, 'fields': fields})}"


def reconcile(ctx: RunContext, ads: list[AdWork], call: Call) -> int:
    """Look up every unclear step of these ads; returns how many look-ups got an answer."""
    unclear = [a for a in ads if a.entry.unclear]
    if not unclear:
        return 0
    md5s = sorted({m for a in unclear for m in a.entry.image_intents})
    ops: list[Any] = []
    looks: list[tuple[str, AdWork | None]] = []
    chunks: dict[int, set[str]] = {}  # op index → the hashes that image look-up asks about
    for start in range(0, len(md5s), HASHES_PER_LOOKUP):
        chunks[len(ops)] = set(md5s[start:start + HASHES_PER_LOOKUP])
        ops.append(image_lookup_op(ctx.account, sorted(chunks[len(ops)])))
        looks.append(("images", None))
    for ad in unclear:
        if ad.entry.creative.unclear:
            ops.append(make_op("GET", by_name(f"{ctx.account}/adcreatives", ad.full_name, "id,name")))
            looks.append(("creative", ad))
        if ad.entry.ad.unclear:
            ops.append(make_op("GET", by_name(f"{ctx.batch.adset_id}/ads", ad.full_name, "id,name,status,creative")))
            looks.append(("ad", ad))
    answered = 0
    for start in range(0, len(ops), 50):
        results = call(ops[start:start + 50], unclear)
        if results is None:
            continue
        for offset, ((kind, ad), result) in enumerate(zip(looks[start:start + 50], results, strict=True)):
            if result is None or not result.ok or not isinstance(result.data, dict):
                continue  # still unclear: asked again next round
            answered += 1
            rows = [r for r in result.data.get("data", []) if isinstance(r, dict)]
            if kind == "images":
                _adopt_images(ctx, unclear, hashes_in(rows), chunks[start + offset])
            elif kind == "creative" and ad is not None:
                _adopt_creative(ctx, ad, rows)
            elif ad is not None:
                _adopt_ad(ctx, ad, rows)
    for ad in unclear:
        ctx.ledger.save(ad.entry)
    return answered


def _match(ad: AdWork, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((r for r in rows if r.get("name") == ad.full_name and r.get("id")), None)


def _adopt_images(ctx: RunContext, ads: list[AdWork], found: set[str], asked: set[str]) -> None:
    for ad in ads:
        for md5 in [m for m in ad.entry.image_intents if m in asked]:
            if md5 in found:
                ctx.ledger.record_image(ad.entry, md5, md5)
                ctx.images.learn(md5, md5, uploaded=True)
            else:
                ctx.ledger.clear_intents(ad.entry, images=[md5])


def _adopt_creative(ctx: RunContext, ad: AdWork, rows: list[dict[str, Any]]) -> None:
    match = _match(ad, rows)
    if match:
        ad.entry.creative.id = str(match["id"])
        ad.adopted.add("creative")
    else:
        ctx.ledger.clear_intents(ad.entry, creative=True)


def _adopt_ad(ctx: RunContext, ad: AdWork, rows: list[dict[str, Any]]) -> None:
    match = _match(ad, rows)
    if not match:
        ctx.ledger.clear_intents(ad.entry, ad=True)
        return
    ad.entry.ad.id = str(match["id"])
    ad.adopted.add("ad")
    creative = match.get("creative")
    if ad.entry.creative.id is None and isinstance(creative, dict) and creative.get("id"):
        ad.entry.creative.id = str(creative["id"])
        ad.adopted.add("creative")
