"""The searchable corpus: the chunk store and the keyword index, kept in agreement.

In: the chunk store, and the folder where the keyword index lives. Out: one object
that searches by vector and by keyword, and that writes only through ``writing()``, which
brings the keyword index in line and tells other processes on the same store when the
writes end, so no caller can forget to. ``sync`` picks up other processes' writes; it
costs one small read at most every ``max_age`` seconds, so it is cheap per question.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from qa.index.chunks import ChunkStore
from qa.index.keyword import KeywordIndex
from qa.types import Article, IndexedArticle, Passage


class Corpus:
    def __init__(self, store: ChunkStore, keyword_dir: Path) -> None:
        self._writing = threading.Lock()  # one writer at a time
        self._keyword_lock = threading.Lock()  # one refresh or sync of the keyword index
        self.store = store
        self._seen = self.store.opened_at
        self._checked_at = time.monotonic()
        self.keyword = KeywordIndex(keyword_dir, self.store, self.store.generation, self._seen)

    @contextmanager
    def writing(self) -> Iterator[ChunkStore]:
        """The store, to write to; afterwards (however the block ends) the keyword index
        mirrors what is committed and the store's write generation is final again."""
        with self._writing:
            try:
                yield self.store
            finally:
                with self._keyword_lock:
                    rebuilt = self.keyword.refresh()
                    token = self.store.finish_write(changed=rebuilt)
                    if token is not None:
                        self._seen = token
                        self.keyword.mark(token)

    def sync(self, max_age: float = 1.0) -> None:
        """Pick up another process's writes: reload what is committed and the keyword
        index if the write generation moved; checks at most every ``max_age`` seconds."""
        if time.monotonic() - self._checked_at < max_age:
            return
        with self._keyword_lock:
            self._checked_at = time.monotonic()
            token = self.store.generation.read()
            if token != self._seen:
                self.store.reload()
                self.keyword.sync(token)
                self._seen = token

    # -- reading ---------------------------------------------------------------

    def is_empty(self) -> bool:
        return self.store.is_empty()

    def dense_search(self, query_embedding: list[float], k: int) -> list[tuple[str, float]]:
        return self.store.dense_search(query_embedding, k)

    def keyword_search(self, query: str, k: int) -> list[tuple[str, float]]:
        return self.keyword.search(query, k)

    def idf(self, term: str) -> float:
        return self.keyword.idf(term)

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        return self.store.passages(chunk_ids)

    def articles(self) -> list[IndexedArticle]:
        return self.store.articles()

    def article(self, source: str) -> tuple[Article, IndexedArticle] | None:
        return self.store.article(source)

    def counts(self) -> tuple[int, int]:
        """(articles, chunks) as Chroma holds them now."""
        return self.store.records.count(), self.store.count()
