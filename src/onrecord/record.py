"""The record: what onrecord extracts from one article.

Frozen dataclasses with character offsets into ``Article.text`` (end-exclusive).
``Record.to_dict()`` gives the versioned JSON form documented in
``docs/record-schema.md`` and validated against ``schema/record.schema.json``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: 2: ``display`` on quantities and times, ``time_id`` on quantities, quantity kind
#: ``duration`` (docs/record-schema.md, "Versions"). Version 1 records still load.
SCHEMA_VERSION = 2

EntityLabel = Literal["PERSON", "ORG", "LOC", "MISC"]
SourceKind = Literal["person", "organization", "group", "anonymous", "document"]
QuoteKind = Literal["direct", "indirect", "mixed", "scare"]
QuantityKind = Literal["money", "percent", "count", "measure", "duration"]
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
    #: The quoted words alone: the parts joined with " … ", quotation marks stripped
    #: (``text``/``start``/``end`` keep the covering span, interruptions included).
    content: str = ""


#: Quotation marks stripped from the ends of a quote's parts (single marks too, unless an
#: apostrophe: "the Joneses’" keeps it).
EDGE_MARKS = '"“”„‟«»‹›`'
EDGE_SINGLE_MARKS = "'‘’‚"
PART_SEPARATOR = " … "


def quoted_words(text: str, parts: Sequence[tuple[int, int]]) -> str:
    """A quote's ``content`` from the article text and the quote's parts: each part without
    the spaces, quotation marks and trailing comma at its ends, joined with " … "."""
    pieces = [_bare(text[start:end]) for start, end in parts]
    return PART_SEPARATOR.join(p for p in pieces if p)


def _bare(piece: str) -> str:
    previous = None
    while piece != previous:
        previous = piece
        piece = piece.strip().strip(EDGE_MARKS).rstrip(",").strip()
        if piece[:1] in EDGE_SINGLE_MARKS and piece[-1:] in EDGE_SINGLE_MARKS:
            piece = piece[1:-1]
    if _unbalanced(piece):  # a mixed quote's fragment cut at its closing mark
        piece = piece.translate(_NO_DOUBLE_MARKS)
    return piece


_NO_DOUBLE_MARKS = str.maketrans("", "", '"“”„‟')


def _unbalanced(piece: str) -> bool:
    opening = sum(piece.count(m) for m in "“„‟")
    closing = piece.count("”")
    return opening != closing or piece.count('"') % 2 == 1


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
    #: The TIMEX3 DURATION this amount of time is part of ("three years in prison": the
    #: quantity 3 years and the time P3Y); None for other kinds and for ages.
    time_id: str | None = None
    #: The value in plain words ("about 85% (down)"); computed when not given.
    display: str = ""

    def __post_init__(self) -> None:
        if not self.display:
            from .figures.display import describe_quantity  # the figures package imports us

            object.__setattr__(self, "display", describe_quantity(asdict(self)))


@dataclass(frozen=True)
class Time:
    id: str
    text: str
    start: int
    end: int
    type: TimeType
    value: str
    #: The value in plain words ("Wednesday 8 July 2020", "now"); computed when not given.
    display: str = ""

    def __post_init__(self) -> None:
        if not self.display:
            from .times.display import describe_time  # the times package imports us

            object.__setattr__(self, "display", describe_time(self.type, self.value))


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
        """The JSON form, schema_version 2 (see docs/record-schema.md)."""
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
            quotes=tuple(_quote_from(q, data["article"]["text"]) for q in data.get("quotes", [])),
            quantities=tuple(Quantity(**q) for q in data.get("quantities", [])),
            times=tuple(Time(**t) for t in data.get("times", [])),
            # read as the current version: a version 1 record gains its ``display`` values
            schema_version=SCHEMA_VERSION,
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


def _quote_from(data: dict[str, Any], text: str) -> Quote:
    cue = data.get("cue")
    speaker = data.get("speaker")
    parts = tuple(Offsets(**p) for p in data.get("parts", ()))
    content = data.get("content")
    if content is None:  # a record written before the field existed
        spans = [(p.start, p.end) for p in parts] or [(data["start"], data["end"])]
        content = quoted_words(text, spans)
    return Quote(
        **{
            **data,
            "parts": parts,
            "cue": TextSpan(**cue) if cue else None,
            "speaker": TextSpan(**speaker) if speaker else None,
            "content": content,
        }
    )
