"""The language model's failures, counted by call and kind for the metrics."""

from collections.abc import Iterator, Sequence

import pytest

from qa.answer.chat import ChatModelError, CountedChat, ModelFailures, PromptMessage, ReplyCut


class _Failing:
    """A model whose every call fails with ``error`` after ``pieces`` pieces."""

    name = "failing"

    def __init__(self, error: ChatModelError, pieces: int = 0) -> None:
        self.error, self.pieces = error, pieces

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        yield from ["word "] * self.pieces
        raise self.error

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        raise self.error


def test_failures_are_counted_by_call_and_kind_and_still_raised() -> None:
    failures = ModelFailures()
    answering = CountedChat(_Failing(ReplyCut(200), pieces=3), failures, "answer")
    rewriting = CountedChat(_Failing(ChatModelError("down", "unreachable")), failures, "rewrite")
    pieces: list[str] = []
    with pytest.raises(ReplyCut):
        pieces.extend(answering.stream([], 200))
    assert pieces == ["word "] * 3  # the pieces before the failure still reach the caller
    for _ in range(2):
        with pytest.raises(ChatModelError):
            rewriting.judge([])
    with pytest.raises(ChatModelError):
        list(rewriting.stream([], 10))
    assert failures.counts() == {
        ("answer", "cut"): 1,
        ("judge", "unreachable"): 2,
        ("rewrite", "unreachable"): 1,
    }


def test_a_reader_who_stopped_waiting_is_no_failure() -> None:
    failures = ModelFailures()
    model = CountedChat(_Failing(ChatModelError("nobody waits", "stopped")), failures, "answer")
    with pytest.raises(ChatModelError):
        list(model.stream([], 10))
    assert failures.counts() == {}
