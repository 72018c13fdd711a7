"""The host a request names and the page a browser's write comes from, checked before
any route runs (api/guards.py), on the real app and service."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.service import QAService
from qa.settings import Settings

ARTICLE = {"name": "note.txt", "text": "A note\n\nThe Nabi Yunus shrine is being rebuilt."}


def _client(service: QAService, base_url: str, **settings: object) -> TestClient:
    server = Settings(**{**service.settings.model_dump(), **settings})
    return TestClient(create_app(server, service=service), base_url=base_url)


@pytest.fixture
def service(make_service) -> Iterator[QAService]:  # type: ignore[no-untyped-def]
    yield make_service()


@pytest.mark.parametrize("bound", ["127.0.0.1", "0.0.0.0"])
@pytest.mark.parametrize(
    ("base_url", "answered"),
    [
        ("http://localhost:8000", True),
        ("http://127.0.0.1:8000", True),
        ("http://[::1]:8000", True),
        ("http://app.localhost:8000", True),
        # an address: what a health check, a pod probe or a reader on the network names
        ("http://10.1.2.3:8000", True),
        # A domain made to resolve to the server (DNS rebinding): same-origin for its page,
        # whether the server listens on loopback or on the network
        ("http://rebind.evil.example:8000", False),
        ("http://127.0.0.1.evil.example", False),
        ("http://news-qa.example.org", False),  # a name of its own: QA_ALLOWED_HOSTS
    ],
)
def test_a_server_answers_to_loopback_names_and_addresses_only(
    service: QAService, bound: str, base_url: str, answered: bool
) -> None:
    with _client(service, base_url, host=bound, allowed_hosts=[]) as client:
        response = client.get("/api/documents")
        probe = client.get("/readyz")  # a rebound page reads no status either
    assert (response.status_code == 200) is answered, response.text
    assert (probe.status_code == 200) is answered
    if not answered:
        assert response.status_code == 400 and "QA_ALLOWED_HOSTS" in response.json()["detail"]


def test_allowed_hosts_add_the_names_to_answer_to(service: QAService) -> None:
    hosts = ["qa.example.org", "*.news.example"]
    for base_url, status in [
        ("http://qa.example.org", 200),
        ("http://eu.news.example", 200),
        ("http://localhost", 200),
        ("http://10.1.2.3", 200),
        ("http://other.example.org", 400),
    ]:
        with _client(service, base_url, host="0.0.0.0", allowed_hosts=hosts) as client:
            assert client.get("/api/documents").status_code == status, base_url
    with _client(service, "http://any.example", host="0.0.0.0", allowed_hosts=["*"]) as client:
        assert client.get("/api/documents").status_code == 200


@pytest.mark.parametrize(
    "host", ["[::1]evil.example", "localhost:evil.example", " localhost", "localhost\t", ""]
)
def test_a_host_header_that_is_no_name_or_address_is_refused(service: QAService, host: str) -> None:
    with _client(service, "http://localhost") as client:
        assert client.get("/api/documents", headers={"Host": host}).status_code == 400


def test_a_request_naming_two_hosts_is_refused(service: QAService) -> None:
    from starlette.testclient import TestClient as Raw

    app = Raw(create_app(Settings(**service.settings.model_dump()), service=service))
    scope_headers = [(b"host", b"localhost"), (b"host", b"rebind.evil.example")]
    response = app.get("/api/documents", headers=scope_headers)  # type: ignore[arg-type]
    assert response.status_code == 400


def test_a_write_from_another_site_s_page_is_refused(service: QAService) -> None:
    url = "http://localhost:8000"
    with _client(service, url, allowed_hosts=[]) as client:
        # An upload form or a plain fetch needs no CORS preflight: without this check,
        # any page open in the browser could add or delete articles.
        forged = {"Origin": "https://evil.example"}
        refused = client.post("/api/documents", json=ARTICLE, headers=forged)
        assert refused.status_code == 403 and "QA_CORS_ORIGINS" in refused.json()["detail"]
        files = {"file": ("note.txt", ARTICLE["text"].encode())}
        assert client.post("/api/documents", files=files, headers=forged).status_code == 403
        assert client.delete("/api/documents/x.txt", headers=forged).status_code == 403
        assert client.post("/api/documents", json=ARTICLE, headers={"Origin": "null"}).is_error
        # The chat page's own writes, and clients that are not browsers, go through.
        own = client.post("/api/documents", json=ARTICLE, headers={"Origin": url})
        assert own.status_code == 201
        assert client.delete("/api/documents/note.txt").status_code == 200
        # Questions are no writes: a page elsewhere cannot read the answer (CORS).
        ask = client.post("/api/ask", json={"question": "Who?"}, headers=forged)
        assert ask.status_code == 200
    with _client(service, url, allowed_hosts=[], cors_origins=["https://evil.example"]) as client:
        allowed = client.post("/api/documents", json=ARTICLE, headers=forged)
        assert allowed.status_code == 201


def test_the_chat_page_may_not_be_framed_or_load_from_elsewhere(service: QAService) -> None:
    with _client(service, "http://localhost") as client:
        for path in ("/", "/static/chat.js", "/docs", "/api/documents"):  # /docs deletes too
            headers = client.get(path).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"]
        api = client.get("/api/documents").headers
        assert api["x-content-type-options"] == "nosniff" and api["referrer-policy"]
