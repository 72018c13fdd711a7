"""Shared fixtures: the real embedding model and real Chroma stores on temp dirs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.index.embed import load_embed_model
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import DATA, SEEDS

# Starlette's TestClient names its server "testserver", which a server bound to loopback
# does not answer to by default (api/guards.py), as Django's test runner adds it to
# ALLOWED_HOSTS; servers the tests run on loopback are named so too. A test of the
# default sets the hosts itself.
os.environ.setdefault("QA_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


@pytest.fixture(scope="session")
def embed_model() -> BaseEmbedding:
    return load_embed_model()


@pytest.fixture
def make_service(tmp_path: Path, embed_model: BaseEmbedding) -> Callable[..., QAService]:
    """A service over a fresh store in ``tmp_path`` (or the given folder)."""

    def make(store_dir: Path | None = None, **overrides: object) -> QAService:
        settings = Settings(store_dir=store_dir or tmp_path / "store", **overrides)
        return QAService(settings, embed_model)

    return make


@pytest.fixture(scope="session")
def seeded_service(
    tmp_path_factory: pytest.TempPathFactory, embed_model: BaseEmbedding
) -> QAService:
    settings = Settings(store_dir=tmp_path_factory.mktemp("seeded") / "store")
    service = QAService(settings, embed_model)
    service.ingest([SEEDS], progress=False)
    return service


@pytest.fixture(scope="session")
def floods_service(
    tmp_path_factory: pytest.TempPathFactory, embed_model: BaseEmbedding
) -> QAService:
    """A service over the three flood articles written for the tests (tests/data/floods):
    figures that differ by date and outlet, and several articles on one story."""
    settings = Settings(store_dir=tmp_path_factory.mktemp("floods") / "store")
    service = QAService(settings, embed_model)
    service.ingest([DATA / "floods"], progress=False)
    return service


# Fixtures that bring up the real model or a real store: a test using one is an
# integration test; a module that starts servers or processes says so itself.
_INTEGRATION_FIXTURES = {"embed_model", "make_service", "seeded_service", "floods_service"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("integration") or item.get_closest_marker("unit"):
            continue
        uses = set(getattr(item, "fixturenames", ()))
        marker = pytest.mark.integration if uses & _INTEGRATION_FIXTURES else pytest.mark.unit
        item.add_marker(marker)
