"""Fetch a news page by URL, within limits, for ingestion.

In: an http(s) URL. Out: the page's bytes, its final URL after redirects and its media
type, or a ``FetchError`` that names the reason and says what kind of failure it is
(``refused`` for a URL the service will not fetch, ``too_large``, ``unsupported``, or
``failed`` when the other side did not deliver). Limits: one deadline for the whole
fetch (every connection, header and body byte, across redirects), a size limit
(checked against Content-Length and again while reading, after decompression), a
bounded number of redirects, and only HTML or plain text.

Addresses on private, loopback, link-local and other reserved networks (IPv4 ones
inside IPv6 addresses too) are refused, at every hop, unless they are allowed: a
service that fetches what its users name must not become a way into the network it
runs on. The check is made where the connection is opened, on the addresses it then
connects to, so a name that resolves differently a second time cannot slip past it.
That needs a network backend of our own, which httpx does not take: the requests go
through httpcore (the HTTP layer under httpx) directly.

The page is read whole into memory before anything is written, so a fetch that fails or
is cut off leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import certifi
import courlan
import httpcore
import httpx

from qa.types import FetchError, FetchFailure

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "qa-news-archive/0.2 (fetches pages a user asked to index)"
REDIRECTS = (301, 302, 303, 307, 308)
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052/8215).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_TRANSLATED = 0xFFFF0000  # ::ffff:0:0/96 (SIIT), above its IPv4 address's 32 bits
_HOST = re.compile(r"[A-Za-z0-9_.-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")  # a name, IPv4 or IPv6
_PRIVATE_HINT = "pages there are not fetched unless QA_ALLOW_PRIVATE_URLS is set"


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    data: bytes
    media_type: str


def fetch_page(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 2_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> FetchedPage:
    """The page at ``url`` (see the module's docstring for the limits)."""
    deadline = time.monotonic() + timeout
    target = parse_url(url.strip())
    backend = _GuardedBackend(allow_private, deadline)
    with httpcore.ConnectionPool(
        ssl_context=ssl.create_default_context(cafile=certifi.where()),
        network_backend=backend,
        max_connections=1,
    ) as pool:
        for _ in range(max_redirects + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(FetchFailure.FAILED, f"{target}: no answer in {timeout:g} s")
            try:
                with pool.stream(
                    "GET",
                    str(target),
                    headers={
                        "Host": target.netloc.decode("ascii"),
                        "User-Agent": USER_AGENT,
                        "Accept": "text/html, text/plain;q=0.8",
                        "Accept-Encoding": "gzip, deflate",
                    },
                    extensions={
                        "timeout": dict.fromkeys(("connect", "read", "write", "pool"), left)
                    },
                ) as response:
                    headers = _Headers(response.headers)
                    if response.status in REDIRECTS:
                        target = _redirect(target, headers.get("location"))
                        continue
                    if response.status >= 400:
                        raise FetchError(
                            FetchFailure.FAILED, f"{target}: the server answered {response.status}"
                        )
                    media_type = _media_type(headers, target)
                    data = _read(response, headers, target, max_bytes)
                    return FetchedPage(str(target), data, media_type)
            except httpcore.TimeoutException as error:
                raise FetchError(
                    FetchFailure.FAILED, f"{target}: no answer in {timeout:g} s"
                ) from error
            except (httpcore.NetworkError, httpcore.ProtocolError) as error:
                raise FetchError(
                    FetchFailure.FAILED, f"{target}: {error or 'no answer'}"
                ) from error
    raise FetchError(FetchFailure.REFUSED, f"more than {max_redirects} redirects")


def parse_url(url: str) -> httpx.URL:
    """``url`` parsed, if it is an http(s) URL with a host name or address and a valid
    port; else ``FetchError``. Its addresses are checked where the connection is made."""
    try:
        parsed = httpx.URL(url)
        port = parsed.port  # a bad port raises here
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        raise FetchError(FetchFailure.REFUSED, f"{url!r} is not an http(s) URL") from error
    host = parsed.raw_host.decode("ascii", "replace")
    if (
        parsed.scheme not in ("http", "https")
        or not _HOST.fullmatch(host)
        or not 0 < (port or 80) < 65_536
    ):
        raise FetchError(FetchFailure.REFUSED, f"{url!r} is not an http(s) URL")
    if parsed.userinfo:
        # It is not sent, and the page's outlet would be read from the host part with it
        # ("user:password@host"), to be shown to every reader.
        raise FetchError(FetchFailure.REFUSED, "a URL with a user name or password is refused")
    return parsed


def resolve(host: str, port: int, allow_private: bool = False) -> list[str]:
    """The addresses ``host`` resolves to, if every one is public (or ``allow_private``)."""
    # A name that does not resolve and one that resolves to an address inside are refused
    # alike: told apart, a caller could map which names the network inside holds. Nor is
    # the address said.
    not_public = FetchError(
        FetchFailure.REFUSED,
        f"{host} does not resolve to a public address (no such name, or a private, "
        f"loopback or link-local one; {_PRIVATE_HINT})",
    )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        if not allow_private:
            raise not_public from None
        raise FetchError(FetchFailure.FAILED, f"{host} cannot be resolved ({error})") from error
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    for address in addresses:
        if not allow_private and not is_public(ipaddress.ip_address(address)):
            raise not_public
    return addresses


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally reachable unicast address, and so is any IPv4 address it carries inside
    it (IPv4-mapped or -translated, 6to4, Teredo, NAT64, IPv4-compatible). Multicast and
    the old site-local IPv6 range are refused too: Python counts them as global."""
    if address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:
            return False
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        carried = int(address) >> 32 in (0, _IPV4_TRANSLATED)
        if inner is None and (any(address in net for net in _NAT64) or carried):
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None and not inner.is_global:
            return False
    return address.is_global


def name_for(url: str) -> str:
    """A plain file name for the page at ``url``: host and path, ending in .html; a URL
    with a query also gets a short hash of itself, so that two pages of one path
    (``?id=1``, ``?id=2``) are two articles. Tracking parameters (``utm_source``,
    ``fbclid``) and the fragment name nothing of the page, so a link shared with them
    names the same article as the link without."""
    with contextlib.suppress(ValueError):  # httpx says below what is wrong with it
        url = courlan.normalize_url(url)  # the other parameters kept, in sorted order
    parsed = httpx.URL(url).copy_with(fragment=None)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parsed.host or 'page'}{parsed.path}")
    stem = stem.strip("._-")[:200] or "page"
    stem = re.sub(r"\.(html?|php|aspx?|jsp|txt)$", "", stem, flags=re.I)
    if parsed.query:
        stem += "-" + hashlib.sha256(str(parsed).encode()).hexdigest()[:8]
    return f"{stem}.html"


class _Headers:
    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self._values = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}

    def get(self, name: str) -> str:
        return self._values.get(name, "").strip()


def _redirect(current: httpx.URL, location: str) -> httpx.URL:
    if not location:
        raise FetchError(FetchFailure.FAILED, f"{current}: a redirect to nowhere")
    try:
        target = current.join(location)
    except (httpx.InvalidURL, ValueError) as error:
        raise FetchError(
            FetchFailure.FAILED, f"{current}: a redirect to a malformed URL ({location!r})"
        ) from error
    return parse_url(str(target))


def _media_type(headers: _Headers, url: httpx.URL) -> str:
    media_type = headers.get("content-type").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise FetchError(
            FetchFailure.UNSUPPORTED,
            f"{url}: {media_type or 'no content type'} is not a web page "
            f"(accepted: {', '.join(ACCEPTED_TYPES)})",
        )
    return media_type


def _read(response: Any, headers: _Headers, url: httpx.URL, max_bytes: int) -> bytes:
    too_large = FetchError(FetchFailure.TOO_LARGE, f"{url}: over the {max_bytes:,}-byte limit")
    declared = headers.get("content-length")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    encoding = headers.get("content-encoding").lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            FetchFailure.UNSUPPORTED, f"{url}: content encoding {encoding!r} is not read"
        )
    # zlib by hand, not httpx's decoders: each piece is inflated only up to the limit, so
    # a small compressed body cannot grow into gigabytes in memory.
    inflater = (
        zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
        if encoding not in ("", "identity")
        else None
    )
    body = bytearray()
    for piece in response.iter_stream():
        if inflater is not None:
            try:
                piece = inflater.decompress(piece, max_bytes + 1 - len(body))
            except zlib.error as error:
                raise FetchError(
                    FetchFailure.FAILED, f"{url}: a corrupt {encoding} body"
                ) from error
        body += piece
        if len(body) > max_bytes:
            raise too_large
    return bytes(body)


class _GuardedBackend(httpcore.SyncBackend):
    """Opens connections only to addresses it has just checked, and lets no connect,
    read or write run past the fetch's deadline (a server sending its headers a byte at
    a time included)."""

    def __init__(self, allow_private: bool, deadline: float) -> None:
        self.allow_private = allow_private
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in resolve(host, port, self.allow_private):
            try:
                stream = super().connect_tcp(
                    address, port, _within(timeout, self.deadline), local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
                continue
            return _DeadlineStream(stream, self.deadline)
        raise failure


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, self._deadline))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(
            ssl_context, server_hostname, _within(timeout, self._deadline)
        )
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _within(timeout: float | None, deadline: float) -> float:
    """The time an operation may take: its own timeout, but never past the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the fetch's deadline has passed")
    return left if timeout is None else min(timeout, left)
