"""The embedding backends: torch, and the ONNX exports made from the same packaged model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import chromadb
import numpy as np
import pytest

from qa.answer.soft_match import COUNTED_SIMILARITY
from qa.index.embed import embed_model_name, embed_model_path, load_embed_model
from qa.index.onnx_embed import EXPORT_FILES, ensure_onnx, export_dir
from qa.index.store import IndexMismatchError
from qa.index.word_vectors import StaticWordVectors
from qa.ingest.chunk import chunk_article
from qa.ingest.formats import decode_article, to_plain_text
from qa.ingest.parse import parse_article
from qa.service import QAService
from qa.settings import EmbedBackend, Settings
from tests.helpers import SEEDS

pytestmark = pytest.mark.integration


def _seed_chunks() -> list[str]:
    texts = []
    for path in sorted(SEEDS.iterdir()):
        raw = to_plain_text(decode_article(path.read_bytes()), path.suffix.lower())
        texts += [chunk.text for chunk in chunk_article(parse_article(path.name, raw))]
    return texts


@pytest.fixture(scope="module")
def vectors() -> dict[EmbedBackend, np.ndarray]:
    texts = [*_seed_chunks(), "When did the offensive begin?", "Mosul"]
    return {
        backend: np.array(load_embed_model(backend=backend).get_text_embedding_batch(texts))
        for backend in EmbedBackend
    }


def test_onnx_gives_the_torch_vectors(vectors: dict[EmbedBackend, np.ndarray]) -> None:
    torch, onnx = vectors[EmbedBackend.TORCH], vectors[EmbedBackend.ONNX]
    assert onnx.shape == torch.shape == (len(torch), 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (onnx * torch).sum(axis=1).min() > 0.99999


def test_int8_stays_close_to_torch(vectors: dict[EmbedBackend, np.ndarray]) -> None:
    torch, int8 = vectors[EmbedBackend.TORCH], vectors[EmbedBackend.ONNX_INT8]
    cosine = (int8 * torch).sum(axis=1)
    assert cosine.mean() > 0.99 and cosine.min() > 0.97
    assert not np.allclose(int8, torch, atol=1e-4)  # it really is the quantised model


def test_order_and_batching_do_not_change_vectors() -> None:
    model = load_embed_model(backend=EmbedBackend.ONNX, batch_size=3)
    texts = [*_seed_chunks()[:7], "short", ""]
    together = np.array(model.get_text_embedding_batch(texts))
    alone = np.array([model.get_text_embedding(text) for text in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_export_is_made_once_and_only_complete_files_are_kept(tmp_path: Path) -> None:
    model_dir, name = embed_model_path(None), embed_model_name(None)
    int8 = ensure_onnx(model_dir, tmp_path, name, quantized=True)
    folder = export_dir(model_dir, tmp_path, name)
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXPORT_FILES.values())
    made = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert ensure_onnx(model_dir, tmp_path, name, quantized=True) == int8
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == made

    # An export that fails half-way leaves no file under a final name, and no temp file.
    broken = tmp_path / "not-a-model"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "bert", "hidden_size": "x"}')
    with pytest.raises(Exception):  # noqa: B017 - whatever transformers raises
        ensure_onnx(broken, tmp_path, "broken", quantized=False)
    assert list(export_dir(broken, tmp_path, "broken").iterdir()) == []


def test_an_index_refuses_another_backend(tmp_path: Path) -> None:
    store = tmp_path / "store"
    int8 = Settings(store_dir=store, embed_backend=EmbedBackend.ONNX_INT8)
    QAService(int8)
    with pytest.raises(IndexMismatchError, match="QA_EMBED_BACKEND=onnx-int8"):
        QAService(Settings(store_dir=store, embed_backend=EmbedBackend.ONNX))
    QAService(int8)  # the one that built it still opens


def test_a_store_from_before_backends_counts_as_torch(tmp_path: Path) -> None:
    store = tmp_path / "store"
    client = chromadb.PersistentClient(path=str(store))
    client.create_collection(
        "articles", metadata={"hnsw:space": "cosine", "embed_model": "all-MiniLM-L6-v2"}
    )
    del client
    with pytest.raises(IndexMismatchError, match="QA_EMBED_BACKEND=torch"):
        QAService(Settings(store_dir=store, embed_backend=EmbedBackend.ONNX))


def test_the_onnx_backend_does_not_load_torch() -> None:
    load_embed_model(backend=EmbedBackend.ONNX)  # export cached
    script = (
        "import sys\n"
        "from qa.index.embed import load_embed_model\n"
        "load_embed_model().get_query_embedding('Mosul')\n"
        "print('torch' in sys.modules)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"


def test_a_british_spelling_has_the_word_vector_of_its_american_one() -> None:
    vectors = StaticWordVectors.load(embed_model_path(None))
    assert vectors is not None
    assert np.allclose(vectors.vector("neighbourhoods"), vectors.vector("neighborhoods"))
    # ... so a count of neighbourhoods is near enough a count of "districts" to answer it.
    assert float(vectors.vector("districts") @ vectors.vector("neighbourhoods")) >= (
        COUNTED_SIMILARITY
    )
