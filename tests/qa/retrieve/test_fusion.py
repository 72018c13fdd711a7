import pytest

from qa.retrieve.fusion import fuse_rankings, fuse_scores


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


def test_relative_fusion_keeps_how_far_ahead_a_hit_is() -> None:
    # "far" is first by a wide margin in the second scoring and middling in the first;
    # rank fusion puts "both", a little ahead of it in the first, above it.
    dense = {"both": 0.50, "other": 0.45, "far": 0.30, "low": 0.10}
    bm25 = {"far": 30.0, "both": 2.0, "other": 1.0, "low": 0.0}
    fused = fuse_scores([dense, bm25])
    assert [item for item, _ in fused][:2] == ["far", "both"]
    assert fuse_rankings([list(dense), list(bm25)])[0][0] == "both"


def test_relative_scores_are_weighted_min_max_normalised_sums() -> None:
    fused = dict(fuse_scores([{"a": 1.0, "b": 3.0}, {"a": 10.0, "b": 0.0}], weights=[0.25, 0.75]))
    assert fused == {"a": pytest.approx(0.75), "b": pytest.approx(0.25)}


def test_relative_fusion_of_equal_or_missing_scores() -> None:
    # All equal: each id gets the scoring's full weight; an id a scoring lacks gets nothing.
    assert dict(fuse_scores([{"a": 2.0, "b": 2.0}, {"a": 1.0}])) == {"a": 2.0, "b": 1.0}
    assert fuse_scores([{}, {}]) == []
    assert [i for i, _ in fuse_scores([{"x": 1.0, "y": 1.0}])] == ["x", "y"]


def test_relative_fusion_refuses_bad_weights() -> None:
    with pytest.raises(ValueError):
        fuse_scores([{"a": 1.0}], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        fuse_scores([{"a": 1.0}], weights=[-1.0])
