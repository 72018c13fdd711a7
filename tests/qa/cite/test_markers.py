"""Citation markers: passages numbered by first use, one marker per quoted sentence."""

from qa.cite.markers import cite_sentences
from qa.types import Citation, Passage
from tests.helpers import marker_problems


def _passage(chunk_id: str, text: str = "text") -> Passage:
    return Passage(chunk_id, f"{chunk_id}.txt", text, "Title", None, None, None)


def test_passages_are_numbered_by_first_use_and_each_sentence_is_marked() -> None:
    a, b = _passage("a"), _passage("b")
    text, citations = cite_sentences([("One.", a), ("Two.", b), ("Three.", a)])
    assert text == "One. [1] Two. [2] Three. [1]"
    assert [(c.n, c.passage.chunk_id, c.cited_sentences) for c in citations] == [
        (1, "a", ("One.", "Three.")),
        (2, "b", ("Two.",)),
    ]
    assert marker_problems(text, citations) == []


def test_the_marker_check_finds_missing_and_unused_citations() -> None:
    citations = [Citation(1, _passage("a")), Citation(2, _passage("b"))]
    assert marker_problems("Claim. [1] Other claim. [3]", citations) == [
        "[3] has no citation",
        "citation 2 is not used",
    ]
    assert marker_problems("Claim. [1, 2]", citations) == []
