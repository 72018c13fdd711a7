"""Prometheus metrics: requests and latency per route, answers and abstentions, the
language model's failures (answers then fall back to quoting), the index's size and the
process's memory and CPU time.

Each app has its own registry, so several apps (tests, workers) never collide. Routes
are labelled by their template (``/api/documents/{source}``), never by the raw path,
so a scan of random URLs cannot grow the label set; unmatched paths share one label.
Latency runs until the last byte is sent, so a streamed answer counts in full.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.types import Answer

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
UNMATCHED = "<unmatched>"


class Metrics:
    def __init__(
        self,
        model_failures: Callable[[], Mapping[tuple[str, str], int]] | None = None,
        index: Callable[[], tuple[int, int] | None] | None = None,
    ) -> None:
        """``model_failures``: the language model's failed calls so far, by call and kind;
        ``index``: the articles and chunks indexed now (None while loading)."""
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # memory, CPU time, open files
        self.requests = Counter(
            "qa_http_requests",
            "HTTP requests by route, method and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "qa_http_request_duration_seconds",
            "Time from request to the last byte of the response.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "qa_answers", "Questions answered with citations.", ["mode"], registry=self.registry
        )
        self.abstentions = Counter(
            "qa_abstentions",
            "Questions the articles do not answer.",
            ["mode"],
            registry=self.registry,
        )

        if model_failures is not None:
            self.registry.register(_ModelFailures(model_failures))
        if index is not None:
            self.registry.register(_IndexSize(index))

    def record_answer(self, answer: Answer) -> None:
        (self.answers if answer.answered else self.abstentions).labels(
            mode=answer.origin.value
        ).inc()


class _ModelFailures:
    """The language model's failed calls, read from the service at each scrape."""

    def __init__(self, counts: Callable[[], Mapping[tuple[str, str], int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "qa_model_failures",
            "Calls to the language model that failed (the answer was quoted instead), by "
            "call (answer, judge, rewrite) and kind (timeout, unreachable, connection, "
            "http_error, bad_reply, too_long, cut, failed).",
            labels=["call", "kind"],
        )
        for (call, kind), count in sorted(self.counts().items()):
            family.add_metric([call, kind], count)
        yield family


class _IndexSize:
    """The articles and chunks indexed, read from the store at each scrape."""

    def __init__(self, counts: Callable[[], tuple[int, int] | None]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        try:
            counts = self.counts()
        except Exception:  # the store failing: /readyz says why; the other metrics still count
            return
        if counts is None:
            return
        articles, chunks = counts
        yield GaugeMetricFamily("qa_index_articles", "Articles indexed.", value=articles)
        yield GaugeMetricFamily("qa_index_chunks", "Chunks (passages) indexed.", value=chunks)


class MetricsMiddleware:
    """Counts and times every HTTP request (pure ASGI: streamed bodies are timed to the end)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # if the app fails before it starts a response

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or UNMATCHED
            method = scope["method"]
            self.metrics.latency.labels(method, label).observe(time.perf_counter() - start)
            self.metrics.requests.labels(method, label, str(status)).inc()
