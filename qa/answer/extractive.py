"""The default answerer: quotes the best-supported sentences of the retrieved passages.

In: a question, its conversation and the retrieved passages. Out: an answer of one to
three verbatim sentences, each followed by its ``[n]`` marker, or an abstention when no
sentence covers enough of the question or holds the kind of fact it asks for.
Deterministic: the same index and question always give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from qa.answer.base import ABSTENTION_MESSAGE, stream_whole
from qa.answer.evidence import Evidence, SentenceEmbeddings, score_sentences
from qa.answer.question import analyse_question
from qa.cite.markers import cite_sentences
from qa.retrieve.hybrid import Retrieval
from qa.types import Answer, AnswerEvent, Passage, Turn

# Calibrated on questions about the seed articles, answerable and not (see tests).
MIN_COVERAGE = 0.5  # share of the question's term weight the best sentence must cover
MIN_DENSE = 0.25  # cosine similarity the best sentence must reach
SECOND_SENTENCE_RATIO = 0.92  # a further sentence must score this close to the best
NEXT_SENTENCE_RATIO = 0.85  # ... or this close, if it directly follows the best one
CONTEXT_GAIN = 0.15  # coverage the sentence before must add for it to be quoted too


class ExtractiveAnswerer:
    def __init__(
        self,
        embed_batch: Callable[[list[str]], list[list[float]]],
        idf: Callable[[str], float],
        max_sentences: int = 3,
    ) -> None:
        self.sentence_embeddings = SentenceEmbeddings(embed_batch)
        self.idf = idf
        self.max_sentences = max_sentences

    def retrieval_query(self, question: str, history: Sequence[Turn]) -> str:
        return analyse_question(question, history).retrieval_query

    def answer(self, question: str, history: Sequence[Turn], retrieval: Retrieval) -> Answer:
        analysed = analyse_question(question, history)
        evidence = score_sentences(
            analysed,
            retrieval.passages,
            retrieval.query_embedding,
            self.sentence_embeddings,
            self.idf,
        )
        best = next((e for e in evidence if e.has_type), None)
        if best is None or not is_supported(best):
            return Answer(ABSTENTION_MESSAGE, answered=False, passages=tuple(retrieval.passages))
        text, citations = cite_sentences(self._compose(best, evidence))
        return Answer(text, answered=True, citations=citations, passages=tuple(retrieval.passages))

    def stream(
        self, question: str, history: Sequence[Turn], retrieval: Retrieval
    ) -> Iterator[AnswerEvent]:
        # Nothing is generated: the whole answer is ready at once, sent a sentence a token.
        yield from stream_whole(self.answer(question, history, retrieval))

    def _compose(self, best: Evidence, evidence: list[Evidence]) -> list[tuple[str, Passage]]:
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


def is_supported(evidence: Evidence) -> bool:
    """Enough of the question is covered, by a sentence close enough in meaning."""
    return evidence.coverage >= MIN_COVERAGE and evidence.dense >= MIN_DENSE
