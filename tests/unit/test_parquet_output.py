"""`--out DIR`: the Parquet dataset keeps the store's guarantees (whole articles after a
kill, dedupe by content and URL, resume, --force) and reads back as one table a kind."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds

from onrecord.record import Article, Offsets, Quantity, Quote, Record, Source, TextSpan
from onrecord.scale.parquet import ParquetOutput


def record(number: int, url: str | None = None) -> Record:
    text = f'"We will build {number} bridges," the mayor said. It costs $4 million.'
    article = Article(id=Article.make_id(text), text=text, url=url, published="2021-03-04")
    quote_end = text.index(",") + 2
    return Record(
        article=article,
        sources=(Source(id="s1", name="the mayor", kind="person", mentions=(Offsets(32, 41),)),),
        quotes=(
            Quote(
                id="q1",
                kind="direct",
                text=text[:quote_end],
                start=0,
                end=quote_end,
                cue=TextSpan("said", 42, 46),
                speaker=TextSpan("the mayor", 32, 41),
                source_id="s1",
            ),
        ),
        quantities=(
            Quantity(
                id="n1",
                text=str(number),
                start=15,
                end=15 + len(str(number)),
                value=number,
                kind="count",
            ),
        ),
    )


def table(folder: Path, name: str) -> list[dict]:
    return ds.dataset(folder / name, format="parquet").to_table().to_pylist()


def test_records_read_back_joined_by_ids(tmp_path: Path) -> None:
    with ParquetOutput(tmp_path, per_part=2) as out:
        statuses = [out.add_record(record(n), source_path=f"in/{n}.txt") for n in range(5)]
        assert out.add_record(record(0), source_path="in/again.txt") == "duplicate"
        out.record_failure("in/bad.txt", "the file is empty")
    assert statuses == ["added"] * 5
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
    articles, quotes = table(tmp_path, "articles"), table(tmp_path, "quotes")
    assert len(articles) == len(quotes) == 5
    [quote] = [q for q in quotes if q["article_id"] == articles[0]["id"]]
    assert (quote["speaker"], quote["source_name"], quote["cue"]) == (
        "the mayor",
        "the mayor",
        "said",
    )
    assert quote["source_id"] in {s["source_id"] for s in table(tmp_path, "sources")}
    # each figure lies inside its article's quote
    assert {f["quote_id"] for f in table(tmp_path, "quantities")} == {q["quote_id"] for q in quotes}
    assert table(tmp_path, "failures")[0]["path"] == "in/bad.txt"


def test_a_killed_run_leaves_whole_parts_and_a_rerun_skips_them(tmp_path: Path) -> None:
    out = ParquetOutput(tmp_path, per_part=2)
    for n in range(3):
        out.add_record(record(n), source_path=f"in/{n}.txt")
    # killed here: article 2 was never written; a quotes part whose articles part was not
    # renamed into place is what a kill between the two renames leaves
    (tmp_path / "quotes" / "part-00001.parquet").write_bytes(
        (tmp_path / "quotes" / "part-00000.parquet").read_bytes()
    )
    again = ParquetOutput(tmp_path, per_part=2)
    ids, urls, paths = again.known_inputs()
    assert paths == {"in/0.txt", "in/1.txt"}
    assert not (tmp_path / "quotes" / "part-00001.parquet").exists()
    assert again.add_record(record(1), source_path="in/1b.txt") == "duplicate"
    assert again.add_record(record(2), source_path="in/2.txt") == "added"
    again.close()
    assert len(table(tmp_path, "articles")) == len(table(tmp_path, "quotes")) == 3


def test_force_starts_the_dataset_afresh(tmp_path: Path) -> None:
    with ParquetOutput(tmp_path) as out:
        out.add_record(record(1, url="https://e.x/1"), source_path="in/1.txt")
    with ParquetOutput(tmp_path, force=True) as out:
        assert out.known_inputs() == (set(), set(), set())
        assert out.add_record(record(1, url="https://e.x/1"), source_path="in/1.txt") == "added"
    assert len(table(tmp_path, "articles")) == 1


def test_ingest_options_that_exclude_each_other_are_one_line_and_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from onrecord.cli import app

    runner = CliRunner()
    cases = {
        ("--out", str(tmp_path / "out"), "--db", "sqlite:///x.db"): "give --out or --db",
        ("--dask", "local:2", "-j", "2"): "leave out -j",
        ("--in-flight", "4"): "--in-flight is for --dask",
    }
    for options, message in cases.items():
        result = runner.invoke(app, ["ingest", str(tmp_path), *options])
        assert result.exit_code == 2 and message in result.stderr, options
    result = runner.invoke(app, ["ingest", "s3://bucket/news/", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "onrecord: error: s3://bucket/news/: URLs are read by the workers of --dask (docs/scale.md)"
    )
    assert not (tmp_path / "out").exists()  # nothing written
