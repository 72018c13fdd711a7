"""Ingestion into a real Chroma store and a real keyword index: idempotence, replacement,
deletion, restarts, and a keyword index that changes one article at a time."""

import shutil
from pathlib import Path

import chromadb
import pytest

from qa.index.chunks import ChunkStore
from qa.index.corpus import Corpus
from qa.index.keyword import KeywordIndex
from qa.index.store import ChangeLog
from qa.service import QAService
from qa.settings import Settings
from qa.types import IngestOutcome as Outcome
from tests.helpers import DATA, SEEDS

pytestmark = pytest.mark.integration


def _copy_seeds(folder: Path) -> Path:
    folder.mkdir()
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def _keyword_ids(corpus: Corpus) -> set[str]:
    return {hit for hit, _ in corpus.keyword_search("Mosul Iraq IS ISIS Daesh forces", 1000)}


def test_ingesting_the_same_files_again_changes_nothing(make_service, tmp_path: Path) -> None:
    service = make_service()
    first = service.ingest([SEEDS], progress=False)
    assert first.count(Outcome.ADDED) == 5
    ids = set(service.corpus.store.chunk_ids())
    again = service.ingest([SEEDS], progress=False)
    assert again.count(Outcome.UNCHANGED) == 5
    assert set(service.corpus.store.chunk_ids()) == ids


def test_a_changed_file_replaces_its_old_chunks(make_service, tmp_path: Path) -> None:
    folder = _copy_seeds(tmp_path / "articles")
    service = make_service()
    service.ingest([folder], progress=False)
    before = service.status().chunks
    path = folder / "003_cfdb91c2d4b0977c.txt"
    path.write_text(path.read_text().replace("1,500 meters", "2,700 meters"))
    report = service.ingest([path], progress=False)
    assert report.outcomes[path.name][0] is Outcome.REPLACED
    assert service.status().chunks == before
    answer = service.ask("How long was the underground Abu Massoud camp?")
    assert "2,700" in answer.text and "1,500" not in answer.text


def test_deleting_an_article_removes_it_from_both_indexes(make_service) -> None:
    service = make_service()
    service.ingest([SEEDS], progress=False)
    removed = service.delete("002_eda97d55f238a577.txt")
    assert removed == 7
    assert "002_eda97d55f238a577.txt" not in {a.source for a in service.articles()}
    assert all(
        p.source != "002_eda97d55f238a577.txt"
        for p in service.corpus.passages(sorted(_keyword_ids(service.corpus))).values()
    )
    assert not service.ask("Which Kurdish group leads the Syria Democratic Forces?").answered


def test_a_restart_reloads_both_indexes_without_embedding(
    make_service, tmp_path: Path, embed_model
) -> None:
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)

    class CountingModel:  # the real model, counting passage embeddings
        calls = 0

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(embed_model, name)

        def get_text_embedding_batch(self, texts, **kwargs):  # type: ignore[no-untyped-def]
            CountingModel.calls += len(texts)
            return embed_model.get_text_embedding_batch(texts, **kwargs)

    settings = Settings(store_dir=store)
    reopened = QAService(settings, CountingModel()).corpus  # type: ignore[arg-type]
    assert CountingModel.calls == 0
    assert reopened.counts() == (5, 38)
    assert _keyword_ids(reopened) <= set(reopened.store.chunk_ids())
    assert len(_keyword_ids(reopened)) > 30


