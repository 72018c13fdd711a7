"""Question words matched to a sentence's words by meaning, for paraphrases no stemmer joins.

In: the static word vectors, an analysed question and the candidate sentences, each with
the words around it (the sentence before, its article's title). Out: for each sentence,
how much credit each question term earns from its nearest word there ("soldiers" and
"troops"), and whether a number in the sentence counts what a "how many" question asks
for, or is in the unit a "how far / long" question wants. Both are features of the
evidence scorer (``qa.answer.evidence``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from qa.answer.question import Question
from qa.index.word_vectors import StaticWordVectors
from qa.text.numbers import QUANTITY
from qa.text.terms import stopwords

# Static word vectors: unrelated words sit below ~0.15, near-synonyms at 0.3-0.7.
SOFT_FLOOR = 0.25  # similarity that earns no credit
SOFT_SPAN = 0.4  # ... and full credit at SOFT_FLOOR + SOFT_SPAN
COUNTED_SIMILARITY = 0.3  # a word this close to "how many <noun>"'s noun is counted by it
# Nouns for people of a place or a side, which news counts as so many "people" ("34,000
# people have fled" answers "how many residents fled?"); the word vectors hold "people"
# apart from them.
_PEOPLE = frozenset({"civilians", "residents", "inhabitants", "locals", "villagers", "citizens"})
# ... and nouns for some of the people, by age or sex, which a count of "people" does not
# answer ("34,000 people have fled" says nothing of how many children fled), though the
# word vectors hold them near "people".
_SOME_PEOPLE = frozenset(
    {"children", "kids", "women", "men", "boys", "girls", "babies", "infants", "elderly"}
)
_PEOPLE_AT_LARGE = frozenset({"people", "persons"})


class SoftMatcher:
    """Question terms against the words of each candidate sentence, by word vectors."""

    def __init__(
        self,
        vectors: StaticWordVectors | None,
        question: Question,
        sentences: Sequence[tuple[str, str]],
    ) -> None:
        """``sentences``: each candidate with the text around it whose words count too."""
        self._credit: np.ndarray | None = None
        self._columns: list[list[int]] = [[] for _ in sentences]
        self._counted: np.ndarray | None = None
        self._numbers: list[list[int]] = [[] for _ in sentences]
        if vectors is None:
            return
        vocabulary: dict[str, int] = {}
        for i, (sentence, around) in enumerate(sentences):
            words = _words(sentence) + _words(around)
            self._columns[i] = [vocabulary.setdefault(w, len(vocabulary)) for w in words]
            self._numbers[i] = [
                vocabulary.setdefault(w, len(vocabulary)) for w in _counted_words(sentence)
            ]
        if not vocabulary:
            return
        table = vectors.matrix(list(vocabulary))
        asked = [question.words.get(t, t) for t in question.terms]
        similar = vectors.matrix(asked) @ table.T  # question term × vocabulary word
        self._credit = np.clip((similar - SOFT_FLOOR) / SOFT_SPAN, 0.0, 1.0)
        units = (question.counted,) if question.counted else question.measured
        if units:  # what a number must count
            # Each unit as one thing too: "four-month-old", "a 10-metre tunnel".
            forms = list(dict.fromkeys(f for u in units for f in (u, u.removesuffix("s"))))
            forms += ["people"] if _PEOPLE & set(units) else []
            self._counted = (table @ vectors.matrix(forms).T).max(axis=1)
            if _SOME_PEOPLE & set(units):
                for word in _PEOPLE_AT_LARGE & vocabulary.keys():
                    self._counted[vocabulary[word]] = 0.0

    def credit(self, i: int) -> np.ndarray | None:
        """For each question term, in the question's order, the share of its weight the
        nearest word of sentence ``i`` (or the text around it) earns; None: no words."""
        if self._credit is None or not self._columns[i]:
            return None
        return self._credit[:, self._columns[i]].max(axis=1)

    def counted(self, i: int) -> float:
        """1 if a number in the sentence counts the asked noun or one close to it (or is
        in the asked unit or a near one: "miles" for "how far")."""
        if self._counted is None or not self._numbers[i]:
            return 0.0
        return float(self._counted[self._numbers[i]].max() >= COUNTED_SIMILARITY)


_WORD = re.compile(r"(?u)\b[^\W\d_][\w'-]*\b")


@lru_cache(maxsize=50_000)
def _words_cached(text: str) -> tuple[str, ...]:
    stop = stopwords()
    return tuple(w for w in _WORD.findall(text.lower()) if w not in stop)


def _words(text: str) -> list[str]:
    return list(_words_cached(text)) if text else []


# A number followed by one of these counts something named before it, not after.
_AFTER_A_PRONOUN_NUMBER = frozenset({"were", "was", "are", "is", "have", "had", "of"})


@lru_cache(maxsize=50_000)
def _counted_words(sentence: str) -> tuple[str, ...]:
    """The words a number in the sentence counts: the few words after each number, the
    unit joined to it by a hyphen ("four-month-old", "10-hour"), and, for a number that
    stands for a noun said before it ("vehicle bombs—three were destroyed", "three of
    them"), the few words before it."""
    tokens = sentence.lower().split()
    counted: list[str] = []
    for i, token in enumerate(tokens):
        if QUANTITY.search(token.strip(",.;:()")):
            parts = _WORD.findall(token.replace("-", " "))
            counted += [w for w in parts if not QUANTITY.fullmatch(w)]
            counted += [w for t in tokens[i + 1 : i + 5] for w in _WORD.findall(t)]
            if i + 1 < len(tokens) and tokens[i + 1] in _AFTER_A_PRONOUN_NUMBER:
                counted += [w for t in tokens[max(0, i - 6) : i] for w in _WORD.findall(t)]
    return tuple(dict.fromkeys(counted))
