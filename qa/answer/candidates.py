"""The sentences of retrieved passages an answer may quote, each once.

In: the retrieved passages, best first. Out: a ``Candidate`` per distinct sentence, with
the best-ranked passage that holds it, the sentence before it and the sentence after it
in its article (read from the next passage when the sentence ends its own, if retrieval
found that passage). The evidence scorer (``qa.answer.evidence``) scores these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.cite.attribution import Quote
from qa.text.sentences import split_sentences
from qa.types import Passage


@dataclass(frozen=True)
class Candidate:
    sentence: str
    passage: Passage
    rank: int
    previous: str | None
    following: Quote | None  # the sentence after it, in the passage that holds it


def candidate_sentences(passages: Sequence[Passage]) -> list[Candidate]:
    """Each distinct sentence once, with the best-ranked passage that holds it, and the
    sentence after it in its article when retrieval found that: the last sentence of a
    passage goes on in the next one (which starts with it again when chunks overlap)."""
    split = [split_sentences(passage.text) for passage in passages]
    placed = {(p.source, p.ordinal): (p, s) for p, s in zip(passages, split, strict=True)}
    found: list[Candidate] = []
    seen: set[str] = set()
    for rank, (passage, sentences) in enumerate(zip(passages, split, strict=True)):
        for at, sentence in enumerate(sentences):
            if sentence in seen:  # overlapping chunks: cite the better-ranked one
                continue
            seen.add(sentence)
            previous = sentences[at - 1] if at else None
            following = None
            if at + 1 < len(sentences):
                following = Quote(sentences[at + 1], passage)
            elif (passage.source, passage.ordinal + 1) in placed:
                next_passage, after = placed[passage.source, passage.ordinal + 1]
                after = after[1:] if after[:1] == [sentence] else after
                following = Quote(after[0], next_passage) if after else None
            found.append(Candidate(sentence, passage, rank, previous, following))
    return found
