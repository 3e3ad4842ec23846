"""Accuracy gate: `onrecord eval timex --json` on our held-out part of TempEval-3 TBAQ-cleaned.

The held-out part (never looked at while writing the rules) is every fifth .tml file of
TBAQ-cleaned in sorted path order, starting with the first: the 52 files listed below
(docs/timex.md). Floors sit just under what was measured on it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HELD_OUT = (
    "AQUAINT/APW19980807.0261.tml", "AQUAINT/APW19980813.1117.tml",
    "AQUAINT/APW19980930.0425.tml", "AQUAINT/APW19990312.0251.tml",
    "AQUAINT/APW19991008.0151.tml", "AQUAINT/APW20000107.0088.tml",
    "AQUAINT/APW20000128.0316.tml", "AQUAINT/APW20000401.0150.tml",
    "AQUAINT/NYT19981025.0188.tml", "AQUAINT/NYT19990312.0271.tml",
    "AQUAINT/NYT20000113.0267.tml", "AQUAINT/NYT20000406.0002.tml",
    "AQUAINT/XIE19980808.0049.tml", "AQUAINT/XIE19980814.0294.tml",
    "AQUAINT/XIE19990313.0031.tml", "TimeBank/ABC19980120.1830.0957.tml",
    "TimeBank/APW19980213.1320.tml", "TimeBank/APW19980227.0487.tml",
    "TimeBank/APW19980308.0201.tml", "TimeBank/CNN19980126.1600.1104.tml",
    "TimeBank/NYT19980206.0460.tml", "TimeBank/PRI19980115.2000.0186.tml",
    "TimeBank/PRI19980216.2000.0170.tml", "TimeBank/VOA19980303.1600.2745.tml",
    "TimeBank/WSJ910225-0066.tml", "TimeBank/wsj_0026.tml", "TimeBank/wsj_0106.tml",
    "TimeBank/wsj_0135.tml", "TimeBank/wsj_0152.tml", "TimeBank/wsj_0161.tml",
    "TimeBank/wsj_0171.tml", "TimeBank/wsj_0184.tml", "TimeBank/wsj_0292.tml",
    "TimeBank/wsj_0325.tml", "TimeBank/wsj_0346.tml", "TimeBank/wsj_0505.tml",
    "TimeBank/wsj_0541.tml", "TimeBank/wsj_0558.tml", "TimeBank/wsj_0584.tml",
    "TimeBank/wsj_0637.tml", "TimeBank/wsj_0667.tml", "TimeBank/wsj_0685.tml",
    "TimeBank/wsj_0736.tml", "TimeBank/wsj_0762.tml", "TimeBank/wsj_0791.tml",
    "TimeBank/wsj_0811.tml", "TimeBank/wsj_0907.tml", "TimeBank/wsj_0928.tml",
    "TimeBank/wsj_0991.tml", "TimeBank/wsj_1013.tml", "TimeBank/wsj_1035.tml",
    "TimeBank/wsj_1073.tml",
)  # fmt: skip

# Measured on the held-out part (2026-11-27, second round of rules): strict F1
# 0.878, relaxed F1 0.931, type accuracy 0.946, value accuracy 0.844, value F1 0.786.
FLOORS = {
    ("strict", "f1"): 0.875,
    ("relaxed", "f1"): 0.93,
    ("type_accuracy",): 0.94,
    ("value_accuracy",): 0.84,
    ("value_f1",): 0.783,
}


@pytest.mark.accuracy
def test_timex_accuracy_on_held_out_tbaq(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "tempeval3" / "TBAQ-cleaned"
    held_out = tmp_path / "held_out"
    for name in HELD_OUT:
        link = held_out / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(source / name)
    onrecord = Path(sys.executable).parent / "onrecord"
    result = subprocess.run(
        [str(onrecord), "eval", "timex", "--data", str(held_out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    for keys, floor in FLOORS.items():
        value = scores
        for key in keys:
            value = value[key]
        assert value >= floor, f"{'.'.join(keys)} = {value:.3f} < {floor}"
