"""Guards against other web sites: DNS rebinding (the Host check) and cross-site form posts
(the origin check); and HEAD answered wherever GET is.

A page on another site cannot read this server's answers, unless it makes the browser
believe the server is its own: DNS rebinding points the attacker's name at 127.0.0.1, and
the browser then sends ``Host: attacker.example``. So a request is served only when its
Host is one this server is known by. A cross-site form can still *send* a POST (to /try,
which runs an extraction), so a POST from a browser must come from this server's own
pages: ``Sec-Fetch-Site`` (every current browser sends it) or ``Origin`` must say so.
Programs (curl, scripts) send neither and are served as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_payload

#: The names of this machine that the server answers to unless told others ("testserver":
#: Starlette's TestClient; a name without a dot no attacker's DNS can hand out).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def host_name(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" -> "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, code: str, message: str) -> None:
    status = 400 if code == "bad_host" else 403
    await JSONResponse(error_payload(code, message), status_code=status)(scope, receive, send)


class OriginGuardMiddleware:
    """Serve only the Host names in ``allowed_hosts`` ("*": any), and POSTs from a browser
    only when they come from this server's own pages."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = host_name(_header(scope, b"host") or "")
        if "*" not in self.allowed and host not in self.allowed:
            message = (
                f"this server does not answer to the host name {host!r}: "
                "start it with --allow-host for the names it is reached by"
            )
            await _refuse(scope, receive, send, "bad_host", message)
            return
        if scope["method"] not in SAFE_METHODS and self._cross_site(scope, host):
            message = "a request from another web site is refused: use this server's own pages"
            await _refuse(scope, receive, send, "cross_site", message)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _cross_site(scope: Scope, host: str) -> bool:
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None:
            return fetch_site.lower() not in ("same-origin", "none")
        origin = _header(scope, b"origin")
        if origin is None:
            return False  # not from a browser page: curl, a script
        full_host = (_header(scope, b"host") or "").strip().lower()
        parts = urlsplit(origin.strip().lower())
        return origin.strip().lower() == "null" or parts.netloc != full_host or not host


class HeadAsGetMiddleware:
    """HEAD answered as GET without the body (FastAPI routes only the methods declared)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
