"""Ingest article files into the index: read, clean, chunk, embed, store.

In: files and folders (or one file's text) and the chunk store to write to. Out: an
``IngestReport`` saying, per file, whether it was added, replaced, left unchanged or
skipped (and why). Re-ingesting the same files changes nothing; a changed file replaces
its old chunks. The caller holds the store through ``Corpus.writing()``, which brings the
keyword index in line once the writes are done.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from qa.index.chunks import ChunkStore, UpsertResult
from qa.index.corpus import fold_name
from qa.ingest.chunk import chunk_article
from qa.ingest.formats import SUPPORTED_SUFFIXES, decode_article, front_matter, to_plain_text
from qa.ingest.html import extract_html_article, page_date
from qa.ingest.layout import as_shown
from qa.ingest.page_kinds import why_not_article
from qa.ingest.parse import parse_article
from qa.types import Article, Chunk, IngestOutcome

HTML_SUFFIXES = (".html", ".htm")


@dataclass
class IngestReport:
    outcomes: dict[str, tuple[IngestOutcome, str]] = field(default_factory=dict)

    def count(self, outcome: IngestOutcome) -> int:
        return sum(1 for o, _ in self.outcomes.values() if o is outcome)


# A page's opening: an XML declaration, comments, then a doctype, <html>, <head> or <body>.
_HTML_DOCUMENT = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.I | re.S,
)


def check_article_name(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` is a plain file name of a supported type."""
    plain = name == Path(name).name and "\\" not in name and not name.startswith(".")
    if not name or not plain or len(name) > 255 or not name.isprintable():
        raise ValueError(f"{name!r} is not a plain file name (no folders, no leading dot)")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ValueError(f"{name!r} must end in one of {supported}")


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Supported files among ``paths``, folders searched recursively, in a stable order."""
    found: dict[Path, Path] = {}  # by the file it is, so one named twice is read once
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.is_file()
                and not p.name.startswith(".")
            )
        elif path.is_file():
            files = [path]
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def ingest_files(
    store: ChunkStore,
    paths: Iterable[Path],
    chunk_words: int = 90,
    overlap: int = 1,
    progress: bool = True,
    max_bytes: int = 2_000_000,
    batch_chunks: int = 256,
    alike: Callable[[str], str | None] | None = None,
) -> IngestReport:
    """Index the article files under ``paths``, articles of about ``batch_chunks``
    chunks at a time (each article still lands whole or not at all). The progress bar
    counts articles as they are written. ``alike(name)``: the indexed article a new
    file's name differs from only in case, spacing or Unicode form (it is skipped)."""
    report = IngestReport()
    files = find_article_files(paths)
    _refuse_shared_names(files)
    pending: list[tuple[str, Article, list[Chunk]]] = []
    bar = tqdm(
        total=len(files), desc="ingest", unit="article", disable=not progress or len(files) < 10
    )

    def skip(path: Path, reason: str) -> None:
        report.outcomes[path.name] = (IngestOutcome.SKIPPED, reason)
        bar.update(1)

    with _BatchWriter(store, report, bar) as writer:
        for path in files:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skip(path, f"unsupported type {path.suffix!r}")
                continue
            if path.stat().st_size > max_bytes:
                skip(path, f"over the {max_bytes:,}-byte limit")
                continue
            if alike is not None and (other := alike(path.name)) is not None:
                skip(path, f"differs from the indexed {other!r} only in case, spacing or form")
                continue
            try:
                article, chunks = read_article(
                    path.name, decode_article(path.read_bytes()), chunk_words, overlap
                )
            except ValueError as error:
                skip(path, str(error))
                continue
            pending.append((path.name, article, chunks))
            if sum(len(c) for *_, c in pending) >= batch_chunks:
                writer.submit(pending)
                pending = []
        if pending:
            writer.submit(pending)
    bar.close()
    return report


