"""The one interface every answerer implements, and the messages they share.

An answerer gets the question, the conversation so far and the retrieved passages, and
returns an ``Answer``: cited sentences, or an abstention. ``stream`` yields the same
answer as ``Token`` pieces while it is written, then the ``Answer`` itself. The service
retrieves with the answerer's ``retrieval_query`` so that follow-up questions find
their passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from qa.retrieve.hybrid import Retrieval
from qa.types import Answer, AnswerEvent, Token, Turn

ABSTENTION_MESSAGE = (
    "The articles don't say. None of the indexed passages answers this question; "
    "try rephrasing it, or ask about something the articles report."
)
EMPTY_INDEX_MESSAGE = "No articles are indexed yet: run `qa ingest` first."


class Answerer(Protocol):
    def retrieval_query(self, question: str, history: Sequence[Turn]) -> str:
        """The text to retrieve passages with: the question made standalone."""
        ...

    def answer(self, question: str, history: Sequence[Turn], retrieval: Retrieval) -> Answer:
        """A cited answer drawn from ``retrieval.passages``, or an abstention."""
        ...

    def stream(
        self, question: str, history: Sequence[Turn], retrieval: Retrieval
    ) -> Iterator[AnswerEvent]:
        """``Token``s of the answer as it is written, then the finished ``Answer``."""
        ...


_AFTER_MARKER = re.compile(r"(?<=\]) ")


def stream_whole(answer: Answer) -> Iterator[AnswerEvent]:
    """Stream an answer that is already complete: a token per cited sentence, then it."""
    pieces = _AFTER_MARKER.split(answer.text) if answer.answered else [answer.text]
    for i, piece in enumerate(pieces):
        yield Token(piece if i == 0 else " " + piece)
    yield answer
