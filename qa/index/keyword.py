"""The keyword (BM25) side of retrieval: a tantivy index of the searchable chunks.

In: the chunk store (its committed chunks' ids, texts and article metadata, read back
from Chroma, never re-embedded), one article at a time. Out: BM25 hits, filtered by
date, file and outlet inside the index (so ``k`` matching hits are found), and
per-term inverse document frequencies that the answerers use to weigh question words.

tantivy adds and deletes documents without a rebuild, so a write of one article costs
the same at 100,000 chunks as at 40 (bm25s, before it, rebuilt everything: 21 s). The
index lives on local disk beside the store; its manifest records the write generation
and the change-log time it is current at, so a start needs to read nothing when it is
current, and a replica catches up on the articles logged since, not on the corpus.
Text is indexed as the project's own stemmed terms (``keyword_terms``), so the terms
BM25 matches are the terms the answerers weigh.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import tantivy

from qa.index.store import ChangeLog
from qa.text.terms import keyword_terms
from qa.types import Filters

MANIFEST = "manifest.json"
FORMAT = 2  # the schema below; another one is rebuilt from the store
APPLY_BATCH = 256  # articles read back from the store per request
WRITER_HEAP = 64_000_000
LOCK_WAIT_SECONDS = 30.0  # another process of the same store may be writing
OVERLAP_NS = ChangeLog.OVERLAP_NS

log = logging.getLogger(__name__)


class SearchableChunks(Protocol):
    """What the keyword index mirrors: the store's committed chunks."""

    def committed_chunks(
        self, sources: Sequence[str] | None = None, versions: dict[str, str] | None = None
    ) -> Iterator[tuple[str, str, dict[str, Any]]]: ...

    def committed_versions(self, sources: Sequence[str]) -> dict[str, str]: ...


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("source", tokenizer_name="raw")
    builder.add_text_field("version", stored=True, tokenizer_name="raw")
    builder.add_text_field("publisher", tokenizer_name="raw")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_text_field("terms", tokenizer_name="whitespace", index_option="freq")
    return builder.build()


