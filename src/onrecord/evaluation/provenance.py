"""`onrecord eval provenance`: quote clusters and variants scored on PolNeAR.

The real gold spans and the synthetic copies (``provenance_data``) go through the store
exactly as ingest writes articles (a temporary SQLite database), so the clusters scored
are the ones users get. Reported:

- ``same_statement``: precision and recall of "these two quotes of different articles are
  one statement" (same cluster) against the gold pairs, and how many cross outlets;
- ``clusters``: B-cubed precision, recall and F1 against the gold pairs' connected groups;
- ``altered``: the synthetic copies labelled altered versus verbatim or trimmed;
- ``high_severity``: the alterations of a number, a negation or a name flagged high;
- ``copies_found``: the synthetic copies that joined their original's cluster.
"""

from __future__ import annotations

import random
import tempfile
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from ..record import Article, Quote, Record
from ..store import open_store
from .metrics import PRF
from .provenance_data import (
    HIGH,
    ArticleSpans,
    Copy,
    Span,
    gold_pairs,
    make_copies,
    read_articles,
)

SEED = 13
SYNTHETIC_ORIGINALS = 400  # real direct quotes copied and altered
SYNTHETIC_DATE = "2099-01-01"  # after every real article: the originals come first


def evaluate_provenance(
    data: Path, *, seed: int = SEED, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    say = progress or (lambda _message: None)
    articles = read_articles(data)
    spans = [span for article in articles for span in article.spans]
    say(f"{len(articles)} articles, {len(spans)} gold content spans")
    gold = gold_pairs(spans)
    say(f"{len(gold)} gold same-statement pairs")
    with tempfile.TemporaryDirectory(prefix="onrecord-provenance-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'eval.db'}")
        try:
            quote_ids = _ingest_real(store, articles)
            cluster_of = _clusters(store)
            originals = _originals(store, spans, quote_ids, seed)
            copies = make_copies(spans, originals, seed)
            copy_ids = _ingest_copies(store, spans, copies)
            members = _members(store)
            cluster_of = {q: m["cluster_id"] for q, m in members.items()}
        finally:
            store.close()
    scores = {
        "data": str(data),
        "articles": len(articles),
        "spans": len(spans),
        "gold_pairs": len(gold),
        "same_statement": _pair_scores(spans, quote_ids, cluster_of, gold),
        "clusters": _bcubed(spans, quote_ids, cluster_of, gold),
    }
    scores.update(_copy_scores(spans, quote_ids, copies, copy_ids, members))
    return scores


def _ingest_real(store: Any, articles: list[ArticleSpans]) -> list[str]:
    """Each article with its gold spans as quotes; the stored id of every span, in order."""
    ids: list[str] = []
    for article in articles:
        record = Record(
            article=Article(
                id=Article.make_id(article.text),
                text=article.text,
                url=f"polnear:{article.name}",
                published=article.published,
            ),
            quotes=tuple(
                Quote(f"q{i}", span.kind, span.content, span.start, span.end, content=span.content)  # type: ignore[arg-type]
                for i, span in enumerate(article.spans)
            ),
        )
        store.add_record(record, outlet=article.outlet)
        ids.extend(f"{record.article.id}:q{i}" for i in range(len(article.spans)))
    return ids


def _ingest_copies(store: Any, spans: list[Span], copies: list[Copy]) -> list[str]:
    ids = []
    for number, made in enumerate(copies):
        text = f"Synthetic copy {number}: {made.content}"
        article = Article(
            id=Article.make_id(text), text=text, url=f"synthetic:{number}", published=SYNTHETIC_DATE
        )
        quote = Quote("q0", "direct", made.content, 0, len(text), content=made.content)
        store.add_record(Record(article=article, quotes=(quote,)), outlet="synthetic")
        ids.append(f"{article.id}:q0")
    return ids


def _clusters(store: Any) -> dict[str, str | None]:
    return {q: m["cluster_id"] for q, m in _members(store).items()}


def _members(store: Any) -> dict[str, dict[str, Any]]:
    rows = store.conn.query(
        "SELECT m.quote_id, m.cluster_id, m.form_key, f.variant, f.severity,"
        " c.reference_key FROM cluster_members m"
        " LEFT JOIN cluster_forms f ON f.cluster_id = m.cluster_id AND f.form_key = m.form_key"
        " LEFT JOIN quote_clusters c ON c.id = m.cluster_id"
    )
    return {row["quote_id"]: row for row in rows}


def _originals(store: Any, spans: list[Span], quote_ids: list[str], seed: int) -> list[int]:
    """Real direct quotes of eight words or more that are their cluster's reference
    wording, so a copy's gold label is relative to the wording the store compares with."""
    members = _members(store)
    eligible = [
        i
        for i, span in enumerate(spans)
        if span.kind == "direct"
        and len(span.content.split()) >= 8
        and members[quote_ids[i]]["cluster_id"] is not None
        and members[quote_ids[i]]["form_key"] == members[quote_ids[i]]["reference_key"]
    ]
    rng = random.Random(seed)
    return sorted(rng.sample(eligible, min(SYNTHETIC_ORIGINALS, len(eligible))))


def _pair_scores(
    spans: list[Span],
    quote_ids: list[str],
    cluster_of: dict[str, str | None],
    gold: set[tuple[int, int]],
) -> dict[str, Any]:
    """Pairs of quotes of different articles, over direct quotes (both in quotation marks:
    the statements provenance is about) and over every gold span (PolNeAR's indirect
    content spans include bare noun phrases, "the former secretary of state")."""
    predicted = _predicted_pairs(spans, quote_ids, cluster_of)
    scores: dict[str, Any] = {}
    for subset in ("direct", "all"):

        def keep(pair: tuple[int, int], subset: str = subset) -> bool:
            return subset == "all" or all(spans[i].kind == "direct" for i in pair)

        prf = PRF()
        prf.add_sets({p for p in predicted if keep(p)}, {p for p in gold if keep(p)})
        scores[subset] = {
            **prf.as_dict(),
            "gold_pairs": prf.tp + prf.fn,
            "gold_cross_outlet": sum(
                1 for i, j in gold if keep((i, j)) and spans[i].outlet != spans[j].outlet
            ),
        }
    return scores


def _predicted_pairs(
    spans: list[Span], quote_ids: list[str], cluster_of: dict[str, str | None]
) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, quote_id in enumerate(quote_ids):
        cluster = cluster_of.get(quote_id)
        if cluster is not None:
            groups[cluster].append(index)
    return {
        (i, j)
        for members in groups.values()
        for i, j in combinations(sorted(members), 2)
        if spans[i].article != spans[j].article
    }


def _bcubed(
    spans: list[Span],
    quote_ids: list[str],
    cluster_of: dict[str, str | None],
    gold: set[tuple[int, int]],
) -> dict[str, float]:
    """B-cubed over the spans in any gold pair or predicted cluster of two or more."""
    gold_group = _components(len(spans), gold)
    predicted_group: dict[int, str] = {
        i: cluster_of.get(q) or f"alone:{i}" for i, q in enumerate(quote_ids)
    }
    by_gold: dict[int, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i in range(len(spans)):
        by_gold[gold_group[i]].add(i)
        by_pred[predicted_group[i]].add(i)
    scored = [
        i
        for i in range(len(spans))
        if len(by_gold[gold_group[i]]) > 1 or len(by_pred[predicted_group[i]]) > 1
    ]
    if not scored:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    precision = recall = 0.0
    for i in scored:
        same_gold, same_pred = by_gold[gold_group[i]], by_pred[predicted_group[i]]
        both = len(same_gold & same_pred)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / len(scored), recall / len(scored)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "items": len(scored),
    }


def _components(size: int, pairs: set[tuple[int, int]]) -> list[int]:
    parent = list(range(size))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[root(i)] = root(j)
    return [root(i) for i in range(size)]


def _copy_scores(
    spans: list[Span],
    quote_ids: list[str],
    copies: list[Copy],
    copy_ids: list[str],
    members: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    altered, high = PRF(), PRF()
    found = 0
    by_change: dict[str, dict[str, int]] = defaultdict(lambda: {"copies": 0, "flagged": 0})
    for made, copy_id in zip(copies, copy_ids, strict=True):
        member = members[copy_id]
        original = members[quote_ids[made.original]]
        joined = member["cluster_id"] is not None and member["cluster_id"] == original["cluster_id"]
        found += joined
        is_altered = made.change not in ("verbatim", "trimmed")
        said_altered = joined and member["variant"] == "altered"
        said_high = said_altered and member["severity"] == "high"
        altered.add_sets({0} if said_altered else set(), {0} if is_altered else set())
        high.add_sets({0} if said_high else set(), {0} if made.change in HIGH else set())
        by_change[made.change]["copies"] += 1
        by_change[made.change]["flagged"] += int(said_high if made.change in HIGH else said_altered)
    return {
        "synthetic_copies": len(copies),
        "copies_found": found / len(copies) if copies else 0.0,
        "altered": altered.as_dict(),
        "high_severity": high.as_dict(),
        "by_change": dict(sorted(by_change.items())),
    }
