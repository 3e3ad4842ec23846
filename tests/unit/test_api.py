"""The JSON API, in process: listings, filters, records, extraction, and the error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.inputs import ArticleInput
from onrecord.pipeline import make_article
from onrecord.record import Quote, Record, Source
from onrecord.service import create_app
from tests.unit.test_api_corpus import BORDER, build_store, fill_store, postgres_schema


def fake_extract(article: ArticleInput) -> Record:
    """Stands in for the model: the first “...” is a direct quote by "Someone"."""
    record_article = make_article(article.text, published=article.published, title=article.title)
    text = article.text
    start, end = text.find("“"), text.find("”")
    if start < 0 or end < start:
        return Record(article=record_article)
    return Record(
        article=record_article,
        sources=(Source("s1", "Someone", "person"),),
        quotes=(Quote("q1", "direct", text[start : end + 1], start, end + 1, source_id="s1"),),
    )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def corpus_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The hand-built corpus on SQLite, and on PostgreSQL (skipped without it outside CI)."""
    if request.param == "sqlite":
        yield build_store(tmp_path_factory.mktemp("corpus") / "corpus.db")
        return
    with postgres_schema() as url:
        yield fill_store(url)


@pytest.fixture(scope="module")
def client(corpus_url: str):
    with TestClient(create_app(corpus_url, extract=fake_extract)) as test_client:
        yield test_client


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}
    return body["error"]


def test_articles_are_paged_with_a_total(client):
    first = client.get("/api/articles", params={"limit": 2}).json()
    second = client.get("/api/articles", params={"limit": 2, "page": 2}).json()
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    ids = {item["id"] for item in first["items"] + second["items"]}
    assert len(ids) == 3
    assert {"id", "title", "url", "published", "outlet", "quotes"} <= set(first["items"][0])


def test_an_article_gives_its_full_record(client):
    listing = client.get("/api/articles", params={"limit": 100}).json()["items"]
    border = next(item for item in listing if item["outlet"] == "Example Wire")
    body = client.get(f"/api/articles/{border['id']}").json()
    assert body["record"]["article"]["text"] == BORDER
    assert len(body["record"]["quotes"]) == 4
    assert set(body["source_ids"]) == {"s1", "s2", "s3", "s4"}
    assert body["outlet"] == "Example Wire"


def test_unknown_ids_are_json_404s(client):
    for path in ("/api/articles/nope", "/api/sources/nope", "/api/articles/%3Cscript%3E"):
        response = client.get(path)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert error_of(client.get("/api/nothing-here"))["code"] == "not_found"


def test_quote_search_marks_the_matched_words(client):
    page = client.get("/api/quotes", params={"q": "story"}).json()
    assert page["total"] == 1
    item = page["items"][0]
    assert item["source_name"] == "Ariel Ruiz Soto"
    assert "\ue000story\ue001" in item["snippet"]


def test_a_listed_quote_comes_in_its_sentence_with_a_link_to_it(client):
    item = client.get("/api/quotes", params={"q": "story"}).json()["items"][0]
    context = item["context"]
    said = context["text"][context["quote"]["start"] : context["quote"]["end"]]
    assert said == "“The numbers tell a story, but not the whole story,”"
    assert context["text"].endswith("analyst at the Migration Policy Institute.")
    assert context["text"][context["cue"]["start"] : context["cue"]["end"]] == "said"
    assert item["anchor"] == f"/articles/{item['article_id']}#{item['local_id']}"


def test_quotes_sort_by_relevance_newest_or_oldest(client):
    def dates(sort: str) -> list[str]:
        params = {"q": "Lopez OR official OR tariffs OR respect OR thank", "sort": sort}
        return [q["published"] for q in client.get("/api/quotes", params=params).json()["items"]]

    assert dates("newest") == sorted(dates("newest"), reverse=True) and len(dates("newest")) > 1
    assert dates("oldest") == sorted(dates("newest"))
    assert sorted(dates("relevance")) == sorted(dates("newest"))


def test_unknown_parameters_are_422_naming_them(client):
    for path, name in (("/api/quotes", "text"), ("/api/articles", "offset"), ("/api/stats", "x")):
        response = client.get(path, params={name: "1"})
        assert response.status_code == 422, path
        error = error_of(response)
        assert error["code"] == "unknown_parameter"
        assert f"unknown parameter '{name}'" in error["message"]


def test_pages_past_the_last_are_404s_that_say_so(client):
    response = client.get("/api/quotes", params={"page": 99})
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "out_of_range"
    assert error["message"] == "page 99 is out of range: there is 1 page"


def test_articles_and_sources_take_filters(client):
    daily = client.get("/api/articles", params={"outlet": "Daily Example"}).json()
    assert daily["total"] == 1 and daily["items"][0]["outlet"] == "Daily Example"
    assert client.get("/api/articles", params={"q": "thanks"}).json()["total"] == 1
    assert client.get("/api/articles", params={"from": "2020-08-01"}).json()["total"] == 2
    assert client.get("/api/articles", params={"to": "2020-07-31"}).json()["total"] == 1
    anonymous = client.get("/api/sources", params={"kind": "anonymous"}).json()
    assert anonymous["total"] == 2 and {s["kind"] for s in anonymous["items"]} == {"anonymous"}
    named = client.get("/api/sources", params={"q": "obrador"}).json()
    assert [s["name"] for s in named["items"]] == ["Andres Manuel Lopez Obrador"]


