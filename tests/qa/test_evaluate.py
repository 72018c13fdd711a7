"""Scoring: how answers are matched to the expected phrasings and counted."""

from pathlib import Path

import pytest

from qa.evaluate import contains_all, load_questions, normalise, unsupported_number_sentences
from qa.types import Answer, Citation, Passage


def test_thousands_separators_and_case_are_ignored_when_scoring() -> None:
    assert normalise("Fewer than 1,000 Fighters") == "fewer than 1000 fighters"
    assert contains_all("about 6000 militants", [["6,000", "six thousand"]])
    assert not contains_all("about 6000 militants", [["6,000"], ["mosul"]])


def test_the_evaluation_counts_sentences_whose_numbers_their_source_lacks() -> None:
    passage = Passage(
        "c1", "1.txt", "There are fewer than 1,000 militants left.", "T", None, None, None
    )
    citation = (Citation(1, passage),)
    good = Answer("Fewer than 1,000 militants were left. [1]", True, citation)
    bad = Answer("Fewer than 1,000 militants were left. [1] About 7,000 fled. [1]", True, citation)
    uncited = Answer("About 7,000 fled.", True, citation)
    assert unsupported_number_sentences(good) == 0
    assert unsupported_number_sentences(bad) == 1
    assert unsupported_number_sentences(uncited) == 1


def test_a_bad_question_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok?"}\n{"kind": "fact"}\n')
    with pytest.raises(ValueError, match=r"q\.jsonl:2"):
        load_questions(path)
