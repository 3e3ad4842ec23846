"""Convert the open datasets in ../shared/data into spaCy DocBin files.

Run by `make model`; writes into training/corpus/ (ignored by git, never committed).
CoNLL-2003's `-DOCSTART- -X- -X- O` separators are stripped before conversion
(spaCy's `ner` converter only knows `-DOCSTART- -X- O O`), and the PER label is
renamed PERSON, the label onrecord's record uses.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs, conllu_to_docs

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "training/corpus")


def read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf8") as handle:
            return handle.read()
    return path.read_text(encoding="utf8")


def convert_conllu(src: Path, dest: Path) -> int:
    docs = list(conllu_to_docs(read_text(src), n_sents=10, merge_subtokens=False, no_print=True))
    DocBin(docs=docs, store_user_data=False).to_disk(dest)
    return sum(len(doc) for doc in docs)


def conll_ner_without_docstart(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith("-DOCSTART-")]
    out: list[str] = []
    for line in lines:  # collapse runs of blank lines left by the removed separators
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.replace("-PER", "-PERSON"))
    return "\n".join(out).strip() + "\n"


def convert_conll_ner(src: Path, dest: Path) -> int:
    text = conll_ner_without_docstart(read_text(src))
    # conll_ner_to_docs expects sentences separated by blank lines, documents by -DOCSTART-;
    # group 10 sentences per doc so the model sees some context.
    sentences = [s for s in text.split("\n\n") if s.strip()]
    chunks = ["\n\n".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10)]
    joined = "\n\n".join("-DOCSTART- -X- O O\n\n" + c for c in chunks)
    docs = list(conll_ner_to_docs(joined, n_sents=0, no_print=True))
    DocBin(docs=docs).to_disk(dest)
    n_ents = sum(len(doc.ents) for doc in docs)
    return n_ents


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ewt = DATA / "ud_english_ewt"
    print(
        "ewt train words",
        convert_conllu(ewt / "en_ewt-ud-train.conllu.gz", OUT / "ewt-train.spacy"),
    )
    print("ewt dev words", convert_conllu(ewt / "en_ewt-ud-dev.conllu", OUT / "ewt-dev.spacy"))
    conll = DATA / "conll2003"
    print("conll train entities", convert_conll_ner(conll / "train.txt", OUT / "conll-train.spacy"))
    print("conll dev entities", convert_conll_ner(conll / "valid.txt", OUT / "conll-dev.spacy"))


if __name__ == "__main__":
    main()
