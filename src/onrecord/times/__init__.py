"""Time expressions: what the times stage produces and how it is shown."""

from .display import describe_time

__all__ = ["describe_time"]
