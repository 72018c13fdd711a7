"""Score the service on a question set (the JSONL format of the evaluation questions).

In: a JSONL file of questions with the phrasings a right answer must contain and the
articles that hold it, and a way to ask (the service's answer stream, or a server's
``/api/chat``: ``qa.eval_run``). Out: an ``EvalReport`` with answer accuracy, citation
precision and support, abstention, answer sentences with a number their cited passage
lacks, retrieval hit@k and MRR of the answer-bearing passage, and latency percentiles
(to the first token and to the whole answer); printable as a table and as JSON.

A question that could not be asked (the server failed or went away) is recorded with
its error and counts against every figure it belongs to: it is never dropped from a
denominator, nor taken for an abstention. A figure with nothing to count (abstention on
a set with no unanswerable question) is None, shown as "—", never a perfect 1.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from qa.cite.stream import SentenceStream
from qa.text.markers import split_markers
from qa.text.numbers import numbers_in
from qa.types import Answer, AnswerEvent, Passage, Role, Turn

Asker = Callable[[str, Sequence[Turn]], Iterator[AnswerEvent]]

UNANSWERABLE = "unanswerable"
# The kinds of question a line may name (the evaluation questions' four, and the readers'
# overview and chatty ones): a misspelt kind would be scored as some other kind.
KINDS = frozenset({"fact", "multi", "followup", "overview", "chatty", UNANSWERABLE})
Share: TypeAlias = float | None  # None: nothing to count


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    kind: str
    question: str
    must: list[list[str]]
    sources: list[str]
    history: list[Turn]


@dataclass
class QuestionResult:
    id: str
    kind: str
    answered: bool
    correct: bool
    supported: bool
    cited_sources: list[str]
    hit_rank: int | None  # rank (from 1) of the first retrieved passage holding the answer
    seconds: float
    first_token_seconds: float
    answer: str
    mode: str
    unsupported_numbers: int  # answer sentences with a number their cited passages lack
    dropped: int
    nearest_holds: bool = False  # an abstention whose nearest sentences hold the answer
    error: str | None = None  # why the question could not be asked; it counts as wrong


@dataclass
class EvalReport:
    questions: int
    errors: int  # questions that could not be asked (each counted wrong)
    accuracy: Share
    # of every citation given (answers to unanswerable questions included, whose every
    # citation is wrong), the share citing one of the question's articles
    citation_precision: Share
    citation_support: Share
    abstention: Share
    hit_at_k: Share
    mrr: Share
    unsupported_number_sentences: int
    generated: Share  # share of answers a language model wrote (the rest quote)
    answered: Share  # share of all questions answered (not abstained on)
    # of the answerable questions abstained on, the share whose nearest sentences (shown
    # beside the abstention) hold every phrasing the answer must contain
    nearest_hold: Share
    by_kind: dict[str, dict[str, Share]]  # kind → questions, accuracy (or abstention), answered
    first_token_p50_ms: float | None  # None unless the answers were streamed
    latency_p50_ms: float
    latency_p95_ms: float
    results: list[QuestionResult] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)  # what makes runs comparable

    def to_json(self) -> str:
        body = asdict(self)
        return json.dumps({"run": body.pop("run"), **body}, indent=2)

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("questions", str(self.questions)),
            *([("could not be asked (counted wrong)", str(self.errors))] if self.errors else []),
            ("answer accuracy", _shown(self.accuracy)),
            ("citation precision", _shown(self.citation_precision)),
            ("citation support", _shown(self.citation_support)),
            ("abstention", _shown(self.abstention)),
            ("retrieval hit@k", _shown(self.hit_at_k)),
            ("retrieval MRR", _shown(self.mrr)),
            ("sentences with unsupported numbers", str(self.unsupported_number_sentences)),
            ("generated answers", _shown(self.generated)),
            ("answered", _shown(self.answered)),
            ("abstained on, answer among nearest", _shown(self.nearest_hold)),
            *(
                (
                    f"{kind}: {'abstention' if kind == UNANSWERABLE else 'accuracy'} "
                    f"(answered), n={figures['questions']:.0f}",
                    f"{_shown(figures['score'])} ({_shown(figures['answered'])})",
                )
                for kind, figures in sorted(self.by_kind.items())
            ),
            ("first token p50 (ms)", _shown(self.first_token_p50_ms, "{:.1f}", "— (not streamed)")),
            ("latency p50 (ms)", f"{self.latency_p50_ms:.1f}"),
            ("latency p95 (ms)", f"{self.latency_p95_ms:.1f}"),
        ]


def _shown(value: float | None, form: str = "{:.3f}", none: str = "—") -> str:
    return none if value is None else form.format(value)


def load_questions(path: Path, split: str | None = None) -> list[EvalQuestion]:
    """The questions of a JSONL file; with ``split``, only those of that half."""
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise TypeError(f"a JSON {type(row).__name__}, not an object")
            if split is not None and row.get("split") != split:
                continue
            question = _question(row, number)
        except KeyError as error:
            raise ValueError(f"{path}:{number}: not a question line (no {error} field)") from error
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"{path}:{number}: not a question line ({error})") from error
        if question.id in seen:
            raise ValueError(f"{path}:{number}: the id {question.id!r} is used twice")
        seen.add(question.id)
        questions.append(question)
    return questions


def _question(row: dict[str, Any], number: int) -> EvalQuestion:
    """A question line, checked: a malformed one would be scored, silently, as some
    other question (a flat ``must`` list matched letter by letter, a misspelt kind
    scored as answerable)."""
    question, kind = row["question"], row.get("kind", "fact")
    if not isinstance(question, str) or not question.strip():
        raise ValueError('"question" is not text')
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is none of {', '.join(sorted(KINDS))}")
    must, sources = row.get("must", []), row.get("source", [])
    if not isinstance(must, list) or not all(
        isinstance(group, list) and group and all(isinstance(p, str) and p for p in group)
        for group in must
    ):
        raise ValueError('"must" is not a list of groups of phrasings ([["6,000", "6000"]])')
    if kind != UNANSWERABLE and not must:
        raise ValueError('an answerable question needs "must": what a right answer says')
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError('"source" is not a list of file names')
    return EvalQuestion(
        id=str(row.get("id", number)),
        kind=kind,
        question=question,
        must=must,
        sources=sources,
        history=[Turn(Role(t["role"]), t["content"]) for t in row.get("history", [])],
    )


def normalise(text: str) -> str:
    """Lower case, thousands separators dropped ("1,000" = "1000"), spaces folded."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())
    return " ".join(text.replace("’", "'").split())


