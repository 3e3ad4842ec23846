"""Score both assembled pipelines on the dev splits and record the scores in their meta.json.

    python training/score.py DATA_DIR MODELS_DIR [fast|accurate ...]

Writes MODELS_DIR/scores.json (`fast`) and MODELS_DIR/scores-accurate.json (`accurate`) and
copies each into its model's meta.json, which `onrecord info` prints. Every score is taken
as `extract` runs the pipeline (the NER after everything before it, the quotes through the
whole quote and source stages).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from onrecord.evaluation.ner import evaluate_ner  # noqa: E402
from onrecord.evaluation.parse import evaluate_parse  # noqa: E402
from onrecord.evaluation.quotes import evaluate_quotes  # noqa: E402
from onrecord.pipeline import ACCURATE_DIR, MODEL_DIR, load, use_pipeline  # noqa: E402

OUTPUTS = {"fast": ("scores.json", MODEL_DIR), "accurate": ("scores-accurate.json", ACCURATE_DIR)}


def score(data: Path, pipeline: str) -> dict[str, Any]:
    use_pipeline(pipeline)
    nlp = load(pipeline)
    ner = evaluate_ner(nlp, data / "conll2003" / "valid.txt")
    scores: dict[str, Any] = {"conll2003_valid_ner_f1": round(ner["f1"], 4)}
    uner = data / "uner_english_ewt" / "en_ewt-ud-dev.iob2"
    if uner.exists():
        scores["uner_ewt_dev_ner_f1"] = round(evaluate_ner(nlp, uner)["f1"], 4)
    parse = evaluate_parse(nlp, data / "ud_english_ewt" / "en_ewt-ud-dev.conllu")
    scores.update(
        {
            "ewt_dev_las": round(parse["las"], 4),
            "ewt_dev_uas": round(parse["uas"], 4),
            "ewt_dev_tag_accuracy": round(parse["tag_accuracy"], 4),
            "ewt_dev_pos_accuracy": round(parse["pos_accuracy"], 4),
            "ewt_dev_sentence_f1": round(parse["sentence_f1"], 4),
        }
    )
    gum = data / "ud_english_gum" / "en_gum-ud-dev.conllu"
    if gum.exists():
        scores["gum_dev_las"] = round(evaluate_parse(nlp, gum)["las"], 4)
    polnear = data / "polnear" / "dev"
    if polnear.exists():
        quotes = evaluate_quotes(polnear).result()
        for role in ("content", "cue", "source"):
            scores[f"polnear_dev_{role}_exact_f1"] = round(quotes[role]["exact"]["f1"], 4)
        scores["polnear_dev_speaker_accuracy"] = round(quotes["speaker_accuracy"], 4)
    return scores


def main(data: Path, models: Path, pipelines: list[str]) -> None:
    for pipeline in pipelines:
        file_name, model_dir = OUTPUTS[pipeline]
        scores = score(data, pipeline)
        (models / file_name).write_text(json.dumps(scores, indent=2) + "\n")
        meta_path = models / model_dir.name / "meta.json"
        meta = json.loads(meta_path.read_text())
        meta["onrecord_scores"] = scores
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        print(pipeline, json.dumps(scores, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or ["fast", "accurate"])
