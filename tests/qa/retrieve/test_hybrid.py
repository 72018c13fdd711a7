"""Hybrid retrieval on a real store: the real embedding model, Chroma and tantivy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.service import QAService
from qa.types import Query

BREAD = (
    "Bakers in the old quarter rise before dawn to knead dough for the morning bread.",
    "The bread at the corner bakery is baked in a wood-fired oven from local flour.",
    "A family bakery sells rye bread and sourdough loaves to the whole street.",
    "Village bakers say the price of flour has made bread dearer this winter.",
)
CRANES = (
    "The port of Zorvath installed two new cranes to unload container ships faster. "
    "Dock workers in Zorvath said the cranes had cut waiting times for lorries."
)

TAXES = "Parliament voted to change how pension savings are taxed from next April."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, text in enumerate((*BREAD, CRANES, TAXES)):
        title = {CRANES: "New cranes for a port", TAXES: "A tax rule"}.get(text, f"Morning, {n}")
        (folder / f"a{n}.txt").write_text(f"{title}\n\nBy Ann Lee, 3 May 2021\n\n{text}\n")
    return folder


def _top(service: QAService, query: str, k: int) -> list[str]:
    retrieval = service.retriever.retrieve(Query(query), k)
    return [p.text for p in retrieval.passages]


def test_a_passage_far_ahead_in_bm25_is_not_drowned_by_ones_both_searches_rank_low(
    make_service: Callable[..., QAService], corpus: Path, tmp_path: Path
) -> None:
    # Dense search ranks the bread articles first (the query is about bread); BM25 ranks
    # the only article naming Zorvath first by far (a rare word against a common one).
    query = "Zorvath bread"
    relative = make_service(tmp_path / "relative", candidates=10, fusion="relative")
    relative.ingest([corpus], progress=False)
    assert "Zorvath" in _top(relative, query, 1)[0]
    # Rank fusion sees only ranks: a bread passage high in both rankings comes first.
    rrf = make_service(tmp_path / "rrf", candidates=10, fusion="rrf")
    rrf.ingest([corpus], progress=False)
    assert "Zorvath" not in _top(rrf, query, 1)[0]


def test_every_passage_returned_has_its_dense_similarity(
    make_service: Callable[..., QAService], corpus: Path, tmp_path: Path
) -> None:
    service = make_service(tmp_path / "store", candidates=3)
    service.ingest([corpus], progress=False)
    retrieval = service.retriever.retrieve(Query("Zorvath bread"), 5)
    assert retrieval.passages
    assert all(p.chunk_id in retrieval.dense for p in retrieval.passages)
    assert all(0.0 <= p.score <= 1.0 for p in retrieval.passages)
    scores = [p.score for p in retrieval.passages]
    assert scores == sorted(scores, reverse=True)


def test_a_text_indexed_under_two_names_takes_one_place(
    make_service: Callable[..., QAService], corpus: Path, tmp_path: Path
) -> None:
    # One wire story, run by a second outlet: its copy would take a second place.
    (corpus / "wire-copy.txt").write_text((corpus / "a0.txt").read_text())
    service = make_service(tmp_path / "store", candidates=10)
    service.ingest([corpus], progress=False)
    top = _top(service, "bakers knead dough before dawn", 4)
    assert len(top) == 4 and len(set(top)) == 4
    assert sum("knead dough" in text for text in top) == 1
    sources = {p.source for p in service.search("bakers knead dough before dawn").passages}
    assert len(sources & {"a0.txt", "wire-copy.txt"}) == 1
