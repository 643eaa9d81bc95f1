"""Every copy and image rule of the product's validation table, one finding at a time."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from factories import GOOD_BODY, GOOD_SPEC, make_image
from skill.models import AssetFeedSpec
from skill.validate import CTA_TYPES, validate_copy, validate_image


def spec(**changes) -> AssetFeedSpec:
    data = copy.deepcopy(GOOD_SPEC)
    data.update(changes)
    return AssetFeedSpec.model_validate(data)


def texts(*items: str) -> list[dict[str, str]]:
    return [{"text": t} for t in items]


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def warnings(findings):
    return [f for f in findings if f.severity == "warning"]


def test_good_spec_has_no_findings():
    assert validate_copy(spec(), ad="a", file="a.json") == []


# ---------------------------------------------------------------- headlines


def test_headline_over_50_is_an_error_naming_the_headline():
    long = "This headline is way too long for mobile and will be truncated"
    found = validate_copy(spec(titles=texts(long)), ad="receipt", file="receipt.json")
    [err] = errors(found)
    assert err.message == f'Headline "{long}" exceeds 50 chars ({len(long)})'
    assert (err.ad, err.file, err.field) == ("receipt", "receipt.json", "titles[0].text")


def test_headline_between_40_and_50_is_a_warning():
    title = "A" * 45
    found = validate_copy(spec(titles=texts(title)))
    assert errors(found) == []
    assert "may be truncated on mobile" in warnings(found)[0].message


@pytest.mark.parametrize("n", [40, 50])
def test_headline_boundaries(n):
    found = validate_copy(spec(titles=texts("B" * n)))
    assert errors(found) == []
    assert bool(warnings(found)) is (n > 40)


def test_no_headline_and_too_many_headlines():
    assert "At least 1 headline" in errors(validate_copy(spec(titles=[])))[0].message
    assert "Too many titles: 6 (max 5)" in errors(validate_copy(spec(titles=texts(*["T"] * 6))))[0].message


# ---------------------------------------------------------------- bodies


def test_body_too_short_and_too_long():
    short = validate_copy(spec(bodies=texts("x" * 49)))
    assert errors(short)[0].message == "Body 1 is 49 chars; minimum is 50"
    long = validate_copy(spec(bodies=texts(GOOD_BODY, "y" * 501)))
    assert errors(long)[0].message == "Body 2 is 501 chars; maximum is 500"
    assert errors(long)[0].field == "bodies[1].text"


def test_body_boundaries_accepted():
    assert errors(validate_copy(spec(bodies=texts("x" * 50, "y" * 500)))) == []


def test_body_count_one_to_five():
    assert "At least 1 body" in errors(validate_copy(spec(bodies=[])))[0].message
    assert "Too many bodies: 6" in errors(validate_copy(spec(bodies=texts(*[GOOD_BODY] * 6))))[0].message


# ---------------------------------------------------------------- descriptions


def test_description_over_30_is_an_error():
    found = validate_copy(spec(descriptions=texts("Finally, expense tracking that works.")))
    assert "exceeds 30 chars (37)" in errors(found)[0].message


def test_missing_description_is_only_a_warning():
    found = validate_copy(spec(descriptions=[]))
    assert errors(found) == []
    assert warnings(found)[0].message == "No description (optional but recommended)"


def test_too_many_descriptions():
    assert "Too many descriptions: 6" in errors(validate_copy(spec(descriptions=texts(*["d"] * 6))))[0].message


# ---------------------------------------------------------------- CTAs


@pytest.mark.parametrize("cta", [c for c in CTA_TYPES if c not in {"SEE_MENU", "SEND_MESSAGE"}])
def test_every_current_cta_is_accepted(cta):
    assert validate_copy(spec(call_to_actions=[{"type": cta}])) == []


@pytest.mark.parametrize("cta,hint", [("SEE_MENU", "no longer lists"), ("SEND_MESSAGE", "MESSAGE_PAGE")])
def test_ctas_missing_from_v26_are_warned_about(cta, hint):
    found = validate_copy(spec(call_to_actions=[{"type": cta}]))
    assert errors(found) == []
    assert hint in warnings(found)[0].message


def test_unknown_cta_is_an_error_listing_the_valid_ones():
    [err] = errors(validate_copy(spec(call_to_actions=[{"type": "CLICK_HERE"}])))
    assert "'CLICK_HERE' is not valid" in err.message and "LEARN_MORE" in err.message


def test_cta_types_field_counts_too():
    found = validate_copy(spec(call_to_actions=[], call_to_action_types=["SHOP_NOW", "NOPE"]))
    assert "'NOPE' is not valid" in errors(found)[0].message


def test_missing_and_too_many_ctas():
    assert "No call to action" in errors(validate_copy(spec(call_to_actions=[])))[0].message
    six = [{"type": t} for t in CTA_TYPES[:6]]
    assert "Too many call to actions: 6" in errors(validate_copy(spec(call_to_actions=six)))[0].message


def test_unknown_key_is_reported_not_dropped():
    found = validate_copy(spec(headlines=texts("oops")))
    assert [w.message for w in warnings(found)] == ["Unknown key 'headlines' (ignored)"]


# ---------------------------------------------------------------- images


def test_good_images_in_every_ratio(tmp_path: Path):
    for i, size in enumerate([(1080, 1080), (1080, 1350), (1920, 1080), (1080, 1920), (600, 600)]):
        found, info = validate_image(make_image(tmp_path / f"{i}.png", size, "PNG"))
        assert found == [] and info is not None and info.aspect is not None


def test_image_not_found(tmp_path: Path):
    missing = tmp_path / "nope.jpg"
    [err], info = validate_image(missing, ad="a", field="ads[0].image_path")
    assert err.message == f"Image not found: {missing}" and info is None
    assert err.field == "ads[0].image_path"


def test_gif_renamed_to_jpg_is_rejected_by_content(tmp_path: Path):
    fake = make_image(tmp_path / "photo.jpg", (1080, 1080), "GIF")
    [err], _ = validate_image(fake)
    assert err.message.startswith("Format not supported: GIF")


def test_corrupt_image(tmp_path: Path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    [err], _ = validate_image(bad)
    assert err.message.startswith("Format not supported")


def test_too_small_and_wrong_ratio(tmp_path: Path):
    found, _ = validate_image(make_image(tmp_path / "s.png", (500, 500), "PNG"))
    assert [f.message for f in found] == ["Image too small: 500x500 (min 600x600)"]
    found, _ = validate_image(make_image(tmp_path / "r.png", (1200, 700), "PNG"))
    assert found[0].message.startswith("Unsupported aspect ratio: 1200x700")


def test_ratio_tolerance(tmp_path: Path):
    assert validate_image(make_image(tmp_path / "a.png", (1079, 1350), "PNG"))[0] == []
    assert validate_image(make_image(tmp_path / "b.png", (1000, 1300), "PNG"))[0] != []


def test_image_too_large(tmp_path: Path):
    big = make_image(tmp_path / "big.png", (1080, 1080), "PNG")
    with big.open("ab") as fh:  # pad past 30 MB without decoding anything
        fh.truncate(31 * 1024 * 1024)
    found, _ = validate_image(big)
    assert any(f.message.startswith("Image too large: 31.0 MB") for f in found)
