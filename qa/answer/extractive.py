"""The default answerer: quotes the best-supported sentences of the retrieved passages.

In: a question, its conversation and the retrieved passages. Out: an answer of one to
three verbatim sentences, each followed by its ``[n]`` marker, or an abstention when no
sentence covers enough of the question or holds the kind of fact it asks for.
Deterministic: the same index and question always give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from qa.answer.base import ABSTENTION_MESSAGE, stream_whole
from qa.answer.evidence import Evidence, EvidenceScorer, is_supported
from qa.answer.question import analyse_question
from qa.cite.markers import cite_sentences
from qa.types import Answer, AnswerEvent, Passage, Query, Retrieval, Turn

SECOND_SENTENCE_RATIO = 0.92  # a further sentence must score this close to the best
NEXT_SENTENCE_RATIO = 0.85  # ... or this close, if it directly follows the best one
CONTEXT_GAIN = 0.15  # coverage the sentence before must add for it to be quoted too


class ExtractiveAnswerer:
    def __init__(self, scorer: EvidenceScorer, max_sentences: int = 3) -> None:
        self.scorer = scorer
        self.max_sentences = max_sentences

    def retrieval_query(self, question: str, history: Sequence[Turn]) -> Query:
        return Query(analyse_question(question, history).retrieval_query)

    def stream(
        self, question: str, history: Sequence[Turn], retrieval: Retrieval
    ) -> Iterator[AnswerEvent]:
        # Nothing is generated: the whole answer is ready at once, sent a sentence a token.
        evidence = self.scorer.score(analyse_question(question, history), retrieval)
        yield from stream_whole(self.quote(evidence, retrieval))

    def quote(self, evidence: Sequence[Evidence], retrieval: Retrieval) -> Answer:
        """The answer quoted from scored evidence, or an abstention if none supports one."""
        best = self.scorer.best_supported(evidence)
        if best is None:
            return Answer(ABSTENTION_MESSAGE, answered=False, passages=tuple(retrieval.passages))
        text, citations = cite_sentences(self._compose(best, evidence))
        return Answer(text, answered=True, citations=citations, passages=tuple(retrieval.passages))

    def _compose(self, best: Evidence, evidence: Sequence[Evidence]) -> list[tuple[str, Passage]]:
        chosen: list[tuple[str, Passage]] = []
        if best.previous and best.coverage - best.own_coverage >= CONTEXT_GAIN:
            chosen.append((best.previous, best.passage))  # the sentence it leans on
        chosen.append((best.sentence, best.passage))
        # Sentences that carry on from the best one read as one quote, so they need
        # less support; sentences from elsewhere must stand on their own.
        following = {e.previous: e for e in evidence if e.passage is best.passage}
        while len(chosen) < self.max_sentences and chosen[-1][0] in following:
            nxt = following[chosen[-1][0]]
            if not nxt.has_type or nxt.score < NEXT_SENTENCE_RATIO * best.score:
                break
            chosen.append((nxt.sentence, nxt.passage))
        quoted = {sentence for sentence, _ in chosen}
        for other in evidence:
            if len(chosen) >= self.max_sentences:
                break
            if (
                other.sentence not in quoted
                and other.has_type
                and other.score >= SECOND_SENTENCE_RATIO * best.score
                and is_supported(other)
            ):
                chosen.append((other.sentence, other.passage))
                quoted.add(other.sentence)
        return chosen