def _refuse_shared_names(files: Sequence[Path]) -> None:
    """Raise ``ValueError`` before anything is written if two files would be stored under
    one name (``a/index.html`` and ``b/index.html``): an article is named by its file's
    name, so the later would silently replace the earlier."""
    by_name: dict[str, list[Path]] = {}
    for path in files:  # "Later.txt" and "later.txt" too: no filter could tell them apart
        by_name.setdefault(fold_name(path.name), []).append(path)
    shared = [paths for paths in by_name.values() if len(paths) > 1]
    if shared:
        clashes = "; ".join(" and ".join(str(p) for p in paths) for paths in shared)
        raise ValueError(
            f"files would be stored under one name, the later replacing the earlier: {clashes}."
            " An article is named by its file name: rename one, nothing was ingested"
        )


class _BatchWriter:
    """Commits prepared batches in order on one background thread, so the next batch is
    read, parsed and embedded while the previous one is written to the store."""

    def __init__(self, store: ChunkStore, report: IngestReport, bar: tqdm) -> None:
        self.store = store
        self.report = report
        self.bar = bar
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-ingest-write")
        self._running: tuple[list[tuple[str, int]], Future[list[UpsertResult]]] | None = None

    def submit(self, entries: list[tuple[str, Article, list[Chunk]]]) -> None:
        plan = self.store.plan_upsert([(article, chunks) for _, article, chunks in entries])
        self.wait()
        names = [(name, len(chunks)) for name, _, chunks in entries]
        self._running = (names, self._pool.submit(self.store.commit, plan))

    def wait(self) -> None:
        """Wait for the batch being written, and record its outcomes."""
        if self._running is None:
            return
        (names, future), self._running = self._running, None
        for (name, count), result in zip(names, future.result(), strict=True):
            self.report.outcomes[name] = (_outcome(result), f"{count} chunks")
        self.bar.update(len(names))

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()


def read_article(
    name: str, raw: str, chunk_words: int = 90, overlap: int = 1, url: str | None = None
) -> tuple[Article, list[Chunk]]:
    """The article in a file's text (.txt, .md or .html, by ``name``; a page fetched from
    ``url``) and its chunks; ValueError if nothing is left after cleaning. A web page's
    article is found by trafilatura; when it finds none (a bare fragment of HTML), the
    page is read as text and cleaned like a saved article."""
    suffix = Path(name).suffix.lower()
    if _HTML_DOCUMENT.match(raw):
        suffix = ".html"  # a page saved under .txt is read as the page it is, not markup
    if suffix in HTML_SUFFIXES:
        raw = as_shown(raw)
    article = extract_html_article(name, raw, url) if suffix in HTML_SUFFIXES else None
    if article is None:
        named, raw = front_matter(raw) if suffix in (".md", ".markdown") else ({}, raw)
        article = replace(parse_article(name, to_plain_text(raw, suffix)), **named)
        if suffix in HTML_SUFFIXES and article.published is None:
            article = replace(article, published=page_date(raw, url))  # its markup's, or URL's
    chunks = chunk_article(article, chunk_words, overlap)
    if not chunks:
        raise ValueError("no article text after cleaning")
    if suffix in HTML_SUFFIXES and (why := why_not_article(article.title, article.body, raw)):
        raise ValueError(why)
    return article, chunks


def store_article(
    store: ChunkStore, article: Article, chunks: Sequence[Chunk]
) -> tuple[IngestOutcome, str]:
    """Add or replace one article already read (``read_article``), so that reading it
    can happen before the write begins."""
    return _outcome(store.upsert_article(article, chunks)), f"{len(chunks)} chunks"


def _outcome(result: UpsertResult) -> IngestOutcome:
    # By what was searchable before: the chunks of a write cut short may be there already
    if not result.was_indexed:
        return IngestOutcome.ADDED
    return IngestOutcome.REPLACED if result.changed else IngestOutcome.UNCHANGED
