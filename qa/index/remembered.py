"""Sentence vectors for the evidence scorer and the question matcher, remembered across
questions.

In: sentences. Out: one unit vector per sentence: remembered ones first (passages recur
across questions), the others embedded now, in one batch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np


class SentenceEmbeddings:
    """Sentence vectors: remembered ones (passages recur across questions), the others
    embedded now, in one batch."""

    def __init__(
        self,
        embed_batch: Callable[[list[str]], list[list[float]]],
        size: int = 20000,
    ):
        self._embed_batch = embed_batch
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()  # requests are served from a thread pool

    def __call__(self, sentences: Sequence[str]) -> np.ndarray:
        """One row per sentence."""
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
            if missing:
                for sentence, embedded in zip(missing, self._embed_batch(missing), strict=True):
                    self._cache[sentence] = np.asarray(embedded, dtype=np.float32)
            rows = []
            for sentence in sentences:
                self._cache.move_to_end(sentence)
                rows.append(self._cache[sentence])
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
            return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
