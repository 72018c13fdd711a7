"""Shared fixtures: the real embedding model and a real Chroma store on a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest

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
