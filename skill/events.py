"""Progress events: how library code reports long work without printing.

A job takes ``report: Reporter`` (default ``silent``) and calls it with an ``Event``.
``cli.py`` prints ``event.message`` in text mode and drops events in ``--json`` mode
(or writes them to stderr). Tests collect them in a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """One line of progress. ``kind`` is machine-readable, ``message`` is for people."""

    kind: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


Reporter = Callable[[Event], None]


def silent(event: Event) -> None:
    """The default reporter: ignore progress."""


class Collector:
    """A reporter that keeps every event (for tests and for --json summaries)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    @property
    def lines(self) -> list[str]:
        return [e.message for e in self.events]
