"""Document routes: list, read, add or replace (JSON or upload) and delete, with the API key."""

import codecs
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import chromadb.errors
import pytest
from fastapi.testclient import TestClient

import qa.index.store as store_module
from api.app import create_app
from qa.index.chunks import ChunkStore
from qa.service import FETCHES_AT_ONCE
from tests.helpers import DATA, SEEDS, page_server

KEY = "s3cret-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
BRIDGE = """Mosul's old bridge reopens to traffic
By Staff Reporter
March 3, 2019

The Old Bridge over the Tigris in Mosul reopened to traffic on Sunday after eleven months
of repairs.
Engineers replaced 420 metres of deck that had been destroyed during the fighting.
The governor said the crossing would carry 9,000 vehicles a day.
"""


@pytest.fixture
def client(make_service) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    service = make_service(api_key=KEY, max_document_bytes=20_000)
    service.ingest([SEEDS / "000_8ae4ba73e080a6d3.txt"], progress=False)
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def _add(client: TestClient, name: str = "bridge.txt", text: str = BRIDGE, json_extra=None, **kw):  # type: ignore[no-untyped-def]
    body = {"name": name, "text": text, **(json_extra or {})}
    return client.post("/api/documents", json=body, headers=AUTH, **kw)


def test_list_shows_each_article_with_metadata_and_chunk_count(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    assert body["total"] == 1
    doc = body["documents"][0]
    assert doc["id"] == "000_8ae4ba73e080a6d3.txt" and doc["published"] == "2017-05-06"
    assert doc["title"] == "Iraqi forces gain foothold in Mosul after new push"
    assert doc["chunks"] > 1 and doc["characters"] > 1000


def test_the_list_comes_a_page_at_a_time_when_asked(client: TestClient) -> None:
    for name in ("a.txt", "b.txt"):
        _add(client, name)
    page = client.get("/api/documents", params={"limit": 2, "offset": 1}).json()
    assert [d["id"] for d in page["documents"]] == ["a.txt", "b.txt"] and page["total"] == 3
    assert client.get("/api/documents", params={"offset": 3}).json()["documents"] == []
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": "ten"}):
        assert client.get("/api/documents", params=bad).status_code == 422


def test_get_returns_the_cleaned_text(client: TestClient) -> None:
    doc = client.get("/api/documents/000_8ae4ba73e080a6d3.txt").json()
    assert "fewer than 1,000 ISIS militants" in doc["text"]
    assert doc["author"] == "Madeline Patrick" and len(doc["text"]) == doc["characters"]


def test_a_delete_of_a_name_alike_an_indexed_one_names_it(client: TestClient) -> None:
    response = client.delete("/api/documents/000_8AE4BA73E080A6D3.TXT", headers=AUTH)
    assert response.status_code == 404
    assert "did you mean '000_8ae4ba73e080a6d3.txt'?" in response.json()["detail"]


def test_get_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/api/documents/nothing.txt")
    assert response.status_code == 404 and "nothing.txt" in response.json()["detail"]


def test_added_article_is_answered_from_at_once(client: TestClient) -> None:
    response = _add(client)
    assert response.status_code == 201
    assert response.json() == {"id": "bridge.txt", "outcome": "added", "detail": "1 chunks"}
    answer = client.post(
        "/api/ask", json={"question": "How many vehicles a day will the Old Bridge carry?"}
    ).json()
    assert "9,000 vehicles" in answer["answer"] and answer["citations"][0]["source"] == "bridge.txt"
    assert client.get("/api/documents").json()["total"] == 2


def test_adding_the_same_article_again_changes_nothing(client: TestClient) -> None:
    _add(client)
    response = _add(client)
    assert response.status_code == 200 and response.json()["outcome"] == "unchanged"
    assert client.get("/api/documents/bridge.txt").json()["chunks"] == 1


def test_a_changed_article_replaces_the_old_text_everywhere(client: TestClient) -> None:
    _add(client)
    response = _add(client, text=BRIDGE.replace("9,000", "12,500"))
    assert response.status_code == 200 and response.json()["outcome"] == "replaced"
    hits = client.post("/api/search", json={"query": "vehicles a day Old Bridge"}).json()["results"]
    texts = " ".join(h["text"] for h in hits)
    assert "12,500" in texts and "9,000" not in texts


def test_file_upload_is_ingested_like_json(client: TestClient) -> None:
    files = {"file": ("bridge.md", BRIDGE.encode(), "text/markdown")}
    response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 201 and response.json()["id"] == "bridge.md"
    assert "9,000 vehicles" in client.get("/api/documents/bridge.md").json()["text"]


def test_html_upload_keeps_text_only(client: TestClient) -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
        "<h1>Old Bridge reopens</h1><p>The Old Bridge in Mosul reopened on Sunday after "
        "eleven months of repairs by engineers.</p></body></html>"
    )
    assert _add(client, "page.html", html).status_code == 201
    text = client.get("/api/documents/page.html").json()["text"]
    assert "eleven months" in text and "alert" not in text and "color" not in text


