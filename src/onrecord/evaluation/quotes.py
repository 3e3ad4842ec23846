"""Quote evaluation: content, cue and source spans against brat attribution annotations.

The rules (docs/evaluation.md explains them for people):

* A span is a tuple of ``(start, end)`` pieces (discontinuous spans have several). It is
  compared as the set of the *word characters* (letters and digits) that its pieces cover:
  stripping whitespace and punctuation at both ends of each piece, and ignoring how a span
  is cut into pieces. A span without any letter or digit (PolNeAR marks the ":" of a
  transcript turn or the "―" of a signature as cues) is compared by its non-space
  characters instead, under both criteria.
* Exact match: equal word-character sets.
* Overlap match: a token is a maximal run of letters and digits in the article text; a span
  holds the tokens it touches. Two spans P and G overlap-match when
  ``|P & G| >= 0.5 * max(|P|, |G|)`` (and ``|P & G| > 0``): they share at least half of
  the tokens of each of them.
* Matching is one-to-one, per role: exact pairs by equal sets, overlap pairs greedily by
  decreasing ``|P & G| / max(|P|, |G|)``.
* Content is scored per quote (one gold item per attribution, one predicted item per quote);
  cue and source are scored as distinct spans (a cue or source mention shared by several
  attributions counts once, on both sides).
* An article annotated by several annotators is scored against each annotation file as its
  own gold set: predictions count once per gold set, and counts are summed (micro-average).
* speaker_accuracy: among content pairs matched under overlap, the share whose predicted
  speaker overlap-matches the gold source; a gold attribution without a source is right
  only when the predicted speaker is null.
* by_kind: a gold or predicted content is *direct* when every letter and digit of it lies
  inside double quotation marks in the article (see ``quoted_characters``), otherwise
  *indirect* (partial quotes included). Both sides are split by this one text rule (the
  predicted quote's own ``kind`` field is not used) and matched within a kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import DataError
from ..record import Quote, Record
from .brat import CorpusArticle, GoldAttribution, GoldSet, Span, read_ann, read_text
from .metrics import PRF

ROLES = ("content", "cue", "source")
KINDS = ("direct", "indirect")
CRITERIA = ("exact", "overlap")
OPENING_QUOTES = "“„«"
CLOSING_QUOTES = "”»"


@dataclass(frozen=True)
class PredictedQuote:
    content: Span
    cue: Span | None
    speaker: Span | None


def predictions_from_record(record: Record) -> list[PredictedQuote]:
    """The spans of each quote of a record: content (its parts), cue and speaker mention."""
    return predictions_from_quotes(record.quotes)


def predictions_from_quotes(quotes: Iterable[Quote]) -> list[PredictedQuote]:
    predicted = []
    for quote in quotes:
        if not _claims_attribution(quote):
            continue
        content = tuple((p.start, p.end) for p in quote.parts) or ((quote.start, quote.end),)
        cue = ((quote.cue.start, quote.cue.end),) if quote.cue else None
        speaker = ((quote.speaker.start, quote.speaker.end),) if quote.speaker else None
        predicted.append(PredictedQuote(tuple(sorted(content)), cue, speaker))
    return predicted


def _claims_attribution(quote: Quote) -> bool:
    """Scare quotes and quotations with no cue, speaker or source claim no attribution
    relation, the only thing a PolNeAR-style annotation holds (docs/evaluation.md)."""
    if quote.kind == "scare":
        return False
    return quote.cue is not None or quote.speaker is not None or quote.source_id is not None


class TextIndex:
    """Word characters and tokens of one article text, for comparing spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._token_of: list[int] = []
        token, inside = -1, False
        for char in text:
            if char.isalnum():
                if not inside:
                    token += 1
                self._token_of.append(token)
                inside = True
            else:
                self._token_of.append(-1)
                inside = False
        self._quoted = quoted_characters(text)

    def key(self, span: Span) -> frozenset[int]:
        """The offsets of the word characters a span covers (its exact-match identity)."""
        # Clipped to the text, so that a bad predicted offset scores as a miss, not a crash.
        offsets = [i for s, e in span for i in range(max(s, 0), min(e, len(self.text)))]
        words = frozenset(i for i in offsets if self._token_of[i] >= 0)
        return words or frozenset(i for i in offsets if not self.text[i].isspace())

    def tokens(self, span: Span) -> frozenset[int]:
        """The tokens a span touches; for a span without letters or digits (a cue ":" or
        "―"), each of its characters stands for a token, so that it can still match."""
        key = self.key(span)
        words = frozenset(self._token_of[i] for i in key if self._token_of[i] >= 0)
        return words or frozenset(-1 - i for i in key)

    def show(self, span: Span) -> str:
        return " … ".join(self.text[s:e] for s, e in span)

    def is_direct(self, span: Span) -> bool:
        """Whether every letter and digit of the span lies inside quotation marks."""
        words = [i for i in self.key(span) if self._token_of[i] >= 0]
        return bool(words) and all(self._quoted[i] for i in words)


