"""Every bad input or setting is one line on stderr naming what is wrong, with exit code 2
(issue 17's reproductions, one test each)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import InputError
from onrecord.inputs import parse_published, read_article

runner = CliRunner()


def one_line_failure(result, *causes: str) -> str:
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for cause in causes:
        assert cause in lines[0]
    return lines[0]


def test_json_nested_a_thousand_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    one_line_failure(runner.invoke(app, ["extract", str(path)]), "deep.json", "nested too deeply")


@pytest.mark.parametrize(
    ("published", "text", "word"),
    [
        ("9999-12-31", "He will decide tomorrow.", "tomorrow"),
        ("0001-01-01", "He left yesterday.", "yesterday"),
    ],
)
def test_relative_dates_at_the_ends_of_the_calendar(
    tmp_path: Path, published: str, text: str, word: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", published])
    assert result.exit_code == 0, result.output
    times = {t["text"].lower(): t["value"] for t in json.loads(result.stdout)["times"]}
    assert times[word] == "XXXX-XX-XX"  # past the calendar: unresolved, not a crash


def test_a_lone_surrogate_is_replaced_one_for_one(tmp_path: Path) -> None:
    from onrecord import extract

    record = extract("He said \ud800 it was fine.", title="T \udc80")
    assert record.article.text == "He said \ufffd it was fine."
    assert record.article.title == "T \ufffd"
    path = tmp_path / "s.json"
    path.write_text('{"text": "He said \\ud800 it was fine."}', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["text"] == "He said \ufffd it was fine."


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"caf\xe9 said", "invalid UTF-8 at byte 3"),
        (b"\xff\xfe\x00\xd8a\x00", "invalid UTF-16"),
        ("The mayor said so.".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    ],
)
def test_undecodable_stdin(data: bytes, cause: str) -> None:
    one_line_failure(runner.invoke(app, ["extract", "-"], input=data), "-:", cause)


def test_utf16_with_a_bom_is_read() -> None:
    data = "The mayor said the roads would reopen.".encode("utf-16")
    result = runner.invoke(app, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["text"].startswith("The mayor said")


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("He said so.", encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(Path, "open", refuse)
    one_line_failure(runner.invoke(app, ["extract", str(path)]), "locked.txt", "cannot read")


def test_a_directory_named_as_an_article(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    one_line_failure(runner.invoke(app, ["extract", str(folder)]), "is a directory")


def test_a_new_line_in_a_file_name_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.txt"
    line = one_line_failure(runner.invoke(app, ["extract", str(path)]), "no such file")
    assert "two\\nlines.txt" in line


def test_input_error_escapes_undecodable_names() -> None:
    assert str(InputError("d/bad\udcffname.txt", "x")) == "d/bad\\udcffname.txt: x"


@pytest.mark.parametrize(
    "value",
    ["2020-07-08garbage", "2020-07-08T25:99:00", "20200708", "-001", "10000-01", "0000-01-01"],
)
def test_dates_that_are_not_exactly_a_date(value: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_published(value, "--published")
    result = runner.invoke(app, ["quotes", "--from", value, "--db", "sqlite:///nowhere.db"])
    one_line_failure(result, "--from", "YYYY-MM-DD")


def test_dates_with_a_time_are_cut_to_the_date() -> None:
    assert parse_published("2020-07-08T14:00:00+02:00", "x") == "2020-07-08"
    assert parse_published("2020-07-08 14:00", "x") == "2020-07-08"


def test_html_over_the_byte_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text("<p>" + "word " * 2000 + "</p>", encoding="utf-8")
    one_line_failure(
        runner.invoke(app, ["extract", str(path), "--max-chars", "1000"]),
        "big.html",
        "over the limit of 4,000 bytes",
    )


def test_max_chars_applies_to_the_text_of_an_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    body = "".join(f"<p>The mayor said the roads would reopen, number {i}.</p>" for i in range(30))
    path.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    article = read_article(path, max_chars=100_000)
    assert len(article.text) > 1000
    with pytest.raises(InputError, match="over the limit of 1,000"):
        read_article(path, max_chars=1000)


# -- --db that is not a usable database ---------------------------------------------------


def db_cases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("these are notes, not a database\n" * 10, encoding="utf-8")
    return {
        "directory": (f"sqlite:///{folder}", "is a directory"),
        "not sqlite": (f"sqlite:///{not_sqlite}", "not an SQLite database"),
        "uncreatable": (f"sqlite:///{not_sqlite}/inside.db", "cannot be created"),
    }


@pytest.mark.parametrize("case", ["directory", "not sqlite", "uncreatable"])
@pytest.mark.parametrize(
    "command", [["ingest", "ARTICLE"], ["quotes"], ["stats"], ["articles"], ["serve"]]
)
def test_db_that_cannot_be_used(tmp_path: Path, case: str, command: list[str]) -> None:
    url, cause = db_cases(tmp_path)[case]
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the roads would reopen.", encoding="utf-8")
    args = [str(article) if arg == "ARTICLE" else arg for arg in command]
    one_line_failure(runner.invoke(app, [*args, "--db", url]), cause)


def test_a_read_only_database_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    sqlite3.connect(path).close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        if os.geteuid() == 0:
            pytest.skip("root writes to read-only files")
        result = runner.invoke(app, ["ingest", str(path), "--db", f"sqlite:///{path}"])
        one_line_failure(result, "ro.db")
    finally:
        tmp_path.chmod(0o755)


def test_a_garbage_web_archive_is_named_without_its_bytes(tmp_path: Path) -> None:
    from onrecord.ingest import discover

    path = tmp_path / "junk.warc"
    path.write_bytes(bytes(range(256)) * 2)
    (item,) = list(discover([path]))
    assert item.kind == "bad"
    assert item.problem == "unreadable web archive (Unknown archive format)"


def test_a_web_archive_page_over_the_byte_limit_is_refused_unparsed(tmp_path: Path) -> None:
    from onrecord.ingest import discover, read_item
    from tests.integration.test_ingest import write_warc

    path = tmp_path / "pages.warc.gz"
    page = "<html><body><p>" + "The mayor said so. " * 400 + "</p></body></html>"
    write_warc(path, [("https://example.com/a", "text/html", page)])
    (item,) = list(discover([path]))
    assert read_item(item, max_chars=100_000).text.startswith("The mayor said so.")
    with pytest.raises(InputError, match="over the limit of 4,000 bytes"):
        read_item(item, max_chars=1000)


def test_a_json_line_over_the_byte_limit_is_refused_unparsed(tmp_path: Path) -> None:
    from onrecord.ingest import discover, read_item

    path = tmp_path / "articles.jsonl"
    short = json.dumps({"text": "The mayor said so."})
    long = json.dumps({"text": "The mayor said so. " * 400})
    path.write_text(f"{short}\n{long}\n", encoding="utf-8")
    first, second = list(discover([path]))
    assert read_item(first, max_chars=1000).text == "The mayor said so."
    with pytest.raises(InputError, match="over the limit of 4,000 bytes"):
        read_item(second, max_chars=1000)
