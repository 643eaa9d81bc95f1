"""``/act_{id}/adimages``: upload (multipart or base64 ``bytes``) and look up by hash.

Upload answers ``{"images": {NAME: {"hash", "url", "width", "height"}}}`` where NAME is the
``filename`` field, else the file part's filename, else the part's name (``bytes`` for a
base64 upload without a filename). The hash is the md5 hex of the bytes; uploading the
same bytes again returns the same hash and stores nothing new.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import time
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from skill.sandbox.errors import SUB_INVALID_IMAGE, invalid_param, missing_param
from skill.sandbox.objects import listing
from skill.sandbox.request import Request, json_param, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

CDN = "https://scontent.sandbox.fbcdn.example/v/t45.1600-4"


def image_key(account_id: str, md5: str) -> str:
    """An image's node id, as Meta forms it: ``act_{account}:{hash}``."""
    return f"act_{account_id}:{md5}"


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from the header (Pillow reads it without decoding the pixels)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise invalid_param("Invalid Image",
                            "The uploaded file is not an image Meta can read. Upload a JPG or PNG file.",
                            SUB_INVALID_IMAGE) from None


def upload(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    name_field = str_param(req.params, "filename") or str_param(req.params, "name")
    items: list[tuple[str, bytes]] = []
    for part in req.files:
        items.append((name_field or part.filename or part.field, part.data))
    if "bytes" in req.params:
        items.append((name_field or "bytes", _decode_b64(str(req.params["bytes"]))))
    if not items:
        raise missing_param("filename or bytes")
    images: dict[str, Any] = {}
    for name, data in items:
        stored = store_image(api, account, name, data)
        images[name] = {k: stored[k] for k in ("hash", "url", "width", "height")}
    return {"images": images}


def _decode_b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        raise invalid_param("Invalid Image", "The bytes parameter must be base64-encoded image data.",
                            SUB_INVALID_IMAGE) from None


def store_image(api: Api, account: dict[str, Any], name: str, data: bytes) -> dict[str, Any]:
    width, height = image_size(data)
    md5 = hashlib.md5(data).hexdigest()
    image_id = image_key(account["account_id"], md5)
    if md5 in (api.config.expired_hashes or []):  # uploading the bytes again makes the hash usable again
        api.config.expired_hashes = [h for h in api.config.expired_hashes if h != md5]
    if api.config.images_expire:
        api.config.expired_hashes = [*api.config.expired_hashes, md5]
    existing = api.state["images"].get(image_id)
    if existing is not None:
        return existing
    ext = "png" if data[:4] == b"\x89PNG" else "jpg"
    return api.state.add("images", {
        "id": image_id, "hash": md5, "name": name, "account_id": account["account_id"],
        "width": width, "height": height, "original_width": width, "original_height": height,
        "url": f"{CDN}/{md5}.{ext}", "permalink_url": f"{CDN}/{md5}.{ext}", "status": "ACTIVE",
        "created_time": now_iso(time.time()), "updated_time": now_iso(time.time()),
    })


def lookup(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    """``GET adimages`` (all, paged) or ``GET adimages?hashes=["…"]`` (those known)."""
    rows = [img for img in api.state["images"].values() if img["account_id"] == account["account_id"]]
    hashes = json_param(req.params, "hashes")
    if hashes is not None:
        if not isinstance(hashes, list):
            raise invalid_param("Invalid hashes", 'hashes must be a JSON array of image hashes, e.g. ["ab12…"].')
        wanted = {str(h) for h in hashes}
        rows = [img for img in rows if img["hash"] in wanted]
    return listing(api, req, "images", rows)


def delete(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    md5 = str_param(req.params, "hash")
    if not md5:
        raise missing_param("hash")
    api.state["images"].pop(image_key(account["account_id"], md5), None)
    api.state.dirty = True
    return {"success": True}
