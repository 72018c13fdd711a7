"""What a question asks for: its content terms, the kind of answer it expects, and
the earlier turns it leans on.

In: the user's question and the conversation so far. Out: a ``Question`` with the
weighted terms an answer sentence should cover and the ``AnswerType`` it should hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from qa.text.markers import strip_markers
from qa.text.terms import content_terms
from qa.types import Role, Turn

HISTORY_WEIGHT = 0.5  # terms from earlier turns count, but less than the question's own
CATEGORY_WEIGHT = 0.5  # "which militia": the answer names one, it need not say "militia"
_MAX_HISTORY_CHARS = 600


class AnswerType(StrEnum):
    """The kind of fact a question wants; a sentence without one cannot answer it."""

    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    NAME = "name"
    ANY = "any"


_WH_PHRASE = re.compile(
    r"^\s*(how (many|much|long|old|far|big|large|tall|high|often|deep|wide)|"
    r"(in |on )?(what|which) (year|date|day|month|time)|"
    r"when|who(m|se)?|where|what|which|how|why)\b",
    re.I,
)
_MONEY_QUESTION = re.compile(
    r"\b(cost|costs|spend|spent|pay|paid|price|budget|worth|fund(ed|ing)?)\b", re.I
)
_PERSON_NOUN = re.compile(
    r"^\s*(which|what) (\w+ ){0,2}(president|minister|general|commander|leader|spokesman|"
    r"spokeswoman|official|colonel|cleric|chief|caliph|reporter|correspondent|person|man|woman)\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(he|she|him|her|his|hers|they|them|their|it|its|this|that|these|those|"
    r"there|the same)\b",
    re.I,
)
_CATEGORY = re.compile(
    r"^\s*(which|what)\s+(?!(is|was|are|were|did|does|do|has|have|had)\b)"
    r"(\w+)",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    answer_type: AnswerType
    terms: dict[str, float]  # stemmed term → weight factor (1 for the question, less for history)
    retrieval_query: str  # the question, with earlier turns added when it is a follow-up


def expected_answer_type(question: str) -> AnswerType:
    q = question.strip().lower()
    if _MONEY_QUESTION.search(q) and re.match(r"^\s*(how much|what)\b", q):
        return AnswerType.MONEY
    if re.match(r"^\s*how (many|much|long|old|far|big|large|tall|high|often|deep|wide)\b", q):
        return AnswerType.NUMBER
    if re.match(r"^\s*(when\b|(in |on )?(what|which) (year|date|day|month)\b)", q):
        return AnswerType.DATE
    if re.match(r"^\s*(who|whom|whose)\b", q) or _PERSON_NOUN.match(q):
        return AnswerType.NAME
    return AnswerType.ANY


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns: it refers back, or says too little alone."""
    return bool(_ANAPHORA.search(question)) or len(content_terms(question)) < 2


def analyse_question(question: str, history: Sequence[Turn] = ()) -> Question:
    """Terms, answer type and retrieval query for ``question`` read in its conversation."""
    stripped = _WH_PHRASE.sub(" ", question)
    terms: dict[str, float] = dict.fromkeys(content_terms(stripped), 1.0)
    category = _CATEGORY.match(question)
    for term in content_terms(category.group(3)) if category else []:
        if term in terms:
            terms[term] = CATEGORY_WEIGHT
    retrieval_query = question
    if history and is_followup(question):
        context = _recent_context(history)
        for term in content_terms(context):
            terms.setdefault(term, HISTORY_WEIGHT)
        retrieval_query = f"{context} {question}"
    return Question(question, expected_answer_type(question), terms, retrieval_query)


def _recent_context(history: Sequence[Turn]) -> str:
    """The last user turn and the answer to it, without citation markers, bounded in size."""
    parts: list[str] = []
    for turn in reversed(history):
        text = strip_markers(turn.content).strip()
        parts.insert(0, text)
        if turn.role is Role.USER:
            break
    return " ".join(parts)[-_MAX_HISTORY_CHARS:]
