"""Accuracy gate for the bundled English pipeline, through the real `onrecord eval` CLI.

Floors sit just under what the committed model measured (docs/model-card.md); they only
move up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

runner = CliRunner()

# NER F1 inside the whole pipeline (as extract runs it, entities within gold sentences),
# per pipeline; measured in 0.4.0: CoNLL valid fast 0.894, accurate 0.924; UNER EWT dev fast
# 0.462, accurate 0.626
NER_F1_FLOOR = {"fast": 0.888, "accurate": 0.915}
UNER_F1_FLOOR = {"fast": 0.455, "accurate": 0.615}
LAS_FLOOR = 0.79
TAG_FLOOR = 0.93


def run_eval(kind: str, data: Path, *options: str) -> dict:
    result = runner.invoke(app, ["eval", kind, "--data", str(data), "--json", *options])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.accuracy
@pytest.mark.parametrize("pipeline", ["fast", "accurate"])
def test_ner_on_conll2003_valid(shared_data: Path, pipeline: str) -> None:
    scores = run_eval("ner", shared_data / "conll2003" / "valid.txt", "--pipeline", pipeline)
    assert set(scores["per_label"]) == {"PERSON", "ORG", "LOC", "MISC"}
    assert scores["f1"] >= NER_F1_FLOOR[pipeline]
    assert scores["words_per_second"] > 0


@pytest.mark.accuracy
@pytest.mark.parametrize("pipeline", ["fast", "accurate"])
def test_ner_on_web_text(shared_data: Path, pipeline: str) -> None:
    data = shared_data / "uner_english_ewt" / "en_ewt-ud-dev.iob2"
    scores = run_eval("ner", data, "--pipeline", pipeline)
    assert set(scores["per_label"]) == {"PERSON", "ORG", "LOC"}
    assert scores["f1"] >= UNER_F1_FLOOR[pipeline]


@pytest.mark.accuracy
def test_the_ner_inside_the_pipeline_scores_as_the_component_alone(shared_data: Path) -> None:
    # the parser no longer cuts names: inside the pipeline the NER loses nothing
    data = shared_data / "conll2003" / "valid.txt"
    whole = run_eval("ner", data, "--pipeline", "fast")
    alone = run_eval("ner", data, "--pipeline", "fast", "--component-only")
    assert whole["f1"] >= alone["f1"] - 0.002


@pytest.mark.accuracy
def test_parse_on_ewt_dev(shared_data: Path) -> None:
    scores = run_eval("parse", shared_data / "ud_english_ewt" / "en_ewt-ud-dev.conllu")
    assert scores["las"] >= LAS_FLOOR
    assert scores["tag_accuracy"] >= TAG_FLOOR
    assert 0 < scores["sentence_f1"] <= 1


def test_eval_with_a_missing_file_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "ner", "--data", str(tmp_path / "none.txt")])
    assert result.exit_code == 2
    assert "none.txt" in result.stderr
    assert result.stdout == ""


def test_eval_ner_scores_a_small_file_exactly(tmp_path: Path) -> None:
    data = tmp_path / "tiny.conll"
    data.write_text(
        "-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n"
        "visited VBD B-VP O\nBrussels NNP B-NP B-LOC\n. . O O\n",
        encoding="utf-8",
    )
    scores = run_eval("ner", data)
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= scores[key] <= 1.0
