"""Named-entity evaluation on CoNLL files: token in the first column, IOB/IOB2 tag last;
or Universal NER `.iob2` files (index, token, tag, ...; `#` comment lines, `# newdoc`).

Gold tokenization and gold sentence boundaries are kept (the model tags the given tokens,
and no entity crosses a gold sentence start), as in the CoNLL-2003 shared task; scores
are exact-span micro precision/recall/F1 over the labels the gold file uses (PERSON, ORG,
LOC, MISC for CoNLL; PERSON, ORG, LOC for Universal NER, where predicted MISC entities are
left out).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..entities import LABELS
from ..errors import DataError
from .metrics import PRF

Sentence = tuple[list[str], list[str]]


@dataclass(frozen=True)
class GoldDoc:
    words: list[str]
    spans: set[tuple[int, int, str]]
    #: True where a gold sentence starts: entities are scored within sentences, as in the
    #: CoNLL shared task, so names of consecutive sentences are never joined into one
    sent_starts: list[bool | int | None]


def read_conll(path: Path) -> list[list[Sentence]]:
    """Documents (split at -DOCSTART-) of sentences (words, tags)."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    docs: list[list[Sentence]] = [[]]
    words: list[str] = []
    tags: list[str] = []
    text = path.read_text(encoding="utf-8")
    universal = path.suffix == ".iob2" or text.startswith("# ")
    for lineno, line in enumerate(text.splitlines(), 1):
        if universal and line.startswith("#"):
            if line.startswith("# newdoc") and docs[-1]:
                docs.append([])
            continue
        fields = line.split("\t") if universal and line else line.split()
        if universal and fields:
            fields = fields[1:3]  # index, token, tag, ...
        if not fields:
            if words:
                docs[-1].append((words, tags))
                words, tags = [], []
            continue
        if fields[0] == "-DOCSTART-":
            if docs[-1]:
                docs.append([])
            continue
        if len(fields) < 2:
            raise DataError(f"{path}:{lineno}: expected a token and a tag, got {line!r}")
        words.append(fields[0])
        tags.append(fields[-1])
    if words:
        docs[-1].append((words, tags))
    docs = [d for d in docs if d]
    if not docs:
        raise DataError(f"{path}: no sentences found")
    return docs


def tags_to_spans(tags: list[str], offset: int = 0) -> set[tuple[int, int, str]]:
    """Entity spans from IOB1 or IOB2 tags (an I- after O or another type opens an entity)."""
    spans = set()
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and label == kind and start is not None
        if start is not None and not continues:
            spans.add((offset + start, offset + i, LABELS.get(label or "", label or "")))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def gold_docs(path: Path, sentences_per_doc: int = 10) -> Iterator[GoldDoc]:
    for document in read_conll(path):
        for i in range(0, len(document), sentences_per_doc):
            words: list[str] = []
            spans: set[tuple[int, int, str]] = set()
            starts: list[bool | int | None] = []
            for sent_words, sent_tags in document[i : i + sentences_per_doc]:
                spans |= tags_to_spans(sent_tags, len(words))
                words.extend(sent_words)
                starts.extend([True] + [False] * (len(sent_words) - 1))
            yield GoldDoc(words, spans, starts)


def evaluate_ner(nlp: Language, path: Path, *, whole_pipeline: bool = True) -> dict[str, Any]:
    """Entity F1 against a CoNLL file. ``whole_pipeline``: every component up to the last one
    that sets entities runs, as in `extract` (the NER and what corrects it); otherwise
    the NER component alone (and the tok2vec it listens to)."""
    gold = list(gold_docs(path))
    docs = [Doc(nlp.vocab, words=g.words, sent_starts=g.sent_starts) for g in gold]
    names = (
        _up_to(nlp, _last_to_set_entities(nlp)) if whole_pipeline else _components_for(nlp, "ner")
    )
    started = time.perf_counter()
    predicted = list(_run(nlp, docs, names))
    elapsed = time.perf_counter() - started
    total = PRF()
    per_label: dict[str, PRF] = {}
    gold_labels = {label for g in gold for (_, _, label) in g.spans}
    for g, doc in zip(gold, predicted, strict=True):
        pred = {(e.start, e.end, LABELS.get(e.label_, e.label_)) for e in doc.ents}
        pred = {span for span in pred if span[2] in gold_labels}
        total.add_sets(pred, g.spans)
        for label in {s[2] for s in pred | g.spans}:
            per_label.setdefault(label, PRF()).add_sets(
                {s for s in pred if s[2] == label}, {s for s in g.spans if s[2] == label}
            )
    n_words = sum(len(g.words) for g in gold)
    return {
        **total.as_dict(),
        "per_label": {k: v.as_dict() for k, v in sorted(per_label.items())},
        "words_per_second": n_words / elapsed if elapsed else 0.0,
    }


def _last_to_set_entities(nlp: Language) -> str:
    """The last component that sets ``doc.ents`` (after the NER, onrecord_names_whole drops
    common words at sentence starts): what `extract` reads is what it leaves."""
    setting = [name for name in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(name).assigns]
    return setting[-1] if setting else "ner"


def _up_to(nlp: Language, component: str) -> list[str]:
    """Every component of the pipeline up to and including ``component``, in order."""
    if component not in nlp.pipe_names:
        raise DataError(f"the pipeline has no {component!r} component")
    return nlp.pipe_names[: nlp.pipe_names.index(component) + 1]


def _components_for(nlp: Language, component: str) -> list[str]:
    """The component, preceded by the shared tok2vec only when it listens to it."""
    if component not in nlp.pipe_names:
        raise DataError(f"the pipeline has no {component!r} component")
    if "tok2vec" in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
        if component in listeners:
            return ["tok2vec", component]
    return [component]


def _run(nlp: Language, docs: list[Doc], names: list[str]) -> Iterator[Doc]:
    with nlp.select_pipes(enable=names):  # spaCy runs each kind of component its own way
        done = list(nlp.pipe(docs, batch_size=64))  # before the other components come back
    yield from done
