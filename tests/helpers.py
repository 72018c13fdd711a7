"""What the tests share besides fixtures: paths, servers on loopback, small readers.

Fixtures live in ``conftest.py``; everything a test imports by name lives here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from qa.answer.chat import ChatModel
from qa.answer.generative import GenerativeAnswerer
from qa.eval_run import iter_sse
from qa.ingest.formats import decode_article, to_plain_text
from qa.service import QAService
from qa.text.markers import MARKER
from qa.types import Citation

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def run_qa(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``qa`` command run in a subprocess on the embedded store in ``store``."""
    env = {**os.environ, "QA_STORE_DIR": str(store), "QA_SEEDS_DIR": str(SEEDS), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


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
    command: list[str],
    ready_url: str,
    log: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process (its output in ``log``, never a pipe that could fill up), once
    ``ready_url`` answers 200; stopped afterwards."""
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
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


def article_text(path: Path) -> str:
    """The plain text of an article file, as ingestion reads it."""
    return to_plain_text(decode_article(path.read_bytes()), path.suffix.lower())


def marker_problems(text: str, citations: Sequence[Citation]) -> list[str]:
    """Problems with an answer's markers; empty when every [n] and citation match."""
    markers = {int(n) for group in MARKER.findall(text) for n in group.split(",")}
    numbers = {c.n for c in citations}
    problems = [f"[{n}] has no citation" for n in sorted(markers - numbers)]
    problems += [f"citation {n} is not used" for n in sorted(numbers - markers)]
    return problems


def generative(service: QAService, model: ChatModel) -> GenerativeAnswerer:
    """A generative answerer over the service's evidence, writing with ``model``."""
    return GenerativeAnswerer(model, service.extractive.scorer, service.extractive)


@contextmanager
def page_server(folder: Path) -> Iterator[str]:
    """A real HTTP server on a free loopback port serving the pages in ``folder`` as news
    sites would, plus misbehaving routes: ``/redirect/N`` (N redirects, then a page),
    ``/stall`` (sends headers, then nothing), ``/trickle`` (sends its headers a byte every
    0.2 s), ``/huge`` (3 MB of HTML), ``/bomb`` (a 5 MB page gzipped to a few kB),
    ``/gzipped/NAME`` (a page gzipped), ``/image.png`` (not a page), ``/missing`` (404).
    Yields its base URL; stopped afterwards."""
    import gzip
    import http.server

    class Pages(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                target = f"/redirect/{left - 1}" if left > 1 else "/herald.html"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif path == "/stall":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body><p>Half a page")
                self.wfile.flush()
                time.sleep(30)
            elif path == "/trickle":
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 200
                for byte in head:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            elif path == "/bomb":
                self._send(200, "text/html", gzip.compress(b"<p>" + b" " * 5_000_000), "gzip")
            elif path.startswith("/gzipped/"):
                page = (folder / path.removeprefix("/gzipped/")).read_bytes()
                self._send(200, "text/html", gzip.compress(page), "gzip")
            elif path == "/huge":
                self._send(200, "text/html", b"<p>" + b"word " * 600_000 + b"</p>")
            elif path == "/image.png":
                self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
            elif (folder / path.lstrip("/")).is_file():
                self._send(
                    200, "text/html; charset=utf-8", (folder / path.lstrip("/")).read_bytes()
                )
            else:
                self._send(404, "text/plain", b"not found")

        def _send(
            self, status: int, media_type: str, body: bytes, encoding: str | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Pages)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
