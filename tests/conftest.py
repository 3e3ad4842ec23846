"""Shared fixtures. Tests that need ../shared/data or a service skip outside CI only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED_DATA = Path(os.environ.get("ONRECORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when a resource is missing, but fail in CI, where every resource must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    require(SHARED_DATA.is_dir(), f"annotated data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nlp():
    import onrecord

    return onrecord.load("fast")


@pytest.fixture(autouse=True)
def _default_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run on the `fast` pipeline unless they name `accurate` (the accuracy gates, the
    encoder's tests and the --pipeline tests do): the rules, the store, the service and the
    CLI behave the same on both, and `accurate`'s encoder would make the suite several times
    slower on 2 cores. `--pipeline` sets $ONRECORD_PIPELINE for the process, and CliRunner
    runs commands in this process, so each test starts from this default again."""
    monkeypatch.setenv("ONRECORD_PIPELINE", "fast")
