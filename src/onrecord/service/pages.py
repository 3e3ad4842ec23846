"""The HTML pages: server-rendered with Jinja2 (autoescaped), a little plain JS on top."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..figures import describe_quantity
from ..inputs import InputError
from ..times import describe_time
from .api import find_quotes, run_extraction
from .charts import dashboard_charts
from .errors import ApiError
from .highlight import (
    KIND_LABELS,
    quote_counts,
    render_article,
    render_in_context,
    render_snippet,
    source_styles,
)
from .params import (
    DateFrom,
    DateTo,
    Outlet,
    PageNumber,
    Paging,
    QuoteFilters,
    Sort,
    Text,
    checked_dates,
    quote_filters,
    reject_unknown_parameters,
)

TEMPLATES = Path(__file__).parent / "templates"
PER_PAGE = 20
#: A source's page lists this many quotes a page.
SOURCE_QUOTES_PER_PAGE = 50

router = APIRouter(include_in_schema=False, dependencies=[Depends(reject_unknown_parameters)])
env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat() per request
)
env.filters["snippet"] = render_snippet
env.filters["in_context"] = render_in_context
env.globals["kind_labels"] = KIND_LABELS
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
    """Where a listing's page stands, for the template's links."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def out_of_range(self) -> str | None:
        return Paging(self.page, self.per_page).out_of_range(self.total)


def listing_status(pager: Pager) -> int:
    """A page past the last one is a 404 that says so (the template explains)."""
    return 404 if pager.out_of_range else 200


async def call_store(request: Request, work: Any) -> Any:
    return await request.app.state.stores.call(work)


