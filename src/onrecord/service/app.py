"""The FastAPI application: the JSON API, the pages, and the guards around them."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from . import api, pages, provenance
from .caching import ETagMiddleware
from .errors import (
    MAX_BODY_BYTES,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    install_error_handlers,
)
from .extraction import ExtractFunction, ExtractionLimits, ExtractionPool
from .guards import LOCAL_HOSTS, HeadAsGetMiddleware, OriginGuardMiddleware
from .workers import StoreFactory, StoreWorkers, extract_article

STATIC = Path(__file__).parent / "static"


def read_only_store(url: str | None, threads: int = 8) -> StoreFactory:
    """How a worker opens the corpus, read-only (the service never writes to it): SQLite,
    a connection per thread; PostgreSQL, one pool of connections shared by all threads,
    which replaces broken connections by itself after a server restart. A store that
    cannot be opened (the server is away) is tried again on the next request."""
    from ..store import is_postgres, open_store
    from ..store.db import resolve_url

    resolved = resolve_url(url)
    if not is_postgres(resolved):
        return lambda: open_store(resolved, read_only=True)
    shared: list[Any] = []
    lock = threading.Lock()

    def open_shared() -> Any:
        with lock:
            if not shared:
                shared.append(open_store(resolved, read_only=True, pool_size=threads))
            return shared[0]

    return open_shared


def create_app(
    db_url: str | None = None,
    *,
    store_factory: StoreFactory | None = None,
    extract: ExtractFunction = extract_article,
    store_threads: int = 8,
    max_body_bytes: int = MAX_BODY_BYTES,
    allowed_hosts: Iterable[str] = LOCAL_HOSTS,
    extraction: ExtractionLimits | None = None,
    warm_extraction: bool = False,
) -> FastAPI:
    """The web app over the corpus at ``db_url`` (None: $ONRECORD_DB or ./onrecord.db).

    ``store_factory`` replaces how a worker opens its store, and ``extract`` the
    extraction function (tests use both). Requests are served only for the Host names in
    ``allowed_hosts`` ("*": any), against DNS rebinding (service/guards.py). Extraction
    runs on worker processes under ``extraction``'s limits of time, memory and concurrency
    (service/extraction.py); ``warm_extraction`` starts them, model loaded, at startup.
    """
    factory = store_factory or read_only_store(db_url, threads=store_threads)
    stores = StoreWorkers(factory, threads=store_threads)
    extractor = ExtractionPool(extract, extraction, warm=warm_extraction)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_extraction:
            extractor.start()
        yield
        extractor.close()  # kills an extraction in progress: shutdown never waits on one
        stores.close()

    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what: a corpus of news articles as a structured record. "
        'Errors are JSON: {"error": {"code": ..., "message": ...}}.',
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.extractor = extractor
    app.include_router(api.router)
    app.include_router(provenance.api_router)
    app.include_router(pages.router)
    app.include_router(provenance.page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_docs(app)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    install_error_handlers(app, pages.render_error)
    app.add_middleware(ETagMiddleware)  # innermost: tags the body as the route made it
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=max_body_bytes)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(OriginGuardMiddleware, allowed_hosts=tuple(allowed_hosts))  # outermost
    return app


def app_from_environment() -> FastAPI:
    """The app of one `onrecord serve` process, from the settings serve put in the
    environment; its extraction workers start at once, so they are warm when asked."""
    from .settings import SETTINGS_ENV, ServeSettings

    settings = ServeSettings.from_json(os.environ[SETTINGS_ENV])
    limits = ExtractionLimits(
        seconds=settings.extract_seconds, memory_bytes=settings.extract_memory_mb * 10**6
    )
    return create_app(
        settings.db,
        allowed_hosts=settings.allowed_hosts,
        extraction=limits,
        warm_extraction=True,
    )


def mount_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from files shipped in a package: it must work offline."""
    try:
        import fastapi_offline
    except ImportError:  # without the package, FastAPI's page (its assets need a network)
        swagger_js = swagger_css = None
    else:
        assets = Path(fastapi_offline.__file__).parent / "static"
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")
        swagger_js = "/docs-assets/swagger-ui-bundle.js"
        swagger_css = "/docs-assets/swagger-ui.css"

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        options: dict[str, Any] = {"openapi_url": "/openapi.json", "title": "onrecord API"}
        if swagger_js and swagger_css:
            options.update(swagger_js_url=swagger_js, swagger_css_url=swagger_css)
            options["swagger_favicon_url"] = "/docs-assets/favicon.png"
        return get_swagger_ui_html(**options)
