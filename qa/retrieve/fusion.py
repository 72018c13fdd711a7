"""Reciprocal rank fusion of several rankings of the same items.

In: rankings (lists of ids, best first) and the RRF constant ``k``. Out: ids with
their fused score, best first. An id's score is the sum over rankings of
``weight / (k + rank)``, rank counted from 1 (Cormack et al., 2009); ties keep the
order in which ids were first seen, so the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence


def fuse_rankings(
    rankings: Sequence[Sequence[str]],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    if k < 1:
        raise ValueError("k must be at least 1")
    weights = weights if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))
