"""A bounded load test of a running server: many concurrent clients on /api/ask and
/api/search for a fixed time.

In: the server's URL, the number of clients, the duration and the questions to ask.
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

ROUTES = ("/api/ask", "/api/search")


@dataclass
class LoadReport:
    clients: int
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    dropped: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in ROUTES})

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.dropped

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile_ms(self, route: str, pct: float) -> float:
        values = sorted(self.latencies[route])
        if not values:
            return 0.0
        return 1000 * values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]

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
        for route in ROUTES:
            rows.append((f"{route} p50 / p95 (ms)", f"{self.percentile_ms(route, 50):.0f} / "
                         f"{self.percentile_ms(route, 95):.0f}"))  # fmt: skip
        return rows


async def _client(
    http: httpx.AsyncClient, number: int, questions: Sequence[str], end: float, report: LoadReport
) -> None:
    turn = number
    while time.monotonic() < end:
        route = ROUTES[turn % len(ROUTES)]
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


async def _run(url: str, clients: int, seconds: float, questions: Sequence[str]) -> LoadReport:
    report = LoadReport(clients, seconds)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(60.0 + seconds)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as http:
        end = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(_client(http, n, questions, end, report) for n in range(clients)))
        report.seconds = time.monotonic() - started
    return report


def run_load(
    url: str, questions: Sequence[str], clients: int = 64, seconds: float = 30
) -> LoadReport:
    """Drive ``clients`` concurrent clients against ``url`` for ``seconds``."""
    if not questions:
        raise ValueError("the load test needs at least one question")
    return asyncio.run(_run(url, clients, seconds, questions))
