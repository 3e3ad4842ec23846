"""One error shape for the whole service, and the guards that keep one request from hurting it.

API errors are JSON: ``{"error": {"code": "not_found", "message": "..."}}``. Pages get the
same code and message in an HTML page. Every exception a route can raise ends here, so a
bad request gets an answer with the right status and the server goes on serving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("onrecord.service")

#: Largest request body accepted, in bytes (the issue's limit for POST /api/extract).
MAX_BODY_BYTES = 1_000_000

STATUS_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    503: "unavailable",
}


#: What FastAPI says when a body cannot even be decoded (e.g. invalid UTF-8).
FASTAPI_BODY_ERROR = "There was an error parsing the body"


class ApiError(Exception):
    """An error a route raises on purpose: HTTP status, a stable code and a message."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}  # e.g. Retry-After on a 503


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a request body that outgrows the limit.

    An HTTPException, because FastAPI passes those through its body parsing untouched
    (any other exception there would become a vague 400).
    """

    def __init__(self, limit: int = MAX_BODY_BYTES) -> None:
        super().__init__(413, too_large_message(limit))


def error_payload(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def too_large_message(limit: int = MAX_BODY_BYTES) -> str:
    return f"the request body is over the limit of {size_in_words(limit)} ({limit:,} bytes)"


def size_in_words(n: int) -> str:
    """A size a person reads at a glance: 1,000,000 -> "1 MB", 1,536,000 -> "1.5 MB"."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    path = request.url.path
    return path.startswith("/api") or path.startswith("/openapi")


def describe_validation(exc: RequestValidationError) -> tuple[int, str, str]:
    """Status, code and a one-line message for FastAPI's validation errors."""
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        first = next(e for e in errors if e.get("type") == "json_invalid")
        detail = (first.get("ctx") or {}).get("error", "not valid JSON")
        return 400, "bad_json", f"the request body is not valid JSON: {detail}"
    if any(tuple(e.get("loc", ())) == ("body",) for e in errors):
        message = 'the body must be a JSON object such as {"text": "..."}, sent as application/json'
        return 422, "invalid", message
    parts = []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid value')}")
    return 422, "invalid", "; ".join(parts) or "invalid request"


def unparsed_body_message(cause: BaseException | None) -> str:
    """Why FastAPI could not read a JSON body (it raises the same 400 for every cause)."""
    if isinstance(cause, RecursionError):
        return "the request body is JSON nested too deeply to read"
    if isinstance(cause, UnicodeDecodeError):
        return f"the request body is not valid UTF-8 (at byte {cause.start})"
    if isinstance(cause, ValueError):  # e.g. an integer of more than 4,300 digits
        return f"the request body is not valid JSON: {cause}"
    return "the request body is not valid JSON in UTF-8"


ErrorRenderer = Callable[[Request, int, str, str], Response]


def install_error_handlers(app: FastAPI, render_page: ErrorRenderer) -> None:
    """Route every error through one shape: JSON for the API, an HTML page for pages."""

    def respond(request: Request, status: int, code: str, message: str) -> Response:
        if wants_json(request):
            return JSONResponse(error_payload(code, message), status_code=status)
        return render_page(request, status, code, message)

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        response = respond(request, exc.status, exc.code, exc.message)
        response.headers.update(exc.headers)
        return response

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        if exc.status_code == 400 and message == FASTAPI_BODY_ERROR:
            code, message = "bad_json", unparsed_body_message(exc.__cause__)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        response = respond(request, exc.status_code, code, message)
        headers = dict(exc.headers or {})
        if "Allow" in headers:  # a 405 says what is allowed; HEAD goes wherever GET does
            allowed = [m.strip() for m in headers["Allow"].split(",")]
            if "GET" in allowed and "HEAD" not in allowed:
                allowed.append("HEAD")
            headers["Allow"] = ", ".join(sorted(allowed))
        response.headers.update(headers)
        return response

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, *describe_validation(exc))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Logged with its traceback for the operator; the client gets no internals.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal", "internal error: the request could not be served")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes with 413, before or while reading them.

    A declared Content-Length over the limit is refused at once; a body sent without one
    (chunked) is counted as it arrives and reading stops at the limit.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = self._declared_length(scope)
        if declared is not None and declared > self.limit:
            response = JSONResponse(
                error_payload("too_large", too_large_message(self.limit)), status_code=413
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int | None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return None
        return None


class SecurityHeadersMiddleware:
    """Headers that make an injected script inert even if escaping ever failed.

    The pages load scripts and styles only from this server; the API docs page (Swagger UI)
    needs an inline script, so it is left out of the policy.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, app: ASGIApp, exempt: tuple[str, ...] = ("/docs",)) -> None:
        self.app = app
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = not scope["path"].startswith(self.exempt)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if with_policy:
                    headers.append((b"content-security-policy", self.POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
