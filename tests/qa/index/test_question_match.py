"""The question matcher: the bundled e5 model, read for real."""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from qa.index.question_match import QuestionMatcher

QUESTION = "How long did the repairs to the bridge take?"
ANSWER = "Engineers reopened the bridge after three weeks of repair work."
TOPICAL = "The bridge was built in 1932 and carries the main road over the river."
UNRELATED = "The orchestra played its last concert of the season on Sunday."


@pytest.fixture(scope="module")
def matcher() -> QuestionMatcher:
    return QuestionMatcher.load()


def test_the_sentence_that_answers_matches_best(matcher: QuestionMatcher) -> None:
    answer, topical, unrelated = matcher.similarities(QUESTION, [ANSWER, TOPICAL, UNRELATED])
    assert answer > topical > unrelated


def test_remembered_sentences_score_as_when_first_read(matcher: QuestionMatcher) -> None:
    first = matcher.similarities(QUESTION, [ANSWER, TOPICAL])
    again = matcher.similarities(QUESTION, [TOPICAL, ANSWER, TOPICAL])
    np.testing.assert_allclose(again, [first[1], first[0], first[1]], rtol=1e-6)
    assert matcher.similarities(QUESTION, []).shape == (0,)


def test_threads_asking_at_once_get_what_one_alone_gets(matcher: QuestionMatcher) -> None:
    questions = [f"What happened on day {n} of the flood?" for n in range(12)]
    sentences = [f"On day {n} the water rose by {n} centimetres." for n in range(12)]
    alone = [QuestionMatcher.load().similarities(q, sentences) for q in questions[:3]]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda q: matcher.similarities(q, sentences), questions))
    for one, other in zip(alone, together[:3], strict=False):
        np.testing.assert_allclose(one, other, rtol=1e-5, atol=1e-6)


def test_loading_leaves_the_environment_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine's OpenMP runtime is told to sleep between calls only while it loads; a
    # language model's runtime, loaded later, must not inherit that.
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    QuestionMatcher.load()
    assert "OMP_WAIT_POLICY" not in os.environ
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    QuestionMatcher.load()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
