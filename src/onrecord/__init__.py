"""onrecord: who said what in the news, as a structured, searchable record.

>>> import onrecord
>>> record = onrecord.extract(text, published="2020-07-08")
>>> record.to_dict()["quotes"]
"""

from __future__ import annotations

from .errors import InputError, ModelNotFoundError, OnrecordError
from .pipeline import extract, load
from .record import (
    SCHEMA_VERSION,
    Article,
    Entity,
    Quantity,
    Quote,
    Record,
    Source,
    Time,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Entity",
    "InputError",
    "ModelNotFoundError",
    "OnrecordError",
    "Quantity",
    "Quote",
    "Record",
    "Source",
    "Time",
    "__version__",
    "extract",
    "load",
]