async def outlet_names(request: Request) -> list[str]:
    from ..store.queries import outlets

    return [row["outlet"] for row in await call_store(request, outlets)]


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request,
    q: Text = "",
    outlet: Outlet = "",
    date_from: DateFrom = "",
    date_to: DateTo = "",
    page: PageNumber = 1,
) -> Response:
    from ..store.queries import Filters, list_articles

    filters = Filters(outlet or None, *checked_dates(date_from, date_to))
    offset = (page - 1) * PER_PAGE
    listing = await call_store(request, lambda s: list_articles(s, q, filters, PER_PAGE, offset))
    pager = Pager(page, PER_PAGE, listing.total)
    form = {"q": q, "outlet": outlet, "from": date_from, "to": date_to}
    return render(
        request,
        "index.html",
        status=listing_status(pager),
        articles=listing.items,
        pager=pager,
        form=form,
        filtered=any(form.values()),
        outlets=await outlet_names(request),
        link_base=urlencode({k: v for k, v in form.items() if v}),
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
    """What the article template needs: the marked-up text, the sources' cards (most
    quoted first) and the figures and dates in plain words, repeats folded."""
    links = {local: f"/sources/{quote(str(gid), safe='')}" for local, gid in source_ids.items()}
    quotes = record.get("quotes", ())
    styles = source_styles(record.get("sources", ()), quotes)
    counts = quote_counts(quotes)
    cards = [
        {
            "id": source["id"],
            "global_id": source_ids.get(source["id"]),
            "name": source.get("name"),
            "kind": source.get("kind"),
            "description": source.get("description"),
            "titles": source.get("titles", []),
            "affiliations": source.get("affiliations", []),
            "style": styles.get(source["id"], "tail"),
            "quotes": counts.get(source["id"], 0),
        }
        for source in record.get("sources", ())
    ]
    order = {card["id"]: index for index, card in enumerate(cards)}
    cards.sort(key=lambda card: (-card["quotes"], order[card["id"]]))
    return {
        "record": record,
        "article": record.get("article", {}),
        "body": render_article(record, links),
        "cards": cards,
        "quote_total": len(quotes),
        "unattributed": counts.get("", 0),
        "quantities": folded(
            sorted(record.get("quantities", ()), key=figure_order), describe_quantity
        ),
        "times": folded(sorted(record.get("times", ()), key=time_order), describe_day),
    }


#: Figures that matter first: a bare count ("one", "two") says least.
FIGURE_KIND_ORDER = {"money": 0, "percent": 1, "measure": 2, "count": 3}
_CLOCK = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def figure_order(item: dict[str, Any]) -> tuple[int, int]:
    return FIGURE_KIND_ORDER.get(str(item.get("kind")), 4), int(item.get("start", 0))


def time_order(item: dict[str, Any]) -> tuple[int, str, int]:
    """Dates in calendar order, then durations, sets and "now"/"recently"."""
    value = str(item.get("value", ""))
    dated = value[:1].isdigit() and item.get("type") in ("DATE", "TIME")
    return (0 if dated else 1), (value if dated else ""), int(item.get("start", 0))


def describe_day(item: dict[str, Any]) -> str:
    """A date or time in plain words, a clock time folded into its day: "7 p.m." and
    "Friday" on the same day are one row, "Friday 30 September 2016"."""
    value = str(item.get("value", ""))
    day = _CLOCK.match(value)
    return describe_time(str(item.get("type", "DATE")), day[1] if day else value)


def folded(items: Any, describe: Any) -> list[dict[str, Any]]:
    """Figures or dates with the same plain-words value as one row: the value, the
    wordings the article used (in order of appearance) and how many times it occurs."""
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        words = describe(item)
        row = rows.setdefault(words, {"words": words, "texts": [], "count": 0, "id": item["id"]})
        row["count"] += 1
        if item.get("text") not in row["texts"]:
            row["texts"].append(item.get("text"))
    return list(rows.values())


@router.get("/sources/{source_id}", response_class=HTMLResponse)
async def source_page(
    request: Request, source_id: str, sort: Sort = "", page: PageNumber = 1
) -> Response:
    from ..store import Page
    from ..store.queries import source_quotes, with_context

    offset = (page - 1) * SOURCE_QUOTES_PER_PAGE
    newest = sort != "oldest"

    def work(store: Any) -> Any:
        found = store.get_source(source_id)
        if found is None:
            return None
        listed = source_quotes(store, source_id, newest, SOURCE_QUOTES_PER_PAGE, offset)
        return found, Page(with_context(store, listed.items), listed.total)

    found = await call_store(request, work)
    if found is None:
        raise ApiError(404, "not_found", f"no source with id {source_id!r}")
    source, listed = found
    outlets = sorted({q.get("outlet") for q in source.get("quotes", []) if q.get("outlet")})
    pager = Pager(page, SOURCE_QUOTES_PER_PAGE, listed.total)
    return render(
        request,
        "source.html",
        status=listing_status(pager),
        source=source,
        outlets=outlets,
        shown=listed.items,
        total=listed.total,
        pager=pager,
        sort="oldest" if not newest else "newest",
        link_base=urlencode({"sort": sort} if sort else {}),
    )


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    filters: Annotated[QuoteFilters, Depends(quote_filters)],
    page: PageNumber = 1,
) -> Response:
    form = filters.as_form()
    outlets = await outlet_names(request)
    context: dict[str, Any] = {"form": form, "outlets": outlets, "results": None}
    try:
        filters.store_query(PER_PAGE, 0)
    except InputError as exc:
        return render(request, "search.html", status=422, error=str(exc), **context)
    pager = None
    if filters.any():
        results = await find_quotes(request, filters, PER_PAGE, (page - 1) * PER_PAGE)
        pager = Pager(page, PER_PAGE, results.total)
        context["results"] = results
    link_base = urlencode({k: v for k, v in form.items() if v})
    return render(
        request,
        "search.html",
        status=listing_status(pager) if pager else 200,
        pager=pager,
        link_base=link_base,
        error=None,
        **context,
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request, outlet: Outlet = "", date_from: DateFrom = "", date_to: DateTo = ""
) -> Response:
    from ..store.queries import Filters
    from ..store.queries import dashboard as compute

    form = {"outlet": outlet, "from": date_from, "to": date_to}
    try:
        filters = Filters(outlet or None, *checked_dates(date_from, date_to))
    except ApiError as exc:
        outlets = await outlet_names(request)
        return render(
            request, "dashboard.html", status=422, form=form, outlets=outlets, error=exc.message
        )
    data = await call_store(request, lambda s: compute(s, filters))
    return render(
        request,
        "dashboard.html",
        form=form,
        outlets=await outlet_names(request),
        error=None,
        stats=data,
        **dashboard_charts(data, filters),
    )


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
