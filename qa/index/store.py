"""The Chroma collection that holds chunks, their vectors and their article metadata.

In: a server URL or a folder. Out: a Chroma client and cosine-space collections, checked
against the model,
embedded on disk by default or on a Chroma server when ``QA_CHROMA_URL`` is set.
Chroma's own embedding function is never used: we always pass our vectors.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeGuard
from urllib.parse import urlparse

import chromadb
import chromadb.errors
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.batch_utils import create_batches

EMBED_MODEL_KEY = "embed_model"
EMBED_BACKEND_KEY = "embed_backend"  # absent in stores made before backends: torch
PAGE_SIZE = 5000  # records read from Chroma per request


class StoreError(RuntimeError):
    """The vector store cannot be opened (corrupt, unreadable, or its server is down)."""


class StoreUnreachable(StoreError):
    """The Chroma server does not answer (down, starting, unreachable): it may yet."""


# The errors of a vector store failing a running service (``store_outage`` says what
# each one means to a client).
STORE_OUTAGES: tuple[type[Exception], ...] = (httpx.TransportError, chromadb.errors.NotFoundError)


def store_outage(error: BaseException) -> str | None:
    """What to tell a client when ``error`` is the vector store failing a running service:
    its server not answering (it may come back: retry), or no longer holding the index
    (reset or wiped under the service, which holds the collections it opened: restart
    it); None for any other error."""
    if isinstance(error, httpx.TransportError):
        return f"the vector store does not answer ({error}); retry shortly"
    if isinstance(error, chromadb.errors.NotFoundError):
        return (
            f"the vector store no longer holds this index ({error}): it was reset or "
            "wiped under the running service; run `qa ingest` and restart the service"
        )
    return None


class IndexMismatchError(RuntimeError):
    """The collection was built by another embedding model; mixing vectors is refused."""


class StoreInUse(StoreError):
    """Another process serves or writes the embedded store."""


class StoreNotWritable(StoreError):
    """The store takes no write now: its disk is (nearly) full, or a write failed."""


MIN_FREE_BYTES = 64 * 2**20  # free on the embedded store's disk for an article to be added


def check_room(chroma_url: str | None, store_dir: Path) -> None:
    """Refuse an addition to the embedded store in ``store_dir`` while its disk is nearly
    full: a write that fills it fails halfway, and Chroma's store then takes no more
    writes until the service restarts (``Corpus.writing``). A Chroma server's disk is
    its own."""
    if chroma_url:
        return
    free = shutil.disk_usage(store_dir).free
    if free < MIN_FREE_BYTES:
        raise StoreNotWritable(
            f"only {free / 2**20:.0f} MB are free on the disk of the store "
            f"({store_location(None, store_dir)}); free some space to add articles"
        )


_held: dict[Path, IO[str]] = {}  # the embedded stores this process took, and their locks


def hold_store(store_dir: Path) -> IO[str]:
    """Take the embedded store in ``store_dir`` for this process, for as long as it runs
    (the returned file holds the lock; the system lets it go when the process ends).

    Chroma's embedded store serves one process: another process's writes reach its files
    but not the vector index a running server keeps in memory, so a ``qa ingest`` beside
    a server left it answering 500s ("Error finding id") about the new article until it
    restarted. The servers and writers of one store therefore take turns by a lock file
    beside it (not in it: ``qa ingest --rebuild`` moves the store aside). Processes
    share an index through a Chroma server (``QA_CHROMA_URL``)."""
    lock_path = store_dir.parent / f"{store_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreInUse(
            f"the store in {store_dir.resolve()} is in use by {holder}; add articles "
            "through that server (POST /api/documents) or stop it first (processes "
            "share one index through a Chroma server: QA_CHROMA_URL)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()} ({' '.join(sys.argv[:2])})")
    handle.flush()
    _held[store_dir.resolve()] = handle
    finish_compaction(store_dir)
    return handle


COMPACTED = "COMPACTED"  # written into a compacted copy once every record is checked


def compaction_folders(store_dir: Path) -> tuple[Path, Path]:
    """Where ``qa compact`` builds the store's copy, and where the store waits while the
    copy takes its place (``qa.index.compact``)."""
    hidden = f".{store_dir.name}"
    return store_dir.with_name(f"{hidden}.compacting"), store_dir.with_name(f"{hidden}.compacted")


def finish_compaction(store_dir: Path) -> None:
    """Complete or undo a compaction that a crash interrupted (nothing to do otherwise):
    the checked copy goes in where the store is missing, else the store goes back; what
    is left beside it goes once the store is whole. The caller holds the store."""
    copy, old = compaction_folders(store_dir)
    if old.exists() and not (store_dir / COMPACTED).exists():
        if store_dir.exists():
            raise StoreError(
                f"a compaction of {store_dir} was interrupted and another store was made "
                f"in its place; the store before it is in {old} and its compacted copy, if "
                f"finished (holding a file {COMPACTED}), in {copy}: move one of them to "
                f"{store_dir}"
            )
        (copy if (copy / COMPACTED).exists() else old).rename(store_dir)
    for leftover in (old, copy):
        if leftover.exists():
            shutil.rmtree(leftover)
    (store_dir / COMPACTED).unlink(missing_ok=True)


def holds_store(store_dir: Path) -> bool:
    """This process holds the embedded store in ``store_dir`` (``hold_store``): no other
    process can be writing it, so what a write under way would leave is a dead one's."""
    handle = _held.get(store_dir.resolve())
    return handle is not None and not handle.closed


