"""Errors with codes, in the manner of spaCy's: each says what went wrong and what to do."""

from __future__ import annotations


class OnrecordError(Exception):
    """Base class for every error onrecord raises on purpose."""

    code = "E000"


def one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and undecodable bytes (lone
    surrogates, as Python keeps them from file names) escaped, so that an error stays on
    one line and a file name cannot fake output lines."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


class InputError(OnrecordError):
    """An article could not be read: the message names the file and the cause."""

    code = "E001"

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{one_line(path)}: {one_line(problem)}")


class ModelNotFoundError(OnrecordError):
    code = "E002"


class DataError(OnrecordError):
    """Evaluation data is missing or not in the expected format."""

    code = "E003"
