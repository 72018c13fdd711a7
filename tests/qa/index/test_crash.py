"""A real ingest process killed with SIGKILL mid-run leaves no half-written article."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.ingest.chunk import chunk_article
from qa.ingest.parse import parse_article
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import SEEDS, article_text

pytestmark = pytest.mark.integration

ARTICLES = 24


def _write_articles(folder: Path) -> None:
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(ARTICLES):
        text = seeds[i % len(seeds)].read_text()
        marker = f"\n\nDesk report {i} was filed from the Mosul bureau on day {i + 1}.\n"
        (folder / f"article_{i:02d}.txt").write_text(text + marker)


def _ingest(folder: Path, store: Path) -> subprocess.Popen[bytes]:
    # Batches of two or three articles, so the kill lands between batches and inside one.
    env = {**os.environ, "QA_STORE_DIR": str(store), "QA_INGEST_BATCH_CHUNKS": "16"}
    command = [sys.executable, "-m", "qa.cli", "ingest", str(folder)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_mid_run(process: subprocess.Popen[bytes], after_articles: int) -> None:
    """SIGKILL once the progress bar shows ``after_articles`` done."""
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + 300
    done = re.compile(rb"(\d+)/%d" % ARTICLES)
    # tqdm redraws at most every 0.1 s, so a count may be skipped: wait for any count past it.
    while max((int(n) for n in done.findall(seen)), default=0) < after_articles:
        assert time.monotonic() < deadline and process.poll() is None, seen[-500:]
        seen += os.read(process.stderr.fileno(), 4096)
    time.sleep(0.3)  # into the next article
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _expected_texts(folder: Path, source: str) -> list[str]:
    article = parse_article(source, article_text(folder / source))
    return sorted(c.text for c in chunk_article(article))


def _check_consistent(folder: Path, store: Path, embed_model) -> int:  # type: ignore[no-untyped-def]
    """Every article fully present or absent; BM25 and dense agree. Returns how many are present."""
    corpus = QAService(Settings(store_dir=store), embed_model).corpus
    committed = corpus.store.records.versions()
    searchable = corpus.store.committed_ids()
    assert len(searchable) == len(set(searchable)), "duplicate chunks"
    assert corpus.keyword.chunk_ids() == set(searchable), "keyword and dense disagree"
    passages = corpus.passages(searchable)
    for source in committed:
        texts = sorted(p.text for p in passages.values() if p.source == source)
        assert texts == _expected_texts(folder, source), f"{source} is incomplete"
    assert {p.source for p in passages.values()} <= set(committed)
    return len(committed)


@pytest.mark.parametrize("after_articles", [3, 9])
def test_an_ingest_killed_mid_run_leaves_each_article_whole_or_absent(
    tmp_path: Path, embed_model, after_articles: int
) -> None:  # type: ignore[no-untyped-def]
    folder, store = tmp_path / "articles", tmp_path / "store"
    _write_articles(folder)
    _kill_mid_run(_ingest(folder, store), after_articles)

    present = _check_consistent(folder, store, embed_model)
    assert after_articles <= present < ARTICLES, "the kill did not land mid-run"

    rerun = _ingest(folder, store)
    assert rerun.wait(timeout=600) == 0
    assert _check_consistent(folder, store, embed_model) == ARTICLES
    corpus = QAService(Settings(store_dir=store), embed_model).corpus
    chunks = corpus.counts()[1]
    assert chunks == sum(a.chunks for a in corpus.articles()), "stale chunks were left"


def test_chunks_written_before_a_crash_stay_invisible_until_the_article_is_ingested_again(
    tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    folder, store = tmp_path / "articles", tmp_path / "store"
    _write_articles(folder)
    first, second = folder / "article_00.txt", folder / "article_01.txt"
    settings = Settings(store_dir=store)
    QAService(settings, embed_model).ingest([first], progress=False)

    # What a crash leaves: the chunks of a new version of one article and of a new
    # article, written, with the records that would commit them never written.
    lines = first.read_text().splitlines()
    middle = len(lines) // 3  # inside the body, not among the trailing page debris
    first.write_text(
        "\n".join(
            [*lines[:middle], "", "The bureau later corrected the report.", "", *lines[middle:]]
        )
    )
    store_ = QAService(settings, embed_model).corpus.store
    for path in (first, second):
        article = parse_article(path.name, article_text(path))
        plan = store_.plan_upsert([(article, chunk_article(article))])
        store_._write_chunks(plan.new)  # chunks of a new version, and no record: a crash

    service = QAService(settings, embed_model)
    reopened = service.corpus
    searchable = reopened.passages(reopened.store.committed_ids())
    assert {p.source for p in searchable.values()} == {"article_00.txt"}
    assert "corrected" not in " ".join(p.text for p in searchable.values())
    assert reopened.keyword.chunk_ids() == set(searchable)
    hits = reopened.dense_search(embed_model.get_query_embedding("Desk report 1 was filed"), 50)
    assert all(searchable.get(chunk_id) for chunk_id, _ in hits)

    service.ingest([folder], progress=False)
    assert reopened.counts()[1] == sum(a.chunks for a in reopened.articles())
    assert "corrected" in " ".join(
        p.text for p in reopened.passages(reopened.store.committed_ids()).values()
    )


def test_chunks_a_crash_left_are_removed_once_a_writer_or_server_takes_the_store(
    tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    folder, store = tmp_path / "articles", tmp_path / "store"
    _write_articles(folder)
    settings = Settings(store_dir=store)
    QAService(settings, embed_model).ingest([folder / "article_00.txt"], progress=False)
    # A writer killed after writing a new article's chunks and before its record: its
    # write stays open, and the chunks fill places in dense search though never shown.
    chunks = QAService(settings, embed_model).corpus.store
    article = parse_article("article_01.txt", article_text(folder / "article_01.txt"))
    plan = chunks.plan_upsert([(article, chunk_article(article))])
    chunks._begin_write({article.source})
    chunks._write_chunks(plan.new)
    committed = chunks.committed_count()
    assert chunks.count() == committed + len(plan.new)

    # The next process to take the store (here a `qa ingest` with nothing to do) removes them.
    env = {**os.environ, "QA_STORE_DIR": str(store)}
    command = [sys.executable, "-m", "qa.cli", "ingest", "--if-empty"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"index holds {committed} chunks" in done.stdout
