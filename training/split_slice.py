"""Hold out a slice of a training corpus to choose checkpoints on, so that dev stays an
honest estimate: every tenth document goes to the slice.

    python training/split_slice.py SOURCE.spacy TRAIN_OUT.spacy SLICE_OUT.spacy [--every N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.tokens import DocBin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("train_out", type=Path)
    parser.add_argument("slice_out", type=Path)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    vocab = spacy.blank("en").vocab
    docs = list(DocBin().from_disk(args.source).get_docs(vocab))
    held = [d for i, d in enumerate(docs) if i % args.every == args.every - 1]
    kept = [d for i, d in enumerate(docs) if i % args.every != args.every - 1]
    for path, part in ((args.train_out, kept), (args.slice_out, held)):
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=part).to_disk(path)
        print(f"{path}: {len(part)} docs, {sum(len(d) for d in part)} tokens")


if __name__ == "__main__":
    main()
