"""Calls of very different cost share one budget: small images calls, then 25-ad calls of 50 writes.

The upload's two phases (``skill/upload/phases.py``) on a simulated clock: five workers take
calls from a shared queue (as the thread pool does), the images phase ends before the ads phase
begins, the sandbox's ``RateLimiter`` charges each call's operations one by one as they run and
answers with its usage headers. Target 2 of issue 18: ≤ 2 refused operations, ≤ 1.3× the floor.
"""

from __future__ import annotations

import heapq

from skill.graph.usage import READ_WEIGHT, WRITE_WEIGHT, Pacer
from skill.sandbox.ratelimit import READ_COST, WRITE_COST, RateLimiter

ACCOUNT = "123456789"
OP_S = 0.004  # how long the sandbox takes over one operation of a batch


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Run:
    """The state of one simulated upload: clock, limiter, pacer, event queue, counts."""

    def __init__(self, workers: int, budget: float, window: float) -> None:
        self.clock = Clock()
        self.limiter = RateLimiter(self.clock)
        self.limiter.budget_override, self.limiter.window_override = budget, window
        self.pacer = Pacer(1.0, self.clock)
        self.workers, self.budget, self.window = workers, budget, window
        self.events: list[tuple[float, int, str, int, float, int]] = []
        self.seq = self.refused = 0

    def push(self, at: float, kind: str, worker: int, value: float = 0.0, since: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.events, (at, self.seq, kind, worker, value, since))

    def phase(self, calls: list[int], read: bool = False) -> None:
        """Every call (its number of writes, or reads) to its end, up to ``workers`` at once; refused operations go again."""
        queue, current, sent, waiting = list(calls), {}, {}, []
        weight = READ_WEIGHT if read else WRITE_WEIGHT
        for worker in range(min(self.workers, len(queue))):
            current[worker] = queue.pop(0)
            self.push(self.clock.now, "ask", worker)
        while self.events:
            at, _, kind, worker, value, since = heapq.heappop(self.events)
            self.clock.now = at
            if kind == "ask" and not self.pacer.ready((READ_WEIGHT if read else WRITE_WEIGHT) * current[worker]):
                waiting.append(worker)
            elif kind == "ask":
                delay, since = self.pacer.reserve(weight * current[worker])
                self.push(at + delay, "send", worker, delay, since)
            elif kind == "send":
                self.pacer.waited(value, since)
                sent[worker] = current[worker]
                self.push(at, "op", worker, float(current[worker]))
            elif kind == "op":  # one operation of the batch runs; the answer follows the last
                refused = self.limiter.charge(ACCOUNT, READ_COST if read else WRITE_COST) is not None
                self.refused += refused
                current[worker] -= not refused
                self.push(at + OP_S, "op" if value > 1 else "answer", worker, value - 1)
            else:
                self.pacer.observe(self.limiter.headers([ACCOUNT]), weight=weight * sent[worker])
                for other in waiting:
                    self.push(at, "ask", other)
                waiting = []
                if not current[worker] and queue:
                    current[worker] = queue.pop(0)
                if current[worker]:
                    self.push(at, "ask", worker)
                else:
                    del current[worker]

    def floor(self) -> float:
        return max(0.0, self.limiter.charged - self.budget) / (self.budget / self.window)


def upload(workers: int, images: int = 40, ads: int = 100) -> Run:
    """A look-up read, the images phase (calls of up to 50, spread over the workers), then calls of 25 ads."""
    run = Run(workers, budget=150, window=10)
    run.phase([1], read=True)
    size = min(50, -(-images // workers))
    run.phase([min(size, images - i) for i in range(0, images, size)])
    run.phase([2 * min(25, ads - i) for i in range(0, ads, 25)])
    assert run.limiter.charged == (images + 2 * ads) * WRITE_COST + READ_COST, "every operation was charged once in the end"
    return run


def test_small_and_large_calls_in_parallel_stay_within_the_budget():
    run = upload(workers=5)
    floor = run.floor()
    assert run.refused <= 2, f"{run.refused} operations refused"
    assert run.clock.now <= 1.3 * floor, f"{run.clock.now:.1f} s simulated against a floor of {floor:.1f} s"


def test_small_and_large_calls_one_at_a_time_stay_within_the_budget():
    run = upload(workers=1)
    assert run.refused <= 2, f"{run.refused} operations refused"
    assert run.clock.now <= 1.3 * run.floor()
