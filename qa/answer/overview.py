"""Pick the sentences of an overview: relevant to what is asked and unlike one another.

In: an overview question (a summary, a role, "what happened") and its scored evidence.
Out: up to ``OVERVIEW_SENTENCES`` of those sentences, chosen by maximal marginal
relevance (Carbonell and Goldstein, 1998) over the sentence embeddings, from two or more
articles when the good ones span several, photo captions left out. Both answerers use
the pick: the extractive one quotes it, the generative one is shown it.

How much a sentence says of what is asked is rated by a logistic model fitted on
calibration overviews (``AnswerabilityModel.overview``, ``eval/fit_overview.py``), over
the sentence's probability beside the best one's, its coverage of the question's words
and the names it gives. An overview asks for facts: the sentences holding them share
the question's words and name people, places and units, where the sentences merely on
the topic of the question ("a difficult and fierce battle") do not; the question matcher,
which rated them before, finds the two about equally near (its similarities to an
overview question lie between 0.75 and 0.89). On the 150 calibration and threshold-set
overviews, of the 315 facts their answers must give, the quoted sentences held 234
instead of 213.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from qa.answer.answerability import FEATURES, OVERVIEW_FEATURES, LinearStage
from qa.answer.evidence import Evidence, EvidenceScorer
from qa.answer.question import Question
from qa.text.terms import MONTH_NAMES

OVERVIEW_SENTENCES = 5
OVERVIEW_FLOOR = 0.5  # overview sentences: at least this share of the overview threshold
OVERVIEW_SHARE = 0.1  # ... and this share of the best one's probability
MMR_LAMBDA = 0.7  # relevance against novelty when picking overview sentences
# News is written lead first: the earlier a passage stands in its article, the more of the
# story it sums up. An overview sentence's relevance gains up to this share of the best
# one's, by 1 / (1 + the passage's place in its article).
LEAD_WEIGHT = 0.2
# An overview of one article (the question names it, or the asker kept to it) is that
# article's summary, which news puts in its opening sentences (the "lead-3" baseline of
# news summarisation): a sentence's relevance gains this share of the best one's, by
# 1 / (1 + its place in the article among the candidates). On the 600 calibration
# questions 0.5 answered one more right and changed no other answer; 1.0 lost one.
SINGLE_LEAD_WEIGHT = 0.5
COVERAGE = FEATURES.index("coverage")
MAX_NAMES = 8  # names beyond this many say no more of what is asked
# A word written with a capital, other than the sentence's first: a name, in news English
# ("Al-Bab" is two; "IS" and "CTS", in capitals, none).
_NAME_WORD = re.compile(r"(?<!^)\b[A-Z][a-z]+")

# A photo's caption describes a picture, not the story; it stands at the top of many
# articles, where the lead weight would favour it. News captions end on a credit ("(Photo:
# Reuters)") or on the place and date the picture was taken (", Iraq, May 5, 2017.").
_CAPTION = re.compile(
    r"\((?:[A-Z]+ )?(?i:photo|picture|image)\b[^)]*\)\W*$"
    rf"|,\s*[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*,\s+(?:{MONTH_NAMES})\s+\d{{1,2}},\s+\d{{4}}\W*$"
)


def pick_overview(
    question: Question, evidence: Sequence[Evidence], scorer: EvidenceScorer
) -> list[Evidence]:
    """Up to ``OVERVIEW_SENTENCES`` sentences of ``evidence``, relevant and unlike one
    another, the last place kept for a second article when the first four share one; in
    the order they were picked."""
    pool = overview_pool(question, evidence, scorer)
    if not pool:
        return []
    best = max(e.score for e in evidence)
    relevance = _relevance(pool, best, scorer.model.overview)
    relevance += _lead_bonus(pool, best)
    vectors = scorer.sentence_embeddings([e.sentence for e in pool])
    picked: list[int] = []
    several_articles = len({e.passage.source for e in pool}) > 1
    while len(picked) < min(OVERVIEW_SENTENCES, len(pool)):
        sources = {pool[i].passage.source for i in picked}
        last = len(picked) == OVERVIEW_SENTENCES - 1
        best_index, best_value = -1, -np.inf
        for i, e in enumerate(pool):
            if i in picked:
                continue
            if last and several_articles and sources == {e.passage.source}:
                continue  # keep the last place for a second article
            redundancy = max((float(vectors[i] @ vectors[j]) for j in picked), default=0.0)
            value = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy
            if value > best_value:
                best_index, best_value = i, value
        if best_index < 0:
            break
        picked.append(best_index)
    return [pool[i] for i in picked]


def overview_pool(
    question: Question, evidence: Sequence[Evidence], scorer: EvidenceScorer
) -> list[Evidence]:
    """The sentences an overview may quote: probable enough (``OVERVIEW_FLOOR`` of the
    overview threshold, ``OVERVIEW_SHARE`` of the best), and no photo's caption."""
    if not evidence:
        return []
    best = max(e.score for e in evidence)
    floor = max(OVERVIEW_FLOOR * scorer.model.threshold_for(question), OVERVIEW_SHARE * best)
    return [e for e in evidence if e.score >= floor and not is_caption(e.sentence)]


def overview_rows(pool: Sequence[Evidence], best: float) -> np.ndarray:
    """One row of ``OVERVIEW_FEATURES`` per sentence of an overview's pool (``best``: the
    probability of the most probable sentence of all the evidence)."""
    best = best or 1.0
    return np.asarray(
        [
            (
                e.score / best,
                e.features[COVERAGE],
                min(len(_NAME_WORD.findall(e.sentence)), MAX_NAMES),
            )
            for e in pool
        ],
        dtype=np.float64,
    ).reshape(len(pool), len(OVERVIEW_FEATURES))


def is_caption(sentence: str) -> bool:
    """Whether the sentence reads as a photo's caption: no overview quotes one."""
    return bool(_CAPTION.search(sentence))


def _relevance(pool: Sequence[Evidence], best: float, stage: LinearStage | None) -> np.ndarray:
    """How much each overview sentence says about what is asked, on the scale of the
    best probability (the lead bonus is too): the overview model's probability that it
    holds a fact the answer must give; without the model, its probability of answering."""
    if stage is None:
        return np.asarray([e.score for e in pool])
    return best * stage.probabilities(overview_rows(pool, best))


def _lead_bonus(pool: Sequence[Evidence], best: float) -> list[float]:
    """What each overview sentence's relevance gains for standing early in its article:
    by its passage's place (``LEAD_WEIGHT``), or, when all come from one article, by its
    own place among them (``SINGLE_LEAD_WEIGHT``)."""
    if len({e.passage.source for e in pool}) > 1:
        return [LEAD_WEIGHT * best / (1 + e.passage.ordinal) for e in pool]
    in_article_order = sorted(range(len(pool)), key=lambda i: pool[i].place)
    place = {i: n for n, i in enumerate(in_article_order)}
    return [SINGLE_LEAD_WEIGHT * best / (1 + place[i]) for i in range(len(pool))]
