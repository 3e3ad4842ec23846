"""The web app in a real headless Chromium, over a corpus built from examples/.

The corpus holds the examples extracted by the bundled pipeline, plus hand-built records
(tests/unit/test_api_corpus.py) so quotes, anonymous sources and figures are there to
click whatever the extraction stages find today. The server runs in process (uvicorn in
a thread) on a free loopback port. Needs Chromium (Debian's, at $ONRECORD_CHROMIUM or
/usr/bin/chromium): skipped without it outside CI, failed in CI.
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
from tests.unit.test_api_corpus import BORDER, build_store

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


@pytest.fixture(scope="module")
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


def test_the_examples_are_listed_and_open(page, base_url):
    page.goto(base_url)
    page.get_by_role("link", name="City Council approves").click()
    page.wait_for_url("**/articles/*")
    assert "City Council" in page.locator("h1").inner_text()
    assert "budget" in page.locator("#article-text").inner_text()
    assert page.errors == []


def test_clicking_a_quote_opens_its_source_card(page, base_url):
    # How fast it is usable is measured in bench/bench_pages.py, not asserted here.
    page.goto(article_url(base_url, "thanks the United States"))
    assert page.locator("#article-text").inner_text().strip() == BORDER.strip()

    page.locator('#article-text .q[data-source="s1"]').first.click()
    card = page.locator("#source-card")
    card.wait_for(state="visible")
    assert card.locator(".name").inner_text() == "Andres Manuel Lopez Obrador"
    assert card.locator(".titles").inner_text() == "President"
    assert card.locator(".affiliations").inner_text() == "Mexico"
    # The same person quoted in another article of the corpus.
    others = card.locator(".others")
    others.get_by_text("Our relationship is one of respect").first.wait_for()
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.errors == []


def test_named_and_anonymous_quotes_look_different(page, base_url):
    page.goto(article_url(base_url, "thanks the United States"))
    named = page.locator('#article-text .q[data-source="s1"]').first
    anonymous = page.locator('#article-text .q[data-source="s3"]').first
    style = "e => [getComputedStyle(e).backgroundImage, getComputedStyle(e).fontStyle]"
    assert named.evaluate(style) != anonymous.evaluate(style)
    assert anonymous.evaluate("e => getComputedStyle(e).fontStyle") == "italic"
    figure = page.locator("#article-text .fig", has_text="$1 billion")
    assert figure.get_attribute("title") == "$1 billion"
    figure.hover()


def test_search_finds_quotes_with_filters(page, base_url):
    page.goto(f"{base_url}/search")
    page.get_by_label("Text").fill("story")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?*")
    result = page.locator(".results .result").first
    assert result.locator("mark").first.inner_text().lower() == "story"
    assert "Ruiz Soto" in page.locator(".results").inner_text()
    page.get_by_label("Sources").select_option("true")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**anonymous=true**")
    assert page.locator(".count").get_attribute("data-total") == "0"


def test_dashboard_charts_have_data(page, base_url):
    page.goto(f"{base_url}/dashboard")
    charts = ("quote-volume", "top-sources", "anonymous-by-outlet", "anonymous-by-month")
    for chart in (*charts, "top-figures"):
        bars = page.locator(f'[data-chart="{chart}"] rect[data-value]')
        assert bars.count() >= 1, chart
        values = [float(v) for v in bars.evaluate_all("rs => rs.map(r => r.dataset.value)")]
        assert max(values) > 0, chart
        width = bars.first.evaluate("r => r.getBoundingClientRect().width")
        assert width > 0, chart
    assert page.errors == []


def test_try_it_extracts_a_pasted_article(page, base_url):
    page.goto(f"{base_url}/try")
    text = (EXAMPLES / "border-talks.json").read_text(encoding="utf-8")
    import json

    article = json.loads(text)
    page.get_by_label("Title").fill(article["title"])
    page.get_by_label("Article text").fill(article["text"])
    page.get_by_role("button", name="Extract").click()
    page.locator("article.record").wait_for(timeout=60_000)
    assert page.locator("article.record").get_attribute("data-stored") == "no"
    assert "not stored" in page.locator(".notice").inner_text()
    shown = page.locator("#article-text").inner_text()
    assert "Lopez Obrador" in shown and "Migration Policy Institute" in shown
    assert page.errors == []


def test_markup_in_articles_never_runs(page, base_url):
    page.goto(article_url(base_url, "Council"))
    text = page.locator("#article-text")
    assert "<script>" in text.inner_text()
    assert "<img src=x" in text.inner_text()
    assert text.locator("img, script, b").count() == 0
    assert "<script>" in page.locator("h1").inner_text()
    page.locator("#article-text .q").first.click()
    page.locator("#source-card").wait_for(state="visible")
    assert page.locator("#source-card .name").inner_text() == "Jane <b>Doe</b>"
    assert page.evaluate("() => window.__pwned === undefined")

    page.goto(f"{base_url}/search?q=silenced")
    assert page.locator(".results img").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.errors == []


def test_markup_pasted_on_try_it_never_runs(page, base_url):
    page.goto(f"{base_url}/try")
    page.get_by_label("Article text").fill(
        'Hello <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>.'
    )
    page.get_by_role("button", name="Extract").click()
    page.locator("article.record").wait_for(timeout=60_000)
    assert page.locator("#article-text img, #article-text script").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.errors == []
