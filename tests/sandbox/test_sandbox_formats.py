"""The sandbox's creative formats over HTTP: link_data, placement rules, Advantage+ features,
expired image hashes, policy rejections and previews, each with Meta's error shape."""

from __future__ import annotations

import html

from support import SANDBOX_ACCOUNT, SANDBOX_PAGE, feed_spec, png_bytes

LINK = "https://yoursite.com/summer-sale"


def link_story(image_hash: str, **link: object) -> dict:
    data = {"image_hash": image_hash, "link": LINK, "message": "Snap receipts all summer long with the app.",
            "name": "Never Lose a Receipt", "call_to_action": {"type": "BOOK_NOW", "value": {"link": LINK}}}
    data.update(link)
    return {"page_id": SANDBOX_PAGE, "link_data": data}


def error_of(r) -> dict:
    assert r.status_code == 400, r.text
    return r.json()["error"]


def test_a_single_image_link_data_creative_is_created_and_read_back(graph):
    h = graph.upload_image(png_bytes())
    r = graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", name="single", object_story_spec=link_story(h))
    assert r.status_code == 200, r.text
    got = graph.get(r.json()["id"], fields="object_story_spec").json()
    assert got["object_story_spec"]["link_data"]["image_hash"] == h


def test_link_data_needs_a_link_and_a_current_cta(graph):
    h = graph.upload_image(png_bytes())
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec=link_story(h, link="ftp://x")))
    assert err["code"] == 100 and "link_data.link" in err["error_user_msg"]
    bad_cta = {"type": "SEE_MENU", "value": {"link": LINK}}
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec=link_story(h, call_to_action=bad_cta)))
    assert err["error_subcode"] == 1487195 and "SEE_MENU" in err["error_user_msg"]


def placement_feed(feed_hash: str, story_hash: str, **overrides: object) -> dict:
    spec = feed_spec(feed_hash, images=[{"hash": feed_hash, "adlabels": [{"name": "feed_image"}]},
                                        {"hash": story_hash, "adlabels": [{"name": "stories_image"}]}],
                     asset_customization_rules=[
                         {"customization_spec": {"publisher_platforms": ["instagram"], "instagram_positions": ["story"]},
                          "image_label": {"name": "stories_image"}, "priority": 1},
                         {"customization_spec": {"publisher_platforms": ["facebook"], "facebook_positions": ["feed"]},
                          "image_label": {"name": "feed_image"}, "priority": 2}],
                     optimization_type="PLACEMENT")
    spec.update(overrides)
    return spec


def test_placement_rules_are_checked(graph):
    feed, story = graph.upload_image(png_bytes(seed=1)), graph.upload_image(png_bytes((1080, 1920), seed=2), "s.png")
    ok = graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                    asset_feed_spec=placement_feed(feed, story))
    assert ok.status_code == 200, ok.text
    spec = placement_feed(feed, story)
    one = spec["asset_customization_rules"][:1]
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                              asset_feed_spec={**spec, "asset_customization_rules": one}))
    assert "at least two rules" in err["error_user_msg"]
    spec["asset_customization_rules"][0]["image_label"] = {"name": "nope"}
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                              asset_feed_spec=spec))
    assert err["error_user_title"] == "Unknown Asset Label"
    two = placement_feed(feed, story, descriptions=[{"text": "One."}, {"text": "Two."}])
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                              asset_feed_spec=two))
    assert err["error_user_title"] == "Too Many Descriptions"
    spec = placement_feed(feed, story)
    spec["asset_customization_rules"][0]["customization_spec"]["instagram_positions"] = ["billboard"]
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                              asset_feed_spec=spec))
    assert "'billboard'" in err["error_user_msg"]


def test_creative_features_need_an_enroll_status_and_no_bundle(graph):
    h = graph.upload_image(png_bytes())
    good = {"creative_features_spec": {"image_touchups": {"enroll_status": "OPT_IN"}}}
    assert graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                      asset_feed_spec=feed_spec(h), degrees_of_freedom_spec=good).status_code == 200
    for bad in ({"creative_features_spec": {"image_touchups": {}}},
                {"creative_features_spec": {"standard_enhancements": {"enroll_status": "OPT_IN"}}}):
        err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                                  asset_feed_spec=feed_spec(h), degrees_of_freedom_spec=bad))
        assert err["error_subcode"] == 3858082


def test_an_expired_hash_is_refused_until_the_image_is_uploaded_again(graph, sandbox):
    data = png_bytes(seed=4)
    h = graph.upload_image(data)
    sandbox.configure(expired_hashes=[h])
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                              asset_feed_spec=feed_spec(h)))
    assert err["error_subcode"] == 1487212 and "expired" in err["error_user_msg"]
    assert graph.upload_image(data) == h
    assert graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec={"page_id": SANDBOX_PAGE},
                      asset_feed_spec=feed_spec(h)).status_code == 200


def test_policy_words_give_a_policy_rejection(graph, sandbox):
    sandbox.configure(policy_words=["guaranteed"])
    h = graph.upload_image(png_bytes())
    err = error_of(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec=link_story(
        h, message="Guaranteed refunds on every receipt, all summer long.")))
    assert err["code"] == 100 and err["error_subcode"] == 1487301 and "Advertising Policies" in err["error_user_msg"]


def test_previews_render_locally_for_creatives_and_ads(graph):
    h = graph.upload_image(png_bytes())
    creative = graph.create_creative(h)
    ad = graph.create_ad(creative)
    r = graph.get(f"{creative}/previews", ad_format="INSTAGRAM_STORY")
    body = r.json()["data"][0]["body"]
    assert body.startswith("<iframe srcdoc=") and 'height="570"' in body
    page = html.unescape(body.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert "Never Lose a Receipt Again" in page and "Snapbook" in page and h in page
    assert graph.get(f"{ad}/previews", ad_format="MOBILE_FEED_STANDARD").status_code == 200
    err = error_of(graph.get(f"{creative}/previews", ad_format="BILLBOARD"))
    assert err["code"] == 100
    assert error_of(graph.get(f"{creative}/previews"))["code"] == 100
