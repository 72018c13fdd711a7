"""How much of a question's words a sentence holds: its terms, their weighted coverage,
and which of the question's terms are names.

In: a question's term weights and a sentence's terms (and those of the sentences and
article around it). Out: the share of the weight found, counting a term found only
nearby for less. The evidence scorer's coverage features are these.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from qa.answer.candidates import Candidate
from qa.answer.question import Question
from qa.text.equivalents import country_of, name_groups_alike
from qa.text.terms import content_terms, initialisms

NEIGHBOUR_WEIGHT = 0.7  # a term found only in the sentence before still counts, for less


@lru_cache(maxsize=50_000)
def terms_of(text: str) -> frozenset[str]:
    """The text's content terms and the initials of the names it spells out."""
    return frozenset(content_terms(text)) | initialisms(text)


def coverage(
    weights: dict[str, float],
    own: frozenset[str],
    nearby: frozenset[str],
    nearby_weight: float = NEIGHBOUR_WEIGHT,
    credit: np.ndarray | None = None,
) -> float:
    """Share of the question's term weight found in ``own`` (in ``nearby`` it counts for
    ``nearby_weight``; elsewhere, for its ``credit``, if given: a share per term in the
    order of ``weights``)."""
    total = sum(weights.values()) or 1.0
    found = 0.0
    for row, (term, weight) in enumerate(weights.items()):
        if term in own:
            found += weight
        elif term in nearby:
            found += nearby_weight * weight
        elif credit is not None:
            found += weight * float(credit[row])
    return found / total


def entity_terms(question: Question, candidates: Sequence[Candidate]) -> dict[str, float]:
    """The question's terms that are names: written with a capital inside the retrieved
    sentences (so a question typed in lower case still has them), naming a country, or
    numbers (a year the articles do not mention is a question they cannot answer)."""
    named: set[str] = set()
    for c in candidates:
        named |= capitalised_terms(c.sentence)
    return {
        t: 1.0
        for t in question.terms
        if t in named or t.isdigit() or country_of(question.words.get(t, t)) is not None
    }


@lru_cache(maxsize=50_000)
def capitalised_terms(sentence: str) -> frozenset[str]:
    """Terms of the words written with a capital, the sentence's first word aside."""
    words = name_groups_alike(sentence).split()[1:]
    return frozenset(t for w in words if w[:1].isupper() for t in content_terms(w))
