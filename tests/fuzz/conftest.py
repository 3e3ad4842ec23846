"""Hypothesis profiles for the fuzz tests, chosen by $ONRECORD_FUZZ_PROFILE.

- ``ci`` (the default): a fixed, short run inside `make test` (under a minute in all);
- ``long``: `make fuzz`, random, $ONRECORD_FUZZ_EXAMPLES examples per test (default 1500:
  about ten minutes on one core).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is not flaky
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "1500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("ONRECORD_FUZZ_PROFILE", "ci"))
