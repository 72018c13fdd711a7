"""The benchmark: its synthetic corpus, and a small real run end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.bench.corpus import bench_questions, synthetic_article, synthetic_articles, write_corpus
from qa.bench.run import BenchOptions, run_bench
from qa.bench.scale import build_store
from qa.ingest.formats import decode_article
from qa.ingest.pipeline import read_article
from qa.settings import EmbedBackend, Settings
from tests.helpers import DATA, SEEDS

pytestmark = pytest.mark.integration


def test_the_synthetic_corpus_is_the_same_everywhere_and_varied() -> None:
    assert synthetic_article(7) == synthetic_article(7)
    articles = [synthetic_article(n)[1] for n in range(200)]
    assert len(set(articles)) == 200
    sentences = [s for text in articles for s in text.split(". ")]
    assert len(set(sentences)) > 0.95 * len(sentences)
    assert bench_questions(5) == bench_questions(5)
    # The seeds' answers must stay the right ones at any scale.
    for seed_word in ("Mosul", "Dorrian", "Abadi", "Nineveh"):
        assert not any(seed_word in text for text in articles)


def test_the_corpus_reaches_its_target_with_the_seeds_inside(tmp_path: Path) -> None:
    files = write_corpus(tmp_path, SEEDS, target_chunks=300, chunk_words=90, overlap=1)
    chunks = sum(
        len(read_article(path.name, decode_article(path.read_bytes()))[1])
        for path in tmp_path.iterdir()
    )
    assert files == len(list(tmp_path.iterdir()))
    assert {p.name for p in SEEDS.iterdir()} <= {p.name for p in tmp_path.iterdir()}
    assert 300 <= chunks < 300 + 40  # stops at the first article past the target
    assert sum(1 for _ in synthetic_articles(0, 90, 1)) == 0


def test_a_small_bench_run_measures_everything(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "unused")
    options = BenchOptions(
        quick=True,
        chunks=150,
        sample=24,
        backends=(EmbedBackend.ONNX,),
        dev=DATA / "team.jsonl",
        cache=tmp_path / "cache",
        out=tmp_path / "results.json",
        starts=1,  # `make bench` takes the median of three; what is measured is the same
    )
    report = run_bench(settings, options, say=lambda line: None)
    assert json.loads((tmp_path / "results.json").read_text()) == report

    (backend,) = report["backends"]
    assert backend["backend"] == "onnx" and backend["sample_chunks"] >= 24
    assert backend["ingest_chunks_per_second"] > 0 and backend["raw_chunks_per_second"] > 0
    assert backend["query_ms"]["n"] > 0

    seed, large = report["servers"]
    assert seed["chunks"] == 38 and large["chunks"] >= 150
    for server in (seed, large):
        assert 0 < server["cold_start_seconds"] < 120 and len(server["cold_starts"]) == 1
        assert server["search_ms"]["n"] == server["ask_ms"]["n"] > 30
        assert server["concurrent"]["requests"] == 160  # bounded by count, not by time
        assert server["concurrent"]["errors"] == 0
        assert server["peak_rss_mb"] > 100
        assert len(server["dev_answers"]) == 39
    changed = [q for q in seed["dev_answers"] if seed["dev_answers"][q] != large["dev_answers"][q]]
    assert report["dev_answers_changed_at_scale"] == changed
    assert {t["target"].split(" (")[0] for t in report["targets"]} >= {
        "ingest chunks/s",
        "search p50 ms",
        "cold start s",
        "peak RSS MB",
    }

    again = build_store(settings, 150, tmp_path / "cache")  # kept: nothing is re-embedded
    assert again.reused and again.chunks == large["chunks"]
