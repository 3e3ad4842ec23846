"""The HTML pages: server-rendered with Jinja2 (autoescaped), a little plain JS on top."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..inputs import InputError, parse_published
from .api import build_quote_query, run_extraction
from .charts import anonymous_share, figure_counts, make_bars, percent
from .errors import ApiError
from .highlight import describe_quantity, render_article, render_snippet, source_styles

TEMPLATES = Path(__file__).parent / "templates"
PER_PAGE = 20
#: A prolific source's page lists this many quotes; search pages through the rest.
SOURCE_QUOTES_SHOWN = 500
#: Figures read to find the most cited ones on the dashboard.
FIGURES_SCANNED = 500

router = APIRouter(include_in_schema=False)
env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat() per request
)
env.filters["snippet"] = render_snippet
env.filters["urlpart"] = lambda value: quote(str(value), safe="")


def is_web_url(value: object) -> bool:
    """Only http(s) links are made clickable: a "javascript:" URL in a record stays text."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


env.filters["is_web_url"] = is_web_url


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = env.get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    return render(request, "error.html", status=status, code=code, message=message)


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


async def call_store(request: Request, work: Any) -> Any:
    return await request.app.state.stores.call(work)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, page: PageNumber = 1) -> Response:
    offset = (page - 1) * PER_PAGE
    listing = await call_store(request, lambda s: s.list_articles(limit=PER_PAGE, offset=offset))
    return render(
        request, "index.html", articles=listing.items, pager=Pager(page, PER_PAGE, listing.total)
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str) -> Response:
    found = await call_store(request, lambda s: s.get_article(article_id))
    if found is None:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    context = article_context(found["record"], found.get("source_ids") or {})
    clusters = await call_store(request, lambda s: s.article_clusters(article_id))
    return render(
        request,
        "article.html",
        outlet=found.get("outlet"),
        stored=True,
        seen_elsewhere=seen_elsewhere(found["record"], clusters),
        **context,
    )


def seen_elsewhere(record: dict[str, Any], clusters: dict[str, dict]) -> list[dict[str, Any]]:
    """The article's quotes also carried by other articles, with their cluster's counts."""
    article_id = record.get("article", {}).get("id")
    found = []
    for item in record.get("quotes", ()):
        cluster = clusters.get(f"{article_id}:{item['id']}")
        if cluster:
            found.append({"content": item.get("content") or item.get("text"), **cluster})
    return found


def article_context(record: dict[str, Any], source_ids: dict[str, str]) -> dict[str, Any]:
    """What the article template needs: the marked-up text and the sources' cards."""
    links = {local: f"/sources/{quote(str(gid), safe='')}" for local, gid in source_ids.items()}
    styles = source_styles(record.get("sources", ()))
    quote_counts: dict[str, int] = {}
    for item in record.get("quotes", ()):
        key = item.get("source_id") or ""
        quote_counts[key] = quote_counts.get(key, 0) + 1
    cards = [
        {
            "id": source["id"],
            "global_id": source_ids.get(source["id"]),
            "name": source.get("name"),
            "kind": source.get("kind"),
            "description": source.get("description"),
            "titles": source.get("titles", []),
            "affiliations": source.get("affiliations", []),
            "style": styles.get(source["id"], "nosrc"),
            "quotes": quote_counts.get(source["id"], 0),
        }
        for source in record.get("sources", ())
    ]
    quantities = [
        {**item, "described": describe_quantity(item)} for item in record.get("quantities", ())
    ]
    return {
        "record": record,
        "article": record.get("article", {}),
        "body": render_article(record, links),
        "cards": cards,
        "unattributed": quote_counts.get("", 0),
        "quantities": quantities,
        "times": record.get("times", []),
    }


