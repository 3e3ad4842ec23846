"""Run every benchmark in bench/ in turn (each prints its own report).

    .venv/bin/python bench/run_all.py

Each benchmark measures ratios within its own run (onrecord against the bare spaCy
pipeline, textacy, one worker against two), so results compare across machines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = [
    "bench_pipeline.py",
    "bench_numbers.py",
    "bench_quotes.py",
    "bench_store.py",
    "bench_web.py",
    "bench_pages.py",
]


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = []
    for name in BENCHES:
        print(f"=== {name}", flush=True)
        if subprocess.run([sys.executable, str(here / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
