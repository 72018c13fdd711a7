"""OpenAI-compatible chat: /v1/models and /v1/chat/completions, streaming or not.

Existing chat clients and SDKs talk to the service as to a model. The last user message
is the question and the earlier user and assistant messages are its history; system
messages are not instructions to us (the answer comes from the articles) and are
ignored. The answer keeps its ``[n]`` markers; the citations travel in an extra
``citations`` field (on the last chunk when streaming).
"""

from __future__ import annotations

import functools
import time
from contextlib import ExitStack
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from sse_starlette import EventSourceResponse

from api.errors import ModelNotFound, OpenAIErrorBody, error_responses
from api.events import (
    answer_extras,
    answer_response,
    completion_chunks,
    completion_id,
)
from api.schemas import FiltersIn, filters_of, is_blank
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
STARTED = int(time.time())


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    # "function": the replies of OpenAI's deprecated function calling, in older histories
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


# OpenAI's request fields that do not change an answer quoted or checked against the
# articles, and the sampling options llama.cpp's and vLLM's servers add: accepted and
# ignored. Any other field is refused, as OpenAI refuses it: a misspelt `filters` would
# otherwise answer from every article.
IGNORED_FIELDS = frozenset(
    {
        *("frequency_penalty", "presence_penalty", "logit_bias", "seed", "stop", "user"),
        *("metadata", "store", "service_tier", "stream_options", "parallel_tool_calls"),
        *("prediction", "reasoning_effort", "verbosity", "prompt_cache_key"),
        *("safety_identifier", "top_k", "min_p", "repeat_penalty", "repetition_penalty"),
    }
)


class ChatCompletionRequest(BaseModel):
    """OpenAI's request. Sampling options are accepted, in OpenAI's ranges, and ignored
    (answers are quoted or checked against the articles); what cannot be given (several
    choices, tool calls, a JSON answer, log probabilities, audio) is refused, not
    silently left out."""

    model_config = ConfigDict(extra="allow")
    model: str
    # no cap on the count: chat clients resend the whole conversation, and the latest
    # turns that fit the history limits are kept (the body's size is capped)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool | None = False
    filters: FiltersIn | None = Field(
        None, description="Not OpenAI's: only articles that pass these (`extra_body`)."
    )
    n: int | None = Field(1, ge=1, le=1, description="One answer is given per question.")
    temperature: float | None = Field(None, ge=0, le=2, allow_inf_nan=False)
    top_p: float | None = Field(None, ge=0, le=1, allow_inf_nan=False)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    logprobs: bool | None = Field(None, description="Refused when true: answers are quoted.")
    top_logprobs: int | None = Field(None, ge=0, description="Refused above 0.")
    tool_choice: Literal["none", "auto"] | None = Field(None, description="No tools are called.")
    function_call: Literal["none", "auto"] | None = None
    modalities: list[Literal["text"]] | None = Field(None, description="Only text is given.")

    @model_validator(mode="after")
    def _asks_only_for_text(self) -> ChatCompletionRequest:
        extra = self.model_extra or {}
        for field in ("tools", "functions"):
            if extra.get(field):
                raise _unsupported(field, "not supported; answers come from the articles")
        answer_format = extra.get("response_format")
        if answer_format and (
            not isinstance(answer_format, dict) or answer_format.get("type") != "text"
        ):
            raise _unsupported("response_format", "only text answers are given")
        if extra.get("audio"):
            raise _unsupported("audio", "not given; answers are text")
        if self.logprobs or self.top_logprobs:
            raise _unsupported("logprobs", "not given; answers are quoted or checked sentences")
        unknown = sorted(set(extra) - IGNORED_FIELDS - {"tools", "functions", "response_format"})
        if unknown:
            raise _unsupported(", ".join(unknown), "unrecognized request argument supplied")
        return self

    def question_and_history(self, settings: ServerSettings) -> tuple[str, list[Turn]]:
        *earlier, last = self.messages
        if last.role != "user":
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, "the last message must be the user's question"
            )
        question = last.text().strip()
        if is_blank(question):
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST,
                "the last message has no text (only text parts are read, not images or audio)",
            )
        try:
            check_text("the question", question, settings)
        except HTTPException as error:  # OpenAI's clients expect 400 for a bad request
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error.detail)) from error
        history = [Turn(Role(m.role), m.text()) for m in earlier if m.role in ("user", "assistant")]
        return question, recent_history(history, settings)  # a long chat keeps recent turns


def _unsupported(field: str, message: str) -> PydanticCustomError:
    """A request OpenAI's API allows and this server does not serve, naming its field
    (a model's own check has no field of its own to point at)."""
    return PydanticCustomError("unsupported", "{message}", {"field": field, "message": message})


def _check_model(settings: ServerSettings, model: str) -> str:
    if model != settings.served_model:
        raise ModelNotFound(
            f"model {model!r} does not exist; this server answers as {settings.served_model!r}"
        )
    return model


def _model_card(settings: ServerSettings) -> dict[str, Any]:
    return {"id": settings.served_model, "object": "model", "created": STARTED, "owned_by": "qa"}


@router.get("/models")
async def list_models(settings: AppSettings) -> dict[str, Any]:
    """The one model this server answers as."""
    return {"object": "list", "data": [_model_card(settings)]}


@router.get("/models/{model}")
async def retrieve_model(model: str, settings: AppSettings) -> dict[str, Any]:
    """The model by its name (OpenAI's `models.retrieve`); 404 for any other name."""
    _check_model(settings, model)
    return _model_card(settings)


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
        framing = functools.partial(completion_chunks, model=model)
        return answer_response(stream, framing, metrics.record_answer, slot.close)
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
