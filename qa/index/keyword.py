"""The BM25 side of retrieval, kept on disk beside a fingerprint of the chunks it covers.

In: chunk texts and ids (read back from Chroma, never re-embedded). Out: BM25 hits,
and per-term document frequencies that the answerer uses to weigh question words.
The saved index is reused only while its fingerprint matches the collection's.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from llama_index.core.schema import TextNode
from llama_index.retrievers.bm25 import BM25Retriever

MANIFEST = "manifest.json"
_STEMMER = Stemmer.Stemmer("english")


def fingerprint(chunk_ids: Iterable[str]) -> str:
    """A digest of a set of chunk ids: equal exactly when the sets are equal."""
    digest = hashlib.sha256()
    for chunk_id in sorted(chunk_ids):
        digest.update(chunk_id.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def keyword_terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text``, as BM25 sees them."""
    tokens = bm25s.tokenize(
        [text], stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return list(tokens[0]) if tokens else []


class KeywordIndex:
    """BM25 over a fixed set of chunks; rebuild it when the set changes."""

    def __init__(self, retriever: BM25Retriever | None, fingerprint: str) -> None:
        self._retriever = retriever
        self.fingerprint = fingerprint
        self._doc_freq: dict[str, int] = {}
        self.size = 0
        if retriever is not None:
            bm25 = retriever.bm25
            indptr = np.asarray(bm25.scores["indptr"])
            counts = np.diff(indptr)
            self._doc_freq = {t: int(counts[i]) for t, i in bm25.vocab_dict.items() if t}
            self.size = int(bm25.scores["num_docs"])

    @classmethod
    def build(cls, nodes: Sequence[TextNode]) -> KeywordIndex:
        ids = [node.node_id for node in nodes]
        if not nodes:
            return cls(None, fingerprint(ids))
        retriever = BM25Retriever.from_defaults(
            nodes=list(nodes), stemmer=_STEMMER, language="en", similarity_top_k=len(nodes)
        )
        return cls(retriever, fingerprint(ids))

    @classmethod
    def load(
        cls, folder: Path, expected: str | None = None, generation: str | None = None
    ) -> KeywordIndex | None:
        """The saved index if it covers exactly the chunks of fingerprint ``expected``,
        or (without ``expected``) if it was saved at write generation ``generation``;
        else None."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
            if expected is None:
                if generation is None or manifest.get("generation") != generation:
                    return None
                expected = str(manifest["fingerprint"])
            elif manifest.get("fingerprint") != expected:
                return None
            if manifest.get("empty"):
                return cls(None, expected)
            return cls(BM25Retriever.from_persist_dir(str(folder)), expected)
        except (OSError, ValueError, KeyError):
            return None

    def mark(self, folder: Path, generation: str) -> None:
        """Record in the saved index's manifest that it is current at ``generation``."""
        manifest_path = folder / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, ValueError):
            return
        if manifest.get("fingerprint") != self.fingerprint:
            return  # the folder holds another index (another process saved since)
        manifest["generation"] = generation
        staging = manifest_path.with_name(MANIFEST + ".tmp")
        staging.write_text(json.dumps(manifest))
        staging.replace(manifest_path)

    def save(self, folder: Path) -> None:
        """Write to a fresh folder, then swap it in, so a crash never leaves half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self._retriever is not None:
            self._retriever.persist(str(staging))
        manifest = {"fingerprint": self.fingerprint, "empty": self._retriever is None}
        (staging / MANIFEST).write_text(json.dumps(manifest))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores, best first; only chunks sharing a term with the query."""
        if self._retriever is None or not keyword_terms(query):
            return []
        self._retriever.similarity_top_k = min(k, self.size)
        hits = self._retriever.retrieve(query)
        return [(hit.node.node_id, float(hit.score or 0.0)) for hit in hits if (hit.score or 0) > 0]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms weigh the most."""
        df = self._doc_freq.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))
