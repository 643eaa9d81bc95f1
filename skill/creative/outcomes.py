"""What a refused creative means: a lost image (upload it again) or a policy rejection (say why, and where
to read Meta's review)."""

from __future__ import annotations

from skill.errors import GraphError

# "Missing Image" (Meta, also for a hash the account no longer has) and the sandbox's "Image Not Found".
IMAGE_HASH_SUBCODES = frozenset({1487212, 1487242})
POLICY_CODES = frozenset({2635})
POLICY_WORDS = ("polic", "review", "reject", "disapprov", "not allowed", "doesn't follow", "does not follow")
ACCOUNT_QUALITY_URL = "https://www.facebook.com/business-support-home/"


def is_image_hash_error(error: GraphError | None) -> bool:
    """Meta refused the creative because an image hash is missing or expired in the account."""
    return error is not None and error.code == 100 and error.subcode in IMAGE_HASH_SUBCODES


def is_policy_rejection(error: GraphError | None) -> bool:
    """A policy refusal: code 2635, or a 1487xxx creative error whose text speaks of policy or review."""
    if error is None:
        return False
    if error.code in POLICY_CODES:
        return True
    text = " ".join(p for p in (error.user_title, error.user_msg, error.message) if p).lower()
    in_family = error.subcode is not None and 1487000 <= error.subcode <= 1487999
    return in_family and any(word in text for word in POLICY_WORDS) and not is_image_hash_error(error)


def policy_hint(review_url: str) -> str:
    return (f"Meta refused this ad under its Advertising Policies (the reason is above). Read the review "
            f"feedback in Ads Manager ({review_url}) and in Account Quality ({ACCOUNT_QUALITY_URL}); edit the "
            "copy or image, then re-run. To appeal, use Request Review in Account Quality")
