"""Filters on the articles an answer or a search may draw on, through every question
route, on the real pipeline (the seeds and the flood articles written for the tests)."""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openai
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import DATA, SEEDS, parse_sse, serving

FLOODS_QUESTION = "How many families were displaced by the floods?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embed_model) -> QAService:  # type: ignore[no-untyped-def]
    service = QAService(
        Settings(store_dir=tmp_path_factory.mktemp("filters") / "store"), embed_model
    )
    service.ingest([SEEDS, DATA / "floods"], progress=False)
    return service


@pytest.fixture(scope="module")
def client(service: QAService) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def _sources(results: list[dict]) -> set[str]:  # type: ignore[type-arg]
    return {r["source"] for r in results}


def test_search_returns_only_matching_articles_and_fills_top_k(client: TestClient) -> None:
    body = {"query": "families displaced floods", "top_k": 5}
    every = client.post("/api/search", json=body).json()["results"]
    assert {"early.txt", "later.txt"} <= _sources(every)
    body["filters"] = {"published_from": "2021-03-05", "published_to": "2021-12-31"}
    dated = client.post("/api/search", json=body).json()["results"]
    assert _sources(dated) == {"later.txt", "repairs.txt"}
    outlet = {"query": "Mosul", "top_k": 6, "filters": {"publishers": ["Ahram Online"]}}
    results = client.post("/api/search", json=outlet).json()["results"]
    assert len(results) == 6 and _sources(results) == {"001_8b85acb5168ecd99.txt"}


def test_a_search_no_article_can_answer_says_why(client: TestClient) -> None:
    body = {"query": "families displaced", "filters": {"publishers": ["Nowhere Daily"]}}
    nothing = client.post("/api/search", json=body).json()
    assert nothing["results"] == []
    assert "No indexed article matches these filters" in nothing["notice"]
    assert "widen the outlets and" in nothing["notice"]  # only what was narrowed
    assert client.post("/api/search", json={"query": "floods"}).json()["notice"] is None


def test_search_fills_a_top_k_above_the_searches_own_candidates(client: TestClient) -> None:
    # Each search reads 20 candidates by default; a caller asking for more gets them.
    for query in ("Mosul", "zebra giraffe"):  # the second: words no passage has
        results = client.post("/api/search", json={"query": query, "top_k": 30}).json()
        assert len(results["results"]) == 30, query


def test_files_and_outlets_are_matched_as_a_person_would_type_them(client: TestClient) -> None:
    body = {"query": "Mosul", "top_k": 6, "filters": {"publishers": ["  ahram ONLINE "]}}
    results = client.post("/api/search", json=body).json()["results"]
    assert len(results) == 6 and _sources(results) == {"001_8b85acb5168ecd99.txt"}
    body = {"question": FLOODS_QUESTION, "filters": {"sources": ["LATER.txt"]}}
    answer = client.post("/api/ask", json=body).json()
    assert answer["answered"] and "4,500" in answer["answer"]


def test_a_month_or_year_filter_takes_in_the_whole_month_or_year(client: TestClient) -> None:
    body = {"query": "Sava valley floods", "top_k": 10}
    body["filters"] = {"published_from": "2021-03", "published_to": "2021-03"}
    march = client.post("/api/search", json=body).json()["results"]
    assert _sources(march) == {"early.txt", "later.txt"}
    body["filters"] = {"published_from": "2021-04", "published_to": "2021"}
    assert _sources(client.post("/api/search", json=body).json()["results"]) == {"repairs.txt"}


def test_ask_and_chat_answer_from_the_matching_articles_only(client: TestClient) -> None:
    early = {"published_to": "2021-03-05"}
    answer = client.post("/api/ask", json={"question": FLOODS_QUESTION, "filters": early}).json()
    assert answer["answered"] and "1,200" in answer["answer"] and "4,500" not in answer["answer"]
    files = {"sources": ["later.txt"]}
    body = {"question": FLOODS_QUESTION, "filters": files}
    done = dict(parse_sse(client.post("/api/chat", json=body).text))["done"]
    assert "4,500" in done and "1,200" not in done


def test_names_in_a_filter_that_no_article_has_are_said_beside_the_answer(
    client: TestClient,
) -> None:
    # "later.txt" is indexed, "latre.txt" (a slip) is not: the answer is drawn from one
    # article, and says that the other was not searched
    files = {"sources": ["later.txt", "latre.txt"], "publishers": ["River Times", "Rivr Times"]}
    answer = client.post("/api/ask", json={"question": FLOODS_QUESTION, "filters": files}).json()
    assert answer["answered"] and "4,500" in answer["answer"]
    assert answer["notice"] == "Not indexed, so not searched: latre.txt, Rivr Times."
    found = client.post("/api/search", json={"query": FLOODS_QUESTION, "filters": files}).json()
    assert found["results"] and "latre.txt" in found["notice"]
    alone = {"sources": ["later.txt"]}
    assert (
        client.post("/api/ask", json={"question": FLOODS_QUESTION, "filters": alone}).json()[
            "notice"
        ]
        is None
    )


