"""One vocabulary of query parameters for the pages and the API (and the CLI's options):

    q          words to find             source     a source's name, alias or id
    outlet     an outlet, exactly        kind       a quote's kind, or a source's
    anonymous  true | false              from, to   publication dates, YYYY-MM-DD
    sort       relevance | newest | oldest
    page       1, 2, ...                 limit      items per page

An empty value means "no filter" (forms send every field). A parameter a route does not
take is refused with 422 naming it, never silently ignored, and a page past the last one
says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request

from ..inputs import InputError, parse_published
from .errors import ApiError

MAX_LIMIT = 100

Text = Annotated[str, Query(max_length=500, description="Words to find.")]
SourceName = Annotated[str, Query(max_length=200, description="Source name, alias or id.")]
Outlet = Annotated[str, Query(max_length=200, description="Outlet name (see /api/outlets).")]
QuoteKind = Annotated[
    str, Query(pattern="^(|direct|indirect|mixed|scare)$", description="Quote kind.")
]
SourceKind = Annotated[
    str,
    Query(pattern="^(|person|organization|group|anonymous|document)$", description="Source kind."),
]
Anonymous = Annotated[
    str,
    Query(pattern="^(|true|false)$", description="true: anonymous sources only; false: named."),
]
DateFrom = Annotated[str, Query(alias="from", max_length=40, description="From YYYY-MM-DD.")]
DateTo = Annotated[str, Query(alias="to", max_length=40, description="To YYYY-MM-DD.")]
Sort = Annotated[
    str,
    Query(
        pattern="^(|relevance|newest|oldest)$",
        description="relevance (the default with q), newest (the default without) or oldest.",
    ),
]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1 to 100).")]


@dataclass(frozen=True)
class Paging:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def pages(self, total: int) -> int:
        return max(1, math.ceil(total / self.limit))

    def out_of_range(self, total: int) -> str | None:
        """What to say when the page is past the last one; None when it is not."""
        if self.page == 1 or self.offset < total:
            return None
        if total == 0:
            return f"page {self.page} is out of range: nothing matches"
        last = self.pages(total)
        pages = "there is 1 page" if last == 1 else f"there are {last} pages"
        return f"page {self.page} is out of range: {pages}"

    def check(self, total: int) -> None:
        problem = self.out_of_range(total)
        if problem:
            raise ApiError(404, "out_of_range", problem)


def paging(page: PageNumber = 1, limit: Limit = 20) -> Paging:
    return Paging(page, limit)


@dataclass(frozen=True)
class QuoteFilters:
    """The quote filters as sent (strings; "" means none)."""

    q: str = ""
    source: str = ""
    outlet: str = ""
    kind: str = ""
    anonymous: str = ""
    date_from: str = ""
    date_to: str = ""
    sort: str = ""

    def as_form(self) -> dict[str, str]:
        """The values under their parameter names, as the search form shows them."""
        return {
            "q": self.q,
            "source": self.source,
            "outlet": self.outlet,
            "kind": self.kind,
            "anonymous": self.anonymous,
            "from": self.date_from,
            "to": self.date_to,
            "sort": self.sort,
        }

    def any(self) -> bool:
        return any(value for key, value in self.as_form().items() if key != "sort")

    def store_query(self, limit: int, offset: int) -> Any:
        """The store's QuoteQuery; raises InputError for a date that is not one."""
        from ..store import QuoteQuery

        return QuoteQuery(
            text=self.q.strip() or None,
            source=self.source.strip() or None,
            outlet=self.outlet or None,
            date_from=parse_published(self.date_from or None, "from"),
            date_to=parse_published(self.date_to or None, "to"),
            anonymous={"true": True, "false": False}.get(self.anonymous),
            kind=self.kind or None,
            sort=self.sort or ("relevance" if self.q.strip() else "newest"),
            limit=limit,
            offset=offset,
        )


def quote_filters(
    q: Text = "",
    source: SourceName = "",
    outlet: Outlet = "",
    kind: QuoteKind = "",
    anonymous: Anonymous = "",
    date_from: DateFrom = "",
    date_to: DateTo = "",
    sort: Sort = "",
) -> QuoteFilters:
    return QuoteFilters(q, source, outlet, kind, anonymous, date_from, date_to, sort)


def checked_dates(date_from: str, date_to: str) -> tuple[str | None, str | None]:
    """Both dates, normalized; an ApiError (422) naming the one that is not a date."""
    try:
        return parse_published(date_from or None, "from"), parse_published(date_to or None, "to")
    except InputError as exc:
        raise ApiError(422, "invalid", str(exc)) from None


_ALLOWED: dict[int, frozenset[str]] = {}


def allowed_parameters(route: Any) -> frozenset[str]:
    """The query parameter names a route reads, its dependencies' included."""
    key = id(route)
    if key not in _ALLOWED:
        names: set[str] = set()
        pending = [getattr(route, "dependant", None)]
        while pending:
            dependant = pending.pop()
            if dependant is None:
                continue
            names.update(param.alias for param in dependant.query_params)
            pending.extend(dependant.dependencies)
        _ALLOWED[key] = frozenset(names)
    return _ALLOWED[key]


async def reject_unknown_parameters(request: Request) -> None:
    """422 naming the first query parameter the route does not take."""
    route = request.scope.get("route")
    if route is None:
        return
    allowed = allowed_parameters(route)
    for name in request.query_params:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise ApiError(
                422,
                "unknown_parameter",
                f"unknown parameter {name!r}: {request.url.path} takes {known}",
            )
