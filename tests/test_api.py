"""The HTTP API over the real pipeline."""

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

QUESTION = "How many ISIS militants were left in Mosul according to Colonel Dorrian?"


@pytest.fixture(scope="module")
def client(seeded_service):  # type: ignore[no-untyped-def]
    with TestClient(create_app(service=seeded_service)) as test_client:
        yield test_client


def test_ask_answers_with_a_citation_to_the_source_file(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and "fewer than 1,000" in body["answer"]
    citation = body["citations"][0]
    assert citation["source"] == "000_8ae4ba73e080a6d3.txt"
    assert citation["title"] == "Iraqi forces gain foothold in Mosul after new push"
    assert citation["published"] == "2017-05-06"
    assert "fewer than 1,000" in citation["quote"]


def test_every_marker_in_the_answer_has_a_citation_and_every_citation_is_used(
    client: TestClient,
) -> None:
    body = client.post("/api/ask", json={"question": "How many PMU fighters were killed?"}).json()
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["n"] for c in body["citations"]} != set()


def test_follow_up_is_read_with_its_history(client: TestClient) -> None:
    body = client.post(
        "/api/ask",
        json={
            "question": "Which militia does he speak for?",
            "history": [{"role": "user", "content": "Who is Jawwad al-Tulaibawi?"}],
        },
    ).json()
    assert "Asaib Ahl al-Haq" in body["answer"]


def test_unanswerable_question_is_an_abstention_not_an_error(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "What is the capital of Australia?"})
    assert response.status_code == 200
    assert response.json()["answered"] is False and response.json()["citations"] == []


def test_top_k_is_honoured(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION, "top_k": 1})
    assert response.status_code == 200 and response.json()["answered"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"question": ""},
        {"question": "   "},
        {"question": 42},
        {"question": "x" * 2001},
        {"question": QUESTION, "top_k": 0},
        {"question": QUESTION, "history": [{"role": "system", "content": "hi"}]},
    ],
)
def test_bad_requests_get_a_clear_422(client: TestClient, payload: dict) -> None:
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_malformed_json_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(
        "/api/ask", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_eval_over_http_against_a_real_server_on_loopback(seeded_service) -> None:
    import socket
    import threading
    import time

    import uvicorn

    from qa.evaluate import evaluate, http_asker, load_questions
    from tests.conftest import DATA

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(service=seeded_service), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        questions = load_questions(DATA / "heldout.jsonl")[:5]
        report = evaluate(questions, http_asker(f"http://127.0.0.1:{port}"))
        assert report.accuracy == 1.0 and report.citation_precision == 1.0
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not thread.is_alive()
