"""Advantage+ creative enhancements: ``degrees_of_freedom_spec``, off unless brand/stack.md turns them on.

Since v22 Meta takes enhancements one feature at a time (the ``standard_enhancements`` bundle
is deprecated): ``{"creative_features_spec": {FEATURE: {"enroll_status": "OPT_IN" | "OPT_OUT"}}}``.

``advantage_creative`` in stack.md:

- absent or ``off``: nothing is sent; the creative runs as written.
- ``on``: opt in to the image and text features of the former standard bundle
  (``image_touchups``, ``text_optimizations``, ``inline_comment``).
- a mapping ``{feature: OPT_IN | OPT_OUT}``: exactly those.
"""

from __future__ import annotations

from typing import Any

from skill.errors import ConfigError

ENROLL = ("OPT_IN", "OPT_OUT")
STANDARD_FEATURES = ("image_touchups", "text_optimizations", "inline_comment")

# Feature names of AdCreativeFeaturesSpec in the official Business SDK.
FEATURES = frozenset("""
adapt_to_placement add_text_overlay ads_with_benefits advantage_plus_creative app_highlights audio
auto_promotion_tag biz_ai carousel_to_video catalog_feed_tag creative_stickers customize_product_recommendation
cv_transformation description_automation dha_optimization dynamic_cta_text dynamic_partner_content
enable_ncs_testimonials enhance_cta fb_feed_tag fb_reels_tag fb_story_tag feed_caption_optimization generate_cta
hide_price hyperlink_formatting ig_feed_tag ig_glados_feed ig_reels_tag ig_stream_tag ig_video_native_subtitle
image_animation image_auto_crop image_background_gen image_banner image_brightness_and_contrast image_end_card
image_enhancement image_templates image_text_translation image_touchups image_uncrop inline_comment
local_store_extension media_liquidity_animated_image media_order media_type_automation
multi_creative_post_carousel multi_photo_to_video music_generation pac_genai_recomposition pac_recomposition
pac_relaxation product_browsing product_extensions product_metadata_automation product_tags profile_card
profile_extension replace_media_text reveal_details_over_time show_destination_blurbs show_summary
site_extensions standard_enhancements standard_enhancements_catalog text_extraction_for_headline
text_extraction_for_tap_target text_formatting_optimization text_generation text_optimizations
text_overlay_translation text_translation translate_voiceover video_auto_crop video_filtering video_highlight
video_highlights video_to_image video_uncrop video_uncrop_9x16_to_9x18 wa_mm_image_filtering
wa_mm_text_truncation_length
""".split())

FIELD = "advantage_creative"
FILE = "brand/stack.md"


def features(setting: Any) -> dict[str, str]:
    """``{feature: enroll_status}`` from the stack.md value; ``{}`` means off. Bad values raise."""
    if setting is None or setting is False or (isinstance(setting, str) and setting.strip().lower() in ("off", "")):
        return {}
    if setting is True or (isinstance(setting, str) and setting.strip().lower() == "on"):
        return dict.fromkeys(STANDARD_FEATURES, "OPT_IN")
    if not isinstance(setting, dict):
        raise ConfigError("must be off, on, or a mapping of feature: OPT_IN | OPT_OUT", file=FILE, field=FIELD)
    out: dict[str, str] = {}
    for name, status in setting.items():
        status = {True: "OPT_IN", False: "OPT_OUT"}.get(status, status) if isinstance(status, bool) else status
        if name not in FEATURES:
            raise ConfigError(f"unknown Advantage+ creative feature {name!r}", file=FILE, field=f"{FIELD}.{name}",
                              hint=f"e.g. {', '.join(STANDARD_FEATURES)}; see reference/formats.md")
        if str(status).upper() not in ENROLL:
            raise ConfigError(f"enroll status {status!r} must be OPT_IN or OPT_OUT", file=FILE,
                              field=f"{FIELD}.{name}")
        out[name] = str(status).upper()
    return out


def dof_spec(setting: Any) -> dict[str, Any] | None:
    """The ``degrees_of_freedom_spec`` to send, or None when enhancements are off."""
    chosen = features(setting)
    if not chosen:
        return None
    return {"creative_features_spec": {k: {"enroll_status": v} for k, v in chosen.items()}}
