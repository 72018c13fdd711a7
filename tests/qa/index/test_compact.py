"""``qa compact``: the embedded store gives back the space deleted and replaced articles
leave, answers as before, and a compaction cut short loses nothing."""

import json
import shutil
import time
from pathlib import Path

import pytest

from qa.index.store import (
    COMPACTED,
    ChangeLog,
    StoreError,
    compaction_folders,
    finish_compaction,
    hold_store,
    open_client,
)
from tests.helpers import SEEDS
from tests.helpers import run_qa as qa

QUESTION = "How many PMU fighters were allegedly killed?"


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.mark.integration
def test_compaction_gives_back_the_space_of_deleted_articles_and_answers_as_before(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    assert qa(store, "ingest").returncode == 0
    articles = [p.name for p in sorted(SEEDS.glob("*.txt"))]
    # every article deleted and added again: Chroma keeps what the deletes left behind
    deleted = qa(store, "ingest", *(f"--delete={name}" for name in articles))
    assert deleted.returncode == 0, deleted.stderr
    assert qa(store, "ingest").returncode == 0
    listed, answered = qa(store, "list", "--json").stdout, qa(store, "ask", "--json", QUESTION)
    with open_client(None, store) as client:  # writes of an hour ago, long applied
        log = ChangeLog(client, "articles")
        hour_ago = time.time_ns() - 3600 * 10**9
        log.collection.add(
            ids=[f"{hour_ago}-old-{i}" for i in range(3)],
            embeddings=[[1.0]] * 3,
            metadatas=[{"at": hour_ago}] * 3,
            documents=articles[:3],
        )
        logged = log.since(None)
    newest = max(at for _, _, at in logged)
    before = _size(store)

    result = qa(store, "compact")
    assert result.returncode == 0, result.stderr
    assert "MB →" in result.stdout and "change-log entries" in result.stdout
    built_anew = tmp_path / "anew"
    assert qa(built_anew, "ingest").returncode == 0
    after = _size(store)
    assert after < before and after <= 1.05 * _size(built_anew), (before, after)
    assert not any(p.name.startswith(".store.") for p in tmp_path.iterdir())  # nothing left
    assert not (store / COMPACTED).exists()
    with open_client(None, store) as client:  # what the keyword index would read again
        kept = ChangeLog(client, "articles").since(None)
    assert kept == [e for e in logged if e[2] > newest - ChangeLog.OVERLAP_NS]
    assert not any("-old-" in entry for entry, _, _ in kept)

    assert qa(store, "list", "--json").stdout == listed
    again = qa(store, "ask", "--json", QUESTION)
    assert json.loads(again.stdout) == json.loads(answered.stdout)
    # the compacted store takes writes, and its keyword index follows them
    cited = "003_cfdb91c2d4b0977c.txt"
    assert cited in answered.stdout
    assert qa(store, "ingest", "--delete", cited).returncode == 0
    assert cited not in qa(store, "ask", "--json", QUESTION).stdout


@pytest.mark.integration
def test_compaction_refuses_a_store_another_process_holds_and_a_chroma_server(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    open_client(None, store).get_or_create_collection("articles")
    held = hold_store(store)
    try:
        busy = qa(store, "compact")
    finally:
        held.close()
    assert busy.returncode == 2 and "is in use by" in busy.stderr
    server = qa(store, "compact", env={"QA_CHROMA_URL": "http://127.0.0.1:9"})
    assert server.returncode == 2 and "a Chroma server keeps its own data" in server.stderr
    empty = qa(tmp_path / "none", "compact")
    assert empty.returncode == 2 and "holds no embedded store to compact" in empty.stderr
    (tmp_path / "link").symlink_to(store)
    linked = qa(tmp_path / "link", "compact")
    assert linked.returncode == 2 and "is a link or a mount point" in linked.stderr
    assert (tmp_path / "link").is_symlink() and (store / "chroma.sqlite3").is_file()


def _store_with_records(folder: Path, n: int) -> None:
    with open_client(None, folder) as client:
        collection = client.get_or_create_collection("articles", embedding_function=None)
        collection.add(
            ids=[str(i) for i in range(n)], embeddings=[[1.0, float(i)] for i in range(n)]
        )


def _records(folder: Path) -> int:
    with open_client(None, folder) as client:
        return int(client.get_collection("articles").count())


def test_a_compaction_cut_short_after_the_store_moved_aside_is_finished(tmp_path: Path) -> None:
    store = tmp_path / "store"
    copy, old = compaction_folders(store)
    _store_with_records(old, 3)  # the store, moved aside
    _store_with_records(copy, 2)  # its checked copy, not yet moved in
    (copy / COMPACTED).write_text("{}")
    finish_compaction(store)
    assert _records(store) == 2 and not old.exists() and not copy.exists()
    assert not (store / COMPACTED).exists()


def test_a_compaction_cut_short_before_its_copy_was_checked_puts_the_store_back(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    copy, old = compaction_folders(store)
    _store_with_records(old, 3)
    _store_with_records(copy, 1)  # half copied: no COMPACTED file
    with pytest.raises(StoreError, match="interrupted; run `qa compact` to finish it"):
        open_client(None, store)  # a reader makes no empty store in its place
    assert not store.exists()
    finish_compaction(store)
    assert _records(store) == 3 and not old.exists() and not copy.exists()


def test_a_store_made_in_place_of_one_moved_aside_is_refused_and_nothing_deleted(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    copy, old = compaction_folders(store)
    _store_with_records(old, 3)
    shutil.copytree(old, copy)
    (copy / COMPACTED).write_text("{}")
    store.mkdir()  # as a reader that opened it mid-swap would have (an empty store)
    with pytest.raises(StoreError, match="move one of them to"):
        finish_compaction(store)
    assert _records(old) == 3 and (copy / COMPACTED).exists() and store.exists()
