"""Accuracy gate for quote provenance: `onrecord eval provenance` on the PolNeAR dev split
(real cross-outlet pairs from the gold spans, plus seeded synthetic alterations).

Floors sit just under what was measured (docs/provenance.md); they only move up.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

DIRECT_PAIR_PRECISION_FLOOR = 0.95
ALTERED_F1_FLOOR = 0.98
HIGH_SEVERITY_RECALL_FLOOR = 0.96
COPIES_FOUND_FLOOR = 0.98


@pytest.mark.accuracy
def test_provenance_on_polnear_dev(shared_data) -> None:
    dev = shared_data / "polnear" / "dev"
    result = CliRunner().invoke(app, ["eval", "provenance", "--data", str(dev), "--json"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["same_statement"]["direct"]["precision"] >= DIRECT_PAIR_PRECISION_FLOOR
    assert scores["altered"]["f1"] >= ALTERED_F1_FLOOR
    assert scores["high_severity"]["recall"] >= HIGH_SEVERITY_RECALL_FLOOR
    assert scores["copies_found"] >= COPIES_FOUND_FLOOR
