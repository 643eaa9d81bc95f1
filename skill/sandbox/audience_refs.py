"""What an ad set may point at: custom audiences and a pixel of its own ad account.

``targeting.custom_audiences`` / ``excluded_custom_audiences`` must name audiences of the
account (``[{"id": …}]``), and ``promoted_object.pixel_id`` one of its pixels. Meta checks both;
its exact codes for these refusals are not documented where we could read them, so the
sandbox uses 100 with subcodes of its own (``docs/sandbox.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import invalid_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

SUB_UNKNOWN_AUDIENCE = 1885662  # sandbox: a targeted custom audience is not in the ad account
SUB_UNKNOWN_PIXEL = 1885663     # sandbox: promoted_object.pixel_id is not a pixel of the ad account
AUDIENCE_KEYS = ("custom_audiences", "excluded_custom_audiences")


def check_refs(api: Api, account: dict[str, Any], targeting: dict[str, Any], promoted: dict[str, Any] | None) -> None:
    mine = {a["id"] for a in api.state["audiences"].values() if a["account_id"] == account["account_id"]}
    for key in AUDIENCE_KEYS:
        for i, ref in enumerate(targeting.get(key) or []):
            audience_id = str(ref.get("id") if isinstance(ref, dict) else ref)
            if audience_id not in mine:
                raise invalid_param("Invalid Custom Audience", f"targeting.{key}[{i}] {audience_id} is not a custom "
                                    f"audience of ad account {account['id']}.", SUB_UNKNOWN_AUDIENCE)
    pixel_id = str((promoted or {}).get("pixel_id") or "")
    pixels = {p["id"] for p in api.state["pixels"].values() if p["account_id"] == account["account_id"]}
    if pixel_id and pixel_id not in pixels:
        raise invalid_param("Invalid Pixel", f"promoted_object.pixel_id {pixel_id} is not a pixel of ad account "
                            f"{account['id']}.", SUB_UNKNOWN_PIXEL)
