"""What flows between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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


@dataclass(frozen=True)
class Answer:
    """A cited answer, or an abstention (``answered`` false) with a short message."""

    text: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    mode: str = "extractive"  # which path wrote it: "extractive" or "generated"
    passages: tuple[Passage, ...] = field(default=(), compare=False)
    dropped: int = 0  # generated sentences left out because no source supported them
    notice: str | None = None  # why a generated answer fell back to the extractive one


@dataclass(frozen=True)
class Token:
    """A piece of answer text as it is written; markers in it are always complete."""

    text: str


# What a streaming answerer yields: text pieces, then the finished ``Answer`` last.
AnswerEvent = Token | Answer