def contains_all(text: str, must: Sequence[Sequence[str]]) -> bool:
    """True if ``text`` holds one phrasing of every group. A phrasing that begins or ends
    with a digit must not run on into more digits: "6,000" is not found in "16,000" or
    "60,000", nor "5" in "2015"."""
    haystack = normalise(text)
    return all(any(_holds(haystack, normalise(p)) for p in group) for group in must)


def _holds(haystack: str, phrasing: str) -> bool:
    before = r"(?<!\d)" if phrasing[:1].isdigit() else ""
    after = r"(?!\d)" if phrasing[-1:].isdigit() else ""
    return re.search(before + re.escape(phrasing) + after, haystack) is not None


def unsupported_number_sentences(answer: Answer) -> int:
    """Sentences of the answer holding a number that none of their cited passages holds
    (a passage's date counts: answers lead figures with it)."""
    passages = {c.n: f"{c.passage.text} {c.passage.published or ''}" for c in answer.citations}
    count = 0
    for sentence in _sentences(answer.text):
        claim, cited = split_markers(sentence)
        known = set().union(*(numbers_in(passages.get(n, "")) for n in cited)) if cited else set()
        if not numbers_in(claim) <= known:
            count += 1
    return count


def _sentences(text: str) -> list[str]:
    stream = SentenceStream()
    return stream.feed(text) + stream.finish()


