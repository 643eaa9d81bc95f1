"""Parallel batches share one rate budget: the pacer driven by the sandbox's own limiter and headers.

Workers run as events on one simulated clock (no real time, no sleeps): each asks the pacer how
long to wait, "sleeps" by moving its next event, sends a batch whose operations the sandbox's
``RateLimiter`` charges one by one (refusing those over the budget, as Meta does), and gets the
usage headers the sandbox would answer with. Counted: operations refused, and the simulated
time against the floor the budget permits (target 2 of issue 18: ≤ 1.3×, ≤ 2 refusals).
"""

from __future__ import annotations

import heapq

import pytest

from skill.graph.usage import WRITE_WEIGHT, Pacer
from skill.sandbox.ratelimit import WRITE_COST, RateLimiter

ACCOUNT = "123456789"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def simulate(workers: int, batches: int, ops: int, budget: float = 150, window: float = 10,
             latency: float = 0.05) -> tuple[float, int, float]:
    """Makespan, refused operations and the floor, for ``workers`` each sending ``batches`` of ``ops`` writes."""
    clock = Clock()
    limiter = RateLimiter(clock)
    limiter.budget_override, limiter.window_override = budget, window
    pacer = Pacer(1.0, clock)
    left = {w: [ops] * batches for w in range(workers)}
    events: list[tuple[float, int, int, str, float, int]] = [(0.0, w, w, "ask", 0.0, 0) for w in range(workers)]
    seq, refused, waiting = workers, 0, []
    while events:
        at, _, worker, kind, value, since = heapq.heappop(events)
        clock.now = at
        if kind == "ask" and not pacer.ready(WRITE_WEIGHT * left[worker][0]):  # acquire would wait for an answer
            waiting.append(worker)
        elif kind == "ask":  # the client's _pace: acquire, then sleep that long
            delay, since = pacer.reserve(WRITE_WEIGHT * left[worker][0])
            heapq.heappush(events, (at + delay, seq := seq + 1, worker, "send", delay, since))
        elif kind == "send":
            pacer.waited(value, since)
            n = left[worker][0]
            done = sum(limiter.charge(ACCOUNT, WRITE_COST) is None for _ in range(n))
            refused += n - done
            heapq.heappush(events, (at + latency, seq := seq + 1, worker, "answer", float(n), 0))
            left[worker][0] = n - done  # refused operations go again in the next call
        else:  # the answer and its usage headers
            pacer.observe(limiter.headers([ACCOUNT]), weight=WRITE_WEIGHT * value)
            for other in waiting:
                heapq.heappush(events, (at, seq := seq + 1, other, "ask", 0.0, 0))
            waiting = []
            if not left[worker][0]:
                left[worker].pop(0)
            if left[worker]:
                heapq.heappush(events, (at, seq := seq + 1, worker, "ask", 0.0, 0))
    points = workers * batches * ops * WRITE_COST
    floor = max(0.0, points - budget) / (budget / window)
    assert limiter.charged == points, "every operation was charged once in the end"
    return clock.now, refused, floor


@pytest.mark.parametrize("workers", [1, 5])
def test_parallel_batches_stay_within_the_budget_near_its_floor(workers):
    makespan, refused, floor = simulate(workers, batches=20 // workers, ops=10)
    assert refused <= 2, f"{refused} operations refused with {workers} workers"
    assert makespan <= 1.3 * floor, f"{makespan:.1f} s simulated against a floor of {floor:.1f} s"


def test_the_simulation_can_fail_without_shared_reservations():
    """Each worker with its own pacer spends the same headroom: refusals follow (the check can fail)."""
    clock = Clock()
    limiter = RateLimiter(clock)
    limiter.budget_override, limiter.window_override = 150, 10
    pacers = [Pacer(1.0, clock) for _ in range(5)]
    refused = 0
    for pacer in pacers:
        pacer.observe(limiter.headers([ACCOUNT]))
    for _ in range(4):
        delays = [p.acquire(30) for p in pacers]
        clock.now += min(delays)
        for pacer in pacers:
            refused += sum(limiter.charge(ACCOUNT, WRITE_COST) is not None for _ in range(10))
            pacer.observe(limiter.headers([ACCOUNT]), weight=30)
    assert refused > 2


def test_a_wait_that_began_before_the_latest_answer_does_not_age_it():
    """A worker waking from a wait computed on an older snapshot must not make the newest one look drained."""
    clock = Clock()
    limiter = RateLimiter(clock)
    limiter.budget_override, limiter.window_override = 150, 10
    pacer = Pacer(1.0, clock)
    for _ in range(2):  # two answers of 20 writes each (40 %): what a call adds is learnt
        for _ in range(20):
            limiter.charge(ACCOUNT, WRITE_COST)
        pacer.observe(limiter.headers([ACCOUNT]), weight=20 * WRITE_WEIGHT)
    first, since = pacer.reserve(30)  # worker A: 80 % + 20 % reserved − 90 %: waits
    assert first > 0
    clock.now += 0.5
    pacer.observe(limiter.headers([ACCOUNT]), weight=WRITE_WEIGHT)  # an answer to someone else arrives meanwhile
    pacer.waited(first, since)  # A wakes up: its wait began before that answer
    projected_after = pacer.fit_s(30)
    assert projected_after is not None and projected_after > 0, "the newest snapshot is 0 s old, not `first` s"
