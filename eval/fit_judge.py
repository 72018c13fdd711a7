"""Choose when a language model writes the answer: the thresholds of the generated path.

In: question files (JSONL, the format of ``tests/data/readers.jsonl``; from a file with a
``split`` field only the ``calibration`` questions are read), the local model
(``QA_LLM=local`` settings) and a store holding the seed articles. For each question it
runs what the generative answerer runs before it writes (retrieval, the evidence scorer,
the sources the model is shown) and asks the model whether those sources answer the
question (``judge``). Out: ``relevance_threshold`` (the evidence probability below which
the model is not asked at all), ``judge_threshold`` (the probability of "yes" it must
give) and a lower ``judge_backed_threshold`` that suffices when the evidence's best
sentence is at least ``judge_backing`` probable, written into
``qa/answer/answerability.json`` under the model's name (each model says yes with its
own confidence); the thresholds are those that pass the share of answerable questions
whose sources hold the answer plus the share of unanswerable ones turned away, at their
highest, among those that keep every ``--require`` question right (when none does, the
judge threshold is 0: the model is not asked). The held-out half is never read here.
Each question's probabilities are printed (stderr); ``--rows`` reads such a print
instead of asking the model again. ``--folds K`` also prints how the choice does on
questions it was not made on (K-fold, ten seeded shuffles): on the 740 calibration
questions of 2026-12-06, 1.592 on the folds chosen on and 1.566 on the fold left out.

    QA_LLM=local .venv/bin/python eval/fit_judge.py tests/data/readers.jsonl \\
        tests/data/fresh7.jsonl tests/data/fresh9.jsonl tests/data/fresh13.jsonl \\
        tests/data/followups-a.jsonl tests/data/fresh2.jsonl \\
        --require ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from fit_answerability import calibration_questions, write_parameters
from sklearn.model_selection import RepeatedKFold

from qa.answer.answerability import PARAMETERS
from qa.answer.answerability import GeneratedThresholds as Rule
from qa.answer.generative import GenerativeAnswerer
from qa.answer.prompts import judge_messages, select_sources
from qa.answer.question import analyse_question
from qa.evaluate import UNANSWERABLE, EvalQuestion, contains_all
from qa.service import QAService
from qa.settings import CoreSettings

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE = (0.0, 0.02, 0.05, 0.1, 0.15, 0.25)
JUDGE = [round(x, 3) for x in np.arange(0.3, 0.951, 0.01)]
BACKING = (0.4, 0.5, 0.6, 0.7, 0.8)  # evidence probabilities that back a "yes"
BACKED = [round(x, 3) for x in np.arange(0.05, 0.5, 0.05)]  # ... and the "yes" they need
_PRINTED = re.compile(r"(\S+)\s+\S+\s+best ([\d.]+) yes ([\d.]+)( \(answer shown\))?$")


@dataclass(frozen=True)
class Judged:
    question: EvalQuestion
    best: float  # the evidence scorer's best probability
    yes: float  # the model's probability that the sources answer
    inside: bool  # the sources shown hold the answer (answerable questions only)

    def passes(self, rule: Rule) -> bool:
        return self.best >= rule.relevance and rule.says_yes(self.yes, self.best)

    def right(self, rule: Rule) -> bool:
        if self.question.kind == UNANSWERABLE:
            return not self.passes(rule)
        return self.inside and self.passes(rule)


def judged(answerer: GenerativeAnswerer, service: QAService, q: EvalQuestion) -> Judged:
    query = answerer.retrieval_query(q.question, q.history)
    retrieval = service.retriever.retrieve(query, service.settings.top_k)
    analysed = analyse_question(q.question, q.history)
    evidence = answerer.scorer.score(analysed, retrieval)
    sources = select_sources(analysed, evidence, answerer.quoting)
    standalone = query.text if query.rewritten else q.question
    yes = answerer.model.judge(judge_messages(standalone, sources)) if sources else 0.0
    shown = " ".join(" ".join(s.sentences) for s in sources)
    return Judged(
        q,
        best=max((e.score for e in evidence), default=0.0),
        yes=yes,
        inside=q.kind != UNANSWERABLE and contains_all(shown, q.must),
    )


def printed(path: Path, questions: Sequence[EvalQuestion]) -> list[Judged]:
    """The rows a previous run printed, for these questions (each must be there)."""
    found = {}
    for line in path.read_text().splitlines():
        if match := _PRINTED.match(line.strip()):
            found[match[1]] = (float(match[2]), float(match[3]), bool(match[4]))
    missing = [q.id for q in questions if q.id not in found]
    if missing:
        raise SystemExit(f"{path} has no row for {', '.join(missing[:5])}")
    return [Judged(q, *found[q.id]) for q in questions]


def score(rows: Sequence[Judged], rule: Rule) -> float:
    answerable = [r for r in rows if r.question.kind != UNANSWERABLE]
    unanswerable = [r for r in rows if r.question.kind == UNANSWERABLE]
    return sum(
        float(np.mean([r.right(rule) for r in group])) if group else 1.0
        for group in (answerable, unanswerable)
    )


def rules(model: str) -> list[Rule]:
    """Every rule tried for ``model``: one judge threshold alone, or with a lower one the
    evidence backs."""
    found = []
    for relevance in RELEVANCE:
        for judge in JUDGE:
            found.append(Rule(model, relevance, judge, judge))
            found += [
                Rule(model, relevance, judge, b, at) for at in BACKING for b in BACKED if b < judge
            ]
    return found


def choose(rows: Sequence[Judged], kept: Sequence[Judged], model: str) -> Rule | None:
    """The rule of the best score on ``rows`` among those that keep every ``kept``
    question right (``keeping``); None: no rule keeps them right."""
    return best_rule(rows, keeping(kept, model))


def keeping(kept: Sequence[Judged], model: str) -> list[Rule]:
    """The rules for ``model`` that keep every ``kept`` question right: a required
    answerable question whose sources hold the answer must pass, and a required
    unanswerable one must be turned away."""
    return [
        rule
        for rule in rules(model)
        if all(r.right(rule) for r in kept if r.question.kind == UNANSWERABLE or r.inside)
    ]


def best_rule(rows: Sequence[Judged], candidates: Sequence[Rule]) -> Rule | None:
    """The candidate of the best score on ``rows``; on a tie the higher judge threshold,
    the lower relevance threshold, and a backed threshold used only where the evidence
    is surer. None: no candidate."""
    ranked = [
        (score(rows, rule), rule.judge, -rule.relevance, rule.backing, rule.backed, i, rule)
        for i, rule in enumerate(candidates)
    ]
    return max(ranked)[-1] if ranked else None


SHUFFLES = 10  # seeded shuffles of the folds, each a K-fold split of its own


def cross_validate(
    rows: Sequence[Judged],
    kept: Sequence[Judged],
    model: str,
    folds: int,
    repeats: int = SHUFFLES,
) -> tuple[float, float, float]:
    """How the choice does on questions it was not made on: ``choose`` on all folds but
    one, scored on that one, over ``repeats`` shuffles (seeded). Out: the mean score on
    the folds chosen on, on the fold left out, and the latter's standard error. A wide
    gap says the grid of rules fits the calibration questions' chance more than the
    judge's skill."""
    inside, outside = [], []
    candidates = keeping(kept, model)  # the same for every fold
    splits = RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
    for chosen_from, held in splits.split(np.zeros(len(rows))):
        fitted_on = [rows[i] for i in chosen_from]
        rule = best_rule(fitted_on, candidates)
        if rule is not None:
            inside.append(score(fitted_on, rule))
            outside.append(score([rows[i] for i in held], rule))
    error = float(np.std(outside) / np.sqrt(len(outside))) if outside else float("nan")
    return float(np.mean(inside)), float(np.mean(outside)), error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, help="a store holding the seeds (default: built)")
    parser.add_argument("--out", type=Path, default=PARAMETERS)
    parser.add_argument(
        "--require", type=Path, action="append", default=[], help="questions that must stay right"
    )
    parser.add_argument("--rows", type=Path, help="choose from a previous run's printed rows")
    parser.add_argument(
        "--folds", type=int, default=0, help="also cross-validate the choice over this many folds"
    )
    args = parser.parse_args()
    questions = calibration_questions(args.questions)
    required = calibration_questions(args.require)
    with tempfile.TemporaryDirectory() as scratch:
        settings = CoreSettings(store_dir=args.store or Path(scratch) / "store")
        if settings.llm.value == "extractive":
            parser.error("set QA_LLM=local (or openai) to fit the generated path")
        service = QAService(settings)
        if args.store is None:
            service.ingest([ROOT / "seeds"], progress=False)
        answerer = service.answerer
        if not isinstance(answerer, GenerativeAnswerer):
            parser.error("the service has no language model")
        if args.rows:
            rows, kept = printed(args.rows, questions), printed(args.rows, required)
        else:
            rows = [judged(answerer, service, q) for q in questions]
            kept = [judged(answerer, service, q) for q in required]
    for r in rows + kept:
        print(
            f"{r.question.id:10} {r.question.kind:12} best {r.best:.3f} yes {r.yes:.3f}"
            f"{' (answer shown)' if r.inside else ''}",
            file=sys.stderr,
        )
    if args.folds:
        chosen_on, left_out, error = cross_validate(rows, kept, answerer.model.name, args.folds)
        print(
            f"{args.folds}-fold, {SHUFFLES} shuffles: answerable passed + unanswerable turned away "
            f"{chosen_on:.3f} on the folds chosen on, {left_out:.3f} on the fold left out "
            f"(standard error {error:.3f})",
            file=sys.stderr,
        )
    chosen = choose(rows, kept, answerer.model.name)
    parameters = json.loads(args.out.read_text())
    if chosen is not None:
        rule, note = chosen, "asked whether its sources answer before it writes"
    else:
        # No threshold keeps the required questions right: the model cannot tell, so it
        # is not asked, and the evidence scorer's own relevance threshold decides alone.
        rule = Rule(answerer.model.name, float(parameters["relevance_threshold"]), 0.0, 0.0)
        note = "not asked: no judge threshold keeps the required questions right"
        print(note, file=sys.stderr)
    answerable = [r for r in rows if r.question.kind != UNANSWERABLE]
    unanswerable = [r for r in rows if r.question.kind == UNANSWERABLE]
    backed = rule.backing != float("inf")
    parameters.setdefault("generated", {})[answerer.model.name] = {
        "relevance_threshold": rule.relevance,
        "judge_threshold": rule.judge,
        "judge_backed_threshold": rule.backed,
        "judge_backing": rule.backing if backed else None,
        "fitted": {
            "judge": note,
            "on": f"{', '.join(map(str, args.questions))} (calibration, {len(questions)})",
            "kept_right": [str(p) for p in args.require],
            "answerable_passed_with_answer_shown": round(
                float(np.mean([r.right(rule) for r in answerable])), 3
            ),
            "unanswerable_turned_away": round(
                float(np.mean([r.right(rule) for r in unanswerable])), 3
            ),
            "date": date.today().isoformat(),
            "by": "eval/fit_judge.py",
        },
    }
    write_parameters(parameters, args.out)
    print(json.dumps(parameters["generated"][answerer.model.name], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
