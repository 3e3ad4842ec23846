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
    # Values in plain words, not codes: "$1 billion", not "money: 1,000,000,000 USD".
    assert 'data-value="$1 billion"' in html
    assert 'data-value="Wednesday 8 July 2020"' in html
    assert "DATE" not in html.split('id="article-text">')[1]
    # Quotes link to their source's page, so the page works without JavaScript too.
    assert re.search(r'<a href="/sources/[^"]+" id="q1" class="q c\d direct"', html)
    assert 'class="q anon indirect"' in html
    assert "senior administration official" in html


def test_article_page_lists_sources_by_quote_count_and_folds_repeats(client):
    html = client.get(f"/articles/{article_id(client, 'Example Wire')}").text
    legend = html.split('class="legend"')[1].split("</ul>")[0]
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)', legend)]
    assert counts == sorted(counts, reverse=True)
    assert '<span class="tag">anonymous</span>' in legend  # kind said in words too
    assert '<details class="who" open>' in html and "sources, 4 quotes" in html


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


def amlo_id(client) -> str:
    sources = client.get("/api/sources").json()["items"]
    return next(s["id"] for s in sources if s["name"] == "Andres Manuel Lopez Obrador")


def test_source_page_lists_quotes_newest_first_in_their_sentences(client):
    html = client.get(f"/sources/{amlo_id(client)}").text
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    assert "Example Wire" in html and "Daily Example" in html
    # Each quote in its sentence, cue marked, with a link to the quote on its article page.
    assert '<q class="said">“Our relationship is one of respect,”</q> Lopez Obrador' in html
    assert '<span class="cue">told</span>' in html
    assert len(re.findall(r'href="/articles/[^"#]+#q\d+"', html)) == 3
    oldest = client.get(f"/sources/{amlo_id(client)}", params={"sort": "oldest"}).text
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', oldest)
    assert dates == sorted(dates)


def test_a_prolific_source_page_pages_through_its_quotes(client, monkeypatch):
    from onrecord.service import pages

    monkeypatch.setattr(pages, "SOURCE_QUOTES_PER_PAGE", 2)
    source = amlo_id(client)
    html = client.get(f"/sources/{source}").text
    assert "3 quotes, newest first" in html and html.count('class="in-context"') == 2
    assert 'rel="next" href="?page=2"' in html
    assert client.get(f"/sources/{source}", params={"page": 2}).text.count("in-context") == 1
    past = client.get(f"/sources/{source}", params={"page": 9})
    assert past.status_code == 404
    assert "Page 9 is out of range: there are 2 pages" in past.text


def test_search_page_highlights_matches_and_keeps_filters(client):
    html = client.get("/search", params={"q": "respect", "anonymous": "false"}).text
    assert "<mark>respect</mark>" in html
    assert 'data-total="1"' in html
    assert '<option value="false" selected>' in html
    # the hit in its sentence, with speaker and cue, and a link to the quote itself
    assert 'Lopez Obrador <span class="cue">told</span> reporters.' in html
    assert re.search(r'href="/articles/[^"#]+#q1"', html)
    nothing = client.get("/search", params={"q": "respect", "anonymous": "true"}).text
    assert 'data-total="0"' in nothing


def test_search_sorts_newest_or_oldest_first(client):
    def dates(sort: str) -> list[str]:
        html = client.get("/search", params={"source": "Lopez Obrador", "sort": sort}).text
        return re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)

    assert dates("newest") == sorted(dates("newest"), reverse=True)
    assert dates("oldest") == sorted(dates("newest"))
    assert len(dates("oldest")) == 3


def test_search_picks_the_outlet_from_the_corpus_list_and_offers_downloads(client):
    html = client.get("/search", params={"q": "story"}).text
    outlets = re.findall(
        r'<option value="([^"]+)"', html.split('name="outlet"')[1].split("</select>")[0]
    )
    assert {"Example Wire", "Daily Example"} <= set(outlets)
    assert 'href="/api/quotes.csv?q=story"' in html
    assert 'href="/api/quotes.jsonl?q=story"' in html


def test_pages_refuse_unknown_parameters_by_name(client):
    for path, params in (("/search", {"who": "named"}), ("/", {"offset": "3"})):
        response = client.get(path, params=params)
        assert response.status_code == 422, path
        assert response.headers["content-type"].startswith("text/html")
        name = next(iter(params))
        assert f"unknown parameter &#39;{name}&#39;" in response.text


