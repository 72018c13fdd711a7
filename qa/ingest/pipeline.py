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
from qa.ingest.parse import SUPPORTED_SUFFIXES, decode_article, parse_article, to_plain_text


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
    max_bytes: int = 2_000_000,
) -> IngestReport:
    report = IngestReport()
    files = find_article_files(paths)
    for path in tqdm(files, desc="ingest", unit="article", disable=not progress or len(files) < 10):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.outcomes[path.name] = (Outcome.SKIPPED, f"unsupported type {path.suffix!r}")
            continue
        if path.stat().st_size > max_bytes:
            report.outcomes[path.name] = (Outcome.SKIPPED, f"over the {max_bytes:,}-byte limit")
            continue
        try:
            raw = decode_article(path.read_bytes())
        except ValueError as error:
            report.outcomes[path.name] = (Outcome.SKIPPED, str(error))
            continue
        report.outcomes[path.name] = ingest_text(index, path.name, raw, chunk_words, overlap)
    index.refresh_keyword()
    return report


def ingest_text(
    index: ChunkIndex, name: str, raw: str, chunk_words: int = 90, overlap: int = 1
) -> tuple[Outcome, str]:
    """Add or replace one article given as file text (.txt, .md or .html, by ``name``).

    Call ``index.refresh_keyword()`` afterwards (once per batch).
    """
    article = parse_article(name, to_plain_text(raw, Path(name).suffix.lower()))
    chunks = chunk_article(article, chunk_words, overlap)
    if not chunks:
        return Outcome.SKIPPED, "no article text after cleaning"
    result = index.upsert_article(article, chunks)
    if not result.changed:
        outcome = Outcome.UNCHANGED
    elif result.removed:
        outcome = Outcome.REPLACED
    else:
        outcome = Outcome.ADDED
    return outcome, f"{len(chunks)} chunks"
