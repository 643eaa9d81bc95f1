"""The copy document is built in plain Python: word for word what the Jinja template renders."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.copy.doc import _first_link, render_copy_doc
from skill.models import AssetFeedSpec
from skill.templating import render

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
ASSETS = st.lists(st.builds(dict, text=TEXT), max_size=3)
CTA = st.builds(dict, type=st.sampled_from(["LEARN_MORE", "SHOP_NOW", "SIGN_UP"]),
                value=st.one_of(st.none(), st.builds(dict, link=st.one_of(st.none(), TEXT))))
SPEC = st.builds(dict, bodies=ASSETS, titles=ASSETS, descriptions=ASSETS, call_to_actions=st.lists(CTA, max_size=2),
                 call_to_action_types=st.lists(st.sampled_from(["LEARN_MORE", "BUY_NOW"]), max_size=2),
                 link_urls=st.lists(st.builds(dict, website_url=TEXT), max_size=1))
MAYBE = st.one_of(st.none(), st.just(""), TEXT)


def jinja(spec: AssetFeedSpec, *, title, campaign=None, image=None, images=1, destination=None, notes=None) -> str:
    return render("copy_doc.md.j2", spec=spec, title=title, campaign=campaign, image=image, images=images,
                  destination=destination or _first_link(spec), ctas=spec.cta_types(),
                  combinations=images * len(spec.titles) * len(spec.bodies), notes=notes)


@settings(max_examples=300, deadline=None)
@given(SPEC, TEXT, MAYBE, st.one_of(MAYBE, st.sampled_from(["hero.png", "clip.MP4", "a.mov"])),
       st.integers(0, 3), MAYBE, MAYBE)
def test_the_plain_document_is_the_templates(raw, title, campaign, image, images, destination, notes):
    spec = AssetFeedSpec.model_validate(raw)
    kw = {"title": title, "campaign": campaign, "image": image, "images": images, "destination": destination,
          "notes": notes}
    assert render_copy_doc(spec, **kw) == jinja(spec, **kw)
