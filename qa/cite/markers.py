"""Inline ``[n]`` citation markers: numbering cited passages and checking the result.

In: answer sentences, each with the passage it comes from. Out: the answer text with a
marker after every sentence, and one ``Citation`` per distinct passage, numbered from 1
in order of first use. ``check_markers`` confirms every marker has its citation and
every citation is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.types import Citation, Passage

MARKER = re.compile(r"\[(\d+)\]")


def cite_sentences(cited: Sequence[tuple[str, Passage]]) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences into an answer with markers; number passages by first use."""
    numbers: dict[str, int] = {}
    used: dict[str, list[str]] = {}
    passages: dict[str, Passage] = {}
    parts = []
    for sentence, passage in cited:
        n = numbers.setdefault(passage.chunk_id, len(numbers) + 1)
        passages[passage.chunk_id] = passage
        used.setdefault(passage.chunk_id, []).append(sentence)
        parts.append(f"{sentence} [{n}]")
    citations = tuple(
        Citation(n=n, passage=passages[chunk_id], cited_sentences=tuple(used[chunk_id]))
        for chunk_id, n in numbers.items()
    )
    return " ".join(parts), citations


def check_markers(text: str, citations: Sequence[Citation]) -> list[str]:
    """Problems with the markers of an answer; empty when every [n] and citation match."""
    markers = {int(m) for m in MARKER.findall(text)}
    numbers = {c.n for c in citations}
    problems = [f"[{n}] has no citation" for n in sorted(markers - numbers)]
    problems += [f"citation {n} is not used" for n in sorted(numbers - markers)]
    return problems
