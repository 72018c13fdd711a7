"""Score the sentences of retrieved passages as evidence for a question.

In: an analysed ``Question`` and the ``Retrieval`` (its passages and the question's
embedding); the scorer holds the sentence embedder and the term weights (inverse
document frequencies). Out: ``Evidence`` — one per distinct sentence, with how much of
the question it covers, how close it is in meaning, and whether it holds the kind of
fact asked for — best first; and ``best_supported``, the sentence an answer can rest
on, or None when the passages do not answer the question. Every answerer decides
whether to answer through this one scorer. The first stage reads every sentence; the
second reads the few most probable again with the question matcher
(``qa.index.question_match``), too slow to ask of all of them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answer.answer_type import AnswerType, names_country, states_casualty
from qa.answer.answerability import FEATURES, AnswerabilityModel
from qa.answer.candidates import Candidate, candidate_sentences
from qa.answer.coverage import coverage, entity_terms, terms_of
from qa.answer.facts import (
    dated_by_article,
    gives_asked_name,
    holds_answer_type,
    names_in_place,
    proper_names,
)
from qa.answer.places import gives_place
from qa.answer.question import Question
from qa.answer.roles import names_speaker, names_whose_role, states_role
from qa.answer.soft_match import SoftMatcher
from qa.cite.attribution import Quote, reported_on
from qa.index.question_match import QuestionMatcher
from qa.index.remembered import SentenceEmbeddings
from qa.index.word_vectors import StaticWordVectors
from qa.text.terms import content_terms
from qa.types import Passage, Retrieval

# A follow-up asking a fact is not answered by a sentence of which fewer than this share
# of words are new beside the question and the exchange before it (chosen on the
# calibration follow-ups).
REPEAT_SHARE = 1 / 6
COUNTED = FEATURES.index("counted")  # where a row holds the ``counted`` feature
# The share of the usual bar a sentence giving a name in the asked noun's place must reach
# (``names_in_place``). On the 1,779 calibration and threshold-set questions: 0.5 answers
# four more right and no unanswerable one; 0.35 five, and one unanswerable.
NAMED_IN_PLACE_RELAXATION = 0.5


# The "typed" feature means a question asking for a number, a date, a name or a sum;
# someone's words are a kind of answer too, but were not one when the model was fitted.
_UNTYPED = (AnswerType.ANY, AnswerType.STATEMENT)


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
    score: float  # the probability that the sentence answers the question
    features: tuple[float, ...] = ()  # as named in ``FEATURES``
    match: float | None = None  # the question matcher's similarity, if it was asked
    following: Quote | None = None  # the sentence after it in the article, if retrieved

    def fits_count(self, question: Question) -> bool:
        """Whether the sentence (or the one before it; for "were any killed?", also the one
        after) says what the question says of those it asks about: killed or wounded,
        of which country."""
        told = self.in_context
        if question.answer_type is not AnswerType.NUMBER and self.following:
            told = f"{told} {self.following.sentence}"
        return (question.casualty is None or states_casualty(told, question.casualty)) and (
            question.country is None or names_country(self.in_context, question.country)
        )

    @property
    def in_context(self) -> str:
        """The sentence with the one before it, which may name what it leans on."""
        return f"{self.previous or ''} {self.sentence}"

    @property
    def place(self) -> tuple[int, int]:
        """Where the sentence stands in its article: its passage's place, then its own
        in the passage (so that quotes keep the article's order)."""
        return self.passage.ordinal, max(0, self.passage.text.find(self.sentence))


class EvidenceScorer:
    """Ranks the sentences of retrieved passages by the probability that they answer the
    question (``AnswerabilityModel`` over ``FEATURES``), and decides whether any does."""

    def __init__(
        self,
        embed_batch: Callable[[list[str]], list[list[float]]],
        idf: Callable[[str], float],
        word_vectors: StaticWordVectors | None = None,
        model: AnswerabilityModel | None = None,
        matcher: QuestionMatcher | None = None,
    ) -> None:
        self.sentence_embeddings = SentenceEmbeddings(embed_batch)
        self.idf = idf
        self.word_vectors = word_vectors
        self.matcher = matcher
        self.model = model or AnswerabilityModel.packaged()

    def with_model(self, model: AnswerabilityModel) -> EvidenceScorer:
        """The same scorer (and caches) deciding with another answerability model."""
        other = copy.copy(self)
        other.model = model
        return other

    def score(self, question: Question, retrieval: Retrieval) -> list[Evidence]:
        """Every distinct sentence of the passages as evidence, most probable answer first."""
        candidates = candidate_sentences(retrieval.passages)
        if not candidates:
            return []
        weights = {term: self.idf(term) * factor for term, factor in question.terms.items()}
        query = np.asarray(retrieval.query_embedding, dtype=np.float32)
        dense = self.sentence_embeddings([c.sentence for c in candidates]) @ query
        dense_passage = retrieval.dense  # the retriever measured every passage
        soft = SoftMatcher(
            self.word_vectors,
            question,
            [(c.sentence, f"{c.previous or ''} {c.passage.title}") for c in candidates],
        )
        entities = entity_terms(question, candidates)
        asked_names = proper_names(question.text)
        rows, evidence = [], []
        for i, c in enumerate(candidates):
            own, before = terms_of(c.sentence), terms_of(c.previous or "")
            context = before | terms_of(_metadata_text(c.passage))
            holds = holds_answer_type(c.sentence, question.answer_type, question.known)
            # The model was fitted with the article's own date as a date for every
            # sentence; only one that tells its time from it ("on Friday" is a date
            # already; "this morning") answers "when": one that says nothing of when
            # ("Gen. Joseph Martin, commander of ground forces") does not say when he
            # took command.
            dated = question.answer_type is AnswerType.DATE and c.passage.published is not None
            has_type = holds or (dated and dated_by_article(c.sentence))
            if question.followup and question.answer_type not in _UNTYPED:
                has_type = has_type and not _repeats(c.sentence, question)
            row = (
                float(dense[i]),
                float(dense_passage.get(c.passage.chunk_id, 0.0)),
                coverage(weights, own, before),
                coverage(weights, own, frozenset()),
                coverage(weights, own, context),
                coverage(weights, own, before, credit=soft.credit(i)),
                float(holds or dated),
                float(question.answer_type not in _UNTYPED),
                soft.counted(i) if (question.counted or question.measured) else 0.0,
                coverage(entities, own, context, nearby_weight=1.0) if entities else 1.0,
                float(
                    question.answer_type in (AnswerType.NAME, AnswerType.PERSON)
                    and bool(proper_names(c.sentence) - asked_names)
                ),
                math.log1p(len(c.sentence.split())),
                c.rank / max(1, len(retrieval.passages)),
            )
            rows.append(row)
            evidence.append((c, has_type, row))
        table = np.asarray(rows, dtype=np.float64)
        probabilities = self.model.probabilities(table)
        matches = self._reread(question, candidates, table, probabilities)
        scored = [
            Evidence(
                c.sentence,
                c.passage,
                c.rank,
                c.previous,
                own_coverage=row[3],
                coverage=row[2],
                dense=row[0],
                has_type=has_type,
                score=float(p),
                features=row,
                match=matches.get(i),
                following=c.following,
            )
            for i, ((c, has_type, row), p) in enumerate(zip(evidence, probabilities, strict=True))
        ]
        # On a tie the sentence read again goes first.
        return sorted(scored, key=lambda e: (-e.score, e.match is None, e.rank))

    def _reread(
        self,
        question: Question,
        candidates: Sequence[Candidate],
        rows: np.ndarray,
        probabilities: np.ndarray,
    ) -> dict[int, float]:
        """The second stage: the question matcher reads the first stage's most probable
        sentences, whose probabilities are replaced (in place) by the second stage's;
        the others may rank no higher than the least of those. Returns the matches read."""
        stage = self.model.rerank
        if stage is None or self.matcher is None:
            return {}
        order = sorted(
            range(len(candidates)), key=lambda i: (-probabilities[i], candidates[i].rank)
        )
        # The best two always (the clear-winner rule compares them), then those of the
        # top at least ``read_share`` as probable as the best (0, as packaged: all of the
        # top, as the stage was fitted on; 0.5 answered 4 fewer of the 720 calibration
        # questions right and saves a few sentence reads, each ~15 ms until remembered).
        # The sentences read are the first of ``order``.
        best = probabilities[order[0]]
        read = [
            i
            for n, i in enumerate(order[: stage.top])
            if n < 2 or probabilities[i] >= stage.read_share * best
        ]
        similarity = self.matcher.similarities(
            question.retrieval_query, [candidates[i].sentence for i in read]
        )
        second = stage.probabilities(np.column_stack([rows[read], similarity]))
        floor = float(second.min())
        unread = order[len(read) :]
        if unread:
            # Below the least of those read, in the first stage's order (an overview
            # picks among them by it).
            scale = min(1.0, floor / max(float(probabilities[unread].max()), 1e-12))
            probabilities[unread] *= scale
        probabilities[read] = second
        return {i: float(m) for i, m in zip(read, similarity, strict=True)}

    def relevant(self, evidence: Sequence[Evidence]) -> bool:
        """Some sentence is near enough the question for a language model to read it
        (a looser test than ``best_supported``: the model may still find no answer)."""
        return bool(evidence) and evidence[0].score >= self.model.relevance_threshold

    @staticmethod
    def names_unknown(question: Question, evidence: Sequence[Evidence]) -> bool:
        """The question names someone, somewhere or some year that no retrieved passage
        nor its article's title and date mentions: the articles cannot be about it."""
        if not question.names:
            return False
        seen: set[str] = set()
        for e in evidence:
            seen |= terms_of(e.sentence) | terms_of(_metadata_text(e.passage))
        return not question.names <= seen

    @staticmethod
    def count_told(question: Question, evidence: Sequence[Evidence]) -> bool:
        """Whether a retrieved sentence holding a number says what a count question says
        of the things it counts (killed or wounded, whose country); True for a question
        that says neither. When none does, no passage gives the count asked for."""
        if question.casualty is None and question.country is None:
            return True
        return any(e.has_type and e.fits_count(question) for e in evidence)

    @staticmethod
    def placed(question: Question, evidence: Sequence[Evidence]) -> Evidence | None:
        """The most probable sentence giving a name in the place of the noun the question
        asks the name of ("the Christian town of Bartalla" for "which Christian town"),
        if the question asks one and a sentence does (``names_in_place``)."""
        if question.asked_noun is None:
            return None
        return next(
            (
                e
                for e in evidence
                if e.has_type and names_in_place(e.sentence, question.asked_noun, question.text)
            ),
            None,
        )

    def fills_slot(self, question: Question, best: Evidence, evidence: Sequence[Evidence]) -> bool:
        """Whether the most probable sentence of the asked kind, ``best``, gives what the
        question asks of it, however near its words are: a count of the things counted, a
        place, the words of the speaker asked about, the role asked for, and of whom; and
        whether the passages name everything the question names. Nearer wording cannot
        make up for these, so no language model is asked to read the passages either."""
        if self.names_unknown(question, evidence):
            return False
        if question.counted and not best.features[COUNTED]:
            # "How many people were killed when …": a number of something else ("seized
            # two neighbourhoods") does not answer it, however near the rest of the
            # sentence is. On the 840 calibration questions: two unanswerable ones
            # declined, one part of a multi question lost ("hundreds of thousands of
            # people" for "how many civilians": the word vectors hold them apart).
            return False
        # "How many were wounded?": a toll of the dead does not answer it, nor a toll of the
        # wounded "how many killed?"; "five PMU fighters" do not count "soldiers".
        # "What did Sadr say of the plan?" is not answered by Abadi's words; "Where was
        # al-Baghdadi hiding?": naming him and Mosul tells no place; "Who is the leader
        # of …?" is not answered by a name given as its spokesman.
        after = best.following.sentence if best.following else ""
        return (
            best.fits_count(question)
            and names_whose_role(best.in_context, question.role_of)
            and names_speaker(f"{best.in_context} {_metadata_text(best.passage)}", question.speaker)
            and (not question.where or gives_place(f"{best.in_context} {after}", question.known))
            and (not question.role or states_role(best.sentence, question.role))
        )

    def best_supported(
        self, question: Question, evidence: Sequence[Evidence], vouched: bool = False
    ) -> Evidence | None:
        """The most probable answer sentence holding the asked kind of fact, if it is
        probable enough; None means the passages do not answer the question. ``vouched``:
        a reader of question and passages together (the language model) has already said
        that they answer it, so the probability, which judges by words, is not asked; what
        fills the slot asked about still is (the model vouched for "Colonel Dorrian told
        Rudaw …" as the colonel's first name)."""
        best = next((e for e in evidence if e.has_type), None)
        if best is None or not self.fills_slot(question, best, evidence):
            return None
        # "What's the name of the spokesman who told Reuters …?" is not answered by "A
        # spokesman … told Reuters" with no one named, nor "… of the border crossing near
        # Jordan?" by the attack there (a name in the noun's place still may, below).
        sure = vouched or self.model.answers(question, best.score, _runner_up(best, evidence))
        if sure and gives_asked_name(best.sentence, question):
            return best
        # "From which Christian town …?" and "… speaking from the Christian town of
        # Bartalla": a sentence giving a name where the asked noun stands answers as a
        # reference would, so fewer of the question's other words need be in it.
        placed = self.placed(question, evidence)
        relaxed = self.model.relaxed(NAMED_IN_PLACE_RELAXATION)
        runner_up = _runner_up(placed, evidence) if placed else 0.0
        if placed and (vouched or relaxed.answers(question, placed.score, runner_up)):
            return placed if names_whose_role(placed.in_context, question.role_of) else None
        return None


def _runner_up(best: Evidence, evidence: Sequence[Evidence]) -> float:
    """The probability of the most probable sentence other than ``best``."""
    return max((e.score for e in evidence if e is not best), default=0.0)


def _repeats(sentence: str, question: Question) -> bool:
    """For a follow-up: the sentence says hardly anything the question and the exchange
    before it have not (fewer than one in six of its words new), so the name, date or
    number it holds was given already and is not what is asked next ("who was it named
    after?", after an exchange on what the camp was, is not answered by the camp's
    sentence again). Only for a question asking such a fact: "did they meet any
    resistance there?" may be answered by the sentence after the one restated, which is
    quoted with it."""
    own = set(content_terms(sentence))
    new = own - question.terms.keys()
    return bool(own) and len(new) < REPEAT_SHARE * len(own)


def _metadata_text(passage: Passage) -> str:
    """What a reader sees beside the passage: its article's title, date and publisher."""
    date = f"{passage.published} {reported_on(passage)}" if passage.published else None
    return " ".join(x for x in (passage.title, date, passage.publisher, passage.author) if x)
