"""The request-limit middlewares, each on a one-route app (no service, no model)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.errors import install_error_handlers
from api.middleware import BodyLimitMiddleware, RateLimitMiddleware
from tests.helpers import free_port, qa_serve, running, serving


def _echo_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    for path in ("/api/echo", "/api/documents", "/v1/echo", "/healthz"):
        app.add_api_route(path, echo, methods=["POST"])
    app.add_api_route("/v1/models", echo, methods=["GET"])
    return app


@pytest.fixture
def limited() -> FastAPI:
    app = _echo_app()
    app.add_middleware(BodyLimitMiddleware, limit=100, path_limits={"/api/documents/": 1000})
    return app


def test_a_body_within_the_limit_passes(limited: FastAPI) -> None:
    with TestClient(limited) as client:
        assert client.post("/api/echo", content=b"x" * 100).json() == {"received": 100}


def test_a_declared_oversized_body_is_413_before_it_is_read(limited: FastAPI) -> None:
    with TestClient(limited) as client:
        response = client.post("/api/echo", content=b"x" * 101)
        openai = client.post("/v1/echo", content=b"x" * 101)
    assert response.status_code == 413 and "100-byte limit" in response.json()["detail"]
    # the same shape as a body refused as it arrives: OpenAI's under /v1/
    assert openai.status_code == 413 and "100-byte limit" in openai.json()["error"]["message"]


@pytest.mark.integration  # a real server: TestClient would send the body whole
def test_an_oversized_chunked_body_is_413_as_it_arrives(limited: FastAPI) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 10

    with serving(limited) as url:
        response = httpx.post(f"{url}/api/echo", content=body())
    assert response.status_code == 413 and "100-byte limit" in response.json()["detail"]


def test_a_path_with_its_own_limit_uses_it(limited: FastAPI) -> None:
    with TestClient(limited) as client:
        assert client.post("/api/documents", content=b"x" * 900).status_code == 200
        response = client.post("/api/documents/", content=b"x" * 1001)
    assert response.status_code == 413 and "1,000-byte limit" in response.json()["detail"]


def test_a_client_over_the_rate_limit_gets_429_with_retry_after() -> None:
    app = _echo_app()
    app.add_middleware(RateLimitMiddleware, limit="3/minute")
    with TestClient(app) as client:
        statuses = [client.post("/api/echo").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.post("/api/echo")
        assert int(limited.headers["retry-after"]) >= 1
        assert "3 per 1 minute" in limited.json()["detail"]
        assert client.post("/healthz").status_code == 200  # only /api/ and /v1/ are limited
        openai = client.post("/v1/echo")
        assert openai.status_code == 429 and openai.json()["error"]["type"] == "rate_limit_error"
        # the model list chat front ends poll spends none of it
        assert {client.get("/v1/models").status_code for _ in range(5)} == {200}


def test_ipv6_clients_are_counted_by_their_64_network() -> None:
    app = _echo_app()
    app.add_middleware(RateLimitMiddleware, limit="2/minute")

    def status_from(address: str) -> int:
        with TestClient(app, client=(address, 50000)) as client:
            return client.post("/api/echo").status_code

    # One host may take any address of its /64: a new one is not a new client.
    same_network = [status_from(f"2001:db8:1:2::{n:x}") for n in range(1, 4)]
    assert same_network == [200, 200, 429]
    assert status_from("2001:db8:1:3::1") == 200  # the next network is another client
    assert [status_from("::ffff:192.0.2.7") for _ in range(2)] == [200, 200]
    assert status_from("192.0.2.7") == 429  # the same IPv4 client, written two ways


@pytest.mark.integration
@pytest.mark.parametrize(("proxies", "limited"), [(None, True), ("127.0.0.1", False)])
def test_a_client_cannot_pose_as_others_unless_it_is_a_trusted_proxy(
    tmp_path: Path, proxies: str | None, limited: bool
) -> None:
    port = free_port()
    env = {"QA_STORE_DIR": str(tmp_path / "store"), "QA_RATE_LIMIT": "2/minute"}
    if proxies:
        env["QA_FORWARDED_ALLOW_IPS"] = proxies
    url = f"http://127.0.0.1:{port}"
    command, environ = qa_serve(port, **env)
    with running(command, f"{url}/readyz", tmp_path / "log", environ):
        statuses = [
            httpx.get(f"{url}/api/documents", headers={"X-Forwarded-For": f"203.0.113.{n}"})
            for n in range(3)
        ]
    # Behind no trusted proxy the address that connects is the client, whatever it says.
    assert [r.status_code for r in statuses][-1] == (429 if limited else 200)
