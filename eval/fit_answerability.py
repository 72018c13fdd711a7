"""Fit the answerability model (``qa/answer/answerability.json``) on calibration questions.

In: question files (JSONL, the format of ``tests/data/readers.jsonl``; from a file with a
``split`` field only the ``calibration`` questions are read) and a store holding the seed
articles. Out: the JSON file the evidence scorer loads: the coefficients of a logistic
regression over ``FEATURES`` (one row per candidate sentence, labelled 1 when the sentence
holds a phrasing the answer must contain and comes from an article that answers); a
second one over ``MATCH_FEATURES`` fitted on the rows of the first one's ``--top`` most
probable sentences of each question, of which the scorer reads again those near enough
the best (``--read-share``); and
the thresholds the answerers use, chosen by running the extractive answerer on the
calibration questions of the first file (the readers' questions): the threshold with
the highest accuracy on answerable questions plus abstention on unanswerable ones,
searched for questions after a fact, for overviews and for questions asking for a name
apart (the last at or below the fact one), among those that keep every
``--require`` file (the development questions) fully right. The held-out half is never
read here. The fact threshold is then chosen again by ``eval/choose_threshold.py`` on
questions no rule was tuned on (``tests/data/README.md``), and the clear-winner rule and
the name threshold by ``eval/choose_gate.py`` on all the calibration questions.

    .venv/bin/python eval/fit_answerability.py tests/data/readers.jsonl \\
        ../shared/eval/dev.jsonl tests/data/team.jsonl --require ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from qa.answer.answer_type import AnswerType
from qa.answer.answerability import (
    FEATURES,
    MATCH_FEATURES,
    PARAMETERS,
    AnswerabilityModel,
    LinearStage,
)
from qa.answer.question import analyse_question
from qa.evaluate import UNANSWERABLE, EvalQuestion, evaluate, load_questions, normalise
from qa.service import QAService
from qa.settings import CoreSettings

ROOT = Path(__file__).resolve().parent.parent
GRID = [round(x, 3) for x in np.arange(0.05, 0.951, 0.025)]
RATIOS = (2.0, 3.0, 4.0, 6.0, float("inf"))


def write_parameters(parameters: dict[str, Any], path: Path = PARAMETERS) -> None:
    """Write the answerability parameters whole: serialised first, written beside ``path``
    and renamed over it, so that a script stopped halfway leaves the packaged file as it
    was."""
    text = json.dumps(parameters, indent=2) + "\n"
    written = path.with_name(f".{path.name}.tmp")
    written.write_text(text)
    written.replace(path)


def chosen_on(questions: Sequence[Path], count: str, require: Sequence[Path], by: str) -> str:
    """A note of what a parameter was chosen on: the files, what was measured on them,
    which files had to stay right, when, and by which script."""
    return (
        f"{', '.join(str(p) for p in questions)} ({count}), keeping "
        f"{', '.join(str(p) for p in require) or 'nothing'} right; "
        f"{date.today().isoformat()}, by eval/{by}"
    )


def calibration_questions(paths: Sequence[Path]) -> list[EvalQuestion]:
    """The calibration questions of each file: every line but those of the held-out half
    (a line with no ``split`` is a calibration one). Every script that chooses a parameter
    reads its questions, and the questions that must stay right, through this, so that
    naming ``tests/data/readers.jsonl`` never lets a held-out question steer a choice."""
    questions = []
    for path in paths:
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        keep = {r["id"] for r in rows if r.get("split", "calibration") == "calibration"}
        questions += [q for q in load_questions(path) if q.id in keep]
    return questions


def labelled_rows(
    service: QAService, questions: Sequence[EvalQuestion], reread: bool = False
) -> tuple[np.ndarray, ...]:
    """Feature rows of every candidate sentence, their labels, and their question's index
    (``reread``: only the sentences the second stage reads, with the matcher's feature)."""
    rows, labels, groups = [], [], []
    scorer = service.extractive.scorer
    for index, q in enumerate(questions):
        query = service.extractive.retrieval_query(q.question, q.history)
        retrieval = service.retriever.retrieve(query, service.settings.top_k)
        for e in scorer.score(analyse_question(q.question, q.history), retrieval):
            if reread and e.match is None:
                continue
            text = normalise(e.sentence)
            holds = any(normalise(p) in text for group in q.must for p in group)
            rows.append((*e.features, e.match) if reread else e.features)
            labels.append(int(q.kind != UNANSWERABLE and e.passage.source in q.sources and holds))
            groups.append(index)
    return np.asarray(rows), np.asarray(labels), np.asarray(groups)


def fit_stage(
    rows: np.ndarray, labels: np.ndarray, top: int = 0, read_share: float = 0.0
) -> LinearStage:
    scaler = StandardScaler().fit(rows)
    fitted = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(rows), labels)
    return LinearStage(
        coefficients=tuple(float(c) for c in fitted.coef_[0]),
        intercept=float(fitted.intercept_[0]),
        mean=tuple(float(m) for m in scaler.mean_),
        scale=tuple(float(s) for s in scaler.scale_),
        top=top,
        read_share=read_share,
    )


