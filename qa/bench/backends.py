"""Each embedding backend measured on the same chunks: the model alone, the whole
ingestion pipeline, one query, and how far its retrieval and answers agree with torch.

In: the settings, a sample of synthetic articles and the dev questions. Out: one
``BackendFigures`` per backend. Raw throughput is the model embedding the sample's chunk
texts in batches; ingestion is the same articles through ``ingest_files`` into a fresh
store (parse, clean, chunk, embed, write, BM25), so their ratio is the pipeline's cost.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qa.bench.corpus import synthetic_articles
from qa.bench.scale import percentiles_ms
from qa.evaluate import EvalQuestion
from qa.ingest.pipeline import read_article
from qa.settings import CoreSettings, EmbedBackend


@dataclass
class BackendFigures:
    backend: str
    load_seconds: float
    sample_chunks: int
    raw_chunks_per_second: float
    ingest_chunks_per_second: float
    query_ms: dict[str, float]
    top5_overlap_with_torch: float = 1.0  # mean share of the dev top-5 that torch also finds
    dev_answers_as_torch: int = 0
    dev_questions: int = 0
    answers: dict[str, str] = field(default_factory=dict, repr=False)
    top5: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def overhead(self) -> float:
        """Share of the model's own throughput that the pipeline loses."""
        return 1 - self.ingest_chunks_per_second / self.raw_chunks_per_second

    def to_dict(self) -> dict[str, Any]:
        figures = asdict(self)
        del figures["answers"], figures["top5"]
        return {**figures, "pipeline_overhead": round(self.overhead, 3)}


def measure_backends(
    settings: CoreSettings,
    backends: Sequence[EmbedBackend],
    sample_chunks: int,
    queries: Sequence[str],
    dev: Sequence[EvalQuestion],
) -> list[BackendFigures]:
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as scratch:
        folder = Path(scratch) / "sample"
        folder.mkdir()
        texts: list[str] = []
        for name, text in synthetic_articles(
            sample_chunks, settings.chunk_words, settings.chunk_overlap_sentences
        ):
            (folder / name).write_text(text, encoding="utf-8")
            _, chunks = read_article(
                name, text, settings.chunk_words, settings.chunk_overlap_sentences
            )
            texts += [chunk.text for chunk in chunks]
        results = [
            _measure(
                settings.model_copy(update={"embed_backend": backend}),
                folder,
                texts,
                queries,
                dev,
                Path(scratch) / backend.value,
            )
            for backend in backends
        ]
    reference = next((r for r in results if r.backend == EmbedBackend.TORCH.value), None)
    if reference is not None:
        for result in results:
            _compare(result, reference)
    return results


def _measure(
    settings: CoreSettings,
    sample: Path,
    texts: list[str],
    queries: Sequence[str],
    dev: Sequence[EvalQuestion],
    scratch: Path,
) -> BackendFigures:
    from qa.index.embed import load_embed_model
    from qa.service import QAService

    begun = time.perf_counter()
    model = load_embed_model(
        settings.embed_model,
        settings.embed_backend,
        cache_dir=settings.embed_cache_dir,
        threads=settings.embed_threads,
        batch_size=settings.embed_batch_size,
    )
    load_seconds = time.perf_counter() - begun
    model.get_text_embedding_batch(texts[: settings.embed_batch_size])  # warm-up

    begun = time.perf_counter()
    model.get_text_embedding_batch(texts)
    raw = len(texts) / (time.perf_counter() - begun)

    writer = QAService(settings.model_copy(update={"store_dir": scratch / "sample"}), model)
    begun = time.perf_counter()
    writer.ingest([sample], progress=False)
    ingest = writer.status().chunks / (time.perf_counter() - begun)

    seconds = []
    for query in queries:
        begun = time.perf_counter()
        model.get_query_embedding(query)
        seconds.append(time.perf_counter() - begun)

    seeds = settings.model_copy(update={"store_dir": scratch / "seeds", "llm": "extractive"})
    service = QAService(seeds, model)
    service.ingest([settings.seeds_dir], progress=False)
    top5 = {q.id: [p.chunk_id for p in service.search(q.question, top_k=5).passages] for q in dev}
    answers = {q.id: _answer_text(service, q) for q in dev}
    return BackendFigures(
        backend=settings.embed_backend.value,
        load_seconds=round(load_seconds, 2),
        sample_chunks=len(texts),
        raw_chunks_per_second=round(raw, 1),
        ingest_chunks_per_second=round(ingest, 1),
        query_ms=percentiles_ms(seconds),
        answers=answers,
        top5=top5,
        dev_questions=len(dev),
    )


def _answer_text(service: Any, question: EvalQuestion) -> str:
    answer = service.ask(question.question, question.history, quote=True)
    return str(answer.text) if answer.answered else ""


def _compare(result: BackendFigures, torch: BackendFigures) -> None:
    overlaps = [
        len(set(result.top5[q]) & set(torch.top5[q])) / max(1, len(torch.top5[q]))
        for q in torch.top5
    ]
    result.top5_overlap_with_torch = round(sum(overlaps) / max(1, len(overlaps)), 3)
    result.dev_answers_as_torch = sum(result.answers[q] == torch.answers[q] for q in torch.answers)
