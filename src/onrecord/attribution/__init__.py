"""Attribution: from speaker mentions to sources (who is quoted, as what kind).

``attribution.sources`` resolves each quote's speaker mention to a source of its article;
``attribution.names`` holds what it knows about names, kinds and things that never speak.
The quotes themselves are found by ``onrecord.quotes``.
"""
