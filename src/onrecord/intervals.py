"""Half-open intervals indexed by start, for the overlap questions the stages ask.

Asking each quote "does any other quote overlap you?" by scanning a list makes a stage
quadratic in the length of the article (a 990k-character article took minutes). Sorted
starts with a running maximum of the ends answer in logarithmic time instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate


class Intervals:
    """A fixed set of (start, end) intervals, end exclusive; overlaps as ``_overlap``
    defines them: ``a.start < b.end and b.start < a.end``."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(enumerate(spans), key=lambda item: item[1][0])
        self._index = [i for i, _ in ordered]
        self._starts = [span[0] for _, span in ordered]
        self._ends = [span[1] for _, span in ordered]
        self._max_end = list(accumulate(self._ends, max))
        self._longest = max(
            (e - s for s, e in zip(self._starts, self._ends, strict=True)), default=0
        )

    def __len__(self) -> int:
        return len(self._starts)

    def any_overlapping(self, start: int, end: int) -> bool:
        """True when an interval overlaps [start, end)."""
        before = bisect.bisect_left(self._starts, end)  # the intervals starting before end
        return before > 0 and self._max_end[before - 1] > start

    def any_containing(self, point: int) -> bool:
        """True when an interval holds ``point`` (start <= point < end)."""
        upto = bisect.bisect_right(self._starts, point)
        return upto > 0 and self._max_end[upto - 1] > point

    def overlapping(self, start: int, end: int) -> list[int]:
        """Positions (in the order given) of the intervals that overlap [start, end)."""
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        return sorted(self._index[k] for k in range(first, last) if self._ends[k] > start)
