"""Assemble the shipped pipeline from the two trained ones and write it into the package.

    python training/assemble.py PARSE_MODEL NER_MODEL OUT_DIR

The NER pipeline's tok2vec is copied into the ner component (replace_listeners) so the
two halves keep their own embeddings. The tokenizer gets onrecord's news-text rules
(see onrecord.tokenizer_rules), which serialize with the pipeline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.tokenizer_rules import customize_tokenizer  # noqa: E402

MODEL_NAME = "onrecord"
MODEL_VERSION = "0.1.0"


def assemble(parse_path: Path, ner_path: Path, out: Path) -> None:
    nlp = spacy.load(parse_path)
    ner_nlp = spacy.load(ner_path)
    ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.add_pipe("ner", source=ner_nlp)
    customize_tokenizer(nlp)
    nlp.meta["name"] = MODEL_NAME
    nlp.meta["version"] = MODEL_VERSION
    nlp.meta["description"] = (
        "onrecord's English pipeline: tagger, morphologizer, lemmatizer and parser trained on "
        "UD English EWT; named entities trained on CoNLL-2003. See docs/model-card.md."
    )
    nlp.meta["license"] = "CC BY-SA 4.0 (parser side, from UD EWT); NER for research use only"
    nlp.meta["sources"] = [
        {"name": "UD English EWT v2.16", "license": "CC BY-SA 4.0"},
        {"name": "CoNLL-2003 (Reuters RCV1)", "license": "research use only"},
    ]
    scores_file = out.parent / "scores.json"
    if scores_file.exists():
        nlp.meta["onrecord_scores"] = json.loads(scores_file.read_text())
    nlp.to_disk(out)
    print(f"wrote {out} with pipeline {nlp.pipe_names}")


if __name__ == "__main__":
    assemble(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
