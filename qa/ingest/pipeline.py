"""Ingest article files into the index: read, clean, chunk, embed, store.

In: files and folders. Out: an ``IngestReport`` saying, per file, whether it was added,
replaced, left unchanged or skipped (and why). Re-ingesting the same files changes
nothing; a changed file replaces its old chunks. BM25 is refreshed once per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from tqdm import tqdm

from qa.index.corpus import ChunkIndex
from qa.ingest.chunk import chunk_article
from qa.ingest.parse import SUPPORTED_SUFFIXES, parse_article, read_article_text


class Outcome(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass
class IngestReport:
    outcomes: dict[str, tuple[Outcome, str]] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o, _ in self.outcomes.values() if o is outcome)


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Supported files among ``paths``, folders searched recursively, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in SUPPORTED_SUFFIXES
                    and p.is_file()
                    and not p.name.startswith(".")
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def ingest_files(
    index: ChunkIndex,
    paths: Iterable[Path],
    chunk_words: int = 90,
    overlap: int = 1,
    progress: bool = True,
) -> IngestReport:
    report = IngestReport()
    files = find_article_files(paths)
    for path in tqdm(files, desc="ingest", unit="article", disable=not progress or len(files) < 10):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.outcomes[path.name] = (Outcome.SKIPPED, f"unsupported type {path.suffix!r}")
            continue
        try:
            text = read_article_text(path)
        except UnicodeDecodeError:
            report.outcomes[path.name] = (Outcome.SKIPPED, "not UTF-8 text")
            continue
        article = parse_article(path.name, text)
        chunks = chunk_article(article, chunk_words, overlap)
        if not chunks:
            report.outcomes[path.name] = (Outcome.SKIPPED, "no article text after cleaning")
            continue
        result = index.upsert_article(article, chunks)
        if not result.changed:
            outcome = Outcome.UNCHANGED
        elif result.removed:
            outcome = Outcome.REPLACED
        else:
            outcome = Outcome.ADDED
        report.outcomes[path.name] = (outcome, f"{len(chunks)} chunks")
    index.refresh_keyword()
    return report
