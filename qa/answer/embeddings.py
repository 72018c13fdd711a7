"""Sentence vectors for the evidence scorer, remembered across questions.

In: sentences (and the article of each). Out: one unit vector per sentence: remembered
ones first (passages recur across questions), then those the store kept at ingestion,
then embedded now, in one batch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np


class SentenceEmbeddings:
    """Sentence vectors: remembered ones (passages recur across questions), then those the
    store kept at ingestion, then embedded now, in one batch."""

    def __init__(
        self,
        embed_batch: Callable[[list[str]], list[list[float]]],
        stored: StoredVectors | None = None,
        size: int = 20000,
    ):
        self._embed_batch = embed_batch
        self._stored = stored
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()  # requests are served from a thread pool

    def __call__(
        self, sentences: Sequence[str], sources: Sequence[str] | None = None
    ) -> np.ndarray:
        """One row per sentence; ``sources`` (the article of each) lets kept vectors be read."""
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
            if missing and self._stored is not None and sources is not None:
                of = dict(zip(sentences, sources, strict=True))
                kept = self._stored([(of[s], s) for s in missing])
                for (_, sentence), vector in kept.items():
                    self._cache[sentence] = vector
                missing = [s for s in missing if s not in self._cache]
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


# (source, sentence) pairs → the vectors the store kept for them
StoredVectors = Callable[[Sequence[tuple[str, str]]], dict[tuple[str, str], np.ndarray]]
