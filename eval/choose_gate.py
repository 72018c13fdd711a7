"""Choose the answerability gate's clear-winner ratio and name threshold on calibration questions.

In: question files (JSONL, the format of ``tests/data/readers.jsonl``; from a file with a
``split`` field only the ``calibration`` questions are read) and a store holding the seed
articles. Out: for each candidate rule, the extractive answerer's accuracy and abstention
on them, and, with ``--write``, the best one (the highest accuracy plus abstention over
all the questions, among those that keep every ``--require`` file fully right) written
to ``qa/answer/answerability.json`` with a note of what it was chosen on. The fact
threshold is kept (``eval/choose_threshold.py`` chooses it), and so is the clear-winner
rule's floor (``eval/fit_answerability.py`` sets it where most answerable calibration
questions' best sentences are: ``--clear-recall``).

The rule answers when the best sentence's probability reaches the threshold (the name
threshold for a question asking for a name), or when it stands out: at least
``clear_floor`` probable and ``clear_ratio`` times as probable as any other sentence.
Each question is asked twice, once with the packaged gate and once with a gate that
always opens, and the gate's inputs (the best and the runner-up probabilities, what the
question asks) are recorded; a candidate rule is then scored without asking again: a
question the gate judged once in each run takes the open run's outcome where the rule
answers, an abstention where it does not; any other (an overview, a compound question
whose parts are judged one by one) keeps the packaged outcome. That makes a grid of
dozens of rules as cheap as two runs.

    .venv/bin/python eval/choose_gate.py tests/data/readers.jsonl tests/data/fresh.jsonl \\
        ... --require ../shared/eval/dev.jsonl --write
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

from fit_answerability import ROOT, calibration_questions, chosen_on, write_parameters

from qa.answer.answer_type import AnswerType
from qa.answer.answerability import PARAMETERS, AnswerabilityModel
from qa.answer.question import Question
from qa.evaluate import UNANSWERABLE, EvalQuestion, evaluate
from qa.service import QAService
from qa.settings import CoreSettings

RATIOS = (1.5, 2.0, 2.5, 3.0, 4.0, 6.0, float("inf"))
NAME_THRESHOLDS = (0.1, 0.15, 0.2, 0.25)


@dataclass(frozen=True)
class Judged:
    """One call of the gate: its inputs, and whether the packaged gate answered."""

    best: float
    runner_up: float
    kind: AnswerType
    counted: bool
    several: bool  # an overview, or a question after each source's version
    answered: bool


@dataclass
class Outcome:
    kind: str  # the question's kind in the file
    good: dict[str, bool]  # by run: right (answerable) or declined (unanswerable)
    judged: dict[str, list[Judged]]  # by run: the gate's calls


@dataclass(frozen=True)
class Rule:
    clear_ratio: float
    clear_floor: float
    name_threshold: float

    def answers(self, model: AnswerabilityModel, judged: Judged) -> bool:
        threshold = self.name_threshold if judged.kind is AnswerType.NAME else model.threshold
        if judged.best >= threshold:
            return True
        return (
            not judged.counted
            and judged.best >= self.clear_floor
            and judged.best >= self.clear_ratio * judged.runner_up
        )


def recording(model: AnswerabilityModel, calls: list[Judged], always: bool) -> AnswerabilityModel:
    """``model`` noting each call of its gate in ``calls`` (``always``: and answering)."""

    @dataclass(frozen=True)
    class Recording(AnswerabilityModel):
        def answers(self, question: Question, best: float, runner_up: float) -> bool:
            answered = super().answers(question, best, runner_up)
            several = question.overview or question.compares
            kind, counted = question.answer_type, bool(question.counted)
            calls.append(Judged(best, runner_up, kind, counted, several, answered))
            return always or answered

    return Recording(**{f.name: getattr(model, f.name) for f in dataclasses.fields(model)})


def record(
    service: QAService, model: AnswerabilityModel, questions: Sequence[EvalQuestion]
) -> list[Outcome]:
    outcomes = []
    for q in questions:
        outcome = Outcome(q.kind, {}, {})
        for run, always in (("packaged", False), ("open", True)):
            calls: list[Judged] = []
            service.extractive.scorer.model = recording(model, calls, always)
            report = evaluate(
                [q], lambda text, history: service.ask_stream(text, history, quote=True)
            )
            result = report.results[0]
            outcome.good[run] = not result.answered if q.kind == UNANSWERABLE else result.correct
            outcome.judged[run] = calls
        outcomes.append(outcome)
    service.extractive.scorer.model = model
    return outcomes


def score(
    model: AnswerabilityModel, rule: Rule, outcomes: Sequence[Outcome]
) -> tuple[float, float]:
    """Accuracy and abstention had the gate followed ``rule``."""
    right = declined = answerable = unanswerable = 0
    for o in outcomes:
        packaged, opened = o.judged["packaged"], o.judged["open"]
        if len(packaged) == 1 and len(opened) == 1 and not packaged[0].several:
            answers = rule.answers(model, packaged[0])
            good = o.good["open"] if answers else o.kind == UNANSWERABLE
        else:
            good = o.good["packaged"]
        if o.kind == UNANSWERABLE:
            unanswerable += 1
            declined += good
        else:
            answerable += 1
            right += good
    accuracy = right / answerable if answerable else 1.0
    return accuracy, declined / unanswerable if unanswerable else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, help="a store holding the seeds (default: built)")
    parser.add_argument(
        "--require", type=Path, action="append", default=[], help="questions that must stay right"
    )
    parser.add_argument("--write", action="store_true", help="write the best rule")
    args = parser.parse_args()

    questions = calibration_questions(args.questions)
    required = calibration_questions(args.require)
    model = AnswerabilityModel.packaged()
    with tempfile.TemporaryDirectory() as scratch:
        service = QAService(CoreSettings(store_dir=args.store or Path(scratch) / "store"))
        if args.store is None:
            service.ingest([ROOT / "seeds"], progress=False)
        outcomes = record(service, model, questions)
        must = record(service, model, required)
    packaged = Rule(model.clear_ratio, model.clear_floor, model.name_threshold or model.threshold)
    rows = []
    for ratio, name in itertools.product(RATIOS, NAME_THRESHOLDS):
        rule = Rule(ratio, model.clear_floor, min(name, model.threshold))
        accuracy, abstention = score(model, rule, outcomes)
        kept = score(model, rule, must) == (1.0, 1.0) if must else True
        rows.append((kept, round(accuracy + abstention, 6), rule == packaged, rule))
    for kept, total, _, rule in sorted(rows, key=lambda r: -r[1])[:10]:
        note = "" if kept else " (a required question fails)"
        print(f"{rule}: accuracy + abstention {total:.4f}{note}", file=sys.stderr)
    accuracy, abstention = score(model, packaged, outcomes)
    print(f"packaged {packaged}: {accuracy:.3f} + {abstention:.3f}", file=sys.stderr)
    # Of equals: the rule in use, else the most cautious (it answers the least).
    kept, total, _, best = max(rows, key=lambda r: (*r[:3], astuple(r[3])))
    if not kept:
        print("no rule keeps the required questions right", file=sys.stderr)
        return 1
    print(f"best: {best} (accuracy + abstention {total:.4f})")
    if args.write:
        data = json.loads(PARAMETERS.read_text())
        data["clear_ratio"] = best.clear_ratio if best.clear_ratio != float("inf") else None
        data["name_threshold"] = best.name_threshold
        data["fitted"]["gate_chosen_on"] = chosen_on(
            args.questions,
            f"{len(questions)} questions; accuracy + abstention {total:.3f}, "
            f"{accuracy + abstention:.3f} with the rule before",
            args.require,
            "choose_gate.py",
        )
        write_parameters(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
