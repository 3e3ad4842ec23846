"""ETag and Cache-Control on read-only answers, and 304 Not Modified when the client
already has the answer (If-None-Match).

Every GET answer of the service is read from the corpus, which changes only at ingest, so
the tag is a hash of the answer's body: a page or API answer is the same bytes until the
corpus (or onrecord) changes. ``Cache-Control: no-cache`` lets a browser or proxy keep
the answer but ask each time, and a 304 then saves sending it again. Answers that are not
200, that stream (no Content-Length), that are larger than ``max_bytes`` or already carry
an ETag (the static files) pass through untouched.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_CONTROL = "no-cache"
MAX_TAGGED_BYTES = 8 * 2**20


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match holds ``etag`` (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
    return etag in tags


class ETagMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_TAGGED_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if self._taggable(message):
                    start = message  # held until the whole body is here
                    return
                await send(message)
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._answer(start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, tagging_send)

    def _taggable(self, start: Message) -> bool:
        if start["status"] != 200:
            return False
        headers = Headers(raw=start.get("headers", []))
        length = headers.get("content-length")
        return "etag" not in headers and length is not None and int(length) <= self.max_bytes

    @staticmethod
    async def _answer(start: Message, body: bytes, if_none_match: str | None, send: Send) -> None:
        etag = etag_of(body)
        if matches(if_none_match, etag):
            not_modified = MutableHeaders(raw=[])
            not_modified["etag"] = etag
            not_modified["cache-control"] = CACHE_CONTROL
            await send({"type": "http.response.start", "status": 304, "headers": not_modified.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        headers["etag"] = etag
        headers.setdefault("cache-control", CACHE_CONTROL)
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
