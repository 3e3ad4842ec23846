"""The `onrecord` command line: a thin layer over the library's plain functions."""

from __future__ import annotations

from . import evaluate, extract  # noqa: F401  (each module registers its commands)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
