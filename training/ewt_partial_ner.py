"""Web text for the NER: UD English-EWT train with entities partly known, from its gold
part-of-speech tags.

    python training/ewt_partial_ner.py training/corpus/ewt-train.spacy OUT.spacy

CoNLL-2003 is Reuters news; on web text (reviews, e-mail, forums) a NER trained on it alone
takes capitalized words for names ("Thanks", "Best", "Favorite Restaurant"). EWT train is
web text, but has no entity annotation. Its part-of-speech tags still say where no name
can be: a token that is not a proper noun is outside every entity. Those tokens are marked
outside; proper nouns, capitalized adjectives ("American", which CoNLL calls MISC) and the
short function words and punctuation between or before them ("Gulf of Mexico",
"al - Sadr", "The Hague") are left missing, so the NER's oracle learns nothing about them
(spaCy's partial annotation: ``Doc.set_ents(..., missing=...)``).

Only EWT *train* is read: the Universal NER dev set the web-text score comes from is EWT dev.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

NAME_LIKE = {"PROPN"}
#: Words that may sit inside or just before a name ("of", "-", "the", "'s", "and")
LINKING = {"PUNCT", "ADP", "DET", "CCONJ", "PART", "NUM", "SYM"}
GAP = 2


def unknown_tokens(doc: Doc) -> list[bool]:
    """True where the token may belong to a name; everything else is outside."""
    name_like = [t.pos_ in NAME_LIKE or (t.pos_ == "ADJ" and t.text[:1].isupper()) for t in doc]
    unknown = list(name_like)
    for i, token in enumerate(doc):
        if name_like[i] or token.pos_ not in LINKING:
            continue
        after = any(name_like[i + 1 : i + 1 + GAP])
        before = any(name_like[max(0, i - GAP) : i])
        starts_name = token.pos_ == "DET" and i + 1 < len(doc) and name_like[i + 1]
        if (after and before) or starts_name:
            unknown[i] = True
    return unknown


def partial(doc: Doc, vocab: spacy.vocab.Vocab) -> Doc:
    out = Doc(
        vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        sent_starts=[bool(t.is_sent_start) for t in doc],
    )
    unknown = unknown_tokens(doc)
    out.set_ents(
        [],
        missing=[out[i : i + 1] for i, flag in enumerate(unknown) if flag],
        default="outside",
    )
    return out


def main(source: Path, out: Path) -> None:
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(source).get_docs(nlp.vocab))
    converted = [partial(doc, nlp.vocab) for doc in docs]
    n_tokens = sum(len(d) for d in converted)
    n_outside = sum(1 for d in converted for t in d if t.ent_iob_ == "O")
    DocBin(docs=converted, store_user_data=False).to_disk(out)
    print(f"{out}: {len(converted)} docs, {n_tokens} tokens, {n_outside} known outside")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
