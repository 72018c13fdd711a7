"""The searchable corpus: the chunk store and the keyword index, kept in agreement.

In: the chunk store, and the folder where the keyword index lives. Out: one object
that searches by vector and by keyword (with the same filters on both), and that
writes only through ``writing()``: when the block ends, the keyword index takes in the
articles the change log names since it last looked (this process's writes and any
other's), and the write generation is final again, so no caller can forget to. ``sync``
picks up other processes' writes the same way, reading only the articles they changed;
it costs one small read at most every ``max_age`` seconds, so it is cheap per question.
When it opens, the keyword index is checked against the chunk counts the store's records
give, and rebuilt if they differ (files of it lost, or a store made anew beside it).
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import chromadb.errors
import numpy as np

from qa.index.chunks import ChunkStore
from qa.index.filters import chroma_where
from qa.index.keyword import KeywordIndex
from qa.index.store import StoreNotWritable, WriteGeneration
from qa.types import Article, Filters, IndexedArticle, Passage

log = logging.getLogger(__name__)


def fold_name(name: str) -> str:
    """A name as filters and name clashes compare it: case, spacing and Unicode form aside."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class Corpus:
    def __init__(
        self, store: ChunkStore, keyword_dir: Path, exclusive: bool = False, embedded: bool = True
    ) -> None:
        """``exclusive``: no other process can be writing the store (``holds_store``), so
        what a write under way would have left is a dead writer's, and is removed.
        ``embedded``: the store is Chroma's embedded one, in this process."""
        self._writing = threading.Lock()  # one writer at a time
        self._embedded = embedded
        self.write_failure: str | None = None  # why writes are closed, once they are
        self._keyword_lock = threading.Lock()  # one update of the keyword index at a time
        self.store = store
        self.keyword = KeywordIndex(keyword_dir)
        self._seen = store.opened_at
        # Read once per index change, with what questions derive from them each time
        self._articles: list[IndexedArticle] | None = None
        self._outlets: dict[str, tuple[str, ...]] | None = None
        self._titles: dict[str, str] | None = None
        self._folded: dict[str, str] | None = None  # a folded name → the source it folds
        self._checked_at = time.monotonic()
        with self._keyword_lock:
            self._catch_up(self._seen)
        committed = store.committed_count()  # purging removes no committed chunk
        if exclusive:
            self._purge_uncommitted(committed)
        self._check_keyword_index(committed)

    @contextmanager
    def writing(self) -> Iterator[ChunkStore]:
        """The store, to write to; afterwards (however the block ends) the keyword index
        mirrors what is committed and the store's write generation is final again."""
        with self._writing:
            if self.write_failure:
                raise StoreNotWritable(self.write_failure)
            before = self.store.generation.read()
            try:
                yield self.store
            except chromadb.errors.InternalError as error:
                if not self._embedded:
                    raise
                # Chroma's embedded store, once a write of it has failed (its disk full),
                # hung the next write while holding Python's lock: every route of the
                # server stopped answering. Writes wait for a restart instead, which
                # also tidies what this one left (``_purge_uncommitted``).
                self.write_failure = (
                    f"a write to the store failed ({error}); it takes no more until the "
                    "service is restarted (free disk space first if it is full); "
                    "questions are still answered"
                )
                raise StoreNotWritable(self.write_failure) from error
            finally:
                if not self.write_failure:  # nothing more is written after a failed write
                    self._finish_write(before)

    def _finish_write(self, before: str | None) -> None:
        with self._keyword_lock:
            token = self.store.finish_write()
            if token is not None:
                if before == self._seen:
                    # Nobody else wrote since this process last looked; else the next
                    # sync reloads what is committed.
                    self._seen = token
                self._catch_up(token)

    def sync(self, max_age: float = 1.0) -> None:
        """Pick up another process's writes: reload what is committed, and re-read the
        articles it changed into the keyword index, if the write generation moved;
        checks at most every ``max_age`` seconds."""
        if time.monotonic() - self._checked_at < max_age or self._writing.locked():
            return  # this process's own write catches up when it ends
        with self._keyword_lock:
            self._checked_at = time.monotonic()
            token = self.store.generation.read()
            if token != self._seen:
                self.store.reload()
                self._catch_up(token)
                self._seen = token

    def _purge_uncommitted(self, committed: int) -> None:
        """Remove what a writer killed or failed mid-write left: chunks of no committed
        version (counted first, so a sound store costs a count, not a scan)."""
        if not WriteGeneration.is_dirty(self._seen) and self.store.count() == committed:
            return
        with self.writing() as writing:
            removed = writing.purge_uncommitted()
        if removed:
            log.warning("removed %d chunks that an interrupted write left behind", removed)

    def _check_keyword_index(self, committed: int) -> None:
        """Rebuild the keyword index from the store if it does not hold as many passages
        as the store commits: files of it lost (tantivy then opens an empty index), or a
        store made anew beside an old index (whose passages are then ghosts). Skipped
        while another process is writing: the counts may differ for a moment."""
        with self._keyword_lock:
            if WriteGeneration.is_dirty(self._seen):
                return
            held = self.keyword.count()
            if held == committed:
                return
            log.warning(
                "the keyword index holds %d passages where the store commits %d; "
                "rebuilding it from the store",
                held,
                committed,
            )
            self.keyword.forget()
            self._catch_up(self._seen)

    def _catch_up(self, token: str | None) -> None:
        """Bring the keyword index to the store as of write ``token``: nothing to do if it
        was saved there, else the articles logged since it was, else everything."""
        self._articles = self._outlets = self._titles = self._folded = None
        keyword = self.keyword
        final = WriteGeneration.is_final(token)
        if final and keyword.generation == token and keyword.synced_at is not None:
            return
        if keyword.synced_at is None:
            entries = self.store.changes.since(None)
            keyword.rebuild(self.store)
            keyword.seen(entries)
        else:
            keyword.follow(self.store, self.store.changes.since(keyword.synced_at))
        keyword.mark(token if final else None, keyword.synced_at or 0)

    # -- reading ---------------------------------------------------------------

    def is_empty(self) -> bool:
        return self.store.is_empty()

    def dense_search(
        self, query_embedding: list[float], k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        return self.store.dense_search(query_embedding, k, filters)

    def keyword_search(
        self, query: str, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        return self.keyword.search(query, k, filters)

    def idf(self, term: str) -> float:
        return self.keyword.idf(term)

    def doc_freqs(self, terms: Iterable[str]) -> dict[str, int]:
        return self.keyword.doc_freqs(terms)

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        return self.store.passages(chunk_ids)

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        return self.store.chunk_vectors(chunk_ids)

    def article_passages(self, source: str) -> list[str]:
        """The searchable passages of one article, in its order."""
        chunks = self.store.committed_chunks([source])
        return [text for _, text, _ in sorted(chunks, key=lambda c: int(c[2].get("ordinal", 0)))]

    def articles(self) -> list[IndexedArticle]:
        return self.store.articles()

    def article(self, source: str) -> tuple[Article, IndexedArticle] | None:
        return self.store.article(source)

    def _indexed(self) -> list[IndexedArticle]:
        articles = self._articles
        if articles is None:
            articles = self._articles = self.store.articles()
        return articles

    def outlets(self) -> dict[str, tuple[str, ...]]:
        """Each outlet and author of the indexed articles, with their articles' sources
        (read once, until the index changes: every question asks)."""
        if self._outlets is None:
            found: dict[str, list[str]] = {}
            for article in self._indexed():
                for name in {article.publisher, article.author} - {None, ""}:
                    found.setdefault(str(name), []).append(article.source)
            self._outlets = {name: tuple(s) for name, s in found.items()}
        return self._outlets

    def titles(self) -> dict[str, str]:
        """Each indexed article's title by its source (read once, until the index changes)."""
        if self._titles is None:
            self._titles = {a.source: a.title for a in self._indexed()}
        return self._titles

    def named_alike(self, name: str) -> str | None:
        """The indexed article whose name is ``name`` but for case, spacing or Unicode
        form, if one is: two such names could not be told apart by a filter."""
        if name in self.titles():
            return None  # the article itself, to replace, whatever else was let in before
        return self._folded_sources().get(fold_name(name))

    def _folded_sources(self) -> dict[str, str]:
        """Indexed sources by their folded names (read once, until the index changes):
        an ingest asks for each of its files."""
        if self._folded is None:
            self._folded = {fold_name(a.source): a.source for a in self._indexed()}
        return self._folded

    def as_indexed(self, filters: Filters) -> Filters:
        """``filters`` with each file and outlet named as the index spells it, where it
        names one but for case, spacing or Unicode form ("afp", "café.txt" typed in NFC
        for a name macOS wrote in NFD); a name the index lacks stays as given, matching
        nothing. Chroma's ``$in`` compares exactly, so the match is made here."""
        if not (filters.sources or filters.publishers):
            return filters
        articles = self._indexed()
        sources = self._folded_sources()
        outlets = {fold_name(a.publisher): a.publisher for a in articles if a.publisher}
        return replace(
            filters,
            sources=tuple(sources.get(fold_name(s), s) for s in filters.sources),
            publishers=tuple(outlets.get(fold_name(p), p) for p in filters.publishers),
        )

    def unindexed(self, filters: Filters) -> list[str]:
        """The files and outlets ``filters`` names (as ``as_indexed`` spells them) that no
        indexed article has."""
        articles = self._indexed()
        outlets = {a.publisher for a in articles}
        return [s for s in filters.sources if s not in self.titles()] + [
            p for p in filters.publishers if p not in outlets
        ]

    def counts(self) -> tuple[int, int]:
        """(articles, chunks) as Chroma holds them now."""
        return self.store.records.count(), self.store.count()

    def any_article(self, filters: Filters) -> bool:
        """Some indexed article passes ``filters``."""
        return self.store.records.any_match(chroma_where(filters))
