"""Hybrid retrieval: dense (Chroma) and BM25 hits fused by reciprocal rank fusion.

In: a query. Out: a ``Retrieval`` holding the top passages with their fused scores and
the query's embedding (reused by the answerer, not computed twice).
"""

from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.index.corpus import Corpus
from qa.retrieve.fusion import fuse_rankings
from qa.types import Passage, Query, Retrieval


class HybridRetriever:
    def __init__(
        self, corpus: Corpus, embedder: BaseEmbedding, candidates: int = 20, rrf_k: int = 60
    ) -> None:
        self.corpus = corpus
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k

    def retrieve(self, query: Query, top_k: int) -> Retrieval:
        embedding = self.embedder.get_query_embedding(query.text)
        dense = self.corpus.dense_search(embedding, self.candidates)
        keyword = self.corpus.keyword_search(query.text, self.candidates)
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
        return Retrieval(query, embedding, passages, dense=dict(dense))
