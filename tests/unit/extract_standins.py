"""Stand-ins for the model in the service's extraction workers, in a module of their own:
a spawned worker imports the module its function lives in, and this one imports little
(the record types), so a worker starts in a moment even on a busy machine."""

from __future__ import annotations

import os
import time
from pathlib import Path

from onrecord.inputs import ArticleInput
from onrecord.record import Article, Quote, Record, Source


def quick_extract(article: ArticleInput) -> Record:
    """The first “...” is a direct quote by "Someone"."""
    text = article.text
    found = Article(Article.make_id(text), text, article.url, article.title, article.published)
    start, end = text.find("“"), text.find("”")
    if start < 0 or end < start:
        return Record(article=found)
    return Record(
        article=found,
        sources=(Source("s1", "Someone", "person"),),
        quotes=(Quote("q1", "direct", text[start : end + 1], start, end + 1, source_id="s1"),),
    )


def gated_extract(article: ArticleInput) -> Record:
    """Waits until the file named by the article's title exists (at most 20 s)."""
    gate = Path(article.title or "")
    for _ in range(400):
        if gate.exists():
            break
        time.sleep(0.05)
    return quick_extract(article)


def endless_extract(article: ArticleInput) -> Record:
    """The worst article, "forever ...": it never finishes; any other is extracted."""
    while article.text.startswith("forever"):
        time.sleep(0.01)
    return quick_extract(article)


def hungry_extract(article: ArticleInput) -> Record:
    held = []
    for _ in range(200):  # up to 4 GB, 20 MB at a time, unless stopped first
        held.append(bytearray(20 * 2**20))
        time.sleep(0.01)
    return quick_extract(article)


def failing_extract(article: ArticleInput) -> Record:
    raise ValueError("no sentences in this text")


def any_extract(article: ArticleInput) -> Record:
    """One stand-in for every case, chosen by the article's first word, so that one
    worker serves many tests: "forever", "hungry", "failing", "gated", "pid"; any other
    is extracted at once."""
    first = article.text.split(" ", 1)[0]
    chosen = {
        "forever": endless_extract,
        "hungry": hungry_extract,
        "failing": failing_extract,
        "gated": gated_extract,
        "pid": pid_extract,
    }.get(first, quick_extract)
    return chosen(article)


def pid_extract(article: ArticleInput) -> Record:
    """Extracts, with the id of the process that did it as the title."""
    return quick_extract(ArticleInput(text=article.text, title=str(os.getpid())))
