"""Shared fixtures: the real embedding model and a real Chroma store on a temp dir."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from qa.evaluate import iter_sse
from qa.index.corpus import ChunkIndex
from qa.index.embed import load_embed_model
from qa.service import QAService
from qa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def embed_model():  # type: ignore[no-untyped-def]
    return load_embed_model(Settings())


@pytest.fixture
def make_service(tmp_path: Path, embed_model):  # type: ignore[no-untyped-def]
    """A service over a fresh store in ``tmp_path`` (or the given folder)."""

    def make(store_dir: Path | None = None, **overrides: object) -> QAService:
        settings = Settings(store_dir=store_dir or tmp_path / "store", **overrides)
        return QAService(settings, index=ChunkIndex(settings, embed_model=embed_model))

    return make


@pytest.fixture(scope="session")
def seeded_service(tmp_path_factory: pytest.TempPathFactory, embed_model) -> QAService:  # type: ignore[no-untyped-def]
    settings = Settings(store_dir=tmp_path_factory.mktemp("seeded") / "store")
    service = QAService(settings, index=ChunkIndex(settings, embed_model=embed_model))
    service.ingest([SEEDS], progress=False)
    return service


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under a real uvicorn on a free loopback port; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not thread.is_alive(), "server did not stop"


def parse_sse(body: str) -> list[tuple[str, str]]:
    """(event name, data) of each event in an SSE body."""
    return list(iter_sse(body.replace("\r\n", "\n").split("\n")))


@contextmanager
def running(
    command: list[str], ready_url: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process (its output in ``log``, never a pipe that could fill up), once
    ``ready_url`` answers 200; stopped afterwards."""
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, f"{command[:3]} did not get ready"
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def qa_serve(port: int, **env: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a `qa serve` process on loopback."""
    command = [sys.executable, "-m", "qa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return command, {**os.environ, **env}