def test_outlets_are_listed_to_pick_from(client):
    outlets = client.get("/api/outlets").json()["items"]
    assert {row["outlet"] for row in outlets} >= {"Example Wire", "Daily Example"}


def test_search_results_download_as_csv_and_jsonl(client):
    import csv
    import io
    import json

    response = client.get("/api/quotes.csv", params={"source": "Lopez Obrador"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3 and {r["source_name"] for r in rows} == {"Andres Manuel Lopez Obrador"}
    assert all(r["url"].startswith("/articles/") and "#q" in r["url"] for r in rows)
    lines = client.get("/api/quotes.jsonl", params={"anonymous": "true"}).text.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["source_kind"] == "anonymous" for line in lines)


def test_quote_filters_narrow_the_results(client):
    everything = client.get("/api/quotes", params={"limit": 100}).json()
    anonymous = client.get("/api/quotes", params={"anonymous": "true"}).json()
    named = client.get("/api/quotes", params={"anonymous": "false", "limit": 100}).json()
    assert anonymous["total"] == 2
    assert {q["source_kind"] for q in anonymous["items"]} == {"anonymous"}
    assert "anonymous" not in {q["source_kind"] for q in named["items"]}
    assert anonymous["total"] + named["total"] == everything["total"]

    indirect = client.get("/api/quotes", params={"kind": "indirect", "limit": 100}).json()
    assert indirect["total"] >= 1 and {q["kind"] for q in indirect["items"]} == {"indirect"}

    by_outlet = client.get("/api/quotes", params={"outlet": "Daily Example"}).json()
    assert by_outlet["total"] == 3 and {q["outlet"] for q in by_outlet["items"]} == {
        "Daily Example"
    }

    august = client.get("/api/quotes", params={"from": "2020-08-01", "to": "2020-08-31"}).json()
    assert august["total"] == 3 and {q["published"] for q in august["items"]} == {"2020-08-14"}

    by_source = client.get("/api/quotes", params={"source": "Lopez Obrador"}).json()
    assert by_source["total"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2020-13-45"},
        {"to": "yesterday"},
        {"limit": 1000},
        {"limit": 0},
        {"page": 0},
        {"limit": "ten"},
        {"anonymous": "perhaps"},
        {"kind": "shouted"},
        {"sort": "loudest"},
    ],
)
def test_bad_query_parameters_are_422_with_a_message(client, params):
    response = client.get("/api/quotes", params=params)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["message"]


