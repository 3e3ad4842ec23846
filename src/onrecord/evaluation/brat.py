"""Reading attribution annotations in brat standoff format, as PolNeAR ships them.

A corpus directory holds ``text/<article>.txt`` and ``attributions/<article>_<annotator>.ann``
(or ``<article>.ann``). Text-bound lines look like
``T<n>\\t<Label> <start> <end>[;<start> <end>...]\\t<text>``; a span's text may contain
newlines, so it continues on the following lines. Each event line
``E<n>\\tAttribution:T.. Content:T.. Cue:T.. Source:T..`` is one gold attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError

Piece = tuple[int, int]
Span = tuple[Piece, ...]

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
# Other brat annotation lines (attributes, normalizations, notes, relations) carry nothing
# we score; they are skipped.
_IGNORED = re.compile(r"^(?:[AMNR]\d+|#\d*)\t")
_CONTENT_ROLES = ("Content", "Content2")  # Content2: a second content span of one attribution


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution relation: who (source) says (cue) what (content)."""

    content: Span
    cue: Span | None
    source: Span | None


@dataclass(frozen=True)
class GoldSet:
    """The attributions of one annotation file (one annotator's reading of one article)."""

    path: Path
    attributions: tuple[GoldAttribution, ...]
    skipped_events: int = 0  # event lines without a content span


@dataclass(frozen=True)
class CorpusArticle:
    name: str
    text_path: Path
    ann_paths: tuple[Path, ...] = field(default_factory=tuple)


def read_text(path: Path) -> str:
    """The article text exactly as stored: no newline translation, so offsets stay valid."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc


def list_corpus(data: Path) -> list[CorpusArticle]:
    """Articles of a PolNeAR-layout directory with their annotation files, sorted by name.

    Articles without any annotation file are left out: there is nothing to score them on.
    """
    if not data.is_dir():
        raise DataError(f"{data}: no such directory")
    text_dir, ann_dir = data / "text", data / "attributions"
    for required in (text_dir, ann_dir):
        if not required.is_dir():
            raise DataError(
                f"{data}: not a PolNeAR-layout directory (no {required.name}/ folder; "
                "expected text/*.txt and attributions/*.ann)"
            )
    texts = {p.stem: p for p in text_dir.glob("*.txt")}
    annotations: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        annotations.setdefault(_article_of(ann, texts), []).append(ann)
    if not annotations:
        raise DataError(f"{ann_dir}: no .ann files")
    return [
        CorpusArticle(name, texts[name], tuple(anns)) for name, anns in sorted(annotations.items())
    ]


def _article_of(ann: Path, texts: dict[str, Path]) -> str:
    """The article an annotation file belongs to: same stem, or stem plus ``_<annotator>``."""
    if ann.stem in texts:
        return ann.stem
    article = ann.stem.rsplit("_", 1)[0]
    if article not in texts:
        raise DataError(f"{ann}: no matching text file ({article}.txt) in text/")
    return article


def read_ann(path: Path, text_length: int) -> GoldSet:
    """The gold attributions of one .ann file, with offsets checked against the text's length."""
    entities: dict[str, Span] = {}
    events: list[tuple[int, str]] = []
    lines = read_text(path).split("\n")
    lineno = 0
    while lineno < len(lines):
        line = lines[lineno].rstrip("\r")
        lineno += 1
        if not line.strip() or _IGNORED.match(line):
            continue
        if event := _EVENT.match(line):
            events.append((lineno, event.group(2)))
            continue
        bound = _TEXT_BOUND.match(line)
        if not bound:
            raise DataError(f"{path}:{lineno}: unreadable brat line {line[:60]!r}")
        ident, _label, offsets, text = bound.groups()
        span = _parse_offsets(offsets, path, lineno, text_length)
        # The span text was written with its newlines: take continuation lines until the
        # text is as long as the span's pieces joined by single spaces (brat's rendering).
        expected = sum(end - start for start, end in span) + len(span) - 1
        while len(text) < expected and lineno < len(lines):
            text += "\n" + lines[lineno]
            lineno += 1
        entities[ident] = span
    attributions = []
    skipped = 0
    for lineno, arguments in events:
        attribution = _parse_event(arguments, entities, path, lineno)
        if attribution is None:
            skipped += 1
        else:
            attributions.append(attribution)
    return GoldSet(path, tuple(attributions), skipped)


def _parse_offsets(offsets: str, path: Path, lineno: int, text_length: int) -> Span:
    pieces = []
    for piece in offsets.split(";"):
        start, end = (int(x) for x in piece.split())
        if not 0 <= start <= end <= text_length:
            raise DataError(
                f"{path}:{lineno}: span {start}-{end} is outside the article text "
                f"({text_length} characters)"
            )
        pieces.append((start, end))
    return tuple(sorted(pieces))


def _parse_event(
    arguments: str, entities: dict[str, Span], path: Path, lineno: int
) -> GoldAttribution | None:
    """One attribution from an event line; None for an event without content."""
    roles: dict[str, list[Span]] = {}
    for argument in arguments.split():
        role, sep, ident = argument.partition(":")
        if not sep or ident not in entities:
            raise DataError(f"{path}:{lineno}: bad event argument {argument!r}")
        roles.setdefault(role, []).append(entities[ident])
    content = tuple(sorted(p for r in _CONTENT_ROLES for s in roles.get(r, []) for p in s))
    if not content:
        return None  # PolNeAR has a few such leftovers (a trigger alone); nothing to score
    return GoldAttribution(
        content=content,
        cue=_merged(roles.get("Cue")),
        source=_merged(roles.get("Source")),
    )


def _merged(spans: list[Span] | None) -> Span | None:
    if not spans:
        return None
    return tuple(sorted(p for s in spans for p in s))
