"""Generated answers measured per local model: quality and time to the first token.

In: the settings, a seed-scale store, the model names and the dev questions. Out: per
model, the dev scores and the time to the first (verified) sentence and to the whole
answer over the answerable questions, after one warm-up question.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.evaluate import UNANSWERABLE, EvalQuestion, evaluate, percentile
from qa.settings import AnswerMode, CoreSettings


def measure_generated(
    settings: CoreSettings, store: Path, models: Sequence[str], dev: Sequence[EvalQuestion]
) -> list[dict[str, Any]]:
    from qa.service import QAService

    figures = []
    for model in models:
        config = settings.model_copy(
            update={"store_dir": store, "llm": AnswerMode.LOCAL, "llm_model": model}
        )
        begun = time.perf_counter()
        service = QAService(config)
        service.ask("How did the offensive begin?")  # loads the weights, fills the prefix cache
        warm_up = time.perf_counter() - begun
        report = evaluate(dev, lambda q, h: service.ask_stream(q, h))  # noqa: B023
        answerable = [r for r in report.results if r.kind != UNANSWERABLE]
        first = [r.first_token_seconds for r in answerable]
        total = [r.seconds for r in answerable]
        figures.append(
            {
                "model": model,
                "load_and_first_answer_seconds": round(warm_up, 1),
                "accuracy": _rounded(report.accuracy),
                "citation_support": _rounded(report.citation_support),
                "abstention": _rounded(report.abstention),
                "unsupported_number_sentences": report.unsupported_number_sentences,
                "generated_share": _rounded(report.generated),
                "first_token_p50_s": round(percentile(first, 50), 2),
                "total_p50_s": round(percentile(total, 50), 2),
                "total_p95_s": round(percentile(total, 95), 2),
            }
        )
    return figures


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 3)