def best_probability(service: QAService, q: EvalQuestion) -> float | None:
    """The probability of the question's most probable sentence, as the scorer gives it
    (None: no sentence was retrieved)."""
    query = service.extractive.retrieval_query(q.question, q.history)
    retrieval = service.retriever.retrieve(query, service.settings.top_k)
    evidence = service.extractive.scorer.score(analyse_question(q.question, q.history), retrieval)
    return evidence[0].score if evidence else None


def with_thresholds(
    model: AnswerabilityModel, fact: float, overview: float, ratio: float = float("inf")
) -> AnswerabilityModel:
    return dataclasses.replace(
        model, threshold=fact, overview_threshold=overview, clear_ratio=ratio
    )


def measure(service: QAService, questions: Sequence[EvalQuestion]) -> tuple[float, float]:
    report = evaluate(questions, lambda q, h: service.ask_stream(q, h, quote=True))
    if report.accuracy is None or report.abstention is None:
        raise SystemExit("the threshold questions need answerable and unanswerable ones")
    return report.accuracy, report.abstention


def choose(
    service: QAService,
    model: AnswerabilityModel,
    questions: Sequence[EvalQuestion],
    required: Sequence[EvalQuestion],
) -> tuple[AnswerabilityModel, float, float]:
    """Thresholds for facts and for overviews (each searched with the other's questions
    set aside), then their accuracy and abstention together."""

    def overview(q: EvalQuestion) -> bool:
        return analyse_question(q.question, q.history).overview

    def best(
        part: Callable[[EvalQuestion], bool], candidates: list[AnswerabilityModel]
    ) -> AnswerabilityModel:
        scored = []
        tuning = [q for q in questions if part(q)]
        kept = [q for q in required if part(q)]
        for candidate in candidates:
            service.extractive.scorer.model = candidate
            accuracy, abstention = measure(service, tuning)
            ok = measure(service, kept) == (1.0, 1.0) if kept else True
            scored.append((ok, round(accuracy + abstention, 6), -candidate.threshold, candidate))
            print(
                f"  {candidate.threshold:.3f} {candidate.overview_threshold:.3f} "
                f"{candidate.clear_ratio:g} {candidate.name_threshold}: "
                f"accuracy {accuracy:.3f} abstention {abstention:.3f}"
                f"{'' if ok else ' (a required question fails)'}",
                file=sys.stderr,
            )
        return max(scored, key=lambda row: row[:3])[-1]

    print("fact threshold, clear ratio", file=sys.stderr)
    facts = best(
        lambda q: not overview(q),
        [with_thresholds(model, t, 1.0, r) for t in GRID[::2] for r in RATIOS],
    )
    print("overview threshold", file=sys.stderr)
    wide = best(
        lambda q: overview(q) or q.kind == UNANSWERABLE,
        [with_thresholds(model, 1.0, t) for t in GRID],
    )
    chosen = with_thresholds(model, facts.threshold, wide.overview_threshold, facts.clear_ratio)
    print("name threshold (the fact threshold kept)", file=sys.stderr)
    named = best(
        lambda q: (
            not overview(q)
            and analyse_question(q.question, q.history).answer_type is AnswerType.NAME
        ),
        # Highest first: of thresholds doing as well, the one declining most is kept.
        [
            dataclasses.replace(chosen, name_threshold=t)
            for t in reversed(GRID)
            if t <= facts.threshold
        ],
    )
    chosen = dataclasses.replace(chosen, name_threshold=named.name_threshold)
    service.extractive.scorer.model = chosen
    accuracy, abstention = measure(service, questions)
    return chosen, accuracy, abstention


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, help="a store holding the seeds (default: built)")
    parser.add_argument("--out", type=Path, default=PARAMETERS)
    parser.add_argument(
        "--clear-recall",
        type=float,
        default=0.95,
        help="the clear-winner rule needs a best sentence as probable as for this share of "
        "answerable calibration questions",
    )
    parser.add_argument(
        "--generation-threshold",
        type=float,
        default=None,
        help="least probability of the best sentence for a language model to read the "
        "passages (default: kept from the file; eval/fit_judge.py chooses it)",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=5,
        help="how many of the first stage's most probable sentences the second stage reads "
        "again (0: no second stage)",
    )
    parser.add_argument(
        "--read-share",
        type=float,
        default=0.5,
        help="of those, the second stage reads only the sentences the first one found at "
        "least this share as probable as its best (it learns from all --top of them)",
    )
    parser.add_argument(
        "--require", type=Path, action="append", default=[], help="questions that must stay right"
    )
    args = parser.parse_args()

    questions = calibration_questions(args.questions)
    readers = calibration_questions(args.questions[:1])
    required = calibration_questions(args.require)
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or Path(scratch) / "store"
        neutral = AnswerabilityModel(
            coefficients=(0.0,) * len(FEATURES),
            intercept=0.0,
            mean=(0.0,) * len(FEATURES),
            scale=(1.0,) * len(FEATURES),
            threshold=0.5,
            overview_threshold=0.5,
            relevance_threshold=0.0,
        )  # features do not depend on it; it is replaced once fitted
        service = QAService(CoreSettings(store_dir=store), answerability=neutral)
        if args.store is None:
            service.ingest([ROOT / "seeds"], progress=False)
        rows, labels, _ = labelled_rows(service, questions)
        first = fit_stage(rows, labels)
        model = AnswerabilityModel(
            coefficients=first.coefficients,
            intercept=first.intercept,
            mean=first.mean,
            scale=first.scale,
            threshold=0.5,
            overview_threshold=0.5,
            relevance_threshold=0.0,
        )
        if args.top:
            # The second stage learns from the sentences the first one puts on top.
            probe = LinearStage(
                (0.0,) * len(MATCH_FEATURES),
                0.0,
                (0.0,) * len(MATCH_FEATURES),
                (1.0,) * len(MATCH_FEATURES),
                top=args.top,
            )
            service.extractive.scorer.model = dataclasses.replace(model, rerank=probe)
            top_rows, top_labels, _ = labelled_rows(service, questions, reread=True)
            second = fit_stage(top_rows, top_labels, args.top, args.read_share)
            model = dataclasses.replace(model, rerank=second)
        service.extractive.scorer.model = model
        # A clear winner answers if it is as probable as the best sentence of nearly all
        # answerable calibration questions.
        best = [
            p
            for q in questions
            if q.kind != UNANSWERABLE and (p := best_probability(service, q)) is not None
        ]
        floor = round(float(np.quantile(best, 1 - args.clear_recall)), 4)
        previous = (
            AnswerabilityModel.from_json(args.out.read_text()) if args.out.is_file() else None
        )
        relevance = args.generation_threshold
        if relevance is None:
            relevance = previous.relevance_threshold if previous else 0.25
        model = dataclasses.replace(
            model,
            relevance_threshold=relevance,
            judge_threshold=previous.judge_threshold if previous else 0.5,
            clear_floor=floor,
        )
        model, accuracy, abstention = choose(service, model, readers, required)

    result = {
        "features": list(FEATURES),
        "coefficients": list(model.coefficients),
        "intercept": model.intercept,
        "mean": list(model.mean),
        "scale": list(model.scale),
        "threshold": model.threshold,
        "overview_threshold": model.overview_threshold,
        "relevance_threshold": model.relevance_threshold,
        "judge_threshold": model.judge_threshold,
        "clear_ratio": model.clear_ratio if model.clear_ratio != float("inf") else None,
        "clear_floor": model.clear_floor,
        "name_threshold": model.name_threshold,
        "rerank": {"features": list(MATCH_FEATURES), **dataclasses.asdict(model.rerank)}
        if model.rerank
        else None,
        "fitted": {
            "on": [str(p) for p in args.questions],
            "questions": len(questions),
            "unanswerable": sum(q.kind == UNANSWERABLE for q in questions),
            "sentences": len(labels),
            "positive_sentences": int(labels.sum()),
            "thresholds_chosen_on": f"{args.questions[0]} (calibration split, {len(readers)})",
            "kept_right": [str(p) for p in args.require],
            "calibration_accuracy": round(accuracy, 3),
            "calibration_abstention": round(abstention, 3),
            "date": date.today().isoformat(),
            "by": "eval/fit_answerability.py",
        },
    }
    kept = json.loads(args.out.read_text()) if args.out.is_file() else {}
    if kept.get("generated"):
        result["generated"] = kept["generated"]  # eval/fit_judge.py's, kept as they are
    if kept.get("overview"):
        # eval/fit_overview.py's, kept; refit it next, as it reads the first stage's output
        result["overview"] = kept["overview"]
    write_parameters(result, args.out)
    print(json.dumps(result["fitted"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
