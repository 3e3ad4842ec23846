"""Quote provenance: the same statement across articles, how each copy differs, and who
said it first (see docs/provenance.md).

``wording.py`` normalizes a quote's words and cuts them into shingles; ``variants.py``
aligns two wordings (verbatim, trimmed, altered, with the word diff and its severity).
The store keeps the clusters (``store/clusters.py``), at ingest, one article at a time.
"""

from .variants import Comparison, compare, same_statement
from .wording import Wording, shingles, wording

__all__ = ["Comparison", "Wording", "compare", "same_statement", "shingles", "wording"]
