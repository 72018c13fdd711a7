"""Give back the disk space that deleted and replaced articles leave in the embedded store.

In: the folder of an embedded store this process holds (``hold_store``). Out: the same
records in a new folder, swapped in for the old one, and what it measured.

Chroma never gives space back: a deleted chunk's row leaves a free page in its SQLite
file, its vector stays in the HNSW index marked as deleted, and its write stays in the
log table. On a store that held 300 articles, 290 of them deleted, the folder stayed at
20 MB (a store built with the other 10 is 1.2 MB); ``chroma vacuum`` takes it to 12 MB,
as it empties free pages only. So every collection is copied (ids, vectors, texts,
metadata, configuration) into a new store, checked record for record, and swapped in;
the old folder is removed only after the new one is in its place. The change log, which
otherwise grows with every write, loses the entries the keyword index has applied and
would not read again (``ChangeLog.OVERLAP_NS`` before its last one), and only when that
index is up to date with the store.

A crash leaves either the old store in place or the checked copy ready beside it:
``finish_compaction`` (run whenever a process takes the store) completes or undoes the
swap, and a reader finding the store missing mid-swap is told so instead of making an
empty one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.batch_utils import create_batches

from qa.index.keyword import MANIFEST
from qa.index.store import (
    COMPACTED,
    ChangeLog,
    WriteGeneration,
    compaction_folders,
    finish_compaction,
    read_pages,
)

# Chroma normalises a cosine collection's vectors as it adds them, so a copied vector may
# differ from its source in the last bit of a float32 (1.5e-8 seen): no search tells.
VECTOR_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Compaction:
    bytes_before: int
    bytes_after: int
    records: dict[str, int]  # collection → records copied
    changes_dropped: int  # change-log entries left out


def compact(store_dir: Path) -> Compaction:
    """Copy the store in ``store_dir`` without its dead space and swap the copy in. The
    caller holds the store: no other process reads or writes it meanwhile."""
    if not (store_dir / "chroma.sqlite3").is_file():
        raise ValueError(f"{store_dir} holds no embedded store to compact")
    if store_dir.is_symlink() or os.path.ismount(store_dir):
        # the copy takes the folder's place by a rename, which a mount point refuses and
        # which would replace a link by the folder
        raise ValueError(
            f"{store_dir} is a link or a mount point, which compaction cannot swap; "
            "set QA_STORE_DIR to a folder inside it (the store is untouched)"
        )
    finish_compaction(store_dir)
    copy, old = compaction_folders(store_dir)
    before = _size(store_dir)
    try:
        records, dropped = _copy_store(store_dir, copy)
    except BaseException:
        shutil.rmtree(copy, ignore_errors=True)  # the store itself is untouched
        raise
    (copy / COMPACTED).write_text(json.dumps(records), encoding="utf-8")
    store_dir.rename(old)
    copy.rename(store_dir)
    finish_compaction(store_dir)
    return Compaction(before, _size(store_dir), records, dropped)


def _copy_store(store_dir: Path, copy: Path) -> tuple[dict[str, int], int]:
    """Every collection of the store into a new one in ``copy``, checked, and the files
    beside them; returns the records copied by collection and the entries left out."""
    records, dropped = {}, 0
    with _client(store_dir) as source, _client(copy) as target:
        collections = source.list_collections()
        names = {collection.name for collection in collections}
        for collection in collections:
            where = _changes_to_keep(source, store_dir, collection.name, names)
            kept = target.create_collection(
                collection.name,
                metadata=collection.metadata,
                configuration=collection.configuration,
                embedding_function=None,
            )
            records[collection.name] = _copy_records(collection, target, kept, where)
            _check_copy(collection, kept, where)
            dropped += collection.count() - records[collection.name]
    for entry in store_dir.iterdir():  # the keyword index, and anything else not Chroma's
        if not _chroma_owns(entry.name):
            copy_entry = shutil.copytree if entry.is_dir() else shutil.copy2
            copy_entry(entry, copy / entry.name)
    return records, dropped


def _changes_to_keep(
    client: Any, store_dir: Path, name: str, names: set[str]
) -> dict[str, Any] | None:
    """Which entries of a change log to copy (None: all of them, or not a change log):
    those the keyword index would read again, when it is up to date with the store."""
    chunks = name.removesuffix(ChangeLog.SUFFIX)
    if chunks == name or f"{chunks}{WriteGeneration.SUFFIX}" not in names:
        return None
    manifest = store_dir / "keyword" / chunks / MANIFEST
    try:
        kept = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    token = WriteGeneration(client, chunks).read()
    synced_at = kept.get("synced_at")
    if not WriteGeneration.is_final(token) or kept.get("generation") != token:
        return None
    if not isinstance(synced_at, int):
        return None
    return {"at": {"$gt": synced_at - ChangeLog.OVERLAP_NS}}


def _copy_records(source: Any, client: Any, target: Any, where: dict[str, Any] | None) -> int:
    """The records of ``source`` (its ``where`` part) added to ``target`` of ``client``."""
    copied = 0
    for page in read_pages(source, ["embeddings", "documents", "metadatas"], where):
        if not page["ids"]:
            continue
        for ids, embeddings, metadatas, documents in create_batches(
            client,
            ids=page["ids"],
            embeddings=page["embeddings"],
            metadatas=page["metadatas"],
            documents=page["documents"],
        ):
            target.add(ids=ids, embeddings=embeddings, metadatas=metadatas, documents=documents)
            copied += len(ids)
    return copied


def _check_copy(source: Any, target: Any, where: dict[str, Any] | None) -> None:
    """Refuse to go on unless the copy holds the same records, vectors, texts and
    metadata as the part of ``source`` it was to hold."""
    include = ["embeddings", "documents", "metadatas"]
    for page in read_pages(source, include, where):
        if not page["ids"]:
            continue
        copied = target.get(ids=page["ids"], include=include)
        order = {record: i for i, record in enumerate(copied["ids"])}
        if len(order) != len(page["ids"]):
            raise RuntimeError(f"compaction stopped: {source.name} was not copied whole")
        at = [order[record] for record in page["ids"]]
        same = (
            np.allclose(
                np.asarray(copied["embeddings"])[at],
                np.asarray(page["embeddings"]),
                rtol=0,
                atol=VECTOR_TOLERANCE,
            )
            and [copied["documents"][i] for i in at] == page["documents"]
            and [copied["metadatas"][i] for i in at] == page["metadatas"]
        )
        if not same:
            raise RuntimeError(f"compaction stopped: {source.name} was not copied as it is")


def _client(path: Path) -> Any:
    """A client of the embedded store in ``path``, to be closed (as a context manager):
    Chroma keeps its files open for the whole process otherwise."""
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    )


def _chroma_owns(name: str) -> bool:
    """Chroma's database, and its segments' folders (named by UUID): made anew in the copy."""
    if name.startswith("chroma.sqlite3"):
        return True
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
