"""The quick paths of validation give the same answers as the plain ones they replace: unknown keys
read from the instance, and a text check that skips printable text."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill import inputs
from skill.models import AdEntry, AssetFeedSpec, BatchConfig
from skill.userfiles import unknown_keys as plain_unknown_keys
from skill.validate.keys import unknown_keys

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

extra = st.dictionaries(st.sampled_from(["zz", "image_hash", "note", "text2", "link"]), st.integers(), max_size=2)


def with_extra(base: dict) -> st.SearchStrategy[dict]:
    return extra.map(lambda more: {**more, **base})


texts = st.lists(with_extra({"text": "Some words here"}), max_size=3)
ctas = st.lists(st.one_of(with_extra({"type": "LEARN_MORE"}),
                          st.builds(lambda v: {"type": "SHOP_NOW", "value": v},
                                    with_extra({"link": "https://example.com/x"}))), max_size=2)
specs = st.builds(lambda t, b, d, c, top: {**top, "titles": t, "bodies": b, "descriptions": d, "call_to_actions": c},
                  texts, texts, texts, ctas, extra)


@FAST
@given(specs)
def test_unknown_keys_of_a_spec_are_the_plain_walk_s(data):
    spec = AssetFeedSpec.model_validate(data)
    assert unknown_keys(spec) == plain_unknown_keys(spec)


@FAST
@given(st.lists(st.builds(lambda more, placed: {**more, "name": "a", "asset_feed_spec_path": "a.json",
                                                **({"placement_images": {**more, "feed": "f.jpg", "stories": "s.jpg"}}
                                                   if placed else {"image_path": "a.jpg"})},
                          extra, st.booleans()), min_size=1, max_size=3), extra)
def test_unknown_keys_of_a_batch_config_are_the_plain_walk_s(ads, top):
    cfg = BatchConfig.model_validate({**top, "campaign": "c", "ads": ads, "adsets": [{"x": 1}]})
    assert unknown_keys(cfg) == plain_unknown_keys(cfg)
    for entry in cfg.ads:
        assert isinstance(entry, AdEntry) and unknown_keys(entry) == plain_unknown_keys(entry)


def plain_text_problem(text: str) -> str | None:
    """The character-by-character check, without the printable shortcut."""
    for pos, char in enumerate(text):
        if char in inputs.ALLOWED_CONTROLS or char in inputs.ALLOWED_FORMAT_CHARS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co") or char in ("\u2028", "\u2029"):
            name = inputs._NAMED.get(char) or f"U+{ord(char):04X} {unicodedata.name(char, 'control character').lower()}"
            return f"contains an invisible or control character ({name}) at position {pos + 1}; remove it"
    return None


@FAST
@given(st.text(max_size=40) | st.text(st.characters(codec="utf-8"), max_size=10)
       | st.sampled_from(["a\u202eb", "x\u200by", "emoji\u200d", "line\nbreak", "tab\t", "\u2028", "\ud800", "nbsp\u00a0"]))
def test_the_text_check_answers_as_the_plain_one(text):
    assert inputs.text_problem(text) == plain_text_problem(text)
    assert (inputs._SPACE.search(text) is not None) == any(c.isspace() for c in text)

