"""Quote provenance over HTTP: /api/clusters/{id}, /api/quotes/{id}/cluster, and the
cluster page /clusters/{id} (a timeline of appearances, variants with word diffs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from .api import ERRORS, Pager, json_response, not_found
from .pages import call_store, render
from .params import reject_unknown_parameters

api_router = APIRouter(
    prefix="/api", tags=["api"], dependencies=[Depends(reject_unknown_parameters)]
)
page_router = APIRouter(include_in_schema=False)
PAGE_APPEARANCES = 100


@api_router.get("/clusters/{cluster_id}", responses=ERRORS, summary="A quote cluster")
async def get_cluster(request: Request, cluster_id: str, pager: Pager) -> Any:
    """The same statement across the corpus: ``first_appearance`` (earliest publication
    date, then ingest order), ``outlets``, counts (``articles``, ``altered``,
    ``high_severity``, ``paraphrases``), ``forms`` (each distinct wording with its variant
    and word ``diff`` against the ``reference``) and ``appearances`` in time order."""
    cluster = await call_store(
        request, lambda s: s.cluster(cluster_id, limit=pager.limit, offset=pager.offset)
    )
    if cluster is None:
        raise not_found("cluster", cluster_id)
    return json_response(cluster)


@api_router.get("/quotes/{quote_id}/cluster", responses=ERRORS, summary="A quote's cluster")
async def get_quote_cluster(request: Request, quote_id: str, pager: Pager) -> Any:
    """The cluster of a stored quote (as /api/clusters/{id}); 404 when the quote is
    unknown, or too short to trace (fewer than four words)."""

    def work(store: Any) -> dict[str, Any] | None:
        cluster_id = store.quote_cluster_id(quote_id)
        if not cluster_id:
            return None
        return store.cluster(cluster_id, limit=pager.limit, offset=pager.offset)

    cluster = await call_store(request, work)
    if cluster is None:
        raise not_found("quote cluster for quote", quote_id)
    return json_response(cluster)


@page_router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
async def cluster_page(request: Request, cluster_id: str) -> Response:
    cluster = await call_store(
        request, lambda s: s.cluster(cluster_id, limit=PAGE_APPEARANCES, offset=0)
    )
    if cluster is None:
        raise not_found("cluster", cluster_id)
    return render(request, "cluster.html", cluster=cluster, shown=PAGE_APPEARANCES)
