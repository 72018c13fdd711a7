"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.metrics import Metrics
from api.schemas import Health, Readiness
from api.state import ServiceHolder
from qa.index.embed import embed_model_name

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up (the index may still be loading: see /readyz)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(request: Request) -> JSONResponse:
    """200 once the index and the models are loaded and the store answers; 503 until then."""
    holder: ServiceHolder = request.app.state.holder
    if not holder.ready:
        message = holder.error or "the index and models are still loading"
        return JSONResponse(Readiness(ready=False, error=message).model_dump(), status_code=503)
    service = holder.get()
    try:
        chunks = await run_in_threadpool(service.index.count)
        articles = await run_in_threadpool(service.index.records.count)
    except Exception as error:  # the store went away after start-up
        body = Readiness(ready=False, error=f"the vector store does not answer: {error}")
        return JSONResponse(body.model_dump(), status_code=503)
    body = Readiness(
        ready=True,
        articles=articles,
        chunks=chunks,
        embedding_model=embed_model_name(service.settings),
        embedding_backend=service.settings.embed_backend.value,
        answerer=service.settings.llm.value,
    )
    return JSONResponse(body.model_dump())


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus text format: requests and latency per route, answers and abstentions."""
    state: Metrics = request.app.state.metrics
    return Response(generate_latest(state.registry), media_type=CONTENT_TYPE_LATEST)