def store_location(chroma_url: str | None, store_dir: Path) -> str:
    """Where the index lives, to name it to an operator: the Chroma server's URL without
    its password, or the embedded store's folder, whole (the service may run anywhere)."""
    if chroma_url:
        url = urlparse(chroma_url)
        return url._replace(netloc=url.netloc.rpartition("@")[2]).geturl()
    return str(store_dir.resolve())


def open_client(chroma_url: str | None, store_dir: Path) -> Any:
    """A client of the Chroma server at ``chroma_url``, or of the store in ``store_dir``."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        # Chroma's client takes a host and a port only: a path (a server behind a proxy's
        # prefix) would be dropped without a word, and the requests go elsewhere.
        # A user name and password are never shown: the message reaches /readyz
        shown = store_location(chroma_url, store_dir)
        if url.scheme not in ("http", "https") or not url.hostname or url.path.strip("/"):
            raise ValueError(f"QA_CHROMA_URL must be http(s)://host:port, got {shown!r}")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as error:
            raise StoreUnreachable(
                f"the Chroma server at {shown} does not answer ({error}); "
                "start it, or unset QA_CHROMA_URL to use the embedded store"
            ) from error
    where = store_location(None, store_dir)  # the service may run from any folder
    if not store_dir.exists() and compaction_folders(store_dir)[1].exists():
        raise StoreError(
            f"a compaction of the store in {where} was interrupted; run `qa compact` to "
            "finish it (nothing is lost)"
        )
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(store_dir), settings=chroma_settings)
    except Exception as error:
        # A store the process may not write (a read-only mount, another user's files) is
        # not a broken one: rebuilding it would not help.
        if not _writable(store_dir) or "readonly" in str(error) or "read-only" in str(error):
            raise StoreError(
                f"the vector store in {where} cannot be written ({error}); give this "
                "process write access to it, or set QA_STORE_DIR to a folder it may write"
            ) from error
        raise StoreError(
            f"the vector store in {where} cannot be opened ({error}); "
            "rebuild it from the article files with `qa ingest --rebuild [PATH ...]` "
            "(the old folder is kept beside it)"
        ) from error


def _writable(store_dir: Path) -> bool:
    """Whether this process may write the store's folder and database (or create them)."""
    existing = next((p for p in (store_dir, *store_dir.parents) if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK):
        return False
    database = store_dir / "chroma.sqlite3"
    return not database.exists() or os.access(database, os.W_OK)


def open_collection(client: Any, name: str, embed_model: str, backend: str) -> Any:
    """Get or create the collection, and check it was built by ``embed_model`` run by
    ``backend``: query vectors must come from what made the passage vectors."""
    collection = client.get_or_create_collection(
        name=name,
        metadata={"hnsw:space": "cosine", EMBED_MODEL_KEY: embed_model, EMBED_BACKEND_KEY: backend},
        embedding_function=None,
    )
    metadata = collection.metadata or {}
    built_with = metadata.get(EMBED_MODEL_KEY)
    if built_with and built_with != embed_model:
        raise IndexMismatchError(
            f"collection {name!r} was built with {built_with!r}, not {embed_model!r}; "
            "rebuild it with `qa ingest --rebuild` (or set QA_COLLECTION)"
        )
    built_by = metadata.get(EMBED_BACKEND_KEY, "torch")
    if built_with and built_by != backend:
        raise IndexMismatchError(
            f"collection {name!r} was embedded with the {built_by!r} backend, not {backend!r}; "
            f"set QA_EMBED_BACKEND={built_by}, or rebuild it with `qa ingest --rebuild`"
        )
    return collection


def read_pages(
    collection: Any, include: list[str], where: dict[str, Any] | None = None
) -> Iterator[Any]:
    """The whole collection (or the ``where`` part of it), read in pages."""
    offset = 0
    while True:
        page = collection.get(where=where, include=include, limit=PAGE_SIZE, offset=offset)
        yield page
        if len(page["ids"]) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


class WriteGeneration:
    """A token that changes with every write to the index, kept in Chroma beside it.

    Every process using the same store (replicas behind a load balancer, one Chroma
    server) reads it cheaply to tell whether its derived BM25 index is stale, instead of
    comparing all chunk ids on every request. A writer sets a *dirty* token before it
    changes anything and a *final* one when it is done; a BM25 index saved with a final
    token that is still current is known to be up to date without reading the chunks.
    A writer killed mid-way leaves a dirty token behind, so that shortcut is not taken.
    """

    SUFFIX = "-state"  # its collection's name, after the chunks'
    _ID = "generation"
    _SCHEMA = "schema"
    _DIRTY = "w-"

    def __init__(self, client: Any, chunks_collection: str) -> None:
        self.collection = client.get_or_create_collection(
            f"{chunks_collection}{self.SUFFIX}", embedding_function=None
        )

    def read(self) -> str | None:
        found = self.collection.get(ids=[self._ID], include=["documents"])
        return str(found["documents"][0]) if found["ids"] else None

    def begin(self) -> str:
        """Mark the index as being written."""
        return self._set(self._DIRTY + uuid.uuid4().hex)

    def bump(self) -> str:
        """Mark a write as finished."""
        return self._set(uuid.uuid4().hex)

    @classmethod
    def is_final(cls, token: str | None) -> TypeGuard[str]:
        return token is not None and not cls.is_dirty(token)

    @classmethod
    def is_dirty(cls, token: str | None) -> bool:
        """A write began and has not finished (or its writer died); None is no write yet."""
        return token is not None and token.startswith(cls._DIRTY)

    def schema(self) -> str | None:
        """The layout version the store's records were last brought up to."""
        found = self.collection.get(ids=[self._SCHEMA], include=["documents"])
        return str(found["documents"][0]) if found["ids"] else None

    def set_schema(self, version: str) -> None:
        self.collection.upsert(ids=[self._SCHEMA], documents=[version], embeddings=[[1.0]])

    def _set(self, token: str) -> str:
        # Chroma stores a vector with every record; this one carries none of meaning.
        self.collection.upsert(ids=[self._ID], documents=[token], embeddings=[[1.0]])
        return token


class ChangeLog:
    """Which articles each write touched, and when, kept in Chroma beside the index.

    A process that keeps something derived from the chunks (its keyword index) reads the
    entries since it last looked and brings only those articles up to date, instead of
    the whole corpus. A writer records an article before it writes it, so a process
    killed mid-write has still logged what it may have changed; applying an entry is
    idempotent (the article is read back as committed), so reading some twice is safe.
    """

    # Writers on other machines may stamp entries with clocks behind, and an entry stamped
    # before a slow add lands late: look back this far (entries already applied are
    # known by id, and an article already current is not read again).
    OVERLAP_NS = 60_000_000_000

    SUFFIX = "-changes"  # its collection's name, after the chunks'

    def __init__(self, client: Any, chunks_collection: str) -> None:
        self._client = client
        self.collection = client.get_or_create_collection(
            f"{chunks_collection}{self.SUFFIX}", embedding_function=None
        )

    def record(self, sources: Iterable[str]) -> int:
        """Log that these articles are about to change; returns the entries' time."""
        names = sorted(set(sources))
        at = time.time_ns()
        if not names:
            return at  # Chroma refuses an empty add
        # A run of writes logs every article it wrote when it ends, which may be more
        # than Chroma takes in one request.
        for ids, embeddings, metadatas, documents in create_batches(
            self._client,
            ids=[f"{at}-{uuid.uuid4().hex[:8]}-{i}" for i in range(len(names))],
            # Chroma wants a vector; this one means nothing
            embeddings=[np.ones(1, dtype=np.float32) for _ in names],
            metadatas=[{"at": at} for _ in names],
            documents=names,
        ):
            self.collection.add(
                ids=ids, embeddings=embeddings, metadatas=metadatas, documents=documents
            )
        return at

    def since(self, at: int | None) -> list[tuple[str, str, int]]:
        """Entries logged after ``at`` (all, if None; a little before it, for clocks that
        lag), as (entry id, article, time), oldest first."""
        where = {"at": {"$gt": at - self.OVERLAP_NS}} if at is not None else None
        entries = [
            (entry, str(source), int((metadata or {}).get("at", 0)))
            for page in read_pages(self.collection, ["documents", "metadatas"], where)
            for entry, source, metadata in zip(
                page["ids"], page["documents"], page["metadatas"], strict=True
            )
        ]
        return sorted(entries, key=lambda e: (e[2], e[0]))
