"""Whether a sentence answers a question: a logistic model over evidence features.

In: one row of ``FEATURES`` per candidate sentence. Out: the probability that the
sentence answers the question, and the probability an answer must reach before the
service answers at all (one threshold for questions after a fact, one for overviews).
A second logistic model (``rerank``) reads the few most probable sentences again with
one more feature, ``MATCH_FEATURES``: how a model trained on questions and answers
matches the sentence to the question (``qa.index.question_match``), which costs too much
to ask of every sentence. A third (``overview``) rates how much each sentence an overview
may quote says of what is asked, over ``OVERVIEW_FEATURES``.
The coefficients and thresholds live in ``answerability.json`` beside this module; they
are fitted by ``eval/fit_answerability.py`` (the generated path's, per language model, by
``eval/fit_judge.py``; the overview one by ``eval/fit_overview.py``) on the calibration half of
``tests/data/readers.jsonl`` (and the development questions), never on the held-out half,
and the file records what it was fitted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from qa.answer.answer_type import AnswerType
from qa.answer.question import Question

PARAMETERS = Path(__file__).with_name("answerability.json")
_OVERVIEW_FIT = "eval/fit_overview.py"

FEATURES = (
    "dense",  # cosine similarity of the question and the sentence
    "dense_passage",  # ... of the question and the sentence's whole passage
    "coverage",  # IDF-weighted share of the question's terms in the sentence (+ the one before)
    "own_coverage",  # ... in the sentence alone
    "context_coverage",  # ... also counting the article's title, date and publisher
    "soft_coverage",  # ... crediting question words close in meaning to the sentence's words
    "has_type",  # holds the kind of fact asked for (always 1 for questions of any kind)
    "typed",  # the question asks for a number, a date, a name or a sum
    "counted",  # a number next to the noun a "how many" question counts, or a near word
    # (or in the unit a "how far / long / big" question's answer is in)
    "entities",  # share of the question's names (people, places, groups) in the sentence's
    # context: the sentence, the one before it, the article's title
    "person",  # a "who" question, and the sentence names a person the question does not
    "length",  # log(1 + words)
    "rank",  # the passage's rank in retrieval, as a share of the passages retrieved
)
# The second stage's features: the first stage's and the question matcher's similarity.
MATCH_FEATURES = (*FEATURES, "match")
# What an overview sentence is rated by (``qa.answer.overview``), fitted by
# ``eval/fit_overview.py`` on calibration overviews to tell the sentences holding a fact
# the answer must give.
OVERVIEW_FEATURES = (
    "relative_probability",  # the sentence's probability as a share of the best one's
    "coverage",  # as in ``FEATURES``
    "names",  # capitalised words after the first (people, places, units), at most 8
)


@dataclass(frozen=True)
class LinearStage:
    """A logistic regression over standardised features."""

    coefficients: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    top: int  # how many of the first stage's most probable sentences it reads again
    # ... of which only those the first stage found at least this share as probable as
    # its best (0: all ``top``)
    read_share: float = 0.0

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.coefficients) + self.intercept)))


@dataclass(frozen=True)
class GeneratedThresholds:
    """One language model's thresholds for the generated path (``eval/fit_judge.py``)."""

    model: str
    relevance: float
    judge: float
    backed: float  # the judge threshold when the evidence is at least ``backing`` probable
    backing: float = float("inf")

    @classmethod
    def from_entry(cls, name: str, entry: dict[str, Any]) -> GeneratedThresholds:
        judge = float(entry["judge_threshold"])
        backing = entry.get("judge_backing")
        return cls(
            name,
            float(entry["relevance_threshold"]),
            judge,
            float(entry.get("judge_backed_threshold", judge)),
            float(backing) if backing is not None else float("inf"),
        )

    def says_yes(self, yes: float, best: float) -> bool:
        """Whether the model's probability of "yes, the sources answer" lets it write the
        answer, where the evidence's best sentence is ``best`` probable (the relevance
        threshold is the caller's: below it the model is not asked)."""
        return yes >= self.judge or (best >= self.backing and yes >= self.backed)