@router.get("/sources/{source_id}", response_class=HTMLResponse)
async def source_page(request: Request, source_id: str) -> Response:
    source = await call_store(request, lambda s: s.get_source(source_id))
    if source is None:
        raise ApiError(404, "not_found", f"no source with id {source_id!r}")
    quotes = source.get("quotes", [])
    outlets = sorted({q.get("outlet") for q in quotes if q.get("outlet")})
    return render(
        request,
        "source.html",
        source=source,
        outlets=outlets,
        shown=quotes[:SOURCE_QUOTES_SHOWN],
        total=len(quotes),
    )


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    source: Annotated[str, Query(max_length=200)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=40)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=40)] = "",
    who: Annotated[str, Query(pattern="^(|any|named|anonymous)$")] = "",
    # Plain strings, not enums: the search form sends every field, empty ones as "".
    kind: Annotated[str, Query(pattern="^(|direct|indirect|mixed)$")] = "",
    page: PageNumber = 1,
) -> Response:
    form = {
        "q": q,
        "source": source,
        "outlet": outlet,
        "from": date_from,
        "to": date_to,
        "who": who,
        "kind": kind,
    }
    try:
        first = parse_published(date_from, "from")
        last = parse_published(date_to, "to")
    except InputError as exc:
        return render(request, "search.html", status=422, form=form, error=str(exc), results=None)
    searched = any(value for value in form.values())
    results, pager = None, None
    if searched:
        query = build_quote_query(
            text=q,
            source=source,
            outlet=outlet,
            date_from=first,
            date_to=last,
            anonymous={"anonymous": True, "named": False}.get(who),
            kind=kind or None,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
        results = await call_store(request, lambda s: s.search_quotes(query))
        pager = Pager(page, PER_PAGE, results.total)
    link_base = urlencode({k: v for k, v in form.items() if v})
    return render(
        request,
        "search.html",
        form=form,
        results=results,
        pager=pager,
        link_base=link_base,
        error=None,
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    stats = await call_store(request, lambda s: s.stats())
    scanned = await call_store(request, lambda s: s.figures(limit=FIGURES_SCANNED))
    return render(request, "dashboard.html", stats=stats, **dashboard_charts(stats, scanned.items))


def dashboard_charts(stats: dict[str, Any], figures: list[dict[str, Any]]) -> dict[str, Any]:
    top_sources = make_bars(
        stats.get("top_sources", [])[:15],
        label=lambda s: str(s.get("name", "")),
        value=lambda s: s.get("quotes", 0),
        href=lambda s: f"/sources/{quote(str(s['id']), safe='')}" if s.get("id") else None,
    )
    by_outlet = make_bars(
        stats.get("by_outlet", []),
        label=lambda row: str(row.get("outlet") or "(no outlet)"),
        value=anonymous_share,
        shown=percent,
        scale=1.0,
    )
    by_month = make_bars(
        stats.get("by_month", []),
        label=lambda row: str(row.get("month", "")),
        value=anonymous_share,
        shown=percent,
        scale=1.0,
    )
    cited = figure_counts(figures)
    top_figures = make_bars(
        cited,
        label=lambda row: str(row["text"]),
        value=lambda row: row["citations"],
        shown=lambda v: f"{v:g}×",
    )
    return {
        "top_sources": top_sources,
        "by_outlet": by_outlet,
        "by_month": by_month,
        "top_figures": list(zip(top_figures, cited, strict=True)),
        "describe_quantity": describe_quantity,
    }


@router.get("/try", response_class=HTMLResponse)
async def try_form(request: Request) -> Response:
    return render(request, "try.html", form={}, error=None)


@router.post("/try", response_class=HTMLResponse)
async def try_extract(request: Request) -> Response:
    form = await read_form(request)
    text = form.get("text", "")
    # The pasted text is the article, or (format=html) a whole web page to extract it from.
    fields = {
        "html" if form.get("format") == "html" else "text": text,
        "published": form.get("published") or None,
        "title": form.get("title") or None,
    }
    if not text.strip():
        message = "paste the text of an article first"
        return render(request, "try.html", status=422, form=form, error=message)
    try:
        record = await run_extraction(request, fields)
    except ApiError as exc:
        return render(request, "try.html", status=exc.status, form=form, error=exc.message)
    context = article_context(record.to_dict(), {})
    return render(request, "article.html", outlet=None, stored=False, **context)


async def read_form(request: Request) -> dict[str, str]:
    """A URL-encoded form (the Try page's), without a multipart parser."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise ApiError(415, "unsupported_media_type", "send the form as URL-encoded fields")
    body = (await request.body()).decode("utf-8", errors="replace")
    try:
        parsed = parse_qs(body, keep_blank_values=True, max_num_fields=20)
    except ValueError:
        raise ApiError(400, "bad_request", "the form has too many fields") from None
    return {key: values[0] for key, values in parsed.items()}
