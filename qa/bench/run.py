"""``qa bench``: every speed and scale figure in one run on the machine at hand.

In: ``BenchOptions``. Out: a report (also written as JSON) with the machine, each
embedding backend's throughput and agreement with torch, and a real server measured at
seed scale and at the large scale, each figure beside its target.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.bench.backends import BackendFigures, measure_backends
from qa.bench.corpus import bench_questions
from qa.bench.scale import ServerFigures, build_store, measure_server
from qa.evaluate import load_questions
from qa.settings import CoreSettings, EmbedBackend

QUICK_CHUNKS = 1_500
FULL_CHUNKS = 100_000


@dataclass(frozen=True)
class BenchOptions:
    quick: bool = False
    chunks: int | None = None  # the large scale; 100,000 (1,500 with quick) if unset
    sample: int | None = None  # chunks per backend throughput run
    backends: Sequence[EmbedBackend] = tuple(EmbedBackend)
    dev: Path = Path("../shared/eval/dev.jsonl")
    cache: Path = Path("bench/cache")
    out: Path | None = Path("bench/results.json")
    llm_models: Sequence[str] = ()  # local models whose generated answers are timed
    starts: int = 3  # each server's start-ups timed, for the cold-start median

    @property
    def large(self) -> int:
        return self.chunks or (QUICK_CHUNKS if self.quick else FULL_CHUNKS)


def run_bench(settings: CoreSettings, options: BenchOptions, say: Any = print) -> dict[str, Any]:
    begun = time.perf_counter()
    if not options.dev.is_file():  # without them, "dev answers changed at scale" checks nothing
        raise ValueError(f"--dev: no question file at {options.dev} (run from the checkout)")
    dev = load_questions(options.dev)
    queries = [q.question for q in dev if not q.history]
    queries += bench_questions(36 if options.quick else 100)
    sample = options.sample or (96 if options.quick else 1024)
    say(f"embedding backends on {sample} chunks: {', '.join(b.value for b in options.backends)}")
    backends = measure_backends(settings, options.backends, sample, queries[:40], dev)
    servers: list[ServerFigures] = []
    stores = []
    for target in (0, options.large):
        built = build_store(settings, target, options.cache)
        stores.append(built)
        origin = "kept from an earlier run" if built.reused else "built"
        say(f"{built.chunks:,} chunks ({origin}); serving")
        servers.append(
            measure_server(
                settings,
                built.path,
                built.chunks,
                queries,
                dev,
                concurrent_requests=160 if options.quick else 480,
                concurrent_seconds=15 if options.quick else 45,
                starts=options.starts,
            )
        )
    build = {
        "chunks": built.chunks,
        "seconds": round(built.build_seconds, 1),
        "chunks_per_second": round(built.chunks / built.build_seconds, 1),
        "reused": built.reused,  # built by an earlier run: its time is that run's
    }
    seed, large = servers
    generated = []
    if options.llm_models:
        from qa.bench.generated import measure_generated

        say(f"generated answers on the dev questions: {', '.join(options.llm_models)}")
        generated = measure_generated(settings, stores[0].path, options.llm_models, dev)
    changed = sorted(q for q in seed.dev_answers if seed.dev_answers[q] != large.dev_answers.get(q))
    report = {
        "machine": _machine(),
        "settings": {
            "embed_backend": settings.embed_backend.value,
            "chunk_words": settings.chunk_words,
            "quick": options.quick,
        },
        "backends": [b.to_dict() for b in backends],
        "large_index_build": build,
        "servers": [s.to_dict() for s in servers],
        "dev_answers_changed_at_scale": changed,
        "generated": generated,
        "seconds": round(time.perf_counter() - begun, 1),
    }
    report["targets"] = check_targets(backends, seed, large, changed, generated)
    if options.out is not None:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(report, indent=2) + "\n")
    return report


def check_targets(
    backends: Sequence[BackendFigures],
    seed: ServerFigures,
    large: ServerFigures,
    changed: list[str],
    generated: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Each target of the service beside the measured figure, and whether it is met."""
    fastest = max(backends, key=lambda b: b.ingest_chunks_per_second)
    scale = f"{large.chunks:,} chunks"
    rows: list[tuple[str, float, float, bool]] = [
        (f"ingest chunks/s ({fastest.backend})", fastest.ingest_chunks_per_second, 60, True),
        (f"pipeline overhead ({fastest.backend})", round(fastest.overhead, 3), 0.15, False),
        ("search p50 ms (seeds)", seed.search_ms["p50"], 20, False),
        ("ask p50 ms (seeds)", seed.ask_ms["p50"], 150, False),
        (f"search p50 ms ({scale})", large.search_ms["p50"], 30, False),
        (f"ask p50 ms ({scale})", large.ask_ms["p50"], 80, False),
        (f"add one article p50 ms ({scale})", large.add_ms["p50"], 1000, False),
        (f"replace one article p50 ms ({scale})", large.replace_ms["p50"], 1000, False),
        (f"delete one article p50 ms ({scale})", large.delete_ms["p50"], 1000, False),
        (f"cold start s ({scale})", round(large.cold_start_seconds, 2), 10, False),
        (f"peak RSS MB ({scale})", large.peak_rss_mb, 1536, False),
        ("dev answers changed at scale", len(changed), 0, False),
    ]
    for model in generated:
        rows.append(
            (f"first token p50 s ({model['model']})", model["first_token_p50_s"], 3.5, False)
        )
        rows.append((f"answer p50 s ({model['model']})", model["total_p50_s"], 8, False))
    return [
        {
            "target": name,
            "measured": value,
            "limit": limit,
            "met": value >= limit if at_least else value <= limit,
        }
        for name, value, limit, at_least in rows
    ]


