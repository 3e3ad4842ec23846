"""The record: what onrecord extracts from one article.

Frozen dataclasses with character offsets into ``Article.text`` (end-exclusive).
``Record.to_dict()`` gives the versioned JSON form documented in
``docs/record-schema.md`` and validated against ``schema/record.schema.json``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

EntityLabel = Literal["PERSON", "ORG", "LOC", "MISC"]
SourceKind = Literal["person", "organization", "group", "anonymous"]
QuoteKind = Literal["direct", "indirect", "mixed"]
QuantityKind = Literal["money", "percent", "count", "measure"]
Change = Literal["increase", "decrease"]
Bound = Literal["lower", "upper"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True)
class Offsets:
    start: int
    end: int


@dataclass(frozen=True)
class TextSpan:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD

    @staticmethod
    def make_id(text: str) -> str:
        """A stable id from the article text, whitespace-normalized."""
        normalized = " ".join(text.split())
        return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Entity:
    id: str
    text: str
    start: int
    end: int
    label: EntityLabel
    canonical: str


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: SourceKind
    description: str | None = None
    titles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    mentions: tuple[Offsets, ...] = ()


@dataclass(frozen=True)
class Quote:
    id: str
    kind: QuoteKind
    text: str
    start: int
    end: int
    parts: tuple[Offsets, ...] = ()
    cue: TextSpan | None = None
    speaker: TextSpan | None = None
    source_id: str | None = None


@dataclass(frozen=True)
class Quantity:
    id: str
    text: str
    start: int
    end: int
    value: float
    kind: QuantityKind
    unit: str | None = None
    change: Change | None = None
    each: bool = False
    quantified: str | None = None
    approximate: bool = False
    bound: Bound | None = None
    high: float | None = None  # upper end of a range ("between 10 and 20": value 10, high 20)


@dataclass(frozen=True)
class Time:
    id: str
    text: str
    start: int
    end: int
    type: TimeType
    value: str


@dataclass(frozen=True)
class Record:
    article: Article
    entities: tuple[Entity, ...] = ()
    sources: tuple[Source, ...] = ()
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[Time, ...] = ()
    schema_version: int = field(default=SCHEMA_VERSION)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, schema_version 1 (see docs/record-schema.md)."""
        article = asdict(self.article)
        return {
            "schema_version": self.schema_version,
            "article": {k: article[k] for k in ("id", "url", "title", "published", "text")},
            "entities": [asdict(e) for e in self.entities],
            "sources": [_source_dict(s) for s in self.sources],
            "quotes": [_quote_dict(q) for q in self.quotes],
            "quantities": [asdict(q) for q in self.quantities],
            "times": [asdict(t) for t in self.times],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record from its JSON form (the inverse of ``to_dict``)."""
        return cls(
            article=Article(**data["article"]),
            entities=tuple(Entity(**e) for e in data.get("entities", [])),
            sources=tuple(_source_from(s) for s in data.get("sources", [])),
            quotes=tuple(_quote_from(q) for q in data.get("quotes", [])),
            quantities=tuple(Quantity(**q) for q in data.get("quantities", [])),
            times=tuple(Time(**t) for t in data.get("times", [])),
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )

    def source(self, source_id: str | None) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _source_dict(source: Source) -> dict[str, Any]:
    data = asdict(source)
    data["titles"] = list(source.titles)
    data["affiliations"] = list(source.affiliations)
    data["mentions"] = [asdict(m) for m in source.mentions]
    return data


def _quote_dict(quote: Quote) -> dict[str, Any]:
    data = asdict(quote)
    data["parts"] = [asdict(p) for p in quote.parts]
    return data


def _source_from(data: dict[str, Any]) -> Source:
    return Source(
        **{
            **data,
            "titles": tuple(data.get("titles", ())),
            "affiliations": tuple(data.get("affiliations", ())),
            "mentions": tuple(Offsets(**m) for m in data.get("mentions", ())),
        }
    )


def _quote_from(data: dict[str, Any]) -> Quote:
    cue = data.get("cue")
    speaker = data.get("speaker")
    return Quote(
        **{
            **data,
            "parts": tuple(Offsets(**p) for p in data.get("parts", ())),
            "cue": TextSpan(**cue) if cue else None,
            "speaker": TextSpan(**speaker) if speaker else None,
        }
    )
