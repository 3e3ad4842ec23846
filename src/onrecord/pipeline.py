"""The one place that knows the order of the stages.

text -> spaCy Doc (our trained pipeline) -> entities -> quotes and sources
     -> times -> quantities (amounts of time linked to their TIMEX3) -> Record
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import entities as entities_stage
from . import figures as quantities_stage
from . import quotes as quotes_stage
from . import sources as sources_stage
from . import times as timex_stage
from .attributions import bound_span_finder
from .errors import ModelNotFoundError, OnrecordError
from .inputs import parse_published
from .nlp import encoder as _encoder  # noqa: F401  (registers the onrecord_encoder factory)
from .nlp import names as _names  # noqa: F401  (registers onrecord_names_whole)
from .parsing import parse, parse_many
from .record import Article, Record

MODELS = Path(__file__).parent / "models"
#: The CNN pipeline (tagger, parser, NER, attribution span model): `fast`.
MODEL_DIR = MODELS / "en_onrecord"
#: What `accurate` adds over `fast`: the pretrained encoder and the attribution span model
#: that reads it, which replaces fast's span model.
ACCURATE_DIR = MODELS / "en_onrecord_accurate"
PIPELINES = ("accurate", "fast")
#: `--pipeline` on the command line sets this variable, so worker processes load the same.
PIPELINE_ENV = "ONRECORD_PIPELINE"

#: Stages after the spaCy pipeline, in order. ``extract(..., stages=...)`` may skip some.
STAGES = ("entities", "quotes", "quantities", "times")


class UnknownPipelineError(OnrecordError):
    """A pipeline name that is neither `accurate` nor `fast`."""


def default_pipeline() -> str:
    """`accurate` unless $ONRECORD_PIPELINE (or `--pipeline`) says otherwise; `fast` where
    the accurate pipeline is not installed."""
    name = os.environ.get(PIPELINE_ENV) or "accurate"
    if name == "accurate" and not (ACCURATE_DIR / "meta.json").exists():
        return "fast"
    return name


def use_pipeline(name: str) -> None:
    """Make `name` the default of this process and of the worker processes it starts."""
    check_pipeline(name)
    os.environ[PIPELINE_ENV] = name


def check_pipeline(name: str) -> str:
    if name not in PIPELINES:
        raise UnknownPipelineError(
            f"[E003] unknown pipeline {name!r}: choose one of {', '.join(PIPELINES)}"
        )
    return name


def load(pipeline: str | None = None, *, path: str | None = None) -> Language:
    """Load one of the English pipelines once (cached); never downloads anything.

    ``pipeline`` is `accurate` (the pretrained encoder under the attribution span model)
    or `fast` (CNNs only); by default `accurate`. ``path`` loads a pipeline directory.
    """
    if path is not None:
        return _load_dir(path)
    return _load_named(check_pipeline(pipeline or default_pipeline()))


def _bounded(nlp: Language) -> Language:
    bound_span_finder(nlp)  # spaCy's pairs every start with every end of the article
    return nlp


@functools.cache
def _load_dir(path: str) -> Language:
    import spacy

    _require(Path(path))
    return _bounded(spacy.load(path))


@functools.cache
def _load_named(name: str) -> Language:
    import spacy

    _require(MODEL_DIR)
    if name == "fast":
        return _bounded(spacy.load(MODEL_DIR))
    _require(ACCURATE_DIR)
    overlay = spacy.load(ACCURATE_DIR)
    order = _accurate_order(overlay.pipe_names)
    nlp = spacy.load(MODEL_DIR, exclude=[n for n in overlay.pipe_names if n != "onrecord_encoder"])
    for i, component in enumerate(order):
        if component in overlay.pipe_names:
            later = [n for n in order[i + 1 :] if n in nlp.pipe_names]
            nlp.add_pipe(component, source=overlay, before=later[0] if later else None)
    nlp.meta["onrecord_pipeline"] = "accurate"
    return _bounded(nlp)


def _accurate_order(overlay_names: list[str]) -> list[str]:
    """fast's component order, the overlay's components in the places of their namesakes,
    and the encoder just before the first of them (they read its vectors)."""
    order = list(model_meta("fast").get("pipeline", []))
    readers = [n for n in order if n in overlay_names]
    order.insert(order.index(readers[0]) if readers else len(order), "onrecord_encoder")
    return order


def pipeline_components(pipeline: str) -> list[str]:
    """The components a named pipeline runs, in order, read from the models' meta files
    (nothing is loaded)."""
    if check_pipeline(pipeline) == "fast":
        return list(model_meta("fast").get("pipeline", []))
    return _accurate_order(model_meta("accurate").get("pipeline", []))


def _require(model: Path) -> None:
    if not (model / "meta.json").exists():
        raise ModelNotFoundError(
            f"[E002] no trained pipeline at {model}: the package is incomplete; "
            "reinstall onrecord, or rebuild the model with `make model`"
        )


def model_meta(pipeline: str = "fast") -> dict[str, Any]:
    meta_path = (ACCURATE_DIR if pipeline == "accurate" else MODEL_DIR) / "meta.json"
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
    published = dt.date.fromisoformat(article.published) if article.published else None
    times = timex_stage.find_times(doc, published) if "times" in wanted else ()
    # after the times: an amount of time is a figure linked to its TIMEX3 DURATION
    quantities = (
        quantities_stage.find_quantities(doc, times if "times" in wanted else None)
        if "quantities" in wanted
        else ()
    )
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
    pipeline: str | None = None,
) -> Record:
    """Extract the record of one article (``pipeline``: `accurate` or `fast`)."""
    article = make_article(text, published=published, url=url, title=title)
    return record_from_doc(parse(load(pipeline), article.text), article, stages)


def extract_many(
    articles: Iterable[Article],
    *,
    batch_size: int = 16,
    stages: Iterable[str] = STAGES,
    pipeline: str | None = None,
) -> Iterator[Record]:
    """Extract many articles, parsing them in batches (faster than one by one)."""
    nlp = load(pipeline)
    stage_list = tuple(stages)
    pending = list(articles)
    docs = parse_many(nlp, (a.text for a in pending), batch_size=batch_size)
    for article, doc in zip(pending, docs, strict=True):
        yield record_from_doc(doc, article, stage_list)