def test_delete_removes_the_article_from_every_index(client: TestClient) -> None:
    _add(client)
    response = client.delete("/api/documents/bridge.txt", headers=AUTH)
    assert response.status_code == 200 and response.json() == {
        "id": "bridge.txt",
        "deleted_chunks": 1,
    }
    assert client.get("/api/documents/bridge.txt").status_code == 404
    hits = client.post("/api/search", json={"query": "Old Bridge Tigris vehicles"}).json()[
        "results"
    ]
    assert all(h["source"] != "bridge.txt" for h in hits)
    assert client.delete("/api/documents/bridge.txt", headers=AUTH).status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}])
def test_writes_need_the_api_key(client: TestClient, headers: dict) -> None:
    added = client.post("/api/documents", json={"name": "b.txt", "text": BRIDGE}, headers=headers)
    deleted = client.delete("/api/documents/000_8ae4ba73e080a6d3.txt", headers=headers)
    for response in (added, deleted):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "API key" in response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == 1  # nothing written


def test_without_a_configured_key_writes_are_open(make_service) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(service=make_service())) as client:
        before = client.post("/api/search", json={"query": "bridge"}).json()
        response = client.post("/api/documents", json={"name": "b.txt", "text": BRIDGE})
    assert response.status_code == 201
    # a search of an empty archive says so, as a question does
    assert before["results"] == [] and "qa ingest" in before["notice"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("../escape.txt", 400),
        ("dir/file.txt", 400),
        ("..\\x.txt", 400),
        (".hidden.txt", 400),
        ("report.pdf", 400),
        ("", 422),
    ],
)
def test_bad_file_names_are_refused(client: TestClient, name: str, status: int) -> None:
    response = _add(client, name)
    assert response.status_code == status and response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == 1


def test_a_windows_1252_file_is_decoded_by_the_fallback(client: TestClient) -> None:
    text = (
        BRIDGE.replace("Old Bridge", "“Old Bridge”")
        + "\nThe café on the river bank reopened too.\n"
    )
    files = {"file": ("legacy.txt", text.encode("cp1252"), "text/plain")}
    response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 201, response.json()
    body = client.get("/api/documents/legacy.txt").json()["text"]
    assert "“Old Bridge”" in body and "café" in body


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_its_byte_order_mark_is_read(client: TestClient, encoding: str) -> None:
    # Windows Notepad's "Unicode" is UTF-16 with a byte order mark
    data = ("\ufeff" if encoding == "utf-16-be" else "") + BRIDGE + "The café reopened too.\n"
    files = {"file": ("notepad.txt", data.encode(encoding), "text/plain")}
    response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 201, response.json()
    assert "café" in client.get("/api/documents/notepad.txt").json()["text"]


def test_a_field_the_upload_does_not_take_is_refused(client: TestClient) -> None:
    response = _add(client, json_extra={"title": "A title of my own"})
    assert response.status_code == 422 and "title" in response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == 1


