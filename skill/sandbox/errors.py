"""Graph API errors exactly as Meta shapes them.

Every failure inside the sandbox is a :class:`ApiError`; the server (or the batch runner)
turns it into ``{"error": {message, type, code, error_subcode, error_user_title,
error_user_msg, fbtrace_id, is_transient}}`` with HTTP 400 (client errors) or 500
(transient ones).

Subcodes: 33 (object does not exist), 463 (session expired), 2446079 (ad account
rate limit), 1487212 (missing image) and 99 (unknown error) are the ones Meta sends.
Where Meta's own subcode for a creative check could not be confirmed, the sandbox
uses a stable number of its own from the same 1487xxx / 1885xxx family (see
``docs/sandbox.md``); clients should branch on ``code`` and read the user message.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

_trace_counter = itertools.count(1)

# Subcodes used by the sandbox; the comment says where each comes from.
SUB_NOT_EXIST = 33            # Meta: "Unsupported get request. Object ... does not exist"
SUB_SESSION_EXPIRED = 463     # Meta: token expired
SUB_RATE_LIMIT = 2446079      # Meta: too many calls to this ad account
SUB_UNKNOWN = 99              # Meta: "An unknown error occurred"
SUB_MISSING_IMAGE = 1487212   # Meta: "Missing Image" (no image in the creative)
SUB_INVALID_CTA = 1487195     # the product's Graph guide: invalid call-to-action type
SUB_IMAGE_NOT_FOUND = 1487242  # sandbox: image hash not in the ad account
SUB_INVALID_PAGE = 1487198    # sandbox: page_id missing or unknown
SUB_FEED_LIMIT = 1885474      # sandbox: asset_feed_spec over a limit
SUB_FEED_REQUIRED = 1885475   # sandbox: asset_feed_spec missing a required field
SUB_INVALID_IMAGE = 1487264   # sandbox: uploaded bytes are not an image
SUB_ADSET_NOT_FOUND = 1487472  # sandbox: adset_id does not exist
SUB_CREATIVE_NOT_FOUND = 1487473  # sandbox: creative_id does not exist
SUB_BLOCKED = 1390008         # Meta: "You can't do this right now" (368)
SUB_DOF_ENROLL = 3858082      # Meta (SDK issue): "must provide enroll_status" on creative features
SUB_POLICY = 1487301          # sandbox: creative text refused by the advertising policies


def fbtrace_id() -> str:
    """An opaque, unique trace id shaped like Meta's (letters and digits, 23 chars)."""
    digest = hashlib.sha1(f"sandbox-trace-{next(_trace_counter)}".encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "A" + "".join(alphabet[b % len(alphabet)] for b in digest[:22])


@dataclass
class ApiError(Exception):
    """One Graph API error. ``http_status`` is 400 for client errors, 500 for transient."""

    message: str
    code: int
    subcode: int | None = None
    user_title: str | None = None
    user_msg: str | None = None
    type: str = "OAuthException"
    is_transient: bool = False
    http_status: int = 400
    error_data: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["is_transient"] = self.is_transient
        if self.user_title:
            error["error_user_title"] = self.user_title
        if self.user_msg:
            error["error_user_msg"] = self.user_msg
        if self.error_data:
            error["error_data"] = self.error_data
        error["fbtrace_id"] = fbtrace_id()
        return {"error": error}


# ---------------------------------------------------------------- factories


def invalid_param(title: str, msg: str, subcode: int | None = None) -> ApiError:
    """Code 100 the way Meta sends it for a bad field: generic message, specific user text."""
    return ApiError("Invalid parameter", 100, subcode, title, msg)


def missing_param(name: str) -> ApiError:
    return ApiError(f"(#100) The parameter {name} is required", 100, None,
                    "Missing Parameter", f"The parameter {name} is required.")


def not_exist(object_id: str, method: str = "get") -> ApiError:
    return ApiError(
        f"Unsupported {method} request. Object with ID '{object_id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph API "
        "documentation at https://developers.facebook.com/docs/graph-api",
        100, SUB_NOT_EXIST, type="GraphMethodException")


def unknown_path(path: str) -> ApiError:
    return ApiError(f"Unknown path components: /{path}", 2500)


def bad_token() -> ApiError:
    return ApiError("Invalid OAuth access token - Cannot parse access token", 190)


def missing_token() -> ApiError:
    return ApiError("An active access token must be used to query information about the current user.",
                    190, None, "Missing Access Token", "Add an access token to the request.")


def expired_token() -> ApiError:
    return ApiError("Error validating access token: Session has expired.", 190, SUB_SESSION_EXPIRED,
                    "Session Expired", "Your access token has expired. Log in again to get a new one.")


def blocked() -> ApiError:
    return ApiError("(#368) The action attempted has been deemed abusive or is otherwise disallowed", 368,
                    SUB_BLOCKED, "You Can't Do This Right Now",
                    "This ad account is temporarily blocked from this action. Review it in Account Quality.")


def permission(what: str) -> ApiError:
    return ApiError(f"(#200) {what}", 200, None, "Permission Denied", what)


def transient(code: int = 2) -> ApiError:
    if code == 1:  # code 1 without subcode 99 is the retryable kind
        return ApiError("An unknown error has occurred.", 1, http_status=500)
    return ApiError("An unexpected error has occurred. Please retry your request later.", 2,
                    is_transient=True, http_status=500)


def rate_limited(minutes: int) -> ApiError:
    return ApiError(
        "There have been too many calls to this ad-account. Wait a bit and try again. For more info, "
        "please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.",
        80004, SUB_RATE_LIMIT, "Ad Account Has Too Many API Calls",
        f"There are too many API requests from this ad account. Please try again in {minutes} minute(s).",
        is_transient=True)


def user_limited() -> ApiError:
    """Code 17: too many calls from this user (token) across the app."""
    return ApiError("(#17) User request limit reached", 17, SUB_RATE_LIMIT, "User Request Limit Reached",
                    "This user has made too many API calls. Wait and try again.", is_transient=True)


def dependency_failed(name: str, parent: str) -> ApiError:
    """A batch operation not run because the one it depends on did not succeed."""
    return ApiError("An unknown error occurred", 1, SUB_UNKNOWN, "Dependency Failed",
                    f"Operation '{name}' was not run: it depends on '{parent}', which did not succeed.",
                    is_transient=True, http_status=500)
