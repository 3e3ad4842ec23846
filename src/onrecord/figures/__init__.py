"""Figures (quantities): the figures stage finds them (``find_quantities``) and
``describe_quantity`` shows them in plain words."""

from .display import describe_quantity
from .quantities import find_quantities

__all__ = ["describe_quantity", "find_quantities"]
