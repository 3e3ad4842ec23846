"""Accuracy gate for the quantities stage, through the real `onrecord eval quantities` CLI,
on the hand-written news-style dev set tests/data/quantities-dev.jsonl (docs/quantities.md).

Floors sit just under what was measured; they only move up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

runner = CliRunner()

DEV = Path(__file__).resolve().parents[1] / "data" / "quantities-dev.jsonl"

VALUE_F1_FLOOR = 0.98
VALUE_UNIT_F1_FLOOR = 0.98
VALUE_CHANGE_F1_FLOOR = 0.97


@pytest.mark.accuracy
def test_quantities_on_the_dev_set() -> None:
    result = runner.invoke(app, ["eval", "quantities", "--data", str(DEV), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["lines"] >= 120
    assert scores["value"]["f1"] >= VALUE_F1_FLOOR
    assert scores["value_unit"]["f1"] >= VALUE_UNIT_F1_FLOOR
    assert scores["value_change"]["f1"] >= VALUE_CHANGE_F1_FLOOR
