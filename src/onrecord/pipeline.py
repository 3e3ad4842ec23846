"""The one place that knows the order of the stages.

text -> spaCy Doc (our trained pipeline) -> entities -> quotes and sources
     -> quantities -> times -> Record
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import entities as entities_stage
from . import quantities as quantities_stage
from . import quotes as quotes_stage
from . import sources as sources_stage
from . import timex as timex_stage
from .attributions import bound_span_finder
from .errors import ModelNotFoundError
from .inputs import parse_published
from .parsing import parse, parse_many
from .record import Article, Record

MODEL_DIR = Path(__file__).parent / "models" / "en_onrecord"

#: Stages after the spaCy pipeline, in order. ``extract(..., stages=...)`` may skip some.
STAGES = ("entities", "quotes", "quantities", "times")


@functools.cache
def load(path: str | None = None) -> Language:
    """Load our trained English pipeline once (cached); never downloads anything."""
    import spacy

    model = Path(path) if path else MODEL_DIR
    if not (model / "meta.json").exists():
        raise ModelNotFoundError(
            f"[E002] no trained pipeline at {model}: the package is incomplete; "
            "reinstall onrecord, or rebuild the model with `make model`"
        )
    nlp = spacy.load(model)
    bound_span_finder(nlp)  # spaCy's pairs every start with every end of the article
    return nlp


def model_meta() -> dict[str, Any]:
    meta_path = MODEL_DIR / "meta.json"
    if not meta_path.exists():
        return {}
    data: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    return data


def make_article(
    text: str,
    *,
    published: str | dt.date | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Article:
    if isinstance(published, dt.date):
        published = published.isoformat()
    text = valid_unicode(text)
    return Article(
        id=Article.make_id(text),
        text=text,
        url=valid_unicode(url) if url is not None else None,
        title=valid_unicode(title) if title is not None else None,
        published=parse_published(published, "published"),
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate (from a JSON escape such as "\\ud800"; no UTF-8
    can encode it) replaced by U+FFFD, one for one, so every offset into the text holds."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def record_from_doc(doc: Doc, article: Article, stages: Iterable[str] = STAGES) -> Record:
    """Run the stages after spaCy on a parsed document."""
    wanted = set(stages)
    entities = entities_stage.find_entities(doc) if "entities" in wanted else ()
    quotes: tuple = ()
    sources: tuple = ()
    if "quotes" in wanted:
        found = quotes_stage.find_quotes(doc)
        quotes, sources = sources_stage.attribute(doc, found, entities)
    quantities = quantities_stage.find_quantities(doc) if "quantities" in wanted else ()
    published = dt.date.fromisoformat(article.published) if article.published else None
    times = timex_stage.find_times(doc, published) if "times" in wanted else ()
    return Record(
        article=article,
        entities=tuple(entities),
        sources=tuple(sources),
        quotes=tuple(quotes),
        quantities=tuple(quantities),
        times=tuple(times),
    )


def extract(
    text: str,
    *,
    published: str | dt.date | None = None,
    url: str | None = None,
    title: str | None = None,
    stages: Iterable[str] = STAGES,
) -> Record:
    """Extract the record of one article."""
    article = make_article(text, published=published, url=url, title=title)
    return record_from_doc(parse(load(), article.text), article, stages)


def extract_many(
    articles: Iterable[Article], *, batch_size: int = 16, stages: Iterable[str] = STAGES
) -> Iterator[Record]:
    """Extract many articles, parsing them in batches (faster than one by one)."""
    nlp = load()
    stage_list = tuple(stages)
    pending = list(articles)
    docs = parse_many(nlp, (a.text for a in pending), batch_size=batch_size)
    for article, doc in zip(pending, docs, strict=True):
        yield record_from_doc(doc, article, stage_list)
