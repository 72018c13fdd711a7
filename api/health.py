"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.schemas import Health, Readiness
from api.state import AppMetrics, Holder
from qa.service import store_outage

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up (the index may still be loading: see /readyz)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(holder: Holder) -> JSONResponse:
    """200 once the index and the models are loaded and the store answers; 503 until then."""
    if not holder.ready:
        message = holder.error or "the index and models are still loading"
        return JSONResponse(Readiness(ready=False, error=message).model_dump(), status_code=503)
    try:
        status = await run_in_threadpool(holder.get().status)
    except Exception as error:  # the store went away after start-up, or lost the index
        message = store_outage(error) or f"the vector store does not answer: {error}"
        body = Readiness(ready=False, error=message)
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Readiness(ready=True, **asdict(status)).model_dump())


# HEAD too, as uptime monitors and load balancers often probe (the same answer, no body)
router.add_api_route("/healthz", healthz, methods=["HEAD"], include_in_schema=False)
router.add_api_route("/readyz", readyz, methods=["HEAD"], include_in_schema=False)


@router.get("/metrics", response_class=Response)
async def metrics(state: AppMetrics) -> Response:
    """Prometheus text format: requests and latency per route, answers and abstentions,
    model failures, the index's size (read from the store: off the event loop) and the
    process's memory."""
    text = await run_in_threadpool(generate_latest, state.registry)
    return Response(text, media_type=CONTENT_TYPE_LATEST)
