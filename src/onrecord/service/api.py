"""The JSON API under /api: the corpus store, read-only, plus extraction without storing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ..errors import InputError, OnrecordError
from ..inputs import check_length, from_mapping
from .errors import MAX_BODY_BYTES, ApiError
from .params import (
    DateFrom,
    DateTo,
    Outlet,
    Paging,
    QuoteFilters,
    Sort,
    SourceKind,
    Text,
    checked_dates,
    paging,
    quote_filters,
    reject_unknown_parameters,
)

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(reject_unknown_parameters)])

#: The most quotes one CSV or JSONL download holds; the search page says so.
DOWNLOAD_MAX = 10_000
DOWNLOAD_CHUNK = 500
CSV_COLUMNS = (
    "quote_id",
    "published",
    "outlet",
    "source_name",
    "source_kind",
    "kind",
    "quote",
    "sentence",
    "article_title",
    "article_id",
    "url",
)


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int = Field(description="How many items match in all, across pages.")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


class ExtractIn(BaseModel):
    """An article to extract: its text, or an HTML page, and optional metadata."""

    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page (used when text is absent).")
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    title: str | None = None
    url: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 404, 413, 422, 500, 503)
}


def json_response(data: Any) -> JSONResponse:
    # Built here (not via response_model) so large pages skip a second validation pass.
    return JSONResponse(data)


def page_json(page: Any, pager: Paging) -> JSONResponse:
    pager.check(page.total)
    return json_response(
        {"items": page.items, "total": page.total, "page": pager.page, "limit": pager.limit}
    )


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", f"no {what} with id {ident!r}")


async def call_store(request: Request, work: Any) -> Any:
    return await request.app.state.stores.call(work)


Pager = Annotated[Paging, Depends(paging)]
Quotes = Annotated[QuoteFilters, Depends(quote_filters)]


@router.get("/articles", response_model=PageOut, responses=ERRORS, summary="List articles")
async def list_articles(
    request: Request,
    pager: Pager,
    q: Text = "",
    outlet: Outlet = "",
    date_from: DateFrom = "",
    date_to: DateTo = "",
) -> Any:
    """Articles in the corpus, newest first: id, title, url, published, outlet, quotes.
    ``q`` matches words of the title."""
    from ..store.queries import Filters, list_articles

    filters = Filters(outlet or None, *checked_dates(date_from, date_to))
    page = await call_store(
        request, lambda s: list_articles(s, q, filters, pager.limit, pager.offset)
    )
    return page_json(page, pager)


@router.get("/articles/{article_id}", responses=ERRORS, summary="One article's record")
async def get_article(request: Request, article_id: str) -> Any:
    """The article's full record (``record``), its ``outlet``, and ``source_ids``: the
    record's local source ids mapped to the corpus-wide source ids used by /api/sources."""
    article = await call_store(request, lambda s: s.get_article(article_id))
    if article is None:
        raise not_found("article", article_id)
    return json_response(article)


@router.get("/outlets", responses=ERRORS, summary="The corpus's outlets")
async def list_outlets(request: Request) -> Any:
    """Every outlet in the corpus with its number of articles, most articles first: the
    values ``outlet`` takes."""
    from ..store.queries import outlets

    return json_response({"items": await call_store(request, outlets)})


@router.get("/quotes", response_model=PageOut, responses=ERRORS, summary="Search quotes")
async def search_quotes(request: Request, filters: Quotes, pager: Pager) -> Any:
    """Quotes matching every filter given (the filters of `onrecord quotes`), ranked by
    relevance when ``q`` is given, else newest first (``sort`` chooses). Each item's
    ``snippet`` marks the matches of ``q`` between U+E000 and U+E001; ``context`` is the
    sentence around the quote with the quote, cue and speaker as offsets into its
    ``text``; ``anchor`` is the quote on its article page."""
    page = await find_quotes(request, filters, pager.limit, pager.offset)
    return page_json(page, pager)


async def find_quotes(request: Request, filters: QuoteFilters, limit: int, offset: int) -> Any:
    """One page of quotes, each with its sentence around it."""
    from ..store import Page
    from ..store.queries import with_context

    try:
        query = filters.store_query(limit, offset)
    except InputError as exc:
        raise ApiError(422, "invalid", str(exc)) from None

    def work(store: Any) -> Any:
        page = store.search_quotes(query)
        return Page(with_context(store, page.items), page.total)

    return await call_store(request, work)


@router.get("/quotes.csv", responses=ERRORS, summary="Download quotes as CSV")
async def download_csv(request: Request, filters: Quotes) -> Response:
    """The quotes matching the filters (up to 10,000), one row each, as CSV."""
    import csv
    import io

    rows = await download_rows(request, filters)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return download(out.getvalue(), "text/csv; charset=utf-8", "quotes.csv")


@router.get("/quotes.jsonl", responses=ERRORS, summary="Download quotes as JSON lines")
async def download_jsonl(request: Request, filters: Quotes) -> Response:
    """The quotes matching the filters (up to 10,000), one JSON object a line."""
    import json

    rows = await download_rows(request, filters)
    body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return download(body, "application/x-ndjson; charset=utf-8", "quotes.jsonl")


