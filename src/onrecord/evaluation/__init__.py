"""Scoring onrecord against annotated data; used by `onrecord eval` and the accuracy gate."""
