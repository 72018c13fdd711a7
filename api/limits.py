"""The configured limits on what a question request may carry, checked per request.

In: the question (or search query), its history and the settings. Out: nothing, or a
422 naming the limit. Control characters (other than tab and line breaks) are refused:
they are never part of a real question and only reach a log or a prompt to harm it.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence

from fastapi import HTTPException, status
from fastapi.responses import JSONResponse
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.settings import Settings
from qa.types import Turn

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _refuse(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


def check_text(field: str, text: str, settings: Settings) -> None:
    if len(text) > settings.max_question_chars:
        raise _refuse(f"{field}: longer than the {settings.max_question_chars:,}-character limit")
    if _CONTROL.search(text):
        raise _refuse(f"{field}: contains control characters")


def check_history(history: Sequence[Turn], settings: Settings) -> None:
    if len(history) > settings.max_history_turns:
        raise _refuse(f"history: more than {settings.max_history_turns} messages")
    if sum(len(t.content) for t in history) > settings.max_history_chars:
        raise _refuse(f"history: more than {settings.max_history_chars:,} characters in all")
    for turn in history:
        if _CONTROL.search(turn.content):
            raise _refuse("history: contains control characters")


def recent_history(history: Sequence[Turn], settings: Settings) -> list[Turn]:
    """The latest turns that fit the limits (chat clients send the whole conversation)."""
    kept: list[Turn] = []
    chars = 0
    for turn in reversed(
        history[-settings.max_history_turns :] if settings.max_history_turns else []
    ):
        chars += len(turn.content)
        if chars > settings.max_history_chars:
            break
        kept.append(Turn(turn.role, _CONTROL.sub(" ", turn.content)))
    return kept[::-1]


class BodyLimitMiddleware:
    """Refuses a request body over its limit with a 413, before it is read whole.

    A declared Content-Length over the limit is refused at once; a body without one
    (chunked) is counted as it arrives and refused when it passes the limit. Document
    uploads have their own, larger limit.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path.rstrip("/") == "/api/documents":
            # JSON escaping or a multipart envelope add to the file's own size.
            return self.settings.max_document_bytes * 2 + 65_536
        return self.settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _message(limit))
            return message

        await self.app(scope, counted, send)


def _message(limit: int) -> str:
    return f"the request body is over the {limit:,}-byte limit"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": _message(limit)}, status_code=status.HTTP_413_CONTENT_TOO_LARGE)


class RateLimitMiddleware:
    """Per-client request limit on the API routes (``QA_RATE_LIMIT``, e.g. ``60/minute``):
    past it, 429 with ``Retry-After``. Clients are told apart by their address; behind a
    proxy, run uvicorn with ``--forwarded-allow-ips`` so that is the real client's."""

    def __init__(self, app: ASGIApp, limit: str) -> None:
        self.app = app
        self.item = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = scope["type"] == "http" and scope["path"].startswith(("/api/", "/v1/"))
        if not limited:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.limiter.hit(self.item, client):
            await self.app(scope, receive, send)
            return
        reset = self.limiter.get_window_stats(self.item, client).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        message = f"too many requests: the limit is {self.item}; retry in {retry} s"
        body: dict[str, object] = {"detail": message}
        if scope["path"].startswith("/v1/"):
            body = {"error": {"message": message, "type": "rate_limit_error", "code": None}}
        response = JSONResponse(body, status_code=429, headers={"Retry-After": str(retry)})
        await response(scope, receive, send)
