"""Bad input gets a one-line error naming the file and the cause, exit code 2, empty stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import InputError
from onrecord.inputs import parse_published, read_article

runner = CliRunner()


def run_extract(*args: str):
    return runner.invoke(app, ["extract", *args])


def assert_clean_failure(result, path: Path, cause: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert cause in lines[0]


@pytest.mark.parametrize(
    ("name", "content", "cause"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Se\xf1or P\xe9rez said".encode("latin-1"), "invalid UTF-8"),
        ("notes.docx", b"some text", "unknown extension"),
        ("broken.json", b'{"text": "unterminated', "invalid JSON"),
        ("nothing.json", b'{"title": "no text"}', '"text" or "html"'),
        ("list.json", b"[1, 2]", "JSON object"),
        ("bad-date.json", b'{"text": "He said so.", "published": "2020-02-30"}', "2020-02-30"),
        ("scripts.html", b"<html><body><script>var x = 1;</script></body></html>", "no article"),
    ],
)
def test_bad_files_fail_cleanly(tmp_path: Path, name: str, content: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_clean_failure(run_extract(str(path)), path, cause)


def test_missing_file_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    assert_clean_failure(run_extract(str(path)), path, "no such file")


def test_text_over_max_chars_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 300, encoding="utf-8")
    assert_clean_failure(run_extract(str(path), "--max-chars", "1000"), path, "limit of 1,000")


def test_bad_published_option_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text("The mayor said the budget was balanced.", encoding="utf-8")
    result = run_extract(str(path), "--published", "last tuesday")
    assert_clean_failure(result, path, "YYYY-MM-DD")


def test_published_accepts_a_timestamp_and_rejects_impossible_dates() -> None:
    assert parse_published("2020-07-08T14:00:00Z", "x") == "2020-07-08"
    with pytest.raises(InputError, match="2021-13-01"):
        parse_published("2021-13-01", "x")


def test_json_article_carries_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"text": "He said so.", "published": "2020-07-08", "title": "T", "url": "u"}),
        encoding="utf-8",
    )
    article = read_article(path)
    assert (article.text, article.published, article.title, article.url) == (
        "He said so.",
        "2020-07-08",
        "T",
        "u",
    )


def test_html_article_keeps_main_text_and_drops_navigation(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Budget passes</title>"
        '<meta property="article:published_time" content="2020-06-17T06:30:00Z"></head><body>'
        "<nav><a href='/'>Home</a> | <a href='/subscribe'>Subscribe now</a></nav><article>"
        "<p>The council approved the budget on Tuesday after a long debate over spending.</p>"
        "<p>“It was not easy,” the council president said after the vote was taken.</p>"
        "</article><footer>Copyright Example Ledger</footer></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    article = read_article(path)
    assert "approved the budget" in article.text
    assert "Subscribe now" not in article.text
    assert article.published == "2020-06-17"


def test_a_text_file_s_first_line_is_its_title_when_it_looks_like_one(tmp_path: Path) -> None:
    path = tmp_path / "budget-vote.txt"
    path.write_text(
        "Council approves the budget\n\nThe council approved the budget on Tuesday.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Council approves the budget"
    assert article.text == "The council approved the budget on Tuesday.\n"


def test_a_text_file_without_a_headline_is_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "budget-vote.txt"
    story = "The council approved the budget on Tuesday.\nIt took six hours.\n"
    path.write_text(story, encoding="utf-8")
    article = read_article(path)
    assert (article.title, article.text) == ("budget-vote", story)
    one_line = tmp_path / "short.txt"
    one_line.write_text("Council approves the budget\n", encoding="utf-8")
    assert read_article(one_line).title == "short"  # nothing after it: the line is the story
    long_line = tmp_path / "long.txt"
    long_line.write_text("word " * 40 + "\n\nMore text.\n", encoding="utf-8")
    assert read_article(long_line).title == "long"
