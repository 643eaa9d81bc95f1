"""Meta's per-field normalisation, checked against the examples in Meta's customer-file guide."""

from __future__ import annotations

import pytest

from skill.audiences import normalize as norm
from skill.audiences.customers import hash_row

# Meta's own test vectors (custom audiences guide)
MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79"
PHONE = "1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e"


def test_meta_test_vectors():
    assert norm.sha256(norm.email("  Mary@Example.com ")) == MARY
    assert norm.sha256(norm.phone("+1 (555) 987-6543")) == PHONE
    assert norm.sha256(norm.phone("555-987-6543", "us")) == PHONE
    assert norm.sha256(norm.phone("001 555 987 6543")) == PHONE


@pytest.mark.parametrize(("func", "raw", "expected"), [
    (norm.name, "O'Brien-Smith", "obriensmith"),
    (norm.name, "  José ", "josé"),
    (norm.name, "Zoë Ann", "zoëann"),
    (norm.city, "New York", "newyork"),
    (norm.city, "St. Louis", "stlouis"),
    (norm.state, "NY", "ny"),
    (norm.state, "New York", "ny"),
    (norm.state, "Bayern", "bayern"),
    (norm.country, "US", "us"),
    (norm.country, "United Kingdom", "gb"),
    (norm.gender, "Female", "f"),
    (norm.gender, "M", "m"),
    (norm.birth_month, "4", "04"),
    (norm.birth_day, "9", "09"),
    (norm.birth_year, "1985", "1985"),
    (norm.external_id, " cust-22 ", "cust-22"),
])
def test_field_rules(func, raw, expected):
    assert func(raw) == expected


def test_zip_rules_per_country():
    assert norm.zip_code("10001-1234", "us") == "10001"
    assert norm.zip_code("10001") == "10001"
    assert norm.zip_code("SW1A 1AA", "gb") == "sw1a1"
    assert norm.zip_code("75 001", "fr") == "75001"


def test_phone_takes_the_country_code_from_the_row_and_drops_the_trunk_zero():
    assert norm.phone("07700 900123", "gb") == "447700900123"
    assert norm.phone("+44 7700 900123") == "447700900123"
    with pytest.raises(norm.BadValue, match="country code"):
        norm.phone("7700 900123")


@pytest.mark.parametrize(("func", "raw"), [
    (norm.email, "mary.example.com"), (norm.birth_year, "1850"), (norm.birth_month, "13"),
    (norm.gender, "x"), (norm.country, "Narnia"), (norm.name, "1234"),
])
def test_bad_values_are_refused_without_quoting_them(func, raw):
    with pytest.raises(norm.BadValue) as info:
        func(raw)
    assert raw not in str(info.value) and raw.lower() not in str(info.value)


def test_a_row_hashes_every_key_and_splits_a_date_of_birth():
    values, bad = hash_row({"EMAIL": "Mary@Example.com", "DOB": "1985-04-12", "COUNTRY": "us", "PHONE": "5559876543"},
                           None)
    assert not bad
    assert values["EMAIL"] == MARY and values["PHONE"] == PHONE
    assert values["DOBY"] == norm.sha256("1985") and values["DOBM"] == norm.sha256("04")
    assert values["COUNTRY"] == norm.sha256("us")
    assert all(len(v) == 64 for v in values.values())