def quoted_characters(text: str) -> bytearray:
    """1 for each character inside double quotation marks, 0 elsewhere.

    Curly marks nest (“ opens, ” closes), straight ones toggle; the state is reset at each
    line break, since a quote running over paragraphs reopens each of them with a mark.
    A ” opening a paragraph is taken as a misprinted “.
    """
    quoted = bytearray(len(text))
    curly, straight = 0, False
    line_start = True
    for i, char in enumerate(text):
        if char == "\n":
            curly, straight, line_start = 0, False, True
            continue
        if char in OPENING_QUOTES or (char in CLOSING_QUOTES and line_start and not curly):
            curly += 1
        elif char in CLOSING_QUOTES:
            curly = max(0, curly - 1)
        elif char == '"':
            straight = not straight
        elif curly or straight:
            quoted[i] = 1
        if not char.isspace():
            line_start = False
    return quoted


@dataclass(frozen=True)
class Item:
    """One span on one side of a comparison, with what it is compared by."""

    span: Span
    key: frozenset[int]
    tokens: frozenset[int]
    index: int  # position in the side's list of quotes/attributions


def overlap_score(predicted: frozenset[int], gold: frozenset[int]) -> float:
    """Shared tokens over the larger token count: a match at 0.5 or more."""
    if not predicted or not gold:
        return 0.0
    return len(predicted & gold) / max(len(predicted), len(gold))


def overlaps(predicted: frozenset[int], gold: frozenset[int]) -> bool:
    return overlap_score(predicted, gold) >= 0.5


