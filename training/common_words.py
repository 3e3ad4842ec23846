"""Learn the common words that a capital letter at the start of a sentence does not make a
name ("Thanks", "Best", "Does"), from the training splits only.

    python training/common_words.py DATA_DIR OUT_FILE

A word is common when, away from the start of a sentence, it is written in lower case at
least MIN_LOWER times and at least SHARE of the time, in UD English EWT train (web text)
and CoNLL-2003 train (news) together. The NER's single-word names at a sentence start
whose word is common are dropped by `onrecord.nlp.names` (issue 10: on web text the NER
took such words for entities).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

MIN_LOWER = 20
SHARE = 0.9


def ewt_sentences(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        words: list[str] = []
        for line in lines:
            if not line.strip():
                if words:
                    yield words
                words = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    words.append(cols[1])


def conll_sentences(path: Path):
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if words:
                yield words
            words = []
        else:
            words.append(line.split()[0])


def main(data: Path, out: Path) -> None:
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    sentences = [
        *ewt_sentences(data / "ud_english_ewt" / "en_ewt-ud-train.conllu.gz"),
        *conll_sentences(data / "conll2003" / "train.txt"),
    ]
    for words in sentences:
        for word in words[1:]:  # away from the sentence start, a capital means something
            if word.isalpha() and word.islower():
                lower[word] += 1
            elif word.isalpha() and word[0].isupper():
                capital[word.lower()] += 1
    common = sorted(w for w, n in lower.items() if n >= MIN_LOWER and n >= SHARE * (n + capital[w]))
    out.write_text(json.dumps({"min_lower": MIN_LOWER, "share": SHARE, "words": common}) + "\n")
    print(f"{len(common)} common words from {len(sentences)} training sentences -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
