"""One record per indexed article: its cleaned text, metadata, version and chunk count.

In: an article with the version and chunk count its chunks were written with. Out: the
article back by source name, and a listing of every article without reading the chunks.
The records live in a second Chroma collection beside the chunks, so an embedded store
and a Chroma server hold them the same way. Each record carries the vector of its
article's first chunk (Chroma stores a vector with every record; it costs no embedding).
A record is written after its article's chunks, so it marks the version that is complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qa.index.store import open_collection, read_pages
from qa.types import Article, IndexedArticle, Passage, day_number

ARTICLE_FIELDS = ("title", "published", "author", "publisher")


def records_collection_name(chunks_collection: str) -> str:
    return f"{chunks_collection}-docs"


class ArticleRecords:
    def __init__(self, client: Any, chunks_collection: str, embed_model: str, backend: str) -> None:
        self.collection = open_collection(
            client, records_collection_name(chunks_collection), embed_model, backend
        )

    def put_many(self, records: Sequence[tuple[Article, str, int, Sequence[float]]]) -> None:
        """Write the records of several articles in one request."""
        if not records:
            return
        self.collection.upsert(
            ids=[article.source for article, *_ in records],
            documents=[article.body for article, *_ in records],
            metadatas=[
                _metadata(article, version, chunks) for article, version, chunks, _ in records
            ],
            embeddings=[list(vector) for *_, vector in records],
        )

    def delete(self, source: str) -> None:
        self.collection.delete(ids=[source])

    def get(self, source: str) -> tuple[Article, IndexedArticle] | None:
        """The article and its record, or None if no article has that source name."""
        found = self.collection.get(ids=[source], include=["documents", "metadatas"])
        if not found["ids"]:
            return None
        body = (found["documents"] or [""])[0] or ""
        record = _record(source, dict((found["metadatas"] or [{}])[0] or {}))
        article = Article(
            source=source,
            title=record.title,
            body=body,
            published=record.published,
            author=record.author,
            publisher=record.publisher,
        )
        return article, record

    def versions_of(self, sources: Sequence[str]) -> dict[str, str]:
        """Source name → committed version, for those of ``sources`` that are indexed."""
        found = self.collection.get(ids=list(sources), include=["metadatas"])
        return {
            source: str((metadata or {}).get("version", ""))
            for source, metadata in zip(found["ids"], found["metadatas"], strict=True)
        }

    def versions(self) -> dict[str, str]:
        """Source name → the version whose chunks are complete (the committed one)."""
        return {
            source: str((metadata or {}).get("version", ""))
            for page in read_pages(self.collection, ["metadatas"])
            for source, metadata in zip(page["ids"], page["metadatas"], strict=True)
        }

    def all(self) -> list[IndexedArticle]:
        """Every article, by source name."""
        records = [
            _record(source, dict(metadata or {}))
            for page in read_pages(self.collection, ["metadatas"])
            for source, metadata in zip(page["ids"], page["metadatas"], strict=True)
        ]
        return sorted(records, key=lambda r: r.source)

    def count(self) -> int:
        return int(self.collection.count())

    def any_match(self, where: dict[str, Any] | None) -> bool:
        """Some article's record matches ``where`` (a Chroma filter on its metadata)."""
        return bool(self.collection.get(where=where, limit=1, include=[])["ids"])


def _metadata(article: Article, version: str, chunks: int) -> dict[str, str | int]:
    return {
        "source": article.source,
        "version": version,
        "chunks": chunks,
        "characters": len(article.body),
        "published_day": day_number(article.published),
        **{f: getattr(article, f) or "" for f in ARTICLE_FIELDS},
    }


def none_if_empty(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _record(source: str, metadata: dict[str, Any]) -> IndexedArticle:
    return IndexedArticle(
        source=source,
        title=str(metadata.get("title") or source),
        published=none_if_empty(metadata.get("published")),
        author=none_if_empty(metadata.get("author")),
        publisher=none_if_empty(metadata.get("publisher")),
        chunks=int(metadata.get("chunks", 0)),
        version=str(metadata.get("version", "")),
        characters=int(metadata.get("characters", 0)),
    )


def passage_from_metadata(chunk_id: str, text: str, metadata: dict[str, Any]) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        source=str(metadata.get("source", "")),
        text=text,
        title=str(metadata.get("title") or metadata.get("source", "")),
        publisher=none_if_empty(metadata.get("publisher")),
        published=none_if_empty(metadata.get("published")),
        author=none_if_empty(metadata.get("author")),
        ordinal=int(metadata.get("ordinal") or 0),
    )
