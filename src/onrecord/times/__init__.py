"""Time expressions: the times stage finds and normalizes them (``find_times``) and
``describe_time`` shows a TIMEX3 value in plain words."""

from .display import describe_time
from .timex import (
    find_times,
    is_time_expression_span,
    time_index,
    time_spans,
    times_in_text,
)

__all__ = [
    "describe_time",
    "find_times",
    "is_time_expression_span",
    "time_index",
    "time_spans",
    "times_in_text",
]
