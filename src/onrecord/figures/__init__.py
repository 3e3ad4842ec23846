"""Figures (quantities): what the figures stage produces and how it is shown."""

from .display import describe_quantity

__all__ = ["describe_quantity"]
