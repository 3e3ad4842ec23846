"""Running the spaCy pipeline over a text: a long one in pieces cut at paragraph breaks.

On one Doc, the pipeline's cost per word grows with the length of the Doc (its arrays
outgrow the CPU caches) and so does its memory: a 990k-character article took minutes
and 4 GB. Every component looks only a few words around each word (the convolutions of
tok2vec, the parser's and the span model's windows), so a text cut at line breaks into
pieces of ``PIECE_CHARS`` and joined again with ``Doc.from_docs`` gets the same analysis,
at a cost and a peak memory that grow linearly. Texts up to ``PIECE_CHARS`` (every
ordinary article) are parsed whole, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.tokens import Doc

#: Texts longer than this are parsed in pieces of about this many characters.
PIECE_CHARS = 50_000


def parse(nlp: Language, text: str) -> Doc:
    """The pipeline's Doc of ``text``."""
    if len(text) <= PIECE_CHARS:
        return nlp(text)
    pieces = split_text(text, PIECE_CHARS)
    if len(pieces) == 1:
        return nlp(text)
    return join_docs(list(nlp.pipe(pieces, batch_size=1)), text) or nlp(text)


def parse_many(nlp: Language, texts: Iterable[str], *, batch_size: int = 16) -> Iterator[Doc]:
    """Docs of many texts: short ones in batches, long ones through ``parse``."""
    batch: list[str] = []
    for text in texts:
        if len(text) > PIECE_CHARS:
            yield from nlp.pipe(batch, batch_size=batch_size)
            batch = []
            yield parse(nlp, text)
        else:
            batch.append(text)
    yield from nlp.pipe(batch, batch_size=batch_size)


def split_text(text: str, size: int) -> list[str]:
    """Pieces of about ``size`` characters that join back into ``text``, each ending in
    whitespace: after a paragraph break where there is one in the second half of the
    piece, else after a line break, else after any space (a piece with none runs on)."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start + size // 2 : start + size]
        cut = -1
        for mark in ("\n\n", "\n", " "):
            found = window.rfind(mark)
            if found >= 0:
                cut = start + size // 2 + found + len(mark)
                break
        if cut < 0:
            after = text.find(" ", start + size)
            if after < 0:
                break
            cut = after + 1
        while cut < len(text) and text[cut] in " \n":  # whitespace stays with the piece
            cut += 1
        pieces.append(text[start:cut])
        start = cut
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def join_docs(docs: list[Doc], text: str) -> Doc | None:
    """One Doc from the pieces' Docs, span groups and their scores included (None if the
    joined text is not ``text``, which cannot happen when each piece ends in whitespace)."""
    joined = Doc.from_docs(docs, ensure_whitespace=True)
    if joined.text != text:
        return None
    for key, group in joined.spans.items():
        names = {name for doc in docs if key in doc.spans for name in doc.spans[key].attrs}
        for name in names:
            parts = [_group_attr(doc, key, name) for doc in docs]
            if any(part is None for part in parts):
                continue
            values = numpy.concatenate([numpy.asarray(part) for part in parts])
            if len(values) == len(group):
                group.attrs[name] = values
    return joined


def _group_attr(doc: Doc, key: str, name: str) -> object:
    """A span group's attribute in one piece; an empty or absent group has none to add."""
    if key not in doc.spans or not len(doc.spans[key]):
        return []
    return doc.spans[key].attrs.get(name)
