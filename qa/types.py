"""What flows between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Article:
    """A cleaned article: its body text and the metadata found in the page."""

    source: str  # file name the article was ingested from
    title: str
    body: str
    published: str | None = None  # ISO 8601 date
    author: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A few consecutive sentences of one article: the unit that is indexed and cited."""

    id: str
    source: str
    ordinal: int
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article metadata and fused retrieval score."""

    chunk_id: str
    source: str
    text: str
    title: str
    publisher: str | None
    published: str | None
    author: str | None
    score: float = 0.0
    ordinal: int = 0  # the chunk's position in its article, from 0


@dataclass(frozen=True)
class IndexedArticle:
    """An indexed article's record: its metadata, version and size, without its text."""

    source: str
    title: str
    published: str | None
    author: str | None
    publisher: str | None
    chunks: int
    version: str
    characters: int


class IngestOutcome(StrEnum):
    """What ingesting one article file did."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Query:
    """The text passages are retrieved with, and whether a model rewrote it from a
    follow-up question (then it is a standalone question, not the user's words)."""

    text: str
    rewritten: bool = False


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a query, best first, with the query's embedding (reused
    by the answerer, not computed twice)."""

    query: Query
    query_embedding: list[float]
    passages: list[Passage]
    dense: dict[str, float] = field(default_factory=dict)  # chunk id → cosine similarity


@dataclass(frozen=True)
class Citation:
    """The passage behind an ``[n]`` marker, and the sentences of it the answer used."""

    n: int
    passage: Passage
    cited_sentences: tuple[str, ...] = ()


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation."""

    role: Role
    content: str


class AnswerOrigin(StrEnum):
    """Who wrote an answer's sentences."""

    EXTRACTIVE = "extractive"  # quoted from the articles
    GENERATED = "generated"  # a language model, each sentence verified against its source


@dataclass(frozen=True)
class Answer:
    """A cited answer, or an abstention (``answered`` false) with a short message."""

    text: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    origin: AnswerOrigin = AnswerOrigin.EXTRACTIVE
    passages: tuple[Passage, ...] = field(default=(), compare=False)
    dropped: int = 0  # generated sentences left out because no source supported them
    notice: str | None = None  # why a generated answer fell back to the extractive one

    def as_dict(self) -> dict[str, Any]:
        """The answer as the API returns it (``POST /api/ask``) and ``qa ask --json`` prints."""
        return {
            "answer": self.text,
            "answered": self.answered,
            "mode": self.origin.value,
            "citations": [
                {
                    "n": c.n,
                    "source": c.passage.source,
                    "title": c.passage.title,
                    "publisher": c.passage.publisher,
                    "published": c.passage.published,
                    "quote": c.passage.text,
                    "cited_sentences": list(c.cited_sentences),
                }
                for c in self.citations
            ],
            "dropped_sentences": self.dropped,
            "notice": self.notice,
        }


@dataclass(frozen=True)
class Token:
    """A piece of answer text as it is written; markers in it are always complete."""

    text: str


# What a streaming answerer yields: text pieces, then the finished ``Answer`` last.
AnswerEvent = Token | Answer


@dataclass(frozen=True)
class ServiceStatus:
    """What a loaded service holds and runs: for readiness checks."""

    articles: int
    chunks: int
    embedding_model: str
    embedding_backend: str
    answerer: str
