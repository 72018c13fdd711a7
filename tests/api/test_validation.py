"""Configured limits on questions and documents, CORS, and the API key kept out of logs."""

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.service import QAService
from qa.settings import Settings

QUESTION = "How many PMU fighters were killed?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embed_model) -> QAService:  # type: ignore[no-untyped-def]
    settings = Settings(
        store_dir=tmp_path_factory.mktemp("limits") / "store",
        max_question_chars=100,
        max_history_turns=2,
        max_history_chars=300,
        max_request_bytes=4096,
        max_document_bytes=2000,
        api_key="the-key",
    )
    return QAService(settings, embed_model)


@pytest.fixture(scope="module")
def client(service: QAService) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def _turns(n: int, size: int = 10) -> list[dict[str, str]]:
    return [{"role": ("user", "assistant")[i % 2], "content": "x" * size} for i in range(n)]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"question": "x" * 101}, "100-character limit"),
        ({"question": "What\x00 happened?"}, "control characters"),
        ({"question": "What \x1b[31mhappened?"}, "control characters"),
        ({"question": QUESTION, "history": _turns(3)}, "more than 2 messages"),
        ({"question": QUESTION, "history": _turns(2, 200)}, "300 characters"),
        ({"question": QUESTION, "history": [{"role": "user", "content": "a\x07b"}]}, "control"),
        ({"question": "Who took the \u202eairport?"}, "control characters"),  # direction
        ({"question": "\u200b\u200b\ufeff "}, "must not be blank"),  # nothing that shows
        # a misspelt field is refused, not ignored (the answer would not be narrowed)
        ({"question": QUESTION, "filter": {"sources": ["a.txt"]}}, "filter: Extra inputs"),
        ({"question": QUESTION, "history": [{"role": "user", "text": "hi"}]}, "history.0.text"),
    ],
)
@pytest.mark.parametrize("route", ["/api/ask", "/api/chat"])
def test_questions_over_the_configured_limits_are_422(
    client: TestClient, route: str, payload: dict, words: str
) -> None:
    response = client.post(route, json=payload)
    assert response.status_code == 422 and words in response.json()["detail"]


def test_search_queries_have_the_same_limits(client: TestClient) -> None:
    response = client.post("/api/search", json={"query": "y" * 101})
    assert response.status_code == 422 and "limit" in response.json()["detail"]
    response = client.post("/api/search", json={"query": QUESTION, "topk": 1})
    assert response.status_code == 422 and "topk: Extra inputs" in response.json()["detail"]


@pytest.mark.parametrize("route", ["/api/ask", "/api/chat", "/api/search", "/v1/chat/completions"])
@pytest.mark.parametrize("media_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_a_body_sent_as_a_form_or_text_is_415_saying_to_send_json(
    client: TestClient, route: str, media_type: str
) -> None:
    body = b'{"question": "Who took the airport?", "query": "airport"}'  # JSON, mislabelled
    response = client.post(route, content=body, headers={"Content-Type": media_type})
    assert response.status_code == 415
    assert "application/json" in response.text and media_type in response.text


@pytest.mark.parametrize("route", ["/api/ask", "/api/chat", "/api/search"])
def test_a_body_that_is_not_json_says_where_it_broke(client: TestClient, route: str) -> None:
    response = client.post(
        route, content=b'{"question": ', headers={"Content-Type": "application/json"}
    )
    body = response.json()
    assert response.status_code == 422
    assert body["detail"].startswith("body: invalid JSON at character 13")
    assert body["errors"][0]["field"] == ""


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/api/search", {"query": QUESTION}),
        (
            "/v1/chat/completions",
            {"model": "mosul-qa", "messages": [{"role": "user", "content": QUESTION}]},
        ),
    ],
)
def test_a_body_that_says_nothing_of_its_type_is_read_as_json(
    client: TestClient, route: str, body: dict
) -> None:
    # What Python's requests.post(url, data=json.dumps(body)) sends: no Content-Type.
    response = client.post(route, content=json.dumps(body).encode())
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"question": "caf\u00e9?"}'.encode("latin-1"), "body is not UTF-8 text"),
        (b"[" * 1500 + b"]" * 1500, "nested too deeply"),
    ],
)
@pytest.mark.parametrize(("route", "status"), [("/api/ask", 422), ("/v1/chat/completions", 400)])
def test_a_body_that_cannot_be_read_says_why(
    client: TestClient, body: bytes, says: str, route: str, status: int
) -> None:
    response = client.post(route, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status and says in response.text


def test_an_article_upload_that_is_not_json_says_where_it_broke(client: TestClient) -> None:
    response = client.post(
        "/api/documents",
        content=b'{"name": "a.txt", "text": ',
        headers={"Content-Type": "application/json", "Authorization": "Bearer the-key"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("body: invalid JSON: EOF while parsing")


def test_an_openai_client_gets_400_and_its_long_history_trimmed(client: TestClient) -> None:
    long = {"model": "mosul-qa", "messages": [{"role": "user", "content": "z" * 101}]}
    assert client.post("/v1/chat/completions", json=long).status_code == 400
    chat = [*_turns(9, 100), {"role": "user", "content": QUESTION}]
    response = client.post("/v1/chat/completions", json={"model": "mosul-qa", "messages": chat})
    assert response.status_code == 200  # the oldest turns are dropped, not refused


def test_documents_have_their_own_larger_limit(client: TestClient) -> None:
    text = "Old Bridge reopens\n\n" + "The Old Bridge in Mosul reopened on Sunday. " * 60  # > 2,000
    headers = {"Authorization": "Bearer the-key"}
    response = client.post("/api/documents", json={"name": "b.txt", "text": text}, headers=headers)
    assert response.status_code == 413 and "2,000-byte limit" in response.json()["detail"]


def test_cross_origin_calls_are_refused_unless_configured(service: QAService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    preflight = {"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(service=service)) as closed:
        response = closed.options("/api/ask", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    open_settings = service.settings.model_copy(update={"cors_origins": ["https://example.org"]})
    with TestClient(create_app(open_settings, service=service)) as opened:
        response = opened.options("/api/ask", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://example.org"
        other = opened.options("/api/ask", headers={**preflight, "Origin": "https://evil.test"})
        assert "access-control-allow-origin" not in other.headers
        # OpenAI's JavaScript client sends headers of its own with every request
        sdk_headers = "authorization,content-type,x-stainless-os,x-stainless-timeout,openai-beta"
        sdk = opened.options(
            "/v1/chat/completions",
            headers={**preflight, "Access-Control-Request-Headers": sdk_headers},
        )
        assert sdk.status_code == 200, sdk.text


def test_the_api_key_never_reaches_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for key in ("the-key", "a-wrong-key"):
        client.delete("/api/documents/none.txt", headers={"Authorization": f"Bearer {key}"})
    assert "the-key" not in caplog.text and "a-wrong-key" not in caplog.text
