"""Choose the fact threshold of the answerability model on questions no rule was tuned on.

In: question files (JSONL, the format of ``tests/data/readers.jsonl``; from a file with a
``split`` field only the ``calibration`` questions are read) that neither the answerer's
rules nor the model were chosen on, and a store holding the seed articles.
Out: the extractive answerer's accuracy and abstention on them for each candidate
threshold (the name threshold is kept, or capped at the candidate), and, with
``--write``, the best one (the highest accuracy plus abstention, of equals the highest
threshold, among those that keep every ``--require`` file fully right) written to
``qa/answer/answerability.json`` with a note of what it was chosen on.

Why apart from ``eval/fit_answerability.py``: that script chooses thresholds on the
calibration questions, on which the answerer's rules were also tuned over many rounds;
there the answering sentences score higher than on questions written later, so a
threshold chosen there declines too much elsewhere.

    .venv/bin/python eval/choose_threshold.py tests/data/fresh4.jsonl ... \\
        --require ../shared/eval/dev.jsonl --write
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from fit_answerability import ROOT, calibration_questions, chosen_on, measure, write_parameters

from qa.answer.answerability import PARAMETERS, AnswerabilityModel
from qa.service import QAService
from qa.settings import CoreSettings

GRID = (0.2, 0.25, 0.3, 0.35, 0.375, 0.4, 0.425, 0.45, 0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, help="a store holding the seeds (default: built)")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID)
    parser.add_argument(
        "--require", type=Path, action="append", default=[], help="questions that must stay right"
    )
    parser.add_argument("--write", action="store_true", help="write the best threshold")
    args = parser.parse_args()

    questions = calibration_questions(args.questions)
    required = calibration_questions(args.require)
    packaged = AnswerabilityModel.packaged()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        service = QAService(CoreSettings(store_dir=args.store or Path(scratch) / "store"))
        if args.store is None:
            service.ingest([ROOT / "seeds"], progress=False)
        for threshold in args.grid:
            name = packaged.name_threshold
            service.extractive.scorer.model = dataclasses.replace(
                packaged,
                threshold=threshold,
                name_threshold=None if name is None else min(name, threshold),
            )
            accuracy, abstention = measure(service, questions)
            kept = not required or measure(service, required) == (1.0, 1.0)
            rows.append((kept, round(accuracy + abstention, 6), threshold))
            print(
                f"{threshold:.3f}: accuracy {accuracy:.3f} abstention {abstention:.3f}"
                f"{'' if kept else ' (a required question fails)'}",
                file=sys.stderr,
            )
    kept, total, best = max(rows)
    if not kept:
        print("no threshold keeps the required questions right", file=sys.stderr)
        return 1
    print(f"best: {best} (accuracy + abstention {total:.3f})")
    if args.write:
        data = json.loads(PARAMETERS.read_text())
        data["threshold"] = best
        if data.get("name_threshold") is not None:
            data["name_threshold"] = min(data["name_threshold"], best)
        data["fitted"]["threshold_chosen_on"] = chosen_on(
            args.questions,
            f"{len(questions)} questions no rule was tuned on; accuracy + abstention {total:.3f}",
            args.require,
            "choose_threshold.py",
        )
        write_parameters(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
