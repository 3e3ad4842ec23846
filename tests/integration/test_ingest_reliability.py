"""No input and no database fault stops an ingest half-way: the reproductions of issue 17
(odd characters and file names, truncated web archives, a database that goes away), each
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.ingest import Summary, ingest
from onrecord.store import StoreError, is_postgres, open_store
from onrecord.store import db as store_db

from ..tcp_proxy import TcpProxy
from ..unit.test_store import store_url
from .test_ingest import STORY_TEXT, html_page, write_warc

__all__ = ["store_url"]  # the fixture: a fresh SQLite file or PostgreSQL schema


def story(number: int) -> str:
    return f"{STORY_TEXT}\n\nThis is report number {number}.\n"


def stored_texts(store: Any) -> dict[str, dict[str, Any]]:
    rows = store.conn.query("SELECT source_path, title, outlet, text FROM articles")
    return {row["source_path"]: row for row in rows}


# -- odd characters and names -------------------------------------------------------------


def test_unstorable_characters_and_file_names_are_cleaned_and_counted(
    store_url: str, tmp_path: Path, nlp
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(story(0), encoding="utf-8")
    bad_name = os.fsdecode(os.fsencode(folder) + b"/bad\xffname.txt")
    Path(bad_name).write_text(story(1), encoding="utf-8")
    surrogates = {"text": story(2), "title": "T \udc80", "outlet": "O \udc80"}
    (folder / "surrogate.json").write_text(json.dumps(surrogates), encoding="utf-8")
    nul = {"text": story(3).replace("said", "said\u0000", 1), "url": "https://e.x/\u0000"}
    (folder / "nul.json").write_text(json.dumps(nul), encoding="utf-8")
    late_nul = story(4) + "\n\n" + "The council met again. " * 400 + "\x00 The end.\n"
    assert late_nul.index("\x00") > 8192
    (folder / "late-nul.txt").write_text(late_nul, encoding="utf-8")

    with open_store(store_url) as store:
        summary = ingest([folder], store)
        rows = stored_texts(store)
        again = ingest([folder], store)
    assert (summary.added, summary.failed, summary.cleaned) == (5, 0, 3)
    assert "; 3 had characters that cannot be stored (replaced or removed)" in summary.line()
    assert f"{folder}/bad\\xffname.txt" in rows  # the name, with its odd byte escaped
    assert rows[f"{folder}/bad\\xffname.txt"]["title"] == "bad\\xffname"  # and as its title
    assert rows[f"{folder}/surrogate.json"]["title"] == "T \ufffd"
    assert rows[f"{folder}/surrogate.json"]["outlet"] == "O \ufffd"
    assert not any("\x00" in row["text"] for row in rows.values())
    assert (again.added, again.duplicates) == (0, 5)  # a rerun finds them all stored


# -- web archives -------------------------------------------------------------------------


def dredging_page(extra: str = "") -> str:
    return html_page("Harbor dredging", "Dredging starts next week, the port said. " * 40 + extra)


def test_a_truncated_web_archive_record_is_a_failure_and_a_complete_copy_is_stored(
    store_url: str, tmp_path: Path, nlp
) -> None:
    url = "https://news.example/dredging"
    complete = tmp_path / "complete.warc.gz"
    write_warc(complete, [(url, "text/html; charset=utf-8", dredging_page())])
    data = complete.read_bytes()
    cut_body = tmp_path / "cut-body.warc.gz"  # a whole record of another page, then half
    write_warc(
        cut_body, [("https://news.example/other", "text/html", html_page("Other", story(9)))]
    )
    cut_body.write_bytes(cut_body.read_bytes() + data[: len(data) // 2])
    cut_trailer = tmp_path / "cut-trailer.warc.gz"  # all the text, but not the gzip end
    cut_trailer.write_bytes(data[:-6])
    plain = tmp_path / "plain.warc"
    write_warc(plain, [(url, "text/html", dredging_page())], gzip=False)
    cut_plain = tmp_path / "cut-plain.warc"
    cut_plain.write_bytes(plain.read_bytes()[:-300])

    with open_store(store_url) as store:
        first = ingest([cut_body, cut_trailer, cut_plain], store)
        reasons = [f["reason"] for f in store.failures()]
        assert [a["url"] for a in store.list_articles().items] == ["https://news.example/other"]
        second = ingest([complete], store)
        urls = {a["url"] for a in store.list_articles().items}
    assert (first.added, first.failed) == (1, 3)
    assert all(reason.startswith("truncated web archive record") for reason in reasons)
    assert (second.added, second.failed) == (1, 0)
    assert urls == {"https://news.example/other", url}


def test_a_record_marked_truncated_by_the_crawler_is_a_failure(tmp_path: Path, nlp) -> None:
    archive = tmp_path / "marked.warc.gz"
    write_warc(
        archive,
        [("https://news.example/a", "text/html", dredging_page())],
        warc_headers={"WARC-Truncated": "length"},
    )
    with open_store(f"sqlite:///{tmp_path / 'corpus.db'}") as store:
        summary = ingest([archive], store)
        [failure] = store.failures()
    assert (summary.added, summary.failed) == (0, 1)
    assert failure["reason"] == "the crawler truncated this record (WARC-Truncated: length)"


# -- the database going away --------------------------------------------------------------


class DatabaseAway:
    """Makes the store's database unreachable after ``after`` articles are stored:
    PostgreSQL through a proxy that is cut, SQLite by another process's write lock."""

    def __init__(self, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.url = url
        self.proxy: TcpProxy | None = None
        self.blocker: sqlite3.Connection | None = None
        if is_postgres(url):
            self.proxy, self.url = TcpProxy.to_url(url)
            self.proxy.start()
        else:
            monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)

    def after(self, count: int) -> Any:
        def on_progress(summary: Summary) -> None:
            if summary.added == count and self.proxy is None and self.blocker is None:
                self._go_away()
            elif summary.added == count and self.proxy is not None:
                self.proxy.cut()

        return on_progress

    def _go_away(self) -> None:
        path = self.url.removeprefix("sqlite:///")
        self.blocker = sqlite3.connect(path, isolation_level=None)
        self.blocker.execute("BEGIN EXCLUSIVE")

    def close(self) -> None:
        if self.proxy:
            self.proxy.cut()
        if self.blocker:
            self.blocker.close()


