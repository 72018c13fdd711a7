"""Fetch a news page by URL, within limits, for ingestion.

In: an http(s) URL. Out: the page's bytes, its final URL after redirects and its media
type, or a ``FetchError`` that names the reason and says what kind of failure it is
(``refused`` for a URL the service will not fetch, ``too_large``, ``unsupported``, or
``failed`` when the other side did not deliver). Limits: a timeout for the whole fetch, a
size limit (checked against Content-Length and again while reading), a bounded number of
redirects, and only HTML or plain text. Addresses on private, loopback, link-local and
other reserved networks are refused, at every hop, unless they are allowed: a service
that fetches what its users name must not become a way into the network it runs on.
The page is read whole into memory before anything is written, so a fetch that fails or
is cut off leaves nothing behind.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import httpx

from qa.types import FetchError, FetchFailure

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "qa-news-archive/0.2 (+https://github.com/; fetches pages a user asked to index)"


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
    with httpx.Client(
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.8"},
        trust_env=False,  # no proxy from the environment: the address checked is the one used
    ) as client:
        for _ in range(max_redirects + 1):
            check_url(url, allow_private)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchError(FetchFailure.FAILED, f"{url}: a redirect to nowhere")
                        url = urljoin(url, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            FetchFailure.FAILED,
                            f"{url}: the server answered {response.status_code}",
                        )
                    media_type = _media_type(response)
                    return FetchedPage(url, _read(response, url, max_bytes, deadline), media_type)
            except httpx.TimeoutException as error:
                raise FetchError(
                    FetchFailure.FAILED, f"{url}: no answer in {timeout:g} s"
                ) from error
            except httpx.HTTPError as error:
                raise FetchError(FetchFailure.FAILED, f"{url}: {error}") from error
    raise FetchError(FetchFailure.REFUSED, f"more than {max_redirects} redirects")


def check_url(url: str, allow_private: bool = False) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s) to a host whose every address is a
    public one (any address, with ``allow_private``)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise FetchError(FetchFailure.REFUSED, f"{url!r} is not an http(s) URL")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(FetchFailure.REFUSED, f"{url!r} has a bad port") from error
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parsed.hostname, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchError(
            FetchFailure.FAILED, f"{parsed.hostname} cannot be resolved ({error})"
        ) from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchError(
                FetchFailure.REFUSED,
                f"{parsed.hostname} is a private, loopback or link-local address ({address}); "
                "pages there are not fetched unless QA_ALLOW_PRIVATE_URLS is set",
            )


def name_for(url: str) -> str:
    """A plain file name for the page at ``url``: host and path, ending in .html."""
    parsed = urlparse(url)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parsed.hostname or 'page'}{parsed.path}")
    stem = stem.strip("._-")[:200] or "page"
    stem = re.sub(r"\.(html?|php|aspx?|jsp)$", "", stem, flags=re.I)
    return f"{stem}.html"


def _media_type(response: httpx.Response) -> str:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise FetchError(
            FetchFailure.UNSUPPORTED,
            f"{response.url}: {media_type or 'no content type'} is not a web page "
            f"(accepted: {', '.join(ACCEPTED_TYPES)})",
        )
    return media_type


def _read(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(FetchFailure.TOO_LARGE, f"{url}: over the {max_bytes:,}-byte limit")
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > max_bytes:
            raise FetchError(FetchFailure.TOO_LARGE, f"{url}: over the {max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise FetchError(FetchFailure.FAILED, f"{url}: the page took too long to arrive")
    return bytes(body)
