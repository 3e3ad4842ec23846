"""The sources stage; it lives in ``onrecord.attribution.sources`` (kept importable here)."""

from .attribution.sources import attribute

__all__ = ["attribute"]
