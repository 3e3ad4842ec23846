"""Fixtures of the browser tests (test_web_*_e2e.py): a server over a corpus built from
examples/ (extracted by the bundled pipeline) plus the hand-built records of
tests/unit/test_api_corpus.py, and a headless Chromium (Debian's, at $ONRECORD_CHROMIUM
or /usr/bin/chromium; skipped without it outside CI, failed in CI).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, require
from tests.unit.test_api_corpus import build_store

CHROMIUM = Path(os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def examples_records():
    """The example articles, extracted by the bundled pipeline, with their outlets."""
    from onrecord.inputs import read_article
    from onrecord.pipeline import extract

    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix not in (".json", ".html", ".txt"):
            continue
        article = read_article(path)
        record = extract(
            article.text, published=article.published, title=article.title, url=article.url
        )
        yield record, article.outlet


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from onrecord.service import create_app

    url = build_store(tmp_path_factory.mktemp("web") / "corpus.db", list(examples_records()))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start in 20 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# Module-scoped: Playwright's sync API keeps an event loop running in the main thread
# while it is open, which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []  # script errors, console errors (CSP refusals too) and dialogs
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.on(
        "dialog",
        lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    yield page
    context.close()


def article_url(base_url: str, title_part: str) -> str:
    import httpx

    items = httpx.get(f"{base_url}/api/articles", params={"limit": 100}).json()["items"]
    article = next(item for item in items if title_part in (item["title"] or ""))
    return f"{base_url}/articles/{article['id']}"
