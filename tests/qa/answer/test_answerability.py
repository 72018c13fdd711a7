"""The packaged answerability model: what it was fitted on, and how it reads features."""

import json
from dataclasses import replace

import numpy as np
import pytest

from qa.answer.answerability import (
    FEATURES,
    MATCH_FEATURES,
    OVERVIEW_FEATURES,
    PARAMETERS,
    AnswerabilityModel,
)
from qa.answer.question import analyse_question


def test_the_packaged_model_matches_the_features_and_says_what_it_was_fitted_on() -> None:
    data = json.loads(PARAMETERS.read_text())
    model = AnswerabilityModel.packaged()
    assert len(model.coefficients) == len(FEATURES) == len(model.mean) == len(model.scale)
    assert "readers.jsonl" in data["fitted"]["thresholds_chosen_on"]
    assert 0 < model.clear_floor <= model.relevance_threshold <= model.threshold < 1


def test_each_packaged_language_model_has_its_own_fitted_judge_thresholds() -> None:
    data = json.loads(PARAMETERS.read_text())
    model = AnswerabilityModel.packaged()
    assert data["generated"], "no language model's thresholds are packaged"
    for name, entry in data["generated"].items():
        assert "calibration" in entry["fitted"]["on"]
        fitted = model.for_language_model(name)
        assert fitted.judge_threshold == entry["judge_threshold"]
        assert fitted.relevance_threshold == entry["relevance_threshold"]
        if entry.get("judge_backing") is None:
            assert fitted.judge_backing == float("inf")  # a "yes" alone decides
        else:
            assert fitted.judge_backing == entry["judge_backing"]
            assert fitted.judge_backed_threshold == entry["judge_backed_threshold"]
            assert fitted.judge_backed_threshold < fitted.judge_threshold
        assert fitted.threshold == model.threshold  # the quoting thresholds stay
    assert model.for_language_model("some other model") is model


def test_the_packaged_overview_model_says_what_it_was_fitted_on() -> None:
    data = json.loads(PARAMETERS.read_text())["overview"]
    stage = AnswerabilityModel.packaged().overview
    assert stage is not None and len(stage.coefficients) == len(OVERVIEW_FEATURES)
    assert data["fitted"]["by"] == "eval/fit_overview.py"
    assert "tests/data/readers.jsonl" in data["fitted"]["on"]
    # More of the question's words and more names: more said of what is asked.
    rows = np.asarray([[0.5, 0.2, 1.0], [0.5, 0.6, 5.0]])
    low, high = stage.probabilities(rows)
    assert high > low


def test_an_overview_model_fitted_on_other_features_is_refused() -> None:
    data = json.loads(PARAMETERS.read_text())
    data["overview"]["features"] = ["relative_probability"]
    with pytest.raises(ValueError, match="fit_overview"):
        AnswerabilityModel.from_json(json.dumps(data))


def test_a_model_fitted_on_other_features_is_refused() -> None:
    data = json.loads(PARAMETERS.read_text())
    data["features"] = [*data["features"], "something else"]
    with pytest.raises(ValueError, match="refit"):
        AnswerabilityModel.from_json(json.dumps(data))


def _raised(mean: tuple[float, ...], index: int, step: float) -> np.ndarray:
    """The mean row, and the same row with one feature raised by ``step``."""
    row = np.array(mean, dtype=float)
    raised = row.copy()
    raised[index] += step
    return np.vstack([row, raised])


def test_closer_in_meaning_is_more_probable() -> None:
    model = AnswerabilityModel.packaged()
    low, high = model.probabilities(_raised(model.mean, FEATURES.index("dense"), 0.2))
    assert high > low


def test_a_sentence_standing_far_above_the_rest_answers_below_the_threshold() -> None:
    model = replace(AnswerabilityModel.packaged(), clear_ratio=4.0)
    question = analyse_question("How long was the tunnel?")
    below = model.threshold - 0.01
    assert model.answers(question, below, below / 5)
    assert not model.answers(question, below, below / 2)
    assert not model.answers(question, model.clear_floor / 2, 0.0)
    # "How many <noun>" needs the threshold: standing out is not enough.
    counted = analyse_question("How many bridges did the flood wash away?")
    assert not model.answers(counted, below, below / 5)
    assert model.answers(counted, model.threshold, 0.0)


def test_a_question_after_each_source_s_version_is_held_to_the_overview_threshold() -> None:
    model = AnswerabilityModel.packaged()
    for question in ("How did the toll change between March and May?", "Do the reports agree?"):
        assert model.threshold_for(analyse_question(question)) == model.overview_threshold
    assert model.threshold_for(analyse_question("What was the toll in May?")) == model.threshold


def test_a_question_asking_for_a_name_is_held_to_the_name_threshold_if_one_is_set() -> None:
    model = AnswerabilityModel.packaged()
    assert model.name_threshold is not None and model.name_threshold <= model.threshold
    name = analyse_question("Who was hosting the talks?")
    assert model.threshold_for(name) == model.name_threshold
    assert model.threshold_for(analyse_question("How many bridges fell?")) == model.threshold
    assert model.threshold_for(analyse_question("What is the name of the camp?")) == (
        model.name_threshold
    )
    unset = replace(model, name_threshold=None)
    assert unset.threshold_for(name) == model.threshold
    data = json.loads(PARAMETERS.read_text())
    del data["name_threshold"]
    assert AnswerabilityModel.from_json(json.dumps(data)).name_threshold is None


def test_the_packaged_model_reads_its_most_probable_sentences_again() -> None:
    stage = AnswerabilityModel.packaged().rerank
    assert stage is not None and stage.top >= 1
    assert len(stage.coefficients) == len(MATCH_FEATURES) == len(stage.mean)
    low, high = stage.probabilities(_raised(stage.mean, MATCH_FEATURES.index("match"), 0.05))
    assert high > low


def test_a_second_stage_fitted_on_other_features_is_refused() -> None:
    data = json.loads(PARAMETERS.read_text())
    data["rerank"]["features"] = list(FEATURES)
    with pytest.raises(ValueError, match="second stage"):
        AnswerabilityModel.from_json(json.dumps(data))


def test_a_yes_the_evidence_backs_needs_less_conviction() -> None:
    model = replace(
        AnswerabilityModel.packaged(),
        judge_threshold=0.6,
        judge_backed_threshold=0.45,
        judge_backing=0.4,
    )
    assert model.judge_says_yes(0.6, best=0.1)  # sure enough alone
    assert model.judge_says_yes(0.5, best=0.4)  # backed by a probable sentence
    assert not model.judge_says_yes(0.5, best=0.39)
    assert not model.judge_says_yes(0.44, best=0.9)
    unbacked = replace(model, judge_backing=float("inf"))
    assert not unbacked.judge_says_yes(0.5, best=1.0)
