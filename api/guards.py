"""Who may reach the server, checked before any route runs: the host a request names,
and the page a browser's write to the archive comes from.

The server answers requests that name it by a loopback name (``localhost``) or by an IP
address, and by the names ``QA_ALLOWED_HOSTS`` adds (``*`` for any): otherwise a web page
whose domain is made to resolve to the server's address (DNS rebinding) would be
same-origin with it, and could read and write the archive from the browser of anyone
who can reach the service, on loopback or on the network. An attacker's page can only
be served under a name, never under the server's address, so addresses are safe to
answer (as Vite's dev server has it). A Host header that is not a name or an address
with an optional port, or a request with two of them, is refused.

A write to the archive (``POST`` or ``DELETE`` under ``/api/documents``) sent by a
browser from a page of another origin is refused unless ``QA_CORS_ORIGINS`` lists that
origin: an upload form or a plain ``fetch`` is sent without a CORS preflight, so CORS
alone does not stop a page from adding or deleting articles (cross-site request
forgery). Clients that are not browsers send no ``Origin`` and are not affected.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "*.localhost")
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
# A Host header: a name, or an address in brackets (IPv6) or not, then an optional port.
_HOST = re.compile(r"(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::\d{1,5})?")


def hosts_to_answer(configured: Sequence[str]) -> list[str]:
    """The host names to answer to, besides IP addresses: loopback names, and those
    configured."""
    return [*LOOPBACK_NAMES, *(h.strip().lower().rstrip(".") for h in configured)]


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
        if len(headers.getlist("host")) > 1 or not self._answers_to(_host_name(host)):
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

    def _answers_to(self, name: str | None) -> bool:
        if name is None:
            return False
        return _is_address(name) or any(
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


def _host_name(host: str) -> str | None:
    """The name or address in a Host header, without its port ("[::1]:8000" is "::1");
    None for anything else ("[::1]evil", "localhost:evil", spaces)."""
    found = _HOST.fullmatch(host.lower())
    if found is None:
        return None
    if found["v6"] is not None:
        return found["v6"] if _is_address(found["v6"]) else None
    return found["name"].rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


# The chat page loads its own script and style and nothing else, and no other site may
# frame it (its Delete buttons and its API key field would be a clickjacking target).
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Headers that keep browsers from guessing content types, leaking the page's address
    or showing a response inside another site's frame (every response: ``/docs`` has
    buttons that delete articles too), and the chat page's content policy (``/``,
    ``/static``; not ``/docs``, whose page starts Swagger UI with an inline script)."""

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
                headers.setdefault("X-Frame-Options", "DENY")
                policy = PAGE_POLICY if page else "frame-ancestors 'none'"
                headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)
