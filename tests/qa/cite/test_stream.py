"""The sentence stream: whole sentences with complete markers, from text written piece by piece."""

import random

import pytest

from qa.cite.stream import SentenceStream


def _stream(text: str, seed: int) -> list[str]:
    rng, stream, out, i = random.Random(seed), SentenceStream(), [], 0
    while i < len(text):
        step = rng.randint(1, 5)
        out.extend(stream.feed(text[i : i + step]))
        for sentence in out:
            assert not sentence.endswith("[") and sentence.count("[") == sentence.count("]")
        i += step
    return out + stream.finish()


@pytest.mark.parametrize("seed", range(5))
def test_streamed_text_comes_out_as_whole_sentences_with_their_markers(seed: int) -> None:
    text = (
        "Col. John Dorrian said fewer than 1,000 militants remained [1]. "
        "The U.S. forces advanced on Friday. [2][3] Five PMU fighters were killed [1, 2]. End"
    )
    assert _stream(text, seed) == [
        "Col. John Dorrian said fewer than 1,000 militants remained [1].",
        "The U.S. forces advanced on Friday. [2][3]",
        "Five PMU fighters were killed [1, 2].",
        "End",
    ]


def test_a_sentence_is_held_back_until_its_markers_can_no_longer_grow() -> None:
    stream = SentenceStream()
    assert stream.feed("Five fighters were killed. [1") == []
    assert stream.feed("] Then") == ["Five fighters were killed. [1]"]
    assert stream.finish() == ["Then"]
