"""The embedding model run by ONNX Runtime: about 2x (fp32) to 4x (int8) faster than torch.

In: a sentence-transformers model folder (BERT-like encoder, mean pooling). Out: an ONNX
file exported from it once into a cache folder (``model.onnx``, and ``model-int8.onnx``
quantised per channel), and a llama-index embedding model that runs it with the model's
own fast tokenizer. Export needs torch and the ``onnx`` package, and never the network;
running needs only onnxruntime and tokenizers, so a server with a cached export starts
without importing torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EXPORT_FILES = {False: "model.onnx", True: "model-int8.onnx"}
_export_lock = threading.Lock()


class EmbeddingExportError(RuntimeError):
    """The model folder cannot be exported to ONNX (not a BERT-like mean-pooling model)."""


def export_dir(model_dir: Path, cache_dir: Path, name: str) -> Path:
    """The cache folder for one model folder's exports; a changed model gets a new one."""
    weights = sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin"))
    stamp = [str(model_dir.resolve())] + [
        f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in weights
    ]
    digest = hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:12]
    return cache_dir / f"{name}-{digest}"


def ensure_onnx(model_dir: Path, cache_dir: Path, name: str, quantized: bool) -> Path:
    """The ONNX file for ``model_dir``, exported (and quantised) on first use.

    Files appear under their final names only when complete (written to a temporary name,
    then renamed), so an interrupted export leaves nothing that looks usable.
    """
    folder = export_dir(model_dir, cache_dir, name)
    target = folder / EXPORT_FILES[quantized]
    if target.is_file():
        return target
    with _export_lock:
        if target.is_file():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        fp32 = folder / EXPORT_FILES[False]
        if not fp32.is_file():
            _atomic_write(fp32, lambda path: _export(model_dir, path))
        if quantized:
            _atomic_write(target, lambda path: _quantize(fp32, path))
    return target


def _atomic_write(target: Path, write: Any) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _export(model_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    pooling = model_dir / "1_Pooling" / "config.json"
    if pooling.is_file() and not json.loads(pooling.read_text()).get("pooling_mode_mean_tokens"):
        raise EmbeddingExportError(f"{model_dir} does not use mean pooling; use the torch backend")
    encoder = AutoModel.from_pretrained(str(model_dir)).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = torch.ones(2, 8, dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing, not problems
        torch.onnx.export(
            LastHiddenState(),
            (example, torch.ones_like(example), torch.zeros_like(example)),
            str(target),
            dynamo=False,
            opset_version=17,
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in (*INPUTS, "last_hidden_state")},
        )


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per channel: per-tensor int8 moves the vectors too far (cosine to fp32 about 0.95).
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process is for image models
    try:
        quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)


def max_sequence_length(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 512))
    return 512


class OnnxEmbedding(BaseEmbedding):
    """Mean-pooled, L2-normalised sentence vectors from an ONNX encoder."""

    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()
    _batch: int = PrivateAttr()

    def __init__(
        self, onnx_file: Path, model_dir: Path, threads: int | None = None, batch_size: int = 32
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        # llama-index hands over up to 2,048 texts at a time; ``embed`` sorts them by length
        # and runs them ``batch_size`` at a time, so batches need little padding.
        super().__init__(model_name=f"{model_dir.name} ({onnx_file.name})", embed_batch_size=2048)
        self._batch = batch_size
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # Its threads would otherwise spin after each call and take the cores from the
        # question matcher, which runs right after: over the bench's questions at 1,507
        # chunks, answer p50 ~147 ms against ~124 ms with them asleep (search and writes
        # unchanged).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_sequence_length(model_dir))
        tokenizer.enable_padding()
        self._tokenizer = tokenizer

    @classmethod
    def class_name(cls) -> str:
        return "OnnxEmbedding"

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` in order. Batches are formed from texts of similar length,
        so little work goes into padding."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts: list[np.ndarray] = []
        for start in range(0, len(order), self._batch):
            batch = [texts[i] for i in order[start : start + self._batch]]
            parts.append(self._embed_batch(batch))
        if not parts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def _get_query_embedding(self, query: str) -> list[float]:
        return list(self.embed([query])[0].tolist())

    def _get_text_embedding(self, text: str) -> list[float]:
        return list(self.embed([text])[0].tolist())

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return list(self.embed(texts).tolist())

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
