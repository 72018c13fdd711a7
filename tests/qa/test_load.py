"""A bounded load test: 64 concurrent clients on /api/ask and /api/search against a real
server process on loopback get no 5xx and no dropped connection."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa.evaluate import load_questions
from qa.load import run_load
from tests.helpers import DATA, SEEDS, free_port, qa_serve, running

pytestmark = pytest.mark.integration

CLIENTS = 64
SECONDS = 15  # `qa load` runs 30 s by default; the suite keeps to half that


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder, port = tmp_path_factory.mktemp("load"), free_port()
    command, env = qa_serve(port, QA_STORE_DIR=str(folder / "store"))
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/readyz", folder / "server.log", env):
        for seed in sorted(SEEDS.glob("*.txt")):
            body = {"name": seed.name, "text": seed.read_text()}
            assert httpx.post(f"{url}/api/documents", json=body, timeout=60).status_code == 201
        yield url


def test_64_concurrent_clients_get_no_5xx_and_no_dropped_connection(
    server: str, tmp_path: Path
) -> None:
    questions = [q.question for q in load_questions(DATA / "team.jsonl")]
    report = run_load(server, questions, clients=CLIENTS, seconds=SECONDS)
    (tmp_path / "load.json").write_text(json.dumps(dict(report.rows()), indent=2))
    print("\n".join(f"{k}: {v}" for k, v in report.rows()))
    assert report.server_errors == 0 and report.dropped == 0, report.rows()
    assert set(report.statuses) == {200}, report.statuses
    assert report.requests >= CLIENTS  # every client got answers
    for route in ("/api/ask", "/api/search"):
        assert report.latencies[route], route


def test_a_server_that_is_down_is_named_instead_of_measured() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(ValueError, match=f"no server answers at http://127.0.0.1:{port}"):
        run_load(f"http://127.0.0.1:{port}", ["Who retook Mosul?"], clients=2, seconds=1)
