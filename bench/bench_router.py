"""Router benchmark: the grammar's accuracy on the phrasing set, and its latency per phrase.

    .venv/bin/python bench/bench_router.py [--show-held-out]

Prints accuracy on the tuned set (tests/data/phrasings.yaml, per source) and, apart, on the
held-out set (tests/data/phrasings_heldout.yaml, never tuned against), each miss, the median and p95 time to route one phrase (cold: typo cache empty;
warm: second pass), and the time to read the example workspace's vocabulary once.
No key, no network: the grammar only.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import skill.tools  # noqa: E402,F401  (registers the tools)
from phrasings import HELD_OUT, load  # noqa: E402
from skill.nl import grammar  # noqa: E402
from skill.nl.mentions import Vocabulary  # noqa: E402
from skill.nl.router import route  # noqa: E402
from skill.settings import load_settings  # noqa: E402


def timed(vocab: Vocabulary, items: list) -> tuple[list[float], list]:
    times, routes = [], []
    for p in items:
        start = time.perf_counter()
        routes.append(route(p.text, vocab, p.images, use_model=False, env={}))
        times.append((time.perf_counter() - start) * 1000)
    return times, routes


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def score(label: str, vocab: Vocabulary, items: list, show_misses: bool = True) -> tuple[list[float], list[float]]:
    grammar.correct_word.cache_clear()
    cold, routes = timed(vocab, items)
    warm, _ = timed(vocab, items)
    total, per_source, misses = Counter(), Counter(), []
    for p, r in zip(items, routes, strict=True):
        total[p.source] += 1
        problem = p.problem(r)
        if problem:
            misses.append(f"  miss: {p.text!r}: {problem}")
        else:
            per_source[p.source] += 1
    ok = sum(per_source.values())
    print(f"{label}: {len(items)} phrasings")
    print(f"{label} accuracy: {ok}/{len(items)} = {ok / len(items):.1%}")
    for source in sorted(total):
        print(f"  {source}: {per_source[source]}/{total[source]}")
    if show_misses:
        print("\n".join(misses) if misses else "  no misses")
    return cold, warm


def main() -> int:
    vocab, items = load()
    cold, warm = score("tuned", vocab, items)
    held_vocab, held = load(HELD_OUT)
    # Its misses stay hidden unless asked for (--show-held-out): reading them invites tuning.
    score("held out (never tuned against)", held_vocab, held, "--show-held-out" in sys.argv)
    print(f"latency per phrase (cold): median {statistics.median(cold):.3f} ms, p95 {p95(cold):.3f} ms, "
          f"max {max(cold):.3f} ms")
    print(f"latency per phrase (warm): median {statistics.median(warm):.3f} ms, p95 {p95(warm):.3f} ms")
    start = time.perf_counter()
    Vocabulary.from_settings(load_settings(ROOT / "workspace", env={}))
    print(f"vocabulary of the example workspace, read once: {(time.perf_counter() - start) * 1000:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
