"""The vectors of every indexed sentence, kept in Chroma beside the chunks.

In: an article's sentences and their vectors (embedded at ingestion, with the chunks).
Out: the vectors of given sentences of given articles, read back instead of computed
again: the answerers compare the question with each sentence of the retrieved passages,
and embedding twenty sentences on a CPU takes longer than the whole search. Keyed by
article and sentence, so an article's vectors go when it is deleted or replaced. A
sentence missing here (a store written before sentence vectors were kept) is embedded
when asked for, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from qa.index.store import open_collection


def sentence_id(source: str, sentence: str) -> str:
    return hashlib.sha256(f"{source}\x1f{sentence}".encode()).hexdigest()[:32]


class SentenceVectors:
    def __init__(self, client: Any, chunks_collection: str, model_name: str, backend: str) -> None:
        self.collection = open_collection(
            client, f"{chunks_collection}-sentences", model_name, backend
        )

    def put(self, articles: Sequence[tuple[str, Sequence[str], np.ndarray]]) -> None:
        """Keep the vectors of these articles' sentences, (source, sentences, vectors)
        each, in place of any they had."""
        self.delete([source for source, _, _ in articles])
        rows: dict[str, tuple[str, np.ndarray]] = {}
        for source, sentences, vectors in articles:
            for sentence, vector in zip(sentences, vectors, strict=True):
                rows[sentence_id(source, sentence)] = (source, vector)
        if rows:
            self.collection.add(
                ids=list(rows),
                embeddings=[[float(x) for x in vector] for _, vector in rows.values()],
                metadatas=[{"source": source} for source, _ in rows.values()],
            )

    def delete(self, sources: Sequence[str]) -> None:
        if sources:
            self.collection.delete(where={"source": {"$in": list(sources)}})

    def get(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        """The stored vectors of (source, sentence) pairs; those not stored are left out."""
        if not keys:
            return {}
        by_id = {sentence_id(source, sentence): (source, sentence) for source, sentence in keys}
        found = self.collection.get(ids=list(by_id), include=["embeddings"])
        return {
            by_id[i]: np.asarray(v, dtype=np.float32)
            for i, v in zip(found["ids"], found["embeddings"], strict=True)
        }
