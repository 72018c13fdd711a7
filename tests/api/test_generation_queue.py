"""Under load: a bounded queue for generated answers, and no rate limit unless configured."""

import threading
from collections.abc import Iterator, Sequence

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from qa.answer.chat import PromptMessage
from qa.service import QAService
from qa.settings import AnswerMode
from tests.helpers import SEEDS, generative, serving

QUESTION = "How many ISIS militants were left in Mosul according to Colonel Dorrian?"


class HeldChat:
    """A model whose reply waits until the test lets it go: the queue stays full meanwhile."""

    name = "held"

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        return 1.0

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        self.started.set()
        assert self.release.wait(60)
        yield "Fewer than 1,000 ISIS militants were left in Mosul [1]."


@pytest.fixture
def generating(make_service) -> tuple[QAService, HeldChat]:  # type: ignore[no-untyped-def]
    service = make_service(llm=AnswerMode.OPENAI, llm_queue_depth=1)
    service.ingest([SEEDS / "000_8ae4ba73e080a6d3.txt"], progress=False)
    model = HeldChat()
    service.answerer = generative(service, model)
    return service, model


def test_past_the_queue_depth_generation_is_503_while_quotes_and_search_flow(
    generating: tuple[QAService, HeldChat],
) -> None:
    service, model = generating
    with serving(create_app(service=service)) as url:
        first: dict[str, httpx.Response] = {}
        worker = threading.Thread(
            target=lambda: first.update(
                r=httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=60)
            )
        )
        worker.start()
        assert model.started.wait(30)

        for route, body in [
            ("/api/ask", {"question": QUESTION}),
            ("/api/chat", {"question": QUESTION}),
            (
                "/v1/chat/completions",
                {
                    "model": "mosul-qa",
                    "stream": True,
                    "messages": [{"role": "user", "content": QUESTION}],
                },
            ),
        ]:
            busy = httpx.post(f"{url}{route}", json=body, timeout=10)
            assert busy.status_code == 503, route
            assert int(busy.headers["retry-after"]) > 0
            assert "busy" in busy.text

        quoted = httpx.post(
            f"{url}/api/ask", json={"question": QUESTION, "quote": True}, timeout=10
        )
        assert quoted.status_code == 200 and quoted.json()["mode"] == "extractive"
        assert (
            httpx.post(f"{url}/api/search", json={"query": "Dorrian"}, timeout=10).status_code
            == 200
        )

        model.release.set()
        worker.join(30)
        assert first["r"].status_code == 200 and first["r"].json()["mode"] == "generated"
        again = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30)
        assert again.status_code == 200  # the slot was given back


def test_the_app_applies_a_configured_rate_limit_and_none_by_default(make_service) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(service=make_service(rate_limit="3/minute"))) as client:
        statuses = [
            client.post("/api/search", json={"query": "Mosul"}).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
    with TestClient(create_app(service=make_service())) as client:
        assert {
            client.post("/api/search", json={"query": "Mosul"}).status_code for _ in range(30)
        } == {200}
