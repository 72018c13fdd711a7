"""Answer quality: the development questions stay fully right, and the readers'
held-out questions and the team's questions stay at least as good as measured."""

import pytest

from qa.evaluate import evaluate, load_questions
from tests.helpers import DATA, DEV


@pytest.mark.skipif(not DEV.exists(), reason="the shared evaluation set is not beside the repo")
def test_dev_questions_are_all_answered_right_or_declined(seeded_service) -> None:
    report = evaluate(load_questions(DEV), lambda q, h: seeded_service.ask_stream(q, h))
    assert report.accuracy == 1.0
    assert report.abstention == 1.0
    assert report.citation_precision == 1.0


def test_the_team_questions_meet_their_bar(seeded_service) -> None:
    report = evaluate(
        load_questions(DATA / "team.jsonl"), lambda q, h: seeded_service.ask_stream(q, h)
    )
    assert report.accuracy >= 0.95
    assert report.citation_precision >= 0.95
    assert report.abstention >= 0.8
    assert report.hit_at_k == 1.0


def test_the_readers_held_out_questions_stay_at_their_measured_level(seeded_service) -> None:
    # Floors a little under the figures measured for the README (make eval-readers), so
    # that a change that makes answers worse fails here.
    report = evaluate(
        load_questions(DATA / "readers.jsonl", split="heldout"),
        lambda q, h: seeded_service.ask_stream(q, h),
    )
    assert report.accuracy >= HELD_OUT_FLOOR["accuracy"]
    assert report.abstention >= HELD_OUT_FLOOR["abstention"]
    assert report.citation_precision >= HELD_OUT_FLOOR["citation_precision"]


# Citation precision counts every citation given since the twentieth session, those of
# answers to unanswerable questions too (measured 0.839; 0.907 counted the old way).
HELD_OUT_FLOOR = {"accuracy": 0.43, "abstention": 0.6, "citation_precision": 0.82}
