"""``GET /{creative}/previews`` and ``GET /{ad}/previews``: Meta's ad previews, rendered locally.

Meta answers ``{"data": [{"body": "<iframe …>"}]}``, one preview for the ``ad_format`` asked
(required; one of Meta's ``AdPreview.AdFormat`` values). The sandbox's iframe carries its page
in ``srcdoc``, so the HTML opens in a browser with no network: the Page name, the primary text,
a box the shape of the placement with the image hash, the headline, description and CTA.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import invalid_param, missing_param
from skill.sandbox.request import Request, str_param

if TYPE_CHECKING:
    from skill.sandbox.api import Api

AD_FORMATS = frozenset("""
AUDIENCE_NETWORK_INSTREAM_VIDEO AUDIENCE_NETWORK_INSTREAM_VIDEO_MOBILE AUDIENCE_NETWORK_OUTSTREAM_VIDEO
AUDIENCE_NETWORK_REWARDED_VIDEO BIZ_DISCO_FEED_MOBILE DESKTOP_FEED_STANDARD FACEBOOK_IFU_REELS_MOBILE
FACEBOOK_PROFILE_FEED_DESKTOP FACEBOOK_PROFILE_FEED_MOBILE FACEBOOK_PROFILE_REELS_MOBILE FACEBOOK_REELS_BANNER
FACEBOOK_REELS_BANNER_DESKTOP FACEBOOK_REELS_BANNER_FEED_ANDROID FACEBOOK_REELS_BANNER_FEED_ANDROID_LARGE
FACEBOOK_REELS_BANNER_FULLSCREEN_IOS FACEBOOK_REELS_BANNER_FULLSCREEN_MOBILE FACEBOOK_REELS_MOBILE
FACEBOOK_REELS_POSTLOOP FACEBOOK_REELS_POSTLOOP_FEED FACEBOOK_REELS_SIMILAR_PRODUCTS_MOBILE FACEBOOK_REELS_STICKER
FACEBOOK_STORY_MOBILE FACEBOOK_STORY_STICKER_MOBILE INSTAGRAM_EXPLORE_CONTEXTUAL INSTAGRAM_EXPLORE_GRID_HOME
INSTAGRAM_EXPLORE_IMMERSIVE INSTAGRAM_FEED_WEB INSTAGRAM_FEED_WEB_M_SITE INSTAGRAM_LEAD_GEN_MULTI_SUBMIT_ADS
INSTAGRAM_PROFILE_FEED INSTAGRAM_PROFILE_REELS INSTAGRAM_REELS INSTAGRAM_REELS_OVERLAY INSTAGRAM_REELS_WEB
INSTAGRAM_REELS_WEB_M_SITE INSTAGRAM_SEARCH_CHAIN INSTAGRAM_SEARCH_GRID INSTAGRAM_STANDARD INSTAGRAM_STORY
INSTAGRAM_STORY_EFFECT_TRAY INSTAGRAM_STORY_WEB INSTAGRAM_STORY_WEB_M_SITE INSTANT_ARTICLE_RECIRCULATION_AD
INSTANT_ARTICLE_STANDARD INSTREAM_BANNER_DESKTOP INSTREAM_BANNER_FEED_IOS INSTREAM_BANNER_FULLSCREEN_IOS
INSTREAM_BANNER_FULLSCREEN_MOBILE INSTREAM_BANNER_IMMERSIVE_MOBILE INSTREAM_BANNER_MOBILE INSTREAM_VIDEO_DESKTOP
INSTREAM_VIDEO_FULLSCREEN_IOS INSTREAM_VIDEO_FULLSCREEN_MOBILE INSTREAM_VIDEO_IMAGE INSTREAM_VIDEO_IMMERSIVE_MOBILE
INSTREAM_VIDEO_MOBILE JOB_BROWSER_DESKTOP JOB_BROWSER_MOBILE MARKETPLACE_MOBILE MESSENGER_MOBILE_INBOX_MEDIA
MESSENGER_MOBILE_STORY_MEDIA MOBILE_BANNER MOBILE_FEED_BASIC MOBILE_FEED_STANDARD MOBILE_FULLWIDTH
MOBILE_INTERSTITIAL MOBILE_MEDIUM_RECTANGLE MOBILE_NATIVE RIGHT_COLUMN_STANDARD SUGGESTED_VIDEO_DESKTOP
SUGGESTED_VIDEO_FULLSCREEN_MOBILE SUGGESTED_VIDEO_IMMERSIVE_MOBILE SUGGESTED_VIDEO_MOBILE WATCH_FEED_HOME
WATCH_FEED_MOBILE WHATSAPP_STATUS_MEDIA
""".split())
TALL = ("STORY", "REELS")


def creative_previews(api: Api, req: Request, collection: str, creative: dict[str, Any]) -> dict[str, Any]:
    return {"data": [{"body": _iframe(api, creative, _format(req))}]}


def ad_previews(api: Api, req: Request, collection: str, ad: dict[str, Any]) -> dict[str, Any]:
    fmt = _format(req)
    creative = api.state["creatives"].get(str((ad.get("creative") or {}).get("id")))
    if creative is None:
        raise invalid_param("Creative Not Found", f"Ad {ad['id']} has no creative to preview.")
    return {"data": [{"body": _iframe(api, creative, fmt)}]}


def _format(req: Request) -> str:
    fmt = str_param(req.params, "ad_format")
    if not fmt:
        raise missing_param("ad_format")
    if fmt not in AD_FORMATS:
        raise invalid_param("Invalid Ad Format", f"ad_format {fmt!r} is not a preview format, e.g. "
                            "MOBILE_FEED_STANDARD, INSTAGRAM_STANDARD, INSTAGRAM_STORY.")
    return fmt


def _iframe(api: Api, creative: dict[str, Any], fmt: str) -> str:
    tall = any(t in fmt for t in TALL)
    width, height = (320, 570) if tall else (540, 690)
    page = html.escape(_page_name(api, creative))
    copy, image = _copy(creative, tall)
    doc = (f"<html><body style='font-family:sans-serif;margin:0;padding:8px'>"
           f"<div style='font-size:11px;color:#888'>Sandbox preview · {fmt}</div>"
           f"<b>{page}</b> · Sponsored<p>{html.escape(copy['message'])}</p>"
           f"<div style='background:#dde;width:100%;aspect-ratio:{'9/16' if tall else '1/1'};display:flex;"
           f"align-items:center;justify-content:center;font-size:11px'>image {html.escape(image)}</div>"
           f"<div><b>{html.escape(copy['name'])}</b><br>{html.escape(copy['description'])}</div>"
           f"<button>{html.escape(copy['cta'].replace('_', ' ').title())}</button></body></html>")
    return (f'<iframe srcdoc="{html.escape(doc, quote=True)}" width="{width}" height="{height}" '
            f'scrolling="yes" style="border: none;"></iframe>')


def _page_name(api: Api, creative: dict[str, Any]) -> str:
    page_id = str((creative.get("object_story_spec") or {}).get("page_id") or "")
    return str((api.state["pages"].get(page_id) or {}).get("name") or page_id)


def _copy(creative: dict[str, Any], tall: bool) -> tuple[dict[str, str], str]:
    link = (creative.get("object_story_spec") or {}).get("link_data")
    if isinstance(link, dict):
        cta = (link.get("call_to_action") or {}).get("type", "")
        return ({"message": link.get("message", ""), "name": link.get("name", ""),
                 "description": link.get("description", ""), "cta": cta}, str(link.get("image_hash", "")))
    feed = creative.get("asset_feed_spec") or {}

    def first(key: str) -> str:
        items = feed.get(key) or [{}]
        return str(items[0].get("text", "")) if isinstance(items[0], dict) else ""

    images = feed.get("images") or [{}]
    wanted = "stories_image" if tall else "feed_image"
    image = next((i for i in images if any(a.get("name") == wanted for a in i.get("adlabels") or [])), images[0])
    ctas = feed.get("call_to_action_types") or [""]
    return ({"message": first("bodies"), "name": first("titles"), "description": first("descriptions"),
             "cta": str(ctas[0])}, str(image.get("hash", "")))
