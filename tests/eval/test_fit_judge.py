"""The judge's thresholds are chosen, and the choice cross-validated, as documented."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from qa.evaluate import UNANSWERABLE, EvalQuestion
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import fit_judge  # a script beside its siblings, not a package

pytestmark = pytest.mark.unit
MODEL = "scripted"


def _rows(yes: np.ndarray, answerable: np.ndarray) -> list[fit_judge.Judged]:
    return [
        fit_judge.Judged(
            EvalQuestion(f"q{i}", "fact" if a else UNANSWERABLE, "?", [], [], []),
            best=0.5,
            yes=float(y),
            inside=bool(a),
        )
        for i, (y, a) in enumerate(zip(yes, answerable, strict=True))
    ]


def _cross_validated(rows: list[fit_judge.Judged]) -> tuple[float, float]:
    chosen_on, left_out, _ = fit_judge.cross_validate(rows, [], MODEL, folds=3, repeats=1)
    return chosen_on, left_out


def test_a_judge_that_tells_them_apart_is_chosen_and_holds_on_the_folds_left_out() -> None:
    random = np.random.default_rng(1)
    answerable = random.random(60) < 0.7
    yes = np.where(answerable, random.uniform(0.7, 1.0, 60), random.uniform(0.0, 0.5, 60))
    rows = _rows(yes, answerable)
    rule = fit_judge.choose(rows, [], MODEL)
    assert rule is not None and 0.5 <= rule.judge <= 0.7
    assert fit_judge.score(rows, rule) == 2.0
    chosen_on, left_out = _cross_validated(rows)
    # the highest threshold that passes every answerable question it was chosen on may
    # turn away the least sure one left out
    assert chosen_on == 2.0 and left_out > 1.9


def test_a_judge_that_cannot_tell_them_apart_scores_lower_on_the_folds_left_out() -> None:
    # "yes" drawn alike for both: whatever the grid finds is the chance of the folds
    # it was chosen on.
    random = np.random.default_rng(2)
    rows = _rows(random.random(60), random.random(60) < 0.7)
    chosen_on, left_out = _cross_validated(rows)
    assert chosen_on > 1.0 + 0.05 and left_out < chosen_on - 0.05


def test_no_rule_is_chosen_when_none_keeps_the_required_questions_right() -> None:
    rows = _rows(np.array([0.9, 0.1]), np.array([True, False]))
    # an unanswerable question the model is surer of than of an answerable one
    kept = _rows(np.array([0.99, 0.2]), np.array([False, True]))
    assert fit_judge.choose(rows, kept, MODEL) is None
