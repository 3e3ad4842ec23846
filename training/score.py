"""Score the assembled pipeline on the dev splits and record the scores in its meta.json.

    python training/score.py DATA_DIR MODELS_DIR

Writes MODELS_DIR/scores.json and copies the scores into the model's meta.json, which
`onrecord info` prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.evaluation.ner import evaluate_ner  # noqa: E402
from onrecord.evaluation.parse import evaluate_parse  # noqa: E402
from onrecord.evaluation.quotes import evaluate_quotes  # noqa: E402
from onrecord.pipeline import MODEL_DIR, load  # noqa: E402


def main(data: Path, models: Path) -> None:
    nlp = load(str(models / "en_onrecord"))
    ner = evaluate_ner(nlp, data / "conll2003" / "valid.txt")
    parse = evaluate_parse(nlp, data / "ud_english_ewt" / "en_ewt-ud-dev.conllu")
    scores = {
        "conll2003_valid_ner_f1": round(ner["f1"], 4),
        "ewt_dev_las": round(parse["las"], 4),
        "ewt_dev_uas": round(parse["uas"], 4),
        "ewt_dev_tag_accuracy": round(parse["tag_accuracy"], 4),
        "ewt_dev_pos_accuracy": round(parse["pos_accuracy"], 4),
        "ewt_dev_sentence_f1": round(parse["sentence_f1"], 4),
    }
    gum = data / "ud_english_gum" / "en_gum-ud-dev.conllu"
    if gum.exists():
        scores["gum_dev_las"] = round(evaluate_parse(nlp, gum)["las"], 4)
    polnear = data / "polnear" / "dev"
    if polnear.exists() and models.resolve() == MODEL_DIR.parent.resolve():
        # the quote scorer runs the installed pipeline, which is this one
        quotes = evaluate_quotes(polnear).result()
        for role in ("content", "cue", "source"):
            scores[f"polnear_dev_{role}_exact_f1"] = round(quotes[role]["exact"]["f1"], 4)
        scores["polnear_dev_speaker_accuracy"] = round(quotes["speaker_accuracy"], 4)
    (models / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    meta_path = models / "en_onrecord" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["onrecord_scores"] = scores
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
