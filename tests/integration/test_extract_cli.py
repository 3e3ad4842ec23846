"""`onrecord extract` on the sample articles, and the Python API behind it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import onrecord
from onrecord.cli import app

from ..conftest import EXAMPLES

runner = CliRunner()
SCHEMA = json.loads(resources.files("onrecord").joinpath("schema/record.schema.json").read_text())
EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".json", ".html"))


def test_there_are_four_to_six_examples_of_each_supported_kind() -> None:
    assert 4 <= len(EXAMPLE_FILES) <= 6
    assert {".json", ".html"} <= {p.suffix for p in EXAMPLE_FILES}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_extract_prints_a_valid_record_with_exact_offsets(path: Path) -> None:
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    text = data["article"]["text"]
    assert data["article"]["published"], "every example carries a publication date"
    for kind in ("entities", "quantities", "times"):
        for item in data[kind]:
            assert text[item["start"] : item["end"]] == item["text"]
    for quote in data["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_extract_finds_people_and_their_full_names() -> None:
    record = onrecord.extract(
        "Ariel G. Ruiz Soto, a policy analyst at the Migration Policy Institute, spoke first. "
        "Later, Ruiz Soto said the numbers were incomplete.",
        published="2020-07-08",
    )
    people = [e for e in record.entities if e.label == "PERSON"]
    assert any(e.text == "Ruiz Soto" and e.canonical == "Ariel G. Ruiz Soto" for e in people)


def test_text_format_is_for_people(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["extract", str(EXAMPLES / "border-talks.json"), "--format", "text"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Mexico's president meets Trump")
    assert "published 2020-07-08" in result.stdout
    assert "quotes," in result.stdout


def test_stdin_and_options_set_the_metadata() -> None:
    result = runner.invoke(
        app,
        ["extract", "-", "--published", "2021-02-17", "--title", "T", "--url", "https://x.test/a"],
        input="The mayor said the roads would reopen on Friday.",
    )
    assert result.exit_code == 0, result.stderr
    article = json.loads(result.stdout)["article"]
    assert (article["published"], article["title"], article["url"]) == (
        "2021-02-17",
        "T",
        "https://x.test/a",
    )


def test_load_returns_the_same_pipeline_each_time() -> None:
    assert onrecord.load() is onrecord.load()
    assert {"parser", "ner", "tagger"} <= set(onrecord.load().pipe_names)


def test_news_tokenization_splits_dashes_and_keeps_abbreviations() -> None:
    doc = onrecord.load()("Officials—two of them—said “the U.S. will spend $2 billion,” up 85%.")
    words = [t.text for t in doc]
    assert words[:5] == ["Officials", "—", "two", "of", "them"]
    assert "U.S." in words
    assert words[words.index("$") : words.index("$") + 3] == ["$", "2", "billion"]
    assert words[-3:] == ["85", "%", "."]
    assert "“" in words and "”" in words


def test_info_reports_the_model_and_its_scores(monkeypatch) -> None:
    monkeypatch.delenv("ONRECORD_PIPELINE")
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info["pipelines"]) == {"accurate", "fast"}
    assert info["default_pipeline"] == "accurate"
    for pipeline in info["pipelines"].values():
        assert "conll2003_valid_ner_f1" in pipeline["scores"]
        assert "polnear_dev_source_exact_f1" in pipeline["scores"]
    assert "onrecord_encoder" in info["pipelines"]["accurate"]["pipeline"]
    assert "onrecord_encoder" not in info["pipelines"]["fast"]["pipeline"]
    for name, pipeline in info["pipelines"].items():
        assert pipeline["pipeline"] == onrecord.load(name).pipe_names


def test_pipeline_option_selects_the_pipeline(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("“We will win,” said Senator Mark Cuban on Tuesday.", encoding="utf-8")
    for pipeline in ("fast", "accurate"):
        result = runner.invoke(app, ["extract", str(article), "--pipeline", pipeline])
        assert result.exit_code == 0, result.stderr
        record = json.loads(result.stdout)
        assert len(record["quotes"]) == 1
        assert "We will win" in record["quotes"][0]["text"]


def test_an_unknown_pipeline_is_refused(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hello.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--pipeline", "huge"])
    assert result.exit_code == 2
    assert "huge" in result.stderr
    assert result.stdout == ""
    with pytest.raises(onrecord.OnrecordError, match="unknown pipeline"):
        onrecord.load("huge")
