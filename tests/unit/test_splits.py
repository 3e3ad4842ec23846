"""Inputs cut into byte ranges for a cluster: however a JSONL or WARC.gz file is cut,
every article is read exactly once, under the same name; damage costs only the record."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.ingest import discover
from onrecord.scale.splits import entries, list_files, plan

from ..integration.test_ingest import html_page, write_warc


def read_all(paths: list[Path], range_bytes: dict[str, int], max_chars: int = 10_000) -> dict:
    """ref -> the text read, or the problem; fails on an article read twice."""
    found: dict[str, str] = {}
    count, splits = plan(list_files(paths), range_bytes)
    taken = list(splits)
    assert len(taken) == count
    for split in taken:
        for entry in entries(split, max_chars=max_chars):
            assert entry.ref not in found, f"{entry.ref} read twice"
            try:
                found[entry.ref] = entry.read()[0].text
            except InputError as exc:
                found[entry.ref] = f"failed: {exc.problem}"
    return found


@pytest.mark.parametrize("size", [1, 5, 64, 333, 1 << 20])
def test_every_jsonl_line_is_read_once_however_the_file_is_cut(tmp_path: Path, size: int) -> None:
    lines = [json.dumps({"text": f"Story {n}. " + "word " * (n * 7 % 40)}) for n in range(30)]
    lines.insert(4, "")  # blank lines are not articles
    lines.insert(9, "   ")
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    offsets, position = {}, 0
    for line in lines:
        if line.strip():
            offsets[f"{path}@{position}"] = json.loads(line)["text"]
        position += len(line.encode()) + 1
    assert read_all([path], {"jsonl": size}) == offsets


def test_a_jsonl_line_over_the_limit_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    long_line = json.dumps({"text": "x" * 5000})
    path.write_text(f'{{"text": "first"}}\n{long_line}\n{{"text": "last"}}\n', encoding="utf-8")
    found = read_all([path], {"jsonl": 10}, max_chars=1000)
    assert list(found.values())[0] == "first" and list(found.values())[2] == "last"
    assert list(found.values())[1].startswith("failed: the input has 5,0")


def pages(count: int) -> list[tuple[str, str, str]]:
    return [
        (f"https://news.example/{n}", "text/html", html_page(f"Page {n}", f"Story {n}. " * 30))
        for n in range(count)
    ]


@pytest.mark.parametrize("size", [1, 200, 900, 1 << 25])
def test_every_warc_gz_record_is_read_once_under_its_local_ingest_name(
    tmp_path: Path, size: int
) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, pages(6) + [("https://news.example/logo.png", "image/png", "PNG")])
    found = read_all([path], {"warcgz": size})
    assert list(found) == [item.ref for item in discover([path])]  # the names -j gives
    assert all("Story" in text for text in found.values())


def test_a_damaged_warc_gz_member_fails_and_reading_goes_on_after_it(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, pages(4))
    refs = [item.ref for item in discover([path])]
    data = bytearray(path.read_bytes())
    second = int(refs[1].rsplit("@", 1)[1])
    data[second + 40 : second + 60] = b"\x00" * 20  # inside the compressed stream
    path.write_bytes(bytes(data))
    found = read_all([path], {"warcgz": 300})
    assert found[refs[1]].startswith("failed: damaged web archive record")
    assert all(f"Story {n}" in found[refs[n]] for n in (0, 2, 3))


def test_a_warc_gz_compressed_as_one_stream_is_refused_by_its_size(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    write_warc(plain, pages(200), gzip=False)  # about 150 KB
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    [problem] = read_all([path], {"warcgz": 1 << 20}, max_chars=1000).values()
    assert "CC-NEWS layout" in problem


def test_missing_and_unknown_inputs_are_failures_named_as_local_ingest_names_them(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("not an article")
    found = read_all([tmp_path / "missing.txt", notes], {})
    assert found == {
        str(tmp_path / "missing.txt"): "failed: no such file or directory",
        str(notes): "failed: unknown extension '.md': use .txt, .html, .json, .jsonl, .warc or "
        ".warc.gz",
    }
