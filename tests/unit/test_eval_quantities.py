"""The quantity scorer and `onrecord eval quantities` on small hand-made files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import DataError
from onrecord.evaluation.quantities import GoldLine, GoldQuantity, read_gold, score
from onrecord.record import Quantity

runner = CliRunner()


def predicted(text: str, figure: str, value: float, **fields) -> Quantity:
    start = text.index(figure)
    return Quantity(
        id="q1",
        text=figure,
        start=start,
        end=start + len(figure),
        value=value,
        kind=fields.pop("kind", "count"),
        **fields,
    )


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TEXT = "Sales fell 3 percent to $4 billion."


def test_perfect_prediction_scores_one():
    gold = [
        GoldLine(
            TEXT,
            (
                GoldQuantity("3 percent", 3, "percent", "decrease"),
                GoldQuantity("$4 billion", 4e9, "USD"),
            ),
        )
    ]
    found = (
        predicted(TEXT, "3 percent", 3, unit="percent", change="decrease", kind="percent"),
        predicted(TEXT, "$4 billion", 4e9, unit="USD", kind="money"),
    )
    scores = score(gold, [found])
    for name in ("value", "value_unit", "value_change"):
        assert scores[name] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_right_value_wrong_unit_and_change_counts_only_for_value():
    gold = [GoldLine(TEXT, (GoldQuantity("3 percent", 3, "percent", "decrease"),))]
    found = (predicted(TEXT, "3 percent", 3, unit=None, change=None),)
    scores = score(gold, [found])
    assert scores["value"]["f1"] == 1.0
    assert scores["value_unit"]["f1"] == 0.0
    assert scores["value_change"]["f1"] == 0.0


def test_values_match_within_relative_tolerance():
    gold = [GoldLine("A third of voters.", (GoldQuantity("A third", 0.333333333),))]
    found = (predicted("A third of voters.", "A third", 1 / 3),)
    assert score(gold, [found])["value"]["f1"] == 1.0


def test_a_wrong_value_is_a_miss_and_a_false_alarm():
    gold = [GoldLine(TEXT, (GoldQuantity("$4 billion", 4e9, "USD"),))]
    found = (predicted(TEXT, "$4 billion", 4e6, unit="USD"),)
    scores = score(gold, [found])
    assert scores["value"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_same_value_elsewhere_in_the_text_does_not_match():
    text = "Two men and two women were hurt."
    gold = [GoldLine(text, (GoldQuantity("two women", 2, start=12, end=21),))]
    found = (predicted(text, "Two", 2),)  # offsets 0-3: no overlap with the gold
    assert score(gold, [found])["value"]["f1"] == 0.0


def test_text_containment_when_gold_has_no_offsets():
    gold = [GoldLine(TEXT, (GoldQuantity("4 billion", 4e9, "USD"),))]
    found = (predicted(TEXT, "$4 billion", 4e9, unit="USD"),)
    assert score(gold, [found])["value_unit"]["f1"] == 1.0


def test_each_gold_quantity_pairs_with_one_prediction():
    text = "3 and 3"
    gold = [GoldLine(text, (GoldQuantity("3", 3),))]
    found = (predicted(text, "3", 3), predicted(text, "3", 3))
    scores = score(gold, [found])
    assert scores["value"]["recall"] == 1.0
    assert scores["value"]["precision"] == 0.5


def test_read_gold_accepts_offsets_and_nulls(tmp_path):
    line = {"text": TEXT, "quantities": [{"text": "3 percent", "value": 3, "unit": None}]}
    gold = read_gold(write_lines(tmp_path / "g.jsonl", [json.dumps(line), ""]))
    assert gold[0].quantities[0] == GoldQuantity("3 percent", 3.0, None, None)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"quantities": []}', '"text" string'),
        ('{"text": "x"}', '"quantities" list'),
        ('{"text": "x", "quantities": [{"text": "3"}]}', "numeric value"),
        ('{"text": "x", "quantities": [{"text": "3", "value": "3"}]}', "numeric value"),
        ('{"text": "x", "quantities": [{"text": "3", "value": 3, "start": 0}]}', "start/end"),
    ],
)
def test_read_gold_names_file_and_line(tmp_path, line, problem):
    good = json.dumps({"text": "ok", "quantities": []})
    path = write_lines(tmp_path / "bad.jsonl", [good, line])
    with pytest.raises(DataError) as error:
        read_gold(path)
    assert f"{path}:2:" in str(error.value)
    assert problem in str(error.value)


def test_cli_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["eval", "quantities", "--data", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "none.jsonl" in result.stderr
    assert result.stdout == ""


def test_cli_bad_json_line_exits_2_naming_file_and_line(tmp_path):
    path = write_lines(tmp_path / "gold.jsonl", ['{"text": "ok", "quantities": []}', "{oops"])
    result = runner.invoke(app, ["eval", "quantities", "--data", str(path), "--json"])
    assert result.exit_code == 2
    assert f"{path}:2: not valid JSON" in result.stderr
    assert result.stdout == ""


def test_cli_empty_file_exits_2(tmp_path):
    path = write_lines(tmp_path / "empty.jsonl", [""])
    result = runner.invoke(app, ["eval", "quantities", "--data", str(path)])
    assert result.exit_code == 2
    assert "no annotated lines" in result.stderr


def test_cli_scores_a_small_file(tmp_path):
    line = {
        "text": "Shares were down 85% after the report.",
        "quantities": [{"text": "85%", "value": 85, "unit": "percent", "change": "decrease"}],
    }
    path = write_lines(tmp_path / "gold.jsonl", [json.dumps(line)])
    result = runner.invoke(app, ["eval", "quantities", "--data", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert set(scores) >= {"value", "value_unit", "value_change"}
    assert scores["value_change"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_cli_text_output_and_error_listing(tmp_path):
    line = {"text": "Ten people were hurt.", "quantities": [{"text": "Ten", "value": 11}]}
    path = write_lines(tmp_path / "gold.jsonl", [json.dumps(line)])
    result = runner.invoke(app, ["eval", "quantities", "--data", str(path), "--errors"])
    assert result.exit_code == 0, result.stderr
    assert "value_unit:" in result.stdout
    assert "MISSED 'Ten'" in result.stderr
    assert "SPURIOUS 'Ten'" in result.stderr


def test_scores_by_kind():
    gold = [
        GoldLine(
            TEXT,
            (
                GoldQuantity("3 percent", 3, "percent", "decrease", kind="percent"),
                GoldQuantity("$4 billion", 4e9, "USD", kind="money"),
            ),
        )
    ]
    found = (predicted(TEXT, "3 percent", 3, unit="percent", kind="percent"),)
    by_kind = score(gold, [found])["by_kind"]
    assert by_kind["percent"] == {
        "gold": 1,
        "predicted": 1,
        "recall": 1.0,
        "precision": 1.0,
        "f1": 1.0,
    }
    assert by_kind["money"]["recall"] == 0.0
    assert by_kind["money"]["precision"] is None  # nothing predicted as money


def test_gold_kind_and_high_are_read(tmp_path):
    path = write_lines(
        tmp_path / "gold.jsonl",
        [
            json.dumps(
                {
                    "text": "between 10 and 20 years",
                    "quantities": [
                        {"text": "10 and 20 years", "value": 10, "kind": "duration", "high": 20}
                    ],
                }
            )
        ],
    )
    (line,) = read_gold(path)
    assert (line.quantities[0].kind, line.quantities[0].high) == ("duration", 20.0)


def test_a_non_numeric_high_is_a_one_line_error(tmp_path):
    path = write_lines(
        tmp_path / "gold.jsonl",
        [json.dumps({"text": "x", "quantities": [{"text": "x", "value": 1, "high": "2"}]})],
    )
    with pytest.raises(DataError, match=r"gold.jsonl:1: .*high must be a number"):
        read_gold(path)