def test_a_filter_matching_no_article_says_so_not_that_the_articles_are_silent(
    client: TestClient,
) -> None:
    body = {"question": FLOODS_QUESTION, "filters": {"published_from": "2030-01-01"}}
    answer = client.post("/api/ask", json=body).json()
    assert not answer["answered"] and answer["citations"] == []
    assert "No indexed article matches these filters" in answer["answer"]
    assert "don't say" not in answer["answer"]
    assert "widen the dates and" in answer["answer"]  # only what was narrowed
    # A client showing only the streamed text shows why there is no answer.
    body = {"question": FLOODS_QUESTION, "filters": {"sources": ["nowhere.txt"]}}
    events = parse_sse(client.post("/api/chat", json=body).text)
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "token")
    assert "No indexed article matches" in streamed and "widen the files and" in streamed


@pytest.mark.parametrize(
    "filters",
    [
        {"published_from": "2021-05-01", "published_to": "2021-01-01"},
        {"published_from": "last week"},
        {"published_from": 1614643200},  # not read as seconds after 1970
        {"published_to": "2021-13"},
        {"sources": "early.txt"},
        {"colour": ["red"]},
        {"published_from": "٢٠٢١"},  # a year in Arabic-Indic digits
    ],
)
def test_bad_filters_are_422(client: TestClient, filters: dict) -> None:  # type: ignore[type-arg]
    response = client.post("/api/ask", json={"question": FLOODS_QUESTION, "filters": filters})
    assert response.status_code == 422 and "filters" in response.json()["detail"]
    assert "Value error" not in response.json()["detail"]


def test_a_reversed_date_range_is_refused_naming_both_dates(client: TestClient) -> None:
    filters = {"published_from": "2021-05", "published_to": "2021-01"}
    response = client.post("/api/search", json={"query": "floods", "filters": filters})
    assert response.json()["detail"] == (
        "filters: published_from (2021-05-01) is after published_to (2021-01-31)"
    )


def test_the_openai_route_takes_filters_as_an_extra_body_field(service: QAService) -> None:
    with serving(create_app(service=service)) as url:
        sdk = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
        completion = sdk.chat.completions.create(
            model="mosul-qa",
            messages=[{"role": "user", "content": FLOODS_QUESTION}],
            extra_body={"filters": {"publishers": ["River Times"]}},
        )
        stream = sdk.chat.completions.create(
            model="mosul-qa",
            messages=[{"role": "user", "content": FLOODS_QUESTION}],
            extra_body={"filters": {"publishers": ["Nobody's Gazette"]}},
            stream=True,
        )
        streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    text = completion.choices[0].message.content or ""
    assert "4,500" in text and "1,200" not in text
    assert "No indexed article matches" in streamed and "widen the outlets and" in streamed


def test_a_name_that_differs_only_in_case_or_form_from_an_indexed_one_is_refused(
    client: TestClient,
) -> None:
    # A filter matches names regardless of case and form, so such names could not be
    # told apart: the second is refused, naming the first.
    text = "A note\n\nThe Nabi Yunus shrine is being rebuilt."
    for name in ("LATER.txt", " later.txt", "later.TXT"):
        refused = client.post("/api/documents", json={"name": name, "text": text})
        assert refused.status_code == 400 and "'later.txt'" in refused.json()["detail"], name
    assert client.post("/api/documents", json={"name": "cafe\u0301.txt", "text": text}).is_success
    refused = client.post("/api/documents", json={"name": "caf\u00e9.txt", "text": text})
    assert refused.status_code == 400
    assert client.delete("/api/documents/cafe\u0301.txt").status_code == 200


def test_names_alike_uploaded_at_once_or_ingested_from_files_give_one_article(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    service = make_service()
    text = b"A note\n\nThe Nabi Yunus shrine is being rebuilt."
    names = ["Race.txt", "race.txt", "RACE.txt", " race.txt"]
    with ThreadPoolExecutor(len(names)) as pool:  # checked in turn, not all before any write
        outcomes = list(pool.map(lambda name: service.add_article(name, text)[0], names))
    assert outcomes.count("added") == 1, outcomes
    assert [a.source for a in service.articles()] == [names[outcomes.index("added")]]
    # From files, as `qa ingest` reads them: beside an indexed name, and among themselves
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "RACE.TXT").write_bytes(text)
    report = service.ingest([tmp_path / "a"], progress=False)
    assert report.outcomes["RACE.TXT"][0] == "skipped"
    assert "differs from the indexed" in report.outcomes["RACE.TXT"][1]
    (tmp_path / "b").mkdir()
    for name in ("Fold.txt", "fold.txt"):
        (tmp_path / "b" / name).write_bytes(text)
    with pytest.raises(ValueError, match="stored under one name"):
        service.ingest([tmp_path / "b"], progress=False)
