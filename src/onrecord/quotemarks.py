"""Quotation marks: pair them into runs of quotation, the way newsrooms print them.

One pass over the marks of a text, paragraph by paragraph, with a small stack of open
quotations (docs/quotes.md has the table of conventions and the limits):

* double marks (“…”, "…", „…“, ``…'', ''…''), single marks (‘…’, '…', British and
  Australian style) and guillemets («…», »…«, ‹…›) each open and close a quotation of
  their own *family*; a quotation nests inside another one of any family, the same
  included, and only the outermost runs are returned;
* a straight mark opens or closes by what flanks it (a space before and a word after
  opens, a word before and a space or punctuation after closes); curly marks by shape;
* an apostrophe is not a mark: inside a word ("don't", "rock'n'roll"), an elision
  ("'Tis", "rock 'n' roll", "the '90s") or a possessive ("Jones' cow") that a later mark
  closes past;
* a quotation open at the end of a paragraph continues when the next paragraph opens with
  a mark of its family (each paragraph is a part), or when the line break only wraps a
  line inside a paragraph (a text whose paragraphs are separated by blank lines); otherwise
  it is *unclosed* and ends with its paragraph, unless it holds a closed quotation of its
  own family: then its opening mark was a stray and the quotations it held stand alone.

Work is linear in the length of the text: each mark is looked at once and the stack is
at most ``MAX_DEPTH`` deep (a deeper opening mark is ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

DOUBLE, SINGLE, ANGLE, SINGLE_ANGLE = "double", "single", "angle", "single-angle"
#: Every character (or pair) that can be a quotation mark, longest first.
MARK = re.compile(r"``|''|[\"“”„‟«»‹›'‘’‚`]")
FAMILY = {
    **dict.fromkeys(['"', "“", "”", "„", "‟", "``", "''"], DOUBLE),
    **dict.fromkeys(["'", "‘", "’", "‚", "`"], SINGLE),
    **dict.fromkeys(["«", "»"], ANGLE),
    **dict.fromkeys(["‹", "›"], SINGLE_ANGLE),
}
#: The marks that reopen a quotation opened by a mark at the start of its next paragraph:
#: the same mark (writers keep to one style inside one quotation), or the curly mark
#: misprinted the other way round.
REOPENERS = {"“": ("“", "”"), "‘": ("‘", "’"), "’": ("‘", "’"), "»": ("»", "«")}
ALL_MARK_CHARS = frozenset("\"“”„‟«»‹›'‘’‚`")
#: What may stand right before an opening mark, and right after a closing one.
BEFORE_OPENING = frozenset("([{—–-/") | ALL_MARK_CHARS
AFTER_CLOSING = frozenset(")]}.,;:!?—–-…/") | ALL_MARK_CHARS
#: Words whose first letters an apostrophe stands for ("'Tis", "'em", "rock 'n' roll").
ELISION = re.compile(
    r"(?:tis|twas|twere|twill|em|cause|til|bout|n)\b"
    r"|\d\d(?:s\b|\b)",
    re.IGNORECASE,
)
SINGLE_MARKS = frozenset("'‘’‚`")
MAX_DEPTH = 4
PARAGRAPH_BREAK = re.compile(r"\n[ \t\xa0]*\n")
LINE = re.compile(r"[^\n]+")

OPEN, CLOSE, EITHER, WEAK_CLOSE, SKIP = range(5)


@dataclass
class Marked:
    """A run of quotation between paired marks; parts exclude the marks themselves.

    ``closed`` is False for a quotation that its paragraph ends without closing (it then
    ends with the paragraph: ``close_at == close_end`` is the paragraph's end).
    """

    parts: list[tuple[int, int]]
    open_at: int
    close_at: int
    close_end: int
    used: bool = field(default=False)
    family: str = DOUBLE
    closed: bool = True


@dataclass
class _Open:
    """An opening mark waiting for its closing one."""

    family: str
    mark: str
    open_at: int
    open_end: int
    carried: list[tuple[int, int]] = field(default_factory=list)
    children: list[Marked] = field(default_factory=list)
    #: A possessive-looking closing mark ("Jones’ cow"), used only if no other one comes.
    weak: tuple[int, int] | None = None
    #: A closed quotation of its own family inside it (its opening mark may be a stray).
    same_family_child: bool = False


def find_marked(text: str) -> list[Marked]:
    """The outermost runs of quotation of ``text``, in order."""
    return _Pairing(text).run()


class _Pairing:
    def __init__(self, text: str) -> None:
        self.text = text
        self.result: list[Marked] = []
        self.stack: list[_Open] = []
        #: Line breaks inside a paragraph only wrap it when paragraphs are blank-line apart.
        self.wrapped_lines = PARAGRAPH_BREAK.search(text) is not None
        #: The next line opens with the mark that reopens a quotation carried over to it.
        self.reopen_next = False

    def run(self) -> list[Marked]:
        lines = list(LINE.finditer(self.text))
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            self._line(line, following)
        return [m for m in self.result if m.parts]

    # --- one line --------------------------------------------------------------------

    def _line(self, line: re.Match[str], following: re.Match[str] | None) -> None:
        text = self.text
        skip_until = -1
        first = -1  # where the line's text starts, found for its first mark only
        reopening, self.reopen_next = self.reopen_next, False
        for match in MARK.finditer(text, line.start(), line.end()):
            pos, end, mark = match.start(), match.end(), match.group()
            if pos < skip_until:
                continue
            if first < 0:
                first = _first_char(line)
            if reopening and pos == first:  # the mark that reopens a carried quotation
                reopening = False
                self.stack[0].open_end = end
                continue
            reopening = False
            if mark == "''" and self._elision(pos + 1, end):
                # "''Tis the season,' she said": an opening mark and an elision, not a
                # double mark
                mark, end = "'", pos + 1
                skip_until = self._elision(pos + 1, end + 1)
            elif mark in SINGLE_MARKS:
                elided = self._elision(pos, end)
                if elided:
                    skip_until = elided
                    continue
            role = self._role(mark, pos, end, line, first)
            self._apply(mark, role, pos, end)
        self._end_of_line(line, following)

    def _elision(self, pos: int, end: int) -> int:
        """The end of an elided word an apostrophe opens ("'Tis", "'90s", "'n'"), else 0."""
        text = self.text
        if pos > 0 and text[pos - 1].isalnum():
            return 0
        match = ELISION.match(text, end)
        if match is None:
            return 0
        if match.group().lower() == "n":  # rock 'n' roll: the mark after the n goes too
            after = match.end()
            if after < len(text) and text[after] in SINGLE_MARKS:
                return after + 1
            return 0
        return match.end()

    def _role(self, mark: str, pos: int, end: int, line: re.Match[str], first: int) -> int:
        text = self.text
        before = text[pos - 1] if pos > line.start() else " "
        after = text[end] if end < line.end() else " "
        opens = (before.isspace() or before in BEFORE_OPENING) and not after.isspace()
        closes = (after.isspace() or after in AFTER_CLOSING) and not before.isspace()
        top = self.stack[-1] if self.stack else None
        family = FAMILY[mark]
        if mark in ("“", "„", "‟", "``", "«", "‹", "‘", "‚"):
            if top is not None and top.family == family and _reversed_pair(top.mark, mark):
                return CLOSE  # „…“ (German), »…«, ›…‹
            return OPEN if mark != "‘" or not after.isspace() else SKIP
        if mark in ("”", "»", "›"):
            open_here = any(o.family == family for o in self.stack)
            if pos == first and not open_here:
                return OPEN  # a closing mark that opens a paragraph is a misprinted opening
            if mark != "”" and not open_here and opens and not closes:
                return OPEN  # »…« and ›…‹
            return CLOSE
        if family == SINGLE:
            return self._single_role(mark, before, after, opens, closes)
        # the straight double mark and its two-apostrophe stand-in
        if before.isdigit() and not any(o.family == family for o in self.stack):
            return SKIP  # 6" -- inches
        if opens and not closes:
            return OPEN
        if closes and not opens:
            return CLOSE
        return EITHER

    def _single_role(self, mark: str, before: str, after: str, opens: bool, closes: bool) -> int:
        if before.isalnum() and after.isalnum():
            return SKIP  # don't, O'Brien
        if mark == "`":
            return OPEN if not after.isspace() else SKIP
        if closes and not opens:
            if before in "sSzZ" or before.isdigit():
                return WEAK_CLOSE  # Jones’ cow, the Smiths’ -- or a closing mark
            return CLOSE
        if opens and not closes:
            return OPEN
        return SKIP

    # --- the stack -------------------------------------------------------------------

    def _apply(self, mark: str, role: int, pos: int, end: int) -> None:
        family = FAMILY[mark]
        if role == SKIP:
            return
        if role == EITHER:
            role = CLOSE if self.stack and self.stack[-1].family == family else OPEN
        if role == OPEN:
            if len(self.stack) < MAX_DEPTH:
                self.stack.append(_Open(family, mark, pos, end))
            return
        depth = self._open_of(family)
        if depth is None:
            return  # a closing mark with nothing open: a stray or an apostrophe
        if role == WEAK_CLOSE:
            entry = self.stack[depth]
            if depth == len(self.stack) - 1 and entry.weak is None:
                entry.weak = (pos, end)
            return
        while len(self.stack) - 1 > depth:
            self._abandon(self.stack.pop())
        self._close(self.stack.pop(), pos, end)

    def _open_of(self, family: str) -> int | None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].family == family:
                return depth
        return None

    def _close(self, entry: _Open, pos: int, end: int, closed: bool = True) -> None:
        marked = Marked(
            _trimmed(self.text, [*entry.carried, (entry.open_end, pos)]),
            entry.open_at,
            pos,
            end,
            family=entry.family,
            closed=closed,
        )
        if self.stack:
            parent = self.stack[-1]
            parent.children.append(marked)
            parent.same_family_child |= marked.family == parent.family
        else:
            self.result.append(marked)

    def _abandon(self, entry: _Open) -> None:
        """An opening mark that never closed: closed at its possessive-looking mark if it
        had one, otherwise the quotations it held take its place."""
        if entry.weak is not None:
            self._close(entry, *entry.weak)
            return
        if self.stack:
            self.stack[-1].children.extend(entry.children)
        else:
            self.result.extend(entry.children)

    # --- paragraph ends --------------------------------------------------------------

    def _end_of_line(self, line: re.Match[str], following: re.Match[str] | None) -> None:
        if not self.stack:
            return
        bottom = self.stack[0]
        reopens = following is not None and self._reopens(following, bottom.mark)
        wraps = (
            self.wrapped_lines
            and following is not None
            and following.start() == line.end() + 1  # a single line break
        )
        if wraps and not reopens and not bottom.same_family_child:
            return  # the quotation runs on over the line break
        while len(self.stack) > 1:
            self._abandon(self.stack.pop())
        entry = self.stack.pop()
        if entry.weak is not None:
            self._close(entry, *entry.weak)
        elif entry.same_family_child:  # “A “B,” he said. -- the first mark was a stray
            self.result.extend(entry.children)
        elif reopens:
            entry.carried.append((entry.open_end, line.end()))
            self.stack.append(entry)
            self.reopen_next = True
        else:
            self._close(entry, line.end(), line.end(), closed=False)

    def _reopens(self, line: re.Match[str], mark: str) -> bool:
        return self.text.startswith(REOPENERS.get(mark, (mark,)), _first_char(line))


def _reversed_pair(opening: str, mark: str) -> bool:
    return (opening, mark) in {("„", "“"), ("»", "«"), ("›", "‹"), ("‚", "‘")}


def _first_char(line: re.Match[str]) -> int:
    text = line.group()
    return line.start() + len(text) - len(text.lstrip())


def _trimmed(text: str, parts: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    result = []
    for start, end in parts:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            result.append((start, end))
    return result
