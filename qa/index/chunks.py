"""The chunk store: chunks, their vectors and their articles' records, in Chroma.

In: articles with their chunks, to add, replace or delete. Out: dense hits, passages
by id, the searchable chunks (for the keyword index to mirror) and the indexed
articles. New chunks are embedded here, with the embedder the store was given.

Writes are atomic per article: an article's record names the version of it whose
chunks are all written (it is written after them), and only chunks of that version
are ever searched. A process killed mid-write leaves chunks of an uncommitted
version behind; they are invisible, and the next ingest of that article removes them,
or the next process to take the embedded store (``purge_uncommitted``).
Every write also moves the store's write generation (``WriteGeneration``): dirty while
it runs, final once ``finish_write`` is called, so that other processes see the change,
and logs the articles it touches (``ChangeLog``), so that they update only those.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.index.articles import ARTICLE_FIELDS, ArticleRecords, passage_from_metadata
from qa.index.filters import add_day_numbers, chroma_where
from qa.index.sentences import drop_sentence_vectors
from qa.index.store import PAGE_SIZE, ChangeLog, WriteGeneration, open_collection, read_pages
from qa.types import Article, Chunk, Filters, IndexedArticle, Passage, day_number


@dataclass(frozen=True)
class UpsertResult:
    source: str
    added: int
    removed: int
    was_indexed: bool = True  # a version of the article was searchable before

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as written to Chroma: its versioned id, text, metadata and vector."""

    id: str
    text: str
    metadata: dict[str, Any]
    embedding: list[float] | None = None


@dataclass
class UpsertPlan:
    """A batch of articles ready to write (see ``ChunkStore.plan_upsert``)."""

    articles: list[Article]
    versions: list[str]
    chunks: list[list[StoredChunk]]
    existing: dict[str, str]  # chunk id -> source, of the batch's chunks already stored
    committed: dict[str, str]  # source -> committed version, of the batch's articles
    new: list[StoredChunk]  # chunks to add, embedded


