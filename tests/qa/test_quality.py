"""Answer quality on the evaluation questions and on the team's own held-out questions."""

import pytest

from qa.evaluate import evaluate, load_questions
from tests.helpers import DATA, DEV


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