class KeywordIndex:
    """BM25 over the chunks, in a tantivy index in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._schema = _schema()
        manifest = self._read_manifest()
        if manifest.get("format") != FORMAT:
            shutil.rmtree(folder, ignore_errors=True)  # another layout: rebuilt by the caller
            manifest = {}
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self._index = tantivy.Index(self._schema, path=str(folder), reuse=True)
        except ValueError as error:  # damaged: its files are derived, so start again
            log.warning("the keyword index in %s cannot be read (%s); rebuilding it", folder, error)
            shutil.rmtree(folder)
            folder.mkdir(parents=True)
            self._index = tantivy.Index(self._schema, path=str(folder), reuse=True)
            manifest = {}
        self.generation: str | None = manifest.get("generation")
        self.synced_at: int | None = manifest.get("synced_at")
        # Change-log entries already applied near ``synced_at`` (read again for lagging
        # clocks, but not applied twice).
        self._recent: dict[str, int] = dict(manifest.get("recent", {}))
        self.articles_applied = 0  # articles re-read from the store since the process began

    # -- reading ---------------------------------------------------------------

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Chunk ids and BM25 scores, best first; only chunks sharing a term with the
        query, and only of articles that pass ``filters``."""
        terms = list(dict.fromkeys(keyword_terms(query)))
        if not terms:
            return []
        text = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "terms", t))
                for t in terms
            ]
        )
        searcher = self._index.searcher()
        hits = searcher.search(self._filtered(text, filters), k).hits
        return [(searcher.doc(address)["id"][0], float(score)) for score, address in hits]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms weigh the most."""
        searcher = self._index.searcher()
        size = searcher.num_docs
        df = searcher.doc_freq("terms", term) if size else 0
        return math.log(1 + (size - df + 0.5) / (df + 0.5))

    def doc_freqs(self, terms: Iterable[str]) -> dict[str, int]:
        """How many passages hold each stemmed term (one searcher for them all)."""
        searcher = self._index.searcher()
        if not searcher.num_docs:
            return dict.fromkeys(terms, 0)
        return {term: int(searcher.doc_freq("terms", term)) for term in terms}

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def chunk_ids(self) -> set[str]:
        """Every chunk id indexed (for checks; reads the whole index)."""
        searcher = self._index.searcher()
        size = searcher.num_docs
        if not size:
            return set()
        hits = searcher.search(tantivy.Query.all_query(), size).hits
        return {searcher.doc(address)["id"][0] for _, address in hits}

    # -- writing ---------------------------------------------------------------

    def apply(self, store: SearchableChunks, sources: Iterable[str]) -> int:
        """Make the index hold exactly the committed chunks of these articles (deleted
        ones: none), as the store says now; returns how many articles it re-read.

        The committed version of each article is read afresh from the store and
        compared with the version indexed, so an entry applied while its write was still
        under way (the old version then) is applied again once the write is done, and
        an article already current costs no read."""
        names = sorted(set(sources))
        applied = 0
        for start in range(0, len(names), APPLY_BATCH):
            batch = names[start : start + APPLY_BATCH]
            versions = store.committed_versions(batch)
            stale = [n for n in batch if self.version_of(n) != versions.get(n)]
            if not stale:
                continue
            with self._writer() as writer:
                for source in stale:
                    writer.delete_documents_by_term("source", source)
                for chunk_id, text, metadata in store.committed_chunks(stale, versions):
                    writer.add_document(self._document(chunk_id, text, metadata))
                writer.commit()
            self._index.reload()
            applied += len(stale)
        self.articles_applied += applied
        return applied

    def version_of(self, source: str) -> str | None:
        """The version of ``source`` whose chunks are indexed; None if none are."""
        searcher = self._index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self._schema, "source", source), 1).hits
        if not hits:
            return None
        return str(searcher.doc(hits[0][1])["version"][0])

    def follow(self, store: SearchableChunks, entries: Sequence[tuple[str, str, int]]) -> int:
        """Apply the change-log entries not applied yet (``ChangeLog.since``); returns how
        many articles were read back from the store."""
        new = [e for e in entries if e[0] not in self._recent]
        applied = self.apply(store, {source for _, source, _ in new})
        self.seen(entries)
        return applied

    def seen(self, entries: Sequence[tuple[str, str, int]]) -> None:
        """Count change-log entries as applied (a rebuild has read what they changed)."""
        if not entries:
            return
        self._recent.update({entry: at for entry, _, at in entries})
        self.synced_at = max(self.synced_at or 0, *self._recent.values())
        window = self.synced_at - OVERLAP_NS
        self._recent = {entry: at for entry, at in self._recent.items() if at > window}

    def rebuild(self, store: SearchableChunks) -> None:
        """Index every committed chunk anew."""
        with self._writer() as writer:
            writer.delete_all_documents()
            for chunk_id, text, metadata in store.committed_chunks():
                writer.add_document(self._document(chunk_id, text, metadata))
            writer.commit()
        self._index.reload()

    def forget(self) -> None:
        """Count the index as current at no write, so the next catch-up rebuilds it."""
        self.generation = self.synced_at = None
        self._recent = {}

    def mark(self, generation: str | None, synced_at: int | None = None) -> None:
        """Record that the index is current at write ``generation`` (and change-log time
        ``synced_at``, if given): written to a new file, then renamed, so a crash keeps
        the old one."""
        self.generation = generation
        if synced_at is not None:
            self.synced_at = synced_at
        manifest = {
            "format": FORMAT,
            "generation": generation,
            "synced_at": self.synced_at,
            "recent": self._recent,
        }
        staging = self.folder / (MANIFEST + ".tmp")
        staging.write_text(json.dumps(manifest))
        staging.replace(self.folder / MANIFEST)

    # -- internals -------------------------------------------------------------

    def _document(self, chunk_id: str, text: str, metadata: dict[str, Any]) -> tantivy.Document:
        return tantivy.Document(
            id=chunk_id,
            source=str(metadata.get("source", "")),
            version=str(metadata.get("version", "")),
            publisher=str(metadata.get("publisher") or ""),
            day=int(metadata.get("published_day") or 0),
            terms=" ".join(keyword_terms(text)),
        )

    def _filtered(self, query: tantivy.Query, filters: Filters | None) -> tantivy.Query:
        if filters is None or filters.empty:
            return query
        must = [query]
        if filters.published_from or filters.published_to:
            must.append(
                tantivy.Query.range_query(
                    self._schema,
                    "day",
                    tantivy.FieldType.Integer,
                    filters.published_from.toordinal() if filters.published_from else 1,
                    filters.published_to.toordinal() if filters.published_to else None,
                )
            )
        if filters.sources:
            must.append(tantivy.Query.term_set_query(self._schema, "source", list(filters.sources)))
        if filters.publishers:
            must.append(
                tantivy.Query.term_set_query(self._schema, "publisher", list(filters.publishers))
            )
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])

    def _writer(self) -> _Writer:
        return _Writer(self._index)

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}


class _Writer:
    """A tantivy writer held for one change: another process of the same store may hold
    the index's write lock for a while (an ingest beside a server), so wait for it."""

    def __init__(self, index: tantivy.Index) -> None:
        self._index = index
        self._writer: Any = None

    def __enter__(self) -> Any:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                self._writer = self._index.writer(WRITER_HEAP, 1)
                return self._writer
            except ValueError as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise RuntimeError(f"the keyword index cannot be written: {error}") from error
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None:
            if exc[0] is not None:
                self._writer.rollback()
            self._writer.wait_merging_threads()  # also gives the write lock back
