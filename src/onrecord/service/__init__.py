"""The web app and REST API over the corpus store (`onrecord serve`)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
