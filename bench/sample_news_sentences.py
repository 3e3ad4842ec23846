"""Sample number-bearing sentences for tests/data/quantities-news-dev.jsonl (issue 16).

Sources (../shared/data, dev and tuning parts only): PolNeAR ``dev/text`` and the tuning
part of TempEval-3 TBAQ-cleaned (every .tml file not in the held-out fifth listed in
tests/integration/test_timex_accuracy.py). Sentences are cut with a plain rule (end
punctuation, then a space and a capital or a quote), kept when they hold 6 to 70 words
and a digit or a number word, de-duplicated, and shuffled with a fixed seed; the first
``--dev`` of each source go to the dev batch, the next ``--blind`` to the blind batch.

    python bench/sample_news_sentences.py OUT_DIR   # writes dev.tsv and blind.tsv

Each output line: ``<source>:<file>:<n>\t<sentence>``. The gold is written by hand.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 16
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|"
    r"half|third|quarter|fifths?"
)
NUMBERISH = re.compile(rf"\d|\b(?:{NUMBER_WORDS})\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'A-Z])|\n+")
ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|U\.S|[A-Z])\.$"
)


def sentences(text: str) -> list[str]:
    pieces, current = [], ""
    for piece in SENTENCE_END.split(text):
        current = f"{current} {piece}".strip() if current else piece.strip()
        if current and not ABBREVIATION.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return [" ".join(p.split()) for p in pieces]


def keep(sentence: str) -> bool:
    return 6 <= len(sentence.split()) <= 70 and bool(NUMBERISH.search(sentence))


def tbaq_held_out() -> set[str]:
    gate = (ROOT / "tests" / "integration" / "test_timex_accuracy.py").read_text()
    tree = ast.parse(gate)
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "HELD_OUT":
            return set(ast.literal_eval(node.value))
    raise SystemExit("HELD_OUT not found in the timex gate")


def polnear(data: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted((data / "polnear" / "dev" / "text").glob("*.txt")):
        for n, s in enumerate(sentences(path.read_text(encoding="utf-8"))):
            out.append((f"polnear:{path.stem}:{n}", s))
    return out


def tbaq(data: Path) -> list[tuple[str, str]]:
    root = data / "tempeval3" / "TBAQ-cleaned"
    held_out = tbaq_held_out()
    out = []
    for path in sorted(root.glob("*/*.tml")):
        name = path.relative_to(root).as_posix()
        if name in held_out:
            continue
        text_element = ET.parse(path).getroot().find("TEXT")
        text = "".join(text_element.itertext()) if text_element is not None else ""
        for n, s in enumerate(sentences(text)):
            out.append((f"tbaq:{name}:{n}", s))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dev", type=int, nargs=2, default=(180, 120), help="polnear tbaq")
    parser.add_argument("--blind", type=int, nargs=2, default=(60, 40), help="polnear tbaq")
    args = parser.parse_args()
    data = Path(os.environ.get("ONRECORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    args.out.mkdir(parents=True, exist_ok=True)
    dev, blind = [], []
    for i, pool in enumerate((polnear(data), tbaq(data))):
        seen, kept = set(), []
        for key, s in pool:
            if keep(s) and s not in seen:
                seen.add(s)
                kept.append((key, s))
        random.Random(SEED).shuffle(kept)
        dev += kept[: args.dev[i]]
        blind += kept[args.dev[i] : args.dev[i] + args.blind[i]]
    for name, rows in (("dev.tsv", dev), ("blind.tsv", blind)):
        (args.out / name).write_text("".join(f"{k}\t{s}\n" for k, s in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
