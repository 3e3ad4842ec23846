"""The HTML pages, rendered in process: content a reader sees, escaping, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.service import create_app
from tests.unit.test_api import fake_extract
from tests.unit.test_api_corpus import build_store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    url = build_store(tmp_path_factory.mktemp("corpus") / "corpus.db")
    with TestClient(create_app(url, extract=fake_extract)) as test_client:
        yield test_client


def article_id(client, outlet: str) -> str:
    items = client.get("/api/articles", params={"limit": 100}).json()["items"]
    return next(item["id"] for item in items if item["outlet"] == outlet)


def test_home_lists_the_articles(client):
    html = client.get("/").text
    assert "Lopez Obrador thanks the United States" in html
    assert "Trade with the US grew" in html
    assert 'Articles <span class="muted">(3)</span>' in html


def test_article_page_marks_quotes_figures_and_dates(client):
    html = client.get(f"/articles/{article_id(client, 'Example Wire')}").text
    assert html.count('data-quote="') == 4
    assert 'title="money: 1,000,000,000 USD"' in html
    assert 'title="DATE: 2020-07-08"' in html
    # Quotes link to their source's page, so the page works without JavaScript too.
    assert re.search(r'<a href="/sources/[^"]+" class="q c\d direct"', html)
    assert 'class="q anon indirect"' in html
    assert "senior administration official" in html


def test_article_page_escapes_everything_from_the_record(client):
    response = client.get(f"/articles/{article_id(client, 'Hostile Gazette')}")
    html = response.text
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert "Jane <b>Doe</b>" not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert 'href="javascript:' not in html  # the record's URL is not made a link
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The source cards' data is JSON inside a data block, with < escaped.
    data = html.split('id="sources-data">')[1].split("</script>")[0]
    assert "<" not in data and "\\u003cb\\u003e" in data


def test_source_page_lists_quotes_by_date_with_links(client):
    sources = client.get("/api/sources").json()["items"]
    amlo = next(s for s in sources if s["name"] == "Andres Manuel Lopez Obrador")
    html = client.get(f"/sources/{amlo['id']}").text
    dates = re.findall(r"<time>(\d{4}-\d\d-\d\d)</time>", html)
    assert dates == sorted(dates) and len(dates) == 3
    assert "Example Wire" in html and "Daily Example" in html
    assert html.count('href="/articles/') == 3


def test_a_prolific_source_page_shows_a_first_part_and_a_way_to_the_rest(client, monkeypatch):
    from onrecord.service import pages

    monkeypatch.setattr(pages, "SOURCE_QUOTES_SHOWN", 2)
    sources = client.get("/api/sources").json()["items"]
    amlo = next(s for s in sources if s["name"] == "Andres Manuel Lopez Obrador")
    html = client.get(f"/sources/{amlo['id']}").text
    assert "3 quotes, by date" in html and html.count("<blockquote>") == 2
    assert f'href="/search?source={amlo["id"]}"' in html


def test_search_page_highlights_matches_and_keeps_filters(client):
    html = client.get("/search", params={"q": "respect", "who": "named"}).text
    assert "<mark>respect</mark>" in html
    assert 'data-total="1"' in html
    assert '<option value="named" selected>' in html
    nothing = client.get("/search", params={"q": "respect", "who": "anonymous"}).text
    assert 'data-total="0"' in nothing


def test_search_form_sends_empty_fields_as_no_filter(client):
    empty = {"source": "", "outlet": "", "from": "", "to": "", "who": "", "kind": ""}
    response = client.get("/search", params={"q": "respect", **empty})
    assert response.status_code == 200
    assert 'data-total="1"' in response.text


def test_search_page_reports_a_bad_date(client):
    response = client.get("/search", params={"q": "x", "from": "2020-02-31"})
    assert response.status_code == 422
    assert "bad published date" in response.text


def test_dashboard_draws_charts_with_data(client):
    html = client.get("/dashboard").text
    for chart in ("top-sources", "anonymous-by-outlet", "anonymous-by-month", "top-figures"):
        svg = html.split(f'data-chart="{chart}"')[1].split("</svg>")[0]
        assert "<rect" in svg, chart
    assert "Andres Manuel Lopez Obrador" in html
    assert "33%" in html  # Daily Example: 1 of 3 quotes from an anonymous source


def test_try_it_shows_the_article_without_storing_it(client):
    form = {"text": "“Fine,” said the mayor. <script>alert(1)</script>", "title": "T"}
    response = client.post("/try", data=form)
    assert response.status_code == 200
    assert "not stored" in response.text
    assert 'class="q c0 direct"' in response.text
    assert "&lt;script&gt;alert(1)" in response.text
    assert client.get("/api/articles").json()["total"] == 3


def test_try_it_reads_a_pasted_web_page(client):
    page = (
        "<html><head><title>Town news</title></head><body><nav>Home | Subscribe</nav>"
        "<article><p>" + "“The bridge opens in May,” the mayor said. " * 5 + "</p></article>"
        "</body></html>"
    )
    response = client.post("/try", data={"text": page, "format": "html"})
    assert response.status_code == 200
    text = response.text.split('id="article-text">')[1].split("</div>")[0]
    assert "The bridge opens in May" in text and "Subscribe" not in text


def test_try_it_explains_an_empty_article(client):
    response = client.post("/try", data={"text": "  "})
    assert response.status_code == 422
    assert "paste the text of an article" in response.text


def test_unknown_pages_are_html_404s(client):
    for path in ("/articles/nope", "/sources/nope", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert 'data-code="not_found"' in response.text


def test_pages_work_on_an_empty_corpus(tmp_path: Path):
    from onrecord.store import open_store

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()
    with TestClient(create_app(url)) as empty:
        for path in ("/", "/dashboard", "/search?q=anything"):
            assert empty.get(path).status_code == 200, path
        assert "No data yet" in empty.get("/dashboard").text
