"""Two wordings of one statement, aligned word by word (``difflib``).

``same_statement`` decides whether a quote belongs with a wording already seen: enough of
the shorter one's words appear, in order, in the longer one (containment, so a partial
quote of three words finds the long quote it was cut from). ``compare`` says how a copy
differs from the cluster's reference wording:

- verbatim: the same words (case, punctuation and marks aside);
- trimmed: a contiguous part of the reference, or parts of it joined at an ellipsis;
- extended: the reference is a trimmed form of this one (the cluster's reference becomes
  this wording);
- altered: words inserted, deleted or substituted inside the quote. The word diff is kept,
  and a changed number, negation or name makes the alteration high-severity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from .wording import Wording

Variant = Literal["verbatim", "trimmed", "extended", "altered"]
Segment = tuple[str, str]  # ("equal" | "insert" | "delete", words)
Opcode = tuple[str, int, int, int, int]

#: Share of the shorter wording's words that must align with the longer one. Chosen on
#: PolNeAR train (docs/provenance.md); dev stays for the reported scores.
MIN_CONTAINMENT = 0.85
#: Quotes shorter than this are not traced: on PolNeAR train, three-word spans were
#: mostly stock phrases ("the United States", "his tax returns") shared by different claims.
MIN_WORDS = 4
#: A wording this short must align whole and in one run.
SHORT_WORDS = 5

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor nowhere cannot without n't".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy"
    " eighty ninety hundred thousand million billion trillion dozen half percent double"
    " triple twice thrice first second third fourth fifth".split()
)


@dataclass(frozen=True)
class Comparison:
    variant: Variant
    segments: tuple[Segment, ...] = ()
    #: why the alteration is high-severity: "number", "negation", "name" (empty: low)
    reasons: tuple[str, ...] = field(default=())

    @property
    def severity(self) -> str | None:
        if self.variant != "altered":
            return None
        return "high" if self.reasons else "low"


def aligned_words(a: Wording, b: Wording) -> int:
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def same_statement(a: Wording, b: Wording, *, min_containment: float | None = None) -> bool:
    """Whether ``a`` and ``b`` are copies of one statement (see the module's note).

    Only runs of two words or more count as aligned: a lone "the" or "of" matched here and
    there made five-word spans look contained in unrelated long ones (PolNeAR train)."""
    shorter = min(len(a), len(b))
    if shorter < MIN_WORDS:
        return False
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    runs = [blk.size for blk in matcher.get_matching_blocks() if blk.size >= 2]
    if shorter < SHORT_WORDS:
        return shorter in runs
    return sum(runs) / shorter >= (min_containment or MIN_CONTAINMENT)


def compare(copy: Wording, reference: Wording) -> Comparison:
    """How ``copy`` differs from ``reference`` (both already found the same statement)."""
    if copy.words == reference.words:
        return Comparison("verbatim")
    matcher = SequenceMatcher(None, copy.words, reference.words, autojunk=False)
    ops = matcher.get_opcodes()
    equal = [i for i, op in enumerate(ops) if op[0] == "equal"]
    first, last = (equal[0], equal[-1]) if equal else (len(ops), -1)
    segments: list[Segment] = []
    changed: list[Opcode] = []
    extra_at_edges = False
    # difflib's tags read from the copy to the reference: "delete" = words only the copy
    # has, "insert" = words only the reference has
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        inside = first < index < last
        if tag == "equal":
            segments.append(("equal", " ".join(copy.words[i1:i2])))
        elif not inside and tag == "insert":
            continue  # the reference's words before or after the copy: trimmed
        elif not inside and tag == "delete":
            extra_at_edges = True  # the copy runs on past the reference
            segments.append(("equal", " ".join(copy.words[i1:i2])))
        elif tag == "insert" and i1 in copy.gaps:
            continue  # left out at an ellipsis
        else:
            changed.append((tag, i1, i2, j1, j2))
            segments.append(("delete", " ".join(reference.words[j1:j2])))
            segments.append(("insert", " ".join(copy.words[i1:i2])))
    merged = tuple(_merge(segments))
    if changed:
        return Comparison("altered", merged, _reasons(copy, reference, changed))
    if extra_at_edges:
        return Comparison("extended", merged)
    return Comparison("trimmed", merged)


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for tag, words in segments:
        if not words:
            continue
        if out and out[-1][0] == tag:
            out[-1] = (tag, f"{out[-1][1]} {words}")
        else:
            out.append((tag, words))
    return out


def _reasons(copy: Wording, reference: Wording, changed: list[Opcode]) -> tuple[str, ...]:
    reasons: set[str] = set()
    for _tag, i1, i2, j1, j2 in changed:
        for side, lo, hi in ((copy, i1, i2), (reference, j1, j2)):
            for position in range(lo, hi):
                word = side.words[position]
                if _is_number(word):
                    reasons.add("number")
                if word in NEGATIONS or word.endswith("n't"):
                    reasons.add("negation")
                if position in side.names:
                    reasons.add("name")
    return tuple(sorted(reasons))


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word in NUMBER_WORDS