def test_sources_are_listed_by_quotes_and_each_has_its_quotes_newest_first(client):
    sources = client.get("/api/sources").json()
    assert sources["items"][0]["name"] == "Andres Manuel Lopez Obrador"
    assert sources["items"][0]["quotes"] == 3
    source_url = f"/api/sources/{sources['items'][0]['id']}"
    detail = client.get(source_url).json()
    dates = [q["published"] for q in detail["quotes"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    assert detail["quotes_total"] == 3 and all("context" in q for q in detail["quotes"])
    oldest = client.get(source_url, params={"sort": "oldest", "limit": 2}).json()
    assert [q["published"] for q in oldest["quotes"]] == sorted(dates)[:2]
    assert detail["titles"] == ["President"]


def test_stats_and_figures(client):
    stats = client.get("/api/stats").json()
    assert (stats["articles"], stats["quotes"]) == (3, 8)
    outlets = {row["outlet"]: row for row in stats["by_outlet"]}
    assert outlets["Example Wire"]["anonymous"] == 1
    figures = client.get("/api/figures", params={"q": "billion"}).json()
    assert figures["total"] == 1 and figures["items"][0]["value"] == 1e9


def test_extract_returns_a_record_and_stores_nothing(client):
    before = client.get("/api/articles").json()["total"]
    text = "“It works,” said Someone on Monday."
    response = client.post("/api/extract", json={"text": text, "published": "2021-02-03"})
    assert response.status_code == 200
    record = response.json()
    assert record["article"]["text"] == text
    assert record["article"]["published"] == "2021-02-03"
    assert record["quotes"][0]["text"] == "“It works,”"
    assert client.get("/api/articles").json()["total"] == before


def test_extract_reads_html(client):
    html = (
        "<html><body><article><p>" + "The council met today. " * 20 + "</p></article></body></html>"
    )
    response = client.post("/api/extract", json={"html": html})
    assert response.status_code == 200
    assert "The council met today." in response.json()["article"]["text"]


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        ('{"text": "unclosed', {"content-type": "application/json"}, 400, "bad_json"),
        ('{"text": 123}', {"content-type": "application/json"}, 422, "invalid"),
        ('["a list"]', {"content-type": "application/json"}, 422, "invalid"),
        ('{"text": "   "}', {"content-type": "application/json"}, 422, "invalid"),
        ("{}", {"content-type": "application/json"}, 422, "invalid"),
        (
            '{"text": "x", "published": "soon"}',
            {"content-type": "application/json"},
            422,
            "invalid",
        ),
        ("", {"content-type": "application/json"}, 422, "invalid"),
        (b'{"text": "\xff\xfe"}', {"content-type": "application/json"}, 400, "bad_json"),
        ('{"text": "no content type"}', {}, 422, "invalid"),
        ('{"text": "x", "title": 5}', {"content-type": "application/json"}, 422, "invalid"),
    ],
)
def test_bad_extract_requests_get_json_errors(client, body, headers, status, code):
    response = client.post("/api/extract", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code


def test_bodies_over_one_megabyte_are_refused(client):
    huge = '{"text": "' + "a" * 1_100_000 + '"}'
    response = client.post(
        "/api/extract", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_a_streamed_body_without_length_is_cut_at_the_limit(client):
    def chunks():
        yield b'{"text": "'
        for _ in range(30):
            yield b"a" * 50_000
        yield b'"}'

    response = client.post(
        "/api/extract", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    assert client.get("/api/articles").status_code == 200  # still serving


def test_wrong_method_is_a_json_405(client):
    response = client.delete("/api/articles")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/quotes",
        "/api/sources",
        "/api/sources/{source_id}",
        "/api/stats",
        "/api/figures",
        "/api/extract",
    ):
        assert path in paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    # The docs page must work offline: its script comes from this server.
    assert 'src="/docs-assets/swagger-ui-bundle.js"' in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_a_missing_database_is_a_503_not_a_crash(tmp_path: Path):
    app = create_app(f"sqlite:///{tmp_path / 'missing.db'}")
    with TestClient(app) as missing:
        response = missing.get("/api/articles")
        assert response.status_code == 503
        assert "missing.db" in error_of(response)["message"]


class BrokenStore:
    """A store whose every query fails as a driver bug would."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise RuntimeError("driver exploded")

        return fail


def test_an_unexpected_failure_is_a_500_and_the_server_goes_on(corpus_url):
    app = create_app(store_factory=BrokenStore)
    with TestClient(app, raise_server_exceptions=False) as broken:
        response = broken.get("/api/stats")
        assert response.status_code == 500
        error = error_of(response)
        assert error["code"] == "internal" and "exploded" not in error["message"]
        assert broken.get("/api/stats").status_code == 500  # answered again, not dead
        assert broken.get("/openapi.json").status_code == 200


def test_extraction_with_the_real_model(corpus_url):
    """POST /api/extract runs the bundled pipeline (loaded lazily, off the event loop)."""
    text = (
        "Mexican President Andres Manuel Lopez Obrador met President Donald Trump at the "
        "White House on Wednesday. “We are here to thank the people of the United States,” "
        "Lopez Obrador said."
    )
    with TestClient(create_app(corpus_url)) as real:
        response = real.post("/api/extract", json={"text": text, "published": "2020-07-08"})
    assert response.status_code == 200
    record = response.json()
    assert record["article"]["text"] == text
    assert record["entities"], "three names in two sentences, and no entity found"
    assert set(record) >= {"schema_version", "article", "sources", "quotes", "quantities"}


def test_serve_refuses_a_database_it_cannot_open(tmp_path: Path):
    from typer.testing import CliRunner

    from onrecord.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert result.exit_code == 2
    assert "none.db" in result.output and "error" in result.output


def test_onrecord_serve_answers_on_loopback(tmp_path: Path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    url = build_store(tmp_path / "served.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from onrecord.cli import main; main()"]
    server = subprocess.Popen([*command, "serve", "--db", url, "--port", str(port)])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/articles")
                break
            except httpx.TransportError:
                assert server.poll() is None, "onrecord serve exited"
                assert time.monotonic() < deadline, "onrecord serve did not answer in 30 s"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["total"] == 3
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_dashboard_numbers_follow_the_filters(client):
    everything = client.get("/api/dashboard").json()
    assert (everything["articles"], everything["quotes"]) == (3, 8)
    assert [row["month"] for row in everything["by_month"]] == ["2020-07", "2020-08", "2020-09"]
    assert everything["top_sources"][0]["name"] == "Andres Manuel Lopez Obrador"
    assert {f["kind"] for f in everything["figures"]} <= {"money", "percent", "measure"}
    daily = client.get("/api/dashboard", params={"outlet": "Daily Example"}).json()
    assert daily["quotes"] == 3 and [r["outlet"] for r in daily["by_outlet"]] == ["Daily Example"]
    assert daily["by_outlet"][0]["anonymous_share"] == round(1 / 3, 4)
    assert list(daily["top_sources_by_outlet"]) == ["Daily Example"]
    august = client.get("/api/dashboard", params={"from": "2020-08-01", "to": "2020-08-31"})
    assert august.json()["quotes"] == 3
