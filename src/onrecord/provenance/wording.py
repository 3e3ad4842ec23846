"""A quote's words, normalized so that copies of one statement compare equal.

Case, punctuation, curly versus straight marks and the form of an ellipsis do not count;
an ellipsis (or the " … " between a quote's parts) is kept as a gap: words were left out
there on purpose, so a copy missing words at that point is trimmed, not altered.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

SHINGLE_WORDS = 3  # runs of three words: a four-word partial quote has two to be found by

_MARKS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_ELLIPSIS = re.compile(r"…|\.\s*\.\s*\.|\[\s*\.\.\.\s*\]")
# words (with inner apostrophes), numbers with their separators, and the signs that carry
# meaning in a figure
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[%$€£]")
_SIGNS = {"%": "percent"}
#: Capitalized at a sentence start, these are not names (a name there still counts).
SENTENCE_OPENERS = frozenset(
    "a an the this that these those it its he she they we you i our my his her their there"
    " here and but or so if when what why how who where as in on at for to of with by from"
    " not no never yes well now then all some many most every each one just also because"
    " after before while although though yet let do does did is are was were will would can"
    " could should may might must have has had be been being".split()
)


@dataclass(frozen=True)
class Wording:
    """The normalized words of a quote; ``gaps`` are the word positions an ellipsis stands
    before; ``names`` the positions of words written with a capital inside a sentence."""

    words: tuple[str, ...]
    gaps: frozenset[int] = frozenset()
    names: frozenset[int] = frozenset()

    @property
    def key(self) -> str:
        """The same for two quotes with the same normalized words and gaps."""
        text = " ".join(("… " if i in self.gaps else "") + w for i, w in enumerate(self.words))
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def text(self) -> str:
        return " ".join(("… " if i in self.gaps else "") + w for i, w in enumerate(self.words))

    def __len__(self) -> int:
        return len(self.words)


def wording(content: str) -> Wording:
    """Normalize a quote's content (its quoted words; parts joined by " … ")."""
    text = unicodedata.normalize("NFKC", content).translate(_MARKS)
    words: list[str] = []
    gaps: set[int] = set()
    names: set[int] = set()
    for piece_index, piece in enumerate(_ELLIPSIS.split(text)):
        if piece_index and words:
            gaps.add(len(words))
        sentence_start = True
        for match in _TOKEN.finditer(piece):
            raw = match.group()
            if _is_name(raw, sentence_start):
                names.add(len(words))
            words.append(_SIGNS.get(raw, raw.lower()))
            sentence_start = _ends_sentence(piece, match.end())
    return Wording(tuple(words), frozenset(gaps), frozenset(names))


def _is_name(raw: str, sentence_start: bool) -> bool:
    """A word written with a capital: a name, unless a common word opening a sentence."""
    if not raw[0].isupper() or raw == "I":
        return False
    return not (sentence_start and raw.lower() in SENTENCE_OPENERS)


def _ends_sentence(piece: str, end: int) -> bool:
    """Whether the next word starts a sentence (after . ! ? : or an opening mark)."""
    rest = piece[end : end + 3].lstrip(" ')\"")
    return rest[:1] in (".", "!", "?", ":")


def shingles(w: Wording) -> set[int]:
    """Signed 64-bit hashes of the runs of ``SHINGLE_WORDS`` words that do not cross a gap:
    the keys by which a quote finds the clusters it may belong to."""
    found: set[int] = set()
    start = 0
    bounds = sorted(w.gaps | {len(w.words)})
    for stop in bounds:
        piece = w.words[start:stop]
        for i in range(len(piece) - SHINGLE_WORDS + 1):
            found.add(_hash(" ".join(piece[i : i + SHINGLE_WORDS])))
        start = stop
    return found


def _hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
