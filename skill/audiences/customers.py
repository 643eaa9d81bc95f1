"""A customer CSV → Meta's multi-key schema and rows of SHA-256 hashes; raw values stay in memory.

Headers name the keys (``email``, ``phone``, ``first_name`` …; see ``COLUMNS``). Every cell is
normalised and hashed as it is read; only hashes are kept. A bad cell is reported by row
(spreadsheet numbering: the header is row 1) and column, with the reason, never the value.
Without ``skip_bad_rows`` one bad row stops everything before anything is sent.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from skill.audiences import normalize as norm
from skill.errors import ConfigError
from skill.settings import Settings

# CSV header (lowercased, spaces/dashes as underscores) → Meta schema key
COLUMNS = {
    "email": "EMAIL", "e_mail": "EMAIL", "em": "EMAIL", "email_address": "EMAIL",
    "phone": "PHONE", "ph": "PHONE", "phone_number": "PHONE", "mobile": "PHONE", "telephone": "PHONE",
    "fn": "FN", "first_name": "FN", "firstname": "FN", "given_name": "FN",
    "ln": "LN", "last_name": "LN", "lastname": "LN", "surname": "LN", "family_name": "LN",
    "fi": "FI", "first_initial": "FI",
    "ct": "CT", "city": "CT", "town": "CT",
    "st": "ST", "state": "ST", "region": "ST", "province": "ST",
    "zip": "ZIP", "zp": "ZIP", "zip_code": "ZIP", "zipcode": "ZIP", "postcode": "ZIP", "postal_code": "ZIP",
    "country": "COUNTRY", "country_code": "COUNTRY",
    "doby": "DOBY", "birth_year": "DOBY", "year_of_birth": "DOBY",
    "dobm": "DOBM", "birth_month": "DOBM", "dobd": "DOBD", "birth_day": "DOBD",
    "dob": "DOB", "date_of_birth": "DOB", "birthday": "DOB", "birthdate": "DOB",
    "gen": "GEN", "gender": "GEN", "sex": "GEN",
    "external_id": "EXTERN_ID", "extern_id": "EXTERN_ID", "customer_id": "EXTERN_ID",
}
ORDER = ("EMAIL", "PHONE", "FN", "LN", "FI", "CT", "ST", "ZIP", "COUNTRY", "DOBY", "DOBM", "DOBD", "GEN", "EXTERN_ID")
SIMPLE: dict[str, Callable[[str], str]] = {
    "EMAIL": norm.email, "FN": norm.name, "LN": norm.name, "FI": norm.first_initial, "CT": norm.city,
    "ST": norm.state, "DOBY": norm.birth_year, "DOBM": norm.birth_month, "DOBD": norm.birth_day,
    "GEN": norm.gender, "EXTERN_ID": norm.external_id,
}
IDENTIFYING = ("EMAIL", "PHONE", "EXTERN_ID")
EMPTY = bytes(32)


class BadRow(BaseModel):
    row: int
    column: str
    reason: str

    def text(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.reason}"


@dataclass
class HashedList:
    """What leaves the CSV: the schema, hashed rows, and what was wrong. No raw value.

    Each row is kept packed, 32 bytes a key (zero bytes for an empty cell): a third of the
    memory of hex strings, so a list of a million people fits in about 400 MB.
    """

    file: str
    schema_keys: list[str]
    packed: list[bytes]
    read: int
    bad: list[BadRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.packed)

    def rows(self, start: int = 0, stop: int | None = None) -> list[list[str]]:
        """Rows ``start``..``stop`` as Meta takes them: lowercase hex, ``""`` for an empty cell."""
        width = len(self.schema_keys)
        out = []
        for row in self.packed[start:stop]:
            cells = [row[i * 32:(i + 1) * 32] for i in range(width)]
            out.append(["" if c == EMPTY else c.hex() for c in cells])
        return out

    def digest(self) -> str:
        """Identifies this list (for resuming) from its hashes alone."""
        h = hashlib.sha256("|".join(self.schema_keys).encode())
        for row in self.packed:
            h.update(row)
        return h.hexdigest()


def _header_keys(header: list[str], file: str) -> list[str]:
    keys: list[str] = []
    for col in header:
        slug = col.strip().lower().replace(" ", "_").replace("-", "_")
        key = COLUMNS.get(slug)
        if key is None:
            raise ConfigError(f"column {col!r} is not a customer field Meta matches on", file=file,
                              field=col, hint="use columns such as email, phone, first_name, last_name, city, "
                              "state, zip, country, dob, gender, external_id (or remove the column)")
        if key in keys:
            raise ConfigError(f"column {col!r} repeats the key {key}", file=file, field=col)
        keys.append(key)
    if not set(keys) & {*IDENTIFYING, "FN"}:
        raise ConfigError("no email, phone, external_id or name column: Meta cannot match anyone", file=file)
    return keys


def _schema(keys: list[str]) -> list[str]:
    expanded = {k for k in keys if k != "DOB"} | ({"DOBY", "DOBM", "DOBD"} if "DOB" in keys else set())
    return [k for k in ORDER if k in expanded]


def hash_row(cells: dict[str, str], default_country: str | None, cache: dict[tuple[str, str], str] | None = None
             ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Normalised + hashed values by key, and the (key, reason) of each bad cell.

    ``cache`` (one per file, dropped with it) remembers hashes of the repetitive keys (city,
    country, birth date, gender …), never of emails, phones or external ids."""
    out: dict[str, str] = {}
    bad: list[tuple[str, str]] = []
    row_country = default_country
    if cells.get("COUNTRY", "").strip():
        try:
            row_country = norm.country(cells["COUNTRY"])
            out["COUNTRY"] = norm.sha256(row_country)
        except norm.BadValue as exc:
            bad.append(("COUNTRY", exc.reason))
    elif default_country:
        out["COUNTRY"] = norm.sha256(default_country)
    for key, raw in cells.items():
        if key == "COUNTRY" or not raw.strip():
            continue
        memo = (key, f"{row_country}|{raw}")
        try:
            if cache is not None and key not in IDENTIFYING and memo in cache:
                hashed = cache[memo]
            else:
                hashed = _hash_cell(key, raw, row_country)
                if cache is not None and key not in IDENTIFYING:
                    cache[memo] = hashed
        except norm.BadValue as exc:
            bad.append((key, exc.reason))
            continue
        if key == "DOB":
            out.update(zip(("DOBY", "DOBM", "DOBD"), hashed.split("|"), strict=True))
        else:
            out[key] = hashed
    return out, bad


