"""The chunk index: Chroma (vectors, texts, metadata) and BM25, kept in agreement.

In: articles with their chunks, to add, replace or delete. Out: dense and keyword
hits, passages by id, and the indexed articles (``ArticleRecords``). Chroma is the
record; the BM25 index is derived from it (never by re-embedding) and is rebuilt
whenever the set of chunk ids it was built from differs from Chroma's.

Writes are atomic per article: an article's record names the version of it whose
chunks are all written (it is written after them), and only chunks of that version
are ever searched. A process killed mid-write leaves chunks of an uncommitted
version behind; they are invisible, and the next ingest of that article removes them.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from qa.index.articles import ARTICLE_FIELDS, ArticleRecords, IndexedArticle, none_if_empty
from qa.index.embed import embed_model_name, load_embed_model
from qa.index.keyword import KeywordIndex, fingerprint
from qa.index.store import (
    WriteGeneration,
    open_client,
    open_collection,
    read_pages,
)
from qa.settings import Settings
from qa.types import Article, Chunk, Passage


@dataclass(frozen=True)
class UpsertResult:
    source: str
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class UpsertPlan:
    """A batch of articles ready to write (see ``ChunkIndex.prepare``)."""

    articles: list[Article]
    versions: list[str]
    nodes: list[list[TextNode]]
    existing: dict[str, str]  # chunk id -> source, of the batch's chunks already stored
    committed: dict[str, str]  # source -> committed version, of the batch's articles
    new: list[TextNode]  # chunks to add, embedded


def article_hash(article: Article) -> str:
    payload = json.dumps(
        [article.title, article.published, article.author, article.publisher, article.body]
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ChunkIndex:
    """Chunks of all indexed articles, searchable by vector and by keyword."""

    def __init__(self, settings: Settings, embed_model: BaseEmbedding | None = None) -> None:
        self.settings = settings
        self.embed_model = embed_model or load_embed_model(settings)
        self._client = open_client(settings)
        model, backend = embed_model_name(settings), settings.embed_backend.value
        self.collection = open_collection(self._client, settings.collection, model, backend)
        self.records = ArticleRecords(self._client, settings.collection, model, backend)
        self._keyword_dir = settings.store_dir / "bm25" / settings.collection
        self._generation = WriteGeneration(self._client, settings.collection)
        self._keyword_lock = threading.Lock()
        self._writing = False  # a dirty generation token is set and not yet cleared
        self._seen_generation = self._generation.read()
        self._checked_at = time.monotonic()
        self._committed = self.records.versions()  # source → version that may be searched
        self.keyword = self._load_keyword()

    # -- writing ---------------------------------------------------------------

    def upsert_article(self, article: Article, chunks: Sequence[Chunk]) -> UpsertResult:
        """Make the article's indexed chunks exactly ``chunks``; embed only new ones."""
        return self.upsert_articles([(article, chunks)])[0]

    def upsert_articles(
        self, batch: Sequence[tuple[Article, Sequence[Chunk]]]
    ) -> list[UpsertResult]:
        """``upsert_article`` for several articles at once, with one embedding call and
        one write of each kind for the whole batch (per-article writes cost 4x more)."""
        return self.commit(self.prepare(batch))

    def prepare(self, batch: Sequence[tuple[Article, Sequence[Chunk]]]) -> UpsertPlan:
        """Everything an upsert needs before writing: which chunks are new (embedded
        here), which are stale, which records change. Reads the index, writes nothing,
        so the next batch can be prepared while the previous one is committed."""
        sources = [article.source for article, _ in batch]
        if len(set(sources)) != len(sources):
            raise ValueError("an upsert batch names the same article twice")
        versions = [article_hash(article) for article, _ in batch]
        nodes = [
            [self._node(article, chunk, version) for chunk in chunks]
            for (article, chunks), version in zip(batch, versions, strict=True)
        ]
        existing = self._ids_by_source(sources)
        committed = self.records.versions_of(sources)
        new = [n for group in nodes for n in group if n.node_id not in existing]
        if new:
            vectors = self.embed_model.get_text_embedding_batch([n.text for n in new])
            for node, vector in zip(new, vectors, strict=True):
                node.embedding = vector
        return UpsertPlan(
            articles=[article for article, _ in batch],
            versions=versions,
            nodes=nodes,
            existing=existing,
            committed=committed,
            new=new,
        )

    def commit(self, plan: UpsertPlan) -> list[UpsertResult]:
        """Write a prepared upsert: new chunks first, then the articles' records, then
        stale chunks are removed, so no article is ever missing from the index. Call
        ``refresh_keyword`` after a batch of writes."""
        records = [
            (article, version, len(group), group)
            for article, version, group in zip(
                plan.articles, plan.versions, plan.nodes, strict=True
            )
            if plan.committed.get(article.source) != version
            or any(n.node_id not in plan.existing for n in group)
        ]
        kept = {n.node_id for group in plan.nodes for n in group}
        if records or set(plan.existing) - kept:
            self._begin_write()
        if plan.new:
            self._write_chunks(plan.new)
        self.records.put_many(
            [
                (article, version, count, self._vector_of(group[0]))
                for article, version, count, group in records
            ]
        )
        stored: dict[str, set[str]] = {}
        for chunk_id, source in plan.existing.items():
            stored.setdefault(source, set()).add(chunk_id)
        results = []
        stale_ids: list[str] = []
        for article, version, group in zip(plan.articles, plan.versions, plan.nodes, strict=True):
            self._committed[article.source] = version
            stale = stored.get(article.source, set()) - {n.node_id for n in group}
            stale_ids += sorted(stale)
            added = sum(n.node_id not in plan.existing for n in group)
            results.append(UpsertResult(article.source, added=added, removed=len(stale)))
        if stale_ids:
            self.collection.delete(ids=stale_ids)
        return results

    def delete_article(self, source: str) -> int:
        """Remove every chunk of one article; returns how many were removed."""
        ids = self._ids(where={"document_id": source})
        if ids or source in self._committed:
            self._begin_write()
        self.records.delete(source)  # first: from here on none of its chunks is searched
        self._committed.pop(source, None)
        if ids:
            self.collection.delete(ids=ids)
        return len(ids)

    def refresh_keyword(self) -> None:
        """After writes: bring BM25 in line with Chroma if the set of chunks changed,
        and tell other processes on the same store that theirs is stale."""
        with self._keyword_lock:
            rebuilt = self._sync_keyword()
            if rebuilt or self._writing:
                self._seen_generation = self._generation.bump()
                self._writing = False
                self.keyword.mark(self._keyword_dir, self._seen_generation)

    def sync(self, max_age: float = 1.0) -> None:
        """Reload BM25 if another process changed the index; checks at most every
        ``max_age`` seconds (one small read), so it is cheap to call per request."""
        if time.monotonic() - self._checked_at < max_age:
            return
        with self._keyword_lock:
            self._checked_at = time.monotonic()
            generation = self._generation.read()
            if generation != self._seen_generation:
                self._committed = self.records.versions()
                self._sync_keyword()
                self._seen_generation = generation
                if WriteGeneration.is_final(generation):
                    self.keyword.mark(self._keyword_dir, generation)

    # -- reading ---------------------------------------------------------------

    def count(self) -> int:
        return int(self.collection.count())

    def is_empty(self) -> bool:
        """No article is searchable (as of the last write or sync; no request to Chroma)."""
        return not self._committed

    def articles(self) -> list[IndexedArticle]:
        """Every indexed article with its metadata and chunk count, by source name."""
        return self.records.all()

    def article(self, source: str) -> tuple[Article, IndexedArticle] | None:
        """One article's cleaned text and record, or None if it is not indexed."""
        return self.records.get(source)

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        """Passages for chunk ids that exist, keyed by id."""
        if not chunk_ids:
            return {}
        found = self.collection.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return {
            chunk_id: passage_from_metadata(chunk_id, text or "", metadata or {})
            for chunk_id, text, metadata in zip(
                found["ids"], found["documents"], found["metadatas"], strict=True
            )
        }

    def dense_search(self, query_embedding: list[float], k: int) -> list[tuple[str, float]]:
        """Chunk ids with cosine similarity to the query, best first."""
        # Chroma returns fewer hits when it holds fewer; counting first costs ~12 ms at
        # 100,000 chunks, more than the search itself.
        result = self.collection.query(
            query_embeddings=[query_embedding],
            n_results=k,
            include=["distances", "metadatas"],
        )
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance, metadata in zip(
                result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True
            )
            if self._is_committed(metadata or {})
        ]

    # -- internals -------------------------------------------------------------

    def _write_chunks(self, nodes: Sequence[TextNode]) -> None:
        """Add embedded chunks in one request: text, vector and flat metadata only (no
        serialised copy of the node, which would double what is stored and read back)."""
        self.collection.add(
            ids=[node.node_id for node in nodes],
            embeddings=[node.get_embedding() for node in nodes],
            documents=[node.text for node in nodes],
            metadatas=[node.metadata for node in nodes],
        )

    def _node(self, article: Article, chunk: Chunk, version: str) -> TextNode:
        metadata: dict[str, Any] = {
            "source": article.source,
            "document_id": article.source,  # the key earlier stores were written with
            "ordinal": chunk.ordinal,
            "version": version,
            **{f: getattr(article, f) or "" for f in ARTICLE_FIELDS},
        }
        return TextNode(
            id_=_versioned_id(chunk.id, version),
            text=chunk.text,
            metadata=metadata,
            excluded_embed_metadata_keys=list(metadata),
            excluded_llm_metadata_keys=list(metadata),
        )

    def _vector_of(self, node: TextNode) -> list[float]:
        if node.embedding is not None:
            return list(node.embedding)
        found = self.collection.get(ids=[node.node_id], include=["embeddings"])
        return [float(x) for x in found["embeddings"][0]]

    def _ids_by_source(self, sources: Sequence[str]) -> dict[str, str]:
        """Chunk id → source name, for every stored chunk of ``sources``."""
        where = {"document_id": {"$in": list(sources)}}
        return {
            chunk_id: str((metadata or {}).get("source"))
            for page in read_pages(self.collection, ["metadatas"], where)
            for chunk_id, metadata in zip(page["ids"], page["metadatas"], strict=True)
        }

    def _ids(self, where: dict[str, Any] | None = None) -> list[str]:
        pages = read_pages(self.collection, [], where)
        return [chunk_id for page in pages for chunk_id in page["ids"]]

    def _is_committed(self, metadata: dict[str, Any]) -> bool:
        return self._committed.get(str(metadata.get("source"))) == metadata.get("version")

    def _committed_ids(self) -> list[str]:
        return [
            chunk_id
            for page in read_pages(self.collection, ["metadatas"])
            for chunk_id, metadata in zip(page["ids"], page["metadatas"], strict=True)
            if self._is_committed(metadata or {})
        ]

    def _sync_keyword(self) -> bool:
        """Rebuild BM25 if its chunk ids are not the searchable ones; true if rebuilt."""
        current = fingerprint(self._committed_ids())
        if current == self.keyword.fingerprint:
            return False
        self.keyword = self._rebuild_keyword()
        return True

    def _begin_write(self) -> None:
        if not self._writing:
            self._generation.begin()
            self._writing = True

    def _load_keyword(self) -> KeywordIndex:
        """The saved BM25 index: trusted as it is if it was saved at the current, final
        write generation (nothing to read), else checked against the chunk ids."""
        generation = self._seen_generation
        if WriteGeneration.is_final(generation):
            trusted = KeywordIndex.load(self._keyword_dir, generation=generation)
            if trusted is not None:
                return trusted
        current = fingerprint(self._committed_ids())
        loaded = KeywordIndex.load(self._keyword_dir, current)
        keyword = loaded if loaded is not None else self._rebuild_keyword()
        if WriteGeneration.is_final(generation) and generation == self._generation.read():
            keyword.mark(self._keyword_dir, generation)
        return keyword

    def _rebuild_keyword(self) -> KeywordIndex:
        nodes = [
            TextNode(id_=chunk_id, text=text or "")
            for page in read_pages(self.collection, ["documents", "metadatas"])
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            )
            if self._is_committed(metadata or {})
        ]
        keyword = KeywordIndex.build(nodes)
        keyword.save(self._keyword_dir)
        return keyword


def _versioned_id(chunk_id: str, version: str) -> str:
    # A changed article gets new ids for all its chunks, so metadata edits replace too.
    return hashlib.sha256(f"{chunk_id}:{version}".encode()).hexdigest()[:32]


def passage_from_metadata(chunk_id: str, text: str, metadata: dict[str, Any]) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        source=str(metadata.get("source", "")),
        text=text,
        title=str(metadata.get("title") or metadata.get("source", "")),
        publisher=none_if_empty(metadata.get("publisher")),
        published=none_if_empty(metadata.get("published")),
        author=none_if_empty(metadata.get("author")),
    )
