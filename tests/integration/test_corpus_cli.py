"""The corpus commands as a user runs them: JSON and table output, filters, export files,
and one-line errors with exit code 2. Run against SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.store import open_store

from ..conftest import EXAMPLES
from ..unit.test_store import border_record, factory_record, store_url, trade_record

__all__ = ["store_url"]  # the fixture: a fresh SQLite file or PostgreSQL schema


@pytest.fixture
def db(store_url: str) -> Iterator[str]:
    with open_store(store_url) as store:
        store.add_record(border_record(), outlet="Example Wire")
        store.add_record(trade_record(), outlet="Example Wire")
        store.add_record(factory_record(), outlet="Example Business")
    yield store_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    data: dict = json.loads(out)
    return data


def test_quotes_json_is_a_page_with_marked_snippets(db: str) -> None:
    page = run_json("quotes", "border", "--db", db)
    assert page["total"] == 2 and len(page["items"]) == 2
    assert all("\ue000" in item["snippet"] for item in page["items"])
    named = run_json("quotes", "--named", "--from", "2020-08-01", "--db", db)
    assert [i["source_name"] for i in named["items"]] == ["Ariel G. Ruiz Soto", "John Smith"]
    anonymous = run_json("quotes", "--anonymous", "--kind", "indirect", "--db", db)
    assert anonymous["total"] == 2


def test_quotes_table_for_people(db: str) -> None:
    code, out, _ = run("quotes", "whole story", "--db", db)
    assert code == 0
    assert "1 quotes" in out and "Ariel G. Ruiz Soto" in out
    assert "\ue000" not in out  # marks are rendered, not printed


def test_sources_and_source(db: str) -> None:
    top = run_json("sources", "--top", "1", "--db", db)
    assert top["total"] == 5
    assert top["items"][0]["name"] == "Ariel G. Ruiz Soto"
    one = run_json("source", "ruiz soto", "--db", db)
    assert one["aliases"] == ["Ariel G. Ruiz Soto", "Ruiz Soto"]
    assert len(one["quotes"]) == 2
    code, out, _ = run("source", "Ruiz Soto", "--db", db)
    assert code == 0 and "Migration Policy Institute" in out
    code, _, err = run("source", "Nobody At All", "--db", db)
    assert code == 2 and "no source matches" in err


def test_stats_json_is_one_object(db: str) -> None:
    stats = run_json("stats", "--db", db)
    assert (stats["articles"], stats["quotes"]) == (3, 6)
    assert {row["outlet"] for row in stats["by_outlet"]} == {"Example Wire", "Example Business"}
    code, out, _ = run("stats", "--db", db)
    assert code == 0 and "3 articles, 6 quotes, 5 sources" in out and "40%" in out


def test_figures(db: str) -> None:
    page = run_json("figures", "jobs", "--db", db)
    assert [item["text"] for item in page["items"]] == ["1,400"]


def test_article_as_text(db: str) -> None:
    code, out, _ = run("article", "https://example.com/border", "--db", db)
    assert code == 0
    assert out.startswith("# Border talks") and "Ariel G. Ruiz Soto" in out


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_whole_files(db: str, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / f"quotes.{fmt}"
    code, _, err = run("export", "--what", "quotes", "--format", fmt, "-o", str(target), "--db", db)
    assert code == 0, err
    if fmt == "jsonl":
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(target).to_pylist()
    assert len(rows) == 6
    assert {"quote_id", "text", "source_name", "outlet", "published"} <= set(rows[0])
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left


def test_export_to_stdout_and_bad_requests(db: str, tmp_path: Path) -> None:
    code, out, _ = run("export", "--what", "sources", "--db", db)
    assert code == 0 and len(out.splitlines()) == 5
    code, _, err = run("export", "--what", "quotes", "--format", "parquet", "--db", db)
    assert code == 2 and "-o FILE" in err
    code, _, err = run(
        "export", "--what", "quotes", "-o", str(tmp_path / "no" / "dir" / "q.jsonl"), "--db", db
    )
    assert code == 2 and "cannot write" in err


def test_bad_input_is_one_line_and_exit_2(db: str, tmp_path: Path) -> None:
    code, _, err = run("quotes", "--anonymous", "--named", "--db", db)
    assert code == 2 and "exclude each other" in err
    code, _, err = run("quotes", "--from", "2020-13-45", "--db", db)
    assert code == 2 and "bad published date" in err
    code, _, err = run("stats", "--db", f"sqlite:///{tmp_path / 'missing.db'}")
    assert code == 2 and "no such database file" in err
    code, _, err = run("stats", "--db", "oracle://x")
    assert code == 2 and "unknown database URL" in err


def test_db_upgrade_reports_the_schema_version(store_url: str) -> None:
    code, out, _ = run("db", "upgrade", "--db", store_url)
    assert code == 0 and out.startswith("schema version ")
    again = run("db", "upgrade", "--db", store_url)
    assert again[1] == out


def test_ingest_command_summary(tmp_path: Path, nlp) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    code, out, _ = run("ingest", str(EXAMPLES), str(tmp_path / "missing.txt"), "--db", url)
    assert code == 0
    assert "skipped 0 duplicates, 1 failed" in out
    code, out, _ = run("ingest", str(EXAMPLES), "--db", url)
    assert " 0 failed" in out and "ingested 0 articles" in out


def test_a_failed_export_leaves_no_file(db: str, tmp_path: Path, monkeypatch) -> None:
    from onrecord.store import Store, StoreError

    def failing_export(self: Store, what: str) -> Iterator[dict]:
        yield {"quote_id": "x:q1", "text": "first row"}
        raise StoreError("connection lost")

    monkeypatch.setattr(Store, "export", failing_export)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "quotes.jsonl"
    code, _, err = run("export", "--what", "quotes", "-o", str(target), "--db", db)
    assert code == 2 and "connection lost" in err
    assert list(target.parent.iterdir()) == []


def test_the_cli_speaks_the_web_s_parameters(db: str) -> None:
    oldest = run_json("quotes", "--sort", "oldest", "--limit", "1", "--db", db)
    second = run_json("quotes", "--sort", "oldest", "--limit", "1", "--page", "2", "--db", db)
    assert oldest["items"][0]["published"] <= second["items"][0]["published"]
    newest = run_json("quotes", "--sort", "newest", "--limit", "1", "--db", db)
    assert newest["items"][0]["published"] >= second["items"][0]["published"]
    business = run_json("articles", "--outlet", "Example Business", "--db", db)
    assert business["total"] == 1 and business["items"][0]["outlet"] == "Example Business"
    anonymous = run_json("sources", "--kind", "anonymous", "--db", db)
    assert anonymous["total"] >= 1 and {s["kind"] for s in anonymous["items"]} == {"anonymous"}
    code, _, err = run("articles", "--from", "2020-02-31", "--db", db)
    assert code == 2 and "bad published date" in err


def test_ingest_logs_progress_lines_and_titles_text_files(tmp_path: Path, nlp, monkeypatch) -> None:
    from onrecord.cli import corpus

    monkeypatch.setattr(corpus, "PROGRESS_EVERY_S", 0.0)  # a line after every article
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "vote.txt").write_text(
        "Council approves the budget\n\n“It was not easy,” the mayor said on Tuesday.\n",
        encoding="utf-8",
    )
    (folder / "storm-notes.txt").write_text(
        "“We are still cleaning up,” the mayor said on Friday.\n", encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    code, out, _ = run("ingest", str(folder), "--db", url)  # stdout is not a terminal here
    assert code == 0
    lines = out.strip().splitlines()
    assert any(line.startswith("progress: 2/2 articles (100%)") for line in lines), out
    assert lines[-1].startswith("ingested 2 articles")
    titles = {a["title"] for a in run_json("articles", "--db", url)["items"]}
    assert titles == {"Council approves the budget", "storm-notes"}
