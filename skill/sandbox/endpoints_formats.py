"""Creative checks beyond the basic asset_feed_spec: single-image ``link_data``, placement
``asset_customization_rules``, ``degrees_of_freedom_spec``, expired image hashes and policy text.

Rules (Meta's docs on placement asset customization and Advantage+ creative):

- ``link_data`` needs an ``image_hash`` known to the account and an http(s) ``link``; its CTA
  type must be a current one and its ``value.link`` an http(s) URL.
- ``asset_customization_rules``: one link description at most; at least two rules; each a ``customization_spec`` with known
  placement keys and positions, an ``image_label`` naming a label of ``images[].adlabels``
  (required with ``SINGLE_IMAGE``), a distinct integer ``priority``.
- ``degrees_of_freedom_spec.creative_features_spec``: every feature needs
  ``enroll_status`` OPT_IN or OPT_OUT (subcode 3858082); the ``standard_enhancements``
  bundle is refused since v22.
- An image hash the sandbox was told to expire (``expired_hashes``) is refused like a missing
  one (1487212) until the same bytes are uploaded again.
- Text containing a word of ``policy_words`` is refused as a policy rejection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skill.sandbox.errors import (
    SUB_DOF_ENROLL,
    SUB_FEED_LIMIT,
    SUB_FEED_REQUIRED,
    SUB_MISSING_IMAGE,
    SUB_POLICY,
    ApiError,
    invalid_param,
)

if TYPE_CHECKING:
    from skill.sandbox.api import Api

PLATFORMS = {"facebook", "instagram", "messenger", "audience_network", "threads"}
POSITIONS = {
    "facebook_positions": {"feed", "right_hand_column", "marketplace", "video_feeds", "search", "story",
                           "notification", "facebook_reels", "facebook_reels_overlay", "profile_feed",
                           "instream_video", "biz_disco_feed"},
    "instagram_positions": {"stream", "story", "explore", "explore_home", "reels", "profile_feed", "ig_search",
                            "profile_reels"},
    "messenger_positions": {"messenger_home", "story", "sponsored_messages"},
    "audience_network_positions": {"classic", "rewarded_video"},
    "threads_positions": {"threads_stream"},
}
SPEC_KEYS = {"publisher_platforms", "device_platforms", "age_min", "age_max", "geo_locations", "locales",
             *POSITIONS}
LABEL_KEYS = ("image_label", "video_label", "body_label", "title_label", "description_label", "link_url_label",
              "call_to_action_label", "call_to_action_type_label", "caption_label", "carousel_label")
LABELLED = {"image_label": "images", "video_label": "videos", "body_label": "bodies", "title_label": "titles",
            "description_label": "descriptions", "link_url_label": "link_urls"}


def check_link_data(link: Any) -> dict[str, Any]:
    """The parts of ``link_data`` that need no state (hashes are checked by the caller)."""
    if not isinstance(link, dict):
        raise invalid_param("Invalid Link Data", "object_story_spec.link_data must be an object.", SUB_FEED_REQUIRED)
    if not link.get("image_hash") and not link.get("picture"):
        raise invalid_param("Missing Image", "Please specify an image to run with this ad.", SUB_MISSING_IMAGE)
    if not _http(link.get("link")):
        raise invalid_param("Missing Link", "object_story_spec.link_data.link is required: the http(s) URL "
                            "people go to.", SUB_FEED_REQUIRED)
    cta = link.get("call_to_action")
    if cta is not None:
        value = cta.get("value") if isinstance(cta, dict) else None
        if isinstance(value, dict) and "link" in value and not _http(value["link"]):
            raise invalid_param("Invalid Link", "link_data.call_to_action.value.link must be an http(s) URL.",
                                SUB_FEED_REQUIRED)
    return link


def check_rules(feed: dict[str, Any]) -> None:
    rules = feed.get("asset_customization_rules")
    if rules is None:
        return
    if not isinstance(rules, list) or len(rules) < 2:
        raise invalid_param("Not Enough Customization Rules", "asset_feed_spec.asset_customization_rules needs at "
                            "least two rules.", SUB_FEED_REQUIRED)
    if len(feed.get("descriptions") or []) > 1:
        raise invalid_param("Too Many Descriptions", "Only one link description is allowed with "
                            "asset_customization_rules.", SUB_FEED_LIMIT)
    labels = _labels(feed)
    priorities: set[int] = set()
    for i, rule in enumerate(rules):
        where = f"asset_feed_spec.asset_customization_rules[{i}]"
        if not isinstance(rule, dict):
            raise invalid_param("Invalid Customization Rule", f"{where} must be an object.", SUB_FEED_REQUIRED)
        _check_spec(rule.get("customization_spec"), f"{where}.customization_spec")
        if "SINGLE_IMAGE" in (feed.get("ad_formats") or []) and not rule.get("image_label"):
            raise invalid_param("Missing Image Label", f"{where}.image_label is required for SINGLE_IMAGE.",
                                SUB_FEED_REQUIRED)
        for key in LABEL_KEYS:
            if key in rule:
                _check_label(rule[key], labels.get(LABELLED.get(key, ""), set()), f"{where}.{key}")
        priority = rule.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool) or priority in priorities:
            raise invalid_param("Invalid Rule Priority", f"{where}.priority must be an integer, different for "
                                "each rule.", SUB_FEED_REQUIRED)
        priorities.add(priority)
    if feed.get("optimization_type") not in (None, "PLACEMENT", "REGULAR", "LANGUAGE"):
        raise invalid_param("Invalid Optimization Type", "asset_feed_spec.optimization_type must be PLACEMENT for "
                            "placement customization.", SUB_FEED_REQUIRED)


def _labels(feed: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key in set(LABELLED.values()):
        for item in feed.get(key) or []:
            for label in (item.get("adlabels") or []) if isinstance(item, dict) else []:
                if isinstance(label, dict) and label.get("name"):
                    out.setdefault(key, set()).add(str(label["name"]))
    return out


def _check_label(label: Any, known: set[str], where: str) -> None:
    name = label.get("name") if isinstance(label, dict) else None
    if not name or name not in known:
        raise invalid_param("Unknown Asset Label", f"{where} names label {name!r}, which no asset carries "
                            "in its adlabels.", SUB_FEED_REQUIRED)


def _check_spec(spec: Any, where: str) -> None:
    if not isinstance(spec, dict):
        raise invalid_param("Invalid Customization Spec", f"{where} must be an object.", SUB_FEED_REQUIRED)
    for key, value in spec.items():
        if key not in SPEC_KEYS:
            raise invalid_param("Invalid Customization Spec", f"{where}: unknown key {key!r}.", SUB_FEED_REQUIRED)
        allowed = PLATFORMS if key == "publisher_platforms" else POSITIONS.get(key)
        if allowed is not None:
            bad = [v for v in (value if isinstance(value, list) else [value]) if v not in allowed]
            if bad:
                raise invalid_param("Invalid Placement", f"{where}.{key}: {bad[0]!r} is not one of "
                                    f"{', '.join(sorted(allowed))}.", SUB_FEED_REQUIRED)


def check_dof(dof: Any) -> None:
    if not isinstance(dof, dict):
        raise invalid_param("Invalid Degrees Of Freedom Spec", "degrees_of_freedom_spec must be an object.",
                            SUB_FEED_REQUIRED)
    spec = dof.get("creative_features_spec") or {}
    if not isinstance(spec, dict):
        raise invalid_param("Invalid Creative Features", "creative_features_spec must be an object.",
                            SUB_FEED_REQUIRED)
    for name, detail in spec.items():
        if name == "standard_enhancements":
            raise invalid_param("Standard Enhancements Deprecated", "The standard_enhancements bundle is deprecated "
                                "since v22.0: opt in to each feature on its own.", SUB_DOF_ENROLL)
        status = detail.get("enroll_status") if isinstance(detail, dict) else None
        if status not in ("OPT_IN", "OPT_OUT"):
            raise invalid_param("Missing Enroll Status", f"creative_features_spec.{name}: you must provide "
                                "enroll_status, OPT_IN or OPT_OUT.", SUB_DOF_ENROLL)


def check_expired(api: Api, hashes: list[Any], where: str) -> None:
    expired = set(api.config.expired_hashes or [])
    for image_hash in hashes:
        if image_hash in expired:
            raise invalid_param("Missing Image", f"{where}: the image with hash {image_hash!r} has expired and can "
                                "no longer be used. Please specify an image to run with this ad: upload it again.",
                                SUB_MISSING_IMAGE)


def check_policy(api: Api, texts: list[str]) -> None:
    words = [w.lower() for w in (api.config.policy_words or [])]
    for text in texts:
        hit = next((w for w in words if w in text.lower()), None)
        if hit:
            raise ApiError("Invalid parameter", 100, SUB_POLICY, "Ad Creative Rejected",
                           f"Your ad creative doesn't follow our Advertising Policies: it makes a claim we don't "
                           f"allow ({hit!r}). Edit the text and try again; details are in Account Quality.")


def texts_of(story: dict[str, Any], feed: dict[str, Any] | None) -> list[str]:
    link = story.get("link_data") if isinstance(story.get("link_data"), dict) else {}
    out = [str(link.get(k) or "") for k in ("message", "name", "description")]
    video = story.get("video_data") if isinstance(story.get("video_data"), dict) else {}
    out += [str(video.get(k) or "") for k in ("message", "title", "link_description")]
    for key in ("bodies", "titles", "descriptions"):
        out += [str(i.get("text", "")) for i in (feed or {}).get(key) or [] if isinstance(i, dict)]
    return [t for t in out if t]


def _http(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))
