"""Quote provenance on the web: /api/clusters/{id}, /api/quotes/{id}/cluster, the cluster
page with its highlighted diffs, and the article page's "seen in N articles" links."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from onrecord.record import Article, Quote, Record
from onrecord.service import create_app
from tests.unit.test_api import fake_extract
from tests.unit.test_api_corpus import build_store

HOSTILE_WORDS = "We will not be silenced <img src=x onerror=alert(1)> by the council today"


def copy_article(words: str, url: str, published: str) -> Record:
    text = f"Reprinted.\n\n“{words},” the clerk said.\n"
    start = text.index(words)
    quote = Quote("q0", "direct", words, start, start + len(words), content=words)
    article = Article(Article.make_id(text), text, url=url, published=published)
    return Record(article, quotes=(quote,))


ORIGINAL = copy_article(HOSTILE_WORDS, "https://first.example/a", "2020-07-01")
ALTERED = copy_article(
    HOSTILE_WORDS.replace("will not", "will"), "https://second.example/b", "2020-07-02"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    url = build_store(
        tmp_path_factory.mktemp("corpus") / "corpus.db",
        extra=[(ORIGINAL, None), (ALTERED, "Second Daily")],
    )
    with TestClient(create_app(url, extract=fake_extract)) as test_client:
        yield test_client


def test_a_quotes_cluster_as_json(client: TestClient) -> None:
    response = client.get(f"/api/quotes/{ORIGINAL.article.id}:q0/cluster")
    assert response.status_code == 200
    cluster = response.json()
    assert cluster["articles"] == 2 and cluster["altered"] == 1
    assert cluster["first_appearance"]["outlet"] == "first.example"
    same = client.get(f"/api/clusters/{cluster['id']}").json()
    assert same["id"] == cluster["id"]
    altered = [a for a in same["appearances"] if a["variant"] == "altered"]
    assert altered[0]["severity"] == "high" and altered[0]["reasons"] == ["negation"]


def test_unknown_cluster_or_quote_is_a_json_404(client: TestClient) -> None:
    for path in ("/api/clusters/nope", "/api/quotes/nope/cluster"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_cluster_routes_take_the_one_paging_vocabulary(client: TestClient) -> None:
    response = client.get("/api/clusters/nope", params={"offset": 10})
    assert response.status_code == 422
    assert "offset" in response.json()["error"]["message"]
    assert client.get("/api/clusters/nope", params={"page": 0}).status_code == 422


def test_cluster_page_shows_the_timeline_and_escaped_diffs(client: TestClient) -> None:
    cluster_id = client.get(f"/api/quotes/{ALTERED.article.id}:q0/cluster").json()["id"]
    html = client.get(f"/clusters/{cluster_id}").text
    assert "First appearance" in html and "first.example" in html
    assert "<del>not</del>" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html  # article text escaped
    assert html.index("2020-07-01") < html.index("2020-07-02")


def test_article_page_links_each_quote_seen_elsewhere(client: TestClient) -> None:
    html = client.get(f"/articles/{ORIGINAL.article.id}").text
    link = re.search(r'<a href="/clusters/([^"]+)">seen in 2 articles, 1 altered</a>', html)
    assert link is not None
    assert "<img src=x" not in html  # the quote's words are escaped in the list
