"""Static word vectors read from the embedding model's own input embedding table.

In: the sentence-transformers model folder (its ``tokenizer.json`` and the
``word_embeddings`` matrix in ``model.safetensors``). Out: a unit vector per word, the
mean of its word pieces' input embeddings, so that "soldiers" and "troops" are close
and "soldiers" and "bridge" are not. A lookup, not a model run: it costs microseconds,
so the answerers can compare every question word with every word of the retrieved
sentences on each question. Models whose folder holds no such table give none, and
the answerers fall back to exact term matches.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from breame.spelling import get_american_spelling

EMBEDDING_TABLE_SUFFIX = "embeddings.word_embeddings.weight"


class StaticWordVectors:
    def __init__(self, table: np.ndarray, tokenizer_file: Path) -> None:
        from tokenizers import Tokenizer

        self._table = table
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._lock = threading.Lock()  # the tokenizer is shared by the server's threads
        self.vector = lru_cache(maxsize=200_000)(self._vector)

    @classmethod
    def load(cls, model_dir: Path) -> StaticWordVectors | None:
        """The model's word vectors, or None if its folder has no embedding table."""
        weights, tokenizer = model_dir / "model.safetensors", model_dir / "tokenizer.json"
        if not weights.is_file() or not tokenizer.is_file():
            return None
        from safetensors import safe_open

        with safe_open(str(weights), framework="numpy") as tensors:
            names = list(tensors.keys())
            name = next((k for k in names if k.endswith(EMBEDDING_TABLE_SUFFIX)), None)
            if name is None:
                return None
            table = np.asarray(tensors.get_tensor(name), dtype=np.float32)
        return cls(table, tokenizer)

    def _vector(self, word: str) -> np.ndarray:
        # A British spelling is read as its American one: the model's vocabulary holds
        # "neighborhoods" as one piece and "neighbourhoods" as several, whose mean lies
        # nearer "neighbour" than "districts".
        word = get_american_spelling(word)
        with self._lock:
            ids = self._tokenizer.encode(word, add_special_tokens=False).ids
        if not ids:
            return np.zeros(self._table.shape[1], dtype=np.float32)
        vector = self._table[ids].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def matrix(self, words: list[str]) -> np.ndarray:
        """One unit row per word."""
        if not words:
            return np.zeros((0, self._table.shape[1]), dtype=np.float32)
        return np.vstack([self.vector(word) for word in words])