def test_pages_past_the_end_say_so(client):
    response = client.get("/", params={"page": 99})
    assert response.status_code == 404
    assert "Page 99 is out of range: there is 1 page" in response.text
    assert "The corpus is empty" not in response.text
    search = client.get("/search", params={"q": "story", "page": 99})
    assert search.status_code == 404
    assert "Page 99 is out of range: there is 1 page" in search.text


def test_home_filters_articles_by_outlet_and_title(client):
    html = client.get("/", params={"outlet": "Daily Example"}).text
    assert "Trade with the US grew" in html and "thanks the United States" not in html
    html = client.get("/", params={"q": "thanks"}).text
    assert "thanks the United States" in html and "Trade with the US grew" not in html


def test_search_form_sends_empty_fields_as_no_filter(client):
    empty = {"source": "", "outlet": "", "from": "", "to": "", "anonymous": "", "kind": ""}
    response = client.get("/search", params={"q": "respect", **empty})
    assert response.status_code == 200
    assert 'data-total="1"' in response.text


def test_search_page_reports_a_bad_date(client):
    response = client.get("/search", params={"q": "x", "from": "2020-02-31"})
    assert response.status_code == 422
    assert "bad published date" in response.text


def test_dashboard_draws_charts_with_data(client):
    html = client.get("/dashboard").text
    charts = ("quote-volume", "top-sources", "anonymous-by-outlet", "anonymous-by-month")
    for chart in (*charts, "top-figures"):
        drawn = html.split(f'data-chart="{chart}"')[1].split("</svg>")[0]
        assert "<rect" in drawn, chart
    assert "Andres Manuel Lopez Obrador" in html
    assert "33%" in html  # Daily Example: 1 of 3 quotes from an anonymous source
    # Every bar links to the search it counts.
    assert 'href="/search?outlet=Daily+Example&amp;anonymous=true"' in html
    assert 'href="/search?from=2020-08-01&amp;to=2020-08-31"' in html


def test_dashboard_months_lie_on_a_real_time_axis(client):
    html = client.get("/dashboard").text
    volume = html.split('data-chart="quote-volume"')[1].split("</svg>")[0]
    # July, August and September 2020 each have a column: no month skipped or merged
    assert volume.count('class="value"') == 3
    assert "Jul 2020" in volume


def test_dashboard_figures_are_money_percent_and_measures_in_plain_words(client):
    html = client.get("/dashboard").text
    figures = html.split('data-chart="top-figures"')[1].split("</ol>")[0]
    assert "$1 billion" in figures and "85%" in figures
    assert "count" not in figures


def test_dashboard_filters_by_outlet_and_dates_and_describes_its_charts(client):
    html = client.get("/dashboard", params={"outlet": "Daily Example"}).text
    assert "<strong>1</strong> articles" in html
    assert 'class="chart-summary"' in html and "Data table" in html
    assert "Top sources: Andres Manuel Lopez Obrador, 2" in html
    dated = client.get("/dashboard", params={"from": "2020-09-01"}).text
    assert "<strong>1</strong> articles" in dated
    bad = client.get("/dashboard", params={"from": "2020-02-31"})
    assert bad.status_code == 422


def test_try_it_shows_the_article_without_storing_it(client):
    form = {"text": "“Fine,” said the mayor. <script>alert(1)</script>", "title": "T"}
    response = client.post("/try", data=form)
    assert response.status_code == 200
    assert "not stored" in response.text
    assert re.search(r'class="q c0 direct"', response.text)
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
        assert "The corpus is empty" in empty.get("/").text


def test_repeated_dates_fold_into_one_row_per_day_in_calendar_order():
    from onrecord.service.pages import article_context

    def time(tid: str, text: str, value: str, start: int) -> dict:
        return {
            "id": tid,
            "text": text,
            "type": "DATE",
            "value": value,
            "start": start,
            "end": start + 1,
        }

    times = [
        time("t1", "Friday", "2016-09-30", 50),
        time("t2", "7 p.m.", "2016-09-30T19:00", 60),
        time("t3", "Monday", "2016-09-26", 70),
        time("t4", "Friday", "2016-09-30", 80),
        time("t5", "recently", "PAST_REF", 10),
    ]
    record = {"article": {"id": "a", "text": "x" * 100}, "times": times}
    rows = article_context(record, {})["times"]
    assert [(r["words"], r["count"], r["texts"]) for r in rows] == [
        ("Monday 26 September 2016", 1, ["Monday"]),
        ("Friday 30 September 2016", 3, ["Friday", "7 p.m."]),
        ("recently", 1, ["recently"]),
    ]
