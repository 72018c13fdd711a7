"""Who may reach the server, checked before any route runs: the host a request names,
and the page a browser's write to the archive comes from.

A server bound to a loopback address answers only requests that name it by a loopback
name: otherwise a web page whose domain is made to resolve to 127.0.0.1 (DNS rebinding)
would be same-origin with it, and could read and write the archive from the browser of
anyone running the service. ``QA_ALLOWED_HOSTS`` names the hosts to answer to instead
(a server bound to another address answers to any, unless it is set).

A write to the archive (``POST`` or ``DELETE`` under ``/api/documents``) sent by a
browser from a page of another origin is refused unless ``QA_CORS_ORIGINS`` lists that
origin: an upload form or a plain ``fetch`` is sent without a CORS preflight, so CORS
alone does not stop a page from adding or deleting articles (cross-site request
forgery). Clients that are not browsers send no ``Origin`` and are not affected.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = ("localhost", "*.localhost", "127.0.0.1", "::1")
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Health probes name whatever host they reach the server by (a container's check asks
# 127.0.0.1, Kubernetes the pod's address); they read nothing a rebound page could use.
_PROBES = ("/healthz", "/readyz")


def hosts_to_answer(configured: Sequence[str], bound: str) -> list[str]:
    """The host names to answer to: those configured, else loopback names for a server
    bound to loopback, else any (``*``)."""
    if configured:
        return [h.lower().rstrip(".") for h in configured]
    return list(LOOPBACK_HOSTS) if _is_loopback(bound) else ["*"]


class HostAndOriginGuard:
    def __init__(self, app: ASGIApp, hosts: Sequence[str], origins: Sequence[str]) -> None:
        self.app = app
        self.hosts = list(hosts)
        self.origins = {o.rstrip("/").lower() for o in origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        refusal = None
        probe = scope["path"] in _PROBES and scope["method"] in ("GET", "HEAD")
        if not probe and not self._answers_to(_host_name(host)):
            refusal = (
                400,
                (
                    f"this server does not answer to the host {host!r}; "
                    "set QA_ALLOWED_HOSTS to serve it under that name"
                ),
            )
        elif scope["method"] in _WRITES and scope["path"].startswith("/api/documents"):
            origin = headers.get("origin")
            if origin is not None and not self._may_write(origin, host):
                refusal = (
                    403,
                    (
                        f"a write to the archive from a page at {origin} is refused; "
                        "list that origin in QA_CORS_ORIGINS to allow it"
                    ),
                )
        if refusal is None:
            await self.app(scope, receive, send)
            return
        code, message = refusal
        body = {"detail": message}
        await JSONResponse(body, status_code=code)(scope, receive, send)

    def _answers_to(self, name: str) -> bool:
        return any(
            pattern == "*"
            or name == pattern
            or (pattern.startswith("*.") and name.endswith(pattern[1:]))
            for pattern in self.hosts
        )

    def _may_write(self, origin: str, host: str) -> bool:
        """A page of this server itself, or of an origin CORS lets call it."""
        if origin.rstrip("/").lower() in self.origins:
            return True
        return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()


def _host_name(host: str) -> str:
    """The name in a Host header, without its port: "[::1]:8000" is "::1"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") == 1 else host.rstrip(".")


def _is_loopback(address: str) -> bool:
    if address.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


# The chat page loads its own script and style and nothing else, and no other site may
# frame it (its Delete buttons and its API key field would be a clickjacking target).
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Headers that keep browsers from guessing content types or leaking the page's
    address (every response), and the chat page's content policy (``/``, ``/static``;
    not ``/docs``, whose page starts Swagger UI with an inline script)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = scope["path"] == "/" or scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if page:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                    headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)
