"""The flat YAML reader reads what PyYAML's safe loader reads, or declines (then PyYAML reads it).

Generated settings blocks mix the values stack.md has (words, numbers, quoted strings, lists,
comments) with YAML's traps (yes/no/on/off, null, ~, octal and sexagesimal numbers, dates,
floats, escapes, nesting); whatever the reader answers must equal PyYAML's answer.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.flatyaml import UNKNOWN, flat_mapping, scalar

ATOMS = ["US", "v26.0", "act_123", "swap", "yes", "No", "on", "OFF", "true", "null", "Null", "~", "0", "7", "-3",
         "+4", "007", "08", "012", "0x1F", "1_000", "1:30", "3.0", ".5", "1e3", ".inf", "2026-01-05", "=", "<<", "a b", "a  b",
         "https://x.com/a?b=c#d", "a:b", "a: b", "a:", "-x", "- x", "@x", "`x`", "&a", "*a", "!!str 5", "%x", "?x",
         "é", "a\tb", "", " ", "_", "[]", "[US]", "[US, CA]", "[US,CA]", "[yes, 7]", "[a b]", "[[a]]", "{a: 1}",
         '"25.00"', '"a # b"', '"a\\nb"', '"a"b', "'x'", "'it''s'", "'a' # c", "x # c", "x#c", "# c", "|", ">"]
KEYS = ["ad_account", "target_cpa", "on", "yes", "null", "n", "y", "_k", "Key9", "k-1", "1k", "a b"]


@st.composite
def blocks(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["pair", "pair", "pair", "comment", "blank", "indented", "list", "marker"]))
        key, value = draw(st.sampled_from(KEYS)), draw(st.sampled_from(ATOMS))
        lines.append({"pair": f"{key}: {value}", "comment": f"  # {value}", "blank": "   ",
                      "indented": f"  {key}: {value}", "list": f"- {value}", "marker": "---"}[kind]
                     + draw(st.sampled_from(["", " ", "  # note"])))
    return "\n".join(lines)


def pyyaml(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return "error"


@settings(max_examples=600, deadline=None)
@given(blocks())
def test_a_flat_block_reads_as_pyyaml_reads_it(text):
    flat = flat_mapping(text)
    if flat is not None:
        expected = pyyaml(text)
        assert flat == (expected if isinstance(expected, dict) else {}), text
        assert [type(v) for v in flat.values()] == [type(v) for v in (expected or {}).values()], text


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(ATOMS), st.sampled_from(["", " ", " # c", "#c"]))
def test_a_value_reads_as_pyyaml_reads_it(atom, tail):
    value = scalar(atom + tail)
    if value is not UNKNOWN:
        assert value == pyyaml(atom + tail) and type(value) is type(pyyaml(atom + tail)), atom + tail


def test_the_shipped_settings_block_is_read_without_pyyaml():
    """The reader is worth having: stack.md as shipped is flat (the check above can decline everything)."""
    text = (Path(__file__).parent.parent / "workspace" / "brand" / "stack.md").read_text()
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert flat_mapping(block) == yaml.safe_load(block)
    assert flat_mapping("countries: [US, CA]\nretries: 3\nlive: yes") == {"countries": ["US", "CA"], "retries": 3,
                                                                          "live": True}
    assert flat_mapping("nested:\n  a: 1") is None and scalar('"a\\tb"') is UNKNOWN
