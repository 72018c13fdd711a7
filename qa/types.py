"""What flows between the pipeline's stages."""

from __future__ import annotations

import calendar
import re
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar


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


class FetchFailure(StrEnum):
    """Why a page could not be fetched for ingestion."""

    REFUSED = "refused"  # the URL or its address is not one the service fetches
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"  # not HTML or text
    FAILED = "failed"  # the server did not answer, answered an error, or took too long


class FetchError(ValueError):
    """A page was not fetched; the message names the reason, ``failure`` its kind."""

    def __init__(self, failure: FetchFailure, message: str) -> None:
        super().__init__(message)
        self.failure = failure


class IngestOutcome(StrEnum):
    """What ingesting one article file did."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Filters:
    """Which articles an answer or a search may draw on: published in a date range (both
    ends included; an undated article matches no range), from some files, from some
    outlets. Empty: every article."""

    published_from: date | None = None
    published_to: date | None = None
    sources: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError(
                f"published_from ({self.published_from}) is after published_to "
                f"({self.published_to})"
            )

    @property
    def empty(self) -> bool:
        return not (self.published_from or self.published_to or self.sources or self.publishers)

    def describe(self) -> str:
        """The filters in words, for a message about them."""
        parts = []
        if self.published_from or self.published_to:
            parts.append(
                f"published {self.published_from or 'any time'} to {self.published_to or 'now'}"
            )
        if self.sources:
            parts.append("from " + ", ".join(self.sources))
        if self.publishers:
            parts.append("by " + ", ".join(self.publishers))
        return "; ".join(parts) or "none"


# Dates as people bound a search by them: a day, a month or a year. "2017-03-05",
# "2017-03" or "2017" names its first day for "published from" and its last for
# "published to", so "to 2017" takes in the whole of 2017. ``date.fromisoformat`` reads
# only whole days, and pydantic reads "2017" as seconds after 1970; neither is what
# someone narrowing a news archive to a year means.
# [0-9], not \d: \d takes other scripts' digits too ("٢٠١٧"), and int() reads them.
_DAY_MONTH_OR_YEAR = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
DATE_FORMATS = "YYYY-MM-DD, YYYY-MM or YYYY"


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = _DAY_MONTH_OR_YEAR.fullmatch(text.strip())
    if not match:
        raise ValueError(f"expected a date as {DATE_FORMATS}, got {text!r}")
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def _checked(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date: {error}") from None


def first_day(text: str) -> date:
    """The first day ``text`` names: "2017" is 1 January 2017."""
    year, month, day = _parts(text)
    return _checked(year, month or 1, day or 1, text)


def last_day(text: str) -> date:
    """The last day ``text`` names: "2017-02" is 28 February 2017."""
    year, month, day = _parts(text)
    if month is None:
        return _checked(year, 12, 31, text)
    if day is None:
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a date: month must be in 1..12")
        day = calendar.monthrange(year, month)[1]
    return _checked(year, month, day, text)


def day_number(published: str | None) -> int:
    """An ISO date as a whole number for range filters (0: undated)."""
    if not published:
        return 0
    try:
        return date.fromisoformat(published).toordinal()
    except ValueError:
        return 0


@dataclass(frozen=True)
class Query:
    """The text passages are retrieved with, and whether a model rewrote it from a
    follow-up question (then it is a standalone question, not the user's words), or
    tried to and could not (``unresolved``: the follow-up's own terms and those of the
    turns before it instead)."""

    text: str
    rewritten: bool = False
    unresolved: bool = False


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a query, best first, with the query's embedding (reused
    by the answerer, not computed twice)."""

    query: Query
    query_embedding: list[float]
    passages: list[Passage]
    dense: dict[str, float] = field(default_factory=dict)  # chunk id → cosine similarity
    filters: Filters = field(default_factory=Filters)
    parts: tuple[QuestionPart, ...] = ()  # a compound question's parts, each retrieved alone
    notice: str | None = None  # why nothing could be searched (an empty index, no article passes)


@dataclass(frozen=True)
class QuestionPart:
    """One of the questions a compound question asks ("How many fled, and where to?"),
    with the parts before it as its conversation, and the passages found for it."""

    question: str
    history: tuple[Turn, ...]
    retrieval: Retrieval


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
    # How the answer was made, where the reader should know: how a mistyped question was
    # read, why a generated answer fell back to the extractive one.
    notice: str | None = None
    # An abstention's closest sentences, for the reader to judge: not an answer, no claim.
    nearest: tuple[Citation, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The answer as the API returns it (``POST /api/ask``) and ``qa ask --json`` prints."""
        return {
            "answer": self.text,
            "answered": self.answered,
            "mode": self.origin.value,
            "citations": [_citation_dict(c) for c in self.citations],
            "dropped_sentences": self.dropped,
            "notice": self.notice,
            "nearest": [_citation_dict(c) for c in self.nearest],
        }


def _citation_dict(citation: Citation) -> dict[str, Any]:
    passage = citation.passage
    return {
        "n": citation.n,
        "source": passage.source,
        "title": passage.title,
        "publisher": passage.publisher,
        "published": passage.published,
        "author": passage.author,
        "quote": passage.text,
        "cited_sentences": list(citation.cited_sentences),
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
    articles_synced: int = 0  # articles re-read into the keyword index since the start


# Set while a language model writes an answer for a caller that has stopped waiting for
# it (a client gone mid-stream, the chat page's Stop): the model stops at its next token
# rather than keep a core busy for nobody. Per request, through ``stoppable``.
ANSWER_STOPPED: ContextVar[threading.Event | None] = ContextVar("answer_stopped", default=None)

_Event = TypeVar("_Event")


def stoppable(events: Iterator[_Event], stop: threading.Event) -> Iterator[_Event]:
    """``events``, each step taken with ``stop`` as ``ANSWER_STOPPED``: a stream's steps
    may each run on another worker thread, in a copy of the caller's context."""
    while True:
        token = ANSWER_STOPPED.set(stop)
        try:
            event = next(events)
        except StopIteration:
            return
        finally:
            ANSWER_STOPPED.reset(token)
        yield event


def answer_stopped() -> bool:
    """Whoever the answer being written is for has stopped waiting for it."""
    stop = ANSWER_STOPPED.get()
    return stop is not None and stop.is_set()
