"""Images, creatives and ads over real HTTP, with Meta's request and response shapes."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from skill.sandbox import Sandbox
from support import (
    SANDBOX_ACCOUNT,
    SANDBOX_ADSET,
    SANDBOX_TOKEN,
    Graph,
    creative_params,
    feed_spec,
    png_bytes,
)


def user_error(r: requests.Response, subcode: int | None = None) -> dict:
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == 100 and error["message"] and error["fbtrace_id"]
    if subcode is not None:
        assert error["error_subcode"] == subcode
    return error


# ---------------------------------------------------------------- images


def test_image_upload_multipart_any_part_name(graph: Graph) -> None:
    data = png_bytes((1080, 1350))
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", files={"whatever": ("receipt.png", data)})
    images = r.json()["images"]
    assert list(images) == ["receipt.png"]
    info = images["receipt.png"]
    assert info["hash"] == hashlib.md5(data).hexdigest()
    assert (info["width"], info["height"]) == (1080, 1350)
    assert info["url"].startswith("https://")


def test_image_upload_filename_field_names_the_key(graph: Graph) -> None:
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("x.jpg", png_bytes(fmt="JPEG"))},
                   filename="hero-v1.jpg")
    assert list(r.json()["images"]) == ["hero-v1.jpg"]


def test_image_upload_bytes_base64(graph: Graph) -> None:
    data = png_bytes((600, 600), seed=3)
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", bytes=base64.b64encode(data).decode())
    assert r.json()["images"]["bytes"]["hash"] == hashlib.md5(data).hexdigest()
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", bytes=base64.b64encode(data).decode(), name="sq.png")
    assert r.json()["images"]["sq.png"]["width"] == 600


def test_same_bytes_same_hash_stored_once(sandbox: Sandbox, graph: Graph) -> None:
    data = png_bytes()
    first = graph.upload_image(data, "a.png")
    second = graph.upload_image(data, "b.png")
    assert first == second
    assert len(sandbox.state_dump()["images"]) == 1


def test_not_an_image_is_rejected(graph: Graph) -> None:
    r = graph.post(f"{SANDBOX_ACCOUNT}/adimages", files={"source": ("a.png", b"not an image")})
    error = user_error(r, 1487264)
    assert error["error_user_title"] == "Invalid Image"
    user_error(graph.post(f"{SANDBOX_ACCOUNT}/adimages"))


def test_image_lookup_by_hashes(graph: Graph) -> None:
    known = graph.upload_image(png_bytes(seed=1), "one.png")
    graph.upload_image(png_bytes(seed=2), "two.png")
    r = graph.get(f"{SANDBOX_ACCOUNT}/adimages", hashes=[known, "0" * 32])
    data = r.json()["data"]
    assert [d["hash"] for d in data] == [known]
    assert data[0]["id"] == f"{SANDBOX_ACCOUNT}:{known}"
    assert {"hash", "name", "width", "height", "url", "id"} <= data[0].keys()
    assert graph.get(f"{SANDBOX_ACCOUNT}:{known}", fields="hash,name").json()["name"] == "one.png"
    assert len(graph.get(f"{SANDBOX_ACCOUNT}/adimages").json()["data"]) == 2
    user_error(graph.get(f"{SANDBOX_ACCOUNT}/adimages", hashes='"abc"'))


def test_image_listing_pages(graph: Graph) -> None:
    for seed in range(5):
        graph.upload_image(png_bytes(seed=seed + 1, size=(100, 100)), f"{seed}.png")
    first = graph.get(f"{SANDBOX_ACCOUNT}/adimages", limit=2).json()
    assert len(first["data"]) == 2 and "next" in first["paging"]
    seen = [d["hash"] for d in first["data"]]
    url = first["paging"]["next"]
    while url:
        body = graph.session.get(url).json()
        seen += [d["hash"] for d in body["data"]]
        url = body.get("paging", {}).get("next")
    assert len(set(seen)) == 5


# ---------------------------------------------------------------- creatives


def test_creative_form_encoded_and_stored(sandbox: Sandbox, graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    creative_id = graph.create_creative(image)
    assert creative_id.isdigit() and len(creative_id) >= 15
    stored = sandbox.state_dump()["creatives"][creative_id]
    assert stored["asset_feed_spec"]["images"] == [{"hash": image}]
    assert stored["object_story_spec"] == {"page_id": "123456789"}
    read = graph.get(creative_id, fields="name,status,asset_feed_spec,object_story_spec").json()
    assert read["name"] == "summer-sale-2026 - hero" and read["status"] == "ACTIVE"
    assert read["asset_feed_spec"]["call_to_action_types"] == ["SHOP_NOW"]


def test_creative_json_body(sandbox: Sandbox, graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    r = graph.session.post(f"{graph.base}/{SANDBOX_ACCOUNT}/adcreatives", json=creative_params(image))
    assert r.status_code == 200 and r.json()["id"] in sandbox.state_dump()["creatives"]


def test_creative_with_link_data_image_hash(graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    story = {"page_id": "123456789", "link_data": {"image_hash": image, "link": "https://x.com",
                                                   "call_to_action": {"type": "LEARN_MORE"}}}
    assert graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec=story).status_code == 200
    story["link_data"].pop("image_hash")
    user_error(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", object_story_spec=story), 1487212)


@pytest.mark.parametrize("cta", ["SEE_MENU", "SEND_MESSAGE", "click here"])
def test_creative_rejects_ctas_meta_does_not_list(graph: Graph, cta: str) -> None:
    image = graph.upload_image(png_bytes())
    params = creative_params(image, asset_feed_spec=feed_spec(image, call_to_action_types=[cta]))
    error = user_error(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **params), 1487195)
    assert error["error_user_title"] == "Invalid Call-To-Action Type"
    assert cta in error["error_user_msg"] and "call_to_action_types" in error["error_user_msg"]


@pytest.mark.parametrize("cta", ["LEARN_MORE", "SHOP_NOW", "SIGN_UP", "BOOK_TRAVEL", "GET_QUOTE", "APPLY_NOW",
                                 "CONTACT_US", "GET_DIRECTIONS", "ORDER_NOW", "REQUEST_TIME", "BUY_TICKETS",
                                 "CALL_NOW", "MESSAGE_PAGE", "WATCH_MORE", "SUBSCRIBE", "DOWNLOAD", "GET_OFFER"])
def test_creative_accepts_current_ctas(graph: Graph, cta: str) -> None:
    image = graph.upload_image(png_bytes())
    feed = feed_spec(image, call_to_action_types=[], call_to_actions=[{"type": cta, "value": {"link": "https://x"}}])
    assert graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **creative_params(image, asset_feed_spec=feed)).ok


def _feed_error(graph: Graph, image: str, **overrides) -> dict:
    params = creative_params(image, asset_feed_spec=feed_spec(image, **overrides))
    return user_error(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **params))


def test_creative_limits_name_the_field(graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    cases = {
        "images": [{"hash": image}] * 11, "bodies": [{"text": "b"}] * 6, "titles": [{"text": "t"}] * 6,
        "descriptions": [{"text": "d"}] * 6, "link_urls": [{"website_url": "https://x.com"}] * 6,
        "call_to_action_types": ["SHOP_NOW"] * 6,
    }
    for key, value in cases.items():
        error = _feed_error(graph, image, **{key: value})
        assert error["error_subcode"] == 1885474 and f"asset_feed_spec.{key}" in error["error_user_msg"]
        assert error["error_user_title"] == "Too Many Assets"


def test_creative_required_fields(graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    error = _feed_error(graph, image, link_urls=[])
    assert error["error_subcode"] == 1885475 and "link_urls" in error["error_user_msg"]
    error = _feed_error(graph, image, ad_formats=[])
    assert "ad_formats" in error["error_user_msg"]
    error = _feed_error(graph, image, ad_formats=["HOLOGRAM"])
    assert "HOLOGRAM" in error["error_user_msg"]
    error = _feed_error(graph, image, images=[])
    assert error["error_subcode"] == 1487212 and error["error_user_title"] == "Missing Image"
    error = _feed_error(graph, image, bodies=[{"text": ""}])
    assert "bodies[0]" in error["error_user_msg"]


def test_creative_unknown_image_hash(graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    error = _feed_error(graph, image, images=[{"hash": image}, {"hash": "f" * 32}])
    assert error["error_subcode"] == 1487242 and "f" * 32 in error["error_user_msg"]


def test_creative_page_checks(graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    r = graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **creative_params(image, object_story_spec={}))
    assert "page_id" in user_error(r, 1487198)["error_user_msg"]
    r = graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **creative_params(image, object_story_spec={"page_id": "42"}))
    assert user_error(r, 1487198)["error_user_title"] == "Invalid Page"
    params = creative_params(image)
    params.pop("object_story_spec")
    assert "object_story_spec" in user_error(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **params))["message"]
    bad_json = dict(creative_params(image), asset_feed_spec="{not json")
    user_error(graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", **bad_json))


# ---------------------------------------------------------------- ads


def test_create_ad_and_read_it(sandbox: Sandbox, graph: Graph) -> None:
    image = graph.upload_image(png_bytes())
    creative_id = graph.create_creative(image)
    ad_id = graph.create_ad(creative_id, name="summer-sale-2026 - hero-notes-app")
    ad = graph.get(ad_id, fields="id,name,status,effective_status,adset_id,campaign_id,creative").json()
    assert ad == {"id": ad_id, "name": "summer-sale-2026 - hero-notes-app", "status": "PAUSED",
                  "effective_status": "PAUSED", "adset_id": SANDBOX_ADSET, "campaign_id": "23846000000001",
                  "creative": {"id": creative_id}}
    assert graph.get(ad_id).json() == {"id": ad_id}
    expanded = graph.get(ad_id, fields="creative{id,asset_feed_spec}").json()
    assert expanded["creative"]["asset_feed_spec"]["images"] == [{"hash": image}]


def test_create_ad_json_body_creative_object(graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    r = graph.session.post(f"{graph.base}/{SANDBOX_ACCOUNT}/ads", json={
        "name": "json ad", "adset_id": SANDBOX_ADSET, "creative": {"creative_id": creative_id}, "status": "PAUSED"})
    assert r.status_code == 200 and r.json()["id"].isdigit()


def test_create_ad_errors(graph: Graph) -> None:
    creative_id = graph.create_creative(graph.upload_image(png_bytes()))
    base = {"name": "x", "adset_id": SANDBOX_ADSET, "creative": {"creative_id": creative_id}, "status": "PAUSED"}
    error = user_error(graph.post(f"{SANDBOX_ACCOUNT}/ads", **dict(base, adset_id="123")), 1487472)
    assert "adset_id" in error["error_user_msg"]
    error = user_error(graph.post(f"{SANDBOX_ACCOUNT}/ads", **dict(base, creative={"creative_id": "999"})), 1487473)
    assert "creative_id" in error["error_user_msg"]
    for status in ("ARCHIVED", "DELETED", "paused", "RUNNING"):
        error = user_error(graph.post(f"{SANDBOX_ACCOUNT}/ads", **dict(base, status=status)))
        assert "status" in error["message"]
    for missing in ("name", "adset_id", "creative"):
        params = {k: v for k, v in base.items() if k != missing}
        assert missing in user_error(graph.post(f"{SANDBOX_ACCOUNT}/ads", **params))["message"]


def test_update_status_and_name(sandbox: Sandbox, graph: Graph) -> None:
    ad_id = graph.make_ad()
    assert graph.post(ad_id, status="ACTIVE").json() == {"success": True}
    assert graph.get(ad_id, fields="status,effective_status").json()["effective_status"] == "ACTIVE"
    assert graph.post(ad_id, name="renamed").json() == {"success": True}
    assert sandbox.state_dump()["ads"][ad_id]["name"] == "renamed"
    user_error(graph.post(ad_id, status="RUNNING"))
    assert graph.post(SANDBOX_ADSET, status="PAUSED").json() == {"success": True}
    assert graph.get(ad_id, fields="effective_status").json()["effective_status"] == "ADSET_PAUSED"
    assert graph.post("23846000000001", name="summer-sale-2026 (renamed)").json() == {"success": True}
    creative_id = sandbox.state_dump()["ads"][ad_id]["creative"]["id"]
    assert graph.post(creative_id, name="new creative name").json() == {"success": True}


def test_delete_ad_hides_it_from_listings(graph: Graph) -> None:
    ad_id = graph.make_ad()
    assert graph.delete(ad_id).json() == {"success": True}
    assert graph.get(f"{SANDBOX_ADSET}/ads").json()["data"] == []
    listed = graph.get(f"{SANDBOX_ADSET}/ads", effective_status=["DELETED"]).json()["data"]
    assert [a["id"] for a in listed] == [ad_id]


def _ads(graph: Graph, n: int) -> list[str]:
    return [graph.make_ad(name=f"summer-sale-2026 - ad-{i}", seed=i + 1) for i in range(n)]


def test_list_ads_filtering(graph: Graph) -> None:
    _ads(graph, 3)
    equal = [{"field": "name", "operator": "EQUAL", "value": "summer-sale-2026 - ad-1"}]
    data = graph.get(f"{SANDBOX_ACCOUNT}/ads", fields="id,name,status", filtering=equal).json()["data"]
    assert [d["name"] for d in data] == ["summer-sale-2026 - ad-1"] and data[0]["status"] == "PAUSED"
    contain = [{"field": "ad.name", "operator": "CONTAIN", "value": "AD-"}]
    assert len(graph.get(f"{SANDBOX_ADSET}/ads", filtering=contain).json()["data"]) == 3
    none = [{"field": "name", "operator": "EQUAL", "value": "nope"}]
    assert graph.get(f"{SANDBOX_ACCOUNT}/ads", filtering=none).json() == {"data": []}
    bad = [{"field": "name", "operator": "LIKE", "value": "x"}]
    user_error(graph.get(f"{SANDBOX_ACCOUNT}/ads", filtering=bad))
    assert len(graph.get("23846000000001/ads").json()["data"]) == 3
    assert graph.get("23847000000002/ads").json()["data"] == []


def test_list_ads_cursor_paging(graph: Graph) -> None:
    ids = set(_ads(graph, 5))
    first = graph.get(f"{SANDBOX_ADSET}/ads", fields="id,name", limit=2).json()
    cursors = first["paging"]["cursors"]
    assert {"before", "after"} <= cursors.keys() and len(first["data"]) == 2
    next_url = first["paging"]["next"]
    assert SANDBOX_TOKEN not in next_url and "access_token" not in next_url
    assert parse_qs(urlsplit(next_url).query)["fields"] == ["id,name"]
    seen = [d["id"] for d in first["data"]]
    second = graph.session.get(next_url).json()
    seen += [d["id"] for d in second["data"]]
    third = graph.get(f"{SANDBOX_ADSET}/ads", limit=2, after=second["paging"]["cursors"]["after"]).json()
    seen += [d["id"] for d in third["data"]]
    assert set(seen) == ids and len(seen) == 5
    assert "next" not in third["paging"]
    back = graph.get(f"{SANDBOX_ADSET}/ads", limit=2, before=third["paging"]["cursors"]["before"]).json()
    assert [d["id"] for d in back["data"]] == [d["id"] for d in second["data"]]


def test_adsets_and_campaigns_listings(graph: Graph) -> None:
    adsets = graph.get(f"{SANDBOX_ACCOUNT}/adsets", fields="id,name,daily_budget").json()["data"]
    assert {a["id"] for a in adsets} == {"23847000000001", "23847000000002"}
    campaigns = graph.get(f"{SANDBOX_ACCOUNT}/campaigns", fields="name,objective,status").json()["data"]
    assert {c["name"] for c in campaigns} == {"summer-sale-2026", "evergreen-leads"}
    under = graph.get("23846000000001/adsets", fields="name").json()["data"]
    assert under == [{"id": "23847000000001", "name": "summer-sale-2026 - broad"}]
    creatives = graph.get(f"{SANDBOX_ACCOUNT}/adcreatives").json()["data"]
    assert creatives == []


def test_version_inside_relative_paths_and_json_strings(graph: Graph) -> None:
    r = graph.get(f"{SANDBOX_ACCOUNT}/ads", filtering=json.dumps([]), fields="id")
    assert r.status_code == 200


def test_concurrent_writes_get_unique_ids(sandbox: Sandbox, graph: Graph) -> None:
    from concurrent.futures import ThreadPoolExecutor

    creative_id = graph.create_creative(graph.upload_image(png_bytes()))

    def create(i: int) -> str:
        return Graph(sandbox).create_ad(creative_id, name=f"parallel {i}")

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(create, range(24)))
    assert len(set(ids)) == 24
    assert len(sandbox.state_dump()["ads"]) == 24