def match_exact(predicted: Sequence[Item], gold: Sequence[Item]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index) of items with equal word characters."""
    waiting: dict[frozenset[int], list[int]] = {}
    for g, item in enumerate(gold):
        waiting.setdefault(item.key, []).append(g)
    pairs = []
    for p, item in enumerate(predicted):
        if waiting.get(item.key):
            pairs.append((p, waiting[item.key].pop(0)))
    return pairs


def match_overlap(predicted: Sequence[Item], gold: Sequence[Item]) -> list[tuple[int, int]]:
    """One-to-one pairs under token overlap, best-overlapping pairs first."""
    candidates = []
    for p, pred in enumerate(predicted):
        for g, ref in enumerate(gold):
            score = overlap_score(pred.tokens, ref.tokens)
            if score >= 0.5:
                candidates.append((-score, p, g))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, p, g in sorted(candidates):
        if p not in used_p and g not in used_g:
            pairs.append((p, g))
            used_p.add(p)
            used_g.add(g)
    return pairs


MATCHERS: dict[str, Callable[[Sequence[Item], Sequence[Item]], list[tuple[int, int]]]] = {
    "exact": match_exact,
    "overlap": match_overlap,
}


def _distinct(items: Iterable[Item]) -> list[Item]:
    seen: set[frozenset[int]] = set()
    kept = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            kept.append(item)
    return kept


@dataclass
class QuoteScorer:
    """Accumulates counts over (article, gold set) comparisons; ``errors`` gets JSON lines."""

    errors: IO[str] | None = None
    scores: dict[str, dict[str, PRF]] = field(
        default_factory=lambda: {r: {c: PRF() for c in CRITERIA} for r in ROLES}
    )
    by_kind: dict[str, dict[str, PRF]] = field(
        default_factory=lambda: {k: {c: PRF() for c in CRITERIA} for k in KINDS}
    )
    speaker_right: int = 0
    speaker_judged: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "articles": 0,
            "gold_sets": 0,
            "gold_quotes": 0,
            "gold_direct": 0,
            "predicted_quotes": 0,
            "predicted_direct": 0,
        }
    )

    def add_article(
        self,
        name: str,
        text: str,
        gold_sets: Sequence[GoldSet],
        predicted: Sequence[PredictedQuote],
    ) -> None:
        index = TextIndex(text)
        self.counts["articles"] += 1
        for gold in gold_sets:
            self._add_gold_set(name, index, gold, predicted)

    def _add_gold_set(
        self, name: str, index: TextIndex, gold: GoldSet, predicted: Sequence[PredictedQuote]
    ) -> None:
        report = _ErrorReport(self.errors, name, gold.path.name, index)
        attributions = gold.attributions
        self.counts["gold_sets"] += 1
        self.counts["gold_quotes"] += len(attributions)
        self.counts["predicted_quotes"] += len(predicted)

        def items(spans: Iterable[Span | None]) -> list[Item]:
            return [
                Item(s, index.key(s), index.tokens(s), i)
                for i, s in enumerate(spans)
                if s is not None
            ]

        pred_content = items(q.content for q in predicted)
        gold_content = items(a.content for a in attributions)
        sides = {
            "content": (pred_content, gold_content),
            "cue": (
                _distinct(items(q.cue for q in predicted)),
                _distinct(items(a.cue for a in attributions)),
            ),
            "source": (
                _distinct(items(q.speaker for q in predicted)),
                _distinct(items(a.source for a in attributions)),
            ),
        }
        for role, (pred, ref) in sides.items():
            pairs = {c: MATCHERS[c](pred, ref) for c in CRITERIA}
            for criterion, matched in pairs.items():
                _count(self.scores[role][criterion], matched, pred, ref)
            report.role(role, pred, ref, pairs["exact"], pairs["overlap"])
        content_pairs = match_overlap(pred_content, gold_content)
        self._judge_speakers(index, content_pairs, predicted, attributions, report)
        self._add_by_kind(index, pred_content, gold_content)

    def _judge_speakers(
        self,
        index: TextIndex,
        content_pairs: list[tuple[int, int]],
        predicted: Sequence[PredictedQuote],
        attributions: Sequence[GoldAttribution],
        report: _ErrorReport,
    ) -> None:
        for p, g in content_pairs:
            speaker, source = predicted[p].speaker, attributions[g].source
            if speaker is None or source is None:
                right = speaker is None and source is None
            else:
                right = overlaps(index.tokens(speaker), index.tokens(source))
            self.speaker_judged += 1
            self.speaker_right += right
            if not right:
                report.wrong_speaker(predicted[p], attributions[g])

    def _add_by_kind(self, index: TextIndex, pred: list[Item], gold: list[Item]) -> None:
        pred_direct = [index.is_direct(item.span) for item in pred]
        gold_direct = [index.is_direct(item.span) for item in gold]
        self.counts["predicted_direct"] += sum(pred_direct)
        self.counts["gold_direct"] += sum(gold_direct)
        for kind in KINDS:
            want = kind == "direct"
            pred_k = [item for item, d in zip(pred, pred_direct, strict=True) if d == want]
            gold_k = [item for item, d in zip(gold, gold_direct, strict=True) if d == want]
            for criterion in CRITERIA:
                matched = MATCHERS[criterion](pred_k, gold_k)
                _count(self.by_kind[kind][criterion], matched, pred_k, gold_k)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_judged if self.speaker_judged else 0.0

    def result(self) -> dict[str, Any]:
        """The scores as documented for ``onrecord eval quotes --json``."""
        scores: dict[str, Any] = {
            role: {c: self.scores[role][c].as_dict() for c in CRITERIA} for role in ROLES
        }
        scores["speaker_accuracy"] = self.speaker_accuracy
        scores["by_kind"] = {
            kind: {c: self.by_kind[kind][c].as_dict() for c in CRITERIA} for kind in KINDS
        }
        return scores


def _count(prf: PRF, pairs: list[tuple[int, int]], pred: Sequence[Item], gold: Sequence[Item]):
    prf.tp += len(pairs)
    prf.fp += len(pred) - len(pairs)
    prf.fn += len(gold) - len(pairs)


@dataclass
class _ErrorReport:
    """Writes misses, boundary errors, false positives and wrong speakers as JSON lines."""

    out: IO[str] | None
    article: str
    annotation: str
    index: TextIndex

    def _write(self, error: str, role: str, **spans: Span | None) -> None:
        if self.out is None:
            return
        entry: dict[str, Any] = {
            "article": self.article,
            "annotation": self.annotation,
            "role": role,
            "error": error,
        }
        for side, span in spans.items():
            entry[side] = (
                None
                if span is None
                else {"spans": [list(p) for p in span], "text": self.index.show(span)}
            )
        self.out.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def role(
        self,
        role: str,
        pred: Sequence[Item],
        gold: Sequence[Item],
        exact: list[tuple[int, int]],
        overlap: list[tuple[int, int]],
    ) -> None:
        if self.out is None:
            return
        exact_gold = {g for _, g in exact}
        exact_pred = {p for p, _ in exact}
        overlap_pred_of = {g: p for p, g in overlap}
        overlap_pred = {p for p, _ in overlap}
        for g, item in enumerate(gold):
            if g in exact_gold:
                continue
            if g in overlap_pred_of:
                p = overlap_pred_of[g]
                self._write("boundary", role, gold=item.span, predicted=pred[p].span)
            else:
                self._write("missed", role, gold=item.span)
        for p, item in enumerate(pred):
            if p not in exact_pred and p not in overlap_pred:
                self._write("false_positive", role, predicted=item.span)

    def wrong_speaker(self, predicted: PredictedQuote, gold: GoldAttribution) -> None:
        self._write(
            "wrong_speaker",
            "source",
            content=gold.content,
            gold=gold.source,
            predicted=predicted.speaker,
        )


@dataclass(frozen=True)
class LoadedArticle:
    name: str
    text: str
    gold_sets: tuple[GoldSet, ...]


def load_articles(corpus: Sequence[CorpusArticle]) -> list[LoadedArticle]:
    """Texts and annotations, all read (and checked) before any model runs."""
    loaded = []
    for article in corpus:
        text = read_text(article.text_path)
        gold_sets = tuple(read_ann(path, len(text)) for path in article.ann_paths)
        loaded.append(LoadedArticle(article.name, text, gold_sets))
    return loaded


Predictor = Callable[[Sequence[str]], Iterator[list[PredictedQuote]]]


def score_articles(
    articles: Sequence[LoadedArticle], predict: Predictor, errors: IO[str] | None = None
) -> QuoteScorer:
    """Run ``predict`` over the article texts (in order) and score it against every gold set."""
    scorer = QuoteScorer(errors=errors)
    predictions = predict([a.text for a in articles])
    for article, predicted in zip(articles, predictions, strict=True):
        scorer.add_article(article.name, article.text, article.gold_sets, predicted)
    return scorer


def pipeline_predictor(
    batch_size: int = 8, progress: bool = True, span_model: bool = True
) -> Predictor:
    """Predictions of the full onrecord pipeline (parsed once per article), with a progress bar
    on stderr; ``span_model=False`` leaves the attribution span model out (the rules alone)."""

    def predict(texts: Sequence[str]) -> Iterator[list[PredictedQuote]]:
        from ..attributions import span_model_components
        from ..pipeline import load, make_article, record_from_doc

        nlp = load()
        disabled = [] if span_model else span_model_components(nlp)
        docs = nlp.pipe(texts, batch_size=batch_size, disable=disabled)
        for text, doc in _with_progress(zip(texts, docs, strict=True), len(texts), progress):
            record = record_from_doc(doc, make_article(text), stages=("entities", "quotes"))
            yield predictions_from_record(record)

    return predict


def _with_progress(items: Iterable[Any], total: int, enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(
        items,
        total=total,
        description="scoring quotes",
        console=Console(stderr=True),
        transient=True,
    )


def evaluate_quotes(
    data: Path,
    *,
    limit: int | None = None,
    errors_path: Path | None = None,
    span_model: bool = True,
) -> QuoteScorer:
    """Score the pipeline on a PolNeAR-layout directory (the first ``limit`` articles)."""
    from .brat import list_corpus

    articles = load_articles(list_corpus(data)[:limit])
    predictor = pipeline_predictor(span_model=span_model)
    if errors_path is None:
        return score_articles(articles, predictor)
    # Written aside and renamed at the end, so that a failed run leaves no half-written dump.
    partial = errors_path.with_name(errors_path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            scorer = score_articles(articles, predictor, out)
        partial.replace(errors_path)
    except OSError as exc:
        raise DataError(f"{errors_path}: cannot write the error dump ({exc.strerror})") from exc
    finally:
        partial.unlink(missing_ok=True)
    return scorer
