"""Request limits applied before a route runs: body size and per-client request rate.

Both take plain values, not the settings object, so each can be tested on a one-route
app. A body over its limit is refused with 413 before it is read whole; a client over
its rate gets 429 with ``Retry-After``; both in OpenAI's error shape under ``/v1/``.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Mapping

from fastapi import HTTPException, status
from fastapi.responses import JSONResponse
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimitMiddleware:
    """Refuses a request body over its limit with a 413, before it is read whole.

    A declared Content-Length over the limit is refused at once; a body without one
    (chunked) is counted as it arrives and refused when it passes the limit. Paths in
    ``path_limits`` (document uploads, say) have their own limit; the rest ``limit``.
    """

    def __init__(
        self, app: ASGIApp, limit: int, path_limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.path_limits = {path.rstrip("/"): n for path, n in (path_limits or {}).items()}

    def limit_for(self, path: str) -> int:
        return self.path_limits.get(path.rstrip("/"), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope["path"], limit)(scope, receive, send)
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


def _too_large(path: str, limit: int) -> JSONResponse:
    body = _error_body(path, _message(limit), "invalid_request_error")
    return JSONResponse(body, status_code=status.HTTP_413_CONTENT_TOO_LARGE)


def _error_body(path: str, message: str, openai_type: str) -> dict[str, object]:
    """Our error shape, or OpenAI's under ``/v1/`` (as ``api.errors`` answers)."""
    if path.startswith("/v1/"):
        return {"error": {"message": message, "type": openai_type, "param": None, "code": None}}
    return {"detail": message}


class UntypedBodyAsJson:
    """A request body that says nothing of its type is read as JSON: FastAPI reads none
    in it otherwise, and answers that the body "should be a valid dictionary" (Python's
    ``requests.post(url, data=json.dumps(body))`` sends no Content-Type)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("POST", "PUT", "PATCH")
            and all(name != b"content-type" for name, _ in scope["headers"])
        ):
            headers = [*scope["headers"], (b"content-type", b"application/json")]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


MODEL_LISTS = ("/v1/models", "/v1/models/")


class RateLimitMiddleware:
    """Per-client request limit on the API routes (``QA_RATE_LIMIT``, e.g. ``60/minute``):
    past it, 429 with ``Retry-After``. Clients are told apart by their address; behind a
    proxy, ``QA_FORWARDED_ALLOW_IPS`` names it, so that the address is the real client's."""

    def __init__(self, app: ASGIApp, limit: str) -> None:
        self.app = app
        self.item = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = scope["type"] == "http" and scope["path"].startswith(("/api/", "/v1/"))
        # Chat front ends poll the model list; it costs nothing, so it spends no budget.
        limited = limited and not (scope["method"] == "GET" and scope["path"] in MODEL_LISTS)
        if not limited:
            await self.app(scope, receive, send)
            return
        client = client_key((scope.get("client") or ("unknown", 0))[0])
        if self.limiter.hit(self.item, client):
            await self.app(scope, receive, send)
            return
        reset = self.limiter.get_window_stats(self.item, client).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        message = f"too many requests: the limit is {self.item}; retry in {retry} s"
        body = _error_body(scope["path"], message, "rate_limit_error")
        response = JSONResponse(body, status_code=429, headers={"Retry-After": str(retry)})
        await response(scope, receive, send)


def client_key(host: str) -> str:
    """Whom a request counts against: its IPv4 address, or the /64 network of its IPv6
    one (a network's usual share: one host can take any of 2^64 addresses, so counting
    addresses would let it past any limit); anything else (a Unix socket) as it is."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
