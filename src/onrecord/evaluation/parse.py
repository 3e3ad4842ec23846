"""Dependency-parse evaluation on CoNLL-U files.

The model is given the gold syntactic words (multi-word tokens split as UD splits them)
and the gold spacing, as in the CoNLL 2018 shared task's gold-tokenization setting.
UAS and LAS count every word, punctuation included; LAS compares the universal part
of the relation ("nmod" for "nmod:poss"). tag_accuracy is the fine-grained (XPOS) tag,
pos_accuracy the UPOS tag. Sentence boundaries are scored on documents of up to ten
gold sentences, so the parser has to find the boundaries itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import DataError
from .metrics import PRF


@dataclass
class GoldSentence:
    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    upos: list[str] = field(default_factory=list)
    xpos: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)  # index within the sentence, self for root
    deprels: list[str] = field(default_factory=list)


def read_conllu(path: Path) -> list[GoldSentence]:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    sentences: list[GoldSentence] = []
    current = GoldSentence()
    mwt_end, mwt_space = -1, True
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if current.words:
                sentences.append(current)
            current = GoldSentence()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise DataError(f"{path}:{lineno}: expected 10 tab-separated columns")
        if "-" in cols[0]:  # multi-word token: its spacing applies to its last word
            mwt_end = int(cols[0].split("-")[1])
            mwt_space = "SpaceAfter=No" not in cols[9]
            continue
        if "." in cols[0]:  # empty node of enhanced dependencies
            continue
        index = int(cols[0])
        current.words.append(cols[1])
        if index < mwt_end:
            current.spaces.append(False)
        elif index == mwt_end:
            current.spaces.append(mwt_space)
        else:
            current.spaces.append("SpaceAfter=No" not in cols[9])
        current.upos.append(cols[3])
        current.xpos.append(cols[4])
        head = int(cols[6])
        current.heads.append(head - 1 if head else index - 1)
        current.deprels.append(cols[7])
    if current.words:
        sentences.append(current)
    if not sentences:
        raise DataError(f"{path}: no sentences found")
    return sentences


def evaluate_parse(nlp: Language, path: Path, sentences_per_doc: int = 10) -> dict[str, Any]:
    gold = read_conllu(path)
    groups = [gold[i : i + sentences_per_doc] for i in range(0, len(gold), sentences_per_doc)]
    docs = []
    for group in groups:
        words = [w for s in group for w in s.words]
        spaces = [sp for s in group for sp in s.spaces]
        spaces[-1] = False
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
    disabled = [
        n
        for n in nlp.pipe_names
        if n not in ("tok2vec", "tagger", "morphologizer", "parser", "trainable_lemmatizer")
    ]
    started = time.perf_counter()
    with nlp.select_pipes(disable=disabled):
        parsed = list(nlp.pipe(docs, batch_size=32))
    elapsed = time.perf_counter() - started
    n = uas = las = tags = pos = 0
    sents = PRF()
    for group, doc in zip(groups, parsed, strict=True):
        offset = 0
        gold_bounds = set()
        for sentence in group:
            gold_bounds.add((offset, offset + len(sentence.words)))
            for i, word_head in enumerate(sentence.heads):
                token = doc[offset + i]
                n += 1
                head_ok = token.head.i == offset + word_head
                uas += head_ok
                las += head_ok and _universal(token.dep_) == _universal(sentence.deprels[i])
                tags += token.tag_ == sentence.xpos[i]
                pos += token.pos_ == sentence.upos[i]
            offset += len(sentence.words)
        sents.add_sets({(s.start, s.end) for s in doc.sents}, gold_bounds)
    return {
        "uas": uas / n,
        "las": las / n,
        "tag_accuracy": tags / n,
        "pos_accuracy": pos / n,
        "sentence_f1": sents.f1,
        "words_per_second": n / elapsed if elapsed else 0.0,
    }


def _universal(deprel: str) -> str:
    label = deprel.lower().split(":")[0]
    return "root" if label == "root" else label
