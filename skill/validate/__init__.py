"""The product's rules for copy and images, and Meta's asset_feed_spec limits.

Every finding carries severity, ad, file, field and message. Errors stop an ad from
being sent; warnings inform. Nothing here touches the network (but an ``image_url`` fetch).

- ``findings.py``: ``Finding``; ``copy_rules.py``: one spec's copy; ``image_rules.py``: one image;
- ``batch.py``: ``validate_batch``, the config; ``ads.py``: each ad, sharing what ads share;
- ``checks.py``: ``AdCheck`` / ``BatchCheck``, what the upload keeps; ``specs.py``: spec files;
  ``keys.py``: unknown keys.
"""

from __future__ import annotations

from skill.validate.ads import MAX_IMAGES
from skill.validate.batch import resolve_config_path, validate_batch
from skill.validate.checks import AdCheck, BatchCheck
from skill.validate.copy_rules import (
    BODY_MAX,
    BODY_MIN,
    CTA_NOT_IN_CURRENT_API,
    CTA_TYPES,
    DESCRIPTION_MAX,
    HEADLINE_HARD,
    HEADLINE_SOFT,
    MAX_BODIES,
    MAX_CTAS,
    MAX_DESCRIPTIONS,
    MAX_LINK_URLS,
    MAX_TITLES,
    check_text_and_links,
    validate_copy,
)
from skill.validate.findings import Finding, Severity
from skill.validate.image_rules import validate_image

__all__ = ["BODY_MAX", "BODY_MIN", "CTA_NOT_IN_CURRENT_API", "CTA_TYPES", "DESCRIPTION_MAX", "HEADLINE_HARD",
           "HEADLINE_SOFT", "MAX_BODIES", "MAX_CTAS", "MAX_DESCRIPTIONS", "MAX_IMAGES", "MAX_LINK_URLS", "MAX_TITLES",
           "AdCheck", "BatchCheck", "Finding", "Severity", "check_text_and_links", "resolve_config_path",
           "validate_batch", "validate_copy", "validate_image"]
