"""Inline ``[n]`` citation markers: numbering the passages an answer quotes.

In: answer sentences, each with the passage it comes from (and, optionally, a lead such
as "As of 25 October 2016 (AFP): "). Out: the answer text with a marker after every
sentence, and one ``Citation`` per distinct passage, numbered from 1 in order of first
use, listing the sentences quoted from it as they stand in the passage.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.cite.attribution import Quote
from qa.types import Citation, Passage


def cite_sentences(
    cited: Sequence[tuple[str, Passage] | Quote],
) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences into an answer with markers; number passages by first use."""
    numbers: dict[str, int] = {}
    used: dict[str, list[str]] = {}
    passages: dict[str, Passage] = {}
    parts = []
    for quote in cited:
        sentence, passage, lead = Quote(*quote)
        n = numbers.setdefault(passage.chunk_id, len(numbers) + 1)
        passages[passage.chunk_id] = passage
        used.setdefault(passage.chunk_id, []).append(sentence)
        parts.append(f"{lead}{sentence} [{n}]")
    citations = tuple(
        Citation(n=n, passage=passages[chunk_id], cited_sentences=tuple(used[chunk_id]))
        for chunk_id, n in numbers.items()
    )
    return " ".join(parts), citations
