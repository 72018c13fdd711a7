"""Score the sentences of retrieved passages as evidence for a question.

In: an analysed ``Question`` and the ``Retrieval`` (its passages and the question's
embedding); the scorer holds the sentence embedder and the term weights (inverse
document frequencies). Out: ``Evidence`` — one per distinct sentence, with how much of
the question it covers, how close it is in meaning, and whether it holds the kind of
fact asked for — best first; and ``best_supported``, the sentence an answer can rest
on, or None when the passages do not answer the question. Every answerer decides
whether to answer through this one scorer.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answer.question import AnswerType, Question
from qa.text.numbers import QUANTITY
from qa.text.sentences import split_sentences
from qa.text.terms import content_terms
from qa.types import Passage, Retrieval

# Calibrated on questions about the seed articles, answerable and not (see tests).
MIN_COVERAGE = 0.5  # share of the question's term weight the best sentence must cover
MIN_DENSE = 0.25  # cosine similarity the best sentence must reach
NEIGHBOUR_WEIGHT = 0.7  # a term found only in the sentence before still counts, for less
LEXICAL_WEIGHT = 0.55
DENSE_WEIGHT = 0.45
TYPE_BONUS = 0.1

_MONEY = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s*(dollars?|euros?|pounds?|usd|dinars?)\b|"
    r"\b(dollars?|euros?|dinars?)\b",
    re.I,
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\b(1[89]\d\d|20\d\d)\b|\b({_MONTHS})\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I
)
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'-]+")


@dataclass(frozen=True)
class Evidence:
    sentence: str
    passage: Passage
    rank: int  # the passage's rank in retrieval, from 0
    previous: str | None  # the sentence before it in the passage
    own_coverage: float  # share of the question's term weight found in the sentence
    coverage: float  # the same, counting the sentence before at NEIGHBOUR_WEIGHT
    dense: float  # cosine similarity to the question
    has_type: bool  # holds the kind of fact the question asks for
    score: float


def holds_answer_type(sentence: str, answer_type: AnswerType, question: str) -> bool:
    """True if the sentence holds a fact of the asked kind that the question does not."""
    match answer_type:
        case AnswerType.ANY:
            return True
        case AnswerType.MONEY:
            return bool(_MONEY.search(sentence))
        case AnswerType.NUMBER:
            pattern = QUANTITY
        case AnswerType.DATE:
            pattern = _DATE
        case AnswerType.NAME:
            pattern = _CAPITALISED
    asked = {m.group(0).lower() for m in pattern.finditer(question)}
    found = {m.group(0).lower() for m in pattern.finditer(sentence)}
    if answer_type is AnswerType.NAME:
        first_word = sentence.split()[0].lower() if sentence.split() else ""
        found.discard(first_word)
    return bool(found - asked)


class SentenceEmbeddings:
    """Embeds sentences in batches, remembering recent ones (passages recur across questions)."""

    def __init__(self, embed_batch: Callable[[list[str]], list[list[float]]], size: int = 20000):
        self._embed_batch = embed_batch
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()  # requests are served from a thread pool

    def __call__(self, sentences: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._vectors(sentences)

    def _vectors(self, sentences: Sequence[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        if missing:
            for sentence, vector in zip(missing, self._embed_batch(missing), strict=True):
                self._cache[sentence] = np.asarray(vector, dtype=np.float32)
        rows = []
        for sentence in sentences:
            self._cache.move_to_end(sentence)
            rows.append(self._cache[sentence])
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


class EvidenceScorer:
    """Ranks the sentences of retrieved passages as evidence for a question."""

    def __init__(
        self,
        embed_batch: Callable[[list[str]], list[list[float]]],
        idf: Callable[[str], float],
    ) -> None:
        self.sentence_embeddings = SentenceEmbeddings(embed_batch)
        self.idf = idf

    def score(self, question: Question, retrieval: Retrieval) -> list[Evidence]:
        """Every distinct sentence of the passages as evidence, best first."""
        return score_sentences(
            question,
            retrieval.passages,
            retrieval.query_embedding,
            self.sentence_embeddings,
            self.idf,
        )

    @staticmethod
    def best_supported(evidence: Sequence[Evidence]) -> Evidence | None:
        """The best sentence holding the asked kind of fact, if it supports an answer;
        None means the passages do not answer the question."""
        best = next((e for e in evidence if e.has_type), None)
        return best if best is not None and is_supported(best) else None


def is_supported(evidence: Evidence) -> bool:
    """Enough of the question is covered, by a sentence close enough in meaning."""
    return evidence.coverage >= MIN_COVERAGE and evidence.dense >= MIN_DENSE


def score_sentences(
    question: Question,
    passages: Sequence[Passage],
    query_embedding: Sequence[float],
    embed: SentenceEmbeddings,
    idf: Callable[[str], float],
) -> list[Evidence]:
    """Every distinct sentence of the passages as evidence, best first."""
    candidates: list[tuple[str, Passage, int, str | None]] = []
    seen: set[str] = set()
    for rank, passage in enumerate(passages):
        previous = None
        for sentence in split_sentences(passage.text):
            if sentence not in seen:  # overlapping chunks: cite the better-ranked one
                seen.add(sentence)
                candidates.append((sentence, passage, rank, previous))
            previous = sentence
    if not candidates:
        return []
    weights = {term: idf(term) * factor for term, factor in question.terms.items()}
    total = sum(weights.values()) or 1.0
    vectors = embed([c[0] for c in candidates])
    dense = vectors @ np.asarray(query_embedding, dtype=np.float32)
    terms: dict[str, set[str]] = {}

    def terms_of(text: str) -> set[str]:
        if text not in terms:
            terms[text] = set(content_terms(text))
        return terms[text]

    evidence = []
    for (sentence, passage, rank, previous), similarity in zip(candidates, dense, strict=True):
        own = terms_of(sentence)
        before = terms_of(previous) if previous else set()
        own_cov = sum(w for t, w in weights.items() if t in own) / total
        cov = (
            sum(
                w * (1.0 if t in own else NEIGHBOUR_WEIGHT if t in before else 0.0)
                for t, w in weights.items()
            )
            / total
        )
        has_type = holds_answer_type(sentence, question.answer_type, question.text)
        score = LEXICAL_WEIGHT * cov + DENSE_WEIGHT * float(similarity) + TYPE_BONUS * has_type
        evidence.append(
            Evidence(
                sentence, passage, rank, previous, own_cov, cov, float(similarity), has_type, score
            )
        )
    return sorted(evidence, key=lambda e: (-e.score, e.rank))
