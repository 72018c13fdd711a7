import pytest

from qa.retrieve.fusion import fuse_rankings


def test_an_item_ranked_well_by_both_retrievers_comes_first() -> None:
    fused = fuse_rankings([["a", "b", "c"], ["b", "d", "a"]], k=60)
    assert [item for item, _ in fused][:2] == ["b", "a"]


def test_scores_are_sums_of_reciprocal_ranks() -> None:
    fused = dict(fuse_rankings([["a", "b"], ["b"]], k=1))
    assert fused == {"a": pytest.approx(1 / 2), "b": pytest.approx(1 / 3 + 1 / 2)}


def test_ties_keep_first_seen_order() -> None:
    assert [i for i, _ in fuse_rankings([["x", "y"], ["y", "x"]])] == ["x", "y"]


def test_a_repeated_id_counts_once_per_ranking() -> None:
    assert dict(fuse_rankings([["a", "a", "b"]], k=1))["a"] == pytest.approx(1 / 2)


def test_weights_favour_one_ranking() -> None:
    fused = fuse_rankings([["a"], ["b"]], weights=[1.0, 2.0])
    assert fused[0][0] == "b"


def test_empty_rankings_fuse_to_nothing() -> None:
    assert fuse_rankings([[], []]) == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        fuse_rankings([["a"]], k=0)
    with pytest.raises(ValueError):
        fuse_rankings([["a"]], weights=[1.0, 2.0])
