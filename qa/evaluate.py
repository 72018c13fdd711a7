"""Score the service on a question set (the JSONL format of the evaluation questions).

In: a JSONL file of questions with the phrasings a right answer must contain and the
articles that hold it, and a way to ask (the service's answer stream, or a server's
``/api/chat``). Out: an ``EvalReport`` with answer accuracy, citation precision and
support, abstention, answer sentences with a number their cited passage lacks,
retrieval hit@k and MRR of the answer-bearing passage, and latency percentiles (to the
first token and to the whole answer); printable as a table and as JSON.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qa.cite.stream import SentenceStream
from qa.text.markers import split_markers
from qa.text.numbers import numbers_in
from qa.types import Answer, AnswerEvent, AnswerOrigin, Citation, Passage, Role, Token, Turn

Asker = Callable[[str, Sequence[Turn]], Iterator[AnswerEvent]]

UNANSWERABLE = "unanswerable"


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


@dataclass
class EvalReport:
    questions: int
    accuracy: float
    citation_precision: float
    citation_support: float
    abstention: float
    hit_at_k: float
    mrr: float
    unsupported_number_sentences: int
    generated: float  # share of answers a language model wrote (the rest quote)
    answered: float  # share of all questions answered (not abstained on)
    # of the answerable questions abstained on, the share whose nearest sentences (shown
    # beside the abstention) hold every phrasing the answer must contain
    nearest_hold: float
    by_kind: dict[str, dict[str, float]]  # kind → questions, accuracy (or abstention), answered
    first_token_p50_ms: float
    latency_p50_ms: float
    latency_p95_ms: float
    results: list[QuestionResult] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("questions", str(self.questions)),
            ("answer accuracy", f"{self.accuracy:.3f}"),
            ("citation precision", f"{self.citation_precision:.3f}"),
            ("citation support", f"{self.citation_support:.3f}"),
            ("abstention", f"{self.abstention:.3f}"),
            ("retrieval hit@k", f"{self.hit_at_k:.3f}"),
            ("retrieval MRR", f"{self.mrr:.3f}"),
            ("sentences with unsupported numbers", str(self.unsupported_number_sentences)),
            ("generated answers", f"{self.generated:.3f}"),
            ("answered", f"{self.answered:.3f}"),
            ("abstained on, answer among nearest", f"{self.nearest_hold:.3f}"),
            *(
                (
                    f"{kind}: {'abstention' if kind == UNANSWERABLE else 'accuracy'} "
                    f"(answered), n={int(figures['questions'])}",
                    f"{figures['score']:.3f} ({figures['answered']:.3f})",
                )
                for kind, figures in sorted(self.by_kind.items())
            ),
            ("first token p50 (ms)", f"{self.first_token_p50_ms:.1f}"),
            ("latency p50 (ms)", f"{self.latency_p50_ms:.1f}"),
            ("latency p95 (ms)", f"{self.latency_p95_ms:.1f}"),
        ]


def load_questions(path: Path, split: str | None = None) -> list[EvalQuestion]:
    """The questions of a JSONL file; with ``split``, only those of that half."""
    questions = []
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
            questions.append(
                EvalQuestion(
                    id=str(row.get("id", number)),
                    kind=row.get("kind", "fact"),
                    question=row["question"],
                    must=row.get("must", []),
                    sources=row.get("source", []),
                    history=[Turn(Role(t["role"]), t["content"]) for t in row.get("history", [])],
                )
            )
        except KeyError as error:
            raise ValueError(f"{path}:{number}: not a question line (no {error} field)") from error
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"{path}:{number}: not a question line ({error})") from error
    return questions


def normalise(text: str) -> str:
    """Lower case, thousands separators dropped ("1,000" = "1000"), spaces folded."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())
    return " ".join(text.replace("’", "'").split())


def contains_all(text: str, must: Sequence[Sequence[str]]) -> bool:
    """True if ``text`` holds one phrasing of every group."""
    haystack = normalise(text)
    return all(any(normalise(p) in haystack for p in group) for group in must)


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


