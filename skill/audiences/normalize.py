"""Meta's per-field normalisation for customer lists, then SHA-256, on this machine.

Each function takes one raw cell and returns the normalised text (to be hashed), or raises
:class:`BadValue` with a reason that never quotes the value (personal data must not reach an
error message, a log or a file). Rules, per Meta's customer-file guide:

- EMAIL: trim, lowercase; must look like ``name@domain.tld``.
- PHONE: digits only, leading zeros (and a ``00`` international prefix) dropped, with the
  country code: taken from a leading ``+``, else from the row's country (or ``--country``).
- FN, LN: lowercase, letters only (UTF-8 letters kept: accents and non-Roman scripts are
  allowed for names), no punctuation or spaces. FI: the first letter of that.
- CT: lowercase letters only, no punctuation, digits or spaces. ST: same; a US state is its
  2-letter code (full names are turned into it). ZIP: lowercase, no spaces; US: the first 5 digits; GB: area, district and
  sector (``SW1A 1AA`` → ``sw1a1``). COUNTRY: lowercase ISO 3166-1 alpha-2.
- DOBY ``YYYY`` (1900 to this year), DOBM ``MM``, DOBD ``DD``; GEN ``m`` or ``f``.
- EXTERN_ID: trimmed, then hashed too (Meta accepts hashed external ids if you are
  consistent; the Conversions API sender hashes them the same way).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
COUNTRY_NAMES = {"usa": "us", "unitedstates": "us", "unitedstatesofamerica": "us", "uk": "gb", "unitedkingdom": "gb",
                 "greatbritain": "gb", "england": "gb", "canada": "ca", "australia": "au", "germany": "de",
                 "france": "fr", "spain": "es", "italy": "it", "brazil": "br", "india": "in", "mexico": "mx",
                 "netherlands": "nl", "ireland": "ie", "newzealand": "nz"}
CALLING_CODES = {"us": "1", "ca": "1", "gb": "44", "au": "61", "de": "49", "fr": "33", "es": "34", "it": "39",
                 "br": "55", "in": "91", "mx": "52", "nl": "31", "ie": "353", "nz": "64"}
US_STATES = dict(zip("""alabama alaska arizona arkansas california colorado connecticut delaware districtofcolumbia
florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
minnesota mississippi missouri montana nebraska nevada newhampshire newjersey newmexico newyork northcarolina
northdakota ohio oklahoma oregon pennsylvania rhodeisland southcarolina southdakota tennessee texas utah vermont
virginia washington westvirginia wisconsin wyoming puertorico""".split(), """al ak az ar ca co ct de dc fl ga hi id il in
ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy pr""".split(),
                     strict=True))
GENDERS = {"m": "m", "male": "m", "man": "m", "f": "f", "female": "f", "woman": "f"}


class BadValue(ValueError):
    """A cell that cannot be normalised. ``reason`` never contains the cell's value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _letters(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.strip().lower())
    return "".join(ch for ch in text if ch.isalpha())


def email(raw: str) -> str:
    value = raw.strip().lower()
    if not EMAIL_RE.match(value):
        raise BadValue("not an email address (name@domain.tld)")
    return value


def country(raw: str) -> str:
    value = re.sub(r"[^a-z]", "", raw.strip().lower())
    value = COUNTRY_NAMES.get(value, value)
    if not re.fullmatch(r"[a-z]{2}", value):
        raise BadValue("not a 2-letter ISO country code (e.g. US, GB)")
    return value


def phone(raw: str, row_country: str | None = None) -> str:
    text = raw.strip()
    international = text.startswith(("+", "00"))
    digits = re.sub(r"\D", "", text).lstrip("0")
    if not international:
        code = CALLING_CODES.get(row_country or "")
        if code is None:
            raise BadValue("no country code: write it as +1 555 … or give the row a country")
        if not digits.startswith(code) or len(digits) <= 10:
            digits = code + digits
    if not 8 <= len(digits) <= 15:
        raise BadValue("not a phone number (8 to 15 digits with the country code)")
    return digits


def name(raw: str) -> str:
    value = _letters(raw)
    if not value:
        raise BadValue("has no letters")
    return value


def first_initial(raw: str) -> str:
    return name(raw)[0]


def city(raw: str) -> str:
    return name(raw)


def state(raw: str) -> str:
    """A US state by name becomes its 2-letter code (Meta matches US states on the code)."""
    value = name(raw)
    return US_STATES.get(value, value)


def zip_code(raw: str, row_country: str | None = None) -> str:
    value = raw.strip().lower()
    if row_country == "us" or (row_country is None and re.fullmatch(r"\d{5}(-?\d{4})?", value)):
        digits = re.sub(r"\D", "", value)
        if len(digits) < 5:
            raise BadValue("a US zip code needs 5 digits")
        return digits[:5]
    if row_country == "gb":
        parts = value.split()
        value = parts[0] + parts[1][:1] if len(parts) == 2 else (value[:-2] if len(value) >= 5 else value)
    value = re.sub(r"\s", "", value)
    if not value:
        raise BadValue("is empty after normalising")
    return value


def birth_year(raw: str) -> str:
    value = raw.strip()
    if not re.fullmatch(r"\d{4}", value) or not 1900 <= int(value) <= date.today().year:
        raise BadValue(f"not a birth year (YYYY, 1900 to {date.today().year})")
    return value


def birth_month(raw: str) -> str:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise BadValue("not a month (01 to 12)")
    return f"{int(value):02d}"


def birth_day(raw: str) -> str:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 31:
        raise BadValue("not a day of the month (01 to 31)")
    return f"{int(value):02d}"


def birth_date(raw: str) -> tuple[str, str, str]:
    """``YYYY-MM-DD`` (or ``YYYY/MM/DD``) → (DOBY, DOBM, DOBD)."""
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw.strip())
    if not match:
        raise BadValue("not a date of birth (YYYY-MM-DD)")
    return birth_year(match.group(1)), birth_month(match.group(2)), birth_day(match.group(3))


def gender(raw: str) -> str:
    value = GENDERS.get(raw.strip().lower())
    if value is None:
        raise BadValue("not a gender Meta matches on (m or f)")
    return value


def external_id(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise BadValue("is empty")
    return value