def download(body: str, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


async def download_rows(request: Request, filters: QuoteFilters) -> list[dict[str, Any]]:
    """Flat rows for a download: the quoted words, the sentence and where it came from."""
    rows: list[dict[str, Any]] = []
    while len(rows) < DOWNLOAD_MAX:
        page = await find_quotes(request, filters, DOWNLOAD_CHUNK, len(rows))
        for item in page.items:
            context = item.get("context") or {}
            rows.append(
                {
                    "quote_id": item["quote_id"],
                    "published": item.get("published"),
                    "outlet": item.get("outlet"),
                    "source_id": item.get("source_id"),
                    "source_name": item.get("source_name"),
                    "source_kind": item.get("source_kind"),
                    "kind": item.get("kind"),
                    "quote": item.get("text"),
                    "sentence": context.get("text"),
                    "article_title": item.get("article_title"),
                    "article_id": item.get("article_id"),
                    "url": item.get("anchor"),
                }
            )
        if len(page.items) < DOWNLOAD_CHUNK:
            break
    return rows[:DOWNLOAD_MAX]


@router.get("/sources", response_model=PageOut, responses=ERRORS, summary="List sources")
async def list_sources(request: Request, pager: Pager, q: Text = "", kind: SourceKind = "") -> Any:
    """Sources by number of quotes, most quoted first; ``q`` matches a name or alias."""
    from ..store.queries import list_sources

    def work(store: Any) -> Any:
        if not q.strip() and not kind:  # the store's own listing (counters kept at ingest)
            return store.list_sources(top=pager.limit, offset=pager.offset)
        return list_sources(store, q, kind or None, pager.limit, pager.offset)

    page = await call_store(request, work)
    return page_json(page, pager)


@router.get("/sources/{source_id}", responses=ERRORS, summary="One source and its quotes")
async def get_source(request: Request, source_id: str, pager: Pager, sort: Sort = "") -> Any:
    """A source (name, kind, titles, affiliations, aliases) and one page of its quotes,
    newest first (``sort=oldest``: oldest first), each in its sentence;
    ``quotes_total`` counts them all."""
    from ..store import Page
    from ..store.queries import source_quotes, with_context

    def work(store: Any) -> Any:
        source = store.get_source(source_id)
        if source is None:
            return None
        page = source_quotes(store, source_id, sort != "oldest", pager.limit, pager.offset)
        return source, Page(with_context(store, page.items), page.total)

    found = await call_store(request, work)
    if found is None:
        raise not_found("source", source_id)
    source, quotes = found
    pager.check(quotes.total)
    source.update(quotes=quotes.items, quotes_total=quotes.total, page=pager.page)
    return json_response(source)


@router.get("/dashboard", responses=ERRORS, summary="The dashboard's figures")
async def dashboard(
    request: Request, outlet: Outlet = "", date_from: DateFrom = "", date_to: DateTo = ""
) -> Any:
    """Quote volume and anonymous share by month and by outlet, the top sources overall
    and per outlet, and the most cited figures (money, percentages, measures), for the
    articles matching the filters."""
    from ..store.queries import Filters
    from ..store.queries import dashboard as compute

    filters = Filters(outlet or None, *checked_dates(date_from, date_to))
    return json_response(await call_store(request, lambda s: compute(s, filters)))


@router.get("/stats", responses=ERRORS, summary="Corpus statistics")
async def stats(request: Request) -> Any:
    """Counts, quotes and anonymous share by outlet and by month, and the top sources."""
    return json_response(await call_store(request, lambda s: s.stats()))


@router.get("/figures", response_model=PageOut, responses=ERRORS, summary="Search figures")
async def figures(request: Request, pager: Pager, q: Text = "") -> Any:
    """Figures (money, percentages, counts, measures) cited in the corpus; ``q`` matches
    words of the figure, its sentence or what it counts."""
    page = await call_store(
        request, lambda s: s.figures(text=q or None, limit=pager.limit, offset=pager.offset)
    )
    return page_json(page, pager)


@router.post("/extract", responses=ERRORS, summary="Extract one article, without storing it")
async def extract(request: Request, article: Annotated[ExtractIn, Body()]) -> Any:
    """The record of the article sent (``text``, or ``html``). Nothing is stored.
    Bodies over 1 MB (1,000,000 bytes) are refused with 413, and so is an article whose
    extraction passes the server's time limit (30 seconds unless `serve
    --extract-timeout` says otherwise) or memory limit. When every extraction worker is
    busy and enough requests wait, the answer is 503 with Retry-After."""
    record = await run_extraction(request, article.model_dump())
    return json_response(record.to_dict())


async def run_extraction(request: Request, fields: dict[str, Any]) -> Any:
    """Validate an article like the CLI does, then extract it on the extraction thread."""
    try:
        article = from_mapping(fields, "request")
        check_length(article.text, "request", MAX_BODY_BYTES)
    except InputError as exc:
        raise ApiError(422, "invalid", str(exc)) from None
    try:
        # Stopped when the client disconnects: nobody would read the answer.
        return await request.app.state.extractor.run(article, request.is_disconnected)
    except OnrecordError as exc:
        raise ApiError(503, "unavailable", str(exc)) from None
