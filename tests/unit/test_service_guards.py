"""Other web sites cannot use the service: DNS rebinding is refused by the Host check, a
cross-site form post by the origin check. 405s say what is allowed; HEAD works like GET."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.service import create_app
from tests.unit.test_api import fake_extract
from tests.unit.test_api_corpus import build_store

FORM = {"text": "The mayor said “the roads will reopen” on Friday.", "format": "text"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return create_app(
        build_store(tmp_path_factory.mktemp("corpus") / "c.db"),
        extract=fake_extract,
        allowed_hosts=("localhost", "127.0.0.1", "::1", "news.internal"),
    )


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, base_url="http://localhost:8000") as test_client:
        yield test_client


@pytest.mark.parametrize(
    "host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "news.internal", "NEWS.internal:80"]
)
def test_known_host_names_are_served(client, host: str) -> None:
    assert client.get("/api/stats", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io"])
def test_a_rebound_host_name_is_refused(client, host: str) -> None:
    response = client.get("/api/stats", headers={"host": host})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_host"
    assert "--allow-host" in response.json()["error"]["message"]


def test_any_host_when_told(tmp_path: Path) -> None:
    app = create_app(build_store(tmp_path / "c.db"), extract=fake_extract, allowed_hosts=["*"])
    with TestClient(app) as anyhost:
        assert anyhost.get("/api/stats", headers={"host": "x.example"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "https://attacker.example"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://attacker.example"},
        {"origin": "null"},
    ],
)
def test_a_cross_site_form_post_is_refused(client, headers: dict[str, str]) -> None:
    response = client.post("/try", data=FORM, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cross_site"


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": "http://localhost:8000"},
        {"origin": "http://localhost:8000"},
        {},  # curl or a script: no browser headers
    ],
)
def test_a_post_from_our_own_page_or_a_program_is_served(client, headers) -> None:
    response = client.post("/try", data=FORM, headers=headers)
    assert response.status_code == 200
    assert "the roads will reopen" in response.text


def test_405_says_which_methods_are_allowed(client) -> None:
    response = client.delete("/api/articles")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    response = client.get("/api/extract")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("path", ["/", "/api/stats", "/api/articles", "/try", "/dashboard"])
def test_head_works_where_get_does(client, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_deeply_nested_json_is_named_as_such(client) -> None:
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/extract", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "the request body is JSON nested too deeply to read"
    )


def test_a_lone_surrogate_in_the_text_is_extracted(client) -> None:
    body = '{"text": "He said \\ud800 “it is fine” today.", "title": "T \\udc80"}'
    response = client.post(
        "/api/extract", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    article = response.json()["article"]
    assert article["text"] == "He said \ufffd “it is fine” today."
    assert article["title"] == "T \ufffd"


@pytest.mark.parametrize("path", ["/", "/api/stats", "/api/sources", "/dashboard"])
def test_read_only_answers_carry_an_etag_and_304_when_unchanged(client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200
    assert client.get(path, headers={"if-none-match": f'"x", W/{etag}'}).status_code == 304


def test_errors_and_extractions_carry_no_etag(client) -> None:
    assert "etag" not in client.get("/api/articles/nope").headers
    assert "etag" not in client.post("/try", data=FORM).headers
