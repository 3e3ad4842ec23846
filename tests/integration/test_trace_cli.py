"""`onrecord trace`, `figures --track` and `eval provenance` as a user runs them, on SQLite
and PostgreSQL; errors are one line with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.record import Article, Quantity, Quote, Record
from onrecord.store import open_store

from ..unit.test_store import store_url

__all__ = ["store_url"]

STATEMENT = "Illegal migration is down 85% since last June, and we will keep it that way"


def copy(words: str, url: str, published: str, quantity: float | None = None) -> Record:
    text = f"Border report.\n\n“{words},” the secretary said.\n"
    start = text.index(words)
    quantities = ()
    if quantity is not None:
        at = text.index("85%") if "85%" in text else text.index("58%")
        quantities = (
            Quantity(
                "n1",
                text[at : at + 3],
                at,
                at + 3,
                quantity,
                "percent",
                change="decrease",
                quantified="illegal migration",
            ),
        )
    return Record(
        Article(Article.make_id(text), text, url=url, published=published),
        quotes=(Quote("q0", "direct", words, start, start + len(words), content=words),),
        quantities=quantities,
    )


FIRST = copy(STATEMENT, "https://wire.example/1", "2024-01-01", 85.0)
SECOND = copy(STATEMENT.replace("85%", "58%"), "https://daily.example/2", "2024-01-05", 58.0)


@pytest.fixture
def db(store_url: str) -> Iterator[str]:
    with open_store(store_url) as store:
        store.add_record(FIRST, outlet="Wire")
        store.add_record(SECOND)
    yield store_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_trace_text_shows_first_appearance_outlets_and_the_diff(db: str) -> None:
    code, out, _ = run("trace", "illegal migration is down 85 percent since last June", "--db", db)
    assert code == 0
    assert "seen in 2 articles" in out and "1 altered (1 high-severity)" in out
    assert "first: 2024-01-01, Wire" in out
    assert "daily.example" in out and "high: number" in out


def test_trace_quote_id_as_json(db: str) -> None:
    code, out, err = run("trace", "--quote-id", f"{SECOND.article.id}:q0", "--json", "--db", db)
    assert code == 0, err
    cluster = json.loads(out)
    assert cluster["first_appearance"]["quote_id"] == f"{FIRST.article.id}:q0"
    altered = cluster["appearances"][1]
    assert altered["variant"] == "altered" and ["insert", "58"] in altered["diff"]


def test_trace_without_a_match_says_so(db: str) -> None:
    code, out, _ = run("trace", "completely unrelated words about the weather today", "--db", db)
    assert code == 1 and "no stored quote" in out


def test_trace_errors_are_one_line_with_exit_2(db: str) -> None:
    for args in (("trace", "--db", db), ("trace", "--quote-id", "nope", "--db", db)):
        code, _, err = run(*args)
        assert code == 2 and len(err.strip().splitlines()) == 1


def test_figures_track_shows_the_value_changing_over_time(db: str) -> None:
    code, out, err = run("figures", "--track", "illegal migration", "--json", "--db", db)
    assert code == 0, err
    series = json.loads(out)["series"]
    assert len(series) == 1 and series[0]["values"] == [85.0, 58.0]
    assert [c["changed"] for c in series[0]["citations"]] == [False, True]
    code, out, _ = run("figures", "--track", "illegal migration", "--db", db)
    assert code == 0 and "85 -> 58" in out and "(changed)" in out


POLNEAR_TEXT = (
    "Trump rally\n\n“We are going to build a wall along the southern border and Mexico "
    "will pay for it,” Trump said.\n"
)


def tiny_polnear(root: Path) -> Path:
    """Two outlets quoting one statement: a PolNeAR-layout directory."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for name in ("wire_2016-01-01_rally", "daily_2016-01-02_rally"):
        text = (
            POLNEAR_TEXT
            if name.startswith("wire")
            else POLNEAR_TEXT.replace("Trump rally", "Rally")
        )
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        start = text.index("“")
        end = text.index("”") + 1
        cue = text.index("said")
        source = text.index("Trump said")
        (root / "attributions" / f"{name}_ab12.ann").write_text(
            f"T1\tContent {start} {end}\t{text[start:end]}\n"
            f"T2\tCue {cue} {cue + 4}\tsaid\n"
            f"T3\tSource {source} {source + 5}\tTrump\n"
            "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3\n",
            encoding="utf-8",
        )
    return root


def test_eval_provenance_scores_a_polnear_directory(tmp_path: Path) -> None:
    code, out, err = run("eval", "provenance", "--data", str(tiny_polnear(tmp_path)), "--json")
    assert code == 0, err
    scores = json.loads(out)
    assert scores["gold_pairs"] == 1
    assert scores["same_statement"]["direct"]["recall"] == 1.0
    assert scores["synthetic_copies"] > 0


def test_eval_provenance_on_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("eval", "provenance", "--data", str(tmp_path / "missing"))
    assert code == 2 and "no such directory" in err


def test_ingest_and_force_keep_one_cluster_member_per_quote(store_url: str, nlp) -> None:
    from onrecord.ingest import ingest

    from ..conftest import EXAMPLES

    with open_store(store_url) as store:
        ingest([EXAMPLES], store)
        ingest([EXAMPLES], store, force=True)
        quotes = store.conn.scalar("SELECT COUNT(*) AS n FROM quotes")
        members = store.conn.scalar("SELECT COUNT(*) AS n FROM cluster_members")
        orphans = store.conn.scalar(
            "SELECT COUNT(*) AS n FROM cluster_members m"
            " WHERE NOT EXISTS (SELECT 1 FROM quotes q WHERE q.id = m.quote_id)"
        )
    assert quotes > 0 and members == quotes and orphans == 0


def test_trace_of_a_huge_repetitive_text_is_a_bounded_answer(db: str) -> None:
    words = "illegal migration is down 85 percent " * 30_000  # about 1 MB, one phrase
    code, out, err = run("trace", words, "--db", db)
    assert code in (0, 1), err
    assert out.strip()  # a cluster or "no stored quote", never a crash
