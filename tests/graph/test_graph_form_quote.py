"""Batch bodies are form-encoded by ``form_quote``: exactly what ``urllib.parse.quote_plus`` gives."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote_plus

from hypothesis import given
from hypothesis import strategies as st

from skill.graph.batch import encode_body, form_quote

ASCII = st.text(st.characters(min_codepoint=0, max_codepoint=127))


@given(st.one_of(ASCII, st.text()))
def test_form_quote_is_quote_plus(text):
    assert form_quote(text) == quote_plus(text)


@given(st.dictionaries(st.text(min_size=1), st.one_of(ASCII, st.text()), max_size=5))
def test_an_encoded_body_reads_back_as_it_was(body):
    assert dict(parse_qsl(encode_body(body), keep_blank_values=True)) == body


def test_references_stay_unescaped_for_meta_to_fill_in():
    body = encode_body({"creative": {"creative_id": "{result=cr0:$.id}"}, "name": "a & b %"})
    assert body == "creative=%7B%22creative_id%22%3A%22{result=cr0:$.id}%22%7D&name=a+%26+b+%25"
