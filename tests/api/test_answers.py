"""The question routes of the HTTP API over the real pipeline: ask, chat (SSE), search."""

import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.helpers import DATA, parse_sse, serving

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
    assert response.json()["nearest"] == []  # nothing indexed is near it


def test_an_abstention_lists_the_nearest_sentences_apart_from_the_answer(
    client: TestClient,
) -> None:
    question = "Which hospital treated the soldiers wounded in the Jawsaq fighting?"
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["answered"] is False and body["citations"] == []
    assert "[" not in body["answer"]  # no marker: the nearest sentences are not a claim
    nearest = body["nearest"]
    assert 1 <= len(nearest) <= 3
    assert [n["n"] for n in nearest] == list(range(1, len(nearest) + 1))
    assert len({n["quote"] for n in nearest}) == len(nearest)  # one sentence per passage
    for n in nearest:
        assert len(n["cited_sentences"]) == 1 and n["cited_sentences"][0] in n["quote"]
    assert any("Jawsaq" in n["cited_sentences"][0] for n in nearest)


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


def test_chat_streams_the_same_answer_as_ask_over_sse(client: TestClient) -> None:
    payload = {"question": "How many PMU fighters were killed?"}
    with client.stream("POST", "/api/chat", json=payload) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"token"}
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "token")
    done = json.loads(events[-1][1])
    assert done == client.post("/api/ask", json=payload).json()
    assert streamed == done["answer"]
    assert json.loads(events[-2][1])["citations"] == done["citations"] != []


def test_chat_abstention_streams_its_message_with_no_citations(client: TestClient) -> None:
    with client.stream("POST", "/api/chat", json={"question": "Who won the 1998 World Cup?"}) as r:
        events = dict(parse_sse(r.read().decode()))
    assert json.loads(events["citations"]) == {"citations": []}
    assert json.loads(events["done"])["answered"] is False


def test_chat_rejects_a_bad_request_before_streaming(client: TestClient) -> None:
    response = client.post("/api/chat", json={"question": " "})
    assert response.status_code == 422 and "blank" in response.json()["detail"]


def test_search_ranks_passages_with_scores_and_article_metadata(client: TestClient) -> None:
    response = client.post(
        "/api/search", json={"query": "Colonel Dorrian ISIS militants left", "top_k": 3}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["rank"] for r in results] == [1, 2, 3]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    top = results[0]
    assert "Dorrian" in top["text"] and top["source"] == "000_8ae4ba73e080a6d3.txt"
    assert top["title"] and top["published"] == "2017-05-06" and 0 < top["similarity"] <= 1


@pytest.mark.parametrize("payload", [{"query": ""}, {"query": "x", "top_k": 51}, {"q": "x"}])
def test_search_rejects_bad_requests(client: TestClient, payload: dict) -> None:
    assert client.post("/api/search", json=payload).status_code == 422


def test_chat_streams_over_a_real_server(seeded_service) -> None:
    import httpx

    with (
        serving(create_app(service=seeded_service)) as url,
        httpx.stream("POST", f"{url}/api/chat", json={"question": QUESTION}) as response,
    ):
        events = parse_sse("".join(response.iter_text()))
    assert json.loads(events[-1][1])["answered"] is True


def test_eval_over_http_against_a_real_server_on_loopback(seeded_service) -> None:
    from qa.eval_run import http_asker
    from qa.evaluate import evaluate, load_questions

    with serving(create_app(service=seeded_service)) as url:
        questions = load_questions(DATA / "team.jsonl")[:5]
        report = evaluate(questions, http_asker(url))
    assert report.accuracy == 1.0 and report.citation_precision == 1.0