def evaluate(questions: Sequence[EvalQuestion], ask: Asker) -> EvalReport:
    results: list[QuestionResult] = []
    for q in questions:
        started = time.perf_counter()
        first_token: float | None = None
        answer: Answer | None = None
        for event in ask(q.question, q.history):
            if first_token is None:
                first_token = time.perf_counter() - started
            if isinstance(event, Answer):
                answer = event
        seconds = time.perf_counter() - started
        if answer is None:
            raise RuntimeError(f"question {q.id}: the answer stream ended without an answer")
        quotes = " ".join(c.passage.text for c in answer.citations)
        results.append(
            QuestionResult(
                id=q.id,
                kind=q.kind,
                answered=answer.answered,
                correct=answer.answered and contains_all(answer.text, q.must),
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
    return _summarise(questions, results)


def http_asker(base_url: str, timeout: float = 300.0, stream: bool = False) -> Asker:
    """Ask a running server: ``POST /api/ask`` (the JSON answer), or with ``stream``
    ``POST /api/chat`` (the same answer as Server-Sent Events, which also times the first
    token). The response carries only the cited passages, so retrieval hit@k and MRR
    measured this way count cited passages only."""
    import httpx

    client = httpx.Client(base_url=base_url, timeout=timeout)

    def ask(question: str, history: Sequence[Turn]) -> Iterator[AnswerEvent]:
        body = {
            "question": question,
            "history": [{"role": t.role.value, "content": t.content} for t in history],
        }
        if not stream:
            response = client.post("/api/ask", json=body)
            response.raise_for_status()
            yield answer_from_json(response.json())
            return
        with client.stream("POST", "/api/chat", json=body) as response:
            response.raise_for_status()
            for name, data in iter_sse(response.iter_lines()):
                if name == "token":
                    yield Token(json.loads(data)["text"])
                elif name == "done":
                    yield answer_from_json(json.loads(data))
                elif name == "error":
                    raise RuntimeError(json.loads(data)["detail"])

    return ask


def iter_sse(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(event, data) of each Server-Sent Event in a stream of lines."""
    name, data = "message", list[str]()
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
        elif not line.startswith(":"):
            field_name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field_name == "event":
                name = value
            elif field_name == "data":
                data.append(value)
    if data:
        yield name, "\n".join(data)


def answer_from_json(body: dict[str, Any]) -> Answer:
    """An ``Answer`` from the API's response body (passages: the cited ones only)."""
    citations = _citations_from_json(body["citations"])
    return Answer(
        body["answer"],
        body["answered"],
        citations,
        AnswerOrigin(body.get("mode", AnswerOrigin.EXTRACTIVE)),
        passages=tuple(c.passage for c in citations),
        dropped=body.get("dropped_sentences", 0),
        notice=body.get("notice"),
        nearest=_citations_from_json(body.get("nearest", [])),
    )


def _citations_from_json(rows: Sequence[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(
        Citation(
            n=c["n"],
            passage=Passage(
                f"{c['source']}#{c['n']}",
                c["source"],
                c["quote"],
                c["title"],
                c["publisher"],
                c["published"],
                None,
            ),
            cited_sentences=tuple(c.get("cited_sentences", ())),
        )
        for c in rows
    )


def _hit_rank(passages: Sequence[Passage], q: EvalQuestion) -> int | None:
    if q.kind == UNANSWERABLE:
        return None
    for rank, passage in enumerate(passages, start=1):
        if passage.source in q.sources and contains_all(passage.text, q.must):
            return rank
    return None


def _summarise(questions: Sequence[EvalQuestion], results: list[QuestionResult]) -> EvalReport:
    by_id = {q.id: q for q in questions}
    answerable = [r for r in results if r.kind != UNANSWERABLE]
    unanswerable = [r for r in results if r.kind == UNANSWERABLE]
    cited = [(r, s) for r in answerable for s in r.cited_sources]
    latencies = sorted(r.seconds * 1000 for r in results)
    first_tokens = sorted(r.first_token_seconds * 1000 for r in results)
    return EvalReport(
        questions=len(results),
        accuracy=_share(r.correct for r in answerable),
        citation_precision=_share(s in by_id[r.id].sources for r, s in cited),
        citation_support=_share(r.supported for r in answerable),
        abstention=_share(not r.answered for r in unanswerable),
        hit_at_k=_share(r.hit_rank is not None for r in answerable),
        mrr=statistics.fmean(1 / r.hit_rank if r.hit_rank else 0.0 for r in answerable)
        if answerable
        else 0.0,
        unsupported_number_sentences=sum(r.unsupported_numbers for r in results),
        generated=_share(r.mode == "generated" for r in results if r.answered),
        answered=_share(r.answered for r in results),
        nearest_hold=_share(r.nearest_holds for r in answerable if not r.answered),
        by_kind=_by_kind(results),
        first_token_p50_ms=percentile(first_tokens, 50),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        results=results,
    )


def _by_kind(results: Sequence[QuestionResult]) -> dict[str, dict[str, float]]:
    """Per kind of question: how many, the share right (abstained on, for unanswerable
    ones), and the share answered."""
    kinds: dict[str, list[QuestionResult]] = {}
    for r in results:
        kinds.setdefault(r.kind, []).append(r)
    return {
        kind: {
            "questions": len(group),
            "score": _share((not r.answered) if kind == UNANSWERABLE else r.correct for r in group),
            "answered": _share(r.answered for r in group),
        }
        for kind, group in kinds.items()
    }


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def percentile(values: Iterable[float], pct: float) -> float:
    """The nearest-rank ``pct`` percentile of ``values`` (0 when there are none)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[round(pct / 100 * (len(ordered) - 1))]
