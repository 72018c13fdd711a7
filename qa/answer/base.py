"""The one interface every answerer implements, and the messages they share.

An answerer says what to retrieve with (``retrieval_query``: the question made
standalone) and then, given the retrieved passages, streams its answer: ``Token``
pieces while it is written, then the finished ``Answer`` (cited sentences, or an
abstention). ``final_answer`` takes the ``Answer`` from such a stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from qa.text.markers import split_after_markers
from qa.types import Answer, AnswerEvent, Filters, Query, Retrieval, Token, Turn

ABSTENTION_MESSAGE = (
    "The articles don't say. None of the indexed passages answers this question; "
    "try rephrasing it, or ask about something the articles report."
)
EMPTY_INDEX_MESSAGE = "No articles are indexed yet: run `qa ingest` first."


def no_match_message(filters: Filters) -> str:
    """Why nothing was answered when no indexed article passes ``filters``, and what to
    widen: only what was narrowed."""
    widen = [
        words
        for words, narrowed in (
            ("the dates", filters.published_from or filters.published_to),
            ("the files", filters.sources),
            ("the outlets", filters.publishers),
        )
        if narrowed
    ]
    which = " or ".join(widen) if len(widen) < 3 else f"{widen[0]}, {widen[1]} or {widen[2]}"
    return (
        f"No indexed article matches these filters ({filters.describe()}); "
        f"widen {which} and try again."
    )


def unindexed_message(names: Sequence[str]) -> str:
    """What to say of files or outlets a filter names that no indexed article has, when
    others it names do: the answer was drawn without them."""
    return f"Not indexed, so not searched: {', '.join(names)}."


class Answerer(Protocol):
    def retrieval_query(self, question: str, history: Sequence[Turn]) -> Query:
        """What to retrieve passages with: the question made standalone."""
        ...

    def stream(
        self, question: str, history: Sequence[Turn], retrieval: Retrieval
    ) -> Iterator[AnswerEvent]:
        """``Token``s of the answer as it is written, then the finished ``Answer``."""
        ...


def stream_whole(answer: Answer) -> Iterator[AnswerEvent]:
    """Stream an answer that is already complete: a token per cited sentence, then it."""
    pieces = split_after_markers(answer.text) if answer.answered else [answer.text]
    for i, piece in enumerate(pieces):
        yield Token(piece if i == 0 else " " + piece)
    yield answer


def final_answer(events: Iterable[AnswerEvent]) -> Answer:
    """The ``Answer`` that ends an answer stream (the tokens before it are dropped)."""
    answer = None
    for event in events:
        answer = event
    if not isinstance(answer, Answer):
        raise RuntimeError("the answer stream ended without an answer")
    return answer
