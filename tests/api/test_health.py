"""Health, readiness, metrics, the chat page's files, and errors as JSON."""

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import STATIC, create_app
from api.state import ServiceHolder
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import free_port


@pytest.fixture(scope="module")
def client(seeded_service) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(service=seeded_service)) as test_client:
        yield test_client


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_probes_answer_head_as_monitors_send_it(client: TestClient) -> None:
    for path in ("/healthz", "/readyz"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b""


def test_readyz_reports_the_loaded_index_and_models(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True and body["articles"] == 5 and body["chunks"] > 5
    assert body["embedding_model"] == "all-MiniLM-L6-v2" and body["answerer"] == "extractive"


def test_until_the_service_is_loaded_questions_get_503_and_readyz_false(
    tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(store_dir=tmp_path / "store")
    gate = threading.Event()

    def build() -> QAService:
        gate.wait(60)  # the real service, held back so the test sees the loading state
        return QAService(settings, embed_model)

    app = create_app(settings)
    app.state.holder = ServiceHolder(build=build)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        loading = client.get("/readyz")
        assert loading.status_code == 503 and "loading" in loading.json()["error"]
        asked = client.post("/api/ask", json={"question": "Who?"})
        assert asked.status_code == 503 and asked.headers["retry-after"]
        gate.set()
        assert app.state.holder.wait(60)
        assert client.get("/readyz").status_code == 200


def test_the_log_names_the_store_opened_and_warns_when_it_is_empty(
    tmp_path: Path, embed_model, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # a store named relative to wherever the server was started
    settings = Settings(store_dir=Path("store"))
    app = create_app(settings)
    app.state.holder = ServiceHolder(build=lambda: QAService(settings, embed_model))
    with caplog.at_level("INFO", logger="api.state"), TestClient(app):
        assert app.state.holder.wait(60)
    said = caplog.text
    assert f"service ready: 0 articles in {tmp_path / 'store'}" in said
    assert f"the index in {tmp_path / 'store'} holds no article" in said


def test_a_store_that_cannot_be_opened_keeps_readyz_false_with_the_reason() -> None:
    settings = Settings(chroma_url=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    app = create_app(settings)
    with TestClient(app) as client:
        assert app.state.holder.wait(120)
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["ready"] is False
        assert "failed to load" in response.json()["error"]
        asked = client.post("/api/search", json={"query": "Mosul"})
        assert asked.status_code == 503 and "failed to load" in asked.json()["detail"]


def test_metrics_count_requests_by_route_and_answers_and_abstentions(client: TestClient) -> None:
    client.post("/api/ask", json={"question": "How many PMU fighters were killed?"})
    client.post("/api/ask", json={"question": "Who won the 1998 World Cup?"})
    client.get("/no/such/route/12345")
    text = client.get("/metrics").text
    assert re.search(r'qa_answers_total\{mode="extractive"\} [1-9]', text)
    assert re.search(r'qa_abstentions_total\{mode="extractive"\} [1-9]', text)
    assert re.search(
        r'qa_http_requests_total\{method="POST",route="/api/ask",status="200"\} [2-9]', text
    )
    assert (
        'qa_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/api/ask"}' in text
    )
    assert 'route="<unmatched>",status="404"' in text and "12345" not in text


def test_metrics_give_the_index_size_and_the_process_memory(client: TestClient) -> None:
    text = client.get("/metrics").text
    ready = client.get("/readyz").json()
    assert f"qa_index_articles {float(ready['articles'])}" in text
    assert f"qa_index_chunks {float(ready['chunks'])}" in text
    assert re.search(r"process_resident_memory_bytes [1-9]", text)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/nothing", 404), ("DELETE", "/api/ask", 405), ("GET", "/api/documents/x.txt", 404)],
)
def test_errors_are_json_with_a_message(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in (
        "/api/ask",
        "/api/chat",
        "/api/search",
        "/api/limits",
        "/api/documents",
        "/api/documents/{source}",
        "/v1/chat/completions",
        "/v1/models",
        "/healthz",
        "/readyz",
        "/metrics",
    ):
        assert route in paths


def test_the_api_documentation_loads_its_scripts_from_this_server(client: TestClient) -> None:
    page = "/docs"
    html = client.get(page).text
    assets = re.findall(r"(?:src|href)=[\"']?([^\"' >]+)", html)
    assert any(a.endswith(".js") for a in assets), html
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
        assert client.get(asset).status_code == 200, asset


def test_the_chat_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/chat.js", "/static/chat.css"):
        assert client.get(asset).status_code == 200


def test_the_page_loads_nothing_from_outside_and_never_injects_html() -> None:
    for path in STATIC.iterdir():
        text = path.read_text()
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), path.name
        assert "@import" not in text and "url(http" not in text, path.name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, path.name
        assert "document.write" not in text, path.name


def test_a_corrupt_store_keeps_readyz_false_with_how_to_rebuild(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(b"this is not a database" * 10)
    app = create_app(Settings(store_dir=store))
    with TestClient(app) as client:
        assert app.state.holder.wait(120)
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "qa ingest --rebuild" in ready.json()["error"]
        assert client.post("/api/ask", json={"question": "Who?"}).status_code == 503
