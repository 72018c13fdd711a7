"""OpenAI-compatible chat: /v1/models and /v1/chat/completions, streaming or not.

Existing chat clients and SDKs talk to the service as to a model. The last user message
is the question and the earlier user and assistant messages are its history; system
messages are not instructions to us (the answer comes from the articles) and are
ignored. The answer keeps its ``[n]`` markers; the citations travel in an extra
``citations`` field (on the last chunk when streaming).
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from sse_starlette import EventSourceResponse

from api.errors import OpenAIErrorBody, error_responses
from api.events import answer_events, answer_extras, completion_chunks, completion_id
from api.schemas import FiltersIn, filters_of
from api.state import AppMetrics, AppSettings, Service
from api.validation import check_text, json_only, recent_history
from qa.settings import ServerSettings
from qa.types import Role, Turn

router = APIRouter(
    prefix="/v1",
    tags=["openai-compatible"],
    dependencies=[Depends(json_only)],
    responses=error_responses(400, 404, 413, 415, 429, 503, model=OpenAIErrorBody),
)
MAX_MESSAGES = 200
STARTED = int(time.time())


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """OpenAI's request. Sampling options are accepted, in OpenAI's ranges, and ignored
    (answers are quoted or checked against the articles); what cannot be given (several
    choices, tool calls, a JSON answer) is refused, not silently left out."""

    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    filters: FiltersIn | None = Field(
        None, description="Not OpenAI's: only articles that pass these (`extra_body`)."
    )
    n: int = Field(1, ge=1, le=1, description="One answer is given per question.")
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _asks_only_for_text(self) -> ChatCompletionRequest:
        extra = self.model_extra or {}
        if extra.get("tools") or extra.get("functions"):
            raise PydanticCustomError(
                "unsupported", "tools: not supported; answers come from the articles"
            )
        answer_format = extra.get("response_format")
        if answer_format and (
            not isinstance(answer_format, dict) or answer_format.get("type") != "text"
        ):
            raise PydanticCustomError("unsupported", "response_format: only text answers are given")
        return self

    def question_and_history(self, settings: ServerSettings) -> tuple[str, list[Turn]]:
        *earlier, last = self.messages
        question = last.text().strip()
        if last.role != "user" or not question:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, "the last message must be the user's question"
            )
        try:
            check_text("the question", question, settings)
        except HTTPException as error:  # OpenAI's clients expect 400 for a bad request
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error.detail)) from error
        history = [Turn(Role(m.role), m.text()) for m in earlier if m.role in ("user", "assistant")]
        return question, recent_history(history, settings)  # a long chat keeps recent turns


def _check_model(settings: ServerSettings, model: str) -> str:
    if model != settings.served_model:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"model {model!r} does not exist; this server answers as {settings.served_model!r}",
        )
    return model


@router.get("/models")
async def list_models(settings: AppSettings) -> dict[str, Any]:
    """The one model this server answers as."""
    model = {"id": settings.served_model, "object": "model", "created": STARTED, "owned_by": "qa"}
    return {"object": "list", "data": [model]}


@router.post("/chat/completions", response_model=None)
async def chat_completions(
    body: ChatCompletionRequest, service: Service, settings: AppSettings, metrics: AppMetrics
) -> dict[str, Any] | EventSourceResponse:
    """Answer the last user message from the articles, as an OpenAI chat completion."""
    model = _check_model(settings, body.model)
    question, history = body.question_and_history(settings)
    if body.stream:
        slot = ExitStack()
        slot.enter_context(service.answer_slot())  # a 503 now, not an error chunk later
        stream = service.ask_stream(question, history, filters=filters_of(body.filters))
        events = answer_events(stream, on_answer=metrics.record_answer, on_end=slot.close)
        return EventSourceResponse(completion_chunks(events, model), ping=15)
    answer = await run_in_threadpool(
        lambda: service.ask(question, history, filters=filters_of(body.filters))
    )
    metrics.record_answer(answer)
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text},
                "finish_reason": "stop",
            }
        ],
        "usage": None,
        **answer_extras(answer),
    }
