"""The one interface every answerer implements, and the messages they share.

An answerer gets the question, the conversation so far and the retrieved passages, and
returns an ``Answer``: cited sentences, or an abstention. The service retrieves with
the answerer's ``retrieval_query`` so that follow-up questions find their passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from qa.retrieve.hybrid import Retrieval
from qa.types import Answer, Turn

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
