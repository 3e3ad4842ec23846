"""`onrecord eval timex`: the TimeML reader, the TempEval-3 scores and the CLI's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import DataError
from onrecord.evaluation.timex import GoldTime, TimexScores, read_tml
from onrecord.record import Time

TML = (
    '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>test_0001</DOCID>\n'
    '<DCT><TIMEX3 tid="t0" type="DATE" value="2020-07-08" functionInDocument="CREATION_TIME">'
    "07/08/2020</TIMEX3></DCT>\n<TEXT>\n"
    'AT&amp;T <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2020-07-07">'
    "Tuesday</TIMEX3> that profit rose for "
    '<TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3>, and that talks resume '
    '<TIMEX3 tid="t3" type="DATE" value="2020-W29">next week</TIMEX3>.\n</TEXT>\n</TimeML>\n'
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    nested = tmp_path / "corpus" / "part"
    nested.mkdir(parents=True)
    (nested / "doc.tml").write_text(TML, encoding="utf-8")
    return tmp_path / "corpus"


def test_reader_strips_tags_keeps_offsets_and_unescapes(data_dir):
    doc = read_tml(data_dir / "part" / "doc.tml")
    assert doc.published.isoformat() == "2020-07-08"
    assert doc.text.startswith("\nAT&T said Tuesday")
    assert [t.text for t in doc.times] == ["Tuesday", "three years", "next week"]
    for t in doc.times:
        assert doc.text[t.start : t.end] == t.text
    assert doc.times[1].type == "DURATION" and doc.times[1].value == "P3Y"


def _time(start: int, end: int, kind: str = "DATE", value: str = "X") -> Time:
    return Time("t", "", start, end, kind, value)  # type: ignore[arg-type]


def test_scores_follow_tempeval3_definitions():
    gold = [GoldTime("", 0, 10, "DATE", "A"), GoldTime("", 20, 30, "DATE", "B")]
    predicted = [_time(0, 10, value="A"), _time(22, 35, "DURATION", "C"), _time(50, 55)]
    scores = TimexScores()
    scores.add(predicted, gold)
    result = scores.as_dict()
    assert result["strict"] == pytest.approx({"precision": 1 / 3, "recall": 1 / 2, "f1": 0.4})
    assert result["relaxed"]["precision"] == pytest.approx(2 / 3)
    assert result["relaxed"]["recall"] == pytest.approx(1.0)
    assert result["type_accuracy"] == pytest.approx(0.5)
    assert result["value_accuracy"] == pytest.approx(0.5)
    assert result["value_f1"] == pytest.approx(0.8 * 0.5)


def test_relaxed_pairs_are_one_to_one():
    gold = [GoldTime("", 0, 20, "DATE", "A")]
    scores = TimexScores()
    scores.add([_time(0, 5, value="A"), _time(10, 15, value="A")], gold)
    assert scores.relaxed.tp == 1 and scores.relaxed.fp == 1


def test_cli_json_on_a_directory_tree(data_dir):
    result = CliRunner().invoke(app, ["eval", "timex", "--data", str(data_dir), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) >= {"strict", "relaxed", "type_accuracy", "value_accuracy", "value_f1"}
    assert scores["strict"]["f1"] == pytest.approx(1.0)
    assert scores["value_f1"] == pytest.approx(1.0)
    for value in (*scores["strict"].values(), *scores["relaxed"].values()):
        assert 0.0 <= value <= 1.0


def test_cli_human_output(data_dir):
    result = CliRunner().invoke(app, ["eval", "timex", "--data", str(data_dir)])
    assert result.exit_code == 0
    assert "value_f1: 100.0" in result.output


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p / "missing", "no such file or directory"),
        (lambda p: p, "no .tml files"),
        (lambda p: _write(p / "bad.tml", "<TimeML><TEXT>unclosed</TimeML>"), "not a readable"),
        (lambda p: _write(p / "notext.tml", "<TimeML><DOCID>x</DOCID></TimeML>"), "no <TEXT>"),
    ],
)
def test_cli_bad_data_exits_2_with_one_line_error(tmp_path, setup, message):
    target = setup(tmp_path)
    result = CliRunner().invoke(app, ["eval", "timex", "--data", str(target), "--json"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path.parent


def test_reader_error_names_the_file(tmp_path):
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML><TEXT><TIMEX3 tid='t1'>x</TIMEX3></TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(DataError, match="bad.tml"):
        read_tml(bad)


def test_scores_by_type():
    gold = [GoldTime("", 0, 10, "DATE", "A"), GoldTime("", 20, 30, "DURATION", "P3Y")]
    predicted = [_time(0, 10, value="B"), _time(20, 30, "DURATION", "P3Y"), _time(50, 55)]
    scores = TimexScores()
    scores.add(predicted, gold)
    by_type = scores.as_dict()["by_type"]
    assert by_type["DATE"] == {
        "gold": 1,
        "predicted": 2,
        "recall": 1.0,
        "precision": 0.5,
        "value_accuracy": 0.0,
    }
    assert by_type["DURATION"]["value_accuracy"] == 1.0


def test_cli_scores_the_tbaq_parts_apart(tmp_path):
    for name in ("a", "b", "c", "d", "e", "f"):  # sorted: a and f are held out
        (tmp_path / f"{name}.tml").write_text(TML, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["eval", "timex", "--data", str(tmp_path), "--tbaq-parts", "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores["parts"]) == {"tuning", "held_out"}
    assert scores["parts"]["held_out"]["by_type"]["DATE"]["gold"] == 2 * 2
    assert scores["parts"]["tuning"]["by_type"]["DATE"]["gold"] == 4 * 2
