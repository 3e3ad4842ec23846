"""What `make model` feeds the models: web text for the NER with entities partly known, and
the fine-tuning tags of the encoder. The scripts live in training/ (not in the package)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

TRAINING = Path(__file__).resolve().parents[2] / "training"
sys.path.insert(0, str(TRAINING))

ewt_partial_ner = pytest.importorskip("ewt_partial_ner")


def tagged(words: list[str], pos: list[str]) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos)
    return doc


def test_web_text_marks_common_words_outside_and_leaves_names_unknown() -> None:
    doc = tagged(
        ["Thanks", "for", "the", "tip", ",", "the", "Gulf", "of", "Mexico", "is", "warm"],
        ["NOUN", "ADP", "DET", "NOUN", "PUNCT", "DET", "PROPN", "ADP", "PROPN", "AUX", "ADJ"],
    )
    out = ewt_partial_ner.partial(doc, doc.vocab)
    iob = [t.ent_iob_ for t in out]
    # "Thanks" at the start is known not to be a name: the NER learns that
    assert iob[0] == "O"
    # the name, the "of" inside it and the "the" before it are left for the NER to decide
    assert iob[5:9] == ["", "", "", ""]
    assert iob[9:] == ["O", "O"]


def test_nationalities_are_left_unknown() -> None:
    # CoNLL-2003 calls "American" MISC: web text must not teach the NER the opposite
    doc = tagged(["American", "forces", "left"], ["ADJ", "NOUN", "VERB"])
    assert [t.ent_iob_ for t in ewt_partial_ner.partial(doc, doc.vocab)] == ["", "O", "O"]


def test_fine_tuning_tags_continue_a_word_across_its_pieces() -> None:
    import finetune_encoder

    doc = Doc(spacy.blank("en").vocab, words=["Obrador", "said", "no"])
    tags = finetune_encoder.token_tags(len(doc), [(0, 1)])
    # "Obrador" in three word pieces: begin, then inside, inside
    offsets = [(0, 3), (3, 5), (5, 7), (8, 12), (13, 15)]
    assert finetune_encoder.piece_tags(doc, offsets, tags).tolist() == [1, 2, 2, 0, 0]


def test_fine_tuning_windows_cover_every_piece() -> None:
    import finetune_encoder

    for n in (0, 10, 254, 255, 1000):
        covered = np.zeros(n, dtype=bool)
        for start, end in finetune_encoder.windows(n):
            assert end - start <= finetune_encoder.SEQ - 2
            covered[start:end] = True
        assert covered.all()
