"""Call-to-action types: Meta's v26 list, and the product's own 18 that copy generation picks from.

``META_CTA_TYPES`` is the ``call_to_action.type`` enum of the official Business SDK
(``AdCreative.CallToActionType`` == ``AdCreativeLinkDataCallToAction.Type``, 102 values).
Any of them is accepted in a spec. ``PRODUCT_CTA_TYPES`` is the product's documented list,
in its order. Two of its values are not in Meta's v26 list: they are still accepted, with a
warning naming what to use instead (see ``reference/formats.md``).
"""

from __future__ import annotations

META_CTA_TYPES: frozenset[str] = frozenset("""
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

# The product's list, in the product's order: what copy generation chooses from.
PRODUCT_CTA_TYPES: tuple[str, ...] = (
    "LEARN_MORE", "SHOP_NOW", "SIGN_UP", "BOOK_TRAVEL", "DOWNLOAD",
    "GET_OFFER", "GET_QUOTE", "SUBSCRIBE", "WATCH_MORE", "APPLY_NOW",
    "CONTACT_US", "GET_DIRECTIONS", "ORDER_NOW", "REQUEST_TIME",
    "SEE_MENU", "SEND_MESSAGE", "BUY_TICKETS", "CALL_NOW",
)  # fmt: skip

# In the product's list but not in Meta's v26 list: accepted with a warning saying what to use.
NOT_IN_V26: dict[str, str] = {
    "SEE_MENU": "Meta's v26 API no longer lists SEE_MENU and refuses it; use ORDER_NOW or LEARN_MORE",
    "SEND_MESSAGE": "Meta's v26 API lists MESSAGE_PAGE, not SEND_MESSAGE, and refuses it; use MESSAGE_PAGE",
}

# Every value a spec may name.
ACCEPTED_CTA_TYPES: frozenset[str] = META_CTA_TYPES | frozenset(PRODUCT_CTA_TYPES)


def cta_problem(cta: str) -> tuple[str, str] | None:
    """``("error" | "warning", message)`` for a CTA type, or None when it is fine."""
    if cta in NOT_IN_V26:
        return "warning", f"CTA {cta}: {NOT_IN_V26[cta]}"
    if cta not in META_CTA_TYPES:
        close = sorted(c for c in META_CTA_TYPES if c.split("_")[0] == cta.split("_")[0])[:4]
        hint = f" (close: {', '.join(close)})" if close else ""
        return "error", (f"CTA type {cta!r} is not valid: not one of Meta's v26 call-to-action types{hint}; "
                         f"e.g. {', '.join(PRODUCT_CTA_TYPES[:6])}")
    return None
