"""Creative refresh: a tired ad gets a new creative (creatives cannot be edited), exactly once.

``swap`` points the ad at the new creative; ``new-ad`` creates a v2 ad (PAUSED) in the same ad
set and pauses the old one. Names are deterministic (``{ad name} v{n}``), and the account is
asked for them before anything is created, so a re-run after a failure adopts what exists.
The history is kept in the ad's ``{stem}.upload.json`` (``refreshes``) and the change log.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from skill.account import changelog
from skill.account.existing import find_by_name
from skill.errors import ConfigError
from skill.events import Event, Reporter, silent
from skill.models import AssetFeedSpec, UploadRecord, load_model
from skill.records import (
    append_asset,
    find_records,
    now_iso,
    read_record,
    update_asset_status,
    write_record,
)
from skill.settings import Settings
from skill.upload.payloads import feed_spec_payload
from skill.validate import validate_copy

Mode = Literal["swap", "new-ad"]
MODES = ("swap", "new-ad")


class RefreshResult(BaseModel):
    ad_id: str
    name: str
    mode: str
    version: int
    creative_id: str
    new_ad_id: str | None = None
    adopted: list[str] = []  # what already existed in the account and was reused
    already: bool = False  # this spec was already applied: nothing done
    message: str

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        return self.message


def pick_mode(settings: Settings, mode: str | None) -> Mode:
    chosen = mode or settings.stack.refresh_mode or "swap"
    if chosen not in MODES:
        raise ConfigError(f"refresh_mode {chosen!r} is not swap or new-ad", field="refresh_mode",
                          file=str(settings.brand_dir / "stack.md"))
    return chosen  # type: ignore[return-value]


def find_ad(settings: Settings, ad: str) -> tuple[Path, UploadRecord]:
    found = find_records(settings.workspace, ad)
    if not found:
        raise ConfigError(f"no uploaded ad {ad!r} in the workspace", field="ad",
                          hint="refresh works on ads the kit uploaded (their *.upload.json holds the history)")
    if len(found) > 1:
        raise ConfigError(f"ad {ad!r} is in several campaigns: use its id", field="ad")
    return found[0]


def load_spec(settings: Settings, raw: str, base: Path) -> tuple[Path, AssetFeedSpec]:
    path = settings.resolve(raw, base).resolve()
    if not path.is_relative_to(settings.workspace.resolve()):
        raise ConfigError("the spec must be inside the workspace", file=str(path))
    spec = load_model(AssetFeedSpec, path)
    errors = [f for f in validate_copy(spec, file=str(path)) if f.severity == "error"]
    if errors:
        raise ConfigError(errors[0].message, file=str(path), field=errors[0].field)
    return path, spec


# ---------------------------------------------------------------- the command


def refresh(settings: Settings, client: Any, ad: str, spec_path: str, *, image: str | None = None,
            mode: str | None = None, report: Reporter = silent, via: str = "library") -> RefreshResult:
    """New creative from ``spec_path`` (and ``image``, else the ad's current images), then swap or v2 ad."""
    account = settings.require_ad_account()
    path, record = find_ad(settings, ad)
    chosen = pick_mode(settings, mode)
    spec_file, spec = load_spec(settings, spec_path, path.parent)
    digest = hashlib.sha256(spec_file.read_bytes() + (image or "").encode()).hexdigest()[:16]
    history = list(getattr(record, "refreshes", None) or [])
    if history and history[-1].get("spec_sha") == digest:
        last = history[-1]
        return RefreshResult(ad_id=record.ad_id, name=record.ad_name, mode=last["mode"], version=last["version"],
                             creative_id=last["creative_id"], new_ad_id=last.get("new_ad_id"), already=True,
                             message=f"{record.ad_name} was already refreshed with this spec (v{last['version']}): "
                                     "nothing to do.")
    version = len(history) + 2
    full = settings.ad_name(record.campaign, record.ad_name)
    name = f"{full} v{version}"
    hashes = _images(settings, client, account, image, record, path.parent)
    adopted: list[str] = []
    creative_id = _creative(settings, client, account, name, spec, hashes, adopted)
    report(Event("refresh", f"✓ Creative {'adopted' if adopted else 'created'}: {name} ({creative_id})"))
    entry = {"at": now_iso(), "version": version, "mode": chosen, "creative_id": creative_id,
             "previous_creative_id": record.creative_id, "spec": str(spec_file), "spec_sha": digest,
             "image_hashes": hashes}
    if chosen == "swap":
        client.post(record.ad_id, {"creative": {"creative_id": creative_id}}, idempotent=True)
        after = {"creative_id": creative_id}
        new_ad = None
    else:
        new_ad = _v2_ad(client, account, name, record.adset_id, creative_id, adopted)
        client.post(record.ad_id, {"status": "PAUSED"}, idempotent=True)
        entry["new_ad_id"] = new_ad
        after = {"creative_id": creative_id, "new_ad_id": new_ad, "old_ad_status": "PAUSED"}
        _write_v2_record(settings, path, record, version, creative_id, new_ad, hashes)
    _finish(settings, path, record, entry, chosen, via, after)
    text = (f"✓ {record.ad_name} now shows creative v{version} ({creative_id})" if chosen == "swap" else
            f"✓ {record.ad_name} v{version} created PAUSED ({new_ad}) in ad set {record.adset_id}; "
            f"{record.ad_name} paused. Activate the new ad when ready: meta-ads activate {new_ad}")
    return RefreshResult(ad_id=record.ad_id, name=record.ad_name, mode=chosen, version=version,
                         creative_id=creative_id, new_ad_id=new_ad, adopted=adopted, message=text)


def _images(settings: Settings, client: Any, account: str, image: str | None, record: UploadRecord,
            base: Path) -> list[str]:
    if not image:
        return list(record.image_hashes or ([record.image_hash] if record.image_hash else []))
    path = settings.resolve(image, base).resolve()
    if not path.is_relative_to(settings.workspace.resolve()) or not path.is_file():
        raise ConfigError("the image must be a file inside the workspace", file=str(path))
    answer = client.post(f"{account}/adimages", files={"source": (path.name, path.read_bytes())}, idempotent=True)
    return [str(img["hash"]) for img in (answer.get("images") or {}).values()][:1]


def _creative(settings: Settings, client: Any, account: str, name: str, spec: AssetFeedSpec, hashes: list[str],
              adopted: list[str]) -> str:
    existing = find_by_name(client, f"{account}/adcreatives", {name}, ("id", "name", "status"),
                            include_gone=False).id_of(name)
    if existing:
        adopted.append(f"creative {existing}")
        return existing
    destination = settings.stack.destination_url or (spec.link_urls[0].website_url if spec.link_urls else "")
    page = settings.stack.page_id
    if not page:
        raise ConfigError("no page_id to create the creative with", field="page_id",
                          file=str(settings.brand_dir / "stack.md"))
    body = {"name": name, "object_story_spec": {"page_id": page},
            "asset_feed_spec": feed_spec_payload(spec, hashes, destination)}
    return str(client.post(f"{account}/adcreatives", body)["id"])


def _v2_ad(client: Any, account: str, name: str, adset_id: str, creative_id: str, adopted: list[str]) -> str:
    existing = find_by_name(client, f"{adset_id}/ads", {name}).id_of(name)
    if existing:
        adopted.append(f"ad {existing}")
        return existing
    body = {"name": name, "adset_id": adset_id, "creative": {"creative_id": creative_id}, "status": "PAUSED"}
    return str(client.post(f"{account}/ads", body)["id"])


def _write_v2_record(settings: Settings, path: Path, record: UploadRecord, version: int, creative_id: str,
                     ad_id: str, hashes: list[str]) -> None:
    stem = path.name.removesuffix(".upload.json")
    v2 = record.model_copy(update={"uploaded_at": now_iso(), "ad_name": f"{record.ad_name} v{version}",
                                   "creative_id": creative_id, "ad_id": ad_id, "status": "PAUSED",
                                   "image_hashes": hashes if len(hashes) > 1 else None,
                                   "image_hash": hashes[0] if len(hashes) == 1 else None,
                                   "refreshed_from": record.ad_id, "refreshes": []})
    new_path = path.with_name(f"{stem}-v{version}.upload.json")
    write_record(new_path, v2)
    append_asset(settings.assets_md, v2)


def _finish(settings: Settings, path: Path, record: UploadRecord, entry: dict[str, Any], mode: str, via: str,
            after: dict[str, Any]) -> None:
    """The ad's record (history, creative or status), assets.md and the change log."""
    current = read_record(path)
    history = list(getattr(current, "refreshes", None) or []) + [entry]
    update: dict[str, Any] = {"refreshes": history}
    if mode == "swap":
        update["creative_id"] = entry["creative_id"]
    else:
        update["status"] = "PAUSED"
        update_asset_status(settings.assets_md, record.ad_id, "PAUSED")
    write_record(path, current.model_copy(update=update))
    changelog.append(settings, via, action="refresh", kind="ad", id=record.ad_id, name=record.ad_name,
                     campaign=record.campaign, before={"creative_id": record.creative_id, "status": record.status},
                     after=after, note=f"{mode}, v{entry['version']}")
