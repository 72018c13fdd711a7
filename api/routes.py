"""Routes of the question-answering API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from api.schemas import AskRequest, AskResponse, Health
from qa.service import QAService

router = APIRouter()


def _service(request: Request) -> QAService:
    service: QAService = request.app.state.service
    return service


@router.post("/api/ask", response_model=AskResponse, tags=["answers"])
async def ask(body: AskRequest, request: Request) -> AskResponse:
    """Answer a question from the indexed articles, citing the passages it quotes."""
    answer = await run_in_threadpool(_service(request).ask, body.question, body.turns(), body.top_k)
    return AskResponse.from_answer(answer)


@router.get("/healthz", response_model=Health, tags=["health"])
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")