def _machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def report_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The report as (figure, value) rows for a table."""
    rows = []
    for b in report["backends"]:
        rows.append(
            (
                f"{b['backend']}: raw / ingest chunks/s (overhead)",
                f"{b['raw_chunks_per_second']} / {b['ingest_chunks_per_second']} "
                f"({100 * b['pipeline_overhead']:.0f}%)",
            )
        )
        rows.append(
            (
                f"{b['backend']}: query ms p50; top-5 overlap; dev answers as torch",
                f"{b['query_ms']['p50']}; {b['top5_overlap_with_torch']:.3f}; "
                f"{b['dev_answers_as_torch']}/{b['dev_questions']}",
            )
        )
    build = report["large_index_build"]
    rows.append(
        (
            "large index build",
            f"{build['chunks']:,} chunks in {build['seconds']} s ({build['chunks_per_second']}/s)"
            + (", earlier run" if build["reused"] else ""),
        )
    )
    for s in report["servers"]:
        scale = f"{s['chunks']:,} chunks"
        c = s["concurrent"]
        rows += [
            (
                f"{scale}: start to /readyz, median (each)",
                f"{s['cold_start_seconds']:.2f} s ({', '.join(map(str, s['cold_starts']))})",
            ),
            (
                f"{scale}: /api/search p50 / p95",
                f"{s['search_ms']['p50']} / {s['search_ms']['p95']} ms",
            ),
            (f"{scale}: /api/ask p50 / p95", f"{s['ask_ms']['p50']} / {s['ask_ms']['p95']} ms"),
            (
                f"{scale}: add / replace / delete one article p50",
                f"{s['add_ms']['p50']} / {s['replace_ms']['p50']} / {s['delete_ms']['p50']} ms",
            ),
            (
                f"{scale}: {c['clients']} clients on /api/ask",
                f"{c['requests']} in {c['seconds']} s ({c['requests_per_second']}/s), "
                f"p50 {c['p50_ms']} / p95 {c['p95_ms']} ms, {c['errors']} errors",
            ),
            (f"{scale}: peak RSS", f"{s['peak_rss_mb']} MB"),
        ]
    for g in report["generated"]:
        rows.append(
            (
                f"{g['model']}: accuracy; support; abstention",
                f"{g['accuracy']:.3f}; {g['citation_support']:.3f}; {g['abstention']:.3f}",
            )
        )
        rows.append(
            (
                f"{g['model']}: first token / answer p50 (p95)",
                f"{g['first_token_p50_s']} / {g['total_p50_s']} s ({g['total_p95_s']} s)",
            )
        )
    for t in report["targets"]:
        rows.append(
            (
                f"target: {t['target']}",
                f"{t['measured']} vs {t['limit']}: {'met' if t['met'] else 'MISSED'}",
            )
        )
    return rows
