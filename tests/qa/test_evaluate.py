"""Scoring: how answers are matched to the expected phrasings and counted."""

import re
from pathlib import Path

import pytest

from qa.evaluate import (
    EvalQuestion,
    contains_all,
    evaluate,
    load_questions,
    normalise,
    percentile,
    unsupported_number_sentences,
)
from qa.types import Answer, Citation, Passage, Token


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
    path.write_text('{"question": "ok?", "must": [["yes"]]}\n{"kind": "fact"}\n')
    with pytest.raises(ValueError, match=r"q\.jsonl:2"):
        load_questions(path)


def test_a_number_is_not_found_inside_a_longer_one() -> None:
    assert not contains_all("some 16,000 fled", [["6,000"]])
    assert not contains_all("60,000 men", [["6000"]])
    assert not contains_all("in 2015", [["5"]])
    assert contains_all("some 6,000, then 1,000.", [["6,000"], ["1000"]])
    assert contains_all("ISIS-held", [["isis"]])  # words are matched as before


def _question(id: str, kind: str, must: list[list[str]], source: list[str]) -> EvalQuestion:
    return EvalQuestion(id, kind, f"question {id}?", must, source, [])


def _cited(text: str, source: str) -> Answer:
    passage = Passage(f"{source}#1", source, text, "T", None, None, None)
    return Answer(f"{text} [1]", True, (Citation(1, passage),))


QUESTIONS = [
    _question("a", "fact", [["6,000"]], ["right.txt"]),
    _question("b", "fact", [["1,500"]], ["right.txt"]),
    _question("u", "unanswerable", [], []),
    _question("v", "unanswerable", [], []),
]


def _asker(answers: dict[str, Answer | Exception]):  # type: ignore[no-untyped-def]
    def ask(question, history):  # type: ignore[no-untyped-def]
        answer = answers[question.split()[1].rstrip("?")]
        if isinstance(answer, Exception):
            raise answer
        yield Token(answer.text)
        yield answer

    return ask


def test_citations_given_to_unanswerable_questions_count_against_precision() -> None:
    report = evaluate(
        QUESTIONS,
        _asker(
            {
                "a": _cited("Some 6,000 militants.", "right.txt"),
                "b": _cited("It was 1,500 metres long.", "right.txt"),
                "u": _cited("An answer to what the articles do not say.", "right.txt"),
                "v": Answer("The articles don't say.", False),
            }
        ),
    )
    assert report.accuracy == 1.0 and report.abstention == 0.5
    assert report.citation_precision == 2 / 3  # the answered unanswerable's citation is wrong
    by_id = {r.id: r for r in report.results}
    assert not by_id["u"].correct and by_id["v"].correct


def test_a_question_that_could_not_be_asked_is_recorded_and_counted_wrong() -> None:
    failures: list[tuple[str, str]] = []
    report = evaluate(
        QUESTIONS,
        _asker(
            {
                "a": RuntimeError("HTTP 503: the vector store does not answer"),
                "b": _cited("It was 1,500 metres long.", "right.txt"),
                "u": ConnectionError("refused"),
                "v": Answer("The articles don't say.", False),
            }
        ),
        on_error=lambda id, why: failures.append((id, why)),
    )
    assert report.questions == 4 and report.errors == 2
    assert report.accuracy == 0.5 and report.abstention == 0.5  # not taken for a decline
    assert failures == [("a", "HTTP 503: the vector store does not answer"), ("u", "refused")]
    assert ("could not be asked (counted wrong)", "2") in report.rows()


def test_a_figure_with_nothing_to_count_is_shown_as_none_not_as_perfect() -> None:
    only_unanswerable = [q for q in QUESTIONS if q.kind == "unanswerable"]
    declined = Answer("The articles don't say.", False)
    report = evaluate(only_unanswerable, _asker({"u": declined, "v": declined}), streamed=False)
    assert report.abstention == 1.0
    assert report.accuracy is None and report.citation_precision is None
    rows = dict(report.rows())
    assert rows["answer accuracy"] == "—" and rows["retrieval MRR"] == "—"
    assert rows["first token p50 (ms)"] == "— (not streamed)"


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('{"question": "q?", "must": ["6000"]}', "not a list of groups"),
        ('{"question": "q?", "kind": "unanswerble"}', "kind 'unanswerble' is none of"),
        ('{"question": "q?", "kind": "fact"}', 'needs "must"'),
        ('{"question": "q?", "must": [[6000]]}', "not a list of groups"),
        ('{"question": "q?", "must": [["a"]], "source": "a.txt"}', "not a list of file names"),
    ],
)
def test_a_question_line_that_would_be_scored_as_another_is_refused(
    tmp_path: Path, line: str, said: str
) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(ValueError, match=f"q\\.jsonl:1: .*{re.escape(said)}"):
        load_questions(path)


def test_an_id_used_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = '{"id": "x", "question": "q?", "must": [["a"]]}\n'
    path.write_text(line + line)
    with pytest.raises(ValueError, match=r"q\.jsonl:2: the id 'x' is used twice"):
        load_questions(path)


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([4, 1, 3, 2], 50) == 2
    assert percentile(range(1, 15), 95) == 14  # 13.3 rounds up to the 14th of 14
    assert percentile(range(1, 114), 95) == 108
    assert percentile([], 50) == 0.0
