"""A bounded load test of a running server: many concurrent clients on /api/ask and
/api/search for a fixed time (and, if given, at most a number of requests).

In: the server's URL, the number of clients, the duration, the routes and the questions.
Out: a ``LoadReport``: requests, throughput, status counts, dropped connections (a
request that got no HTTP response at all) and latency percentiles per route.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from qa.evaluate import percentile

ROUTES = ("/api/ask", "/api/search")


@dataclass
class LoadReport:
    clients: int
    seconds: float
    routes: Sequence[str] = ROUTES
    statuses: Counter[int] = field(default_factory=Counter)
    dropped: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    started: int = 0  # requests begun, for the bound on their number

    def __post_init__(self) -> None:
        self.latencies = {route: [] for route in self.routes}

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.dropped

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile_ms(self, route: str, pct: float) -> float:
        return 1000 * percentile(self.latencies[route], pct)

    def rows(self) -> list[tuple[str, str]]:
        rows = [
            ("clients", str(self.clients)),
            ("seconds", f"{self.seconds:.1f}"),
            ("requests", str(self.requests)),
            ("requests/s", f"{self.requests / self.seconds:.1f}"),
            ("statuses", ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))),
            ("5xx", str(self.server_errors)),
            ("dropped connections", str(self.dropped)),
        ]
        for route in self.routes:
            rows.append((f"{route} p50 / p95 (ms)", f"{self.percentile_ms(route, 50):.0f} / "
                         f"{self.percentile_ms(route, 95):.0f}"))  # fmt: skip
        return rows


async def _client(
    http: httpx.AsyncClient,
    number: int,
    questions: Sequence[str],
    end: float,
    max_requests: int | None,
    report: LoadReport,
) -> None:
    turn = number
    while time.monotonic() < end and (max_requests is None or report.started < max_requests):
        report.started += 1
        route = report.routes[turn % len(report.routes)]
        question = questions[turn % len(questions)]
        body = {"question": question} if route == "/api/ask" else {"query": question}
        started = time.perf_counter()
        try:
            response = await http.post(route, json=body)
        except httpx.TransportError:
            report.dropped += 1
        else:
            report.statuses[response.status_code] += 1
            if response.status_code == 200:
                report.latencies[route].append(time.perf_counter() - started)
        turn += 1


async def _run(
    url: str,
    clients: int,
    seconds: float,
    questions: Sequence[str],
    routes: Sequence[str],
    max_requests: int | None,
) -> LoadReport:
    report = LoadReport(clients, seconds, routes)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(60.0 + seconds)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as http:
        end = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(
            *(_client(http, n, questions, end, max_requests, report) for n in range(clients))
        )
        report.seconds = time.monotonic() - started
    return report


def run_load(
    url: str,
    questions: Sequence[str],
    clients: int = 64,
    seconds: float = 30,
    routes: Sequence[str] = ROUTES,
    max_requests: int | None = None,
) -> LoadReport:
    """Drive ``clients`` concurrent clients against ``url`` for ``seconds`` (or until
    ``max_requests`` have been sent), turn by turn over ``routes``."""
    if not questions:
        raise ValueError("the load test needs at least one question")
    unknown = set(routes) - set(ROUTES)
    if unknown or not routes:
        raise ValueError(f"routes must be among {ROUTES}, got {sorted(routes)}")
    if clients < 1 or seconds <= 0:
        raise ValueError(f"the load test needs a client and some time, got {clients} and {seconds}")
    _check_ready(url)
    return asyncio.run(_run(url, clients, seconds, questions, routes, max_requests))


def _check_ready(url: str) -> None:
    """Refuse to measure a server that is down or still loading: thousands of refused
    connections a second would read as a load test that ran."""
    try:
        response = httpx.get(f"{url.rstrip('/')}/readyz", timeout=10)
    except httpx.HTTPError as error:
        raise ValueError(
            f"no server answers at {url} ({error}); start one with `qa serve`"
        ) from None
    if response.status_code != 200:
        try:
            reason = response.json().get("error") or response.text
        except ValueError:
            reason = response.text
        raise ValueError(
            f"the server at {url} is not ready (HTTP {response.status_code}): {reason}"
        )