def test_of_deletes_at_once_only_one_removes_the_article(client: TestClient) -> None:
    _add(client)
    with ThreadPoolExecutor(4) as pool:
        deletes = pool.map(
            lambda _: client.delete("/api/documents/bridge.txt", headers=AUTH), range(4)
        )
        statuses = sorted(r.status_code for r in deletes)
    assert statuses == [200, 404, 404, 404]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "café".encode("utf-16-le"),
        codecs.BOM_UTF16_LE + bytes(range(256)) * 4,  # a BOM, then bytes that are no text
    ],
)
def test_binary_upload_is_refused(client: TestClient, data: bytes) -> None:
    files = {"file": ("x.txt", data, "application/octet-stream")}
    response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 400 and "binary" in response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\x01\x02\x03\x04" * 100, "binary"),  # control characters sent as JSON text
        ("\u200b\u200b\u200b\ufeff" * 100, "no article text"),  # nothing that shows
        (BRIDGE * 30 + "\x00" + BRIDGE, "binary"),  # a NUL past the first few kilobytes
    ],
)
def test_text_that_is_not_an_article_is_refused_and_nothing_is_stored(
    client: TestClient, text: str, reason: str
) -> None:
    response = _add(client, name="junk.txt", text=text)
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == 1
    hits = client.post("/api/search", json={"query": "old bridge reopened"}).json()["results"]
    assert all(hit["source"] != "junk.txt" for hit in hits)


def test_an_empty_file_is_refused(client: TestClient) -> None:
    files = {"file": ("empty.txt", b"", "text/plain")}
    response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 400 and "empty" in response.json()["detail"]


@pytest.mark.parametrize("send", ["json", "upload"])
def test_article_over_the_size_limit_is_413(client: TestClient, send: str) -> None:
    text = BRIDGE * 100  # ~25 kB, over the 20 kB limit of this client
    if send == "json":
        response = _add(client, text=text)
    else:
        files = {"file": ("big.txt", text.encode(), "text/plain")}
        response = client.post("/api/documents", files=files, headers=AUTH)
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_an_article_with_no_text_after_cleaning_is_400(client: TestClient) -> None:
    response = _add(client, "empty.html", "<html><script>var x = 1;</script></html>")
    assert response.status_code == 400 and "nothing was indexed" in response.json()["detail"]


def test_other_content_types_are_415(client: TestClient) -> None:
    response = client.post(
        "/api/documents", content=b"text", headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_upload_form_without_a_file_is_400(client: TestClient) -> None:
    response = client.post("/api/documents", data={"name": "x.txt"}, headers=AUTH)
    assert response.status_code == 400 and "file" in response.json()["detail"]


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with page_server(DATA / "pages") as url:
        yield url


@pytest.fixture
def fetching(make_service) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    service = make_service(api_key=KEY, allow_private_urls=True, fetch_timeout=2)
    with TestClient(create_app(service=service)) as test_client:
        yield test_client


def test_a_page_is_added_by_its_url(fetching: TestClient, site: str) -> None:
    added = fetching.post("/api/documents", json={"url": f"{site}/herald.html"}, headers=AUTH)
    assert added.status_code == 201, added.text
    name = added.json()["id"]
    doc = fetching.get(f"/api/documents/{name}").json()
    assert doc["title"] == "Floods cut valley road as river bursts its banks"
    assert doc["publisher"] == "The Northern Herald" and doc["published"] == "2021-03-02"
    assert doc["passages"] and doc["passages"][0].startswith("Heavy rain flooded")
    again = fetching.post("/api/documents", json={"url": f"{site}/herald.html"}, headers=AUTH)
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"


def test_only_a_few_pages_are_fetched_at_once_so_slow_ones_stall_no_route(
    fetching: TestClient, site: str
) -> None:
    # Each fetch holds a worker thread for up to the fetch timeout, and the threads are
    # the whole server's: past a few at once, more are told to come back.
    stalled = {"url": f"{site}/stall"}
    with ThreadPoolExecutor(FETCHES_AT_ONCE) as pool:
        slow = [
            pool.submit(fetching.post, "/api/documents", json=stalled, headers=AUTH)
            for _ in range(FETCHES_AT_ONCE)
        ]
        time.sleep(0.5)  # all of them waiting on the page
        busy = fetching.post("/api/documents", json={"url": f"{site}/herald.html"}, headers=AUTH)
        assert busy.status_code == 503 and busy.headers["retry-after"], busy.text
        assert "being fetched" in busy.json()["detail"]
        assert fetching.get("/api/documents").status_code == 200  # the rest still answer
        assert [f.result().status_code for f in slow] == [502] * FETCHES_AT_ONCE
    again = fetching.post("/api/documents", json={"url": f"{site}/herald.html"}, headers=AUTH)
    assert again.status_code == 201


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/image.png", 415, "not a web page"),
        ("/huge", 413, "byte limit"),
        ("/missing", 502, "404"),
        ("/stall", 502, "no answer in 2 s"),
    ],
)
def test_a_page_that_cannot_be_had_is_refused_with_its_reason(
    fetching: TestClient, site: str, path: str, status: int, words: str
) -> None:
    before = fetching.get("/api/documents").json()["total"]
    response = fetching.post("/api/documents", json={"url": f"{site}{path}"}, headers=AUTH)
    assert response.status_code == status and words in response.json()["detail"]
    assert fetching.get("/api/documents").json()["total"] == before  # nothing half-written


