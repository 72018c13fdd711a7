"""SSE framing of answer streams, checked without a model."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterable

from api.events import chat_events, completion_chunks
from qa.types import Answer, AnswerEvent, Citation, Passage, Token
from tests.helpers import parse_sse

PASSAGE = Passage(
    "c1", "a.txt", "Five fighters were killed. More text.", "Title", "Pub", None, None
)
ANSWER = Answer(
    "Five fighters were killed. [1]",
    answered=True,
    citations=(Citation(1, PASSAGE, ("Five fighters were killed.",)),),
)


async def _events(items: Iterable[AnswerEvent], fail: Exception | None = None) -> AsyncIterator:
    for item in items:
        yield item
    if fail:
        raise fail


def _framed(stream: AsyncIterator) -> list[tuple[str, str]]:
    async def collect() -> str:
        return "".join([event.encode().decode() async for event in stream])

    return parse_sse(asyncio.run(collect()))


def test_chat_stream_is_tokens_then_citations_then_done() -> None:
    events = _framed(
        chat_events(_events([Token("Five fighters"), Token(" were killed. [1]"), ANSWER]))
    )
    assert [name for name, _ in events] == ["token", "token", "citations", "done"]
    assert "".join(json.loads(d)["text"] for n, d in events if n == "token") == ANSWER.text
    citations = json.loads(events[2][1])["citations"]
    assert citations[0]["n"] == 1 and citations[0]["cited_sentences"] == [
        "Five fighters were killed."
    ]
    done = json.loads(events[3][1])
    assert done["answer"] == ANSWER.text and done["answered"] is True


def test_token_holding_newlines_stays_one_event() -> None:
    events = _framed(chat_events(_events([Token("line one\nline two\r\n"), ANSWER])))
    assert json.loads(events[0][1])["text"] == "line one\nline two\r\n"


def test_failure_mid_stream_ends_with_an_error_event_and_no_done() -> None:
    events = _framed(chat_events(_events([Token("Five")], fail=RuntimeError("db gone: secret"))))
    assert [name for name, _ in events] == ["token", "error"]
    detail = json.loads(events[-1][1])["detail"]
    assert "internal error" in detail and "secret" not in detail


def test_bad_question_error_says_why() -> None:
    events = _framed(chat_events(_events([], fail=ValueError("the question is empty"))))
    assert events == [("error", json.dumps({"detail": "the question is empty"}))]


def test_openai_chunks_open_with_the_role_and_close_with_citations_and_done() -> None:
    events = _framed(
        completion_chunks(_events([Token("Five"), Token(" fighters. [1]"), ANSWER]), "m")
    )
    assert events[-1] == ("message", "[DONE]")
    chunks = [json.loads(data) for _, data in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == "Five fighters. [1]"
    last = chunks[-1]
    assert last["choices"][0]["finish_reason"] == "stop"
    assert last["citations"][0]["source"] == "a.txt" and last["answered"] is True


def test_openai_stream_failure_is_an_error_object_then_done() -> None:
    events = _framed(completion_chunks(_events([], fail=RuntimeError("x")), "m"))
    assert "error" in json.loads(events[-2][1]) and events[-1][1] == "[DONE]"
