"""Answer streams framed as Server-Sent Events, for /api/chat and /v1/chat/completions.

In: the service's stream of ``Token``s ending in an ``Answer`` (iterated off the event
loop). Out: SSE events. For /api/chat: ``token`` events while the answer is written,
one ``citations`` event, then ``done`` with the whole response (the body /api/ask
returns); an ``error`` event with a message replaces whatever was left if it fails.
For the OpenAI-compatible route: ``chat.completion.chunk`` objects, the last one with
the citations, then ``[DONE]``, as OpenAI's clients expect.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool

from api.schemas import AskResponse
from qa.service import store_outage
from qa.types import Answer, AnswerEvent, Token, stoppable

log = logging.getLogger(__name__)

# Events end in a bare blank line ("\n\n"), as OpenAI's, vLLM's and llama.cpp's servers
# end them: sse-starlette's default "\r\n" breaks a client that splits on "\n\n".
SSE_SEP = "\n"
_event = functools.partial(ServerSentEvent, sep=SSE_SEP)
INTERNAL_ERROR = "internal error while answering; the server log has the details"


def error_message(error: Exception) -> str:
    """What a client is told: a bad question or a vector store that does not answer
    says why; anything else is not leaked."""
    if isinstance(error, ValueError):
        return str(error)
    return store_outage(error) or INTERNAL_ERROR


Framing = Callable[[AsyncIterator[AnswerEvent]], AsyncIterator[ServerSentEvent]]


def answer_response(
    stream: Iterator[AnswerEvent],
    framing: Framing,
    on_answer: Callable[[Answer], None],
    on_end: Callable[[], object],
) -> EventSourceResponse:
    """The service's stream as an SSE response, framed by ``framing`` (``chat_events``
    or ``completion_chunks``). When the client goes away, a language model writing the
    answer stops at its next token: the worker thread running the stream's step cannot
    be cancelled, and would otherwise write on to the end for nobody."""
    stop = threading.Event()

    async def client_gone(_message: object) -> None:
        stop.set()

    return EventSourceResponse(
        framing(answer_events(stream, on_answer, on_end, stop)),
        ping=15,
        sep=SSE_SEP,
        client_close_handler_callable=client_gone,
    )


async def answer_events(
    stream: Iterator[AnswerEvent],
    on_answer: Callable[[Answer], None] = lambda _: None,
    on_end: Callable[[], object] = lambda: None,
    stop: threading.Event | None = None,
) -> AsyncIterator[AnswerEvent]:
    """The service's stream, each step run in a worker thread; ``on_answer`` sees the end,
    ``on_end`` runs however it ends (finished, failed, or the client went away). ``stop``
    is set when the stream ends, and may be set before, to stop a language model."""
    stop = stop or threading.Event()
    try:
        async for event in iterate_in_threadpool(stoppable(stream, stop)):
            if isinstance(event, Answer):
                on_answer(event)
            yield event
    finally:
        stop.set()
        on_end()


async def chat_events(events: AsyncIterator[AnswerEvent]) -> AsyncIterator[ServerSentEvent]:
    """/api/chat framing: token…, citations, done; or error."""
    try:
        async for event in events:
            match event:
                case Token(text=text):
                    yield _event(json.dumps({"text": text}), event="token")
                case Answer():
                    response = AskResponse.from_answer(event)
                    citations = [c.model_dump() for c in response.citations]
                    yield _event(json.dumps({"citations": citations}), event="citations")
                    yield _event(response.model_dump_json(), event="done")
    except Exception as error:
        log.exception("answer stream failed")
        yield _event(json.dumps({"detail": error_message(error)}), event="error")


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def answer_extras(answer: Answer) -> dict[str, Any]:
    """What an OpenAI response carries beyond OpenAI's fields: the checked citations, and
    as ``/api/ask`` gives them, the closest passages of a declined question and why an
    answer was quoted instead of written."""
    body = AskResponse.from_answer(answer)
    return {
        "citations": [c.model_dump() for c in body.citations],
        "answered": body.answered,
        "mode": body.mode,
        "nearest": [c.model_dump() for c in body.nearest],
        "notice": body.notice,
    }


async def completion_chunks(
    events: AsyncIterator[AnswerEvent], model: str
) -> AsyncIterator[ServerSentEvent]:
    """OpenAI streaming framing: chunk objects with content deltas, then ``[DONE]``."""
    chunk_id, created = completion_id(), int(time.time())

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> ServerSentEvent:
        body = {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return _event(json.dumps(body))

    yield chunk({"role": "assistant", "content": ""})
    try:
        async for event in events:
            match event:
                case Token(text=text):
                    yield chunk({"content": text})
                case Answer():
                    yield chunk({}, "stop", **answer_extras(event))
    except Exception as error:
        log.exception("completion stream failed")
        body = {
            "error": {
                "message": error_message(error),
                "type": "server_error",
                "param": None,
                "code": None,
            }
        }
        yield _event(json.dumps(body))
    yield _event("[DONE]")
