"""Fetching pages by URL from a real HTTP server on loopback: the limits, the refusals,
and that a fetch that fails writes nothing."""

import ipaddress
import time
from collections.abc import Iterator

import pytest

from qa.ingest.fetch import fetch_page, is_public, name_for
from qa.types import FetchError, FetchFailure
from tests.helpers import DATA, page_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with page_server(DATA / "pages") as url:
        yield url


def _fails(url: str, **limits: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_page(url, **{"allow_private": True, **limits})  # type: ignore[arg-type]
    return caught.value


def test_a_page_is_fetched_whole_with_its_media_type(site: str) -> None:
    page = fetch_page(f"{site}/herald.html", allow_private=True)
    assert page.media_type == "text/html" and b"Floods cut valley road" in page.data


def test_loopback_and_private_addresses_are_refused_unless_allowed(site: str) -> None:
    for url in (f"{site}/herald.html", "http://10.0.0.7/news", "http://169.254.169.254/latest"):
        with pytest.raises(FetchError, match="QA_ALLOW_PRIVATE_URLS") as caught:
            fetch_page(url)  # checked where the connection is made, on the address used
        assert caught.value.failure is FetchFailure.REFUSED
    with pytest.raises(FetchError, match="QA_ALLOW_PRIVATE_URLS"):
        fetch_page(f"http://localhost:{site.rsplit(':', 1)[1]}/herald.html")


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a00:1",
        "fe80::1",
        "::1",
        "::ffff:0:a00:1",  # SIIT: 10.0.0.1 translated
        "fec0::1",  # the old site-local range
        "224.0.0.1",  # multicast
        "ff02::1",
    ],
)
def test_ipv4_addresses_inside_ipv6_ones_are_checked_too(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    assert is_public(ipaddress.ip_address("2a00:1450:4001:82b::200e"))
    assert is_public(ipaddress.ip_address("::ffff:8.8.8.8"))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a",
        "http://",
        "news",
        "https://example.com/\u0001",
        "http://exa mple.com/",
        "http://example.com:99999/",
    ],
)
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="not an http"):
        fetch_page(url, allow_private=True)


def test_a_url_with_a_password_is_refused_not_published_as_the_outlet(site: str) -> None:
    # trafilatura read the outlet from the host part, "user:pw@127.0.0.1:PORT"
    with pytest.raises(FetchError, match="user name or password") as caught:
        fetch_page(site.replace("http://", "http://user:pw@") + "/herald.html", allow_private=True)
    assert caught.value.failure is FetchFailure.REFUSED


def test_a_refusal_does_not_say_the_address_a_name_resolves_to(site: str) -> None:
    error = _fails(f"http://localhost:{site.rsplit(':', 1)[1]}/herald.html", allow_private=False)
    assert "127.0.0.1" not in str(error) and "::1" not in str(error)


def test_redirects_are_followed_up_to_the_limit(site: str) -> None:
    page = fetch_page(f"{site}/redirect/3", allow_private=True, max_redirects=3)
    assert page.url.endswith("/herald.html")
    error = _fails(f"{site}/redirect/4", max_redirects=3)
    assert error.failure is FetchFailure.REFUSED and "more than 3 redirects" in str(error)


def test_what_is_not_a_page_too_large_missing_or_slow_fails_with_its_reason(site: str) -> None:
    assert _fails(f"{site}/image.png").failure is FetchFailure.UNSUPPORTED
    huge = _fails(f"{site}/huge", max_bytes=1_000_000)
    assert huge.failure is FetchFailure.TOO_LARGE and "1,000,000-byte limit" in str(huge)
    assert "404" in str(_fails(f"{site}/missing"))
    begun = time.monotonic()
    assert _fails(f"{site}/stall", timeout=1.5).failure is FetchFailure.FAILED
    assert time.monotonic() - begun < 10


def test_one_deadline_covers_the_whole_fetch_even_headers_sent_a_byte_at_a_time(
    site: str,
) -> None:
    begun = time.monotonic()
    error = _fails(f"{site}/trickle", timeout=1.5)
    assert error.failure is FetchFailure.FAILED and "1.5 s" in str(error)
    assert time.monotonic() - begun < 4


def test_a_compressed_page_is_read_and_its_size_counted_after_decompression(site: str) -> None:
    page = fetch_page(f"{site}/gzipped/herald.html", allow_private=True)
    assert b"Floods cut valley road" in page.data
    bomb = _fails(f"{site}/bomb", max_bytes=1_000_000)
    assert bomb.failure is FetchFailure.TOO_LARGE


def test_a_page_s_name_comes_from_its_url() -> None:
    assert name_for("https://news.example/2017/07/10/mosul-retaken.html") == (
        "news.example_2017_07_10_mosul-retaken.html"
    )
    assert name_for("https://news.example/") == "news.example.html"
    assert name_for("https://news.example/notes.txt") == "news.example_notes.html"  # not .txt.html
    one, two = name_for("https://n.example/a.php?id=1"), name_for("https://n.example/a.php?id=2")
    assert one != two and one.startswith("n.example_a-") and one.endswith(".html")
    shared = "https://n.example/a.php?utm_source=twitter&id=1&fbclid=x#comments"
    assert name_for(shared) == one  # a link shared with tracking names the same article


def test_the_service_indexes_a_page_and_a_failed_fetch_changes_nothing(
    make_service, site: str
) -> None:
    service = make_service(allow_private_urls=True, fetch_timeout=1.5)
    name, outcome, _ = service.add_url(f"{site}/wire.html")
    record = service.article(name)[1]
    assert outcome == "added" and record.publisher == "River Times"
    assert record.published == "2021-03-09" and record.author == "Ivo Marek"
    before = (service.articles(), service.corpus.store.generation.read())
    for broken in ("/stall", "/huge", "/image.png", "/missing"):
        with pytest.raises(FetchError):
            service.add_url(f"{site}{broken}")
    assert (service.articles(), service.corpus.store.generation.read()) == before
    answer = service.ask("How many families have been displaced by the Sava floods?")
    assert answer.answered and "4,500" in answer.text


def test_a_name_that_does_not_resolve_is_refused_as_a_private_one_is(site: str) -> None:
    port = site.rsplit(":", 1)[1]
    private = _fails(f"http://localhost:{port}/herald.html", allow_private=False)
    missing = _fails(f"http://no-such-host.invalid:{port}/herald.html", allow_private=False)
    assert private.failure is missing.failure is FetchFailure.REFUSED
    assert str(private).replace("localhost", "X") == str(missing).replace(
        "no-such-host.invalid", "X"
    )
