"""Shared by the audience tests: a customer CSV with real-looking people, and their raw values."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["email", "phone", "first_name", "last_name", "city", "zip", "country", "dob", "gender"]


def person(i: int) -> list[str]:
    return [f"Customer.{i:05d}@Example.com", f"+1 555 {i // 10000:03d} {i % 10000:04d}", f"Ann{chr(97 + i % 26)}",
            f"O'Neil{chr(97 + i // 26 % 26)}", "New York", "10001", "US", "1985-04-12", "F"]


def write_customers(workspace: Path, n: int, name: str = "customers.csv", bad: dict[int, tuple[int, str]] | None
                    = None) -> str:
    """``n`` people; ``bad`` maps a data row index to (column index, bad value)."""
    path = workspace / "audiences" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(n):
            row = person(i)
            if bad and i in bad:
                col, value = bad[i]
                row[col] = value
            out.writerow(row)
    return f"audiences/{name}"


def raw_values(n: int) -> list[str]:
    """Every raw email and the phone numbers' digits (as they would appear unhashed)."""
    out = []
    for i in range(n):
        row = person(i)
        out += [row[0], row[0].lower(), row[1].replace(" ", "").lstrip("+")]
    return out
