"""Property tests: whatever bytes or JSON a config, spec or stack.md holds, the kit answers with a
clean ``ConfigError`` (or a result), never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill import inputs
from skill.errors import ConfigError
from skill.models import AssetFeedSpec, load_batch_config, load_model
from skill.settings import load_stack, parse_stack_text
from skill.validate import validate_copy

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=25)
keys = st.sampled_from(["campaign", "adset_id", "page_id", "destination_url", "ads", "parallel", "max_concurrent",
                        "name", "image_path", "image_paths", "asset_feed_spec_path", "titles", "bodies",
                        "descriptions", "call_to_actions", "link_urls", "text", "type", "value", "link"])
shaped = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(keys, inner, max_size=5), max_leaves=30)


def write(data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    path = folder / "file.json"
    path.write_bytes(data)
    return path


def clean(call) -> None:
    try:
        call()
    except ConfigError as exc:
        assert str(exc) and "\n" not in exc.message


@FAST
@given(st.one_of(json_values, shaped))
def test_any_batch_config_is_parsed_or_refused_cleanly(value):
    path = write(json.dumps(value).encode())
    clean(lambda: load_batch_config(path))


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_as_batch_config_are_refused_cleanly(data):
    clean(lambda: load_batch_config(write(data)))


@FAST
@given(st.one_of(json_values, shaped))
def test_any_spec_is_parsed_and_checked_or_refused_cleanly(value):
    path = write(json.dumps(value).encode())

    def run():
        spec = load_model(AssetFeedSpec, path)
        validate_copy(spec, ad="a", file=str(path))
    clean(run)


stack_lines = st.lists(st.one_of(
    st.text(max_size=40),
    st.sampled_from(["```yaml", "```", "ad_account: act_1", "ad_name_template: '{name}'", "page_id: me",
                     "target_cpa: 1e309", "- a", "key: [1, {", "&a [*a]", "? complex"]),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["ad_account", "default_adset_id", "page_id",
                                                          "ad_name_template", "destination_url", "target_cpa",
                                                          "api_version", "brand_name"]), st.text(max_size=20)),
), max_size=12)


@FAST
@given(stack_lines)
def test_any_stack_md_text_is_read_or_refused_cleanly(lines):
    text = "\n".join(lines)
    clean(lambda: parse_stack_text(text))
    root = Path(tempfile.mkdtemp(prefix="prop-ws-"))
    (root / "brand").mkdir()
    (root / "brand" / "stack.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    clean(lambda: load_stack(root))


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_stack_md_are_read_or_refused_cleanly(data):
    root = Path(tempfile.mkdtemp(prefix="prop-ws-"))
    (root / "brand").mkdir()
    (root / "brand" / "stack.md").write_bytes(data)
    clean(lambda: load_stack(root))


@FAST
@given(st.text(max_size=60))
def test_templates_are_refused_or_render_only_the_known_fields(template):
    problem = inputs.template_problem(template)
    if problem is None:  # plain substitution of the known fields, nothing evaluated
        values = {f: f[0].upper() for f in inputs.TEMPLATE_FIELDS}
        expected = template.replace("{{", "\0").replace("}}", "\1")
        for field, value in values.items():
            expected = expected.replace("{" + field + "}", value)
        expected = expected.replace("\0", "{").replace("\1", "}")
        assert inputs.render_template(template, **values) == expected


@FAST
@given(st.text(max_size=80))
def test_url_and_text_checks_never_raise(text):
    problem = inputs.url_problem(text)
    assert problem is None or "\n" not in problem
    if problem is None:
        parts = urlsplit(text)
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not any(c.isspace() for c in text)
    inputs.text_problem(text)
