"""What routes depend on: the service (loaded in the background), the settings, metrics.

In: a way to build the ``QAService`` (or a ready one). Out: the service once it is
loaded; until then, or if loading failed, a 503 that says why. ``/healthz`` answers
while the index and the models load; ``/readyz`` and the question routes wait for them.
The route dependencies (``Service``, ``AppSettings``, ``AppMetrics``) are declared here,
once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from api.metrics import Metrics
from qa.service import QAService, StoreUnreachable, store_location
from qa.settings import Settings

log = logging.getLogger(__name__)

LOADING_RETRY_SECONDS = 5
STORE_RETRY_SECONDS = 5  # between attempts to reach a Chroma server that does not answer


class ServiceHolder:
    def __init__(
        self, build: Callable[[], QAService] | None = None, service: QAService | None = None
    ):
        if (build is None) == (service is None):
            raise ValueError("give either a service or a way to build one")
        self._build = build
        self._service = service
        self.error: str | None = None
        self.retrying = False  # the error is a store that may yet answer: loading goes on
        self._loaded = threading.Event()
        self._stopping = threading.Event()
        if service is not None:
            self._loaded.set()

    def start(self) -> None:
        """Load the service on a background thread (no-op if it was given ready)."""
        if not self._loaded.is_set():
            threading.Thread(target=self._load, name="load-service", daemon=True).start()

    def stop(self) -> None:
        """Give up loading, if it is waiting to try again (the app is shutting down)."""
        self._stopping.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading has ended (either way); true if it has."""
        return self._loaded.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._service is not None

    def get(self) -> QAService:
        """The service, or a 503 saying it is still loading or why it failed to."""
        if self._service is not None:
            return self._service
        if self.error is not None:
            retry = {"Retry-After": str(STORE_RETRY_SECONDS)} if self.retrying else None
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, self.error, headers=retry)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "the index and models are still loading; retry shortly",
            headers={"Retry-After": str(LOADING_RETRY_SECONDS)},
        )

    def _load(self) -> None:
        """Build the service; if the Chroma server does not answer yet (started after
        this process, or restarting), try again every ``STORE_RETRY_SECONDS`` until it
        does, so that starting it is enough. Any other failure is final: the process
        stays up to report it on /readyz."""
        assert self._build is not None
        while True:
            try:
                self._service = self._build()
                self.error, self.retrying = None, False
                _say_what_is_served(self._service)
                return
            except StoreUnreachable as error:
                log.warning("%s; trying again in %d s", error, STORE_RETRY_SECONDS)
                self.retrying = True
                self.error = (
                    f"the service failed to load: {error} "
                    f"(trying again every {STORE_RETRY_SECONDS} s)"
                )
            except Exception as error:
                log.exception("the service failed to load")
                self.error, self.retrying = f"the service failed to load: {error}", False
                return
            finally:
                self._loaded.set()
            if self._stopping.wait(STORE_RETRY_SECONDS):
                return


def _say_what_is_served(service: QAService) -> None:
    """The index the service opened, in the log: a store folder relative to the working
    directory is easily another one than meant, and an empty one is ready all the same."""
    settings = service.settings
    where = store_location(settings.chroma_url, settings.store_dir)
    articles = service.status().articles
    log.info("service ready: %d articles in %s", articles, where)
    if not articles:
        log.warning(
            "the index in %s holds no article: questions are told so until articles are "
            "added (`qa ingest` indexes the seed articles; QA_STORE_DIR names the store)",
            where,
        )


# The dependencies are coroutines, though they never wait: FastAPI runs plain functions
# in its thread pool, a hop per dependency per request.
async def get_service(request: Request) -> QAService:
    """The loaded service (503 until it is)."""
    holder: ServiceHolder = request.app.state.holder
    return holder.get()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


async def get_holder(request: Request) -> ServiceHolder:
    holder: ServiceHolder = request.app.state.holder
    return holder


Service = Annotated[QAService, Depends(get_service)]
AppSettings = Annotated[Settings, Depends(get_settings)]
AppMetrics = Annotated[Metrics, Depends(get_metrics)]
Holder = Annotated[ServiceHolder, Depends(get_holder)]
