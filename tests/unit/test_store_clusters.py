"""Quote clusters kept at ingest, on SQLite and PostgreSQL: copies of one statement across
articles, their variants, first appearance, and re-ingest without double members."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onrecord.record import Article, Quote, Record
from onrecord.store import Store, open_store

from .test_store import store_url

__all__ = ["store_url"]

STATEMENT = "Illegal migration is down 85% since January, and we will keep going."


def article(body: str, quotes: list[tuple[str, str]], *, url: str, published: str | None) -> Record:
    text = f"{body}\n\n" + "\n\n".join(f"“{content}” an official said." for _, content in quotes)
    made = []
    for i, (kind, content) in enumerate(quotes):
        start = text.index(content)
        made.append(
            Quote(f"q{i}", kind, content, start, start + len(content), content=content)  # type: ignore[arg-type]
        )
    return Record(
        article=Article(Article.make_id(text), text, url=url, published=published),
        quotes=tuple(made),
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def quote_id(record: Record, index: int = 0) -> str:
    return f"{record.article.id}:q{index}"


def test_copies_across_outlets_form_one_cluster_with_their_variants(store: Store) -> None:
    first = article(
        "A", [("direct", STATEMENT)], url="https://www.wire.example/a", published="2024-01-02"
    )
    trimmed = article(
        "B",
        [("direct", "down 85% since January")],
        url="https://b.example/b",
        published="2024-01-03",
    )
    altered = article(
        "C",
        [("direct", STATEMENT.replace("85", "58"))],
        url="https://c.example/c",
        published="2024-01-04",
    )
    other = article(
        "D",
        [("direct", "The budget will be balanced within four years")],
        url="https://d.example/d",
        published="2024-01-01",
    )
    for record in (first, trimmed, altered, other):
        assert store.add_record(record) == "added"
    cluster_id = store.quote_cluster_id(quote_id(first))
    assert cluster_id is not None
    assert store.quote_cluster_id(quote_id(trimmed)) == cluster_id
    assert store.quote_cluster_id(quote_id(altered)) == cluster_id
    assert store.quote_cluster_id(quote_id(other)) != cluster_id
    cluster = store.cluster(cluster_id)
    assert cluster is not None
    assert (cluster["articles"], cluster["altered"], cluster["high_severity"]) == (3, 1, 1)
    variants = {item["quote_id"]: item for item in cluster["appearances"]}
    assert variants[quote_id(trimmed)]["variant"] == "trimmed"
    assert variants[quote_id(altered)]["variant"] == "altered"
    assert variants[quote_id(altered)]["reasons"] == ["number"]
    assert ("insert", "58") in variants[quote_id(altered)]["diff"]
    assert cluster["first_appearance"]["quote_id"] == quote_id(first)
    assert cluster["first_appearance"]["outlet"] == "wire.example"  # no site name: URL host


def test_first_appearance_is_the_earliest_date_then_ingest_order(store: Store) -> None:
    later = article(
        "late", [("direct", STATEMENT)], url="https://a.example/1", published="2024-03-01"
    )
    earlier = article(
        "early", [("direct", STATEMENT)], url="https://b.example/2", published="2024-02-01"
    )
    undated = article("undated", [("direct", STATEMENT)], url="https://c.example/3", published=None)
    same_day = article(
        "same day", [("direct", STATEMENT)], url="https://d.example/4", published="2024-02-01"
    )
    for record in (undated, later, earlier, same_day):
        store.add_record(record, outlet=f"Outlet {record.article.text[:5]}")
    cluster = store.cluster(store.quote_cluster_id(quote_id(later)) or "")
    assert cluster is not None
    order = [item["quote_id"] for item in cluster["appearances"]]
    assert order == [quote_id(r) for r in (earlier, same_day, later, undated)]
    assert cluster["first_appearance"]["outlet"] == "Outlet early"


def test_reingesting_with_force_does_not_double_members(store: Store) -> None:
    one = article("A", [("direct", STATEMENT)], url="https://a.example/1", published="2024-01-01")
    two = article("B", [("direct", STATEMENT)], url="https://b.example/2", published="2024-01-02")
    store.add_record(one)
    store.add_record(two)
    assert store.add_record(two) == "duplicate"
    assert store.add_record(two, force=True) == "replaced"
    cluster = store.cluster(store.quote_cluster_id(quote_id(one)) or "")
    assert cluster is not None and cluster["quotes"] == 2 and cluster["articles"] == 2


def test_replacing_the_only_article_of_a_cluster_leaves_no_trace(store: Store) -> None:
    one = article("A", [("direct", STATEMENT)], url="https://a.example/1", published="2024-01-01")
    store.add_record(one)
    changed = article(
        "A2",
        [("direct", "Something else entirely was said today")],
        url="https://a.example/1",
        published="2024-01-01",
    )
    assert store.add_record(changed, force=True) == "replaced"
    assert (
        store.conn.scalar("SELECT COUNT(*) AS n FROM quote_clusters WHERE id = ?", (quote_id(one),))
        == 0
    )
    assert store.cluster_for_text(STATEMENT) is None


def test_the_reference_becomes_the_fuller_wording(store: Store) -> None:
    part = article(
        "A",
        [("direct", "down 85% since January")],
        url="https://a.example/1",
        published="2024-01-01",
    )
    full = article("B", [("direct", STATEMENT)], url="https://b.example/2", published="2024-01-02")
    store.add_record(part)
    store.add_record(full)
    cluster = store.cluster(store.quote_cluster_id(quote_id(part)) or "")
    assert cluster is not None
    assert cluster["reference"].startswith("illegal migration is down 85 percent")
    variants = {item["quote_id"]: item["variant"] for item in cluster["appearances"]}
    assert variants == {quote_id(part): "trimmed", quote_id(full): "verbatim"}


def test_indirect_speech_joins_as_a_paraphrase(store: Store) -> None:
    direct = article(
        "A", [("direct", STATEMENT)], url="https://a.example/1", published="2024-01-01"
    )
    indirect = article(
        "B",
        [("indirect", "illegal migration is down 85% since January")],
        url="https://b.example/2",
        published="2024-01-02",
    )
    store.add_record(direct)
    store.add_record(indirect)
    cluster = store.cluster(store.quote_cluster_id(quote_id(direct)) or "")
    assert cluster is not None and cluster["paraphrases"] == 1
    assert {i["variant"] for i in cluster["appearances"]} == {"verbatim", "paraphrase"}


def test_a_quote_too_short_to_trace_has_no_cluster(store: Store) -> None:
    short = article(
        "A", [("direct", "a total disaster")], url="https://a.example/1", published=None
    )
    store.add_record(short)
    assert store.quote_exists(quote_id(short))
    assert store.quote_cluster_id(quote_id(short)) is None


def test_quotes_stored_without_clusters_are_clustered_afterwards(store: Store) -> None:
    store.clustering = False
    one = article("A", [("direct", STATEMENT)], url="https://a.example/1", published="2024-01-01")
    two = article("B", [("direct", STATEMENT)], url="https://b.example/2", published="2024-01-02")
    store.add_record(one)
    store.add_record(two)
    assert store.quote_cluster_id(quote_id(one)) is None
    assert store.cluster_backlog() == 2
    assert store.cluster_backlog() == 0
    cluster_id = store.quote_cluster_id(quote_id(one))
    assert cluster_id is not None and store.quote_cluster_id(quote_id(two)) == cluster_id


def test_an_article_page_counts_come_from_other_articles(store: Store) -> None:
    one = article(
        "A",
        [("direct", STATEMENT), ("direct", "Nobody else ever said these words here")],
        url="https://a.example/1",
        published="2024-01-01",
    )
    two = article(
        "B",
        [("direct", STATEMENT.replace("not", "").replace("is down", "is not down"))],
        url="https://b.example/2",
        published="2024-01-02",
    )
    store.add_record(one)
    store.add_record(two)
    seen = store.article_clusters(one.article.id)
    assert list(seen) == [quote_id(one)]
    assert seen[quote_id(one)]["articles"] == 2 and seen[quote_id(one)]["altered"] == 1


def test_upgrading_an_older_database_clusters_its_quotes(store_url: str) -> None:
    from onrecord.store.db import connect

    old = Store(connect(store_url, read_only=False), url=store_url, read_only=False)
    before_clusters = [m for m in old.migrations() if m[0] < 5]
    old.migrations = lambda: before_clusters  # type: ignore[method-assign]
    old.upgrade()
    for number in (1, 2):
        old.conn.execute(
            "INSERT INTO articles (id, text, schema_version, ingested_at) VALUES (?, ?, ?, ?)",
            (f"a{number}", f"{number}: {STATEMENT}", 1, f"2020-01-0{number}T00:00:00"),
        )
        old.conn.execute(
            "INSERT INTO quotes (id, article_id, local_id, position, kind, text, start_char,"
            " end_char, parts, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f"a{number}:q1", f"a{number}", "q1", 0, "direct", STATEMENT, 3, 80, "[]", STATEMENT),
        )
    old.close()
    with open_store(store_url) as upgraded:
        cluster_id = upgraded.quote_cluster_id("a1:q1")
        assert cluster_id == "a1:q1" and upgraded.quote_cluster_id("a2:q1") == cluster_id
