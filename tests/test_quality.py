"""Answer quality on the evaluation questions and on the team's own held-out questions."""

from pathlib import Path

import pytest

from qa.evaluate import contains_all, evaluate, load_questions, normalise
from tests.conftest import DATA, ROOT

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def test_thousands_separators_and_case_are_ignored_when_scoring() -> None:
    assert normalise("Fewer than 1,000 Fighters") == "fewer than 1000 fighters"
    assert contains_all("about 6000 militants", [["6,000", "six thousand"]])
    assert not contains_all("about 6000 militants", [["6,000"], ["mosul"]])


@pytest.mark.skipif(not DEV.exists(), reason="the shared evaluation set is not beside the repo")
def test_dev_questions_meet_the_bar(seeded_service) -> None:
    report = evaluate(load_questions(DEV), lambda q, h: seeded_service.ask_stream(q, h))
    assert report.accuracy >= 0.9
    assert report.citation_precision >= 0.9
    assert report.abstention == 1.0


def test_held_out_questions_meet_the_bar(seeded_service) -> None:
    report = evaluate(
        load_questions(DATA / "heldout.jsonl"), lambda q, h: seeded_service.ask_stream(q, h)
    )
    assert report.accuracy >= 0.9
    assert report.citation_precision >= 0.9
    assert report.citation_support >= 0.9
    assert report.abstention == 1.0
    assert report.hit_at_k == 1.0


def test_a_bad_question_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok?"}\n{"kind": "fact"}\n')
    with pytest.raises(ValueError, match=r"q\.jsonl:2"):
        load_questions(path)
