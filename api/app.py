"""The FastAPI app: HTTP concerns only; the work is done by ``qa.service.QAService``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.routes import router
from qa.service import QAService
from qa.settings import Settings


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """The app; the service (index and models) loads at start-up unless one is given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or QAService(settings or Settings())
        yield

    app = FastAPI(
        title="Mosul QA",
        version="0.1.0",
        description="Questions about news articles, answered with checked citations.",
        lifespan=lifespan,
    )
    app.include_router(router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"]}
            for e in error.errors()
        ]
        message = "; ".join(f"{d['field'] or 'body'}: {d['message']}" for d in details)
        return JSONResponse(status_code=422, content={"detail": message, "errors": details})

    return app
