"""Insights rows folded as they arrive: what a report keeps of them, never the rows themselves.

A report needs totals (of the period, per ad or object, per day, per breakdown value) and, for
the day-by-day checks, each ad's days. :class:`Aggregate` adds every row into those sums as
it is read, page after page, so memory grows with ads × days and breakdown values, not with
rows: a 300,000-row breakdown keeps a few hundred sums. Sums are exact (ints and Decimals,
added in place), so any page split, and the rows folded one by one or all at once, give the
same totals, to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from operator import add
from typing import Any

from skill.insights.metrics import METRIC_NAMES, Metrics, Row, metric_values, row_breakdown, row_who

Sums = list[Any]  # one number per Metrics field, in METRIC_NAMES order
INT_FIELDS = frozenset(name for name, f in Metrics.model_fields.items() if f.annotation is int)
ZEROS = tuple(0 if name in INT_FIELDS else Decimal(0) for name in METRIC_NAMES)


def zeros() -> Sums:
    return list(ZEROS)


def add_into(sums: Sums, values: Iterable[Any]) -> None:
    sums[:] = map(add, sums, values)


def to_metrics(sums: Iterable[Any]) -> Metrics:
    return Metrics(**dict(zip(METRIC_NAMES, sums, strict=True)))


class DayRow:
    """One row of an ad's day-by-day series, kept small: its dates and sums; ``metrics`` on demand."""

    __slots__ = ("date_start", "date_stop", "id", "sums")

    def __init__(self, object_id: str, date_start: str, date_stop: str, sums: Sums) -> None:
        self.id, self.date_start, self.date_stop, self.sums = object_id, date_start, date_stop, sums

    @property
    def metrics(self) -> Metrics:
        return to_metrics(self.sums)


class Aggregate:
    """The sums a report needs of one query's rows, in the order the rows came.

    ``series``: keep each row of each object as a :class:`DayRow` (the day-by-day query, one row
    per object and day); other queries keep totals only.
    """

    def __init__(self, series: bool = False) -> None:
        self.count = 0
        self.objects: dict[str, tuple[str, Sums]] = {}  # id → (name of its first row, sums), first seen first
        self.days: dict[str, Sums] = {}  # date_start → sums over objects and breakdown values
        self.slices: dict[tuple[tuple[str, str], ...], Sums] = {}  # breakdown items → sums over objects and days
        self.series: dict[str, list[DayRow]] | None = {} if series else None

    def add(self, object_id: str, name: str, date_start: str, date_stop: str,
            breakdown: tuple[tuple[str, str], ...], values: tuple[Any, ...]) -> None:
        """Fold one row in."""
        self.count += 1
        if object_id not in self.objects:
            self.objects[object_id] = (name, zeros())
        add_into(self.objects[object_id][1], values)  # the grand total is the objects' sum
        add_into(self.days.setdefault(date_start, zeros()), values)
        add_into(self.slices.setdefault(breakdown, zeros()), values)
        if self.series is not None:
            self.series.setdefault(object_id, []).append(DayRow(object_id, date_start, date_stop, list(values)))

    def add_raw(self, raw: dict[str, Any], level: str = "ad") -> None:
        """Fold in one row as Meta sends it (what ``metrics.parse_row`` would read of it)."""
        who, name = row_who(raw, level)
        self.add(who, name, str(raw.get("date_start", "")), str(raw.get("date_stop", "")),
                 tuple(row_breakdown(raw).items()), metric_values(raw))

    def add_row(self, row: Row) -> None:
        m = row.metrics
        self.add(row.id, row.name, row.date_start, row.date_stop, tuple(row.breakdown.items()),
                 tuple(getattr(m, name) for name in METRIC_NAMES))

    @classmethod
    def of(cls, rows: Iterable[Row], series: bool = False) -> Aggregate:
        """Rows already in hand (parsed), folded."""
        agg = cls(series)
        for row in rows:
            agg.add_row(row)
        return agg

    def feed(self, pages: Iterable[Iterable[dict[str, Any]]], level: str = "ad") -> Aggregate:
        """Fold in pages of raw rows as they come: each page is summed before the next is asked for."""
        for page in pages:
            for raw in page:
                self.add_raw(raw, level)
        return self

    # ------------------------------------------------------------ what reports read

    @property
    def total(self) -> Metrics:
        sums = zeros()
        for _, object_sums in self.objects.values():
            add_into(sums, object_sums)
        return to_metrics(sums)

    def per_object(self) -> Iterator[tuple[str, str, Metrics]]:
        """(id, name of its first row, its totals), in the order objects first came."""
        for object_id, (name, sums) in self.objects.items():
            yield object_id, name, to_metrics(sums)

    def object_totals(self) -> dict[str, Metrics]:
        return {object_id: to_metrics(sums) for object_id, (_, sums) in self.objects.items()}

    def per_day(self) -> dict[str, Metrics]:
        return {day: to_metrics(sums) for day, sums in self.days.items()}

    def per_slice(self) -> dict[tuple[tuple[str, str], ...], Metrics]:
        return {key: to_metrics(sums) for key, sums in self.slices.items()}

    def days_of(self, object_id: str) -> list[DayRow]:
        """One object's rows of the day-by-day query, by day."""
        rows = (self.series or {}).get(object_id, [])
        return sorted(rows, key=lambda r: r.date_start)
