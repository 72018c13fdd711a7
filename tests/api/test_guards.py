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


@pytest.mark.parametrize(
    ("bound", "base_url", "answered"),
    [
        ("127.0.0.1", "http://localhost:8000", True),
        ("127.0.0.1", "http://127.0.0.1:8000", True),
        ("127.0.0.1", "http://[::1]:8000", True),
        ("127.0.0.1", "http://app.localhost:8000", True),
        # A domain made to resolve to 127.0.0.1 (DNS rebinding): same-origin for its page
        ("127.0.0.1", "http://rebind.evil.example:8000", False),
        ("127.0.0.1", "http://127.0.0.1.evil.example", False),
        ("0.0.0.0", "http://news-qa.example.org", True),  # on the network: any name
    ],
)
def test_a_server_on_loopback_answers_only_to_loopback_names(
    service: QAService, bound: str, base_url: str, answered: bool
) -> None:
    with _client(service, base_url, host=bound, allowed_hosts=[]) as client:
        response = client.get("/api/documents")
    assert (response.status_code == 200) is answered, response.text
    if not answered:
        assert response.status_code == 400 and "QA_ALLOWED_HOSTS" in response.json()["detail"]


def test_allowed_hosts_name_the_hosts_to_answer_to(service: QAService) -> None:
    hosts = ["qa.example.org", "*.news.example"]
    for base_url, status in [
        ("http://qa.example.org", 200),
        ("http://eu.news.example", 200),
        ("http://localhost", 400),  # named hosts only, loopback names too
    ]:
        with _client(service, base_url, host="0.0.0.0", allowed_hosts=hosts) as client:
            assert client.get("/api/documents").status_code == status, base_url


def test_health_probes_answer_whatever_host_they_name(service: QAService) -> None:
    # A container's health check asks 127.0.0.1, Kubernetes the pod's address: neither
    # is a name the server answers to, and a probe that fails restarts a healthy server.
    hosts = ["qa.example.org"]
    for base_url in ("http://127.0.0.1:8000", "http://10.1.2.3:8000"):
        with _client(service, base_url, host="0.0.0.0", allowed_hosts=hosts) as client:
            for probe in ("/healthz", "/readyz"):
                assert client.get(probe).status_code == 200, (base_url, probe)
                assert client.head(probe).status_code == 200, (base_url, probe)
            assert client.get("/api/documents").status_code == 400  # nothing else


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
        for path in ("/", "/static/chat.js"):
            headers = client.get(path).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"]
        api = client.get("/api/documents").headers
        assert api["x-content-type-options"] == "nosniff" and api["referrer-policy"]
