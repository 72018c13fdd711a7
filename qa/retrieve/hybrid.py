"""Hybrid retrieval: dense (Chroma) and BM25 hits fused by reciprocal rank fusion.

In: a question. Out: a ``Retrieval`` holding the top passages with their fused
scores and the question's embedding (reused by the answerer, not computed twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.index.corpus import ChunkIndex
from qa.retrieve.fusion import fuse_rankings
from qa.types import Passage


@dataclass(frozen=True)
class Retrieval:
    query: str
    query_embedding: list[float]
    passages: list[Passage]
    dense: dict[str, float] = field(default_factory=dict)  # chunk id → cosine similarity


class HybridRetriever:
    def __init__(
        self, index: ChunkIndex, candidates: int = 20, rrf_k: int = 60, sync_seconds: float = 1.0
    ) -> None:
        self.index = index
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.sync_seconds = sync_seconds

    def retrieve(self, query: str, top_k: int) -> Retrieval:
        self.index.sync(self.sync_seconds)  # another replica may have changed the index
        embedding = self.index.embed_model.get_query_embedding(query)
        dense = self.index.dense_search(embedding, self.candidates)
        keyword = self.index.keyword.search(query, self.candidates)
        fused = fuse_rankings(
            [[chunk_id for chunk_id, _ in dense], [chunk_id for chunk_id, _ in keyword]],
            k=self.rrf_k,
        )[:top_k]
        found = self.index.passages([chunk_id for chunk_id, _ in fused])
        passages = [
            Passage(**{**found[chunk_id].__dict__, "score": score})
            for chunk_id, score in fused
            if chunk_id in found
        ]
        return Retrieval(query, embedding, passages, dense=dict(dense))
