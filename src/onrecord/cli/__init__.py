"""The `onrecord` command line: a thin layer over the library's plain functions."""

from __future__ import annotations

from . import corpus as corpus  # noqa: F401  (registers ingest, quotes, sources, ...)
from . import eval_provenance as eval_provenance  # noqa: F401  (registers `eval provenance`)
from . import eval_quantities as eval_quantities  # noqa: F401  (registers `eval quantities`)
from . import eval_quotes as eval_quotes  # noqa: F401  (registers `eval quotes`)
from . import eval_sources as eval_sources  # noqa: F401  (registers `eval sources`)
from . import eval_timex as eval_timex  # noqa: F401  (registers `eval timex`)
from . import evaluate, extract  # noqa: F401  (each module registers its commands)
from . import serve as serve  # noqa: F401  (registers `serve`)
from . import trace as trace  # noqa: F401  (registers `trace`)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
