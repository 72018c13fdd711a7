"""Filters on articles as Chroma sees them, and the day numbers they rely on.

In: ``Filters`` (dates, files, outlets). Out: a Chroma ``where`` on the metadata of
chunks and article records (``published_day``, ``source``, ``publisher``), so that a
search returns ``k`` matching chunks rather than ``k`` chunks filtered afterwards; and,
for a store written before date filters, its day numbers added once on opening.
"""

from __future__ import annotations

from typing import Any

from qa.index.store import WriteGeneration, read_pages
from qa.types import Filters, day_number

SCHEMA = "2"  # 2: chunks and records carry ``published_day`` for date filters


def add_day_numbers(chunks: Any, records: Any, generation: WriteGeneration) -> None:
    """Bring a store written before date filters up to date: give every chunk and record
    its ``published_day`` (once; the store then says it has them)."""
    if generation.schema() == SCHEMA:
        return
    for collection in (chunks, records):
        for page in read_pages(collection, ["metadatas"]):
            old = [dict(m or {}) for m in page["metadatas"]]
            if not old:
                continue
            new = [{**m, "published_day": day_number(m.get("published") or None)} for m in old]
            collection.update(ids=page["ids"], metadatas=new)
    generation.set_schema(SCHEMA)


def chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """Filters as a Chroma ``where`` on chunk (or article record) metadata."""
    if filters is None or filters.empty:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.published_from:
        clauses.append({"published_day": {"$gte": filters.published_from.toordinal()}})
    if filters.published_to:
        clauses.append({"published_day": {"$lte": filters.published_to.toordinal()}})
    if filters.published_from or filters.published_to:
        clauses.append({"published_day": {"$gt": 0}})  # an undated article is in no range
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.publishers:
        clauses.append({"publisher": {"$in": list(filters.publishers)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