@dataclass(frozen=True)
class AnswerabilityModel:
    coefficients: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]  # features are standardised before the linear model
    scale: tuple[float, ...]
    threshold: float  # least probability of the best sentence for a fact question
    overview_threshold: float  # ... for a question asking for an overview
    relevance_threshold: float  # ... for a language model to be shown the passages
    # The least probability of "yes" a language model must give to "do the sources
    # answer the question?" for it to write the answer (generated answers only; 0: the
    # model is not asked, for one that cannot tell).
    judge_threshold: float = 0.5
    # ... or this lower one, when the evidence's best sentence is at least
    # ``judge_backing`` probable: a "yes" the word features back needs less conviction.
    judge_backed_threshold: float = 0.5
    judge_backing: float = float("inf")
    # Per language model (by name), its own relevance and judge thresholds: each model
    # says yes with its own confidence. A model not listed gets the ones above.
    generated: tuple[GeneratedThresholds, ...] = ()
    # A best sentence this many times as probable as any other answers too, if it is at
    # least ``clear_floor`` probable: one sentence standing out is an answer.
    clear_ratio: float = float("inf")
    clear_floor: float = 1.0
    # Reads the first stage's most probable sentences again (over MATCH_FEATURES); when
    # set, the thresholds above apply to its probabilities.
    rerank: LinearStage | None = None
    # ... for a question asking for a name ("who was hosting them?", "what is the name of
    # the operation?"), if set: nearly every sentence holds some capitalised word the
    # question does not, so the asked kind of fact sorts out less than a number or a date
    # does, yet the model, which learned that typed questions are answered less often,
    # marks their sentences down all the same.
    name_threshold: float | None = None
    # Rates how much each sentence an overview may quote says of what is asked (over
    # OVERVIEW_FEATURES); without it an overview ranks them by their probability.
    overview: LinearStage | None = None

    @classmethod
    def from_json(cls, text: str) -> AnswerabilityModel:
        data = json.loads(text)
        return cls(
            **_weights(data, FEATURES, "first stage"),
            threshold=float(data["threshold"]),
            overview_threshold=float(data["overview_threshold"]),
            relevance_threshold=float(data["relevance_threshold"]),
            judge_threshold=float(data.get("judge_threshold", 0.5)),
            generated=tuple(
                GeneratedThresholds.from_entry(name, entry)
                for name, entry in data.get("generated", {}).items()
            ),
            clear_ratio=float(data.get("clear_ratio") or "inf"),
            clear_floor=float(data.get("clear_floor", 1.0)),
            rerank=_stage(data["rerank"]) if data.get("rerank") else None,
            overview=(
                LinearStage(
                    **_weights(data["overview"], OVERVIEW_FEATURES, "overview", _OVERVIEW_FIT),
                    top=0,
                )
                if data.get("overview")
                else None
            ),
            name_threshold=(
                float(data["name_threshold"]) if data.get("name_threshold") is not None else None
            ),
        )

    @classmethod
    @cache
    def packaged(cls) -> AnswerabilityModel:
        """The model fitted for this release (``answerability.json``)."""
        return cls.from_json(PARAMETERS.read_text())

    def for_language_model(self, name: str) -> AnswerabilityModel:
        """This model with the generated path's thresholds fitted for ``name``, if any."""
        for fitted in self.generated:
            if fitted.model == name:
                return replace(
                    self,
                    relevance_threshold=fitted.relevance,
                    judge_threshold=fitted.judge,
                    judge_backed_threshold=fitted.backed,
                    judge_backing=fitted.backing,
                )
        return self

    def judge_says_yes(self, yes: float, best: float) -> bool:
        """Whether a language model's probability of "yes, the sources answer" lets it
        write the answer, where the evidence's best sentence is ``best`` probable."""
        return self.generated_thresholds.says_yes(yes, best)

    @property
    def generated_thresholds(self) -> GeneratedThresholds:
        """The generated path's thresholds this model holds (``for_language_model``)."""
        return GeneratedThresholds(
            "",
            self.relevance_threshold,
            self.judge_threshold,
            self.judge_backed_threshold,
            self.judge_backing,
        )

    def relaxed(self, factor: float) -> AnswerabilityModel:
        """This model with its fact and name thresholds ``factor`` times as high."""
        name = self.name_threshold
        return replace(
            self,
            threshold=factor * self.threshold,
            name_threshold=None if name is None else factor * name,
        )

    @property
    def first_stage(self) -> LinearStage:
        return LinearStage(self.coefficients, self.intercept, self.mean, self.scale, top=0)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(answers the question) for each row of features, by the first stage."""
        return self.first_stage.probabilities(rows)

    def threshold_for(self, question: Question) -> float:
        """An overview, or a question after each source's version, asks for several
        passages: the overview threshold; a question asking for a name, the name one if
        set; else the fact one."""
        if question.overview or question.compares:
            return self.overview_threshold
        if self.name_threshold is not None and question.answer_type is AnswerType.NAME:
            return self.name_threshold
        return self.threshold

    def answers(self, question: Question, best: float, runner_up: float) -> bool:
        """Whether a best sentence this probable (the next best being ``runner_up``) is
        enough to answer. Standing out from the rest is not enough for "how many <noun>":
        on the calibration questions the sentence that stood out there was mostly a
        number of something else ("five fighters killed" for "how many soldiers")."""
        if best >= self.threshold_for(question):
            return True
        return (
            not question.counted
            and best >= self.clear_floor
            and best >= self.clear_ratio * runner_up
        )


def _stage(data: dict[str, Any]) -> LinearStage:
    return LinearStage(
        **_weights(data, MATCH_FEATURES, "second stage"),
        top=int(data["top"]),
        read_share=float(data.get("read_share", 0.0)),
    )


def _weights(
    data: dict[str, Any],
    features: tuple[str, ...],
    stage: str,
    script: str = "eval/fit_answerability.py",
) -> dict[str, Any]:
    """A stage's fitted weights, refused if they were fitted on other features."""
    if tuple(data["features"]) != features:
        raise ValueError(
            f"{PARAMETERS.name}'s {stage} was fitted on other features "
            f"({data['features']}); refit it with {script}"
        )
    return {
        "coefficients": tuple(data["coefficients"]),
        "intercept": float(data["intercept"]),
        "mean": tuple(data["mean"]),
        "scale": tuple(data["scale"]),
    }