def _hash_cell(key: str, raw: str, row_country: str | None) -> str:
    if key == "PHONE":
        return norm.sha256(norm.phone(raw, row_country))
    if key == "ZIP":
        return norm.sha256(norm.zip_code(raw, row_country))
    if key == "DOB":
        return "|".join(map(norm.sha256, norm.birth_date(raw)))
    return norm.sha256(SIMPLE[key](raw))


def _identifies(values: dict[str, str]) -> bool:
    if any(k in values for k in IDENTIFYING):
        return True
    return "FN" in values and "LN" in values and bool({"ZIP", "CT", "DOBY"} & values.keys())


def read_customers(path: Path, display: str, *, default_country: str | None = None,
                   skip_bad_rows: bool = False) -> HashedList:
    """Read, normalise and hash a customer CSV. Raises ConfigError on the first bad row unless skipping."""
    try:
        country = norm.country(default_country) if default_country else None
    except norm.BadValue as exc:
        raise ConfigError(f"--country {exc.reason}", field="country") from None
    unreadable = ConfigError("cannot read the customer list as a UTF-8 CSV", file=display,
                             hint="save it again as a UTF-8 CSV with a header row")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:  # streamed: the file is never held whole
            first = fh.readline()
            fh.seek(0)
            reader = csv.reader(fh, csv.excel_tab if "\t" in first else csv.excel)
            header = next(reader, None)
            if not header:
                raise ConfigError("the customer list is empty (no header row)", file=display)
            keys = _header_keys(header, display)
            schema = _schema(keys + (["COUNTRY"] if country and "COUNTRY" not in keys else []))
            headers = dict(zip(keys, header, strict=True))
            rows, bad, read = _read_rows(reader, keys, headers, schema, country, skip_bad_rows, display)
    except (OSError, UnicodeDecodeError, csv.Error):
        raise unreadable from None
    if not rows:
        raise ConfigError("no usable customer rows", file=display)
    return HashedList(file=display, schema_keys=schema, packed=rows, read=read, bad=bad)


def _read_rows(reader: Iterator[list[str]], keys: list[str], headers: dict[str, str], schema: list[str],
               country: str | None, skip_bad_rows: bool, display: str) -> tuple[list[bytes], list[BadRow], int]:
    rows: list[bytes] = []
    bad: list[BadRow] = []
    cache: dict[tuple[str, str], str] = {}
    read = 0
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        read += 1
        problem = _row_problem(cells, keys, headers, number, country, cache)
        if isinstance(problem, BadRow):
            if not skip_bad_rows:
                raise ConfigError(problem.text(), file=display, hint="fix that row, or add --skip-bad-rows to leave "
                                  "bad rows out; nothing was uploaded")
            bad.append(problem)
            continue
        rows.append(b"".join(bytes.fromhex(problem[k]) if k in problem else EMPTY for k in schema))
    return rows, bad, read


def _row_problem(cells: list[str], keys: list[str], headers: dict[str, str], number: int,
                 country: str | None, cache: dict[tuple[str, str], str]) -> BadRow | dict[str, str]:
    if len(cells) != len(keys):
        return BadRow(row=number, column="*", reason=f"has {len(cells)} cells; the header has {len(keys)}")
    values, problems = hash_row(dict(zip(keys, cells, strict=True)), country, cache)
    if problems:
        key, reason = problems[0]
        return BadRow(row=number, column=headers.get(key, key), reason=reason)
    if not _identifies(values):
        return BadRow(row=number, column="*", reason="no email, phone or external_id (nor first + last name "
                      "with zip, city or birth year): Meta cannot match it")
    return values


def inside_workspace(settings: Settings, raw: str) -> Path:
    """A file the user named, resolved; inside the workspace or a folder allowed with --allow-folder."""
    path = settings.resolve(raw)
    problem = settings.outside_problem(path)
    if problem:
        raise ConfigError(problem, field="file")
    if not path.is_file():
        raise ConfigError(f"{raw} does not exist", field="file",
                          hint=f"paths are relative to the workspace ({settings.workspace})")
    return path.resolve()


def shown_path(settings: Settings, path: Path) -> str:
    """How a file is named in messages: relative to the workspace when it is inside it."""
    root = settings.workspace.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
