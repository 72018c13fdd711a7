"""A bounded load test: 64 concurrent clients on /api/ask and /api/search against a real
server process on loopback get no 5xx and no dropped connection."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa.evaluate import load_questions
from qa.load import run_load
from tests.conftest import DATA, SEEDS, free_port

CLIENTS = 64
SECONDS = 15  # `qa load` runs 30 s by default; the suite keeps to half that


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("load")
    port = free_port()
    env = {**os.environ, "QA_STORE_DIR": str(folder / "store")}
    command = [sys.executable, "-m", "qa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (folder / "server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the server did not get ready"
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        for seed in sorted(SEEDS.glob("*.txt")):
            body = {"name": seed.name, "text": seed.read_text()}
            assert httpx.post(f"{url}/api/documents", json=body, timeout=60).status_code == 201
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_64_concurrent_clients_get_no_5xx_and_no_dropped_connection(
    server: str, tmp_path: Path
) -> None:
    questions = [q.question for q in load_questions(DATA / "heldout.jsonl")]
    report = run_load(server, questions, clients=CLIENTS, seconds=SECONDS)
    (tmp_path / "load.json").write_text(json.dumps(dict(report.rows()), indent=2))
    print("\n".join(f"{k}: {v}" for k, v in report.rows()))
    assert report.server_errors == 0 and report.dropped == 0, report.rows()
    assert set(report.statuses) == {200}, report.statuses
    assert report.requests >= CLIENTS  # every client got answers
    for route in ("/api/ask", "/api/search"):
        assert report.latencies[route], route
