"""A real Chroma server (``chroma run``) on loopback: the service against it, and two
replicas sharing it that see each other's writes in both dense and BM25 search."""

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.state import ServiceHolder
from qa.index.store import StoreUnreachable, open_client
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import ROOT, SEEDS, free_port, parse_sse, qa_serve, running

pytestmark = pytest.mark.integration

BRIDGE = """Old Bridge reopens in Mosul
March 3, 2019

The Old Bridge over the Tigris in Mosul reopened to traffic on Sunday after eleven months
of repairs by the engineers of the Hadba company.
"""


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(ROOT / ".venv" / "bin" / "chroma")
    folder, port = tmp_path_factory.mktemp("chroma-server"), free_port()
    command = [
        chroma,
        "run",
        "--path",
        str(folder / "data"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/api/v2/heartbeat", folder / "server.log"):
        yield url


def _replica(url: str, folder: Path, collection: str, embed_model) -> QAService:  # type: ignore[no-untyped-def]
    # Each replica has its own local folder (for its BM25 files); the chunks are on the server.
    settings = Settings(
        chroma_url=url, store_dir=folder, collection=collection, keyword_sync_seconds=0
    )
    return QAService(settings, embed_model)


def test_ingest_ask_and_delete_against_a_chroma_server(
    chroma_url: str, tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    service = _replica(chroma_url, tmp_path / "a", "single", embed_model)
    report = service.ingest([SEEDS], progress=False)
    assert len(report.outcomes) == 5 and service.status().chunks > 30
    answer = service.ask("How many ISIS militants were left in Mosul according to Colonel Dorrian?")
    assert answer.answered and "fewer than 1,000" in answer.text
    assert answer.citations[0].passage.source == "000_8ae4ba73e080a6d3.txt"
    assert service.delete("000_8ae4ba73e080a6d3.txt") > 0
    after = service.ask("How many ISIS militants were left in Mosul according to Colonel Dorrian?")
    assert all(c.passage.source != "000_8ae4ba73e080a6d3.txt" for c in after.citations)
    assert [a.source for a in service.articles()] == sorted(p.name for p in SEEDS.glob("*.txt"))[1:]


def test_replicas_see_each_others_ingests_and_deletes(
    chroma_url: str, tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    first = _replica(chroma_url, tmp_path / "first", "shared", embed_model)
    second = _replica(chroma_url, tmp_path / "second", "shared", embed_model)  # before any write
    first.ingest([SEEDS], progress=False)
    first.add_article("bridge.txt", BRIDGE.encode())

    hits = second.search("Hadba company engineers Tigris", top_k=3)
    assert hits.passages[0].source == "bridge.txt"
    assert second.corpus.keyword_search("Hadba", 3), "the second replica's BM25 is stale"
    answer = second.ask("Who repaired the Old Bridge in Mosul?")
    assert "Hadba" in answer.text

    first.delete("bridge.txt")
    assert all(p.source != "bridge.txt" for p in second.search("Hadba Tigris bridge").passages)
    assert not second.corpus.keyword_search("Hadba", 3)


def _in_step(replica: QAService) -> bool:
    """The replica's keyword index holds exactly the chunks committed in Chroma now."""
    replica.corpus.store.reload()
    return replica.corpus.keyword.chunk_ids() == set(replica.corpus.store.committed_ids())


def test_a_replica_that_syncs_while_another_writes_catches_up_when_the_write_ends(
    chroma_url: str, tmp_path: Path, embed_model, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    writer = _replica(chroma_url, tmp_path / "writer", "mid-write", embed_model)
    reader = _replica(chroma_url, tmp_path / "reader", "mid-write", embed_model)
    writer.ingest([SEEDS], progress=False)
    reader.corpus.sync(max_age=0)
    # The reader syncs after the writer has logged the article but before its chunks
    # and record are written: it finds nothing to read yet.
    store = writer.corpus.store
    write_chunks = store._write_chunks

    def reader_syncs_first(chunks):  # type: ignore[no-untyped-def]
        reader.corpus.sync(max_age=0)
        write_chunks(chunks)

    monkeypatch.setattr(store, "_write_chunks", reader_syncs_first)
    writer.add_article("bridge.txt", BRIDGE.encode())
    reader.corpus.sync(max_age=0)
    assert reader.corpus.keyword_search("Hadba", 3), "the write in progress was taken as done"
    assert _in_step(reader)


def test_a_writer_also_takes_in_what_another_replica_replaced_meanwhile(
    chroma_url: str, tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    first = _replica(chroma_url, tmp_path / "first", "replaced", embed_model)
    second = _replica(chroma_url, tmp_path / "second", "replaced", embed_model)
    first.ingest([SEEDS], progress=False)
    first.add_article("bridge.txt", BRIDGE.encode())
    second.corpus.sync(max_age=0)
    # The second replica replaces the article; the first writes another one before its
    # next sync: its keyword index must hold the new version, and its next sync the
    # dense side's view of it.
    second.add_article("bridge.txt", BRIDGE.replace("Hadba", "Nineveh Works").encode())
    first.add_article("note.txt", b"A note\n\nThe Nabi Yunus shrine is being rebuilt.")
    assert first.corpus.keyword_search("Nineveh", 3) and not first.corpus.keyword_search("Hadba", 3)
    first.corpus.sync(max_age=0)
    hits = first.search("Who repaired the Old Bridge over the Tigris?", top_k=3).passages
    assert any("Nineveh Works" in p.text for p in hits)
    assert _in_step(first)


@pytest.fixture
def two_api_servers(chroma_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two `qa serve` processes on free loopback ports, sharing the Chroma server."""
    with ExitStack() as stack:
        urls = []
        for name in ("one", "two"):
            port = free_port()
            command, env = qa_serve(
                port,
                QA_CHROMA_URL=chroma_url,
                QA_STORE_DIR=str(tmp_path / name),
                QA_COLLECTION="processes",
            )
            url = f"http://127.0.0.1:{port}"
            stack.enter_context(running(command, f"{url}/readyz", tmp_path / f"{name}.log", env))
            urls.append(url)
        yield urls


def test_api_processes_see_each_others_writes(two_api_servers: list[str]) -> None:
    one, two = two_api_servers
    for seed in sorted(SEEDS.glob("*.txt")):
        body = {"name": seed.name, "text": seed.read_text()}
        assert httpx.post(f"{one}/api/documents", json=body, timeout=60).status_code == 201
    assert httpx.get(f"{two}/api/documents").json()["total"] == 5
    # A process checks the store at most once a second, so a search right after the
    # seeds' upload may come before the second has read them: wait until it has.
    begun = time.monotonic()
    while _synced(two) < 5:
        assert time.monotonic() - begun < 2, "the seeds were not seen by the other within 2 s"
        _search(two, "Mosul")  # a search makes the process check the store
        time.sleep(0.05)
    synced = _synced(two)

    added = httpx.post(f"{one}/api/documents", json={"name": "bridge.txt", "text": BRIDGE})
    assert added.status_code == 201
    begun = time.monotonic()
    while not (hits := _search(two, "Hadba")):
        assert time.monotonic() - begun < 2, "the write was not seen by the other within 2 s"
        time.sleep(0.05)
    assert hits[0]["source"] == "bridge.txt"
    # The other process read that one article into its keyword index, not the corpus.
    assert httpx.get(f"{two}/readyz").json()["articles_synced"] == synced + 1
    assert httpx.get(f"{two}/api/documents/bridge.txt").status_code == 200

    assert httpx.delete(f"{one}/api/documents/bridge.txt").status_code == 200
    begun = time.monotonic()
    while _search(two, "Hadba") or _synced(two) < synced + 2:
        assert time.monotonic() - begun < 2, "the delete was not seen by the other within 2 s"
        time.sleep(0.05)
    assert _synced(two) == synced + 2  # again one article


def _synced(url: str) -> int:
    return int(httpx.get(f"{url}/readyz").json()["articles_synced"])


def _search(url: str, query: str) -> list[dict]:  # type: ignore[type-arg]
    response = httpx.post(f"{url}/api/search", json={"query": query, "top_k": 3}, timeout=30)
    return [h for h in response.json()["results"] if query in h["text"]]


def _chroma_command(folder: Path, port: int) -> list[str]:
    chroma = shutil.which("chroma") or str(ROOT / ".venv" / "bin" / "chroma")
    return [chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]


def _until_ready(client: TestClient, seconds: float) -> httpx.Response:
    begun = time.monotonic()
    while (ready := client.get("/readyz")).status_code != 200:
        assert time.monotonic() - begun < seconds, ready.json()
        time.sleep(0.5)
    return ready


def test_the_api_follows_its_chroma_server_coming_going_and_losing_the_index(
    tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(chroma_url=url, store_dir=tmp_path / "local", keyword_sync_seconds=0)
    app = create_app(settings)
    app.state.holder = ServiceHolder(build=lambda: QAService(settings, embed_model))
    with TestClient(app) as client:
        # Started before its Chroma server: it says so, and serves once the server answers.
        assert app.state.holder.wait(60)
        waiting = client.post("/api/search", json={"query": "Mosul"})
        assert waiting.status_code == 503 and "trying again" in waiting.json()["detail"]
        assert waiting.headers["retry-after"]
        chroma = (_chroma_command(tmp_path / "data", port), f"{url}/api/v2/heartbeat")
        with running(*chroma, tmp_path / "chroma.log"):
            _until_ready(client, 60)
            posted = client.post("/api/documents", json={"name": "bridge.txt", "text": BRIDGE})
            assert posted.status_code == 201
        # The server gone: a 503 that says so, on every route, and in a stream.
        for method, path, body in [
            ("POST", "/api/search", {"query": "Hadba"}),
            ("POST", "/api/ask", {"question": "Who repaired the Old Bridge?"}),
            ("GET", "/api/documents", None),
            ("POST", "/v1/chat/completions", {"model": "mosul-qa", "messages": [
                {"role": "user", "content": "Who repaired the Old Bridge?"}]}),
        ]:  # fmt: skip
            gone = client.request(method, path, json=body)
            assert gone.status_code == 503 and gone.headers["retry-after"], (path, gone.text)
            assert "does not answer" in gone.text, path
        chat = client.post("/api/chat", json={"question": "Who repaired the Old Bridge?"})
        errors = [json.loads(data) for name, data in parse_sse(chat.text) if name == "error"]
        assert errors and errors[0]["detail"].startswith("the vector store does not answer")
        # Back with its data: served again, with nothing lost.
        with running(*chroma, tmp_path / "chroma.log"):
            hits = client.post("/api/search", json={"query": "Hadba", "top_k": 1}).json()
            assert hits["results"][0]["source"] == "bridge.txt"
        # Back with none (reset, or another folder): the API cannot find its index again
        # by itself, and says what to do.
        chroma = (_chroma_command(tmp_path / "empty", port), chroma[1])
        with running(*chroma, tmp_path / "chroma.log"):
            lost = client.post("/api/search", json={"query": "Hadba"})
            assert lost.status_code == 503 and "restart the service" in lost.json()["detail"]
            assert "restart the service" in client.get("/readyz").json()["error"]


@pytest.mark.parametrize(
    "url", ["db-host:8000", "ftp://db-host:8000", "http://", "http://proxy.example/chroma"]
)
def test_a_chroma_url_the_client_cannot_follow_is_refused(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="QA_CHROMA_URL must be http"):
        open_client(url, tmp_path)


def test_a_chroma_url_s_password_is_not_told(tmp_path: Path) -> None:
    # The message reaches /readyz and every route's 503, which anyone may read.
    url = f"http://admin:hunter2@127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnreachable) as caught:
        open_client(url, tmp_path)
    assert "hunter2" not in str(caught.value) and "127.0.0.1" in str(caught.value)