def test_unsupported_and_empty_files_are_skipped_and_latin1_is_decoded(
    make_service, tmp_path: Path
) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    latin1 = "Café owners in Mosul reopened their shops on the eastern bank today."
    (tmp_path / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    (tmp_path / "empty.txt").write_text("Views: 12\n")
    service = make_service()
    report = service.ingest(
        [tmp_path / "notes.pdf", tmp_path / "latin1.txt", tmp_path / "empty.txt"], progress=False
    )
    assert {name: outcome for name, (outcome, _) in report.outcomes.items()} == {
        "notes.pdf": Outcome.SKIPPED,
        "latin1.txt": Outcome.ADDED,
        "empty.txt": Outcome.SKIPPED,
    }
    found = service.article("latin1.txt")
    assert found is not None and "Café owners" in found[0].body


def test_the_keyword_index_holds_exactly_the_searchable_chunks(make_service) -> None:
    service = make_service()
    service.ingest([SEEDS], progress=False)
    store = service.corpus.store
    assert service.corpus.keyword.chunk_ids() == set(store.committed_ids())
    service.delete("002_eda97d55f238a577.txt")
    assert service.corpus.keyword.chunk_ids() == set(store.committed_ids())


def test_adding_or_deleting_an_article_never_rebuilds_the_keyword_index(
    make_service, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    service = make_service()
    service.ingest([SEEDS], progress=False)

    def refuse(self: KeywordIndex, store: object) -> None:
        raise AssertionError("rebuilt the whole keyword index")

    monkeypatch.setattr(KeywordIndex, "rebuild", refuse)
    before = service.corpus.keyword.articles_applied
    service.add_article("bridge.txt", b"Old Bridge reopens\n\nThe Old Bridge reopened on Sunday.")
    service.delete("bridge.txt")
    assert service.corpus.keyword.articles_applied - before == 2  # one article each time


def test_a_restart_reads_nothing_when_the_keyword_index_is_current(
    make_service, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)
    read: list[object] = []
    real = ChunkStore.committed_chunks

    def counting(self: ChunkStore, sources=None, versions=None):  # type: ignore[no-untyped-def]
        read.append(sources)
        return real(self, sources, versions)

    monkeypatch.setattr(ChunkStore, "committed_chunks", counting)
    reopened = make_service(store).corpus
    assert read == [] and reopened.keyword.count() == 38


def test_a_restart_after_other_writes_catches_up_on_the_logged_articles_only(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    first = make_service(store)
    first.ingest([SEEDS], progress=False)
    # Another process writes: it logs the article, changes it and finishes its write.
    chunks = first.corpus.store
    chunks.changes.record({"004_01363808ca93a349.txt"})
    chunks.records.delete("004_01363808ca93a349.txt")
    chunks.collection.delete(ids=chunks.chunk_ids("004_01363808ca93a349.txt"))
    chunks.generation.bump()
    reopened = make_service(store).corpus
    assert reopened.keyword.articles_applied == 1
    assert reopened.keyword.chunk_ids() == set(reopened.store.committed_ids())
    assert not any(
        p.source == "004_01363808ca93a349.txt"
        for p in reopened.passages(sorted(reopened.keyword.chunk_ids())).values()
    )


def test_a_writer_killed_mid_write_is_caught_up_from_the_change_log(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)
    writer = make_service(store).corpus.store
    # It logs a delete and begins, removes the article's record (from here on its chunks
    # are not searchable), and is killed before it finishes: the token stays dirty.
    writer.changes.record({"003_cfdb91c2d4b0977c.txt"})
    writer.generation.begin()
    writer.records.delete("003_cfdb91c2d4b0977c.txt")
    reopened = make_service(store).corpus
    assert reopened.keyword.articles_applied == 1
    assert reopened.keyword.chunk_ids() == set(reopened.store.committed_ids())


def test_a_logged_article_that_did_not_change_is_not_read_again(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)
    writer = make_service(store).corpus.store
    writer.changes.record({"003_cfdb91c2d4b0977c.txt"})  # killed before changing anything
    writer.generation.begin()
    reopened = make_service(store).corpus
    assert reopened.keyword.articles_applied == 0
    assert reopened.keyword.chunk_ids() == set(reopened.store.committed_ids())


def test_sentence_vectors_an_earlier_store_kept_are_dropped_when_it_opens(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)
    client = chromadb.PersistentClient(path=str(store))
    client.create_collection("articles-sentences").add(ids=["s"], embeddings=[[0.1, 0.2]])
    reopened = make_service(store)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert "articles-sentences" not in names
    assert reopened.ask("How many ISIS militants were left in Mosul?").answered


def test_a_write_of_more_articles_than_chroma_takes_at_once_is_logged_whole(
    tmp_path: Path,
) -> None:
    client = chromadb.PersistentClient(path=str(tmp_path / "store"))
    log = ChangeLog(client, "many")
    names = {f"report-{i:05d}.txt" for i in range(client.get_max_batch_size() + 1)}
    log.record(names)
    assert {source for _, source, _ in log.since(None)} == names


def test_the_outlets_a_question_may_name_follow_the_articles_written_and_deleted(
    make_service,
) -> None:
    service = make_service()
    service.ingest([DATA / "floods"], progress=False)
    assert service.corpus.outlets()["River Times"] == ("later.txt",)
    article = "Dam inspected\n\nBy Ana Kell, 1 May 2021\n\nThe dam held.\n\n© 2021 Lake Daily\n"
    service.add_article("dam.txt", article.encode())
    assert service.corpus.outlets()["Lake Daily"] == ("dam.txt",)
    assert service.corpus.outlets()["Ana Kell"] == ("dam.txt",)
    service.delete("dam.txt")
    assert "Lake Daily" not in service.corpus.outlets()


@pytest.mark.parametrize("damage", ["meta.json lost", "meta.json garbled", "a segment file lost"])
def test_a_damaged_keyword_index_is_rebuilt_from_the_store_when_it_opens(
    make_service, tmp_path: Path, damage: str
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    make_service(store).ingest([SEEDS], progress=False)
    folder = store / "keyword" / "articles"
    if damage == "meta.json lost":
        (folder / "meta.json").unlink()  # tantivy then opens an empty index
    elif damage == "meta.json garbled":
        (folder / "meta.json").write_text("{garbled")
    else:
        next(folder.glob("*.idx")).unlink()
    reopened = make_service(store).corpus
    assert reopened.keyword.chunk_ids() == set(reopened.store.committed_ids())
    assert len(_keyword_ids(reopened)) > 10


def test_a_store_made_anew_beside_an_old_keyword_index_leaves_no_ghost_passages(
    make_service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    old, new = tmp_path / "old", tmp_path / "new"
    make_service(old).ingest([SEEDS], progress=False)
    shutil.copytree(old / "keyword", new / "keyword")  # chroma.sqlite3 lost, say
    reopened = make_service(new).corpus
    assert reopened.keyword.count() == 0
    assert reopened.keyword_search("Mosul Iraq forces", 10) == []
