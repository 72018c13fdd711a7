"""Hybrid retrieval: dense (Chroma) and BM25 hits fused by relative score fusion (or
reciprocal rank fusion; see ``qa.retrieve.fusion``).

In: a query, and filters on the articles it may draw on (applied inside both searches,
so the top passages are all of matching articles). Out: a ``Retrieval`` holding the top
passages with their fused scores and the query's embedding (reused by the answerer, not
computed twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.index.corpus import Corpus
from qa.retrieve.fusion import fuse_rankings, fuse_scores
from qa.types import Filters, Passage, Query, Retrieval

Fusion = Literal["relative", "rrf"]


class HybridRetriever:
    def __init__(
        self,
        corpus: Corpus,
        embedder: BaseEmbedding,
        candidates: int = 20,
        fusion: Fusion = "relative",
        dense_weight: float = 0.5,
        rrf_k: int = 60,
    ) -> None:
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")
        self.corpus = corpus
        self.embedder = embedder
        self.candidates = candidates
        self.fusion = fusion
        self.dense_weight = dense_weight  # relative fusion: BM25 weighs 1 - dense_weight
        self.rrf_k = rrf_k

    def retrieve(self, query: Query, top_k: int, filters: Filters | None = None) -> Retrieval:
        """The ``top_k`` passages for ``query``, of articles that pass ``filters`` only."""
        filters = filters or Filters()
        embedding = self.embedder.get_query_embedding(query.text)
        # Each search finds at least ``top_k``, so that ``top_k`` come back whenever the
        # articles hold that many passages (even those only one search finds).
        candidates = max(self.candidates, top_k)
        dense = self.corpus.dense_search(embedding, candidates, filters)
        keyword = self.corpus.keyword_search(query.text, candidates, filters)
        if self.fusion == "rrf":
            fused = fuse_rankings(
                [[chunk_id for chunk_id, _ in dense], [chunk_id for chunk_id, _ in keyword]],
                k=self.rrf_k,
            )
            similarity = dict(dense)
        else:
            # Both scores for every passage either search found: the similarity of those
            # only BM25 found from their stored vectors, and a BM25 score of 0 (its
            # floor) for those only dense search found, which share no term with the
            # query or too few to be among BM25's candidates.
            similarity = dict(dense)
            found_ids = [*similarity, *(c for c, _ in keyword if c not in similarity)]
            similarity = self._similarity(embedding, found_ids, similarity)
            bm25 = dict.fromkeys(found_ids, 0.0) | dict(keyword)
            fused = fuse_scores(
                [similarity, bm25], weights=[self.dense_weight, 1.0 - self.dense_weight]
            )
        passages = self._distinct_passages(fused, top_k)
        # Passages only keyword search found get their similarity from their stored vectors.
        return Retrieval(
            query,
            embedding,
            passages,
            dense=self._similarity(embedding, [p.chunk_id for p in passages], similarity),
            filters=filters,
        )

    def interleave(self, retrieval: Retrieval, others: Sequence[Retrieval]) -> Retrieval:
        """``retrieval`` with the passages of ``others`` (found for the parts of its
        question, or in the articles it names) taken in turns with its own, best first,
        each measured against its query."""
        found = [*others, retrieval]
        passages: dict[str, Passage] = {}  # by their text, so one text comes once
        for rank in range(max(len(r.passages) for r in found)):
            for r in found:
                if rank < len(r.passages):
                    passages.setdefault(_text_key(r.passages[rank]), r.passages[rank])
        merged = list(passages.values())
        similarity = self._similarity(
            retrieval.query_embedding, [p.chunk_id for p in merged], dict(retrieval.dense)
        )
        return replace(retrieval, passages=merged, dense=similarity)

    def _distinct_passages(self, fused: Sequence[tuple[str, float]], top_k: int) -> list[Passage]:
        """The first ``top_k`` passages of ``fused`` whose texts differ, with their fused
        scores. The same text indexed twice (a wire story under two outlets' names, a
        file added again under a new name) would otherwise take two of the ``top_k``
        places; the later one is passed over, and the next candidate read in its place
        (one read of ``top_k`` passages when nothing repeats)."""
        kept: dict[str, Passage] = {}
        start = 0
        while len(kept) < top_k and start < len(fused):
            batch = fused[start : start + top_k - len(kept)]
            start += len(batch)
            found = self.corpus.passages([chunk_id for chunk_id, _ in batch])
            for chunk_id, score in batch:
                if chunk_id in found:
                    passage = Passage(**{**found[chunk_id].__dict__, "score": score})
                    kept.setdefault(_text_key(passage), passage)
        return list(kept.values())

    def _similarity(
        self, embedding: list[float], chunk_ids: Sequence[str], known: dict[str, float]
    ) -> dict[str, float]:
        """``known`` similarities to the query, and those of the other chunks from their
        stored vectors."""
        unmeasured = [c for c in chunk_ids if c not in known]
        for chunk_id, vector in self.corpus.chunk_vectors(unmeasured).items():
            known[chunk_id] = float(np.dot(vector, embedding))
        return known


def _text_key(passage: Passage) -> str:
    return " ".join(passage.text.split()).casefold()
