"""The JSON API under /api: the corpus store, read-only, plus extraction without storing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..errors import InputError, OnrecordError
from ..inputs import check_length, from_mapping, parse_published
from .errors import MAX_BODY_BYTES, ApiError

router = APIRouter(prefix="/api", tags=["api"])

MAX_PAGE = 100

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page (1 to 100).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
QuoteKindParam = Literal["direct", "indirect", "mixed", "scare"]


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


def page_json(page: Any) -> JSONResponse:
    return json_response({"items": page.items, "total": page.total})


def checked_date(value: str | None, name: str) -> str | None:
    try:
        return parse_published(value, name)
    except InputError as exc:
        raise ApiError(422, "invalid", str(exc)) from None


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", f"no {what} with id {ident!r}")


async def call_store(request: Request, work: Any) -> Any:
    return await request.app.state.stores.call(work)


@router.get("/articles", response_model=PageOut, responses=ERRORS, summary="List articles")
async def list_articles(request: Request, limit: Limit = 20, offset: Offset = 0) -> Any:
    """Articles in the corpus, newest first: id, title, url, published, outlet, quotes."""
    page = await call_store(request, lambda s: s.list_articles(limit=limit, offset=offset))
    return page_json(page)


@router.get("/articles/{article_id}", responses=ERRORS, summary="One article's record")
async def get_article(request: Request, article_id: str) -> Any:
    """The article's full record (``record``), its ``outlet``, and ``source_ids``: the
    record's local source ids mapped to the corpus-wide source ids used by /api/sources."""
    article = await call_store(request, lambda s: s.get_article(article_id))
    if article is None:
        raise not_found("article", article_id)
    return json_response(article)


@router.get("/quotes", response_model=PageOut, responses=ERRORS, summary="Search quotes")
async def search_quotes(
    request: Request,
    text: Annotated[str | None, Query(max_length=500, description="Words to find.")] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source name.")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD")] = None,
    anonymous: Annotated[
        bool | None, Query(description="true: anonymous sources only; false: named only.")
    ] = None,
    named: Annotated[
        bool | None, Query(description="true: named sources only (like `--named`).")
    ] = None,
    kind: QuoteKindParam | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Any:
    """Quotes matching every filter given (the filters of `onrecord quotes`). Each item's
    ``snippet`` marks the matches of ``text`` between U+E000 and U+E001."""
    if named is not None:
        if anonymous is not None and anonymous == named:
            raise ApiError(422, "invalid", "anonymous and named contradict each other")
        anonymous = not named
    query = build_quote_query(
        text=text,
        source=source,
        outlet=outlet,
        date_from=checked_date(date_from, "from"),
        date_to=checked_date(date_to, "to"),
        anonymous=anonymous,
        kind=kind,
        limit=limit,
        offset=offset,
    )
    page = await call_store(request, lambda s: s.search_quotes(query))
    return page_json(page)


def build_quote_query(**filters: Any) -> Any:
    """A store QuoteQuery; empty strings mean "no filter"."""
    from ..store import QuoteQuery

    cleaned: dict[str, Any] = {k: (None if v == "" else v) for k, v in filters.items()}
    if isinstance(cleaned.get("text"), str):
        cleaned["text"] = cleaned["text"].strip() or None
    return QuoteQuery(**cleaned)


@router.get("/sources", response_model=PageOut, responses=ERRORS, summary="List sources")
async def list_sources(request: Request, limit: Limit = 20, offset: Offset = 0) -> Any:
    """Sources by number of quotes, most quoted first."""
    page = await call_store(request, lambda s: s.list_sources(top=limit, offset=offset))
    return page_json(page)


@router.get("/sources/{source_id}", responses=ERRORS, summary="One source and its quotes")
async def get_source(request: Request, source_id: str) -> Any:
    """A source (name, kind, titles, affiliations, aliases) and all its quotes, by date."""
    source = await call_store(request, lambda s: s.get_source(source_id))
    if source is None:
        raise not_found("source", source_id)
    return json_response(source)


@router.get("/stats", responses=ERRORS, summary="Corpus statistics")
async def stats(request: Request) -> Any:
    """Counts, quotes and anonymous share by outlet and by month, and the top sources."""
    return json_response(await call_store(request, lambda s: s.stats()))


@router.get("/figures", response_model=PageOut, responses=ERRORS, summary="Search figures")
async def figures(
    request: Request,
    text: Annotated[str | None, Query(max_length=500)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Any:
    """Figures (money, percentages, counts, measures) cited in the corpus."""
    page = await call_store(
        request, lambda s: s.figures(text=text or None, limit=limit, offset=offset)
    )
    return page_json(page)


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
