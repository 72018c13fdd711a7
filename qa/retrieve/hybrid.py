"""Hybrid retrieval: dense (Chroma) and BM25 hits fused by reciprocal rank fusion.

In: a query, and filters on the articles it may draw on (applied inside both searches,
so the top passages are all of matching articles). Out: a ``Retrieval`` holding the top
passages with their fused scores and the query's embedding (reused by the answerer, not
computed twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.index.corpus import Corpus
from qa.retrieve.fusion import fuse_rankings
from qa.types import Filters, Passage, Query, Retrieval


class HybridRetriever:
    def __init__(
        self, corpus: Corpus, embedder: BaseEmbedding, candidates: int = 20, rrf_k: int = 60
    ) -> None:
        self.corpus = corpus
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    def retrieve(self, query: Query, top_k: int, filters: Filters | None = None) -> Retrieval:
        """The ``top_k`` passages for ``query``, of articles that pass ``filters`` only."""
        filters = filters or Filters()
        embedding = self.embedder.get_query_embedding(query.text)
        dense = self.corpus.dense_search(embedding, self.candidates, filters)
        keyword = self.corpus.keyword_search(query.text, self.candidates, filters)
        fused = fuse_rankings(
            [[chunk_id for chunk_id, _ in dense], [chunk_id for chunk_id, _ in keyword]],
            k=self.rrf_k,
        )[:top_k]
        found = self.corpus.passages([chunk_id for chunk_id, _ in fused])
        passages = [
            Passage(**{**found[chunk_id].__dict__, "score": score})
            for chunk_id, score in fused
            if chunk_id in found
        ]
        # Passages only keyword search found get their similarity from their stored vectors.
        return Retrieval(
            query,
            embedding,
            passages,
            dense=self._similarity(embedding, passages, dict(dense)),
            filters=filters,
        )

    def interleave(self, retrieval: Retrieval, others: Sequence[Retrieval]) -> Retrieval:
        """``retrieval`` with the passages of ``others`` (found for the parts of its
        question, or in the articles it names) taken in turns with its own, best first,
        each measured against its query."""
        found = [*others, retrieval]
        passages: dict[str, Passage] = {}
        for rank in range(max(len(r.passages) for r in found)):
            for r in found:
                if rank < len(r.passages):
                    passages.setdefault(r.passages[rank].chunk_id, r.passages[rank])
        merged = list(passages.values())
        similarity = self._similarity(retrieval.query_embedding, merged, dict(retrieval.dense))
        return replace(retrieval, passages=merged, dense=similarity)

    def _similarity(
        self, embedding: list[float], passages: Sequence[Passage], known: dict[str, float]
    ) -> dict[str, float]:
        """``known`` similarities to the query, and those of the other passages from their
        stored vectors."""
        unmeasured = [p.chunk_id for p in passages if p.chunk_id not in known]
        for chunk_id, vector in self.corpus.chunk_vectors(unmeasured).items():
            known[chunk_id] = float(np.dot(vector, embedding))
        return known
