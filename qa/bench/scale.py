"""Indexes at benchmark scale, built once and kept, and a real server measured on them.

In: a target chunk count, the settings to build with, and a cache folder. Out: a
persisted store of that many chunks (seeds plus the synthetic corpus), reused by later
runs with the same arguments; and ``ServerFigures`` for a ``qa serve`` process on a
store: cold start to ``/readyz``, search and ask latency, 16 concurrent clients, peak
resident memory, and its answers to the dev questions.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from qa.bench.corpus import VERSION, synthetic_article, write_corpus
from qa.evaluate import EvalQuestion, percentile
from qa.index.embed import embed_model_name
from qa.load import run_load
from qa.settings import CoreSettings

WARM_UP = ("What is the news?", "Who said it?", "How many were there?")
BUILT = "built.json"  # written last: a store without it is incomplete and rebuilt
WRITE_ARTICLES = 10_000_000  # numbers of synthetic articles the corpus never holds


@dataclass(frozen=True)
class BuiltStore:
    path: Path
    chunks: int
    articles: int
    build_seconds: float  # for the build that made it, which may be an earlier run
    reused: bool


def build_store(settings: CoreSettings, target_chunks: int, cache: Path) -> BuiltStore:
    """A store holding the seeds and synthetic articles, ``target_chunks`` chunks in all."""
    from qa.service import QAService

    key = (
        f"{embed_model_name(settings.embed_model)}-{settings.embed_backend.value}-{target_chunks}"
        f"-w{settings.chunk_words}-o{settings.chunk_overlap_sentences}-v{VERSION}"
    )
    folder = cache / key
    if (folder / BUILT).is_file():
        built = json.loads((folder / BUILT).read_text())
        return BuiltStore(
            folder / "store", built["chunks"], built["articles"], built["seconds"], True
        )
    shutil.rmtree(folder, ignore_errors=True)
    articles = folder / "articles"
    files = write_corpus(
        articles,
        settings.seeds_dir,
        target_chunks,
        settings.chunk_words,
        settings.chunk_overlap_sentences,
    )
    started = time.perf_counter()
    service = QAService(settings.model_copy(update={"store_dir": folder / "store"}))
    service.ingest([articles])
    seconds = time.perf_counter() - started
    chunks = service.status().chunks
    shutil.rmtree(articles)  # the generator makes them again on demand
    (folder / BUILT).write_text(
        json.dumps({"chunks": chunks, "articles": files, "seconds": seconds})
    )
    return BuiltStore(folder / "store", chunks, files, seconds, False)


@dataclass
class ServerFigures:
    chunks: int
    cold_start_seconds: float  # the median of the starts
    cold_starts: list[float] = field(default_factory=list)
    search_ms: dict[str, float] = field(default_factory=dict)  # p50, p95
    ask_ms: dict[str, float] = field(default_factory=dict)
    add_ms: dict[str, float] = field(default_factory=dict)  # one new article, over HTTP
    replace_ms: dict[str, float] = field(default_factory=dict)  # ... the same name, new text
    delete_ms: dict[str, float] = field(default_factory=dict)
    concurrent: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    dev_answers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def measure_server(
    settings: CoreSettings,
    store: Path,
    chunks: int,
    queries: Sequence[str],
    dev: Sequence[EvalQuestion],
    clients: int = 16,
    concurrent_requests: int = 320,
    concurrent_seconds: float = 30.0,
    starts: int = 3,
) -> ServerFigures:
    """Start ``qa serve`` on ``store`` and measure it; the server is stopped after.
    Its start-up is timed ``starts`` times (the last server stays up to be measured):
    the first start after a build also pays for reading the store into the page cache,
    so the figure is the median of the starts (``make bench`` times three)."""
    env = {
        **os.environ,
        "QA_STORE_DIR": str(store),
        "QA_EMBED_BACKEND": settings.embed_backend.value,
        "QA_EMBED_CACHE_DIR": str(settings.embed_cache_dir),
        "QA_LLM": "extractive",
        "QA_RATE_LIMIT": "",
    }
    if starts < 1:
        raise ValueError(f"a server is started at least once to be measured, not {starts} times")
    timed: list[float] = []
    for attempt in range(starts):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "qa.cli", "serve", "--host", "127.0.0.1"]
        started = time.perf_counter()
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            timed.append(round(_wait_ready(url, server, started), 2))
        finally:
            if attempt < starts - 1 or len(timed) <= attempt:
                _stop(server)
    try:
        figures = ServerFigures(
            chunks=chunks, cold_start_seconds=statistics.median(timed), cold_starts=timed
        )
        with httpx.Client(base_url=url, timeout=60) as http:
            for query in WARM_UP:  # first calls load lazily; not among the measured ones
                http.post("/api/ask", json={"question": query}).raise_for_status()
            figures.search_ms = _timed(http, "/api/search", "query", queries)
            # Each question once: the answerer caches sentence vectors, so asking again
            # would time the cache, not the pipeline.
            figures.ask_ms = _timed(http, "/api/ask", "question", queries)
            figures.dev_answers = _dev_answers(http, dev)
            figures.add_ms, figures.replace_ms, figures.delete_ms = _timed_writes(http)
        load = run_load(
            url,
            list(queries),
            clients=clients,
            seconds=concurrent_seconds,
            routes=("/api/ask",),
            max_requests=concurrent_requests,
        )
        figures.concurrent = {
            "clients": clients,
            "requests": load.requests,
            "seconds": round(load.seconds, 2),
            "requests_per_second": round(load.requests / load.seconds, 1),
            "p50_ms": round(load.percentile_ms("/api/ask", 50), 1),
            "p95_ms": round(load.percentile_ms("/api/ask", 95), 1),
            "errors": load.requests - load.statuses.get(200, 0),
        }
        figures.peak_rss_mb = _peak_rss_mb(server.pid)
        return figures
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wait_ready(url: str, server: subprocess.Popen[bytes], started: float) -> float:
    deadline = started + 600
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            error = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"the server exited before it was ready:\n{error[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"the server at {url} was not ready within 600 s")


def _timed(http: httpx.Client, route: str, field: str, queries: Sequence[str]) -> dict[str, float]:
    seconds = []
    for query in queries:
        begun = time.perf_counter()
        http.post(route, json={field: query}).raise_for_status()
        seconds.append(time.perf_counter() - begun)
    return percentiles_ms(seconds)


WRITES = 7  # articles added, replaced and deleted at each scale


def _timed_writes(http: httpx.Client) -> tuple[dict[str, float], ...]:
    """Add, replace and delete single articles (ones the corpus does not hold) through
    ``POST`` and ``DELETE /api/documents``; each timed until the server answers, by
    which point the article is searchable, or gone, by vector and by keyword."""
    seconds: dict[str, list[float]] = {"add": [], "replace": [], "delete": []}
    for i in range(WRITES):
        name, text = synthetic_article(WRITE_ARTICLES + i)
        changed = text.replace("\n", "\nA correction was added to this report.\n", 1)
        for action, method, url, body in (
            ("add", "POST", "/api/documents", {"name": name, "text": text}),
            ("replace", "POST", "/api/documents", {"name": name, "text": changed}),
            ("delete", "DELETE", f"/api/documents/{name}", None),
        ):
            begun = time.perf_counter()
            http.request(method, url, json=body).raise_for_status()
            seconds[action].append(time.perf_counter() - begun)
    return tuple(percentiles_ms(seconds[action]) for action in ("add", "replace", "delete"))


def percentiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(1000 * percentile(seconds, 50), 1),
        "p95": round(1000 * percentile(seconds, 95), 1),
        "n": len(seconds),
    }


def _dev_answers(http: httpx.Client, dev: Sequence[EvalQuestion]) -> dict[str, str]:
    answers = {}
    for question in dev:
        body = {
            "question": question.question,
            "history": [{"role": t.role.value, "content": t.content} for t in question.history],
        }
        reply = http.post("/api/ask", json=body)
        reply.raise_for_status()
        answers[question.id] = reply.json()["answer"] if reply.json()["answered"] else ""
    return answers


def _peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
