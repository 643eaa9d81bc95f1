"""``POST /act_{id}/adcreatives``: the checks Meta makes on a creative, with its error shapes.

Accepts form fields holding JSON strings (``object_story_spec``, ``asset_feed_spec``,
``degrees_of_freedom_spec``) or a JSON body. Every failed check is error 100 with a
subcode and an ``error_user_title`` / ``error_user_msg`` naming the field.

CTA types are Meta's current list (the official SDK's ``AdCreative.CallToActionType``).
``SEE_MENU`` and ``SEND_MESSAGE`` are not in it (Meta lists ``MESSAGE_PAGE``), so the
sandbox rejects them as Meta would.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from skill.sandbox import endpoints_formats as formats
from skill.sandbox import endpoints_videos
from skill.sandbox.endpoints_images import image_key
from skill.sandbox.errors import (
    SUB_FEED_LIMIT,
    SUB_FEED_REQUIRED,
    SUB_IMAGE_NOT_FOUND,
    SUB_INVALID_CTA,
    SUB_INVALID_PAGE,
    SUB_MISSING_IMAGE,
    invalid_param,
    missing_param,
)
from skill.sandbox.objects import listing
from skill.sandbox.request import Request, check_object, json_param, str_param
from skill.sandbox.state import now_iso

if TYPE_CHECKING:
    from skill.sandbox.api import Api

CTA_TYPES = frozenset("""
ADD_TO_CART APPLY_NOW ASK_ABOUT_SERVICES ASK_A_QUESTION ASK_FOR_MORE_INFO ASK_US AUDIO_CALL
BOOK_A_CONSULTATION BOOK_NOW BOOK_TRAVEL BROWSE_SHOP BUY BUY_NOW BUY_TICKETS BUY_VIA_MESSAGE CALL
CALL_ME CALL_NOW CHAT_NOW CHAT_WITH_US CONFIRM CONTACT CONTACT_US DONATE DONATE_NOW DOWNLOAD
EVENT_RSVP FIND_A_GROUP FIND_OUT_MORE FIND_YOUR_GROUPS FOLLOW_NEWS_STORYLINE FOLLOW_PAGE FOLLOW_USER
GET_A_QUOTE GET_DETAILS GET_DIRECTIONS GET_IN_TOUCH GET_OFFER GET_OFFER_VIEW GET_PROMOTIONS GET_QUOTE
GET_SHOWTIMES GET_STARTED INQUIRE_NOW INSTALL_APP INSTALL_MOBILE_APP JOIN_CHANNEL JOIN_LIVE_VIDEO
LEARN_MORE LIKE_PAGE LISTEN_MUSIC LISTEN_NOW MAKE_AN_APPOINTMENT MESSAGE_PAGE MOBILE_DOWNLOAD
NO_BUTTON OPEN_INSTANT_APP OPEN_LINK ORDER_NOW PAY_TO_ACCESS PLAY_GAME PLAY_GAME_ON_FACEBOOK
PURCHASE_GIFT_CARDS RAISE_MONEY RECORD_NOW REFER_FRIENDS REQUEST_TIME SAY_THANKS SEE_MORE SEE_SHOP
SELL_NOW SEND_A_GIFT SEND_GIFT_MONEY SEND_UPDATES SHARE SHOP_NOW SHOP_WITH_AI SIGN_UP SOTTO_SUBSCRIBE
START_A_CHAT START_ORDER SUBSCRIBE SWIPE_UP_PRODUCT SWIPE_UP_SHOP TRY_DEMO TRY_ON_WITH_AI UPDATE_APP
USE_APP USE_MOBILE_APP VIDEO_ANNOTATION VIDEO_CALL VIEW_CART VIEW_CHANNEL VIEW_IN_CART VIEW_PRODUCT
VISIT_PAGES_FEED VISIT_WEBSITE WATCH_LIVE_VIDEO WATCH_MORE WATCH_VIDEO WHATSAPP_MESSAGE WOODHENGE_SUPPORT
""".split())

AD_FORMATS = frozenset({"SINGLE_IMAGE", "CAROUSEL", "SINGLE_VIDEO", "AUTOMATIC_FORMAT", "CAROUSEL_IMAGE",
                        "CAROUSEL_VIDEO"})
LIMITS = {"images": 10, "bodies": 5, "titles": 5, "descriptions": 5, "link_urls": 5,
          "call_to_actions": 5, "call_to_action_types": 5}
TEXT_ASSETS = ("bodies", "titles", "descriptions")


def create(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    story = json_param(req.params, "object_story_spec")
    if story is None:
        raise missing_param("object_story_spec")
    story = check_object(story, "object_story_spec")
    check_page(api, story)
    feed = json_param(req.params, "asset_feed_spec")
    if feed is not None:
        check_feed(api, account, check_object(feed, "asset_feed_spec"))
        endpoints_videos.check_feed_videos(api, account, feed)
        formats.check_rules(feed)
    elif "video_data" in story:
        endpoints_videos.check_video_data(api, account, story)
    else:
        check_link_data(api, account, story)
    dof = json_param(req.params, "degrees_of_freedom_spec")
    if dof is not None:
        formats.check_dof(dof)
    formats.check_policy(api, formats.texts_of(story, feed))
    creative_id = api.state.new_id("creative")
    name = str_param(req.params, "name") or f"Creative {now_iso()[:10]}"
    creative = {"id": creative_id, "name": name, "status": "ACTIVE", "account_id": account["account_id"],
                "object_story_spec": story, "created_time": now_iso(time.time())}
    if feed is not None:
        creative["asset_feed_spec"] = feed
    if dof is not None:
        creative["degrees_of_freedom_spec"] = dof
    api.state.add("creatives", creative)
    return {"id": creative_id}


def check_page(api: Api, story: dict[str, Any]) -> None:
    page_id = story.get("page_id")
    if not page_id:
        raise invalid_param("Missing Page", "object_story_spec.page_id is required: the Facebook Page the ad "
                            "runs as.", SUB_INVALID_PAGE)
    if str(page_id) not in api.state["pages"]:
        raise invalid_param("Invalid Page", f"object_story_spec.page_id {page_id} is not a Page this ad "
                            "account can use. Check page_id.", SUB_INVALID_PAGE)


def check_link_data(api: Api, account: dict[str, Any], story: dict[str, Any]) -> None:
    link = formats.check_link_data(story.get("link_data") or {})
    image_hash = link.get("image_hash")
    if not image_hash:
        raise invalid_param("Missing Image", "Please specify an image to run with this ad.", SUB_MISSING_IMAGE)
    check_hashes(api, account, [image_hash], "object_story_spec.link_data.image_hash")
    cta = (link.get("call_to_action") or {}).get("type")
    if cta:
        check_cta(cta, "object_story_spec.link_data.call_to_action.type")


def check_feed(api: Api, account: dict[str, Any], feed: dict[str, Any]) -> None:
    for key, limit in LIMITS.items():
        items = feed.get(key)
        if items is not None and not isinstance(items, list):
            raise invalid_param("Invalid Asset Feed", f"asset_feed_spec.{key} must be a list.", SUB_FEED_REQUIRED)
        if items and len(items) > limit:
            raise invalid_param("Too Many Assets", f"asset_feed_spec.{key} has {len(items)} entries; "
                                f"at most {limit} are allowed.", SUB_FEED_LIMIT)
    images = feed.get("images") or []
    if not images and not feed.get("videos"):
        raise invalid_param("Missing Image", "Please specify an image to run with this ad.", SUB_MISSING_IMAGE)
    hashes = [img.get("hash") if isinstance(img, dict) else None for img in images]
    check_hashes(api, account, hashes, "asset_feed_spec.images")
    for key in TEXT_ASSETS:
        for i, item in enumerate(feed.get(key) or []):
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                raise invalid_param("Invalid Text Asset", f"asset_feed_spec.{key}[{i}] needs a non-empty text.",
                                    SUB_FEED_REQUIRED)
    check_required(feed)
    for cta in feed.get("call_to_action_types") or []:
        check_cta(cta, "asset_feed_spec.call_to_action_types")
    for i, item in enumerate(feed.get("call_to_actions") or []):
        check_cta(item.get("type") if isinstance(item, dict) else item, f"asset_feed_spec.call_to_actions[{i}].type")


def check_required(feed: dict[str, Any]) -> None:
    links = feed.get("link_urls")
    if not links:
        raise invalid_param("Missing Link URLs", "asset_feed_spec.link_urls is required: add at least one "
                            '{"website_url": "https://…"}.', SUB_FEED_REQUIRED)
    for i, link in enumerate(links):
        if not isinstance(link, dict) or not str(link.get("website_url", "")).startswith(("http://", "https://")):
            raise invalid_param("Invalid Link URL", f"asset_feed_spec.link_urls[{i}].website_url must be an "
                                "http(s) URL.", SUB_FEED_REQUIRED)
    formats = feed.get("ad_formats")
    if not formats:
        raise invalid_param("Missing Ad Formats", 'asset_feed_spec.ad_formats is required, e.g. ["SINGLE_IMAGE"].',
                            SUB_FEED_REQUIRED)
    for fmt in formats:
        if fmt not in AD_FORMATS:
            raise invalid_param("Invalid Ad Format", f"asset_feed_spec.ad_formats: {fmt!r} is not one of "
                                f"{', '.join(sorted(AD_FORMATS))}.", SUB_FEED_REQUIRED)


def check_hashes(api: Api, account: dict[str, Any], hashes: list[Any], where: str) -> None:
    formats.check_expired(api, hashes, where)
    for image_hash in hashes:
        if not image_hash or image_key(account["account_id"], str(image_hash)) not in api.state["images"]:
            raise invalid_param("Image Not Found", f"{where}: image hash {image_hash!r} was not found in ad account "
                                f"{account['id']}. Upload the image first and use the hash it returns.",
                                SUB_IMAGE_NOT_FOUND)


def check_cta(cta: Any, where: str) -> None:
    if cta not in CTA_TYPES:
        raise invalid_param("Invalid Call-To-Action Type", f"The call-to-action type {cta!r} in {where} is not valid."
                            " Use one such as LEARN_MORE, SHOP_NOW, SIGN_UP or MESSAGE_PAGE.", SUB_INVALID_CTA)


def list_creatives(api: Api, req: Request, account: dict[str, Any]) -> dict[str, Any]:
    rows = [c for c in api.state["creatives"].values() if c["account_id"] == account["account_id"]]
    return listing(api, req, "creatives", rows)
