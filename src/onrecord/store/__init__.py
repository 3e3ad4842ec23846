"""The corpus store: articles and everything extracted from them, on SQLite or PostgreSQL.

>>> from onrecord.store import open_store, QuoteQuery
>>> store = open_store("sqlite:///corpus.db")
>>> store.add_record(record, outlet="Example Wire")
'added'
>>> store.search_quotes(QuoteQuery(text="border", anonymous=False)).items

The schema, the identity rule for sources and the views are documented in docs/store.md.
"""

from __future__ import annotations

from .core import EXPORTS, MARK_END, MARK_START, Page, QuoteQuery, Store, open_store
from .db import DEFAULT_URL, StoreError, StoreUnavailable, is_postgres

__all__ = [
    "DEFAULT_URL",
    "EXPORTS",
    "MARK_END",
    "MARK_START",
    "Page",
    "QuoteQuery",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "is_postgres",
    "open_store",
]
