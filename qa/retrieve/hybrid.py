"""Hybrid retrieval: dense (Chroma) and BM25 hits fused by reciprocal rank fusion.

In: a query, and filters on the articles it may draw on (applied inside both searches,
so the top passages are all of matching articles). Out: a ``Retrieval`` holding the top
passages with their fused scores and the query's embedding (reused by the answerer, not
computed twice).
"""

from __future__ import annotations

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
        similarity = dict(dense)
        unmeasured = [p.chunk_id for p in passages if p.chunk_id not in similarity]
        for chunk_id, vector in self.corpus.chunk_vectors(unmeasured).items():
            similarity[chunk_id] = float(np.dot(vector, embedding))
        return Retrieval(query, embedding, passages, dense=similarity, filters=filters)