def test_loopback_urls_are_refused_unless_allowed_and_writes_need_the_key(
    client: TestClient, site: str
) -> None:
    url = {"url": f"{site}/herald.html"}
    assert client.post("/api/documents", json=url).status_code == 401
    refused = client.post("/api/documents", json=url, headers=AUTH)
    assert refused.status_code == 400 and "QA_ALLOW_PRIVATE_URLS" in refused.json()["detail"]
    bad = client.post("/api/documents", json={"url": "file:///etc/passwd"}, headers=AUTH)
    assert bad.status_code == 400 and "not an http" in bad.json()["detail"]
    both = client.post("/api/documents", json={**url, "name": "a.txt", "text": "x"}, headers=AUTH)
    assert both.status_code == 422


def test_an_addition_is_507_while_the_disk_of_the_store_is_nearly_full(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More than this disk has free: what a nearly full disk looks like to the check.
    monkeypatch.setattr(store_module, "MIN_FREE_BYTES", 2**62)
    response = _add(client)
    assert (
        response.status_code == 507 and "free on the disk of the store" in response.json()["detail"]
    )
    assert client.get("/api/documents").json()["total"] == 1  # nothing was written


def test_after_a_failed_write_writes_wait_for_a_restart_and_questions_are_answered(
    make_service, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    service = make_service(store, api_key=KEY)
    service.ingest([SEEDS / "000_8ae4ba73e080a6d3.txt"], progress=False)
    real = ChunkStore._write_chunks
    calls = []

    def disk_full(self, chunks):  # type: ignore[no-untyped-def]
        calls.append(len(chunks))
        real(self, chunks[:1])  # a part is written, then the disk is full
        raise chromadb.errors.InternalError("Database error: (code: 13) database or disk is full")

    monkeypatch.setattr(ChunkStore, "_write_chunks", disk_full)
    with TestClient(create_app(service=service)) as client:
        failed = _add(client)
        assert failed.status_code == 507 and "disk is full" in failed.json()["detail"]
        # Chroma's embedded store hung the next write, and the server with it: not tried.
        again = _add(client, "other.txt")
        assert again.status_code == 507 and "restarted" in again.json()["detail"]
        assert (
            client.delete("/api/documents/000_8ae4ba73e080a6d3.txt", headers=AUTH).status_code
            == 507
        )
        assert len(calls) == 1
        asked = client.post(
            "/api/ask", json={"question": "How many ISIS militants were left in Mosul?"}
        )
        assert asked.status_code == 200 and asked.json()["answered"]
    monkeypatch.undo()
    restarted = make_service(store, api_key=KEY)
    assert restarted.add_article("bridge.txt", BRIDGE.encode())[0].value == "added"
