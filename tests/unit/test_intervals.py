"""The interval index answers overlap questions exactly as scanning every interval would."""

from __future__ import annotations

import random

from onrecord.intervals import Intervals


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_answers_match_a_scan_of_every_interval() -> None:
    rng = random.Random(7)
    for _ in range(300):
        spans = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 40)
            spans.append((start, start + rng.randint(0, 10)))
        index = Intervals(spans)
        for _ in range(20):
            a = rng.randint(-5, 50)
            query = (a, a + rng.randint(0, 8))
            expected = [i for i, span in enumerate(spans) if overlap(span, query)]
            assert index.overlapping(*query) == expected
            assert index.any_overlapping(*query) == bool(expected)
            assert index.any_containing(a) == any(s <= a < e for s, e in spans)