def article_hash(article: Article) -> str:
    payload = json.dumps(
        [article.title, article.published, article.author, article.publisher, article.body]
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ChunkStore:
    """Chunks of all indexed articles in one Chroma collection, their articles' records
    in a second one, and the write generation in a third."""

    def __init__(
        self,
        client: Any,
        collection: str,
        embedder: BaseEmbedding,
        model_name: str,
        backend: str,
    ) -> None:
        self.embedder = embedder
        self.collection = open_collection(client, collection, model_name, backend)
        self.records = ArticleRecords(client, collection, model_name, backend)
        self.generation = WriteGeneration(client, collection)
        self.changes = ChangeLog(client, collection)
        drop_sentence_vectors(client, collection)
        self._writing = False  # a dirty generation token is set and not yet cleared
        self.changed: set[str] = set()  # articles written since the last finish_write
        add_day_numbers(self.collection, self.records.collection, self.generation)
        # The write token first: what is committed is then at least as new as it.
        self.opened_at = self.generation.read()
        self._committed = self.records.versions()  # source → version that may be searched

    # -- writing ---------------------------------------------------------------

    def upsert_article(self, article: Article, chunks: Sequence[Chunk]) -> UpsertResult:
        """Make the article's indexed chunks exactly ``chunks``; embed only new ones."""
        return self.upsert_articles([(article, chunks)])[0]

    def upsert_articles(
        self, batch: Sequence[tuple[Article, Sequence[Chunk]]]
    ) -> list[UpsertResult]:
        """``upsert_article`` for several articles at once, with one embedding call and
        one write of each kind for the whole batch (per-article writes cost 4x more)."""
        return self.commit(self.plan_upsert(batch))

    def plan_upsert(self, batch: Sequence[tuple[Article, Sequence[Chunk]]]) -> UpsertPlan:
        """Everything an upsert needs before writing: which chunks are new (embedded
        here), which are stale, which records change. Reads the store, writes nothing,
        so the next batch can be planned while the previous one is committed."""
        sources = [article.source for article, _ in batch]
        if len(set(sources)) != len(sources):
            raise ValueError("an upsert batch names the same article twice")
        versions = [article_hash(article) for article, _ in batch]
        planned = [
            [_stored_chunk(article, chunk, version) for chunk in chunks]
            for (article, chunks), version in zip(batch, versions, strict=True)
        ]
        existing = self._ids_by_source(sources)
        committed = self.records.versions_of(sources)
        fresh = [c for group in planned for c in group if c.id not in existing]
        vectors = self.embedder.get_text_embedding_batch([c.text for c in fresh]) if fresh else []
        embedded = {
            c.id: StoredChunk(c.id, c.text, c.metadata, [float(x) for x in vector])
            for c, vector in zip(fresh, vectors, strict=True)
        }
        planned = [[embedded.get(c.id, c) for c in group] for group in planned]
        return UpsertPlan(
            articles=[article for article, _ in batch],
            versions=versions,
            chunks=planned,
            existing=existing,
            committed=committed,
            new=list(embedded.values()),
        )

    def commit(self, plan: UpsertPlan) -> list[UpsertResult]:
        """Write a planned upsert: new chunks first, then the articles' records, then
        stale chunks are removed, so no article is ever missing from the index."""
        records = [
            (article, version, group)
            for article, version, group in zip(
                plan.articles, plan.versions, plan.chunks, strict=True
            )
            if plan.committed.get(article.source) != version
            or any(c.id not in plan.existing for c in group)
        ]
        kept = {c.id for group in plan.chunks for c in group}
        touched = {article.source for article, _, _ in records} | {
            source for chunk_id, source in plan.existing.items() if chunk_id not in kept
        }
        if touched:
            self._begin_write(touched)
        if plan.new:
            self._write_chunks(plan.new)
        self.records.put_many(
            [
                (article, version, len(group), self._vector_of(group[0]))
                for article, version, group in records
            ]
        )
        stored: dict[str, set[str]] = {}
        for chunk_id, source in plan.existing.items():
            stored.setdefault(source, set()).add(chunk_id)
        results = []
        stale_ids: list[str] = []
        for article, version, group in zip(plan.articles, plan.versions, plan.chunks, strict=True):
            self._committed[article.source] = version
            stale = stored.get(article.source, set()) - {c.id for c in group}
            stale_ids += sorted(stale)
            added = sum(c.id not in plan.existing for c in group)
            was_indexed = article.source in plan.committed
            results.append(UpsertResult(article.source, added, len(stale), was_indexed))
        self._delete_chunks(stale_ids)
        return results

    def delete_article(self, source: str) -> int:
        """Remove every chunk of one article; returns how many were removed."""
        ids = self.chunk_ids(source)
        if ids or source in self._committed:
            self._begin_write({source})
        self.records.delete(source)  # first: from here on none of its chunks is searched
        self._committed.pop(source, None)
        self._delete_chunks(ids)
        return len(ids)

    def purge_uncommitted(self) -> int:
        """Remove every chunk of a version no article's record commits, and end a write
        left open; returns how many chunks were removed.

        They are what a writer killed or failed mid-write leaves: never searched, but
        each still takes one of dense search's ``k`` places, and the next ingest of their
        article removes them only if that article comes again. Call only while no other
        process can be writing (``holds_store``): a write under way looks the same."""
        self.reload()
        orphans = {
            chunk_id: str((metadata or {}).get("source"))
            for page in read_pages(self.collection, ["metadatas"])
            for chunk_id, metadata in zip(page["ids"], page["metadatas"], strict=True)
            if not self._is_committed(metadata or {})
        }
        if orphans or WriteGeneration.is_dirty(self.generation.read()):
            self._begin_write(set(orphans.values()))  # finish_write then ends it
        self._delete_chunks(sorted(orphans))
        return len(orphans)

    def finish_write(self, changed: bool = False) -> str | None:
        """End a run of writes: set a final generation token if anything was written (or
        ``changed``) and return it; None if nothing was. ``changed`` is emptied."""
        written, self.changed = self.changed, set()
        if not (self._writing or changed):
            return None
        # Logged again now that they are committed: a process that read the first entries
        # while this write was under way (and found the old versions) reads these too.
        self.changes.record(written)
        token = self.generation.bump()
        self._writing = False
        return token

    # -- reading ---------------------------------------------------------------

    def reload(self) -> None:
        """Read which article versions are committed (another process may have written)."""
        self._committed = self.records.versions()

    def count(self) -> int:
        return int(self.collection.count())

    def committed_count(self) -> int:
        """How many chunks the committed versions hold, as their articles' records say."""
        return sum(record.chunks for record in self.records.all())

    def is_empty(self) -> bool:
        """No article is searchable (as of the last write or reload; no request to Chroma)."""
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

    def dense_search(
        self, query_embedding: list[float], k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """Chunk ids with cosine similarity to the query, best first; only chunks of
        articles that pass ``filters`` (applied inside Chroma, so ``k`` are found)."""
        # Chroma returns fewer hits when it holds fewer; counting first costs ~12 ms at
        # 100,000 chunks, more than the search itself.
        result = self.collection.query(
            query_embeddings=[query_embedding],
            n_results=k,
            where=chroma_where(filters),
            include=["distances", "metadatas"],
        )
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance, metadata in zip(
                result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True
            )
            if self._is_committed(metadata or {})
        ]

    def chunk_ids(self, source: str | None = None) -> list[str]:
        """Ids of every stored chunk (of one article), searchable or not."""
        where = {"document_id": source} if source is not None else None
        return [
            chunk_id for page in read_pages(self.collection, [], where) for chunk_id in page["ids"]
        ]

    def committed_ids(self) -> list[str]:
        """Ids of every searchable chunk."""
        return [
            chunk_id
            for page in read_pages(self.collection, ["metadatas"])
            for chunk_id, metadata in zip(page["ids"], page["metadatas"], strict=True)
            if self._is_committed(metadata or {})
        ]

    def committed_chunks(
        self, sources: Sequence[str] | None = None, versions: dict[str, str] | None = None
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of every searchable chunk (of ``sources`` only, if given),
        searchable as of the last write or reload, or as of ``versions`` (source name →
        committed version, as ``committed_versions`` read it) when given."""
        where = {"document_id": {"$in": list(sources)}} if sources is not None else None
        if sources is not None and not sources:
            return
        committed = self._committed if versions is None else versions
        for page in read_pages(self.collection, ["documents", "metadatas"], where):
            for chunk_id, text, metadata in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            ):
                metadata = metadata or {}
                if committed.get(str(metadata.get("source"))) == metadata.get("version"):
                    yield chunk_id, text or "", dict(metadata)

    def committed_versions(self, sources: Sequence[str]) -> dict[str, str]:
        """Source name → the version committed now (read from Chroma, not remembered),
        for those of ``sources`` that are indexed."""
        return self.records.versions_of(sources) if sources else {}

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of chunks, keyed by id."""
        if not chunk_ids:
            return {}
        found = self.collection.get(ids=list(chunk_ids), include=["embeddings"])
        return {
            i: np.asarray(v, dtype=np.float32)
            for i, v in zip(found["ids"], found["embeddings"], strict=True)
        }

    # -- internals -------------------------------------------------------------

    def _begin_write(self, sources: set[str]) -> None:
        # The articles are logged first: a writer killed after this has still told the
        # other processes what it may have changed.
        self.changes.record(sources)
        self.changed |= sources
        if not self._writing:
            self.generation.begin()
            self._writing = True

    def _write_chunks(self, chunks: Sequence[StoredChunk]) -> None:
        """Add embedded chunks (text, vector and flat metadata only), at most a request's
        worth at a time: Chroma refuses more than 5,461 in one by default, which a large
        article cut into short chunks passes. An article's record is written after all
        of them, so a write cut short leaves no article half-indexed."""
        for start in range(0, len(chunks), PAGE_SIZE):
            part = chunks[start : start + PAGE_SIZE]
            self.collection.add(
                ids=[c.id for c in part],
                embeddings=[c.embedding for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata for c in part],
            )

    def _delete_chunks(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), PAGE_SIZE):
            self.collection.delete(ids=list(ids[start : start + PAGE_SIZE]))

    def _vector_of(self, chunk: StoredChunk) -> list[float]:
        if chunk.embedding is not None:
            return chunk.embedding
        found = self.collection.get(ids=[chunk.id], include=["embeddings"])
        return [float(x) for x in found["embeddings"][0]]

    def _ids_by_source(self, sources: Sequence[str]) -> dict[str, str]:
        """Chunk id → source name, for every stored chunk of ``sources``."""
        where = {"document_id": {"$in": list(sources)}}
        return {
            chunk_id: str((metadata or {}).get("source"))
            for page in read_pages(self.collection, ["metadatas"], where)
            for chunk_id, metadata in zip(page["ids"], page["metadatas"], strict=True)
        }

    def _is_committed(self, metadata: dict[str, Any]) -> bool:
        return self._committed.get(str(metadata.get("source"))) == metadata.get("version")


def _stored_chunk(article: Article, chunk: Chunk, version: str) -> StoredChunk:
    metadata: dict[str, Any] = {
        "source": article.source,
        "document_id": article.source,  # the key earlier stores were written with
        "ordinal": chunk.ordinal,
        "version": version,
        "published_day": day_number(article.published),
        **{f: getattr(article, f) or "" for f in ARTICLE_FIELDS},
    }
    # A changed article gets new ids for all its chunks, so metadata edits replace too.
    versioned_id = hashlib.sha256(f"{chunk.id}:{version}".encode()).hexdigest()[:32]
    return StoredChunk(versioned_id, chunk.text, metadata)
