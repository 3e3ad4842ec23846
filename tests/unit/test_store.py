"""The corpus store on SQLite and on a real PostgreSQL server (each test its own schema).

Records are built by hand so the tests do not depend on what extraction finds.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from onrecord.record import (
    Article,
    Entity,
    Offsets,
    Quantity,
    Quote,
    Record,
    Source,
    TextSpan,
    Time,
)
from onrecord.store import MARK_END, MARK_START, QuoteQuery, Store, StoreError, open_store

from ..conftest import require

BORDER = (
    "WASHINGTON — Mexico's president met Trump on Wednesday.\n\n"
    "“The numbers tell a story, but not the whole story,” said Ariel G. Ruiz Soto, a policy "
    "analyst at the Migration Policy Institute.\n\n"
    "A senior administration official said border crossings fell 85% since June.\n"
)
TRADE = (
    "MEXICO CITY — Trade grew 5% in the second quarter, said Ruiz Soto of the Migration "
    "Policy Institute.\n\n"
    "An official who asked not to be named said tariffs would not return.\n\n"
    "“Our border is open for business,” said John Smith, a spokesman for Acme Corp.\n"
)
FACTORY = (
    "Acme will close the plant, cutting 1,400 jobs.\n\n"
    "“It is a sad day for the town,” said John Smith, a professor at the University of "
    "Chicago.\n"
)


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def quote(text: str, qid: str, quoted: str, source_id: str | None, kind: str = "direct") -> Quote:
    start, end = span(text, quoted)
    return Quote(
        id=qid,
        kind=kind,  # type: ignore[arg-type]
        text=quoted,
        start=start,
        end=end,
        parts=(Offsets(start, end),),
        cue=TextSpan("said", *span(text, "said")),
        speaker=None,
        source_id=source_id,
        content=quoted,
    )


def person(
    text: str, sid: str, name: str, titles: tuple[str, ...] = (), affiliations: tuple[str, ...] = ()
) -> Source:
    return Source(
        id=sid,
        name=name,
        kind="person",
        titles=titles,
        affiliations=affiliations,
        mentions=(Offsets(*span(text, name)),),
    )


def anonymous(sid: str, name: str) -> Source:
    return Source(id=sid, name=name, kind="anonymous")


def article(text: str, url: str, title: str, published: str) -> Article:
    return Article(id=Article.make_id(text), text=text, url=url, title=title, published=published)


def border_record() -> Record:
    text = BORDER
    start, end = span(text, "85%")
    return Record(
        article=article(text, "https://example.com/border", "Border talks", "2020-07-08"),
        entities=(Entity("e1", "Trump", *span(text, "Trump"), "PERSON", "Donald Trump"),),
        sources=(
            person(
                text,
                "s1",
                "Ariel G. Ruiz Soto",
                ("policy analyst",),
                ("Migration Policy Institute",),
            ),
            anonymous("s2", "A senior administration official"),
        ),
        quotes=(
            quote(text, "q1", "The numbers tell a story, but not the whole story", "s1"),
            quote(text, "q2", "border crossings fell 85% since June", "s2", "indirect"),
        ),
        quantities=(Quantity("n1", "85%", start, end, 85.0, "percent", change="decrease"),),
        times=(Time("t1", "Wednesday", *span(text, "Wednesday"), "DATE", "2020-07-08"),),
    )


def trade_record() -> Record:
    text = TRADE
    return Record(
        article=article(text, "https://example.com/trade", "Trade grows", "2020-08-14"),
        sources=(
            person(text, "s1", "Ruiz Soto", affiliations=("the Migration Policy Institute",)),
            anonymous("s2", "An official who asked not to be named"),
            person(text, "s3", "John Smith", ("spokesman",), ("Acme Corp",)),
        ),
        quotes=(
            quote(text, "q1", "Trade grew 5% in the second quarter", "s1", "indirect"),
            quote(text, "q2", "tariffs would not return", "s2", "indirect"),
            quote(text, "q3", "Our border is open for business", "s3"),
        ),
        quantities=(Quantity("n1", "5%", *span(text, "5%"), 5.0, "percent", change="increase"),),
    )


def factory_record() -> Record:
    text = FACTORY
    return Record(
        article=article(text, "https://example.com/factory", "Plant closes", "2019-11-04"),
        sources=(person(text, "s1", "John Smith", ("professor",), ("University of Chicago",)),),
        quotes=(quote(text, "q1", "It is a sad day for the town", "s1"),),
        quantities=(Quantity("n1", "1,400", *span(text, "1,400"), 1400.0, "count"),),
    )


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    import psycopg

    base = os.environ.get("ONRECORD_TEST_PG")
    require(bool(base), "ONRECORD_TEST_PG is not set (a PostgreSQL URL for the tests)")
    assert base is not None
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        require(False, f"PostgreSQL at ONRECORD_TEST_PG is unreachable: {exc}")
        raise
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(base, schema)
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def corpus(store: Store) -> Store:
    for record, outlet in (
        (border_record(), "Example Wire"),
        (trade_record(), "Example Wire"),
        (factory_record(), "Example Business"),
    ):
        assert store.add_record(record, outlet=outlet) == "added"
    return store


# -- writing ------------------------------------------------------------------------------


def test_a_stored_article_comes_back_exactly(store: Store) -> None:
    record = border_record()
    store.add_record(record, outlet="Example Wire", source_path="border.json")
    found = store.get_article(record.article.id)
    assert found is not None
    assert found["record"] == record.to_dict()
    assert found["outlet"] == "Example Wire"
    assert set(found["source_ids"]) == {"s1", "s2"}
    assert store.get_article("nope") is None


def test_the_same_text_or_url_is_a_duplicate_and_force_replaces(store: Store) -> None:
    record = border_record()
    assert store.add_record(record) == "added"
    assert store.add_record(record) == "duplicate"
    same_url = Record(
        article=Article(
            id=Article.make_id("Another text."), text="Another text.", url=record.article.url
        )
    )
    assert store.add_record(same_url) == "duplicate"
    assert store.add_record(same_url, force=True) == "replaced"
    assert store.list_articles().total == 1
    assert store.stats()["quotes"] == 0  # the old article's quotes went with it
    assert store.list_sources().total == 0  # and so did sources no one else quotes


def test_a_record_that_cannot_be_stored_leaves_nothing_behind(store: Store) -> None:
    broken = border_record()
    twice = broken.quotes[0]
    bad = Record(article=broken.article, sources=broken.sources, quotes=(twice, twice))
    with pytest.raises(Exception):  # noqa: B017  (the engine's integrity error)
        store.add_record(bad)
    assert store.list_articles().total == 0
    assert store.list_sources().total == 0
    assert store.add_record(border_record()) == "added"


def test_failures_are_recorded_and_cleared_by_a_later_success(store: Store) -> None:
    store.record_failure("bad.html", "no article text found in the HTML")
    store.record_failure("bad.html", "still broken")
    store.record_failure("border.json", "temporary")
    assert [(f["path"], f["reason"]) for f in store.failures()] == [
        ("bad.html", "still broken"),
        ("border.json", "temporary"),
    ]
    store.add_record(border_record(), source_path="border.json")
    assert [f["path"] for f in store.failures()] == ["bad.html"]


def test_upgrade_is_idempotent_and_read_only_refuses_writes(store_url: str) -> None:
    with open_store(store_url) as first:
        first.upgrade()
        first.add_record(border_record())
        version = first.schema_version()
    assert version >= 1
    with open_store(store_url, read_only=True) as reader:
        assert reader.list_articles().total == 1
        with pytest.raises(StoreError, match="read-only"):
            reader.add_record(trade_record())


def test_read_only_on_a_missing_sqlite_file_says_so(tmp_path) -> None:
    with pytest.raises(StoreError, match="no such database file"):
        open_store(f"sqlite:///{tmp_path / 'missing.db'}", read_only=True)


def test_unknown_database_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unknown database URL"):
        open_store("mysql://somewhere/db")


# -- identity across articles -------------------------------------------------------------


def test_one_identity_per_source_across_articles(corpus: Store) -> None:
    ruiz = corpus.find_sources("Ruiz Soto")
    assert len(ruiz) == 1
    found = corpus.get_source(ruiz[0]["id"])
    assert found is not None
    assert found["name"] == "Ariel G. Ruiz Soto"
    assert set(found["aliases"]) == {"Ariel G. Ruiz Soto", "Ruiz Soto"}
    assert "policy analyst" in found["titles"]
    assert [q["published"] for q in found["quotes"]] == ["2020-07-08", "2020-08-14"]


def test_two_john_smiths_with_different_affiliations_are_two_sources(corpus: Store) -> None:
    smiths = corpus.find_sources("John Smith")
    assert len(smiths) == 2
    affiliations = {tuple(corpus.get_source(s["id"])["affiliations"]) for s in smiths}  # type: ignore[index]
    assert affiliations == {("Acme Corp",), ("University of Chicago",)}


def test_anonymous_sources_are_never_merged(corpus: Store) -> None:
    anonymous_sources = [s for s in corpus.list_sources(top=50).items if s["kind"] == "anonymous"]
    assert len(anonymous_sources) == 2
    assert all(s["articles"] == 1 for s in anonymous_sources)


def test_source_ids_are_stable_across_databases(store: Store, tmp_path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        for target in (store, other):
            target.add_record(border_record())
            target.add_record(trade_record())
        ids = {s["name"]: s["id"] for s in store.list_sources(top=50).items}
        other_ids = {s["name"]: s["id"] for s in other.list_sources(top=50).items}
    assert ids == other_ids


# -- questions ----------------------------------------------------------------------------


def test_search_ranks_matches_and_marks_them(corpus: Store) -> None:
    page = corpus.search_quotes(QuoteQuery(text="border"))
    assert page.total == 2
    assert {item["article_title"] for item in page.items} == {"Border talks", "Trade grows"}
    for item in page.items:
        assert f"{MARK_START}border{MARK_END}" in item["snippet"].lower()
        assert item["snippet"].replace(MARK_START, "").replace(MARK_END, "") in item["text"]
    stemmed = corpus.search_quotes(QuoteQuery(text="stories"))
    assert [item["source_name"] for item in stemmed.items] == ["Ariel G. Ruiz Soto"]


def test_search_filters(corpus: Store) -> None:
    def titles(**filters: object) -> set[str]:
        items = corpus.search_quotes(QuoteQuery(**filters)).items  # type: ignore[arg-type]
        return {item["text"] for item in items}

    assert titles(anonymous=True) == {
        "border crossings fell 85% since June",
        "tariffs would not return",
    }
    assert len(titles(anonymous=False)) == 4
    assert titles(source="ruiz") == {
        "The numbers tell a story, but not the whole story",
        "Trade grew 5% in the second quarter",
    }
    assert titles(outlet="example business") == {"It is a sad day for the town"}
    assert titles(date_from="2020-08-01") == {
        "Trade grew 5% in the second quarter",
        "tariffs would not return",
        "Our border is open for business",
    }
    assert titles(date_to="2019-12-31") == {"It is a sad day for the town"}
    assert titles(kind="indirect", text="border") == {"border crossings fell 85% since June"}
    assert titles(source="100%_no_such") == set()


def test_search_pages_and_odd_input(corpus: Store) -> None:
    first = corpus.search_quotes(QuoteQuery(limit=2))
    second = corpus.search_quotes(QuoteQuery(limit=2, offset=2))
    assert first.total == second.total == 6
    assert len(first.items) == 2 and len(second.items) == 2
    assert not {i["quote_id"] for i in first.items} & {i["quote_id"] for i in second.items}
    assert first.items[0]["published"] == "2020-08-14"  # newest first without search text
    for odd in ('"unbalanced', "AND OR NOT (", "*", "'; DROP TABLE quotes; --", "sad day"):
        corpus.search_quotes(QuoteQuery(text=odd))  # never a syntax error
    assert corpus.search_quotes(QuoteQuery(text='"sad day"')).total == 1
    assert corpus.stats()["quotes"] == 6


def test_search_or_and_minus_mean_the_same_on_both_engines(corpus: Store) -> None:
    def texts(query: str) -> set[str]:
        return {item["text"] for item in corpus.search_quotes(QuoteQuery(text=query)).items}

    border = texts("border")
    trade = texts("trade")
    assert border and trade and not border & trade
    assert texts("border OR trade") == border | trade
    assert texts("border -crossings") == border - texts("crossings")
    assert texts('border -"crossings fell"') == border - texts('"crossings fell"')
    assert texts("open OR trade business") == texts("business") & (texts("open") | trade)
    assert texts("-border") == set()  # only excluded words: nothing to find, on both


def test_sources_listing(corpus: Store) -> None:
    page = corpus.list_sources(top=2)
    assert page.total == 5
    top = page.items[0]
    assert top["name"] == "Ariel G. Ruiz Soto"
    assert (top["quotes"], top["articles"], top["outlets"]) == (2, 2, 1)
    assert (top["first_seen"], top["last_seen"]) == ("2020-07-08", "2020-08-14")


def test_stats_share_of_anonymous_quotes(corpus: Store) -> None:
    stats = corpus.stats()
    assert (stats["articles"], stats["quotes"], stats["sources"]) == (3, 6, 5)
    wire = next(row for row in stats["by_outlet"] if row["outlet"] == "Example Wire")
    assert (wire["quotes"], wire["anonymous"], wire["named"]) == (5, 2, 3)
    assert wire["anonymous_share"] == pytest.approx(0.4)
    months = {row["month"]: row for row in stats["by_month"]}
    assert list(months) == ["2019-11", "2020-07", "2020-08"]
    assert months["2020-07"]["anonymous_share"] == pytest.approx(0.5)
    assert stats["top_sources"][0]["name"] == "Ariel G. Ruiz Soto"


def test_figures_with_sentence_and_source(corpus: Store) -> None:
    page = corpus.figures("crossings")
    assert page.total == 1
    figure = page.items[0]
    assert figure["text"] == "85%" and figure["value"] == 85.0
    assert figure["sentence"] == (
        "A senior administration official said border crossings fell 85% since June."
    )
    assert figure["source_name"] == "A senior administration official"
    assert corpus.figures().total == 3


def test_list_articles_newest_first(corpus: Store) -> None:
    page = corpus.list_articles(limit=2)
    assert page.total == 3
    assert [a["title"] for a in page.items] == ["Trade grows", "Border talks"]
    assert page.items[0]["quotes"] == 3


def test_export_every_kind(corpus: Store) -> None:
    counts = {what: len(list(corpus.export(what))) for what in ("articles", "quotes", "sources")}
    assert counts == {"articles": 3, "quotes": 6, "sources": 5}
    quantities = list(corpus.export("quantities"))
    assert {q["text"] for q in quantities} == {"85%", "5%", "1,400"}
    times = list(corpus.export("times"))
    assert times[0]["value"] == "2020-07-08"
    with pytest.raises(StoreError, match="unknown export"):
        list(corpus.export("secrets"))


def test_an_older_database_is_upgraded_in_place(store_url: str) -> None:
    from onrecord.store.db import connect

    old = Store(connect(store_url, read_only=False), url=store_url, read_only=False)
    first_only = old.migrations()[:1]
    old.migrations = lambda: first_only  # type: ignore[method-assign]
    old.upgrade()
    old.conn.execute(
        "INSERT INTO articles (id, text, schema_version, ingested_at) VALUES (?, ?, ?, ?)",
        ("a1", "Kept across the upgrade.", 1, "2020-01-01T00:00:00"),
    )
    old.close()
    with pytest.raises(StoreError, match="onrecord db upgrade"):
        open_store(store_url, read_only=True)
    with open_store(store_url) as upgraded:
        assert upgraded.schema_version() == max(v for v, _, _ in upgraded.migrations()) > 1
        assert upgraded.list_articles().items[0]["id"] == "a1"
        upgraded.add_record(border_record(), author="Jane Reporter")
        found = upgraded.get_article(border_record().article.id)
    assert found is not None and found["author"] == "Jane Reporter"


def test_quotes_stored_before_content_existed_get_their_parts_joined(store_url: str) -> None:
    from onrecord.store.db import connect

    old = Store(connect(store_url, read_only=False), url=store_url, read_only=False)
    before_content = [m for m in old.migrations() if m[0] < 4]
    old.migrations = lambda: before_content  # type: ignore[method-assign]
    old.upgrade()
    text = "“We will talk,” the minister said. “We will not wait forever.”"
    old.conn.execute(
        "INSERT INTO articles (id, text, schema_version, ingested_at) VALUES (?, ?, ?, ?)",
        ("a1", text, 1, "2020-01-01T00:00:00"),
    )
    parts = [{"start": 1, "end": 14}, {"start": 36, "end": 61}]
    old.conn.execute(
        "INSERT INTO quotes (id, article_id, local_id, position, kind, text, start_char,"
        " end_char, parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("a1:q1", "a1", "q1", 0, "direct", text[1:61], 1, 61, json.dumps(parts)),
    )
    old.close()
    with open_store(store_url) as upgraded:
        (item,) = upgraded.search_quotes(QuoteQuery(text="forever")).items
        assert item["content"] == "We will talk, … We will not wait forever."
        assert upgraded.search_quotes(QuoteQuery(text="minister")).total == 0


def test_a_split_quote_is_listed_searched_and_exported_by_its_words_alone(store: Store) -> None:
    text = "“We are ready to talk,” the minister said. “We will not wait forever.”"
    parts = (Offsets(*span(text, "We are ready to talk,")), Offsets(*span(text, "We will not")))
    parts = (parts[0], Offsets(parts[1].start, text.index("forever.") + len("forever.")))
    split = Quote(
        id="q1",
        kind="direct",
        text=text[parts[0].start : parts[1].end],
        start=parts[0].start,
        end=parts[1].end,
        parts=parts,
        cue=TextSpan("said", *span(text, "said")),
        speaker=None,
        source_id=None,
    )  # built without content: the store derives it from the parts
    store.add_record(
        Record(
            article=article(text, "https://example.com/talks", "Talks", "2020-01-02"),
            quotes=(split,),
        )
    )
    (row,) = store.export("quotes")
    assert row["content"] == "We are ready to talk … We will not wait forever."
    assert "minister said" in row["text"]  # text keeps the covering span
    assert store.search_quotes(QuoteQuery(text="minister")).total == 0
    (item,) = store.search_quotes(QuoteQuery(text="forever")).items
    assert "minister" not in item["snippet"]


def test_display_and_duration_links_are_recomputed_on_reading(store: Store) -> None:
    text = "He was sentenced to three years in prison, the court said Wednesday."
    record = Record(
        article=article(text, "https://example.com/court", "Court", "2020-07-08"),
        quantities=(
            Quantity(
                "n1", "three years", *span(text, "three years"), 3.0, "duration", "year",
                time_id="t1",
            ),
        ),
        times=(
            Time("t1", "three years", *span(text, "three years"), "DURATION", "P3Y"),
            Time("t2", "Wednesday", *span(text, "Wednesday"), "DATE", "2020-07-08"),
        ),
    )  # fmt: skip
    store.add_record(record)
    found = store.get_article(record.article.id)
    assert found is not None
    assert found["record"] == record.to_dict()  # time_id and display, though not stored
    quantity = found["record"]["quantities"][0]
    assert (quantity["time_id"], quantity["display"]) == ("t1", "3 years")
    assert [t["display"] for t in found["record"]["times"]] == [
        "3 years",
        "Wednesday 8 July 2020",
    ]
    assert [q["display"] for q in store.export("quantities")] == ["3 years"]
    assert [t["display"] for t in store.export("times")][1] == "Wednesday 8 July 2020"
    assert store.figures().items[0]["display"] == "3 years"