def evaluate(
    questions: Sequence[EvalQuestion],
    ask: Asker,
    streamed: bool = True,
    on_error: Callable[[str, str], None] | None = None,
) -> EvalReport:
    """Ask every question and score the answers. ``streamed``: the asker yields the
    answer's words as they are written (else the first token is not timed).
    ``on_error(id, why)`` hears each question that could not be asked."""
    results: list[QuestionResult] = []
    for q in questions:
        started = time.perf_counter()
        first_token: float | None = None
        answer: Answer | None = None
        try:
            for event in ask(q.question, q.history):
                if first_token is None:
                    first_token = time.perf_counter() - started
                if isinstance(event, Answer):
                    answer = event
            if answer is None:
                raise RuntimeError("the answer stream ended without an answer")
        except Exception as error:  # one failed question is recorded, not the run's end
            why = str(error) or type(error).__name__
            if on_error is not None:
                on_error(q.id, why)
            results.append(_failed(q, why, time.perf_counter() - started))
            continue
        seconds = time.perf_counter() - started
        quotes = " ".join(c.passage.text for c in answer.citations)
        results.append(
            QuestionResult(
                id=q.id,
                kind=q.kind,
                answered=answer.answered,
                # an unanswerable question is answered right by declining it
                correct=not answer.answered
                if q.kind == UNANSWERABLE
                else answer.answered and contains_all(answer.text, q.must),
                supported=answer.answered
                and bool(answer.citations)
                and contains_all(quotes, q.must),
                cited_sources=[c.passage.source for c in answer.citations],
                hit_rank=_hit_rank(answer.passages, q),
                seconds=seconds,
                first_token_seconds=first_token or seconds,
                answer=answer.text,
                mode=answer.origin.value,
                unsupported_numbers=unsupported_number_sentences(answer) if answer.answered else 0,
                dropped=answer.dropped,
                nearest_holds=not answer.answered
                and contains_all(
                    " ".join(s for c in answer.nearest for s in c.cited_sentences), q.must
                )
                and bool(q.must),
            )
        )
    return _summarise(questions, results, streamed)


def _failed(q: EvalQuestion, why: str, seconds: float) -> QuestionResult:
    return QuestionResult(
        id=q.id,
        kind=q.kind,
        answered=False,
        correct=False,
        supported=False,
        cited_sources=[],
        hit_rank=None,
        seconds=seconds,
        first_token_seconds=seconds,
        answer="",
        mode="",
        unsupported_numbers=0,
        dropped=0,
        error=why,
    )


def _hit_rank(passages: Sequence[Passage], q: EvalQuestion) -> int | None:
    if q.kind == UNANSWERABLE:
        return None
    for rank, passage in enumerate(passages, start=1):
        if passage.source in q.sources and contains_all(passage.text, q.must):
            return rank
    return None


def _summarise(
    questions: Sequence[EvalQuestion], results: list[QuestionResult], streamed: bool = True
) -> EvalReport:
    by_id = {q.id: q for q in questions}
    answerable = [r for r in results if r.kind != UNANSWERABLE]
    unanswerable = [r for r in results if r.kind == UNANSWERABLE]
    # every citation given: one on an unanswerable question cites no article of it
    cited = [(r, s) for r in results for s in r.cited_sources]
    latencies = sorted(r.seconds * 1000 for r in results if r.error is None)
    first_tokens = sorted(r.first_token_seconds * 1000 for r in results if r.error is None)
    return EvalReport(
        questions=len(results),
        errors=sum(r.error is not None for r in results),
        accuracy=_share(r.correct for r in answerable),
        citation_precision=_share(s in by_id[r.id].sources for r, s in cited),
        citation_support=_share(r.supported for r in answerable),
        abstention=_share(r.correct for r in unanswerable),
        hit_at_k=_share(r.hit_rank is not None for r in answerable),
        mrr=statistics.fmean(1 / r.hit_rank if r.hit_rank else 0.0 for r in answerable)
        if answerable
        else None,
        unsupported_number_sentences=sum(r.unsupported_numbers for r in results),
        generated=_share(r.mode == "generated" for r in results if r.answered),
        answered=_share(r.answered for r in results),
        nearest_hold=_share(r.nearest_holds for r in answerable if not r.answered),
        by_kind=_by_kind(results),
        first_token_p50_ms=percentile(first_tokens, 50) if streamed else None,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        results=results,
    )


def _by_kind(results: Sequence[QuestionResult]) -> dict[str, dict[str, Share]]:
    """Per kind of question: how many, the share right (abstained on, for unanswerable
    ones), and the share answered."""
    kinds: dict[str, list[QuestionResult]] = {}
    for r in results:
        kinds.setdefault(r.kind, []).append(r)
    return {
        kind: {
            "questions": len(group),
            "score": _share(r.correct for r in group),
            "answered": _share(r.answered for r in group),
        }
        for kind, group in kinds.items()
    }


def _share(flags: Iterable[bool]) -> Share:
    values = list(flags)
    return sum(values) / len(values) if values else None


def percentile(values: Iterable[float], pct: float) -> float:
    """The nearest-rank ``pct`` percentile of ``values``: the smallest value at least
    ``pct`` per cent of them do not exceed (0 when there are none)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]
