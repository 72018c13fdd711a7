"""The keyword (BM25) side of retrieval: a mirror of the store's searchable chunks.

In: the chunk store (its searchable chunks' ids and texts, read back from Chroma, never
re-embedded). Out: BM25 hits, and per-term inverse document frequencies that the
answerers use to weigh question words. The index is kept on disk beside a fingerprint
of the chunk ids it covers, and the write generation it is known to be current at: a
saved index at the store's current, final generation is trusted without reading the
chunks; otherwise it is reused only while its fingerprint matches, else rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np
from llama_index.core.schema import BaseNode, TextNode
from llama_index.retrievers.bm25 import BM25Retriever

from qa.index.store import WriteGeneration
from qa.text.terms import STEMMER, keyword_terms

MANIFEST = "manifest.json"


class SearchableChunks(Protocol):
    """What the keyword index mirrors: the store's searchable chunks."""

    def committed_ids(self) -> list[str]: ...

    def committed_texts(self) -> Iterable[tuple[str, str]]: ...


def fingerprint(chunk_ids: Iterable[str]) -> str:
    """A digest of a set of chunk ids: equal exactly when the sets are equal."""
    digest = hashlib.sha256()
    for chunk_id in sorted(chunk_ids):
        digest.update(chunk_id.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class Bm25:
    """BM25 over a fixed set of chunks, with its fingerprint; saved and loaded whole."""

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
    def build(cls, chunks: Iterable[tuple[str, str]]) -> Bm25:
        nodes: list[BaseNode] = [TextNode(id_=chunk_id, text=text) for chunk_id, text in chunks]
        ids = [node.node_id for node in nodes]
        if not nodes:
            return cls(None, fingerprint(ids))
        retriever = BM25Retriever.from_defaults(
            nodes=nodes, stemmer=STEMMER, language="en", similarity_top_k=len(nodes)
        )
        return cls(retriever, fingerprint(ids))

    @classmethod
    def load(
        cls, folder: Path, expected: str | None = None, generation: str | None = None
    ) -> Bm25 | None:
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


class KeywordIndex:
    """BM25 over the store's searchable chunks, saved in ``folder`` and kept current."""

    def __init__(
        self, folder: Path, chunks: SearchableChunks, generation: WriteGeneration, seen: str | None
    ) -> None:
        """Open the saved index (or build it) for the store as of write token ``seen``."""
        self.folder = folder
        self._chunks = chunks
        self._generation = generation
        self._bm25 = self._open(seen)

    @property
    def fingerprint(self) -> str:
        return self._bm25.fingerprint

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        return self._bm25.search(query, k)

    def idf(self, term: str) -> float:
        return self._bm25.idf(term)

    def refresh(self) -> bool:
        """Rebuild if the searchable chunks are not the ones indexed; true if rebuilt."""
        current = fingerprint(self._chunks.committed_ids())
        if current == self._bm25.fingerprint:
            return False
        self._bm25 = self._rebuild()
        return True

    def mark(self, generation: str) -> None:
        """Record that the saved index is current at write ``generation``."""
        self._bm25.mark(self.folder, generation)

    def sync(self, generation: str | None) -> None:
        """Another process wrote: refresh, and remember ``generation`` if it is final."""
        self.refresh()
        if WriteGeneration.is_final(generation):
            self.mark(generation)

    def _open(self, generation: str | None) -> Bm25:
        """Trusted as saved if saved at the current, final write generation (nothing to
        read), else checked against the chunk ids, else rebuilt."""
        if WriteGeneration.is_final(generation):
            trusted = Bm25.load(self.folder, generation=generation)
            if trusted is not None:
                return trusted
        current = fingerprint(self._chunks.committed_ids())
        loaded = Bm25.load(self.folder, current)
        bm25 = loaded if loaded is not None else self._rebuild()
        if WriteGeneration.is_final(generation) and generation == self._generation.read():
            bm25.mark(self.folder, generation)
        return bm25

    def _rebuild(self) -> Bm25:
        bm25 = Bm25.build(self._chunks.committed_texts())
        bm25.save(self.folder)
        return bm25
