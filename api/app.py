"""The FastAPI app: HTTP concerns only; the work is done by ``qa.service.QAService``.

Routes: questions (``answers``), the OpenAI-compatible chat (``openai_compat``),
documents, health and metrics, and the chat page at ``/`` (``static/``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api import answers, documents, health, openai_compat
from api.errors import install_error_handlers
from api.guards import HostAndOriginGuard, SecurityHeaders, hosts_to_answer
from api.metrics import Metrics, MetricsMiddleware
from api.middleware import BodyLimitMiddleware, RateLimitMiddleware, UntypedBodyAsJson
from api.state import ServiceHolder
from qa.service import QAService
from qa.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """The app. Without a ``service``, one is loaded from ``settings`` in the background;
    with one, the server's settings are ``settings``, or the service's if they are whole."""
    if settings is None:
        given = service.settings if service is not None else None
        settings = given if isinstance(given, Settings) else Settings()
    holder = (
        ServiceHolder(service=service)
        if service is not None
        else ServiceHolder(build=lambda: QAService(settings))
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.holder.start()
        yield
        app.state.holder.stop()

    # The API's documentation page (/docs) loads Swagger UI from the fastapi-offline
    # package, not from FastAPI's default CDN, which an offline machine cannot reach.
    # No /redoc: ReDoc's page fetches its logo from redocly's CDN.
    app = FastAPIOffline(
        redoc_url=None,
        title="Mosul QA",
        version=version("qa"),
        description="Questions about news articles, answered with checked citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.holder = holder
    app.state.metrics = Metrics(
        model_failures=lambda: holder.get().model_failures.counts() if holder.ready else {},
        index=lambda: _index_size(holder.get()) if holder.ready else None,
    )
    app.add_middleware(UntypedBodyAsJson)
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_request_bytes,
        # JSON escaping or a multipart envelope add to an article file's own size: a
        # two-byte character escaped as "\uXXXX" takes six (the article's own limit is
        # checked once the body is decoded).
        path_limits={
            "/api/documents": settings.max_document_bytes * 6 + 65_536,
            # chat clients resend the whole conversation; the route keeps its latest turns
            "/v1/chat/completions": settings.max_request_bytes * 16,
        },
    )
    if settings.rate_limit:
        app.add_middleware(RateLimitMiddleware, limit=settings.rate_limit)
    if settings.cors_origins:  # closed unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            # any header a preflight names: OpenAI's JavaScript client adds its own
            # (x-stainless-*, openai-*) to every request
            allow_headers=["*"],
        )
    app.add_middleware(
        HostAndOriginGuard,
        hosts=hosts_to_answer(settings.allowed_hosts),
        origins=settings.cors_origins,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    install_error_handlers(app)
    for module in (answers, openai_compat, documents, health):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app


def _index_size(service: QAService) -> tuple[int, int]:
    status = service.status()
    return status.articles, status.chunks


def serve(settings: Settings) -> None:
    """Run the app under uvicorn as ``settings`` say, until it is stopped. Forwarded
    headers (``X-Forwarded-For``) are believed only from ``QA_FORWARDED_ALLOW_IPS``:
    uvicorn believes them from loopback by default, so any process on the host could
    pose as any client, and dodge the rate limit with a new address at each request."""
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    # The service's own log beside uvicorn's, in its format (without this only warnings
    # reached stderr, bare): the server's (which store it opened) from INFO, the
    # answering code's (a model that failed) from WARNING, since its INFO lines quote
    # what readers asked.
    logging = copy.deepcopy(LOGGING_CONFIG)
    for name, level in (("api", "INFO"), ("qa", "WARNING")):
        logging["loggers"][name] = {"handlers": ["default"], "level": level, "propagate": False}
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        timeout_keep_alive=settings.keep_alive_seconds,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        log_level="info",
        log_config=logging,
    )
