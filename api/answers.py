"""Question routes: a cited answer as JSON or streamed as SSE, and retrieval alone."""

from __future__ import annotations

from contextlib import ExitStack

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse

from api.errors import error_responses
from api.events import answer_response, chat_events
from api.schemas import (
    AskRequest,
    AskResponse,
    Limits,
    SearchRequest,
    SearchResponse,
    filters_of,
)
from api.state import AppMetrics, AppSettings, Service
from api.validation import check_history, check_text, json_only

router = APIRouter(
    tags=["answers"],
    dependencies=[Depends(json_only)],
    responses=error_responses(413, 415, 422, 429, 503),
)


def _checked(body: AskRequest, settings: AppSettings) -> AskRequest:
    check_text("question", body.question, settings)
    check_history(body.turns(), settings)
    return body


@router.post("/api/ask", response_model=AskResponse)
async def ask(
    body: AskRequest, service: Service, settings: AppSettings, metrics: AppMetrics
) -> AskResponse:
    """Answer a question from the indexed articles, citing the passages it quotes."""
    _checked(body, settings)
    answer = await run_in_threadpool(
        service.ask, body.question, body.turns(), body.top_k, body.quote, filters_of(body.filters)
    )
    metrics.record_answer(answer)
    return AskResponse.from_answer(answer)


@router.post(
    "/api/chat",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "Server-Sent Events: `token` {text}…, `citations` {citations}, "
            "`done` (the /api/ask response), or `error` {detail}.",
            "content": {"text/event-stream": {}},
        },
    },
)
async def chat(
    body: AskRequest, service: Service, settings: AppSettings, metrics: AppMetrics
) -> EventSourceResponse:
    """The /api/ask answer, streamed as Server-Sent Events while it is written."""
    _checked(body, settings)
    slot = ExitStack()
    slot.enter_context(service.answer_slot(body.quote))  # a 503 now, not an error event later
    stream = service.ask_stream(
        body.question, body.turns(), body.top_k, body.quote, filters_of(body.filters)
    )
    return answer_response(stream, chat_events, metrics.record_answer, slot.close)


@router.get("/api/limits", response_model=Limits)
async def limits(settings: AppSettings) -> Limits:
    """What a question and its history may hold, as this server is set
    (``QA_MAX_QUESTION_CHARS``, ``QA_MAX_HISTORY_TURNS``, ``QA_MAX_HISTORY_CHARS``): a
    client keeps a long chat's history within them, as the chat page does."""
    return Limits(
        max_question_chars=settings.max_question_chars,
        max_history_turns=settings.max_history_turns,
        max_history_chars=settings.max_history_chars,
    )


@router.post("/api/search", response_model=SearchResponse)
async def search(body: SearchRequest, service: Service, settings: AppSettings) -> SearchResponse:
    """Retrieval only: passages ranked by fused dense and BM25 search, with their articles."""
    check_text("query", body.query, settings)
    retrieval = await run_in_threadpool(
        service.search, body.query, body.top_k, filters_of(body.filters)
    )
    return SearchResponse.from_retrieval(body.query, retrieval)
