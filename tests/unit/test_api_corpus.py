"""A small hand-built corpus for the web tests (API, pages, browser): no tests here.

Records are built by hand, with offsets computed from the text, so the pages can be tested
with quotes, anonymous sources, figures and dates whatever the extraction stages find.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from onrecord.record import Article, Quantity, Quote, Record, Source, TextSpan, Time
from onrecord.store import open_store

BORDER = (
    "WASHINGTON — Mexican President Andres Manuel Lopez Obrador met President Donald Trump "
    "at the White House on Wednesday, his first trip abroad since taking office.\n\n"
    "“We are here to thank the people of the United States,” Lopez Obrador said.\n\n"
    "Trump said illegal migration was now down 85% from last June.\n\n"
    "A senior administration official said the two leaders discussed $1 billion in aid "
    "to El Salvador.\n\n"
    "“The numbers tell a story, but not the whole story,” said Ariel Ruiz Soto, a policy "
    "analyst at the Migration Policy Institute.\n"
)

TRADE = (
    "MEXICO CITY — Andres Manuel Lopez Obrador said on Friday that trade with the United "
    "States grew 5% in the second quarter.\n\n"
    "“Our relationship is one of respect,” Lopez Obrador told reporters.\n\n"
    "An official who asked not to be named said tariffs would not return this year.\n"
)

HOSTILE = (
    'Breaking <script>window.__pwned = "script";</script> news from the council.\n\n'
    "“We will not be silenced <img src=x onerror=\"window.__pwned = 'img'\">,” "
    "said Jane <b>Doe</b>, the council clerk.\n"
)


def spans(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def quote(
    qid: str, text: str, quoted: str, source_id: str | None, kind: str = "direct", cue: str = ""
) -> Quote:
    start, end = spans(text, quoted)
    cue_span = None
    if cue:
        cue_start = text.index(cue, end if kind == "direct" else 0)
        cue_span = TextSpan(cue, cue_start, cue_start + len(cue))
    return Quote(
        id=qid,
        kind=kind,  # type: ignore[arg-type]
        text=quoted,
        start=start,
        end=end,
        cue=cue_span,
        source_id=source_id,
    )


def quantity(
    qid: str, text: str, figure: str, value: float, kind: str, unit: str | None
) -> Quantity:
    start, end = spans(text, figure)
    return Quantity(
        id=qid,
        text=figure,
        start=start,
        end=end,
        value=value,
        kind=kind,
        unit=unit,  # type: ignore[arg-type]
    )


def time(tid: str, text: str, phrase: str, value: str) -> Time:
    start, end = spans(text, phrase)
    return Time(id=tid, text=phrase, start=start, end=end, type="DATE", value=value)


def border_record() -> Record:
    text = BORDER
    return Record(
        article=Article(
            id=Article.make_id(text),
            text=text,
            url="https://example.com/border",
            title="Lopez Obrador thanks the United States at the White House",
            published="2020-07-08",
        ),
        sources=(
            Source(
                "s1",
                "Andres Manuel Lopez Obrador",
                "person",
                titles=("President",),
                affiliations=("Mexico",),
            ),
            Source("s2", "Donald Trump", "person", titles=("President",)),
            Source("s3", "senior administration official", "anonymous"),
            Source(
                "s4",
                "Ariel Ruiz Soto",
                "person",
                titles=("policy analyst",),
                affiliations=("Migration Policy Institute",),
            ),
        ),
        quotes=(
            quote(
                "q1",
                text,
                "“We are here to thank the people of the United States,”",
                "s1",
                cue="said",
            ),
            quote(
                "q2",
                text,
                "illegal migration was now down 85% from last June",
                "s2",
                kind="indirect",
            ),
            quote(
                "q3",
                text,
                "the two leaders discussed $1 billion in aid to El Salvador",
                "s3",
                kind="indirect",
            ),
            quote(
                "q4", text, "“The numbers tell a story, but not the whole story,”", "s4", cue="said"
            ),
        ),
        quantities=(
            quantity("n1", text, "85%", 85, "percent", "percent"),
            quantity("n2", text, "$1 billion", 1e9, "money", "USD"),
        ),
        times=(time("t1", text, "Wednesday", "2020-07-08"),),
    )


def trade_record() -> Record:
    text = TRADE
    return Record(
        article=Article(
            id=Article.make_id(text),
            text=text,
            url="https://example.org/trade",
            title="Trade with the US grew, Lopez Obrador says",
            published="2020-08-14",
        ),
        sources=(
            Source(
                "s1",
                "Andres Manuel Lopez Obrador",
                "person",
                titles=("President",),
                affiliations=("Mexico",),
            ),
            Source("s2", "official who asked not to be named", "anonymous"),
        ),
        quotes=(
            quote("q1", text, "“Our relationship is one of respect,”", "s1", cue="told"),
            quote(
                "q2",
                text,
                "trade with the United States grew 5% in the second quarter",
                "s1",
                kind="indirect",
            ),
            quote("q3", text, "tariffs would not return this year", "s2", kind="indirect"),
        ),
        quantities=(quantity("n1", text, "5%", 5, "percent", "percent"),),
        times=(time("t1", text, "Friday", "2020-08-14"),),
    )


def hostile_record() -> Record:
    """An article whose text, title and source name carry markup that must stay text."""
    text = HOSTILE
    quoted = "“We will not be silenced <img src=x onerror=\"window.__pwned = 'img'\">,”"
    return Record(
        article=Article(
            id=Article.make_id(text),
            text=text,
            url="javascript:window.__pwned='url'",
            title="Council <script>window.__pwned = 'title'</script> row",
            published="2020-09-01",
        ),
        sources=(Source("s1", "Jane <b>Doe</b>", "person", titles=("clerk <i>x</i>",)),),
        quotes=(quote("q1", text, quoted, "s1", cue="said"),),
    )


HAND_BUILT = (
    (border_record, "Example Wire"),
    (trade_record, "Daily Example"),
    (hostile_record, "Hostile Gazette"),
)


def build_store(path: Path, extra: Sequence[tuple[Record, str | None]] = ()) -> str:
    """A SQLite corpus at ``path`` with the hand-built records; returns its URL."""
    return fill_store(f"sqlite:///{path}", extra)


def fill_store(url: str, extra: Sequence[tuple[Record, str | None]] = ()) -> str:
    """Add the hand-built records (and ``extra``) to the store at ``url``; returns the URL."""
    store = open_store(url)
    try:
        for make, outlet in HAND_BUILT:
            store.add_record(make(), outlet=outlet)
        for record, outlet in extra:
            store.add_record(record, outlet=outlet)
    finally:
        store.close()
    return url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL ($ONRECORD_TEST_PG), dropped afterwards."""
    import psycopg

    from tests.conftest import require

    base = os.environ.get("ONRECORD_TEST_PG")
    require(bool(base), "ONRECORD_TEST_PG is not set (a PostgreSQL URL for the tests)")
    assert base is not None
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        require(False, f"PostgreSQL at ONRECORD_TEST_PG is unreachable: {exc}")
        raise
    schema = f"web_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        parts = urlsplit(base)
        query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
        yield urlunsplit(parts._replace(query=urlencode(query)))
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()