def test_losing_the_database_mid_ingest_stops_with_one_line_and_whole_articles(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(5):
        (folder / f"a{number}.txt").write_text(story(number), encoding="utf-8")
    away = DatabaseAway(store_url, tmp_path, monkeypatch)
    store = open_store(away.url)
    try:
        with pytest.raises(StoreError) as raised:
            ingest([folder], store, on_progress=away.after(2))
    finally:
        away.close()
        store.close()
    message = str(raised.value)
    assert "\n" not in message
    assert "the database is unavailable" in message
    assert "stopped after storing 2 articles this run" in message
    with open_store(store_url) as check:
        assert check.list_articles().total == 2
        assert check.failures() == []  # the database's fault, not the articles'
        for table in ("quotes", "entities", "article_sources"):
            orphans = check.conn.scalar(
                f"SELECT COUNT(*) AS n FROM {table}"  # noqa: S608
                " WHERE article_id NOT IN (SELECT id FROM articles)"
            )
            assert orphans == 0
        rerun = ingest([folder], check)
    assert (rerun.added, rerun.duplicates) == (3, 2)


def test_the_ingest_command_reports_a_lost_database_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        (folder / f"a{number}.txt").write_text(story(number), encoding="utf-8")
    db_path = tmp_path / "corpus.db"
    open_store(f"sqlite:///{db_path}").close()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{db_path}"])
    finally:
        blocker.close()
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("onrecord: error: ") and "database is locked" in line
